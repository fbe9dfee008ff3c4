"""The demo's opinions and suggestions: ``seed_demo`` once per module (rolled back afterwards),
walked through the workflow to a fixed "today", and the plan without the database."""

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from demo.county import build_demo
from demo.lifecycle import plan_lifecycle
from liaison.models import Delivery, Notification, Role, StaffProfile
from stations.models import ReceptionFrequency
from suggestions.deadlines import Deadlines
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    Commitment,
    CommitmentStatus,
    ContactMethod,
    Department,
    DepartmentLevel,
    ExtensionRequest,
    ExtensionStatus,
    Feedback,
    Jurisdiction,
    Opinion,
    OpinionEvent,
    OpinionStatus,
    ProgressKind,
    ProgressLog,
    Rating,
    Reply,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
    Tier,
)
from suggestions.selectors import GREEN, RED, YELLOW, similar_earlier, with_colour

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)
HOUSING = "住房和城乡建设局"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The county and its year of lifecycle as of TODAY, seeded once, rolled back at the end."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", "--today", TODAY.isoformat(), stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def this_year():
    return Suggestion.objects.exclude(submitted_at__year__lt=TODAY.year)


def user(username):
    return get_user_model().objects.get(username=username)


# States and events ---------------------------------------------------------------------------


def test_every_opinion_and_suggestion_state_is_present(seeded):
    assert set(Opinion.objects.values_list("status", flat=True)) == set(OpinionStatus.values)
    assert set(this_year().values_list("status", flat=True)) == set(SuggestionStatus.values)


def test_county_sized_figures(seeded):
    assert 550 <= Opinion.objects.count() <= 750
    assert 160 <= this_year().count() <= 210
    merged = Opinion.objects.filter(status=OpinionStatus.MERGED).count()
    from_opinions = this_year().filter(source_opinions__isnull=False).distinct().count()
    assert 1.5 <= merged / from_opinions <= 3  # several opinions make one suggestion
    earlier = Suggestion.objects.filter(submitted_at__year=TODAY.year - 1)
    assert 25 <= earlier.count() <= 35
    assert set(earlier.values_list("status", flat=True)) == {SuggestionStatus.CLOSED}
    assert not earlier.filter(replies__isnull=True).exists()


def status_chains(events, owner: str):
    """Each owner's status changes, oldest first: the creation and every event that moved it."""
    chains = defaultdict(list)
    for owner_id, action, from_status, to_status in events.order_by("at", "id").values_list(
        owner, "action", "from_status", "to_status"
    ):
        if action == "create" or (from_status and from_status != to_status):
            chains[owner_id].append((action, from_status, to_status))
    return chains


def assert_chain(chain, final_status):
    assert chain[0][0] == "create" and chain[0][1] == ""
    for (_a, _f, previous_to), (action, from_status, _t) in pairwise(chain):
        assert from_status == previous_to, (action, chain)
    assert chain[-1][2] == final_status, chain


def test_every_suggestion_status_change_has_its_event(seeded):
    chains = status_chains(SuggestionEvent.objects.all(), "suggestion_id")
    for pk, status in Suggestion.objects.values_list("pk", "status"):
        assert_chain(chains[pk], status)
        actions = [action for action, _f, _t in chains[pk]]
        if status != SuggestionStatus.DRAFT:
            assert actions.count("submit") == 1
        if status == SuggestionStatus.CLOSED:
            assert {"close", "close_joined"} & set(actions)


def test_every_opinion_status_change_has_its_event(seeded):
    chains = status_chains(OpinionEvent.objects.all(), "opinion_id")
    for pk, status in Opinion.objects.values_list("pk", "status"):
        assert_chain(chains[pk], status)


def test_history_walks_the_year_up_to_today(seeded):
    months = {timezone.localtime(at).month for at in this_year().values_list("submitted_at", flat=True) if at}
    assert len(months) >= 10
    assert min(Opinion.objects.values_list("received_on", flat=True)).month == 1
    last = timezone.localtime(SuggestionEvent.objects.latest("at").at).date()
    assert last < TODAY
    hours = Counter(timezone.localtime(at).hour for at in SuggestionEvent.objects.values_list("at", flat=True))
    assert set(hours) <= set(range(8, 20))
    created = [timezone.localdate(at) for at in Notification.objects.values_list("created_at", flat=True)]
    assert created and max(created) < TODAY
    assert not Delivery.objects.exists()  # the demo's history sends no e-mail or SMS


def test_due_dates_are_those_of_the_day_of_assignment(seeded):
    deadlines = Deadlines()
    first_leads = Assignment.objects.filter(role=AssignmentRole.LEAD, round=1, extension_requests__isnull=True)
    for assignment in first_leads.select_related("suggestion"):
        assigned_on = timezone.localdate(assignment.assigned_at)
        assert assignment.due_on == deadlines.due_for_tier(assignment.suggestion.tier, assigned_on)


# Handling ------------------------------------------------------------------------------------


def test_open_lead_assignments_are_red_yellow_and_green(seeded):
    leads = with_colour(
        Assignment.objects.filter(role=AssignmentRole.LEAD, status__in=OPEN_ASSIGNMENT_STATUSES), today=TODAY
    )
    assert {RED, YELLOW, GREEN} <= set(leads.values_list("colour", flat=True))
    housing = leads.filter(department__name__contains=HOUSING)
    colours = Counter(housing.filter(status=AssignmentStatus.ACCEPTED).values_list("colour", flat=True))
    assert colours[RED] >= 2 and colours[YELLOW] >= 2 and colours[GREEN] >= 2


def test_township_suggestions_are_assigned_to_their_township_government(seeded):
    leads = Assignment.objects.filter(role=AssignmentRole.LEAD, suggestion__jurisdiction=Jurisdiction.TOWNSHIP)
    assert leads.count() >= 10
    for level, township_id, suggestion_township_id in leads.values_list(
        "department__level", "department__township_id", "suggestion__township_id"
    ):
        assert level == DepartmentLevel.TOWNSHIP and township_id == suggestion_township_id
    county_leads = Assignment.objects.filter(role=AssignmentRole.LEAD, suggestion__jurisdiction=Jurisdiction.COUNTY)
    assert set(county_leads.values_list("department__level", flat=True)) == {DepartmentLevel.COUNTY}


def test_tiers_supervising_leaders_and_escalation(seeded):
    accepted = this_year().exclude(tier="")
    assert set(accepted.values_list("tier", flat=True)) == set(Tier.values)
    supervised = accepted.filter(tier=Tier.SUPERVISED)
    assert not supervised.filter(supervising_leader__isnull=True).exists()
    assert set(supervised.values_list("supervising_leader__staff_profile__is_leader", flat=True)) == {True}
    assert not accepted.exclude(tier=Tier.SUPERVISED).filter(supervising_leader__isnull=False).exists()
    escalated = Suggestion.objects.get(committee_supervised=True)
    rounds = Feedback.objects.filter(suggestion=escalated, rating=Rating.UNSATISFIED).values("reply__round")
    assert rounds.distinct().count() == 2
    assert escalated.events.filter(action="escalate").exists()


def test_co_handlers_extensions_commitments_and_ratings(seeded):
    co = Counter(Assignment.objects.filter(role=AssignmentRole.CO).values_list("status", flat=True))
    assert co[AssignmentStatus.DONE] >= 3 and co[AssignmentStatus.PENDING] + co[AssignmentStatus.ACCEPTED] >= 3
    assert ProgressLog.objects.filter(kind=ProgressKind.CO_INPUT).count() == co[AssignmentStatus.DONE]
    assert set(ExtensionRequest.objects.values_list("status", flat=True)) == set(ExtensionStatus.values)
    assert set(Commitment.objects.values_list("status", flat=True)) == set(CommitmentStatus.values)
    b_replies = Reply.objects.filter(result_class__code="B").annotate(n=Count("commitments"))
    assert b_replies.exists() and not b_replies.filter(n=0).exists()
    assert not Reply.objects.exclude(result_class__code="B").filter(commitments__isnull=False).exists()
    assert set(Reply.objects.values_list("result_class__code", flat=True)) == {"A", "B", "C", "D"}
    assert set(Feedback.objects.values_list("rating", flat=True)) == set(Rating.values)
    for suggestion in Suggestion.objects.filter(feedback__rating=Rating.UNSATISFIED).distinct():
        assert suggestion.assignments.filter(round__gte=2).exists()
    assert Suggestion.objects.filter(reply_published=True).count() >= 10
    assert Assignment.objects.filter(status=AssignmentStatus.RETURNED).exists()
    assert set(Suggestion.objects.values_list("handling_mode", flat=True)) >= {"take_and_do", "on_site", "joint"}


def test_contacts_and_progress(seeded):
    assert {ContactMethod.FACE_TO_FACE, ContactMethod.PHONE} <= set(
        Assignment.objects.values_list("contacts__method", flat=True)
    )
    kinds = set(ProgressLog.objects.values_list("kind", flat=True))
    assert {ProgressKind.PROGRESS, ProgressKind.SUPERVISION_REPORT, ProgressKind.CO_INPUT} <= kinds


def test_joined_suggestions_point_at_a_primary_being_handled(seeded):
    joined = Suggestion.objects.filter(status=SuggestionStatus.JOINED)
    assert joined.exists()
    assert not joined.filter(primary__isnull=True).exists()
    assert not joined.filter(primary__status__in=[SuggestionStatus.CLOSED, SuggestionStatus.REJECTED]).exists()
    assert Suggestion.objects.filter(status=SuggestionStatus.CLOSED, primary__isnull=False).exists()


# Opinions ------------------------------------------------------------------------------------

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def test_opinions_come_through_realistic_channels(seeded):
    channels = set(Opinion.objects.values_list("channel", flat=True))
    assert {
        Channel.RECEPTION_DAY,
        Channel.HOME_VISIT,
        Channel.MARKET_STALL,
        Channel.PHONE,
        Channel.STATION_QR,
        Channel.DEPUTY_QR,
    } <= channels
    public = Opinion.objects.filter(channel__in=[Channel.STATION_QR, Channel.DEPUTY_QR])
    assert not public.filter(created_by__isnull=False).exists()
    assert not Opinion.objects.filter(place="").exists()
    phones = [phone for phone in Opinion.objects.values_list("voter_phone", flat=True) if phone]
    assert len(phones) >= 200 and all(MOBILE.match(phone) for phone in phones)
    for day, station_day in Opinion.objects.filter(
        channel=Channel.RECEPTION_DAY, station__reception_frequency=ReceptionFrequency.MONTHLY
    ).values_list("received_on", "station__reception_day"):
        assert day.day == station_day
    market_days = Opinion.objects.filter(channel=Channel.MARKET_STALL).values("received_on", "station")
    assert market_days.annotate(n=Count("id")).filter(n__gte=8).exists()  # stalls take many at once


# What the demo accounts see ------------------------------------------------------------------


def test_extra_accounts(seeded):
    assert StaffProfile.objects.filter(is_leader=True, role=Role.COUNTY_STAFF).exists()
    townships = StaffProfile.objects.filter(role=Role.TOWNSHIP_STAFF).values("township").distinct()
    assert townships.count() == 16
    assert not Department.objects.filter(contact_users__isnull=True).exists()


def test_deputy_sees_own_suggestions_and_open_opinions(seeded, client):
    deputy_user = user("deputy")
    deputy = deputy_user.deputy
    led = Suggestion.objects.filter(lead_deputy=deputy)
    assert {
        SuggestionStatus.DRAFT,
        SuggestionStatus.SUBMITTED,
        SuggestionStatus.IN_PROGRESS,
        SuggestionStatus.REPLIED,
        SuggestionStatus.CLOSED,
    } <= set(led.values_list("status", flat=True))
    awaiting = led.get(status=SuggestionStatus.REPLIED)
    assert not Feedback.objects.filter(suggestion=awaiting).exists()
    assert Suggestion.objects.filter(co_signers=deputy).exists()
    open_opinions = Opinion.objects.filter(deputies=deputy, status__in=[OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED])
    assert open_opinions.exists()
    client.force_login(deputy_user)
    response = client.get(reverse("deputy:home"))
    assert response.status_code == 200
    assert awaiting.title in response.content.decode()


def test_department_queue_has_work_to_do(seeded, client):
    handler = user("department")
    leads = Assignment.objects.filter(
        department__contact_users=handler, role=AssignmentRole.LEAD, status=AssignmentStatus.ACCEPTED
    )
    ready = [
        a
        for a in leads
        if not a.suggestion.assignments.filter(
            role=AssignmentRole.CO, round=a.round, status__in=OPEN_ASSIGNMENT_STATUSES
        ).exists()
    ]
    assert ready  # something to reply to
    assert Assignment.objects.filter(department__contact_users=handler, status=AssignmentStatus.PENDING).exists()
    client.force_login(handler)
    response = client.get(reverse("department:queue"))
    assert response.status_code == 200
    assert ready[0].suggestion.title in response.content.decode()


def test_county_has_a_review_queue_extensions_and_items_to_close(seeded, client):
    county = this_year().filter(jurisdiction=Jurisdiction.COUNTY)
    assert county.filter(status=SuggestionStatus.SUBMITTED).count() >= 5
    assert ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING).count() >= 2
    closable = county.filter(status=SuggestionStatus.RATED).exclude(commitments__status=CommitmentStatus.OPEN)
    assert closable.exists()
    client.force_login(user("county"))
    response = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Suggestion.objects.count()


def test_township_reviews_and_assigns_its_own(seeded, client):
    township_user = user("township")
    township = township_user.staff_profile.township
    own = Suggestion.objects.filter(township=township, jurisdiction=Jurisdiction.TOWNSHIP)
    assert own.filter(status=SuggestionStatus.SUBMITTED).exists()
    assert own.filter(status=SuggestionStatus.ACCEPTED).exists()
    client.force_login(township_user)
    response = client.get(reverse("admin:suggestions_suggestion_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Suggestion.objects.filter(township=township).count() > 0


def test_liaison_officer_sees_opinions_at_their_station(seeded, client):
    liaison = user("liaison")
    station = liaison.liaison_stations.get()
    at_station = Opinion.objects.filter(station=station)
    assert at_station.filter(status=OpinionStatus.RECEIVED).exists()
    client.force_login(liaison)
    response = client.get(reverse("admin:suggestions_opinion_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= at_station.count() > 0


def test_similar_suggestions_of_earlier_years(seeded):
    found = [s for s in this_year().exclude(status=SuggestionStatus.DRAFT)[:60] if similar_earlier(s)]
    assert found
    assert all(timezone.localtime(other.submitted_at).year < TODAY.year for other, _score in similar_earlier(found[0]))


# The plan ------------------------------------------------------------------------------------


def test_seed_reports_the_lifecycle(seeded):
    assert str(Opinion.objects.count()) in seeded
    assert str(SuggestionEvent.objects.count()) in seeded


def test_database_holds_what_the_plan_says(seeded):
    plan = plan_lifecycle(build_demo(2026, "county", today=TODAY), TODAY)
    assert sorted(Suggestion.objects.values_list("title", "status")) == plan.expected()
    planned = sorted((s.title, s.submitted) for s in plan.suggestions if s.submitted)
    assert sorted(Suggestion.objects.exclude(submitted_at=None).values_list("title", "submitted_at")) == planned
    assert Opinion.objects.count() == len(plan.opinions)


def test_plan_is_deterministic_without_the_database():
    first = plan_lifecycle(build_demo(7, "county", today=TODAY), TODAY)
    second = plan_lifecycle(build_demo(7, "county", today=TODAY), TODAY)
    assert first.fingerprint() == second.fingerprint()
    assert first.expected() == second.expected()
    other = plan_lifecycle(build_demo(8, "county", today=TODAY), TODAY)
    assert other.fingerprint() != first.fingerprint()


def test_plan_fits_another_day():
    """The plan adapts to the day it is made on: every step before it, every state reached."""
    day = dt.date(2027, 5, 12)
    plan = plan_lifecycle(build_demo(2026, "county", today=day), day)
    assert max(timezone.localdate(step.at) for step in plan.steps) < day
    assert {s.status for s in plan.suggestions} == set(SuggestionStatus.values)
