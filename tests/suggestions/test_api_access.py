"""Who may see and do what through the API: each role × each endpoint and action.

Anonymous → 401; an object outside the user's scope → 404; a visible object the user may not
act on → 403 (the workflow's refusal); the right role → 200/201.
"""

import datetime as dt

import pytest
from django.utils import timezone

from suggestions import workflow
from suggestions.models import AssignmentRole, ExtensionRequest, HandlingMode, Jurisdiction, Tier
from tests import factories as f

from .api_support import api, client_for

ROLES = ["anonymous", "superuser", "county", "township", "liaison", "deputy", "handler", "other_handler"]


def actor(cast, role):
    return cast["co_handler"] if role == "other_handler" else cast[role]


def lead_of(suggestion):
    return suggestion.assignments.get(role=AssignmentRole.LEAD, status__in=["pending", "accepted"])


def with_pending_extension(walk, cast):
    lead = lead_of(walk("in_progress"))
    return workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=5), reason="需协调资金"
    )


def with_open_commitment(walk, cast):
    lead = lead_of(walk("in_progress"))
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="已列入明年计划。",
        commitments=[("明年六月前完成修缮", timezone.localdate() + dt.timedelta(days=60))],
    )
    return reply.commitments.get()


def co_assignment_accepted(walk, cast):
    suggestion = walk("in_progress", co=True)
    co = suggestion.assignments.get(role=AssignmentRole.CO)
    return workflow.assignment_accept(assignment=co, actor=cast["co_handler"])


def new_opinion_payload(walk, cast):
    return "opinions", {"content": "路灯不亮", "channel": "reception_day", "station": cast["station"].pk}


def new_suggestion_payload(walk, cast):
    return "suggestions", {
        "title": "增设路灯",
        "content": "建议在东门村主干道增设路灯。",
        "category": f.category().pk,
        "station": cast["station"].pk,
        "lead_deputy": cast["deputy_record"].pk,
    }


# name: (set-up returning (path, payload), expected code per role in ROLES order)
ACTIONS = {
    "opinion create": (new_opinion_payload, (401, 201, 201, 201, 201, 201, 403, 403)),
    "opinion accept": (
        lambda w, c: (f"opinions/{w.opinion().pk}/accept", {}),
        (401, 200, 200, 200, 200, 200, 404, 404),
    ),
    "opinion answer": (
        lambda w, c: (f"opinions/{w.opinion().pk}/answer", {"answer": "已当场解答"}),
        (401, 200, 200, 200, 200, 200, 404, 404),
    ),
    "opinion decline": (
        lambda w, c: (f"opinions/{w.opinion().pk}/decline", {"reason": "不属于人大职责"}),
        (401, 200, 200, 200, 200, 200, 404, 404),
    ),
    # township staff enter suggestions for the deputies of their township (any jurisdiction)
    "suggestion create": (new_suggestion_payload, (401, 201, 201, 201, 403, 201, 403, 403)),
    "suggestion submit": (
        lambda w, c: (f"suggestions/{w('draft').pk}/submit", {}),
        (401, 200, 200, 200, 403, 200, 404, 404),
    ),
    "suggestion accept": (
        lambda w, c: (
            f"suggestions/{w('submitted').pk}/accept",
            {"tier": Tier.FAST, "jurisdiction": Jurisdiction.COUNTY},
        ),
        (401, 200, 200, 403, 403, 403, 404, 404),
    ),
    "suggestion reject": (
        lambda w, c: (f"suggestions/{w('submitted').pk}/reject", {"reason": "不属于代表建议范围"}),
        (401, 200, 200, 403, 403, 403, 404, 404),
    ),
    "suggestion join": (
        lambda w, c: (f"suggestions/{w('submitted').pk}/join", {"primary": w("accepted", title="修缮东门村主干道").pk}),
        (401, 200, 200, 403, 403, 403, 404, 404),
    ),
    "suggestion assign": (
        lambda w, c: (
            f"suggestions/{w('accepted').pk}/assign",
            {"lead": c["dept"].pk, "mode": HandlingMode.TAKE_AND_DO},
        ),
        (401, 200, 200, 403, 403, 403, 404, 404),
    ),
    "suggestion rate": (
        lambda w, c: (f"suggestions/{w('replied').pk}/rate", {"rating": "satisfied"}),
        (401, 200, 200, 403, 403, 200, 403, 404),
    ),
    "suggestion publish": (
        lambda w, c: (f"suggestions/{w('replied').pk}/publish", {"publish": True}),
        (401, 200, 200, 403, 403, 403, 403, 404),
    ),
    "suggestion close": (
        lambda w, c: (f"suggestions/{w('rated').pk}/close", {}),
        (401, 200, 200, 403, 403, 403, 403, 404),
    ),
    "assignment accept": (
        lambda w, c: (f"assignments/{lead_of(w('assigned')).pk}/accept", {}),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment return": (
        lambda w, c: (f"assignments/{lead_of(w('assigned')).pk}/return", {"reason": "不属于本单位职责"}),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment contact": (
        lambda w, c: (
            f"assignments/{lead_of(w('in_progress')).pk}/contact",
            {"contacted_on": timezone.localdate().isoformat(), "method": "phone"},
        ),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment progress": (
        lambda w, c: (f"assignments/{lead_of(w('in_progress')).pk}/progress", {"text": "已现场勘查"}),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment reply": (
        lambda w, c: (f"assignments/{lead_of(w('in_progress')).pk}/reply", {"result_class": "A", "content": "已修缮"}),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment request-extension": (
        lambda w, c: (
            f"assignments/{lead_of(w('in_progress')).pk}/request-extension",
            {"requested_due_on": (timezone.localdate() + dt.timedelta(days=40)).isoformat(), "reason": "需协调资金"},
        ),
        (401, 403, 403, 403, 404, 404, 200, 404),
    ),
    "assignment input": (
        lambda w, c: (f"assignments/{co_assignment_accepted(w, c).pk}/input", {"text": "资金已落实"}),
        (401, 403, 403, 403, 404, 404, 404, 200),
    ),
    "extension decide": (
        lambda w, c: (f"extension-requests/{with_pending_extension(w, c).pk}/decide", {"approve": True}),
        (401, 200, 200, 403, 404, 404, 403, 404),
    ),
    "commitment fulfil": (
        lambda w, c: (f"commitments/{with_open_commitment(w, c).pk}/fulfil", {"note": "已完成"}),
        (401, 200, 200, 403, 403, 403, 200, 404),
    ),
}

MATRIX = [
    pytest.param(name, role, codes[index], id=f"{name}-{role}")
    for name, (_setup, codes) in ACTIONS.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "expected"), MATRIX)
def test_action_matrix(walk, cast, name, role, expected):
    setup, _codes = ACTIONS[name]
    path, payload = setup(walk, cast)
    response = client_for(actor(cast, role)).post(api(path), payload, format="json")
    assert response.status_code == expected, response.content


def test_township_staff_enter_township_suggestions_for_a_deputy(walk, cast):
    _path, payload = new_suggestion_payload(walk, cast)
    response = client_for(cast["township"]).post(
        api("suggestions"), {**payload, "jurisdiction": Jurisdiction.TOWNSHIP}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["lead_deputy"]["id"] == cast["deputy_record"].pk
    assert response.json()["status"] == "submitted"


def test_draft_edit_matrix(walk, cast):
    # whoever may submit a draft may edit it: township staff too, as for "suggestion submit"
    expected = dict(zip(ROLES, (401, 200, 200, 200, 403, 200, 404, 404), strict=True))
    for role, code in expected.items():
        draft = walk("draft")
        response = client_for(actor(cast, role)).patch(
            api(f"suggestions/{draft.pk}"), {"title": "新标题"}, format="json"
        )
        assert response.status_code == code, (role, response.content)


# What each role sees: lists and details
# ------------------------------------------------------------------------------

SEES = {
    "opinions": {"superuser", "county", "township", "liaison", "deputy"},
    "suggestions": {"superuser", "county", "township", "liaison", "deputy", "handler"},
    "assignments": {"superuser", "county", "township", "handler"},
    "extension-requests": {"superuser", "county", "township", "handler"},
    "commitments": {"superuser", "county", "township", "liaison", "deputy", "handler"},
}


@pytest.fixture
def one_of_each(walk, cast):
    """A suggestion with its opinion, lead assignment, a decided extension request and a commitment."""
    extension = with_pending_extension(walk, cast)
    workflow.extension_decide(request=extension, actor=cast["county"], approve=False, note="理由不充分")
    lead = extension.assignment
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="已列入计划。",
        commitments=[("年内完成", timezone.localdate() + dt.timedelta(days=60))],
    )
    suggestion = lead.suggestion
    return {
        "opinions": suggestion.source_opinions.get().pk,
        "suggestions": suggestion.pk,
        "assignments": lead.pk,
        "extension-requests": ExtensionRequest.objects.get().pk,
        "commitments": reply.commitments.get().pk,
    }


@pytest.mark.parametrize("resource", list(SEES))
@pytest.mark.parametrize("role", ROLES)
def test_lists_and_details_show_only_what_the_role_may_see(one_of_each, cast, resource, role):
    client = client_for(actor(cast, role))
    listing = client.get(api(resource))
    detail = client.get(api(f"{resource}/{one_of_each[resource]}"))
    if role == "anonymous":
        assert (listing.status_code, detail.status_code) == (401, 401)
        return
    assert listing.status_code == 200
    visible = role in SEES[resource]
    assert [row["id"] for row in listing.json()["results"]] == ([one_of_each[resource]] if visible else [])
    assert detail.status_code == (200 if visible else 404)


@pytest.mark.parametrize("role", ROLES)
def test_timeline_follows_the_suggestion_visibility(one_of_each, cast, role):
    response = client_for(actor(cast, role)).get(api(f"suggestions/{one_of_each['suggestions']}/timeline"))
    expected = 401 if role == "anonymous" else 200 if role in SEES["suggestions"] else 404
    assert response.status_code == expected


def test_timeline_hides_internal_steps_from_deputies(one_of_each, cast):
    path = api(f"suggestions/{one_of_each['suggestions']}/timeline")
    staff_actions = [e["action"] for e in client_for(cast["county"]).get(path).json()]
    deputy_actions = [e["action"] for e in client_for(cast["deputy"]).get(path).json()]
    assert "request_extension" in staff_actions
    assert "request_extension" not in deputy_actions
    assert {"submit", "accept", "assign", "reply"} <= set(deputy_actions)


@pytest.mark.parametrize("resource", ["categories", "result-classes", "departments"])
def test_reference_lists_need_a_login(db, resource):
    assert client_for(None).get(api(resource)).status_code == 401


def test_reference_lists(cast):
    codes = [row["code"] for row in client_for(cast["deputy"]).get(api("result-classes")).json()["results"]]
    assert codes == ["A", "B", "C", "D"]
    assert client_for(cast["deputy"]).get(api("categories")).json()["count"] > 0
    county_departments = {row["name"] for row in client_for(cast["county"]).get(api("departments")).json()["results"]}
    assert {"县交通运输局", "县财政局", "城关镇人民政府"} <= county_departments
    own = {row["name"] for row in client_for(cast["co_handler"]).get(api("departments")).json()["results"]}
    assert own == {"县财政局"}
    assert client_for(cast["deputy"]).get(api("departments")).json()["count"] == 0


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("resource", ["opinions", "suggestions", "assignments", "extension-requests", "commitments"])
def test_no_raw_writes(one_of_each, cast, method, resource):
    client = client_for(cast["superuser"])
    response = getattr(client, method)(api(f"{resource}/{one_of_each[resource]}"), {"status": "closed"}, format="json")
    assert response.status_code == 405


@pytest.mark.parametrize("resource", ["opinions", "assignments", "extension-requests", "commitments"])
def test_no_patch_outside_drafts(one_of_each, cast, resource):
    response = client_for(cast["superuser"]).patch(
        api(f"{resource}/{one_of_each[resource]}"), {"status": "closed"}, format="json"
    )
    assert response.status_code == 405
