"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

- ``browser``: chromium for one test, launched from ``/usr/bin/chromium`` (never a
  browser downloaded by ``playwright install``). Missing chromium skips the browser tests,
  unless ``REQUIRE_BROWSER=1`` (CI), where it fails them.
- ``browse``: opens pages for the test, one browser context (cookies, session) per person,
  all on the live server. It answers yes to confirmation dialogs (and lists them in
  ``dialogs``), records JavaScript errors and failed responses (status 400 and above) for
  :meth:`Browsing.assert_clean`, and on a failed test saves a full-page screenshot of every
  open page into the test's ``tmp_path``.

Data created in a test must be committed to be visible to the server thread: the tests run
with ``django_db(transaction=True, serialized_rollback=True)`` (``steps.BROWSER_DB``), and
:func:`restore_migrated_rows` puts back the rows the migrations wrote (deadline rules,
result classes …) after the last browser test, for the transactional tests that follow.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The sync Playwright API runs an event loop in the test thread; Django's ORM would refuse to
# run next to it. The root conftest sets this too; repeated here because this file needs it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 20_000
PHONE_VIEWPORT = {"width": 390, "height": 844}
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so that fixtures know whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message}, and REQUIRE_BROWSER=1")
    pytest.skip(message)


@pytest.fixture
def browser():
    """Chromium for one test.

    Per test, not per session: while Playwright runs, its event loop is the running loop of
    the test thread, and Django then keeps database connections per async context instead of
    per thread (asgiref's thread-critical ``Local``), so the test's connections are new ones
    that know nothing of the serialized rows ``serialized_rollback`` reloads. Stopping
    Playwright after each test gives the next fixtures the thread's own connection back; the
    connections opened meanwhile are closed first (PostgreSQL refuses to drop a test database
    with open connections).
    """
    require_chromium()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        connections.close_all()
        playwright.stop()


@pytest.fixture(scope="package", autouse=True)
def restore_migrated_rows(django_db_setup, django_db_blocker):
    """After the browser tests, load again the rows the migrations wrote.

    A transactional test ends with a flush, which also empties the tables the data migrations
    filled; ``serialized_rollback`` reloads them at the start of the next browser test, but
    not for the transactional tests that run after this package (the Celery worker test).
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@dataclass
class Browsing:
    """The pages a test opened, one browser context per person."""

    browser: object
    base_url: str
    tmp_path: Path
    pages: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def page(self, who: str, *, phone: bool = False):
        """A new page in a fresh context (its own cookies) for ``who``."""
        context = self.browser.new_context(
            base_url=self.base_url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=PHONE_VIEWPORT if phone else DESKTOP_VIEWPORT,
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{who}: JavaScript error {error}"))
        page.on("response", lambda response: self._check_response(who, response))
        page.on("dialog", lambda dialog: self._confirm(who, dialog))
        self.pages[who] = page
        return page

    def _confirm(self, who: str, dialog) -> None:
        """Answer yes to a confirmation (``onsubmit="return confirm(...)"``) and note who saw it."""
        self.dialogs.append((who, dialog.message))
        dialog.accept()

    def _check_response(self, who: str, response) -> None:
        if response.status >= 400:
            self.problems.append(f"{who}: {response.status} {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        """No JavaScript error and no failed response (static files included) on any page."""
        assert self.problems == []

    def screenshot(self, suffix: str) -> list[Path]:
        shots = []
        for who, page in self.pages.items():
            if page.is_closed():
                continue
            path = self.tmp_path / f"{safe_name(who)}-{suffix}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                print(f"screenshot of {who} failed: {error}")
                continue
            shots.append(path)
        return shots

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "page"


@pytest.fixture
def browse(request, browser, live_server, tmp_path):
    """Open pages as ``browse.page("deputy")``; screenshots into ``tmp_path`` on failure."""
    browsing = Browsing(browser=browser, base_url=live_server.url, tmp_path=tmp_path)
    yield browsing
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for path in browsing.screenshot("failure"):
            print(f"screenshot: {path}")
    browsing.close()
