"""Spreadsheet widgets that name deputies, for the reference-table imports."""

import re

from django.utils.translation import gettext as _

from liaison.spreadsheets.resources import ScopedWidget
from liaison.textnorm import clean_text, compact_text, mask_phone, normalize_phone

from .models import Deputy

PHONE_AT_END = re.compile(r"^(?P<name>.*?)[\s(:：]*(?P<phone>\+?[\d\s\-]{7,})\)?$")


class DeputyWidget(ScopedWidget):
    """A deputy written as name and phone (``张建国 13800000001``) or phone alone."""

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if not text:
            return None
        match = PHONE_AT_END.match(text)
        try:
            phone = normalize_phone(match.group("phone")) if match else ""
        except ValueError:
            phone = ""
        if not phone:
            raise ValueError(_("Give the deputy’s phone (with or without the name): “%(value)s”.") % {"value": text})
        deputies = Deputy.objects.all() if self.user is None else Deputy.objects.visible_to(self.user)
        deputy = deputies.filter(phone=phone).first()
        name = compact_text(match.group("name"))
        if deputy is None or (name and compact_text(deputy.name) != name):
            raise ValueError(_("No deputy “%(value)s” found.") % {"value": text})
        return deputy

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        phone = mask_phone(value.phone) if self.mask_phones else value.phone
        return f"{value.name} {phone}".strip()
