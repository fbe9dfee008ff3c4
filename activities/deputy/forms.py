"""The form a deputy fills in on a phone to log (or correct) an activity.

It checks per field what a deputy can get wrong, with the message next to the field; the
workflow checks everything again (rights, dates, group members, campaign period) when the
action runs, and a refusal there is shown at the top of the form.
"""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import AssignmentRole, Deputy, DeputyGroup, StationAssignment
from liaison import clock
from stations.models import Grid

from ..models import ActivityType, Campaign
from ..photos import MAX_PHOTOS, prepare_photo
from ..workflow import WorkflowError
from ..workflow.activities import MAX_MATERIALS, MAX_OPINIONS, MAX_SUMMARY, MAX_VOTERS, clean_started_at

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LinesWidget(forms.Widget):
    """Several text inputs of the same name (one per opinion); rendered by the template."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return False


class OpinionLinesField(forms.Field):
    widget = LinesWidget

    def to_python(self, value):
        lines = [str(line).strip() for line in (value or []) if str(line).strip()]
        return lines

    def validate(self, value):
        if len(value) > MAX_OPINIONS:
            raise forms.ValidationError(_("At most %(n)s opinions at a time."), params={"n": MAX_OPINIONS})
        for line in value:
            if len(line) > 2000:
                raise forms.ValidationError(_("An opinion is too long (at most 2000 characters)."))


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos; each is checked by content and prepared (resized, metadata stripped)."""

    widget = MultiplePhotoInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload] if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if len(uploads) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per activity."), params={"n": MAX_PHOTOS})
        prepared = []
        for upload in uploads:
            try:
                prepared.append(prepare_photo(upload))
            except WorkflowError as error:
                raise forms.ValidationError(str(error)) from error
        return prepared


def fellow_deputies(station, deputy_id: int | None):
    """The station's serving deputies (other than the one logging), station master first."""
    stationed = StationAssignment.objects.filter(station=station)
    master = stationed.filter(deputy_id=OuterRef("pk"), role=AssignmentRole.MASTER)
    return (
        Deputy.objects.active()
        .filter(pk__in=stationed.values("deputy_id"))
        .exclude(pk=deputy_id or 0)
        .annotate(is_master=Exists(master))
        .order_by("-is_master", "name", "pk")
    )


class ActivityForm(forms.Form):
    activity_type = forms.ModelChoiceField(
        label=_("Type"), queryset=ActivityType.objects.active(), empty_label=None, widget=forms.Select
    )
    started_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=_("Fellow deputies present"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    voters_received = forms.IntegerField(
        label=_("Voters received"),
        min_value=0,
        max_value=MAX_VOTERS,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    opinions = OpinionLinesField(label=_("Opinions taken (one per line)"), required=False)
    materials_handed_out = forms.IntegerField(
        label=_("Materials handed out"),
        min_value=0,
        max_value=MAX_MATERIALS,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    summary = forms.CharField(
        label=_("Short summary"), max_length=MAX_SUMMARY, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = PhotosField(label=_("Photos"))
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False, empty_label=_("(none)")
    )
    grid = forms.ModelChoiceField(
        label=_("Grid (optional)"), queryset=Grid.objects.none(), required=False, empty_label=_("(no grid)")
    )
    group = forms.ModelChoiceField(
        label=_("Logged for a deputy group"),
        queryset=DeputyGroup.objects.none(),
        required=False,
        empty_label=_("(no group)"),
        help_text=_("Tick only the group's members who were there."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, station, deputy_id: int | None, activity=None, **kwargs):
        self.station = station
        self.deputy_id = deputy_id
        if activity is not None:
            kwargs.setdefault(
                "initial",
                {
                    "activity_type": activity.activity_type_id,
                    "started_at": timezone.localtime(activity.started_at),
                    "place": activity.place,
                    "deputies": [pk for pk in activity.attendances.values_list("deputy_id", flat=True)],
                    "voters_received": activity.voters_received,
                    "materials_handed_out": activity.materials_handed_out,
                    "summary": activity.summary,
                    "campaign": activity.campaign_id,
                    "grid": activity.grid_id,
                    "group": activity.group_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()
        if activity is not None:
            del self.fields["idempotency_key"]
            self.fields["opinions"].label = _("Further opinions taken (one per line)")
            self.fields["photos"].label = _("Further photos")
        else:
            self.fields["started_at"].initial = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
            self.fields["place"].initial = station.name
        # Shown: the station's deputies; accepted: any serving deputy (found with the search).
        self.station_deputies = list(fellow_deputies(station, deputy_id))
        picked = self._picked_ids()
        shown = Deputy.objects.active().filter(
            Q(pk__in=[deputy.pk for deputy in self.station_deputies]) | Q(pk__in=picked)
        )
        self.fields["deputies"].queryset = shown.exclude(pk=deputy_id or 0).order_by("name", "pk")
        self.fields["deputies"].choices = self._deputy_choices(picked)
        today = timezone.localdate()
        campaigns = Campaign.objects.open_on(today)
        if activity is not None and activity.campaign_id:
            campaigns = campaigns | Campaign.objects.filter(pk=activity.campaign_id)
        self.fields["campaign"].queryset = campaigns
        if not self.fields["campaign"].queryset.exists():
            del self.fields["campaign"]
        groups = DeputyGroup.objects.filter(Q(members__id=deputy_id or 0) | Q(leader_id=deputy_id or 0)).distinct()
        if not deputy_id:
            groups = DeputyGroup.objects.filter(
                Q(township_id=station.township_id) | Q(pk=getattr(activity, "group_id", None))
            )
        self.fields["group"].queryset = groups
        if not groups.exists():
            del self.fields["group"]
        grids = Grid.objects.active().under(station).order_by("code")
        self.fields["grid"].queryset = grids
        if not grids.exists():
            del self.fields["grid"]

    def _picked_ids(self) -> list[int]:
        if self.is_bound:
            values = self.data.getlist(self.add_prefix("deputies")) if hasattr(self.data, "getlist") else []
        else:
            values = self.initial.get("deputies") or []
        return [int(value) for value in values if str(value).isdigit()][:200]

    def _deputy_choices(self, picked: list[int]):
        """The station's deputies first, then the others picked through the search."""
        station_ids = [deputy.pk for deputy in self.station_deputies]
        others = Deputy.objects.active().filter(pk__in=set(picked) - set(station_ids)).exclude(pk=self.deputy_id or 0)
        return [(deputy.pk, deputy.name) for deputy in [*self.station_deputies, *others.order_by("name")]]

    def clean_started_at(self):
        try:
            return clean_started_at(self.cleaned_data["started_at"])
        except WorkflowError as error:
            raise forms.ValidationError(str(error)) from error

    def workflow_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "activity_type": data["activity_type"],
            "started_at": data["started_at"],
            "place": data["place"],
            "deputies": list(data["deputies"]),
            "group": data.get("group"),
            "campaign": data.get("campaign"),
            "grid": data.get("grid"),
            "voters_received": data["voters_received"],
            "materials_handed_out": data["materials_handed_out"],
            "summary": data["summary"],
            "opinions": data["opinions"],
            "photos": data["photos"],
        }
