"""Attachments: what may be uploaded, and who may download it through the protected view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import workflow
from suggestions.files import validate_attachment
from suggestions.models import ProgressLog, SuggestionAttachment
from tests import factories as f

PDF = b"%PDF-1.4\n%%EOF\n"
SAMPLES = {
    "pdf": PDF,
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1word",
    "docx": b"PK\x03\x04word",
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1excel",
    "xlsx": b"PK\x03\x04excel",
    "jpg": b"\xff\xd8\xff\xe0jpeg",
    "jpeg": b"\xff\xd8\xff\xe0jpeg",
    "png": b"\x89PNG\r\n\x1a\npng",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("extension", list(SAMPLES))
def test_accepted_types(extension):
    validate_attachment(SimpleUploadedFile(f"答复函.{extension}", SAMPLES[extension]))
    validate_attachment(SimpleUploadedFile(f"答复函.{extension.upper()}", SAMPLES[extension]))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("脚本.exe", b"MZ", "file_type"),
        ("页面.html", b"<html>", "file_type"),
        ("没有扩展名", PDF, "file_type"),
        ("伪装.pdf", b"<html><script>", "file_content"),
        ("伪装.png", PDF, "file_content"),
        ("伪装.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "file_content"),
    ],
)
def test_refused_types(name, content, code):
    with pytest.raises(ValidationError) as refusal:
        validate_attachment(SimpleUploadedFile(name, content))
    assert refusal.value.code == code
    assert name in str(refusal.value.message % refusal.value.params)


def test_size_limit_follows_the_setting(settings):
    settings.ATTACHMENT_MAX_BYTES = 20
    validate_attachment(SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError) as too_big:
        validate_attachment(SimpleUploadedFile("a.pdf", PDF + b"x" * 10))
    assert too_big.value.code == "file_size"
    settings.ATTACHMENT_MAX_BYTES = 1000
    validate_attachment(SimpleUploadedFile("a.pdf", PDF + b"x" * 10))


@pytest.fixture
def stored(walk, cast):
    """A suggestion with an attachment, a progress file and a signed reply letter."""
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get()
    attachment = SuggestionAttachment.objects.create(
        suggestion=suggestion, file=SimpleUploadedFile("现场.jpg", SAMPLES["jpg"]), name="现场照片.jpg"
    )
    log = workflow.assignment_log_progress(
        assignment=lead, actor=cast["handler"], text="预算表", file=SimpleUploadedFile("预算.xlsx", SAMPLES["xlsx"])
    )
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("A"),
        content="已修",
        file=SimpleUploadedFile("答复函.pdf", PDF),
    )
    return {"attachment": attachment, "progress": log, "reply": reply}


def url(kind, row):
    return reverse("files:download", args=[kind, row.pk])


def content_of(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("handler", 200),  # the lead department
        ("deputy", 200),  # the lead deputy
        ("county", 200),
        ("township", 200),  # the suggestion's township
        ("superuser", 200),
        ("co_handler", 404),  # a department it was not assigned to
        ("township_handler", 404),
    ],
)
@pytest.mark.parametrize("kind", ["attachment", "progress", "reply"])
def test_download_permissions(client, cast, stored, who, expected, kind):
    if cast[who]:
        client.force_login(cast[who])
    response = client.get(url(kind, stored[kind]))
    assert response.status_code == expected
    if expected == 200:
        assert content_of(response) == {"attachment": SAMPLES["jpg"], "progress": SAMPLES["xlsx"], "reply": PDF}[kind]
        assert response["Cache-Control"] == "private, no-store"
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_other_deputies_cannot_download(client, stored, network):
    other = f.UserFactory(username="other_deputy")
    network["deputy_b"].user = other
    network["deputy_b"].save()
    client.force_login(other)
    assert client.get(url("reply", stored["reply"])).status_code == 404


def test_download_headers(client, cast, stored):
    client.force_login(cast["handler"])
    pdf = client.get(url("reply", stored["reply"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    sheet = client.get(url("progress", stored["progress"]))
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet["Content-Disposition"].startswith("attachment")
    photo = client.get(url("attachment", stored["attachment"]))
    assert "filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg" in photo["Content-Disposition"]


def test_missing_rows_kinds_and_files_are_404(client, cast, stored):
    client.force_login(cast["county"])
    assert client.get(reverse("files:download", args=["secrets", stored["reply"].pk])).status_code == 404
    assert client.get(reverse("files:download", args=["reply", 999999])).status_code == 404
    assert client.post(url("reply", stored["reply"])).status_code == 405
    without_file = ProgressLog.objects.create(
        assignment=stored["progress"].assignment, text="无附件", created_by=cast["handler"]
    )
    assert client.get(url("progress", without_file)).status_code == 404
    stored["reply"].file.storage.delete(stored["reply"].file.name)
    assert client.get(url("reply", stored["reply"])).status_code == 404


def test_media_files_are_not_served_publicly(client, cast, stored):
    name = stored["reply"].file.name
    assert client.get(f"/media/{name}").status_code == 404
    client.force_login(cast["handler"])
    assert client.get(f"/media/{name}").status_code == 404


def test_a_joined_suggestions_deputy_may_download_the_shared_reply(client, cast, walk, network):
    primary = walk("accepted")
    other = network["deputy_b"]
    other.user = f.UserFactory(username="deputy_b")
    other.save()
    follower = workflow.suggestion_create(
        actor=other.user,
        lead_deputy=other,
        title="东门村道路修缮",
        content="同上",
        category=f.category(),
        station=network["a_village"],
    )
    workflow.suggestion_accept(suggestion=follower, actor=cast["county"], tier="fast", jurisdiction="county")
    workflow.suggestion_join(suggestion=follower, primary=primary, actor=cast["county"])
    (lead,) = workflow.suggestion_assign(suggestion=primary, actor=cast["county"], lead=cast["dept"], mode="joint")
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    reply = workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("A"),
        content="已修",
        file=SimpleUploadedFile("答复函.pdf", PDF),
    )
    client.force_login(other.user)
    assert client.get(url("reply", reply)).status_code == 200
