"""Offline dependency audit: every pin of requirements.lock against the advisories that the
safety-db package ships (PyUp's insecure_full.json, installed with the test tools, so no
network is needed). Exits 1, listing them, when a pinned version falls in an advisory's range.

Its data is what safety-db last published (July 2021): it catches the old, well-known
vulnerabilities of every pin wherever CI runs, and nothing newer. pip-audit (PyPI's current
data) runs after it where PyPI can be reached. No package ships npm's advisories for offline
use; package-lock.json is audited by `npm audit` where the registry can be reached.

Usage: python .ci/offline_audit.py [requirements.lock]
"""

import json
import sys
from importlib.util import find_spec
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version


def advisories() -> tuple[dict[str, list[dict]], str]:
    # Found without importing the package: its __init__ opens a path relative to the working
    # directory and fails anywhere else.
    folder = Path(next(iter(find_spec("safety_db").submodule_search_locations)))
    data = json.loads((folder / "insecure_full.json").read_text())
    meta = data.pop("$meta", {})
    return {canonicalize_name(name): items for name, items in data.items()}, str(
        meta.get("timestamp", "")
    )


def pins(lock: Path):
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            yield canonicalize_name(name), version.strip()


def findings(lock: Path) -> list[str]:
    known, _stamp = advisories()
    found = []
    for name, version in pins(lock):
        try:
            pinned = Version(version)
        except InvalidVersion:
            continue
        for advisory in known.get(name, []):
            for spec in advisory.get("specs", []):
                try:
                    hit = pinned in SpecifierSet(spec)
                except InvalidSpecifier:
                    continue
                if hit:
                    found.append(
                        f"{name}=={version}: {advisory.get('cve') or advisory['id']} ({spec})"
                    )
                    break
    return found


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    found = findings(lock)
    checked = sum(1 for _ in pins(lock))
    print(f"{checked} pins of {lock} checked against safety-db's advisories (offline).")
    for line in found:
        print(f"  VULNERABLE {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
