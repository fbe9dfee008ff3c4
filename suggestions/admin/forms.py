"""Forms of the congress staff's admin actions; each is handed to a workflow function."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from liaison.models import Role

from ..models import Department, DepartmentLevel, HandlingMode, Jurisdiction, Suggestion, Tier


def leaders():
    """Users who may supervise a suggestion: county congress staff (leaders included)."""
    return get_user_model().objects.filter(is_active=True, staff_profile__role=Role.COUNTY_STAFF).order_by("username")


class ReviewForm(forms.Form):
    DECISIONS = [("accept", _("Accept (立案)")), ("reject", _("Do not accept (不予立案)"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="accept")
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", "---------"), *Tier.choices], required=False)
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"), choices=Jurisdiction.choices)
    supervising_leader = forms.ModelChoiceField(label=_("Supervising leader"), queryset=leaders(), required=False)
    note = forms.CharField(label=_("Note or reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_leader"].queryset = leaders()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("tier"):
            self.add_error("tier", _("Please choose the tier."))
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Please give the reason for not accepting it."))
        return data


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.none())
    co_handlers = forms.ModelMultipleChoiceField(
        label=_("Co-handlers"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(label=_("Handling mode"), choices=HandlingMode.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, user, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.visible_to(user).filter(is_active=True).select_related("township")
        self.fields["co_handlers"].queryset = departments
        lead = departments
        jurisdictions = {s.jurisdiction for s in suggestions}
        if jurisdictions == {Jurisdiction.COUNTY}:
            lead = departments.filter(level=DepartmentLevel.COUNTY)
        elif jurisdictions == {Jurisdiction.TOWNSHIP}:
            lead = departments.filter(township_id__in={s.township_id for s in suggestions})
        self.fields["lead"].queryset = lead


class JoinForm(forms.Form):
    primary_number = forms.CharField(label=_("Number of the suggestion to join to"), max_length=12)

    def __init__(self, *args, user, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.suggestion = user, suggestion

    def clean_primary_number(self):
        number = self.cleaned_data["primary_number"].strip()
        primary = Suggestion.objects.visible_to(self.user).filter(number=number).exclude(pk=self.suggestion.pk).first()
        if primary is None:
            raise forms.ValidationError(_("No suggestion numbered %(number)s."), params={"number": number})
        self.cleaned_data["primary"] = primary
        return number


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when the reply was not rated satisfied or not rated at all."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer given on the spot"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="approve")
    due_on = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to grant the date asked for."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SuggestionFromOpinionsForm(forms.Form):
    """Staff write up a suggestion for a deputy from selected opinions."""

    lead_deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    submit = forms.BooleanField(label=_("Submit for review now"), required=False, initial=True)

    def __init__(self, *args, deputies, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_deputy"].queryset = deputies
        self.fields["category"].queryset = categories
