"""The arrows between the project's parts run one way, as docs/architecture.md draws them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL = ["ogp_portal", "outbox", "verification", "privacy", "audit"]
PACKAGES = [*KERNEL, "councils", "proposals", "plans", "consultations", "public_site"]
CONFIG = [
    "ogp_portal",  # the package's __init__ loads the Celery app
    "ogp_portal.settings",
    "ogp_portal.urls",
    "ogp_portal.celery",
    "ogp_portal.wsgi",
    "ogp_portal.asgi",
    "ogp_portal.management",
]

# Which parts each part may import (itself included). The configuration imports anything.
ALLOWED = {
    "kernel": {"kernel"},
    "councils": {"kernel", "councils"},
    "proposals": {"kernel", "councils", "proposals"},
    "plans": {"kernel", "councils", "proposals", "plans"},
    "consultations": {"kernel", "councils", "proposals", "plans", "consultations"},
    "public": {"kernel", "councils", "proposals", "plans", "consultations", "public"},
}


def part_of(module: str) -> str | None:
    if module.split(".")[0] not in PACKAGES:
        return None
    if module == "ogp_portal" or any(module == c or module.startswith(c + ".") for c in CONFIG[1:]):
        return "config"
    if module == "public_site" or module.startswith("public_site."):
        return "public"
    if module.split(".")[0] in KERNEL:
        return "kernel"
    return module.split(".")[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every project module a file imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            if not (ROOT / target.replace(".", "/")).is_dir():
                found.add(target)  # `from package import module` depends on the module only
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {m for m in found if part_of(m) is not None}


def sources():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_the_parts_are_as_drawn():
    assert {part_of(module_name(p)) for p in sources()} == {*ALLOWED, "config"}


@pytest.mark.parametrize("path", list(sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path):
    part = part_of(module_name(path))
    if part == "config":
        return
    wrong = {m for m in imports_of(path) if part_of(m) not in ALLOWED[part]}
    assert not wrong, f"{module_name(path)} ({part}) imports {sorted(wrong)}"


def test_nothing_but_the_configuration_imports_the_public_page():
    importers = {
        module_name(p)
        for p in sources()
        if part_of(module_name(p)) not in {"public", "config"}
        and any(part_of(m) == "public" for m in imports_of(p))
    }
    assert importers == set()


def test_the_kernel_apps_are_kernel():
    """Verification, like the outbox, audit and privacy, sits in the kernel: every app asks it."""
    for app in ["outbox", "audit", "privacy", "verification"]:
        assert part_of(f"ogp_portal.{app}.models") == "kernel"
