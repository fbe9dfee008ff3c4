"""Shapes of the activities API: what is read (serializers) and what is sent (inputs)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from deputies.models import Deputy, DeputyGroup
from stations.models import Grid, Station

from ..models import Activity, ActivityType, Campaign, CampaignTarget
from ..workflow.activities import MAX_MATERIALS, MAX_OPINIONS, MAX_SUMMARY, MAX_VOTERS


class ActivityTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityType
        fields = ["id", "code", "name", "order", "is_active"]


class DeputyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deputy
        fields = ["id", "code", "name"]


class ActivitySerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    activity_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    deputies = DeputyRefSerializer(many=True, read_only=True)
    opinion_count = serializers.IntegerField(read_only=True)
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "station",
            "station_name",
            "activity_type",
            "activity_type_name",
            "started_at",
            "place",
            "deputies",
            "group",
            "campaign",
            "grid",
            "voters_received",
            "materials_handed_out",
            "summary",
            "status",
            "return_reason",
            "opinion_count",
            "photo_count",
            "created_at",
            "verified_at",
        ]


class ActivityOpinionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="opinion.id")
    tracking_code = serializers.CharField(source="opinion.tracking_code")
    content = serializers.CharField(source="opinion.content")
    status = serializers.CharField(source="opinion.status")


class ActivityEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ActivityDetailSerializer(ActivitySerializer):
    opinions = ActivityOpinionSerializer(source="opinion_links", many=True, read_only=True)
    photos = serializers.SerializerMethodField()
    events = ActivityEventSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "opinions", "photos", "events"]

    def get_photos(self, activity) -> list[str]:
        return [reverse("activities:photo", args=[photo.pk]) for photo in activity.photos.all()]


class CampaignTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignTarget
        fields = ["id", "township", "group", "measure", "target"]


class CampaignSerializer(serializers.ModelSerializer):
    targets = CampaignTargetSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "starts_on", "ends_on", "description", "is_active", "targets"]


class TargetProgressSerializer(serializers.Serializer):
    target_id = serializers.IntegerField()
    unit = serializers.CharField()
    measure = serializers.CharField()
    target = serializers.IntegerField()
    reached = serializers.IntegerField()
    met = serializers.BooleanField()


class CampaignProgressSerializer(serializers.Serializer):
    totals = serializers.DictField(child=serializers.IntegerField())
    targets = TargetProgressSerializer(source="rows", many=True)


# Inputs
# ------------------------------------------------------------------------------


class ActivityUpdateInput(serializers.Serializer):
    activity_type = serializers.SlugRelatedField(slug_field="code", queryset=ActivityType.objects.active())
    started_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, allow_blank=True)
    deputies = serializers.PrimaryKeyRelatedField(many=True, queryset=Deputy.objects.active())
    group = serializers.PrimaryKeyRelatedField(queryset=DeputyGroup.objects.all(), allow_null=True)
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.active(), allow_null=True)
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Grid.objects.active(), allow_null=True, help_text=_("A grid of the station or of one below it.")
    )
    voters_received = serializers.IntegerField(min_value=0, max_value=MAX_VOTERS)
    materials_handed_out = serializers.IntegerField(min_value=0, max_value=MAX_MATERIALS)
    summary = serializers.CharField(max_length=MAX_SUMMARY, allow_blank=True)
    opinions = serializers.ListField(
        child=serializers.CharField(max_length=2000),
        max_length=MAX_OPINIONS,
        help_text=_("Opinions taken, one per item; each becomes an opinion in the lifecycle."),
    )


class ActivityCreateInput(ActivityUpdateInput):
    station = serializers.SlugRelatedField(slug_field="code", queryset=Station.objects.active())
    idempotency_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Made by the client once per entry: resending with the same key records nothing new."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("started_at", "place", "deputies", "group", "campaign", "grid", "summary", "opinions"):
            self.fields[name].required = False
        self.fields["voters_received"].required = False
        self.fields["materials_handed_out"].required = False


class ActivityReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
