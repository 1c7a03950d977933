"""Every string a user reads has its Persian translation, and the compiled catalog matches the source."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"


def test_the_persian_catalog_is_complete_and_compiled():
    catalog = polib.pofile(str(PO))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    source = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in catalog}
    built = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in compiled if entry.msgid}
    assert built == source, "run `make messages` to compile the catalog"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    """Extract the strings from a copy of the tree, so the real catalog is never touched."""
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "static", "bench", "__pycache__", ".*_cache"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fa", "--no-obsolete", "--ignore", "*/tests/*"],
        cwd=tree,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "miz.settings.test"},
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tree / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert missing == [], "new strings without a Persian translation (run `make messages`)"
