"""Factories for activities and campaigns.

``ActivityFactory`` writes rows directly (for lists, budgets and figures); tests of the
workflow itself go through ``activities.workflow``.
"""

import datetime as dt

import factory
from django.utils import timezone

from activities.models import Activity, ActivityStatus, ActivityType, Attendance, Campaign, CampaignTarget

from .stations import StationFactory


def activity_type(code="home_visit") -> ActivityType:
    """One of the default types the migration created."""
    return ActivityType.objects.get(code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    activity_type = factory.LazyFunction(activity_type)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    place = "村委会"
    voters_received = 12
    materials_handed_out = 30
    summary = "走访了解群众诉求"
    status = ActivityStatus.SUBMITTED

    @factory.post_generation
    def deputies(self, create, extracted, **kwargs):
        if create and extracted:
            Attendance.objects.bulk_create([Attendance(activity=self, deputy=deputy) for deputy in extracted])


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = "更好发挥人大代表作用"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class CampaignTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignTarget

    campaign = factory.SubFactory(CampaignFactory)
    measure = "activities_led"
    target = 1
