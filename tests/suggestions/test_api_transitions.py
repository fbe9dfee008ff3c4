"""Transitions through the API: the same trail as the workflow, and refusals that change nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from suggestions import workflow
from suggestions.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Channel,
    Commitment,
    ExtensionRequest,
    HandlingMode,
    Jurisdiction,
    Opinion,
    OpinionStatus,
    Suggestion,
    SuggestionStatus,
    Tier,
)
from suggestions.workflow import IllegalTransition, Invalid
from tests import factories as f

from .api_support import api, client_for, snapshot

TODAY = timezone.localdate


def post(cast, role, path, payload=None, expected=200):
    response = client_for(cast[role]).post(api(path), payload or {}, format="json")
    assert response.status_code == expected, response.content
    return response.json()


# The whole lifecycle, once through the workflow and once through the API
# ------------------------------------------------------------------------------


def lifecycle_via_workflow(cast) -> Suggestion:
    opinion = workflow.opinion_create(
        content="村口道路坑洼",
        channel=Channel.RECEPTION_DAY,
        station=cast["station"],
        actor=cast["deputy"],
        deputies=[cast["deputy_record"]],
    )
    suggestion = workflow.suggestion_create(
        actor=cast["deputy"],
        lead_deputy=cast["deputy_record"],
        title="修缮东门村道路",
        content="建议修缮。",
        category=f.category(),
        station=cast["station"],
        opinions=[opinion],
    )
    workflow.suggestion_accept(suggestion=suggestion, actor=cast["county"], tier=Tier.FAST, jurisdiction="county")
    lead, co = workflow.suggestion_assign(
        suggestion=suggestion,
        actor=cast["county"],
        lead=cast["dept"],
        co_handlers=[cast["co_dept"]],
        mode=HandlingMode.JOINT,
    )
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    workflow.assignment_submit_input(assignment=co, actor=cast["co_handler"], text="资金已落实")
    workflow.assignment_log_contact(
        assignment=lead, actor=cast["handler"], contacted_on=TODAY(), method="face_to_face", note="现场见面"
    )
    workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text="已现场勘查")
    lead.refresh_from_db()
    extension = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=5), reason="需招标"
    )
    workflow.extension_decide(request=extension, actor=cast["county"], approve=True)
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="已列入计划。",
        commitments=[("年内完成修缮", TODAY() + dt.timedelta(days=60))],
    )
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="satisfied")
    workflow.commitment_fulfil(commitment=reply.commitments.get(), actor=cast["handler"], note="已完成")
    workflow.suggestion_publish_reply(suggestion=suggestion, actor=cast["county"], publish=True)
    workflow.suggestion_close(suggestion=suggestion, actor=cast["county"])
    return suggestion


def lifecycle_via_api(cast) -> Suggestion:
    opinion = post(
        cast,
        "deputy",
        "opinions",
        {
            "content": "村口道路坑洼",
            "channel": "reception_day",
            "station": cast["station"].pk,
            "deputies": [cast["deputy_record"].pk],
        },
        expected=201,
    )
    assert opinion["status"] == OpinionStatus.RECEIVED
    suggestion = post(
        cast,
        "deputy",
        "suggestions",
        {
            "title": "修缮东门村道路",
            "content": "建议修缮。",
            "category": f.category().pk,
            "station": cast["station"].pk,
            "opinions": [opinion["id"]],
        },
        expected=201,
    )
    assert suggestion["status"] == SuggestionStatus.SUBMITTED
    path = f"suggestions/{suggestion['id']}"
    accepted = post(cast, "county", f"{path}/accept", {"tier": "fast", "jurisdiction": "county"})
    assert accepted["status"] == SuggestionStatus.ACCEPTED
    assigned = post(
        cast,
        "county",
        f"{path}/assign",
        {
            "lead": cast["dept"].pk,
            "co_handlers": [cast["co_dept"].pk],
            "mode": "joint",
        },
    )
    assert assigned["status"] == SuggestionStatus.ASSIGNED
    lead = next(a for a in assigned["assignments"] if a["role"] == "lead")
    co = next(a for a in assigned["assignments"] if a["role"] == "co")
    assert post(cast, "handler", f"assignments/{lead['id']}/accept")["status"] == AssignmentStatus.ACCEPTED
    post(cast, "co_handler", f"assignments/{co['id']}/accept")
    assert post(cast, "co_handler", f"assignments/{co['id']}/input", {"text": "资金已落实"})["status"] == "done"
    contacted = post(
        cast,
        "handler",
        f"assignments/{lead['id']}/contact",
        {
            "contacted_on": TODAY().isoformat(),
            "method": "face_to_face",
            "note": "现场见面",
        },
    )
    assert [c["method"] for c in contacted["contacts"]] == ["face_to_face"]
    progressed = post(cast, "handler", f"assignments/{lead['id']}/progress", {"text": "已现场勘查"})
    assert [p["text"] for p in progressed["progress_logs"]] == ["已现场勘查"]
    due_on = dt.date.fromisoformat(progressed["due_on"])
    requested = post(
        cast,
        "handler",
        f"assignments/{lead['id']}/request-extension",
        {
            "requested_due_on": (due_on + dt.timedelta(days=5)).isoformat(),
            "reason": "需招标",
        },
    )
    extension_id = requested["extension_requests"][0]["id"]
    assert post(cast, "county", f"extension-requests/{extension_id}/decide", {"approve": True})["status"] == "approved"
    replied = post(
        cast,
        "handler",
        f"assignments/{lead['id']}/reply",
        {
            "result_class": "B",
            "content": "已列入计划。",
            "commitments": [{"content": "年内完成修缮", "due_on": (TODAY() + dt.timedelta(days=60)).isoformat()}],
        },
    )
    assert replied["reply"]["result_class"]["code"] == "B"
    assert post(cast, "deputy", f"{path}/rate", {"rating": "satisfied"})["status"] == SuggestionStatus.RATED
    commitment_id = replied["reply"]["commitments"][0]["id"]
    assert post(cast, "handler", f"commitments/{commitment_id}/fulfil", {"note": "已完成"})["status"] == "fulfilled"
    assert post(cast, "county", f"{path}/publish", {"publish": True})["reply_published"] is True
    closed = post(cast, "county", f"{path}/close", {})
    assert closed["status"] == SuggestionStatus.CLOSED
    return Suggestion.objects.get(pk=suggestion["id"])


def trail(suggestion: Suggestion):
    """The suggestion's events and final state, without ids and timestamps."""
    suggestion.refresh_from_db()
    events = [
        (
            e.action,
            e.from_status,
            e.to_status,
            e.actor.username,
            e.assignment.department.name if e.assignment else "",
            e.note,
            e.is_public,
        )
        for e in suggestion.events.select_related("actor", "assignment__department")
    ]
    opinion_events = [
        (e.action, e.from_status, e.to_status, e.actor.username)
        for opinion in suggestion.source_opinions.all()
        for e in opinion.events.select_related("actor")
    ]
    assignments = [
        (a.department.name, a.role, a.status, a.due_on) for a in suggestion.assignments.select_related("department")
    ]
    extensions = list(
        ExtensionRequest.objects.filter(assignment__suggestion=suggestion).values_list("status", "granted_due_on")
    )
    commitments = list(
        Commitment.objects.filter(suggestion=suggestion).values_list("content", "status", "fulfilled_note")
    )
    state = (suggestion.status, suggestion.tier, suggestion.handling_mode, suggestion.reply_published)
    return events, opinion_events, assignments, extensions, commitments, state


def test_the_api_leaves_exactly_the_workflows_trail(cast):
    expected = trail(lifecycle_via_workflow(cast))
    actual = trail(lifecycle_via_api(cast))
    assert actual == expected
    actions = [event[0] for event in actual[0]]
    assert actions[:5] == ["create", "submit", "accept", "assign", "start_handling"]
    assert actions[-1] == "close"


# Other transitions, one by one
# ------------------------------------------------------------------------------


def test_reject_records_the_reason(walk, cast):
    suggestion = walk("submitted")
    body = post(cast, "county", f"suggestions/{suggestion.pk}/reject", {"reason": "不属于代表建议范围"})
    assert body["status"] == SuggestionStatus.REJECTED
    event = suggestion.events.last()
    assert (event.action, event.from_status, event.to_status, event.note) == (
        "reject",
        "submitted",
        "rejected",
        "不属于代表建议范围",
    )


def test_join_points_to_the_primary(walk, cast):
    primary, duplicate = walk("accepted"), walk("submitted", title="修缮东门村主干道")
    body = post(cast, "county", f"suggestions/{duplicate.pk}/join", {"primary": primary.pk})
    assert body["status"] == SuggestionStatus.JOINED
    assert body["primary"] == {"id": primary.pk, "number": primary.number}


def test_opinion_answer_and_decline(walk, cast):
    answered, declined = walk.opinion(), walk.opinion()
    body = post(cast, "liaison", f"opinions/{answered.pk}/answer", {"answer": "已联系村委会处理"})
    assert (body["status"], body["answer"]) == (OpinionStatus.ANSWERED, "已联系村委会处理")
    body = post(cast, "township", f"opinions/{declined.pk}/decline", {"reason": "属于司法程序"})
    assert (body["status"], body["decline_reason"]) == (OpinionStatus.DECLINED, "属于司法程序")
    assert list(declined.events.values_list("action", flat=True)) == ["create", "decline"]


def test_deputy_opinion_lists_the_deputy_as_receiver(cast):
    body = post(
        cast,
        "deputy",
        "opinions",
        {"content": "路灯不亮", "channel": "phone", "station": cast["station"].pk},
        expected=201,
    )
    assert [d["id"] for d in body["deputies"]] == [cast["deputy_record"].pk]
    assert Opinion.objects.get(pk=body["id"]).created_by == cast["deputy"]


def test_unsatisfied_rating_opens_a_new_round(walk, cast):
    suggestion = walk("replied")
    body = post(cast, "deputy", f"suggestions/{suggestion.pk}/rate", {"rating": "unsatisfied", "comment": "仍有积水"})
    assert body["status"] == SuggestionStatus.REHANDLING
    assert body["lead_assignment"]["round"] == 2
    assert body["colour"] == "green"


def test_lead_return_sends_it_back_for_reassignment(walk, cast):
    suggestion = walk("assigned")
    lead = suggestion.assignments.get(role=AssignmentRole.LEAD)
    body = post(cast, "handler", f"assignments/{lead.pk}/return", {"reason": "不属于本单位职责"})
    assert (body["status"], body["return_reason"]) == (AssignmentStatus.RETURNED, "不属于本单位职责")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED


def test_extension_refused_keeps_the_due_date(walk, cast):
    lead = walk("in_progress").assignments.get(role=AssignmentRole.LEAD)
    request = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=3), reason="x"
    )
    body = post(cast, "county", f"extension-requests/{request.pk}/decide", {"approve": False, "note": "理由不充分"})
    assert (body["status"], body["decision_note"]) == ("refused", "理由不充分")
    assert Assignment.objects.get(pk=lead.pk).due_on == lead.due_on


def test_publish_can_be_withdrawn(walk, cast):
    suggestion = walk("replied")
    assert post(cast, "county", f"suggestions/{suggestion.pk}/publish", {"publish": True})["reply_published"] is True
    assert post(cast, "county", f"suggestions/{suggestion.pk}/publish", {"publish": False})["reply_published"] is False


def fellow_deputy(cast):
    """A deputy stationed with the cast's deputy: one they may name as co-signer."""
    fellow = f.DeputyFactory()
    f.AssignmentFactory(deputy=fellow, station=cast["station"])
    return fellow


def test_draft_is_kept_then_submitted(cast):
    body = post(
        cast,
        "deputy",
        "suggestions",
        {
            "title": "草稿",
            "content": "内容",
            "category": f.category().pk,
            "station": cast["station"].pk,
            "co_signers": [cast["deputy_record"].pk, fellow_deputy(cast).pk],
            "submit": False,
        },
        expected=201,
    )
    assert (body["status"], body["number"]) == (SuggestionStatus.DRAFT, None)
    assert len(body["co_signers"]) == 1  # the lead deputy does not co-sign their own suggestion
    body = post(cast, "deputy", f"suggestions/{body['id']}/submit")
    assert body["status"] == SuggestionStatus.SUBMITTED
    assert body["number"]


def test_a_deputy_cannot_name_a_deputy_they_share_no_station_or_group_with(walk, cast, network):
    """The page offers only deputies of the same stations and groups; the API refuses others."""
    stranger = network["deputy_b"]  # stationed in township B
    before = snapshot()
    response = client_for(cast["deputy"]).post(
        api("suggestions"),
        {
            "title": "t",
            "content": "c",
            "category": f.category().pk,
            "station": cast["station"].pk,
            "co_signers": [stranger.pk],
        },
        format="json",
    )
    assert response.status_code == 400 and "co_signers" in response.json()
    assert snapshot() == before
    draft = walk("draft")
    refused = client_for(cast["deputy"]).patch(
        api(f"suggestions/{draft.pk}"), {"co_signers": [stranger.pk]}, format="json"
    )
    assert refused.status_code == 400
    assert not draft.co_signers.exists()


def test_staff_must_name_the_lead_deputy(cast):
    before = snapshot()
    response = client_for(cast["county"]).post(
        api("suggestions"),
        {
            "title": "t",
            "content": "c",
            "category": f.category().pk,
            "station": cast["station"].pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "lead_deputy" in response.json()
    assert snapshot() == before


# Editing drafts: never the status
# ------------------------------------------------------------------------------


def test_a_draft_can_be_edited_but_its_status_cannot(walk, cast):
    draft = walk("draft")
    other = fellow_deputy(cast)
    response = client_for(cast["deputy"]).patch(
        api(f"suggestions/{draft.pk}"),
        {"title": "修缮东门村主干道", "status": "closed", "number": "2000-0001", "co_signers": [other.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.number) == ("修缮东门村主干道", SuggestionStatus.DRAFT, None)
    assert list(draft.co_signers.all()) == [other]


def test_only_drafts_can_be_edited(walk, cast):
    submitted = walk("submitted")
    before = snapshot()
    response = client_for(cast["county"]).patch(api(f"suggestions/{submitted.pk}"), {"title": "新"}, format="json")
    assert response.status_code == 409
    assert snapshot() == before


def test_a_draft_title_cannot_be_blanked(walk, cast):
    draft = walk("draft")
    before = snapshot()
    response = client_for(cast["deputy"]).patch(api(f"suggestions/{draft.pk}"), {"title": ""}, format="json")
    assert response.status_code == 400
    assert snapshot() == before


# Illegal transitions: 409 with the workflow's message, nothing changed
# ------------------------------------------------------------------------------


def _illegal_cases():
    def close_submitted(walk, cast):
        s = walk("submitted")
        return (
            "county",
            f"suggestions/{s.pk}/close",
            {"note": "x"},
            lambda: workflow.suggestion_close(suggestion=s, actor=cast["county"], note="x"),
        )

    def submit_twice(walk, cast):
        s = walk("submitted")
        return (
            "deputy",
            f"suggestions/{s.pk}/submit",
            {},
            lambda: workflow.suggestion_submit(suggestion=s, actor=cast["deputy"]),
        )

    def assign_unaccepted(walk, cast):
        s = walk("submitted")
        return (
            "county",
            f"suggestions/{s.pk}/assign",
            {"lead": cast["dept"].pk, "mode": "joint"},
            lambda: workflow.suggestion_assign(suggestion=s, actor=cast["county"], lead=cast["dept"], mode="joint"),
        )

    def accept_merged_opinion(walk, cast):
        opinion = walk("submitted").source_opinions.get()
        return (
            "county",
            f"opinions/{opinion.pk}/accept",
            {},
            lambda: workflow.opinion_accept(opinion=opinion, actor=cast["county"]),
        )

    def accept_assignment_twice(walk, cast):
        lead = walk("in_progress").assignments.get(role=AssignmentRole.LEAD)
        return (
            "handler",
            f"assignments/{lead.pk}/accept",
            {},
            lambda: workflow.assignment_accept(assignment=lead, actor=cast["handler"]),
        )

    return [close_submitted, submit_twice, assign_unaccepted, accept_merged_opinion, accept_assignment_twice]


@pytest.mark.parametrize("case", _illegal_cases(), ids=lambda case: case.__name__)
def test_illegal_transition_is_409_and_changes_nothing(walk, cast, case):
    role, path, payload, direct = case(walk, cast)
    with pytest.raises(IllegalTransition) as refusal:
        direct()
    before = snapshot()
    response = client_for(cast[role]).post(api(path), payload, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": str(refusal.value)}
    assert snapshot() == before


# Bad input: 400, nothing changed
# ------------------------------------------------------------------------------


def future(days):
    return (TODAY() + dt.timedelta(days=days)).isoformat()


BAD_INPUT = {
    # name: (state walked to, role, path template, payload, key expected in the answer)
    "reject blank reason": ("submitted", "county", "suggestions/{s}/reject", {"reason": "  "}, "detail"),
    "reject no reason": ("submitted", "county", "suggestions/{s}/reject", {}, "reason"),
    "accept unknown tier": (
        "submitted",
        "county",
        "suggestions/{s}/accept",
        {"tier": "urgent", "jurisdiction": "county"},
        "tier",
    ),
    "supervised without leader": (
        "submitted",
        "county",
        "suggestions/{s}/accept",
        {"tier": "supervised", "jurisdiction": "county"},
        "detail",
    ),
    "join to itself": ("submitted", "county", "suggestions/{s}/join", {"primary": "{s}"}, "detail"),
    "assign unknown department": (
        "accepted",
        "county",
        "suggestions/{s}/assign",
        {"lead": 99999, "mode": "joint"},
        "lead",
    ),
    "assign a township government to a county suggestion": (
        "accepted",
        "county",
        "suggestions/{s}/assign",
        {"lead": "{township_gov}", "mode": "joint"},
        "detail",
    ),
    "assign without mode": ("accepted", "county", "suggestions/{s}/assign", {"lead": "{dept}"}, "mode"),
    "close unrated without note": ("replied", "county", "suggestions/{s}/close", {}, "detail"),
    "rate unsatisfied without comment": (
        "replied",
        "deputy",
        "suggestions/{s}/rate",
        {"rating": "unsatisfied"},
        "detail",
    ),
    "rate unknown": ("replied", "deputy", "suggestions/{s}/rate", {"rating": "great"}, "rating"),
    "contact in the future": (
        "in_progress",
        "handler",
        "assignments/{lead}/contact",
        {"contacted_on": future(2), "method": "phone"},
        "detail",
    ),
    "contact bad date": (
        "in_progress",
        "handler",
        "assignments/{lead}/contact",
        {"contacted_on": "yesterday", "method": "phone"},
        "contacted_on",
    ),
    "progress blank": ("in_progress", "handler", "assignments/{lead}/progress", {"text": ""}, "detail"),
    "reply B without commitments": (
        "in_progress",
        "handler",
        "assignments/{lead}/reply",
        {"result_class": "B", "content": "列入计划"},
        "detail",
    ),
    "reply commitment in the past": (
        "in_progress",
        "handler",
        "assignments/{lead}/reply",
        {"result_class": "B", "content": "列入计划", "commitments": [{"content": "修路", "due_on": future(-1)}]},
        "detail",
    ),
    "reply unknown class": (
        "in_progress",
        "handler",
        "assignments/{lead}/reply",
        {"result_class": "Z", "content": "x"},
        "result_class",
    ),
    "extension beyond the cap": (
        "in_progress",
        "handler",
        "assignments/{lead}/request-extension",
        {"requested_due_on": future(400), "reason": "x"},
        "detail",
    ),
    "extension before the due date": (
        "in_progress",
        "handler",
        "assignments/{lead}/request-extension",
        {"requested_due_on": future(1), "reason": "x"},
        "detail",
    ),
    "input from the lead": ("in_progress", "handler", "assignments/{lead}/input", {"text": "x"}, "detail"),
}


def fill(value, ids):
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize("name", list(BAD_INPUT))
def test_bad_input_is_400_and_changes_nothing(walk, cast, name):
    state, role, path, payload, key = BAD_INPUT[name]
    suggestion = walk(state)
    lead = suggestion.assignments.filter(role=AssignmentRole.LEAD).first()
    ids = {
        "s": suggestion.pk,
        "lead": lead.pk if lead else None,
        "dept": cast["dept"].pk,
        "township_gov": cast["township_gov"].pk,
    }
    before = snapshot()
    response = client_for(cast[role]).post(api(path.format(**ids)), fill(payload, ids), format="json")
    assert response.status_code == 400, response.content
    assert key in response.json()
    if key == "detail":
        assert response.json()["detail"]
    assert snapshot() == before


def test_refusing_an_extension_needs_a_reason(walk, cast):
    lead = walk("in_progress").assignments.get(role=AssignmentRole.LEAD)
    request = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=3), reason="x"
    )
    with pytest.raises(Invalid) as refusal:
        workflow.extension_decide(request=request, actor=cast["county"], approve=False)
    before = snapshot()
    response = client_for(cast["county"]).post(api(f"extension-requests/{request.pk}/decide"), {"approve": False})
    assert response.status_code == 400
    assert response.json() == {"detail": str(refusal.value)}
    assert snapshot() == before


def test_fulfilling_needs_a_note(walk, cast):
    lead = walk("in_progress").assignments.get(role=AssignmentRole.LEAD)
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入计划",
        commitments=[("修路", TODAY() + dt.timedelta(days=30))],
    )
    before = snapshot()
    response = client_for(cast["handler"]).post(api(f"commitments/{reply.commitments.get().pk}/fulfil"), {"note": ""})
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "key"),
    [
        ({"channel": "phone"}, "content"),
        ({"content": "路灯不亮", "channel": "fax"}, "channel"),
        ({"content": "路灯不亮", "channel": "phone", "voter_phone": "12345"}, "detail"),
        ({"content": "   ", "channel": "phone"}, "detail"),
    ],
)
def test_bad_opinions_are_refused(cast, payload, key):
    before = snapshot()
    response = client_for(cast["county"]).post(
        api("opinions"), {"station": cast["station"].pk, **payload}, format="json"
    )
    assert response.status_code == 400, response.content
    assert key in response.json()
    assert snapshot() == before


def test_a_station_outside_the_scope_cannot_be_chosen(network, cast):
    before = snapshot()
    response = client_for(cast["township"]).post(
        api("opinions"), {"content": "路灯不亮", "channel": "phone", "station": network["b_village"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "station" in response.json()
    assert snapshot() == before


def test_jurisdiction_township_for_a_station_outside_townships(cast, network):
    suggestion = workflow.suggestion_create(
        actor=cast["county"],
        lead_deputy=cast["deputy_record"],
        title="t",
        content="c",
        category=f.category(),
        station=network["hub"],
    )
    with pytest.raises(Invalid) as refusal:
        workflow.suggestion_accept(
            suggestion=suggestion, actor=cast["county"], tier=Tier.FAST, jurisdiction=Jurisdiction.TOWNSHIP
        )
    response = client_for(cast["county"]).post(
        api(f"suggestions/{suggestion.pk}/accept"), {"tier": "fast", "jurisdiction": "township"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": str(refusal.value)}
