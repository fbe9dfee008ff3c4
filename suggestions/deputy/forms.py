"""Forms of the deputies' own pages: logging an opinion, writing a suggestion, acting on an
opinion and rating a reply. They check what a deputy can get wrong and show it per field; the
workflow checks everything again (rights, state, rules) when the action runs."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from liaison.forms import cleaned_phone
from stations.models import Grid, Station

from ..files import ACCEPT, attachment_max_bytes, validate_attachment
from ..models import Category, Channel, Opinion, Rating
from ..selectors.deputy import co_signer_choices, open_opinions_of, stations_of
from ..workflow.opinions import MAX_CONTENT

MAX_ATTACHMENTS = 10
MAX_SUGGESTION_CONTENT = 20000

# The ways a deputy meets voters; the QR-code channels belong to the public form.
DEPUTY_CHANNELS = [
    Channel.RECEPTION_DAY,
    Channel.HOME_VISIT,
    Channel.MARKET_STALL,
    Channel.PHONE,
    Channel.LETTER,
    Channel.OTHER,
]

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeputyOpinionForm(forms.Form):
    """An opinion a deputy took down (reception day, visit, stall, phone, letter …)."""

    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    channel = forms.ChoiceField(label=_("How it was received"), choices=[(c.value, c.label) for c in DEPUTY_CHANNELS])
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    content = forms.CharField(label=_("The opinion"), max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ModelChoiceField(
        label=_("Subject"), queryset=Category.objects.none(), required=False, empty_label=_("— not sure —")
    )
    place = forms.CharField(label=_("Village or community"), max_length=100, required=False)
    voter_name = forms.CharField(label=_("Voter's name (optional)"), max_length=50, required=False)
    voter_phone = forms.CharField(
        label=_("Voter's phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    grid = forms.ModelChoiceField(
        label=_("Grid (optional)"), queryset=Grid.objects.none(), required=False, empty_label=_("— none —")
    )

    def __init__(self, *args, deputy_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        stations = stations_of(deputy_id)
        self.fields["station"].queryset = stations
        grids = Grid.objects.active().filter(station__in=stations).select_related("station").order_by("code")
        self.fields["grid"].queryset = grids
        self.fields["grid"].label_from_instance = lambda grid: f"{grid.station.name} · {grid.name}"
        if not grids.exists():
            del self.fields["grid"]
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["voter_phone"].help_text = gettext("Masked everywhere except for the congress staff.")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean_voter_phone(self) -> str:
        return cleaned_phone(self.cleaned_data["voter_phone"])

    def clean(self):
        data = super().clean()
        grid, station = data.get("grid"), data.get("station")
        if grid is not None and station is not None and not grid.lies_under(station):
            self.add_error("grid", _("This grid is not in the chosen station's area."))
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number (up to :data:`MAX_ATTACHMENTS`) of files, each checked by
    :func:`suggestions.files.validate_attachment`. Cleans to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)s files at a time."), code="too_many", params={"n": MAX_ATTACHMENTS}
            )
        cleaned = []
        errors = []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class OpinionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, opinion):
        excerpt = opinion.content if len(opinion.content) <= 60 else opinion.content[:60] + "…"
        return f"{opinion.received_on:%Y-%m-%d} · {excerpt}"


class SuggestionForm(forms.Form):
    """A suggestion, written fresh or from the deputy's open opinions; also edits a draft
    (then without the opinions, which were merged when the draft was saved)."""

    opinions = OpinionChoiceField(
        label=_("From the opinions you received"),
        queryset=Opinion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("Content"), max_length=MAX_SUGGESTION_CONTENT, widget=forms.Textarea(attrs={"rows": 10})
    )
    category = forms.ModelChoiceField(label=_("Subject"), queryset=Category.objects.none())
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signing deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = AttachmentsField(label=_("Attachments"), validators=[validate_attachment])

    def __init__(self, *args, deputy_id: int, with_opinions: bool = True, current_co_signers=(), **kwargs):
        super().__init__(*args, **kwargs)
        if with_opinions:
            self.fields["opinions"].queryset = open_opinions_of(deputy_id)
        else:
            del self.fields["opinions"]
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["station"].queryset = stations_of(deputy_id)
        eligible = co_signer_choices(deputy_id)
        if current_co_signers:
            eligible = Deputy.objects.filter(Q(pk__in=eligible.values("pk")) | Q(pk__in=current_co_signers))
            eligible = eligible.order_by("name", "pk")
        self.fields["co_signers"].queryset = eligible
        self.fields["attachments"].help_text = gettext(
            "PDF, Word, Excel, JPG or PNG, at most %(limit)s each; up to %(n)s files."
        ) % {"limit": filesizeformat(attachment_max_bytes()), "n": MAX_ATTACHMENTS}


class OpinionActionForm(forms.Form):
    """A quick action on a received opinion from the deputy's home page."""

    ACTIONS = ("accept", "answer", "decline")

    action = forms.ChoiceField(choices=[(action, action) for action in ACTIONS])
    text = forms.CharField(required=False, max_length=MAX_CONTENT)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you are unsatisfied: say what is still wrong, so that the department can act."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rating") == Rating.UNSATISFIED and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Please say what is unsatisfactory, so that the department can act on it."))
        return cleaned
