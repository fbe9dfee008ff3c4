"""Intermediate admin pages for the staff's actions: a form, then one workflow call per item.

Shared by the single-suggestion buttons and the bulk admin actions: each item is tried on its
own, and the page reports which succeeded and why the others were refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..workflow import WorkflowError


def run_for_each(request, items, action: Callable, label: str) -> tuple[int, list[str]]:
    """Call ``action(item)`` for each item; collect refusals as ``"number: message"``."""
    done, refusals = 0, []
    for item in items:
        try:
            action(item)
        except WorkflowError as error:
            refusals.append(f"{item}: {error}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(action)s: %(count)s done.") % {"action": label, "count": done})
    for refusal in refusals:
        messages.error(request, refusal)
    return done, refusals


def action_page(
    request,
    model_admin,
    *,
    title: str,
    form,
    items,
    back_url: str,
    template="admin/suggestions/action.html",
    extra=None,
):
    """Render an intermediate action page with the admin's look."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "items": items,
        "back_url": back_url,
        "opts": model_admin.model._meta,
        "ids": ",".join(str(item.pk) for item in items),
        **(extra or {}),
    }
    return TemplateResponse(request, template, context)


class CreatedThroughWorkflow:
    """Admin "add" pages whose save goes through a workflow function.

    The subclass's :meth:`create` calls the workflow with the form's data and returns the new
    object; a refusal is shown as a message on the add page, and nothing is written.
    """

    def create(self, request, data):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = self.create(request, form.cleaned_data)
        obj.pk = created.pk
        obj.__dict__.update(created.__dict__)

    def save_related(self, request, form, formsets, change):
        """The workflow saved the relations (co-signers, receiving deputies)."""

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(request.path)
