"""What the API shows: personal data masking, filters, search and ordering, query budgets,
the OpenAPI schema and its offline doc page."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone

from suggestions import workflow
from suggestions.models import AssignmentRole, Channel, Jurisdiction, Tier
from tests import factories as f

from .api_support import api, client_for


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# Personal data
# ------------------------------------------------------------------------------


@pytest.fixture
def voter_opinion(cast):
    return workflow.opinion_create(
        content="村口路灯不亮",
        channel=Channel.HOME_VISIT,
        station=cast["station"],
        actor=cast["county"],
        deputies=[cast["deputy_record"]],
        voter_name="王小明",
        voter_phone="13912345678",
    )


@pytest.mark.parametrize(
    ("role", "name", "phone"),
    [
        ("superuser", "王小明", "13912345678"),
        ("county", "王小明", "13912345678"),
        ("township", "王小明", "13912345678"),
        ("liaison", "王**", "139****5678"),
        ("deputy", "王**", "139****5678"),
    ],
)
def test_voters_data_is_masked_except_for_congress_staff(voter_opinion, cast, role, name, phone):
    client = client_for(cast[role])
    listed = client.get(api("opinions")).json()["results"][0]
    detail = client.get(api(f"opinions/{voter_opinion.pk}")).json()
    for body in (listed, detail):
        assert (body["voter_name"], body["voter_phone"]) == (name, phone)


def test_action_answers_are_masked_too(voter_opinion, cast):
    body = client_for(cast["deputy"]).post(api(f"opinions/{voter_opinion.pk}/accept")).json()
    assert (body["voter_name"], body["voter_phone"]) == ("王**", "139****5678")
    assert "13912345678" not in client_for(cast["deputy"]).get(api(f"opinions/{voter_opinion.pk}")).content.decode()


def test_suggestions_carry_no_voter_or_deputy_phones(walk, cast):
    suggestion = walk("in_progress")
    content = client_for(cast["handler"]).get(api(f"suggestions/{suggestion.pk}")).content.decode()
    assert cast["deputy_record"].phone not in content
    assert "张建国" in content


# Filters, search, ordering
# ------------------------------------------------------------------------------


@pytest.fixture
def spread(walk, cast, network):
    """Suggestions of different statuses, tiers, categories, townships and departments."""
    submitted = walk("submitted", title="修缮东门村道路")
    fast = walk("in_progress", title="增设东门小学路灯")
    immediate = walk("in_progress", tier=Tier.IMMEDIATE, co=True, title="清理河道垃圾")
    in_b = workflow.suggestion_create(
        actor=cast["county"],
        lead_deputy=network["deputy_b"],
        title="河口村饮水工程",
        content="c",
        category=f.category("水利"),
        station=network["b_village"],
    )
    workflow.suggestion_accept(
        suggestion=in_b,
        actor=cast["county"],
        tier=Tier.SUPERVISED,
        jurisdiction=Jurisdiction.COUNTY,
        supervising_leader=cast["county"],
    )
    return {"submitted": submitted, "fast": fast, "immediate": immediate, "in_b": in_b}


def test_suggestion_filters(spread, cast, network):
    client = client_for(cast["county"])
    s = {name: suggestion.pk for name, suggestion in spread.items()}
    assert ids(client.get(api("suggestions"), {"status": "submitted"})) == {s["submitted"]}
    assert ids(client.get(api("suggestions"), {"status": ["submitted", "accepted"]})) == {s["submitted"], s["in_b"]}
    assert ids(client.get(api("suggestions"), {"tier": "immediate"})) == {s["immediate"]}
    assert ids(client.get(api("suggestions"), {"category": f.category("水利").pk})) == {s["in_b"]}
    assert ids(client.get(api("suggestions"), {"township": network["b"].pk})) == {s["in_b"]}
    assert ids(client.get(api("suggestions"), {"township": network["a"].pk})) == {
        s["submitted"],
        s["fast"],
        s["immediate"],
    }
    assert ids(client.get(api("suggestions"), {"department": cast["co_dept"].pk})) == {s["immediate"]}
    assert ids(client.get(api("suggestions"), {"department": cast["dept"].pk})) == {s["fast"], s["immediate"]}
    assert ids(client.get(api("suggestions"), {"lead_deputy": network["deputy_b"].pk})) == {s["in_b"]}
    year = timezone.localdate().year
    assert ids(client.get(api("suggestions"), {"year": year})) == set(s.values())
    assert ids(client.get(api("suggestions"), {"year": year - 1})) == set()


def test_bad_filter_values_are_400(spread, cast):
    client = client_for(cast["county"])
    assert client.get(api("suggestions"), {"status": "nonsense"}).status_code == 400
    assert client.get(api("suggestions"), {"colour": "blue"}).status_code == 400
    assert client.get(api("suggestions"), {"year": "last"}).status_code == 400


def test_suggestion_search_and_ordering(spread, cast):
    client = client_for(cast["county"])
    assert ids(client.get(api("suggestions"), {"search": "路灯"})) == {spread["fast"].pk}
    assert ids(client.get(api("suggestions"), {"search": spread["in_b"].number})) == {spread["in_b"].pk}
    numbers = [row["number"] for row in client.get(api("suggestions"), {"ordering": "number"}).json()["results"]]
    assert numbers == sorted(numbers)
    numbers = [row["number"] for row in client.get(api("suggestions"), {"ordering": "-number"}).json()["results"]]
    assert numbers == sorted(numbers, reverse=True)


def test_colour_filters_agree_with_the_colours_shown(spread, cast, on_day):
    on_day(timezone.localdate() + dt.timedelta(days=10))  # the immediate tier is overdue, the fast one is not
    client = client_for(cast["county"])
    rows = client.get(api("suggestions")).json()["results"]
    colours = {row["id"]: row["colour"] for row in rows}
    assert colours[spread["immediate"].pk] == "red"
    assert colours[spread["fast"].pk] == "green"
    for colour in ("green", "yellow", "red"):
        expected = {pk for pk, shown in colours.items() if shown == colour}
        assert ids(client.get(api("suggestions"), {"colour": colour})) == expected
    assignments = client.get(api("assignments")).json()["results"]
    for colour in ("green", "yellow", "red"):
        expected = {row["id"] for row in assignments if row["colour"] == colour}
        assert ids(client.get(api("assignments"), {"colour": colour})) == expected


def test_assignment_filters(spread, cast):
    client = client_for(cast["county"])
    co = spread["immediate"].assignments.get(role=AssignmentRole.CO)
    assert ids(client.get(api("assignments"), {"department": cast["co_dept"].pk})) == {co.pk}
    assert ids(client.get(api("assignments"), {"role": "co"})) == {co.pk}
    assert ids(client.get(api("assignments"), {"status": "pending"})) == {co.pk}
    assert ids(client.get(api("assignments"), {"tier": "immediate"})) == set(
        spread["immediate"].assignments.values_list("pk", flat=True)
    )
    assert ids(client.get(api("assignments"), {"search": spread["fast"].number})) == set(
        spread["fast"].assignments.values_list("pk", flat=True)
    )


def test_opinion_filters(walk, cast, network):
    here = walk.opinion(content="东门村路灯不亮")
    there = workflow.opinion_create(
        content="河口村缺水", channel=Channel.PHONE, station=network["b_village"], actor=cast["county"]
    )
    workflow.opinion_decline(opinion=there, actor=cast["county"], reason="重复")
    client = client_for(cast["county"])
    assert ids(client.get(api("opinions"), {"status": "declined"})) == {there.pk}
    assert ids(client.get(api("opinions"), {"township": network["a"].pk})) == {here.pk}
    assert ids(client.get(api("opinions"), {"station": network["b_village"].pk})) == {there.pk}
    assert ids(client.get(api("opinions"), {"channel": "phone"})) == {there.pk}
    assert ids(client.get(api("opinions"), {"search": here.tracking_code})) == {here.pk}
    assert ids(client.get(api("opinions"), {"search": "缺水"})) == {there.pk}


def test_commitment_and_extension_filters(walk, cast, on_day):
    lead = walk("in_progress").assignments.get(role=AssignmentRole.LEAD)
    extension = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=3), reason="x"
    )
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入计划",
        commitments=[
            ("修路", timezone.localdate() + dt.timedelta(days=5)),
            ("装灯", timezone.localdate() + dt.timedelta(days=50)),
        ],
    )
    soon, late = reply.commitments.order_by("due_on")
    client = client_for(cast["county"])
    assert ids(client.get(api("extension-requests"), {"status": "pending"})) == {extension.pk}
    assert ids(client.get(api("extension-requests"), {"status": "approved"})) == set()
    assert ids(client.get(api("commitments"), {"status": "open"})) == {soon.pk, late.pk}
    on_day(timezone.localdate() + dt.timedelta(days=10))
    assert ids(client.get(api("commitments"), {"overdue": "true"})) == {soon.pk}
    assert ids(client.get(api("commitments"), {"overdue": "false"})) == {late.pk}
    assert client.get(api(f"commitments/{soon.pk}")).json()["overdue"] is True


def test_pages(walk, cast):
    for _ in range(3):
        walk("submitted")
    body = client_for(cast["county"]).get(api("suggestions"), {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]


# Query budgets: ~30 rows, a per-row query would blow each budget
# ------------------------------------------------------------------------------


@pytest.fixture
def thirty(walk, cast):
    """30 suggestions in every handling state, with co-handlers, and 30 extension requests and
    30 commitments on the ones being handled."""
    states = ["submitted", "assigned", "in_progress", "replied", "rated", "rehandling"]
    suggestions = [walk(state, co=state == "assigned") for state in states * 5]
    handled = [s for s in suggestions if s.assignments.filter(role=AssignmentRole.LEAD, status="accepted").exists()]
    for number, suggestion in enumerate(handled[:5]):
        lead = suggestion.assignments.get(role=AssignmentRole.LEAD, status="accepted")
        for day in range(1, 7):
            request = workflow.extension_request(
                assignment=lead,
                actor=cast["handler"],
                requested_due_on=lead.due_on + dt.timedelta(days=day),
                reason="x",
            )
            if day < 6:
                workflow.extension_decide(request=request, actor=cast["county"], approve=False, note="否")
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text="进展")
        if number % 2:
            promised = [(f"承诺{day}", timezone.localdate() + dt.timedelta(days=20 + day)) for day in range(15)]
            workflow.assignment_reply(
                assignment=lead,
                actor=cast["handler"],
                result_class=f.result_class("B"),
                content="列入计划",
                commitments=promised,
            )
    return suggestions


LIST_BUDGETS = {  # login (2) + the user's scope (4) + count + rows + prefetches
    "suggestions": 16,
    "opinions": 10,
    "assignments": 12,
    "extension-requests": 10,
    "commitments": 10,
    "categories": 6,
    "departments": 10,
    "result-classes": 6,
}


@pytest.mark.parametrize("role", ["county", "handler"])
def test_list_query_budgets(thirty, cast, django_assert_max_num_queries, role):
    client = client_for(cast[role])
    for resource, budget in LIST_BUDGETS.items():
        with django_assert_max_num_queries(budget):
            response = client.get(api(resource))
        assert response.status_code == 200
        if resource in ("suggestions", "assignments", "extension-requests", "commitments"):
            assert response.json()["count"] >= 25


def test_detail_query_budgets(thirty, cast, django_assert_max_num_queries):
    client = client_for(cast["county"])
    suggestion = max(thirty, key=lambda s: s.assignments.count())
    lead = suggestion.assignments.filter(role=AssignmentRole.LEAD).first()
    for path in (f"suggestions/{suggestion.pk}", f"suggestions/{suggestion.pk}/timeline", f"assignments/{lead.pk}"):
        with django_assert_max_num_queries(16):
            assert client.get(api(path)).status_code == 200


# Schema and doc page
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/suggestions/{id}/accept/", "/api/assignments/{id}/request-extension/", "/api/token/"):
        assert path in schema


def test_schema_is_served_to_signed_in_users_only(cast):
    assert client_for(None).get("/api/schema/", {"format": "json"}).status_code == 401
    response = client_for(cast["handler"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "/api/extension-requests/{id}/decide/" in response.json()["paths"]


def test_doc_page_is_served_from_local_files_to_signed_in_users(cast):
    assert client_for(None).get("/api/docs/").status_code == 401
    response = client_for(cast["county"]).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE), "an external host is referenced"
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    } <= set(assets)
    for asset in assets:
        assert finders.find(asset), asset
    # Swagger UI's start-up script is a file of its own (no inline script under the CSP)
    assert '<script src="/api/docs/?script="></script>' in html
    script = client_for(cast["county"]).get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()
