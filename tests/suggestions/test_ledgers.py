"""Ledgers and rates: the figures per department and township, and the exports."""

import io

import openpyxl
import pytest
from django.urls import reverse

from suggestions import workflow
from suggestions.ledgers import rates_by
from suggestions.models import Suggestion


def test_rates_per_department_and_township(walk, cast):
    closed = walk("closed")
    walk("replied")
    walk("in_progress")
    unhappy = walk("rehandling")
    lead = closed.assignments.get()
    workflow.assignment_log_contact(
        assignment=unhappy.assignments.get(round=2),
        actor=cast["handler"],
        contacted_on=lead.assigned_at.date(),
        method="face_to_face",
    )
    (row,) = rates_by(Suggestion.objects.all(), "department")
    assert row["name"] == "县交通运输局"
    assert (row["assigned"], row["replied"]) == (4, 3)
    assert row["reply_rate"] == 75.0
    assert row["on_time_rate"] == 100.0
    assert row["resolution_rate"] == 100.0
    assert row["satisfaction_rate"] == 50.0
    assert row["meeting_rate"] == 25.0
    (township,) = rates_by(Suggestion.objects.all(), "township")
    assert township["name"] == "城关镇中心联络站" and township["assigned"] == 4


def test_rates_query_count_is_fixed(walk, django_assert_max_num_queries):
    for _ in range(5):
        walk("closed")
    with django_assert_max_num_queries(4):
        rates_by(Suggestion.objects.all(), "department")


def test_ledger_page_and_exports(client, walk, cast):
    suggestion = walk("closed")
    workflow.opinion_create(
        content="路灯",
        channel="phone",
        station=cast["station"],
        actor=cast["county"],
        voter_name="王芳",
        voter_phone="13912345678",
    )
    year = suggestion.number[:4]
    client.force_login(cast["county"])
    url = reverse("admin:suggestions_suggestion_ledger")
    page = client.get(url, {"year": year})
    assert page.status_code == 200 and "县交通运输局" in page.content.decode()
    xlsx = client.get(url, {"year": year, "export": "suggestions.xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:3] == ["编号", "标题", "领衔代表"]
    assert row[0] == suggestion.number and "县交通运输局" in row
    csv_text = client.get(url, {"year": year, "export": "opinions.csv"}).content.decode("utf-8-sig")
    assert "13912345678" in csv_text  # county staff file the full ledger


def test_opinion_ledger_masks_for_liaison_officers(client, cast):
    workflow.opinion_create(
        content="路灯",
        channel="phone",
        station=cast["station"],
        actor=cast["county"],
        voter_name="王芳",
        voter_phone="13912345678",
    )
    client.force_login(cast["liaison"])
    response = client.get(reverse("admin:suggestions_suggestion_ledger"), {"export": "opinions.csv"})
    text = response.content.decode("utf-8-sig")
    assert "13912345678" not in text and "139****5678" in text and "王芳" not in text


def test_suggestion_ledger_export_query_count(client, walk, cast, django_assert_max_num_queries):
    for _ in range(6):
        walk("closed", co=False)
    client.force_login(cast["county"])
    year = Suggestion.objects.first().number[:4]
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:suggestions_suggestion_ledger"), {"year": year, "export": "suggestions.csv"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_opinion_ledger_writes_text_from_the_public_form_as_text(client, cast, fmt):
    """An anonymous voter's opinion that looks like a formula stays text in the ledger."""
    hostile = '=HYPERLINK("http://evil.example","查看")'
    workflow.opinion_create(content=hostile, channel="station_qr", station=cast["station"])
    client.force_login(cast["county"])
    response = client.get(reverse("admin:suggestions_suggestion_ledger"), {"export": f"opinions.{fmt}"})
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert '"\'=HYPERLINK(""http://evil.example"",""查看"")"' in text
    else:
        cells = [
            cell for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows() for cell in row
        ]
        assert hostile in [cell.value for cell in cells]
        assert not [cell for cell in cells if cell.data_type == "f"]
