"""Every interface string is translated in both catalogs, and the compiled catalogs are current."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["ogp_portal", "councils", "proposals", "plans", "consultations", "opinions", "templates"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_catalog_is_complete_and_compiled(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100, [e.msgid for e in po.untranslated_entries()]
    assert not po.fuzzy_entries()
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_no_interface_string_is_missing_from_the_catalogs(tmp_path):
    require(bool(shutil.which("xgettext")), "GNU gettext (xgettext)")
    for name in SOURCES:
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "ko",
            "-l",
            "en",
            "--symlinks",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for language in ("ko", "en"):
        po = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in po if not e.translated() or e.fuzzy]
        assert not missing, f"{language}: {missing}"
