"""No template carries an inline script or event-handler attribute: the Content-Security-Policy
allows scripts from our static files only (behaviours are data attributes read by
static/js/behaviours.js). The browser test checks the rendered pages; this checks every
template, including those no test renders."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"(?:application/json|text/template)\")[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
JS_URL = re.compile(r"""href\s*=\s*["']\s*javascript:""", re.I)


def test_templates_are_found():
    assert len(TEMPLATES) > 30


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script(path):
    text = path.read_text(encoding="utf-8")
    problems = INLINE_SCRIPT.findall(text) + HANDLER.findall(text) + JS_URL.findall(text)
    assert not problems, problems
