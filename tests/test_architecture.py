"""The layers of docs/architecture.md, as import-linter's contracts in pyproject.toml state them
(CI and `make lint` run `lint-imports` too), no import circle anywhere in the project, and no
package that holds most of it."""

import tomllib
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def test_import_linter_contracts_are_kept(capsys):
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle():
    """Two modules that need each other take a string model reference or a module split."""
    assert circles(grimp.build_graph(*PACKAGES, cache_dir=None)) == []


def test_the_circle_finder_finds_circles():
    graph = grimp.ImportGraph()
    for module in ["a", "a.one", "a.two", "a.three"]:
        graph.add_module(module)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.two", imported="a.three")
    assert circles(graph) == [["a.one", "a.two"]]


# Tests, migrations, translation catalogues and the benchmark are not counted.
MOST_OF_THE_PROJECT = 0.30


def lines_of(package: str) -> int:
    return sum(
        len(path.read_text().splitlines())
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def test_no_package_holds_most_of_the_project():
    counted = [p for p in PACKAGES if p != "bench"]
    lines = {package: lines_of(package) for package in counted}
    total = sum(lines.values())
    assert total > 10_000
    largest = {p: round(n / total, 2) for p, n in lines.items() if n > MOST_OF_THE_PROJECT * total}
    assert largest == {}
