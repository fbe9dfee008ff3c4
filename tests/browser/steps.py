"""Steps the browser tests share: the database marker, logging in, checking the styles."""

import re
from urllib.parse import urlsplit

import pytest

# Data written by the test must be committed to reach the live server's thread; the rows the
# migrations wrote (categories, result classes, deadline rules …) are reloaded before each test.
BROWSER_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "pass12345"  # what tests.factories.UserFactory sets


def log_in(page, username: str, *, next_url: str = "/") -> None:
    """Log in through the site's own form (/accounts/login/) and land on ``next_url``."""
    page.goto(f"/accounts/login/?next={next_url}")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def log_in_admin(page, username: str, *, next_url: str = "/admin/") -> None:
    """Log in through the admin's login form (/admin/login/) and land on ``next_url``."""
    page.goto(f"/admin/login/?next={next_url}")
    form = page.locator("#login-form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("[type=submit]").click()
    page.wait_for_url(f"**{next_url}")


def assert_stylesheets_loaded(page) -> None:
    """Every stylesheet of the page arrived and holds rules (the live server serves static files)."""
    sheets = page.evaluate(
        """() => Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(link => ({
            href: link.href,
            rules: link.sheet ? link.sheet.cssRules.length : 0,
        }))"""
    )
    assert sheets, "the page links no stylesheet"
    assert all(sheet["rules"] > 0 for sheet in sheets), sheets


def click_and_wait(page, locator, path: str | re.Pattern) -> None:
    """Click a link or submit button and wait for the page at ``path`` (a string or a pattern
    for the whole path; query and fragment aside)."""
    pattern = path if isinstance(path, re.Pattern) else re.compile(re.escape(path))
    with page.expect_navigation(url=lambda url: pattern.fullmatch(urlsplit(url).path) is not None):
        locator.click()
