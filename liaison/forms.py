"""Form helpers shared by the apps' admin and page forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .textnorm import normalize_phone


def cleaned_phone(value: str) -> str:
    """The phone as stored (bare digits), or a form error in the user's language."""
    try:
        return normalize_phone(value)
    except ValueError as error:
        raise forms.ValidationError(
            _("This is not a valid phone number. Write a mobile number or a landline with its area code."),
            code="phone",
        ) from error


class PhoneNormalizingForm(forms.ModelForm):
    """A model form whose ``phone`` field is stored as bare digits (as the imports store it)."""

    def clean_phone(self):
        return cleaned_phone(self.cleaned_data.get("phone", ""))
