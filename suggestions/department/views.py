"""Department pages (phone-friendly): the handlers' queue, one assignment, and its actions.

Only handlers (users in a department's ``contact_users``) get in: the queue answers 403 to
anyone else, and an assignment's page and actions answer 404 to anyone but the handlers of
its department. Every action is a POST that calls the workflow; a refusal
(:class:`~suggestions.workflow.WorkflowError`) or bad input re-renders the page with the
message and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from liaison.scope import Scope, scope_for

from .. import workflow
from ..deadlines import Deadlines
from ..files import display_name
from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Clock,
    Commitment,
    CommitmentStatus,
    Department,
    ExtensionStatus,
    Tier,
)
from ..selectors import COLOUR_LABELS, GREEN, RED, YELLOW, suggestion_detail_queryset, timeline
from ..selectors.department import (
    FINISHED_STATUSES,
    co_inputs,
    department_queue,
    handled_assignments,
    queue_counts,
)
from .forms import (
    CoInputForm,
    ContactForm,
    ExtensionForm,
    FulfilForm,
    ProgressForm,
    ReplyForm,
    ReturnForm,
    commitment_formset,
    reply_is_valid,
)

PAGE_SIZE = 20


def handler_scope(request) -> Scope:
    """The user's scope, or 403 for anyone who handles no department."""
    scope = scope_for(request.user)
    if not scope.department_ids:
        raise PermissionDenied(_("This page is for the handlers of the handling departments."))
    return scope


def handled_assignment(request, pk: int) -> Assignment:
    """One of the user's departments' assignments (with its colour); 404 for anyone else."""
    return get_object_or_404(handled_assignments(scope_for(request.user).department_ids), pk=pk)


def days_left_label(today: dt.date, due: dt.date, days: int) -> str:
    """“3 working days left”, “Due today”, “Overdue by 2 working days”."""
    if due < today:
        if days >= 0:
            return _("Overdue")
        return ngettext("Overdue by %(days)s working day", "Overdue by %(days)s working days", -days) % {"days": -days}
    if days == 0:
        return _("Due today")
    return ngettext("%(days)s working day left", "%(days)s working days left", days) % {"days": days}


def annotate_days_left(assignments, today: dt.date, deadlines: Deadlines) -> None:
    for assignment in assignments:
        days = deadlines.working_days_left(today, assignment.due_on)
        assignment.days_left = days
        assignment.days_label = days_left_label(today, assignment.due_on, days)
        assignment.colour_label = COLOUR_LABELS.get(getattr(assignment, "colour", ""), "")


# The queue
# ------------------------------------------------------------------------------


def choice(value: str, allowed) -> str:
    return value if value in allowed else ""


@login_required
@require_GET
def queue(request):
    """The departments' open assignments, overdue first then by due date; or the finished ones."""
    scope = handler_scope(request)
    today = timezone.localdate()
    deadlines = Deadlines()
    tab = "finished" if request.GET.get("tab") == "finished" else "open"
    query = request.GET.get("q", "").strip()[:50]
    role = choice(request.GET.get("role", ""), AssignmentRole.values)
    colour = choice(request.GET.get("colour", ""), (RED, YELLOW, GREEN)) if tab == "open" else ""
    statuses = OPEN_ASSIGNMENT_STATUSES if tab == "open" else FINISHED_STATUSES
    status = choice(request.GET.get("status", ""), statuses)

    items = department_queue(
        scope.department_ids,
        finished=tab == "finished",
        query=query,
        role=role,
        colour=colour,
        status=status,
        today=today,
        deadlines=deadlines,
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    if tab == "open":
        annotate_days_left(page.object_list, today, deadlines)
    departments = list(Department.objects.filter(pk__in=scope.department_ids).values_list("name", flat=True))
    return render(
        request,
        "department/queue.html",
        {
            "page": page,
            "tab": tab,
            "query": query,
            "role": role,
            "colour": colour,
            "status": status,
            "filtered": bool(query or role or colour or status),
            "counts": queue_counts(scope.department_ids, today, deadlines),
            "departments": departments,
            "show_department": len(departments) > 1,
            "roles": AssignmentRole.choices,
            "colours": [(key, COLOUR_LABELS[key]) for key in (RED, YELLOW, GREEN)],
            "statuses": [(value, AssignmentStatus(value).label) for value in statuses],
        },
    )


# One assignment
# ------------------------------------------------------------------------------


def return_window_end(assignment: Assignment, deadlines: Deadlines) -> dt.date:
    """The last day the department may return the assignment (as the workflow counts it)."""
    return deadlines.due(Clock.RETURN_WINDOW, timezone.localtime(assignment.assigned_at).date())


def is_supervised(assignment: Assignment) -> bool:
    return assignment.suggestion.tier == Tier.SUPERVISED


def blank_forms(assignment: Assignment, today: dt.date, cap: dt.date) -> dict:
    return {
        "return": ReturnForm(auto_id="return-%s"),
        "contact": ContactForm(initial={"contacted_on": today}, auto_id="contact-%s"),
        "progress": ProgressForm(supervised=is_supervised(assignment), auto_id="progress-%s"),
        "input": CoInputForm(auto_id="input-%s"),
        "reply": ReplyForm(auto_id="reply-%s"),
        "commitments": commitment_formset(),
        "extension": ExtensionForm(due_on=assignment.due_on, cap=cap, auto_id="extension-%s"),
    }


def replies_with_commitments(suggestion, assignments_by_id: dict, scope: Scope, bound_fulfil: FulfilForm | None):
    """The suggestion's replies with their ratings, and a fulfil form on each open commitment
    the user's department promised."""
    ratings: dict[int, list] = {}
    for feedback in suggestion.feedback.all():
        ratings.setdefault(feedback.reply_id, []).append(feedback)
    replies = list(suggestion.replies.all())
    for reply in replies:
        reply.ratings = ratings.get(reply.pk, [])
        reply.file_label = display_name(reply.file)
        reply_assignment = assignments_by_id.get(reply.assignment_id)
        ours = reply_assignment is not None and reply_assignment.department_id in scope.department_ids
        for commitment in reply.commitments.all():
            commitment.fulfil_form = None
            if ours and commitment.status == CommitmentStatus.OPEN:
                bound = bound_fulfil is not None and bound_fulfil.data.get("commitment") == str(commitment.pk)
                commitment.fulfil_form = (
                    bound_fulfil
                    if bound
                    else FulfilForm(initial={"commitment": commitment.pk}, auto_id=f"fulfil{commitment.pk}-%s")
                )
    return replies


def detail_context(request, assignment: Assignment, bound: dict | None = None) -> dict:
    """Everything the assignment page shows, with blank forms or the ``bound`` ones in error."""
    bound = bound or {}
    scope = scope_for(request.user)
    today = timezone.localdate()
    deadlines = Deadlines()
    suggestion = suggestion_detail_queryset().get(pk=assignment.suggestion_id)
    assignments = list(suggestion.assignments.all())
    assignments_by_id = {a.pk: a for a in assignments}
    others = [a for a in assignments if a.pk != assignment.pk]
    waiting_co = [a for a in others if a.role == AssignmentRole.CO and a.round == assignment.round and a.is_open]

    annotate_days_left([assignment], today, deadlines)
    accepted = assignment.status == AssignmentStatus.ACCEPTED
    cap = workflow.extension_cap(suggestion, assignment, deadlines)
    extensions = list(assignment.extension_requests.all())
    pending_extension = any(ext.status == ExtensionStatus.PENDING for ext in extensions)
    window_end = return_window_end(assignment, deadlines)

    progress = list(assignment.progress_logs.select_related("created_by"))
    inputs = list(co_inputs(suggestion.pk)) if assignment.is_lead else []
    for log in (*progress, *inputs):
        log.file_label = display_name(log.file)
    events = list(timeline(suggestion))

    forms = {**blank_forms(assignment, today, cap), **{k: v for k, v in bound.items() if k != "fulfil"}}
    can = {
        "accept": assignment.status == AssignmentStatus.PENDING,
        "return": assignment.is_open and today <= window_end,
        "contact": accepted,
        "progress": accepted,
        "input": accepted and assignment.role == AssignmentRole.CO,
        "reply": accepted and assignment.is_lead and not waiting_co,
        "extension": assignment.is_open and not pending_extension and cap > assignment.due_on,
    }
    report_errors_of_hidden_forms(request, bound, can)
    return {
        "assignment": assignment,
        "suggestion": suggestion,
        "others": others,
        "waiting_co": waiting_co,
        "joined": list(suggestion.joined.select_related("lead_deputy")),
        "source_opinions": list(suggestion.source_opinions.all()),
        "attachments": list(suggestion.attachments.all()),
        "progress": progress,
        "co_inputs": inputs,
        "contacts": list(assignment.contacts.select_related("created_by")),
        "extensions": extensions,
        "replies": replies_with_commitments(suggestion, assignments_by_id, scope, bound.get("fulfil")),
        "events": events,
        "forms": forms,
        "open_action": next(iter(bound), ""),
        "result_classes_with_commitments": [
            rc for rc in forms["reply"].fields["result_class"].queryset if rc.creates_commitments
        ],
        "extension_cap": cap,
        "return_until": window_end,
        "can": can,
        "pending_extension": pending_extension,
    }


def report_errors_of_hidden_forms(request, bound: dict, can: dict) -> None:
    """A refused action whose form the page no longer offers (the state changed meanwhile):
    its errors go to the messages at the top, so that they are seen."""
    for key, form in bound.items():
        if can.get(key, True) or not form.errors:
            continue
        for error in form.non_field_errors() or [_("This action is not possible at this stage.")]:
            messages.error(request, error)


def render_detail(request, assignment: Assignment, bound: dict | None = None):
    return render(request, "department/assignment.html", detail_context(request, assignment, bound))


@login_required
@require_GET
def assignment_detail(request, pk):
    return render_detail(request, handled_assignment(request, pk))


# Actions
# ------------------------------------------------------------------------------


def attempt(form, perform) -> bool:
    """Run a workflow call; on refusal put its message on the form and report failure."""
    try:
        perform()
    except workflow.WorkflowError as error:
        form.add_error(None, str(error))
        return False
    return True


def done(request, message: str, assignment: Assignment | None = None):
    """Say what happened and go back to the assignment (or, without one, to the queue)."""
    messages.success(request, message)
    if assignment is None:
        return redirect("department:queue")
    return redirect("department:assignment", pk=assignment.pk)


def accept(request, assignment):
    try:
        workflow.assignment_accept(assignment=assignment, actor=request.user)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return render_detail(request, assignment)
    return done(request, _("Accepted. Contact the deputy and log your progress here."), assignment)


def return_assignment(request, assignment):
    """Two steps: the reason on the page, then a confirmation page that sends it again."""
    form = ReturnForm(request.POST, auto_id="return-%s")
    if form.is_valid() and not form.cleaned_data["confirmed"]:
        return render(request, "department/confirm_return.html", {"assignment": assignment, "form": form})
    reason = form.cleaned_data.get("reason") if form.is_valid() else None
    if reason and attempt(
        form, lambda: workflow.assignment_return(assignment=assignment, actor=request.user, reason=reason)
    ):
        return done(request, _("Returned. The congress staff will reassign the suggestion."))
    return render_detail(request, assignment, {"return": form})


def log_contact(request, assignment):
    form = ContactForm(request.POST, auto_id="contact-%s")
    if form.is_valid() and attempt(
        form, lambda: workflow.assignment_log_contact(assignment=assignment, actor=request.user, **form.cleaned_data)
    ):
        return done(request, _("The contact with the deputy is recorded."), assignment)
    return render_detail(request, assignment, {"contact": form})


def log_progress(request, assignment):
    form = ProgressForm(request.POST, request.FILES, supervised=is_supervised(assignment), auto_id="progress-%s")
    if form.is_valid() and attempt(
        form,
        lambda: workflow.assignment_log_progress(
            assignment=assignment,
            actor=request.user,
            text=form.cleaned_data["text"],
            file=form.cleaned_data["file"],
            kind=form.kind,
        ),
    ):
        return done(request, _("Progress logged."), assignment)
    return render_detail(request, assignment, {"progress": form})


def submit_input(request, assignment):
    form = CoInputForm(request.POST, request.FILES, auto_id="input-%s")
    if form.is_valid() and attempt(
        form,
        lambda: workflow.assignment_submit_input(
            assignment=assignment, actor=request.user, text=form.cleaned_data["text"], file=form.cleaned_data["file"]
        ),
    ):
        return done(request, _("Your input was sent to the lead department. Your part is done."), assignment)
    return render_detail(request, assignment, {"input": form})


def reply(request, assignment):
    form = ReplyForm(request.POST, request.FILES, auto_id="reply-%s")
    commitments = commitment_formset(request.POST)
    if reply_is_valid(form, commitments) and attempt(
        form,
        lambda: workflow.assignment_reply(
            assignment=assignment,
            actor=request.user,
            result_class=form.cleaned_data["result_class"],
            content=form.cleaned_data["content"],
            file=form.cleaned_data["file"],
            commitments=commitments.commitments(),
        ),
    ):
        return done(request, _("The reply was sent; the deputy is asked to rate it."), assignment)
    return render_detail(request, assignment, {"reply": form, "commitments": commitments})


def request_extension(request, assignment):
    cap = workflow.extension_cap(assignment.suggestion, assignment)
    form = ExtensionForm(request.POST, due_on=assignment.due_on, cap=cap, auto_id="extension-%s")
    if form.is_valid() and attempt(
        form, lambda: workflow.extension_request(assignment=assignment, actor=request.user, **form.cleaned_data)
    ):
        return done(request, _("Extension requested. The congress staff will decide."), assignment)
    return render_detail(request, assignment, {"extension": form})


def fulfil_commitment(request, assignment):
    """Mark one of the suggestion's commitments fulfilled (its id comes with the form)."""
    form = FulfilForm(request.POST)
    if "commitment" in form.errors or not form.data.get("commitment"):
        messages.error(request, _("Choose a commitment to mark fulfilled."))
        return render_detail(request, assignment)
    commitment = get_object_or_404(
        Commitment.objects.select_related("reply__assignment", "suggestion"),
        pk=form.data["commitment"],
        suggestion_id=assignment.suggestion_id,
    )
    form.auto_id = f"fulfil{commitment.pk}-%s"
    if form.is_valid():
        try:
            workflow.commitment_fulfil(commitment=commitment, actor=request.user, note=form.cleaned_data["note"])
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            return done(request, _("The commitment is marked fulfilled."), assignment)
    return render_detail(request, assignment, {"fulfil": form})


ACTIONS = {
    "accept": accept,
    "return": return_assignment,
    "contact": log_contact,
    "progress": log_progress,
    "input": submit_input,
    "reply": reply,
    "extension": request_extension,
    "fulfil": fulfil_commitment,
}


@login_required
def assignment_action(request, pk, action):
    """POST one action; GET (a reload, a shared link) goes back to the assignment page."""
    assignment = handled_assignment(request, pk)
    perform = ACTIONS.get(action)
    if perform is None:
        raise Http404
    if request.method != "POST":
        return redirect("department:assignment", pk=assignment.pk)
    return perform(request, assignment)
