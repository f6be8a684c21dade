"""Every URL name keeps its path, in both languages: each name of the map of names to paths as
the site had it before the action plan became an app of its own (tests/data/urls.json) names the
same paths today (names added since are free).

The admin's pages of a model follow its app label: those of the models that moved from
proposals to plans are expected under plans, with the same model names and actions.
"""

import json
from pathlib import Path

from django.urls import URLResolver, get_resolver
from django.utils import translation

SNAPSHOT = Path(__file__).parent / "data" / "urls.json"
LANGUAGES = ["ko", "en"]
MOVED_TO_PLANS = [
    "actionplan",
    "commitment",
    "milestone",
    "progressupdate",
    "inspectionreport",
    "inspectionphoto",
]


def _walk(patterns, prefix: str, namespaces: list[str], found: dict[str, list[str]]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
            _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, found)
        elif pattern.name:
            name = ":".join([*namespaces, pattern.name])
            found.setdefault(name, []).append(prefix + str(pattern.pattern))


def url_map() -> dict[str, dict[str, list[str]]]:
    """Language → URL name → the paths (routes or expressions) it names, in resolving order."""
    urls = {}
    for language in LANGUAGES:
        found: dict[str, list[str]] = {}
        with translation.override(language):
            _walk(get_resolver().url_patterns, "", [], found)
        urls[language] = found
    return urls


def _admin_moved(name: str, paths: list[str]) -> tuple[str, list[str]]:
    for model in MOVED_TO_PLANS:
        old = f"admin:proposals_{model}_"
        if name.startswith(old):
            return (
                name.replace(old, f"admin:plans_{model}_"),
                [p.replace(f"admin/proposals/{model}/", f"admin/plans/{model}/") for p in paths],
            )
    return name, paths


def _without_app_list(urls: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: paths for name, paths in urls.items() if name != "admin:app_list"}


def test_every_url_name_keeps_its_path_in_both_languages():
    before = json.loads(SNAPSHOT.read_text())
    now = url_map()
    for language in LANGUAGES:
        expected = dict(_admin_moved(name, paths) for name, paths in before[language].items())
        kept = {name: now[language].get(name) for name in expected}
        assert _without_app_list(kept) == _without_app_list(expected), language


def _app_labels(expression: str) -> set[str]:
    return set(expression.split("(?P<app_label>")[1].split(")")[0].split("|"))


def test_the_admin_lists_the_plans_app_beside_the_others():
    before = json.loads(SNAPSHOT.read_text())
    now = url_map()
    for language in LANGUAGES:
        (old,) = before[language]["admin:app_list"]
        (new,) = now[language]["admin:app_list"]
        # opinions: its own app, added since the snapshot
        assert _app_labels(new) == _app_labels(old) | {"plans", "opinions"}
