"""The demo's year of activities and summer campaign (``demo.activity_log``) on a small network."""

import datetime as dt

from activities.models import Activity, ActivityEvent, ActivityOpinion, ActivityStatus, Campaign
from activities.selectors import campaign_progress
from demo.activity_log import seed_activities
from suggestions import workflow as lifecycle
from suggestions.models import Channel
from tests import factories as f

LAST_ACTION = {ActivityStatus.SUBMITTED: "create", ActivityStatus.VERIFIED: "verify", ActivityStatus.RETURNED: "return"}


def test_a_year_of_activities_with_consistent_trails_and_a_campaign(network):
    for _n in range(4):
        f.AssignmentFactory(station=network["a_village"])
    group = f.DeputyGroupFactory(township=network["a"])
    group.members.add(network["deputy_a"], *[a.deputy for a in network["a_village"].assignments.all()][:3])
    opinion = lifecycle.opinion_create(
        content="村里路灯不亮",
        channel=Channel.HOME_VISIT,
        station=network["a_village"],
        deputies=[network["deputy_a"]],
        received_on=dt.date(2026, 6, 3),
    )
    result = seed_activities(today=dt.date(2026, 11, 30), seed=3)

    activities = Activity.objects.all()
    assert activities.count() == sum(result.activities.values()) > 15
    assert result.activities[ActivityStatus.VERIFIED] > activities.count() * 0.7
    assert {"home_visit", "night_visit"} <= set(result.by_type)
    assert activities.filter(group=group).count() >= 3  # the group's quarterly inspections, research, forums
    assert not activities.filter(started_at__date__gt=dt.date(2026, 11, 30)).exists()
    for activity in activities.prefetch_related("events"):
        actions = [event.action for event in activity.events.all()]
        assert actions[0] == "create" and actions[-1] == LAST_ACTION[activity.status]
        assert (activity.verified_at is not None) == (activity.status == ActivityStatus.VERIFIED)
    assert ActivityEvent.objects.filter(at__date__gt=dt.date(2026, 11, 30)).count() == 0
    link = ActivityOpinion.objects.get(opinion=opinion)
    assert link.activity.activity_type.code == "home_visit"
    assert link.activity.started_at.date() == dt.date(2026, 6, 3)

    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2026, 5, 1), dt.date(2026, 7, 31))
    progress = campaign_progress(campaign)
    assert progress.rows and progress.totals["activities_led"] > 0
    assert Activity.objects.filter(campaign=campaign, started_at__date__lt=dt.date(2026, 5, 1)).count() == 0
