"""Import and export buttons in the admin.

:class:`SpreadsheetAdminMixin` gives a model admin the bulk spreadsheet flow of the roster
and the station network: upload → preview (a dry run: counts, the first rows with their
outcome, every error with its line) → confirm → write → back to the list. Between preview
and confirm the upload waits under ``MEDIA_ROOT/imports/`` under a random token kept in the
user's session; it is deleted after the import (or when the preview shows errors), and
leftovers older than a day are swept at the next upload.

:class:`ScopedImportExportMixin` adapts django-import-export's admin (used for the small
reference tables) to our rights, formats and language.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.scope import can_see_personal_data

from .resources import TabularCSV, TabularXLSX
from .tabular import FORMATS, ImportResult, TabularError, ensure_size

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SESSION_KEY = "spreadsheet_imports"
PREVIEW_ROWS = 100
STALE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Spreadsheet:
    """How one model is imported and exported as a spreadsheet.

    ``import_file(source, *, user, dry_run, name)`` returns an :class:`ImportResult`;
    ``export(queryset, fmt)`` and ``template(fmt)`` return the file's bytes. With
    ``has_personal_data``, ``export`` also takes ``mask_phones`` and gets it for users
    without the right to personal data. ``title`` names the downloads (e.g. 代表名册).
    """

    title: str
    import_file: Callable[..., ImportResult]
    export: Callable[..., bytes]
    template: Callable[[str], bytes]
    has_personal_data: bool = False


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        allow_empty_file=True,  # the reader explains an empty file in its own words
        help_text=gettext_lazy("A CSV file (UTF-8 or GBK) or an Excel workbook (.xlsx) with the template’s headers."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            ensure_size(upload.size)
        except TabularError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class SpreadsheetAdminMixin:
    """Import, export and template views for a model admin with ``spreadsheet`` set.

    Import needs the add and change rights of :mod:`liaison.scope`; export and the
    template need the view right. Exports hold what the change list shows (the user's area,
    with the list's filters).
    """

    spreadsheet: Spreadsheet

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.spreadsheet_import_view), name=f"{prefix}_import"),
            path("import/confirm/", wrap(self.spreadsheet_confirm_view), name=f"{prefix}_import_confirm"),
            path("export/<str:fmt>/", wrap(self.spreadsheet_export_view), name=f"{prefix}_export"),
            path("import-template/<str:fmt>/", wrap(self.spreadsheet_template_view), name=f"{prefix}_template"),
            *super().get_urls(),
        ]

    def spreadsheet_url(self, name: str) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", current_app=self.admin_site.name)

    def has_spreadsheet_import_permission(self, request) -> bool:
        rights = self._rights(request)
        return "a" in rights and "c" in rights

    def has_spreadsheet_export_permission(self, request) -> bool:
        return "v" in self._rights(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "spreadsheet_can_import": self.has_spreadsheet_import_permission(request),
            "spreadsheet_can_export": self.has_spreadsheet_export_permission(request),
        }
        return super().changelist_view(request, extra_context)

    # Views ------------------------------------------------------------------------
    def spreadsheet_import_view(self, request):
        if not self.has_spreadsheet_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            token = stash_upload(request, upload, self.opts.label_lower)
            stored = stashed_path(request, token, self.opts.label_lower)
            result = self.spreadsheet.import_file(stored, user=request.user, dry_run=True, name=upload.name)
            if not result.ok:
                discard_upload(request, token)
                return self.render_preview(request, result, file_name=upload.name, form=UploadForm())
            return self.render_preview(request, result, file_name=upload.name, token=token)
        return self.render_import_page(request, "admin/import/upload.html", {"form": form})

    def spreadsheet_confirm_view(self, request):
        if not self.has_spreadsheet_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(self.spreadsheet_url("import"))
        token = request.POST.get("token", "")
        stored = stashed_path(request, token, self.opts.label_lower)
        if stored is None:
            self.message_user(request, _("The uploaded file has expired; upload it again."), messages.WARNING)
            return HttpResponseRedirect(self.spreadsheet_url("import"))
        file_name = request.session[SESSION_KEY][token]["name"]
        try:
            result = self.spreadsheet.import_file(stored, user=request.user, dry_run=False, name=file_name)
        finally:
            discard_upload(request, token)
        if not result.ok:
            # The data changed between preview and confirm; show why, write nothing.
            return self.render_preview(request, result, file_name=file_name, form=UploadForm())
        self.message_user(request, result.summary(), messages.SUCCESS)
        return HttpResponseRedirect(self.spreadsheet_url("changelist"))

    def spreadsheet_export_view(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        if not self.has_spreadsheet_export_permission(request):
            raise PermissionDenied
        queryset = self.spreadsheet_export_queryset(request)
        masking = {"mask_phones": not can_see_personal_data(request.user)} if self.spreadsheet.has_personal_data else {}
        data = self.spreadsheet.export(queryset, fmt, **masking)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return download(data, f"{self.spreadsheet.title}-{stamp}.{fmt}", fmt)

    def spreadsheet_template_view(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        if not self.has_spreadsheet_export_permission(request):
            raise PermissionDenied
        name = _("%(title)s import template") % {"title": self.spreadsheet.title}
        return download(self.spreadsheet.template(fmt), f"{name}.{fmt}", fmt)

    # Helpers ----------------------------------------------------------------------
    def spreadsheet_export_queryset(self, request):
        """What the change list shows with the request's filters, as a plain queryset."""
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            queryset = self.get_queryset(request)
        return self.model._default_manager.filter(pk__in=queryset.order_by().values("pk"))

    def render_preview(self, request, result: ImportResult, *, file_name: str, token=None, form=None):
        context = {
            "result": result,
            "errors": result.sorted_errors(),
            "preview_rows": result.rows[:PREVIEW_ROWS],
            "more_rows": max(0, len(result.rows) - PREVIEW_ROWS),
            "file_name": file_name,
            "token": token,
            "form": form,
        }
        return self.render_import_page(request, "admin/import/preview.html", context)

    def render_import_page(self, request, template: str, context: dict):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(name)s") % {"name": self.opts.verbose_name_plural},
            "spreadsheet": self.spreadsheet,
            "max_bytes": settings.IMPORT_MAX_BYTES,
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)


def download(data: bytes, file_name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


# Upload stash -----------------------------------------------------------------------
def imports_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def stash_upload(request, upload, model_label: str) -> str:
    """Keep the upload until the user confirms; return the token that finds it again."""
    sweep_stale_uploads()
    token = secrets.token_urlsafe(16)
    suffix = Path(upload.name).suffix.lower() if Path(upload.name).suffix.lower() in (".csv", ".xlsx") else ""
    target = imports_dir() / f"{token}{suffix}"
    with target.open("wb") as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
    stash = request.session.get(SESSION_KEY, {})
    stash[token] = {"file": target.name, "name": upload.name, "model": model_label, "user": request.user.pk}
    request.session[SESSION_KEY] = stash
    return token


def stashed_path(request, token: str, model_label: str) -> Path | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["model"] != model_label or entry["user"] != request.user.pk:
        return None
    stored = imports_dir() / entry["file"]
    return stored if stored.exists() else None


def discard_upload(request, token: str) -> None:
    stash = request.session.get(SESSION_KEY, {})
    entry = stash.pop(token, None)
    request.session[SESSION_KEY] = stash
    if entry:
        (imports_dir() / entry["file"]).unlink(missing_ok=True)


def sweep_stale_uploads() -> None:
    """Remove uploads that were previewed but never confirmed."""
    cutoff = time.time() - STALE_SECONDS
    for stored in imports_dir().iterdir():
        if stored.is_file() and stored.stat().st_mtime < cutoff:
            stored.unlink(missing_ok=True)


# django-import-export ---------------------------------------------------------------
class ScopedImportExportMixin:
    """django-import-export's admin with our rights, formats and messages.

    Rights come from :mod:`liaison.scope` (import-export would ask for Django model
    permissions, which role users do not have); files are read by :mod:`liaison.spreadsheets.tabular`;
    the resource gets the user, so that look-ups stay in the user's area and phones are
    masked for users without the right to personal data.
    """

    import_formats = [TabularCSV, TabularXLSX]
    export_formats = [TabularCSV, TabularXLSX]
    to_encoding = "utf-8-sig"

    def has_import_permission(self, request):
        rights = self._rights(request)
        return "a" in rights and "c" in rights

    def has_export_permission(self, request):
        return "v" in self._rights(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user, "mask_phones": not can_see_personal_data(request.user)}

    def write_to_tmp_storage(self, import_file, input_format):
        input_format.file_name = import_file.name
        return super().write_to_tmp_storage(import_file, input_format)

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, TabularError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)
