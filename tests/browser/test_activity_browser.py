"""Issue 8 in a real browser, on a phone (390×844): a deputy opens the station page, logs a
reception day with two opinions in at most ten interactions, and both opinions appear in the
staff's opinion queue (the admin's opinion list). Selectors use names, ids and URLs."""

import re

import pytest

from activities.models import Activity, ActivityStatus
from deputies.models import AssignmentRole, Level
from liaison.models import Role
from stations.models import StationKind
from suggestions.models import Channel, Opinion
from tests import factories as f

from .steps import BROWSER_DB, assert_stylesheets_loaded, click_and_wait, log_in, log_in_admin

pytestmark = [pytest.mark.browser, BROWSER_DB]

FIRST = "东门村村口路灯坏了三个月，夜里出行不安全。"
SECOND = "希望在东门小学门口增设一处公交站。"


@pytest.fixture
def village():
    hub = f.county_hub(code="HUB")
    center = f.StationFactory(code="A", name="城关镇中心联络站", kind=StationKind.CENTER, parent=hub)
    village = f.StationFactory(code="A11", name="东门村联络站", kind=StationKind.VILLAGE, parent=center)
    deputy = f.DeputyFactory(name="张建国", phone="13800000001", user=f.UserFactory(username="deputy"))
    f.MandateFactory(deputy=deputy, level=Level.COUNTY)
    f.AssignmentFactory(deputy=deputy, station=village, role=AssignmentRole.MASTER)
    fellow = f.DeputyFactory(name="王芳")
    f.AssignmentFactory(deputy=fellow, station=village)
    f.StaffProfileFactory(user=f.UserFactory(username="county", is_staff=True), role=Role.COUNTY_STAFF)
    return {"station": village, "deputy": deputy, "fellow": fellow}


def test_deputy_logs_a_reception_day_with_two_opinions_on_a_phone(browse, village):
    page = browse.page("deputy", phone=True)
    log_in(page, "deputy", next_url=f"/stations/{village['station'].code}/")
    assert_stylesheets_loaded(page)

    interactions = 0

    def step(action):
        nonlocal interactions
        interactions += 1
        action()

    # 1: the button at the top of the station page.
    step(lambda: click_and_wait(page, page.locator(".log-activity a"), "/activities/log/"))
    assert page.locator("select[name=activity_type] option:checked").get_attribute("value")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no horizontal scroll
    # 2: the fellow deputy present; 3–5: two opinions (one line is there, one is added).
    step(lambda: page.locator("#deputy-choices label.check", has_text="王芳").click())
    step(lambda: page.locator("#opinion-lines textarea").first.fill(FIRST))
    step(lambda: page.locator("#add-opinion").click())
    step(lambda: page.locator("#opinion-lines textarea").nth(1).fill(SECOND))
    # 6: the number of voters received.
    step(lambda: page.locator("input[name=voters_received]").fill("26"))
    # The draft is kept in the browser meanwhile.
    assert FIRST in (page.evaluate("localStorage.getItem('activity-draft:A11')") or "")
    # 7: record.
    step(lambda: click_and_wait(page, page.locator("#activity-submit"), re.compile(r"/activities/\d+/")))
    assert interactions <= 10

    activity = Activity.objects.get()
    assert activity.activity_type.code == "reception_day"
    assert activity.status == ActivityStatus.SUBMITTED and activity.voters_received == 26
    assert set(activity.deputies.values_list("name", flat=True)) == {"张建国", "王芳"}
    opinions = Opinion.objects.filter(activity_link__activity=activity)
    assert sorted(opinions.values_list("content", flat=True)) == sorted([FIRST, SECOND])
    assert set(opinions.values_list("channel", flat=True)) == {Channel.RECEPTION_DAY}
    # The recorded page cleared the draft.
    assert page.evaluate("localStorage.getItem('activity-draft:A11')") is None

    staff = browse.page("county")
    log_in_admin(staff, "county", next_url="/admin/suggestions/opinion/")
    queue = staff.locator("#result_list").inner_text()
    assert FIRST[:20] in queue and SECOND[:15] in queue
    browse.assert_clean()
