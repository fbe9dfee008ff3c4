"""Issue 3 in a real browser: one opinion walks from the public QR form to a closed suggestion.

Each person has their own browser context (cookies, session) and goes through the real pages:
the voter on a phone-sized screen (QR form, confirmation, tracking page), the deputy on /me/,
the county staff in the admin, the department's handler on /dept/. Selectors use form field
names, ids, URLs and roles, not the Chinese words (the catalogue may lag behind the msgids).
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from deputies.models import AssignmentRole, Level
from liaison.models import Role
from stations.models import StationKind
from suggestions.models import (
    Assignment,
    AssignmentStatus,
    Category,
    Feedback,
    HandlingMode,
    Jurisdiction,
    Opinion,
    OpinionStatus,
    Rating,
    ResultClass,
    Suggestion,
    SuggestionStatus,
    Tier,
)
from tests import factories as f

from .steps import BROWSER_DB, assert_stylesheets_loaded, click_and_wait, log_in, log_in_admin

pytestmark = [pytest.mark.browser, BROWSER_DB]

OPINION = "东门村村口道路坑洼不平，雨天积水严重，老人孩子出行不便，希望尽快修缮。"
TITLE = "关于修缮东门村村口道路的建议"
REPLY = "县交通运输局已完成东门村村口道路修缮，铺设沥青路面并增设排水沟。"
VOTER_PHONE = "13912345678"


@pytest.fixture
def county():
    """A county hub, a township center, an area station and a village station; a deputy with a
    login stationed at the village; county staff; a county department with its handler."""
    hub = f.county_hub(code="HUB")
    center = f.StationFactory(code="A", name="城关镇中心联络站", kind=StationKind.CENTER, parent=hub)
    area = f.StationFactory(code="A1", name="城东片区联络站", kind=StationKind.AREA, parent=center)
    village = f.StationFactory(code="A11", name="东门村联络站", kind=StationKind.VILLAGE, parent=area)
    deputy = f.DeputyFactory(name="张建国", phone="13800000001", user=f.UserFactory(username="deputy"))
    f.MandateFactory(deputy=deputy, level=Level.COUNTY)
    f.AssignmentFactory(deputy=deputy, station=village, role=AssignmentRole.MASTER)
    staff = f.StaffProfileFactory(user=f.UserFactory(username="county", is_staff=True), role=Role.COUNTY_STAFF).user
    department = f.DepartmentFactory(name="县交通运输局")
    handler = f.UserFactory(username="handler")
    department.contact_users.add(handler)
    return {"village": village, "deputy": deputy, "staff": staff, "department": department, "handler": handler}


def zh(text) -> str:
    """A lazy label (status, choice) as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return str(text)


def test_an_opinion_walks_from_the_qr_form_to_a_closed_suggestion(browse, county):
    deputy, department = county["deputy"], county["department"]
    traffic = Category.objects.get(name="交通出行")
    solved = ResultClass.objects.get(code="A")

    # The voter scans the station's QR code (一站一码) and sends an opinion from a phone; it
    # reaches the deputies stationed there.
    voter = browse.page("voter", phone=True)
    voter.goto(reverse("public:station_opinion", args=[county["village"].code]))
    assert_stylesheets_loaded(voter)
    form = voter.locator("form:has(textarea[name=content])")
    form.locator("textarea[name=content]").fill(OPINION)
    form.locator("select[name=category]").select_option(str(traffic.pk))
    form.locator("input[name=place]").fill("东门村")
    form.locator("input[name=name]").fill("王大爷")
    form.locator("input[name=phone]").fill(VOTER_PHONE)
    click_and_wait(voter, form.locator("button[type=submit]"), reverse("public:opinion_sent"))
    tracking_code = voter.locator(".tracking-code").inner_text().strip()
    opinion = Opinion.objects.get()
    assert tracking_code == opinion.tracking_code
    assert VOTER_PHONE not in voter.content() and "王大爷" not in voter.content()

    # The deputy finds it on /me/ and writes a suggestion from it.
    me = browse.page("deputy", phone=True)
    log_in(me, "deputy", next_url=reverse("deputy:home"))
    assert_stylesheets_loaded(me)
    received = me.locator("section[aria-labelledby=opinions-title] li", has_text=tracking_code)
    write_from_it = received.locator(f"a[href='{reverse('deputy:suggestion_new')}?opinions={opinion.pk}']")
    click_and_wait(me, write_from_it, reverse("deputy:suggestion_new"))
    form = me.locator("form:has(input[name=title])")
    assert form.locator(f"input[name=opinions][value='{opinion.pk}']").is_checked()
    assert OPINION in form.locator("textarea[name=content]").input_value()
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=category]").select_option(str(traffic.pk))
    form.locator("select[name=station]").select_option(str(county["village"].pk))
    click_and_wait(me, form.locator("button[name=save][value=submit]"), re.compile(r"/me/suggestions/\d+/"))
    suggestion = Suggestion.objects.get()
    assert me.url.endswith(reverse("deputy:suggestion", args=[suggestion.pk]))
    assert suggestion.status == SuggestionStatus.SUBMITTED and suggestion.lead_deputy == deputy
    assert suggestion.number in me.locator("main").inner_text()

    # County staff review it in the admin (accept, fast-assign, county) and assign it.
    staff = browse.page("county staff")
    change_url = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    log_in_admin(staff, "county", next_url=change_url)
    assert_stylesheets_loaded(staff)
    review_url = reverse("admin:suggestions_suggestion_review", args=[suggestion.pk])
    click_and_wait(staff, staff.locator(f".sg-actions a[href='{review_url}']"), review_url)
    form = staff.locator("#content-main form")
    form.locator("input[name=decision][value=accept]").check()
    form.locator("select[name=tier]").select_option(Tier.FAST)
    form.locator("select[name=jurisdiction]").select_option(Jurisdiction.COUNTY)
    click_and_wait(staff, form.locator("[type=submit]"), change_url)
    assert staff.locator("ul.messagelist li.success").count() == 1
    assign_url = reverse("admin:suggestions_suggestion_assign", args=[suggestion.pk])
    click_and_wait(staff, staff.locator(f".sg-actions a[href='{assign_url}']"), assign_url)
    form = staff.locator("#content-main form")
    form.locator("select[name=lead]").select_option(str(department.pk))
    form.locator("select[name=mode]").select_option(HandlingMode.TAKE_AND_DO)
    click_and_wait(staff, form.locator("[type=submit]"), change_url)
    assignment = Assignment.objects.get(suggestion=suggestion)
    assert (assignment.department, assignment.status) == (department, AssignmentStatus.PENDING)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.tier, suggestion.jurisdiction) == (
        SuggestionStatus.ASSIGNED,
        Tier.FAST,
        Jurisdiction.COUNTY,
    )

    # The department's handler accepts the assignment on /dept/ and replies: result class A.
    dept = browse.page("handler", phone=True)
    log_in(dept, "handler", next_url=reverse("department:queue"))
    assignment_url = reverse("department:assignment", args=[assignment.pk])
    click_and_wait(dept, dept.locator(f"a[href='{assignment_url}']"), assignment_url)
    accept = dept.locator(f"form[action='{reverse('department:action', args=[assignment.pk, 'accept'])}']")
    click_and_wait(dept, accept.locator("[type=submit]"), assignment_url)
    dept.locator("details#act-reply > summary").click()
    form = dept.locator("details#act-reply form")
    form.locator("select[name=result_class]").select_option(str(solved.pk))
    form.locator("textarea[name=content]").fill(REPLY)
    click_and_wait(dept, form.locator("[type=submit]"), assignment_url)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REPLIED

    # The deputy rates the reply: satisfied.
    detail_url = reverse("deputy:suggestion", args=[suggestion.pk])
    me.goto(reverse("deputy:home"))
    awaiting = me.locator("section[aria-labelledby=awaiting-title]")
    click_and_wait(me, awaiting.locator(f"a[href='{detail_url}']"), detail_url)
    assert REPLY in me.locator("main").inner_text()
    form = me.locator(f"form[action='{reverse('deputy:rate', args=[suggestion.pk])}']")
    form.locator(f"input[name=rating][value={Rating.SATISFIED}]").check()
    click_and_wait(me, form.locator("[type=submit]"), detail_url)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.RATED

    # Staff close it (销号) in the admin.
    close_url = reverse("admin:suggestions_suggestion_close", args=[suggestion.pk])
    staff.goto(change_url)
    click_and_wait(staff, staff.locator(f".sg-actions a[href='{close_url}']"), close_url)
    form = staff.locator("#content-main form")
    form.locator("textarea[name=note]").fill("代表满意，予以销号。")
    click_and_wait(staff, form.locator("[type=submit]"), change_url)
    # ... and publish the reply, which is what the voter may then read.
    publish_url = reverse("admin:suggestions_suggestion_publish", args=[suggestion.pk])
    click_and_wait(staff, staff.locator(f"form[action='{publish_url}'] [type=submit]"), change_url)
    suggestion.refresh_from_db()
    assert suggestion.reply_published

    # The voter follows the opinion with the tracking code and sees the closed suggestion and the reply.
    voter.goto(f"{reverse('public:track')}?code={tracking_code}")
    form = voter.locator(f"form[action='{reverse('public:track')}']")
    assert form.locator("input[name=code]").input_value() == tracking_code
    form.locator("input[name=digits]").fill(VOTER_PHONE[-4:])
    click_and_wait(voter, form.locator("button[type=submit]"), reverse("public:track"))
    shown = voter.locator("main").inner_text()
    assert tracking_code in shown and OPINION in shown
    assert zh(OpinionStatus.MERGED.label) in shown
    assert zh(SuggestionStatus.CLOSED.label) in shown
    assert REPLY in shown and department.name in shown
    assert VOTER_PHONE not in voter.content() and deputy.phone not in voter.content()
    for path in browse.screenshot("end"):
        print(f"screenshot: {path}")
    browse.assert_clean()
    # Submitting the suggestion and sending the reply cannot be undone: both asked first.
    assert [who for who, _message in browse.dialogs] == ["deputy", "handler"]

    # What the pages did is what the database holds.
    suggestion.refresh_from_db()
    opinion.refresh_from_db()
    assignment.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED and suggestion.closed_at is not None
    assert (opinion.status, opinion.suggestion_id) == (OpinionStatus.MERGED, suggestion.pk)
    assert assignment.status == AssignmentStatus.DONE
    reply = suggestion.replies.get()
    assert (reply.result_class, reply.content, reply.assignment) == (solved, REPLY, assignment)
    assert Feedback.objects.get(suggestion=suggestion).rating == Rating.SATISFIED
    assert list(opinion.events.order_by("at", "pk").values_list("action", "to_status", "actor__username")) == [
        ("create", OpinionStatus.RECEIVED, None),
        ("merge", OpinionStatus.MERGED, "deputy"),
    ]
    # Each step was taken by the person whose page it was.
    assert list(suggestion.events.order_by("at", "pk").values_list("action", "to_status", "actor__username")) == [
        ("create", SuggestionStatus.DRAFT, "deputy"),
        ("submit", SuggestionStatus.SUBMITTED, "deputy"),
        ("accept", SuggestionStatus.ACCEPTED, "county"),
        ("assign", SuggestionStatus.ASSIGNED, "county"),
        ("start_handling", SuggestionStatus.IN_PROGRESS, "handler"),
        ("reply", SuggestionStatus.REPLIED, "handler"),
        ("rate", SuggestionStatus.RATED, "deputy"),
        ("close", SuggestionStatus.CLOSED, "county"),
        ("publish_reply", SuggestionStatus.CLOSED, "county"),
    ]
