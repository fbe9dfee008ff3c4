"""The zh_Hans catalogues are complete and their committed .mo files are up to date."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    *sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
]
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
@needs_msgfmt
def test_every_message_is_translated(po):
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    ).stderr
    assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
@needs_msgfmt
def test_compiled_catalogue_matches(po, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), f"run `make compile` for {po}"


def test_the_interface_speaks_chinese(client, db):
    page = client.get("/stations/").content.decode()
    assert "联络站" in page and "Stations" not in page
