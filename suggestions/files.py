"""Files attached to suggestions and their handling: what may be uploaded, and the one way to
download them.

Uploads are checked by extension, by their first bytes (a renamed web page is not a PDF) and by
size (``settings.ATTACHMENT_MAX_BYTES``, else ``settings.IMPORT_MAX_BYTES``). They are stored
under ``MEDIA_ROOT`` through the models' FileFields, which no URL serves: every download goes
through :func:`download`, which checks that the user may see the suggestion.
"""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .models import ProgressLog, Reply, Suggestion, SuggestionAttachment

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word and Excel files
ZIP = b"PK\x03\x04"  # docx and xlsx are zip archives

# extension → (content type, first bytes the file must start with, shown in the browser)
FILE_TYPES: dict[str, tuple[str, bytes, bool]] = {
    "pdf": ("application/pdf", b"%PDF", True),
    "doc": ("application/msword", OLE2, False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, False),
    "xls": ("application/vnd.ms-excel", OLE2, False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, False),
    "jpg": ("image/jpeg", b"\xff\xd8\xff", True),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff", True),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n", True),
}
ACCEPT = ",".join(f".{extension}" for extension in FILE_TYPES)


def attachment_max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def validate_attachment(upload) -> None:
    """Refuse files of another type, whose content does not match their name, or too large."""
    name = os.path.basename(upload.name or "")
    extension = extension_of(name)
    if extension not in FILE_TYPES:
        raise ValidationError(
            _("“%(name)s” cannot be attached: only PDF, Word, Excel, JPG and PNG files are accepted."),
            code="file_type",
            params={"name": name},
        )
    limit = attachment_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files of at most %(limit)s are accepted."),
            code="file_size",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    _content_type, signature, _inline = FILE_TYPES[extension]
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(position)
    if head != signature:
        raise ValidationError(
            _("“%(name)s” is not a real .%(extension)s file; please attach the original document."),
            code="file_content",
            params={"name": name, "extension": extension},
        )


class AttachmentField(forms.FileField):
    """An optional file of an accepted type and size, with the browser's picker limited to them."""

    default_validators = [validate_attachment]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("PDF, Word, Excel, JPG or PNG, at most %(limit)s.") % {"limit": filesizeformat(attachment_max_bytes())},
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)


def display_name(field_file) -> str:
    """The file's own name, without the storage folders."""
    return os.path.basename(field_file.name) if field_file else ""


# Download
# ------------------------------------------------------------------------------

# kind in the URL → (model, lookup of the suggestion id from the row)
KINDS = {
    "attachment": (SuggestionAttachment, "suggestion_id"),
    "progress": (ProgressLog, "assignment__suggestion_id"),
    "reply": (Reply, "suggestion_id"),
}


def may_download(user, suggestion_id: int) -> bool:
    """Whoever may follow the suggestion, or a suggestion joined to it (which shares its reply)."""
    return Suggestion.objects.visible_to(user).filter(Q(pk=suggestion_id) | Q(primary_id=suggestion_id)).exists()


@login_required
@require_GET
def download(request, kind: str, pk: int):
    """Send one stored file to a user who may see its suggestion; 404 for anyone else."""
    if kind not in KINDS:
        raise Http404
    model, suggestion_lookup = KINDS[kind]
    row = model.objects.filter(pk=pk).values_list("file", suggestion_lookup).first()
    if row is None or not row[0] or not may_download(request.user, row[1]):
        raise Http404
    stored_name = row[0]
    filename = os.path.basename(stored_name)
    if model is SuggestionAttachment:
        filename = model.objects.filter(pk=pk).values_list("name", flat=True).first() or filename
    storage = model._meta.get_field("file").storage
    try:
        handle = storage.open(stored_name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type, _signature, inline = FILE_TYPES.get(
        extension_of(stored_name), ("application/octet-stream", b"", False)
    )
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


app_name = "files"

urlpatterns = [path("<str:kind>/<int:pk>/", download, name="download")]
