"""Forms of the public pages: the QR-code opinion form and the tracking lookup."""

import re
import unicodedata

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.forms import cleaned_phone
from liaison.textnorm import clean_text

from ..models import Category
from ..workflow.opinions import MAX_CONTENT

HONEYPOT_FIELD = "homepage"


class PublicOpinionForm(forms.Form):
    """What a voter types after scanning a station's or a deputy's QR code.

    ``homepage`` is a honeypot: it is hidden from people, and a bot that fills it in is refused.
    """

    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_CONTENT}),
    )
    category = forms.ModelChoiceField(
        label=_("Subject"), queryset=Category.objects.none(), required=False, empty_label=_("— not sure —")
    )
    place = forms.CharField(label=_("Village or community"), max_length=100, required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only the congress staff see it, to call you back. It is never shown on public pages."),
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["content"].help_text = gettext("At most %(n)s characters.") % {"n": MAX_CONTENT}

    def clean_phone(self) -> str:
        return cleaned_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Your opinion could not be accepted. Please try again."))
        return cleaned


_CODE_NOISE = re.compile(r"[^0-9A-Z]")


def normalize_tracking_code(value: str) -> str:
    """Upper case, full-width folded, blanks and dashes removed: ``ab12 cd-34`` → ``AB12CD34``."""
    return _CODE_NOISE.sub("", unicodedata.normalize("NFKC", value or "").upper())


class TrackForm(forms.Form):
    """Look up an opinion or a suggestion by its tracking code (and the phone's last four digits)."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )
    digits = forms.CharField(
        label=_("Last four digits of your phone"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
        help_text=_("Only needed if you left a phone number with your opinion."),
    )

    def clean_code(self) -> str:
        code = normalize_tracking_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Please enter the tracking code."))
        return code

    def clean_digits(self) -> str:
        digits = clean_text(self.cleaned_data["digits"])
        if digits and not re.fullmatch(r"\d{4}", digits):
            raise forms.ValidationError(_("Enter the last four digits, or leave the field empty."))
        return digits
