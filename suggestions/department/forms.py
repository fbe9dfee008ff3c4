"""Forms of the department pages. They check the input a handler can get wrong and show it per
field; the workflow checks everything again (rights, state, rules) when the action runs."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..files import AttachmentField
from ..models import ContactMethod, ProgressKind, ResultClass

MAX_COMMITMENTS = 20

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReturnForm(forms.Form):
    """Return a misdirected suggestion; ``confirmed`` is set on the confirmation page."""

    reason = forms.CharField(
        label=_("Why it is not your department's work"), max_length=1000, widget=text_area(), strip=True
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("Date of the contact"), widget=DATE_INPUT)
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices)
    note = forms.CharField(label=_("What was discussed"), required=False, max_length=2000, widget=text_area())

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of the contact cannot be in the future."))
        return day


class ProgressForm(forms.Form):
    """Progress; on a supervised suggestion it may be the progress report to the supervisor."""

    text = forms.CharField(label=_("Progress"), max_length=5000, widget=text_area(4))
    file = AttachmentField(label=_("File (optional)"))

    def __init__(self, *args, supervised: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if supervised:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Kind"),
                choices=[(kind, kind.label) for kind in (ProgressKind.PROGRESS, ProgressKind.SUPERVISION_REPORT)],
                initial=ProgressKind.PROGRESS,
            )
            self.order_fields(["kind", "text", "file"])

    @property
    def kind(self) -> str:
        return self.cleaned_data.get("kind") or ProgressKind.PROGRESS


class CoInputForm(forms.Form):
    text = forms.CharField(
        label=_("Your department's input to the lead department"), max_length=5000, widget=text_area(5)
    )
    file = AttachmentField(label=_("File (optional)"))


class ReplyForm(forms.Form):
    result_class = forms.ModelChoiceField(
        label=_("Result"), queryset=ResultClass.objects.all(), empty_label=_("Choose the result")
    )
    content = forms.CharField(label=_("Reply to the deputy"), max_length=20000, widget=text_area(8))
    file = AttachmentField(label=_("Signed reply letter (optional)"))


class CommitmentForm(forms.Form):
    """One promise of a reply: what, and by when. Both or neither."""

    content = forms.CharField(label=_("What is promised"), required=False, max_length=300)
    due_on = forms.DateField(label=_("By"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        content, due_on = cleaned.get("content"), cleaned.get("due_on")
        if content and not due_on and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date by which it will be done."))
        if due_on and not content:
            self.add_error("content", _("Say what is promised."))
        if due_on and due_on <= timezone.localdate():
            self.add_error("due_on", _("The date must be in the future."))
        return cleaned

    @property
    def is_filled(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("content"))


class BaseCommitmentFormSet(forms.BaseFormSet):
    def commitments(self) -> list[tuple[str, dt.date]]:
        return [(form.cleaned_data["content"], form.cleaned_data["due_on"]) for form in self.forms if form.is_filled]


CommitmentFormSet = forms.formset_factory(
    CommitmentForm, formset=BaseCommitmentFormSet, extra=3, max_num=MAX_COMMITMENTS, validate_max=True
)


def commitment_formset(data=None) -> BaseCommitmentFormSet:
    return CommitmentFormSet(data, prefix="commitments")


def reply_is_valid(form: ReplyForm, commitments: BaseCommitmentFormSet) -> bool:
    """Validate the reply with its commitments: a result class that creates commitments needs one."""
    valid = form.is_valid() & commitments.is_valid()
    result_class = form.cleaned_data.get("result_class") if hasattr(form, "cleaned_data") else None
    if valid and result_class and result_class.creates_commitments and not commitments.commitments():
        form.add_error(
            "result_class",
            _("A “%(result)s” reply must list what is promised and by when, below.") % {"result": result_class},
        )
        return False
    return valid


class ExtensionForm(forms.Form):
    """Ask for a later due date, after the current one and within the rules' cap."""

    requested_due_on = forms.DateField(label=_("New due date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Why more time is needed"), max_length=2000, widget=text_area())

    def __init__(self, *args, due_on: dt.date, cap: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.due_on, self.cap = due_on, cap
        field = self.fields["requested_due_on"]
        field.help_text = _("After %(due)s, at the latest %(cap)s.") % {"due": due_on, "cap": cap}
        field.widget.attrs.update(min=(due_on + dt.timedelta(days=1)).isoformat(), max=cap.isoformat())

    def clean_requested_due_on(self):
        day = self.cleaned_data["requested_due_on"]
        if day <= self.due_on:
            raise forms.ValidationError(_("Ask for a date after the current due date %(due)s.") % {"due": self.due_on})
        if day > self.cap:
            raise forms.ValidationError(_("The rules allow an extension to %(cap)s at the latest.") % {"cap": self.cap})
        return day


class FulfilForm(forms.Form):
    commitment = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("How it was fulfilled"), max_length=2000, widget=text_area(2))
