"""The duty pages on a phone (390×844), in a real browser: the deputy on duty checks in with
one tap on the station page, sees their duties and asks for leave; the liaison officer's
roster, leave and missed-duty pages fit the screen. No page scrolls sideways."""

import datetime as dt
import re

import pytest

from activities.models import DutyAssignment, DutyStatus, LeaveRequest
from deputies.models import AssignmentRole, Level
from stations.models import Grid, StationKind
from tests import factories as f

from .steps import BROWSER_DB, assert_stylesheets_loaded, click_and_wait, log_in

pytestmark = [pytest.mark.browser, BROWSER_DB]


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.fixture
def scene():
    today = dt.date.today()
    hub = f.county_hub(code="HUB")
    center = f.StationFactory(code="A", name="城关镇中心联络站", kind=StationKind.CENTER, parent=hub)
    liaison = f.UserFactory(username="liaison", is_staff=True)
    village = f.StationFactory(
        code="A11",
        name="东门村联络站",
        kind=StationKind.VILLAGE,
        parent=center,
        liaison_officer=liaison,
        reception_frequency="monthly",
        reception_day=today.day,
    )
    deputy = f.DeputyFactory(name="张建国", phone="13800000001", user=f.UserFactory(username="deputy"))
    f.MandateFactory(deputy=deputy, level=Level.COUNTY)
    f.AssignmentFactory(deputy=deputy, station=village, role=AssignmentRole.MASTER)
    fellow = f.DeputyFactory(name="王芳")
    f.AssignmentFactory(deputy=fellow, station=village)
    DutyAssignment.objects.create(station=village, day=today, deputy=deputy)
    DutyAssignment.objects.create(station=village, day=today + dt.timedelta(days=20), deputy=deputy)
    DutyAssignment.objects.create(station=village, day=today - dt.timedelta(days=30), deputy=fellow)
    grid = Grid.objects.create(station=village, code="A11-01", name="第一网格", description="东门一组、二组")
    grid.leaders.add(deputy)
    return {"station": village, "deputy": deputy, "today": today}


def test_deputy_checks_in_with_one_tap_and_asks_for_leave_on_a_phone(browse, scene):
    station = scene["station"]
    page = browse.page("deputy", phone=True)
    log_in(page, "deputy", next_url=f"/stations/{station.code}/")
    assert_stylesheets_loaded(page)
    no_sideways_scroll(page)
    assert page.locator("text=第一网格").count() == 1
    click_and_wait(page, page.locator("button.check-in"), f"/stations/{station.code}/")
    assert DutyAssignment.objects.get(day=scene["today"]).status == DutyStatus.CHECKED_IN
    assert page.locator("button.check-in").count() == 0
    no_sideways_scroll(page)

    page.goto("/activities/duty/mine/")
    no_sideways_scroll(page)
    click_and_wait(page, page.locator("a[href$='/leave/']"), re.compile(r"/activities/duty/\d+/leave/"))
    no_sideways_scroll(page)
    page.locator("textarea[name=reason]").fill("外出参加培训")
    click_and_wait(page, page.locator("main form button[type=submit]"), "/activities/duty/mine/")
    assert LeaveRequest.objects.get().reason == "外出参加培训"
    browse.assert_clean()


def test_staff_duty_pages_fit_a_phone(browse, scene):
    page = browse.page("liaison", phone=True)
    today = scene["today"]
    log_in(page, "liaison", next_url="/activities/rosters/")
    no_sideways_scroll(page)
    for url in (
        f"/activities/rosters/{scene['station'].code}/{today.year}/{today.month}/",
        "/activities/duty/leave/",
        "/activities/duty/missed/",
    ):
        page.goto(url)
        assert_stylesheets_loaded(page)
        no_sideways_scroll(page)
    browse.assert_clean()
