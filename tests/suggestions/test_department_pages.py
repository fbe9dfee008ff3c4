"""The department handlers' pages: queue, assignment page, actions, permissions, query budgets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from suggestions import workflow
from suggestions.models import (
    Assignment,
    AssignmentStatus,
    Commitment,
    CommitmentStatus,
    ContactRecord,
    ExtensionRequest,
    Opinion,
    ProgressLog,
    Reply,
    SuggestionEvent,
    SuggestionStatus,
    Tier,
)
from suggestions.selectors import GREEN, RED, YELLOW
from tests import factories as f

QUEUE = reverse("department:queue")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail_url(assignment):
    return reverse("department:assignment", args=[assignment.pk])


def action_url(assignment, action):
    return reverse("department:action", args=[assignment.pk, action])


def lead_of(suggestion):
    return suggestion.assignments.get(role="lead", status__in=["pending", "accepted"])


def co_of(suggestion):
    return suggestion.assignments.get(role="co")


def login(client, user):
    client.force_login(user)
    return client


def snapshot(assignment):
    """What an action may change, to check that a refused one changed nothing."""
    assignment.refresh_from_db()
    suggestion = assignment.suggestion
    suggestion.refresh_from_db()
    return (
        assignment.status,
        assignment.due_on,
        suggestion.status,
        SuggestionEvent.objects.filter(suggestion=suggestion).count(),
        ContactRecord.objects.count(),
        ProgressLog.objects.count(),
        ExtensionRequest.objects.count(),
        Reply.objects.count(),
        Commitment.objects.filter(status=CommitmentStatus.OPEN).count(),
    )


def reply_data(result="A", content="已完成道路修缮。", commitments=()):
    data = {
        "result_class": f.result_class(result).pk,
        "content": content,
        "commitments-TOTAL_FORMS": str(max(3, len(commitments))),
        "commitments-INITIAL_FORMS": "0",
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "20",
    }
    for index, (text, due) in enumerate(commitments):
        data[f"commitments-{index}-content"] = text
        data[f"commitments-{index}-due_on"] = due
    return data


def has_errors(response, name):
    """The page was re-rendered with errors on ``name``'s form, and they are shown on it."""
    assert response.status_code == 200
    form = response.context["forms"][name]
    html = response.content.decode()
    shown = [str(error) for errors in form.errors.values() for error in errors if escape(str(error)) in html]
    return bool(form.errors) and bool(shown)


# The queue
# ------------------------------------------------------------------------------


@pytest.fixture
def three_colours(walk, on_day):
    """Three assignments of 县交通运输局 that are red, yellow and green on 10 March 2026."""
    on_day(dt.date(2026, 1, 5))
    red = walk("assigned", title="修缮东门村道路")  # due 4 Feb
    on_day(dt.date(2026, 2, 10))
    yellow = walk("assigned", title="增设河口村路灯")  # due 12 Mar
    on_day(dt.date(2026, 3, 9))
    green = walk("assigned", title="整治城东排水沟")  # due 8 Apr
    on_day(dt.date(2026, 3, 10))
    return red, yellow, green


def test_queue_lists_overdue_first_with_colours_and_working_days(client, cast, three_colours):
    red, yellow, green = three_colours
    response = login(client, cast["handler"]).get(QUEUE)
    assert response.status_code == 200
    items = list(response.context["page"].object_list)
    assert [a.suggestion_id for a in items] == [red.pk, yellow.pk, green.pk]
    assert [a.colour for a in items] == [RED, YELLOW, GREEN]
    assert items[0].days_left < 0
    assert items[1].days_left == 2  # Wednesday 11 and Thursday 12 March
    assert items[2].days_left > 3
    html = response.content.decode()
    for item in items:
        assert str(item.days_label) in html
        assert item.suggestion.number in html
    assert response.context["counts"] == {"open": 3, "red": 1, "yellow": 1, "finished": 0}


def test_queue_search_and_filters(client, cast, three_colours):
    red, yellow, green = three_colours
    login(client, cast["handler"])

    def listed(**params):
        return [a.suggestion_id for a in client.get(QUEUE, params).context["page"].object_list]

    assert listed(q=yellow.number) == [yellow.pk]
    assert listed(q="排水") == [green.pk]
    assert listed(colour="red") == [red.pk]
    assert listed(colour="green") == [green.pk]
    assert listed(role="co") == []
    assert listed(role="lead") == [red.pk, yellow.pk, green.pk]
    workflow.assignment_accept(assignment=lead_of(green), actor=cast["handler"])
    assert listed(status="accepted") == [green.pk]
    assert listed(status="pending") == [red.pk, yellow.pk]
    assert listed(colour="nonsense", status="nonsense") == [red.pk, yellow.pk, green.pk]


def test_queue_empty_states(client, cast, walk):
    login(client, cast["handler"])
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert 'class="empty"' in response.content.decode()
    walk("assigned")
    response = client.get(QUEUE, {"q": "没有这个标题"})
    assert not response.context["page"].object_list
    assert response.context["filtered"]
    assert 'class="empty"' in response.content.decode()


def test_queue_paginates_and_finished_tab(client, cast, walk):
    suggestions = [walk("assigned", title=f"道路修缮第{n}项") for n in range(22)]
    done = walk("replied", title="已答复的道路建议")
    login(client, cast["handler"])
    first = client.get(QUEUE).context["page"]
    assert first.paginator.count == 22
    assert len(first.object_list) == 20
    second = client.get(QUEUE, {"page": 2}).context["page"]
    assert len(second.object_list) == 2
    assert done.pk not in {a.suggestion_id for a in first.object_list} | {a.suggestion_id for a in second.object_list}
    finished = client.get(QUEUE, {"tab": "finished"})
    assert [a.suggestion_id for a in finished.context["page"].object_list] == [done.pk]
    assert finished.context["counts"]["finished"] == 1
    assert client.get(QUEUE, {"tab": "finished", "status": "returned"}).context["page"].paginator.count == 0
    assert suggestions  # the 22 open ones were all counted above


def test_queue_query_budget(client, cast, walk, django_assert_max_num_queries):
    for n in range(20):
        walk("assigned", co=n % 2 == 0, title=f"第{n}条建议")
    login(client, cast["handler"])
    client.get(QUEUE)  # warm the session
    with django_assert_max_num_queries(16):  # constant: a per-row query would add 20
        response = client.get(QUEUE)
    assert len(response.context["page"].object_list) == 20


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("superuser", 403),
        ("county", 403),
        ("township", 403),
        ("liaison", 403),
        ("deputy", 403),
        ("handler", 200),
        ("co_handler", 200),
        ("township_handler", 200),
    ],
)
def test_queue_permissions(client, cast, who, expected):
    if cast[who]:
        client.force_login(cast[who])
    response = client.get(QUEUE)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_handlers_see_only_their_departments_in_the_queue(client, cast, walk):
    mine = walk("assigned", co=True)
    login(client, cast["co_handler"])
    items = list(client.get(QUEUE).context["page"].object_list)
    assert [(a.suggestion_id, a.role) for a in items] == [(mine.pk, "co")]
    login(client, cast["township_handler"])
    assert not client.get(QUEUE).context["page"].object_list


# The assignment page
# ------------------------------------------------------------------------------


def test_assignment_page_shows_the_suggestion_without_voters_data(client, cast, walk, network):
    suggestion = walk("in_progress", co=True)
    suggestion.co_signers.add(network["deputy_b"])
    Opinion.objects.filter(suggestion=suggestion).update(voter_name="王小明", voter_phone="13912345678")
    lead = lead_of(suggestion)
    response = login(client, cast["handler"]).get(detail_url(lead))
    assert response.status_code == 200
    html = response.content.decode()
    assert suggestion.number in html and suggestion.title in html and suggestion.content in html
    assert "张建国" in html and "13800000001" in html  # lead deputy, phone in full
    assert "李秀英" in html and "13800000002" not in html  # co-signer's name only
    assert "村口道路坑洼" in html  # the opinion's content …
    assert "王小明" not in html and "13912345678" not in html  # … without the voter
    assert "县财政局" in html  # the co-handler's status
    assert response.context["waiting_co"] == [co_of(suggestion)]
    assert not response.context["can"]["reply"]
    assert response.context["assignment"].days_label


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("superuser", 404),
        ("county", 404),
        ("township", 404),
        ("liaison", 404),
        ("deputy", 404),
        ("township_handler", 404),
        ("co_handler", 404),
        ("handler", 200),
    ],
)
def test_assignment_page_permissions(client, cast, walk, who, expected):
    lead = lead_of(walk("assigned"))
    if cast[who]:
        client.force_login(cast[who])
    assert client.get(detail_url(lead)).status_code == expected


def test_co_handler_sees_its_own_assignment_only(client, cast, walk):
    suggestion = walk("assigned", co=True)
    login(client, cast["co_handler"])
    assert client.get(detail_url(co_of(suggestion))).status_code == 200
    assert client.get(detail_url(lead_of(suggestion))).status_code == 404


def test_only_applicable_actions_are_offered(client, cast, walk):
    suggestion = walk("assigned", co=True)
    lead, co = lead_of(suggestion), co_of(suggestion)
    login(client, cast["handler"])
    can = client.get(detail_url(lead)).context["can"]
    assert can["accept"] and can["return"] and can["extension"]
    assert not (can["reply"] or can["contact"] or can["progress"] or can["input"])
    html = client.get(detail_url(lead)).content.decode()
    assert action_url(lead, "reply") not in html
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    can = client.get(detail_url(lead)).context["can"]
    assert not can["accept"] and can["contact"] and can["progress"] and not can["input"]
    assert not can["reply"]  # the co-handler has not given its input yet
    login(client, cast["co_handler"])
    can = client.get(detail_url(co)).context["can"]
    assert can["input"] and not can["reply"]


def test_assignment_page_query_budget(client, cast, walk, django_assert_max_num_queries):
    suggestion = walk("in_progress", co=True)
    lead, co = lead_of(suggestion), co_of(suggestion)
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    workflow.assignment_submit_input(assignment=co, actor=cast["co_handler"], text="资金已安排")
    for n in range(6):
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text=f"第{n}次进展")
        workflow.assignment_log_contact(
            assignment=lead, actor=cast["handler"], contacted_on=dt.date.today(), method="phone", note=f"电话{n}"
        )
    workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=5), reason="工程量大"
    )
    login(client, cast["handler"])
    client.get(detail_url(lead))
    with django_assert_max_num_queries(32):
        response = client.get(detail_url(lead))
    assert len(response.context["progress"]) == 6
    assert len(response.context["contacts"]) == 6
    assert len(response.context["events"]) > 15


# Actions
# ------------------------------------------------------------------------------


def test_accept(client, cast, walk):
    lead = lead_of(walk("assigned"))
    login(client, cast["handler"])
    response = client.post(action_url(lead, "accept"), follow=True)
    assert response.redirect_chain == [(detail_url(lead), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED
    assert lead.suggestion.status == SuggestionStatus.IN_PROGRESS
    before = snapshot(lead)
    again = client.post(action_url(lead, "accept"))
    assert again.status_code == 200
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    assert snapshot(lead) == before


def test_return_needs_a_reason_and_a_confirmation(client, cast, walk):
    suggestion = walk("assigned", co=True)
    lead = lead_of(suggestion)
    login(client, cast["handler"])
    before = snapshot(lead)
    missing = client.post(action_url(lead, "return"), {"reason": "  "})
    assert has_errors(missing, "return")
    assert snapshot(lead) == before
    asked = client.post(action_url(lead, "return"), {"reason": "不属于本单位职责"})
    assert asked.status_code == 200
    assert asked.templates[0].name == "department/confirm_return.html"
    assert "不属于本单位职责" in asked.content.decode()
    assert snapshot(lead) == before
    done = client.post(action_url(lead, "return"), {"reason": "不属于本单位职责", "confirmed": "on"})
    assert done.status_code == 302 and done["Location"] == QUEUE
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.RETURNED and lead.return_reason == "不属于本单位职责"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert co_of(suggestion).status == AssignmentStatus.CANCELLED


def test_return_after_the_window_is_refused(client, cast, walk, on_day):
    on_day(dt.date(2026, 3, 2))
    lead = lead_of(walk("assigned"))
    on_day(dt.date(2026, 3, 12))
    login(client, cast["handler"])
    assert not client.get(detail_url(lead)).context["can"]["return"]
    before = snapshot(lead)
    response = client.post(action_url(lead, "return"), {"reason": "不属于本单位职责", "confirmed": "on"})
    assert has_errors(response, "return")
    assert [m.level_tag for m in response.context["messages"]] == ["error"]  # the form is no longer offered
    assert "2026-03-11" in response.content.decode()
    assert snapshot(lead) == before


def test_log_contact(client, cast, walk):
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    today = dt.date.today()
    response = client.post(
        action_url(lead, "contact"), {"contacted_on": today, "method": "face_to_face", "note": "现场查看"}
    )
    assert response.status_code == 302
    record = ContactRecord.objects.get()
    assert (record.assignment, record.method, record.note, record.created_by) == (
        lead,
        "face_to_face",
        "现场查看",
        cast["handler"],
    )
    before = snapshot(lead)
    for bad in (
        {"contacted_on": today, "method": ""},
        {"contacted_on": today, "method": "pigeon"},
        {"contacted_on": today + dt.timedelta(days=1), "method": "phone"},
        {"contacted_on": "2000-01-01", "method": "face_to_face"},  # before the assignment existed
        {"contacted_on": "不是日期", "method": "phone"},
    ):
        assert has_errors(client.post(action_url(lead, "contact"), bad), "contact")
    assert snapshot(lead) == before


def test_contact_before_accepting_is_refused(client, cast, walk):
    lead = lead_of(walk("assigned"))
    login(client, cast["handler"])
    before = snapshot(lead)
    response = client.post(action_url(lead, "contact"), {"contacted_on": dt.date.today(), "method": "phone"})
    assert has_errors(response, "contact")
    assert snapshot(lead) == before


def test_log_progress_with_a_file(client, cast, walk):
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    upload = SimpleUploadedFile("现场照片说明.pdf", PDF, content_type="application/pdf")
    response = client.post(action_url(lead, "progress"), {"text": "已完成勘察", "file": upload})
    assert response.status_code == 302
    log = ProgressLog.objects.get()
    assert log.text == "已完成勘察" and log.file.name.endswith(".pdf")
    assert log.file.read() == PDF
    lead.refresh_from_db()
    assert lead.last_progress_at is not None


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("说明.exe", b"MZ\x90\x00", "type"),
        ("说明.html", b"<html></html>", "type"),
        ("说明.pdf", b"<html><script>alert(1)</script></html>", "content"),
        ("说明.pdf", PDF + b"x" * 200, "size"),
    ],
)
def test_progress_refuses_bad_files(client, cast, walk, settings, name, content, problem):
    settings.ATTACHMENT_MAX_BYTES = 100
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    before = snapshot(lead)
    upload = SimpleUploadedFile(name, content)
    response = client.post(action_url(lead, "progress"), {"text": "已完成勘察", "file": upload})
    assert has_errors(response, "progress")
    assert response.context["forms"]["progress"].errors["file"]
    assert snapshot(lead) == before


def test_progress_needs_text(client, cast, walk):
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    before = snapshot(lead)
    assert has_errors(client.post(action_url(lead, "progress"), {"text": " "}), "progress")
    assert snapshot(lead) == before


def test_supervised_suggestions_take_progress_reports(client, cast, walk):
    supervised = lead_of(walk("in_progress", tier=Tier.SUPERVISED))
    fast = lead_of(walk("in_progress", title="增设路灯"))
    login(client, cast["handler"])
    assert "kind" in client.get(detail_url(supervised)).context["forms"]["progress"].fields
    assert "kind" not in client.get(detail_url(fast)).context["forms"]["progress"].fields
    before = snapshot(supervised)
    assert has_errors(client.post(action_url(supervised, "progress"), {"kind": "co_input", "text": "x"}), "progress")
    assert snapshot(supervised) == before
    assert (
        client.post(action_url(supervised, "progress"), {"kind": "report", "text": "三月进展报告"}).status_code == 302
    )
    assert client.post(action_url(fast, "progress"), {"kind": "report", "text": "进展"}).status_code == 302
    kinds = dict(ProgressLog.objects.values_list("assignment_id", "kind"))
    assert kinds == {supervised.pk: "report", fast.pk: "progress"}


def test_co_handler_input_then_lead_reply(client, cast, walk):
    suggestion = walk("in_progress", co=True)
    lead, co = lead_of(suggestion), co_of(suggestion)
    login(client, cast["handler"])
    before = snapshot(lead)
    early = client.post(action_url(lead, "reply"), reply_data())
    assert has_errors(early, "reply")
    assert "县财政局" in early.content.decode()
    assert snapshot(lead) == before

    login(client, cast["co_handler"])
    assert client.post(action_url(co, "accept")).status_code == 302
    upload = SimpleUploadedFile("资金安排.xlsx", b"PK\x03\x04rest-of-the-zip")
    response = client.post(action_url(co, "input"), {"text": "资金已安排", "file": upload})
    assert response.status_code == 302
    co.refresh_from_db()
    assert co.status == AssignmentStatus.DONE
    assert ProgressLog.objects.get(assignment=co).kind == "co_input"

    login(client, cast["handler"])
    page = client.get(detail_url(lead))
    assert [log.text for log in page.context["co_inputs"]] == ["资金已安排"]
    assert page.context["can"]["reply"]
    assert client.post(action_url(lead, "reply"), reply_data()).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REPLIED
    assert Reply.objects.get().result_class.code == "A"


def test_lead_cannot_give_co_input_and_co_cannot_reply(client, cast, walk):
    suggestion = walk("in_progress", co=True)
    lead, co = lead_of(suggestion), co_of(suggestion)
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    login(client, cast["handler"])
    before = snapshot(lead)
    assert has_errors(client.post(action_url(lead, "input"), {"text": "我是主办"}), "input")
    assert snapshot(lead) == before
    login(client, cast["co_handler"])
    assert has_errors(client.post(action_url(co, "reply"), reply_data()), "reply")
    assert snapshot(lead) == before
    co.refresh_from_db()
    assert co.status == AssignmentStatus.ACCEPTED


def test_reply_before_accepting_is_refused(client, cast, walk):
    lead = lead_of(walk("assigned"))
    login(client, cast["handler"])
    before = snapshot(lead)
    assert has_errors(client.post(action_url(lead, "reply"), reply_data()), "reply")
    assert snapshot(lead) == before


def test_b_reply_needs_commitments(client, cast, walk):
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    before = snapshot(lead)
    missing = client.post(action_url(lead, "reply"), reply_data("B", "列入明年计划"))
    assert missing.context["forms"]["reply"].errors["result_class"]
    past = client.post(
        action_url(lead, "reply"),
        reply_data("B", "列入明年计划", [("明年完成", dt.date.today() - dt.timedelta(days=1))]),
    )
    assert past.context["forms"]["commitments"].forms[0].errors["due_on"]
    half = client.post(action_url(lead, "reply"), reply_data("B", "列入明年计划", [("明年完成", "")]))
    assert half.context["forms"]["commitments"].forms[0].errors["due_on"]
    no_content = client.post(action_url(lead, "reply"), reply_data("B", "", [("明年完成", "2099-01-01")]))
    assert no_content.context["forms"]["reply"].errors["content"]
    assert snapshot(lead) == before

    due = dt.date.today() + dt.timedelta(days=200)
    response = client.post(
        action_url(lead, "reply"), reply_data("B", "列入明年计划", [("明年6月前完成修缮", due), ("安装路灯", due)])
    )
    assert response.status_code == 302
    assert sorted(Commitment.objects.values_list("content", flat=True)) == ["安装路灯", "明年6月前完成修缮"]


def test_reply_with_a_signed_letter(client, cast, walk):
    lead = lead_of(walk("in_progress"))
    login(client, cast["handler"])
    data = reply_data() | {"file": SimpleUploadedFile("答复函.png", b"\x89PNG\r\n\x1a\nimage")}
    assert client.post(action_url(lead, "reply"), data).status_code == 302
    assert Reply.objects.get().file.name.endswith(".png")


def test_request_extension(client, cast, walk, on_day):
    on_day(dt.date(2026, 3, 2))
    lead = lead_of(walk("in_progress", tier=Tier.SUPERVISED))  # due 2 June, cap 2 September
    login(client, cast["handler"])
    page = client.get(detail_url(lead))
    assert page.context["extension_cap"] == dt.date(2026, 9, 2)
    assert "2026-09-02" in page.content.decode()
    before = snapshot(lead)
    beyond = client.post(action_url(lead, "extension"), {"requested_due_on": "2026-09-03", "reason": "工程量大"})
    assert beyond.context["forms"]["extension"].errors["requested_due_on"]
    assert "2026-09-02" in beyond.content.decode()
    no_reason = client.post(action_url(lead, "extension"), {"requested_due_on": "2026-08-01", "reason": ""})
    assert no_reason.context["forms"]["extension"].errors["reason"]
    earlier = client.post(action_url(lead, "extension"), {"requested_due_on": "2026-05-01", "reason": "工程量大"})
    assert earlier.context["forms"]["extension"].errors["requested_due_on"]
    assert snapshot(lead) == before

    response = client.post(action_url(lead, "extension"), {"requested_due_on": "2026-08-01", "reason": "工程量大"})
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    assert (request.requested_due_on, request.status) == (dt.date(2026, 8, 1), "pending")
    page = client.get(detail_url(lead))
    assert not page.context["can"]["extension"] and page.context["pending_extension"]
    before = snapshot(lead)
    twice = client.post(action_url(lead, "extension"), {"requested_due_on": "2026-08-02", "reason": "再延"})
    assert has_errors(twice, "extension")
    assert snapshot(lead) == before


def test_fulfil_a_commitment(client, cast, walk):
    suggestion = walk("in_progress")
    lead = lead_of(suggestion)
    workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入明年计划",
        commitments=[("明年6月前完成修缮", dt.date.today() + dt.timedelta(days=200))],
    )
    commitment = Commitment.objects.get()
    login(client, cast["handler"])
    page = client.get(detail_url(lead))
    assert page.context["replies"][0].commitments.all()[0].fulfil_form is not None
    before = snapshot(lead)
    missing = client.post(action_url(lead, "fulfil"), {"commitment": commitment.pk, "note": ""})
    assert missing.status_code == 200
    assert snapshot(lead) == before
    assert client.post(action_url(lead, "fulfil"), {"note": "已完成"}).status_code == 200
    assert client.post(action_url(lead, "fulfil"), {"commitment": 999999, "note": "已完成"}).status_code == 404
    assert snapshot(lead) == before
    response = client.post(action_url(lead, "fulfil"), {"commitment": commitment.pk, "note": "已于5月完工"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.FULFILLED and commitment.fulfilled_note == "已于5月完工"


def test_co_handler_cannot_fulfil_the_leads_commitment(client, cast, walk):
    suggestion = walk("in_progress", co=True)
    lead, co = lead_of(suggestion), co_of(suggestion)
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    workflow.assignment_submit_input(assignment=co, actor=cast["co_handler"], text="资金已安排")
    workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入明年计划",
        commitments=[("明年完成", dt.date.today() + dt.timedelta(days=100))],
    )
    commitment = Commitment.objects.get()
    login(client, cast["co_handler"])
    assert client.get(detail_url(co)).context["replies"][0].commitments.all()[0].fulfil_form is None
    response = client.post(action_url(co, "fulfil"), {"commitment": commitment.pk, "note": "已完成"})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN


ACTION_POSTS = {
    "accept": {},
    "return": {"reason": "不属于本单位职责", "confirmed": "on"},
    "contact": {"contacted_on": "2020-01-01", "method": "phone"},
    "progress": {"text": "进展"},
    "input": {"text": "意见"},
    "reply": None,  # built in the test: the result class comes from the database
    "extension": {"requested_due_on": "2099-01-01", "reason": "原因"},
    "fulfil": {"commitment": "1", "note": "已完成"},
}


@pytest.mark.parametrize("action", list(ACTION_POSTS))
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("county", 404),
        ("township", 404),
        ("deputy", 404),
        ("township_handler", 404),
        ("co_handler", 404),
    ],
)
def test_actions_refuse_everyone_but_the_departments_handlers(client, cast, walk, action, who, expected):
    lead = lead_of(walk("in_progress"))
    data = reply_data() if action == "reply" else ACTION_POSTS[action]
    before = snapshot(lead)
    if cast[who]:
        client.force_login(cast[who])
    response = client.post(action_url(lead, action), data)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert snapshot(lead) == before


def test_unknown_action_and_get_requests(client, cast, walk):
    lead = lead_of(walk("assigned"))
    login(client, cast["handler"])
    assert client.post(action_url(lead, "delete")).status_code == 404
    response = client.get(action_url(lead, "accept"))
    assert response.status_code == 302 and response["Location"] == detail_url(lead)
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.PENDING


def test_township_government_handles_a_township_suggestion(client, cast, walk):
    suggestion = walk("submitted")
    workflow.suggestion_accept(
        suggestion=suggestion, actor=cast["county"], tier=Tier.IMMEDIATE, jurisdiction="township"
    )
    (lead,) = workflow.suggestion_assign(
        suggestion=suggestion, actor=cast["township"], lead=cast["township_gov"], mode="on_site"
    )
    login(client, cast["township_handler"])
    assert [a.pk for a in client.get(QUEUE).context["page"].object_list] == [lead.pk]
    assert client.post(action_url(lead, "accept")).status_code == 302
    assert Assignment.objects.get(pk=lead.pk).status == AssignmentStatus.ACCEPTED
