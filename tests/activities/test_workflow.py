"""The activities workflow: recording with opinions and attendance, idempotency, the rules
on who logs where, and the review (verify / return / resubmit) with its trail."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from activities import workflow
from activities.models import Activity, ActivityEvent, ActivityOpinion, ActivityStatus, Attendance
from activities.workflow.table import ACTIVITY_TRANSITIONS
from liaison.models import Notification
from suggestions.models import Channel, Opinion, OpinionEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_recording_writes_attendance_opinions_and_event(scene, log):
    activity = log()
    assert activity.status == ActivityStatus.SUBMITTED
    assert set(activity.deputies.values_list("pk", flat=True)) == {scene["deputy_record"].pk, scene["fellow"].pk}
    assert activity.place == scene["station"].name
    opinions = Opinion.objects.filter(activity_link__activity=activity).order_by("pk")
    assert [o.content for o in opinions] == ["村口路灯不亮", "希望增设公交站"]
    for opinion in opinions:
        assert opinion.channel == Channel.RECEPTION_DAY
        assert opinion.station == scene["station"]
        assert set(opinion.deputies.values_list("pk", flat=True)) == {scene["deputy_record"].pk, scene["fellow"].pk}
        assert OpinionEvent.objects.filter(opinion=opinion, action="create").exists()
    assert list(activity.events.values_list("action", "to_status")) == [("create", "submitted")]
    # The opinions reach the staff's queue of the station.
    assert set(Opinion.objects.visible_to(scene["liaison"]).values_list("pk", flat=True)) >= {o.pk for o in opinions}


@pytest.mark.parametrize(
    ("code", "channel"),
    [
        ("reception_day", Channel.RECEPTION_DAY),
        ("home_visit", Channel.HOME_VISIT),
        ("night_visit", Channel.HOME_VISIT),
        ("market_stall", Channel.MARKET_STALL),
        ("inspection", Channel.OTHER),
    ],
)
def test_opinion_channel_follows_the_activity_type(log, code, channel):
    activity = log(activity_type=f.activity_type(code), opinions=["一条意见"])
    assert activity.opinion_links.get().opinion.channel == channel


def test_same_idempotency_key_records_one_activity(scene, log):
    key = uuid.uuid4()
    first = log(idempotency_key=key)
    again = log(idempotency_key=key)
    assert again.pk == first.pk and again.was_repeated
    assert Activity.objects.count() == 1
    assert Opinion.objects.count() == 2


def test_key_of_another_user_is_refused(scene, log):
    key = uuid.uuid4()
    log(idempotency_key=key)
    with pytest.raises(workflow.Invalid):
        log(idempotency_key=key, actor=scene["liaison"], deputies=[scene["fellow"]])


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"started_at": "future"}, workflow.Invalid),
        ({"started_at": "ancient"}, workflow.Invalid),
        ({"voters_received": -1}, workflow.Invalid),
        ({"opinions": ["x" * 2001]}, workflow.Invalid),
        ({"opinions": ["意见"] * 31}, workflow.Invalid),
        ({"summary": "长" * 2001}, workflow.Invalid),
    ],
)
def test_bad_input_writes_nothing(log, overrides, error):
    now = timezone.now()
    if overrides.get("started_at") == "future":
        overrides["started_at"] = now + dt.timedelta(hours=2)
    if overrides.get("started_at") == "ancient":
        overrides["started_at"] = now - dt.timedelta(days=400)
    with pytest.raises(error):
        log(**overrides)
    assert Activity.objects.count() == 0
    assert Opinion.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_deputy_logs_only_where_stationed(scene, log):
    with pytest.raises(workflow.NotAllowed):
        log(station=scene["other_station"])
    with pytest.raises(workflow.NotAllowed):
        log(actor=scene["other_deputy"])
    with pytest.raises(workflow.NotAllowed):
        log(actor=scene["handler"])
    assert Activity.objects.count() == 0


def test_staff_logs_for_deputies_of_their_station(scene, log):
    activity = log(actor=scene["liaison"], deputies=[scene["deputy_record"]], opinions=[])
    assert list(activity.deputies.all()) == [scene["deputy_record"]]
    with pytest.raises(workflow.Invalid):
        log(actor=scene["county"], deputies=[], opinions=[])


def test_group_activity_counts_only_members(scene, log):
    group = f.DeputyGroupFactory(township=scene["station"].township)
    group.members.add(scene["deputy_record"], scene["fellow"])
    activity = log(group=group)
    assert activity.group == group
    outsider = f.DeputyFactory()
    with pytest.raises(workflow.Invalid):
        log(group=group, deputies=[scene["fellow"], outsider])
    not_mine = f.DeputyGroupFactory()
    with pytest.raises(workflow.NotAllowed):
        log(group=not_mine, deputies=[])


def test_campaign_must_run_on_the_day(scene, log):
    campaign = f.CampaignFactory()
    assert log(campaign=campaign).campaign == campaign
    ended = f.CampaignFactory(
        starts_on=timezone.localdate() - dt.timedelta(days=90), ends_on=timezone.localdate() - dt.timedelta(days=60)
    )
    with pytest.raises(workflow.Invalid):
        log(campaign=ended)


@pytest.mark.parametrize("reviewer", ["liaison", "township", "county", "superuser"])
def test_staff_of_the_station_verify(scene, log, reviewer):
    activity = workflow.activity_verify(activity=log(), actor=scene[reviewer])
    assert activity.status == ActivityStatus.VERIFIED
    assert activity.verified_by == scene[reviewer] and activity.verified_at
    assert activity.events.last().action == "verify"


@pytest.mark.parametrize("outsider", ["deputy", "handler", "other_deputy"])
def test_others_may_not_verify(scene, log, outsider):
    activity = log()
    with pytest.raises(workflow.NotAllowed):
        workflow.activity_verify(activity=activity, actor=scene[outsider])
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.SUBMITTED


def test_staff_of_another_township_may_not_verify(scene, log, network):
    from liaison.models import Role

    other = f.StaffProfileFactory(
        user=f.UserFactory(username="b_staff"), role=Role.TOWNSHIP_STAFF, township=network["b"]
    )
    with pytest.raises(workflow.NotAllowed):
        workflow.activity_verify(activity=log(), actor=other.user)


def test_return_needs_a_reason_and_notifies_the_recorder(scene, log):
    activity = log()
    with pytest.raises(workflow.Invalid):
        workflow.activity_return(activity=activity, actor=scene["liaison"], reason="  ")
    activity = workflow.activity_return(activity=activity, actor=scene["liaison"], reason="人数有误")
    assert activity.status == ActivityStatus.RETURNED
    assert activity.return_reason == "人数有误"
    note = Notification.objects.get(recipient=scene["deputy"], kind="activity_returned")
    assert note.body == "人数有误"


def test_correct_and_resubmit_after_return_then_verify(scene, log):
    activity = log()
    workflow.activity_return(activity=activity, actor=scene["liaison"], reason="人数有误")
    activity = workflow.activity_update(
        activity=activity, actor=scene["deputy"], voters_received=30, opinions=["再补一条"]
    )
    assert activity.status == ActivityStatus.SUBMITTED
    assert activity.voters_received == 30 and activity.return_reason == ""
    assert ActivityOpinion.objects.filter(activity=activity).count() == 3
    workflow.activity_verify(activity=activity, actor=scene["township"])
    assert list(activity.events.values_list("action", flat=True)) == ["create", "return", "resubmit", "verify"]
    with pytest.raises((workflow.IllegalTransition, workflow.NotAllowed)):
        workflow.activity_update(activity=activity, actor=scene["deputy"], voters_received=31)


def test_only_the_recorder_corrects(scene, log):
    activity = log()
    with pytest.raises(workflow.NotAllowed):
        workflow.activity_update(activity=activity, actor=scene["liaison"], voters_received=1)
    fellow_user = f.UserFactory(username="fellow")
    scene["fellow"].user = fellow_user
    scene["fellow"].save()
    with pytest.raises(workflow.NotAllowed):
        workflow.activity_update(activity=activity, actor=fellow_user, voters_received=1)


def test_correction_changes_attendance_and_records_what_changed(scene, log):
    activity = log()
    activity = workflow.activity_update(activity=activity, actor=scene["deputy"], deputies=[], summary="改")
    assert list(activity.deputies.all()) == [scene["deputy_record"]]
    event = activity.events.last()
    assert event.action == "update" and event.note


@pytest.mark.parametrize("action", sorted(ACTIVITY_TRANSITIONS))
@pytest.mark.parametrize("status", ActivityStatus.values)
def test_transition_table_is_enforced(scene, log, action, status):
    activity = log(opinions=[])
    Activity.objects.filter(pk=activity.pk).update(status=status)
    activity.refresh_from_db()
    allowed = status in ACTIVITY_TRANSITIONS[action].sources
    call = {
        "update": lambda: workflow.activity_update(activity=activity, actor=scene["deputy"], summary="x"),
        "resubmit": lambda: workflow.activity_update(activity=activity, actor=scene["deputy"], summary="x"),
        "verify": lambda: workflow.activity_verify(activity=activity, actor=scene["county"]),
        "return": lambda: workflow.activity_return(activity=activity, actor=scene["county"], reason="r"),
    }[action]
    events_before = ActivityEvent.objects.count()
    if action in ("update", "resubmit"):
        # One entry point: a returned activity resubmits, a submitted one updates.
        allowed = status in ACTIVITY_TRANSITIONS["update"].sources | ACTIVITY_TRANSITIONS["resubmit"].sources
    if allowed:
        call()
        assert ActivityEvent.objects.count() == events_before + 1
    else:
        with pytest.raises((workflow.IllegalTransition, workflow.NotAllowed)):
            call()
        assert ActivityEvent.objects.count() == events_before
