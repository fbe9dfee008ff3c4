"""The staff's suggestion and opinion desks in the admin: each action calls the workflow."""

import datetime as dt

import pytest
from django.urls import reverse

from suggestions import workflow
from suggestions.models import ExtensionRequest, Opinion, OpinionStatus, Suggestion, SuggestionStatus, Tier
from tests import factories as f


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def test_review_accepts_with_tier_and_shows_on_the_trail(client, walk, cast):
    suggestion = walk("submitted")
    client.force_login(cast["county"])
    response = client.post(
        reverse("admin:suggestions_suggestion_review", args=[suggestion.pk]),
        {"decision": "accept", "tier": Tier.FAST, "jurisdiction": "county"},
    )
    suggestion.refresh_from_db()
    assert response.status_code == 302
    assert (suggestion.status, suggestion.tier) == (SuggestionStatus.ACCEPTED, Tier.FAST)
    page = client.get(change_url(suggestion)).content.decode()
    assert suggestion.number in page


def test_review_without_tier_or_reason_writes_nothing(client, walk, cast):
    suggestion = walk("submitted")
    client.force_login(cast["county"])
    url = reverse("admin:suggestions_suggestion_review", args=[suggestion.pk])
    no_tier = client.post(url, {"decision": "accept", "jurisdiction": "county"})
    no_reason = client.post(url, {"decision": "reject", "jurisdiction": "county", "note": " "})
    suggestion.refresh_from_db()
    assert no_tier.status_code == no_reason.status_code == 200
    assert no_tier.context["form"].errors and no_reason.context["form"].errors
    assert suggestion.status == SuggestionStatus.SUBMITTED


def test_supervised_without_leader_shows_the_workflow_message(client, walk, cast):
    suggestion = walk("submitted")
    client.force_login(cast["county"])
    response = client.post(
        reverse("admin:suggestions_suggestion_review", args=[suggestion.pk]),
        {"decision": "accept", "tier": Tier.SUPERVISED, "jurisdiction": "county"},
        follow=True,
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_bulk_assign_reports_each_item(client, walk, cast):
    ready = [walk("accepted"), walk("accepted")]
    not_ready = walk("submitted")
    client.force_login(cast["county"])
    ids = ",".join(str(s.pk) for s in [*ready, not_ready])
    response = client.post(
        reverse("admin:suggestions_suggestion_bulk_assign"),
        {"ids": ids, "lead": cast["dept"].pk, "mode": "take_and_do"},
        follow=True,
    )
    statuses = sorted(Suggestion.objects.values_list("status", flat=True))
    assert statuses == ["assigned", "assigned", "submitted"]
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1 and not_ready.number in str(errors[0])


def test_the_changelist_action_leads_to_the_bulk_assign_page(client, walk, cast):
    suggestion = walk("accepted")
    client.force_login(cast["county"])
    response = client.post(
        reverse("admin:suggestions_suggestion_changelist"),
        {"action": "bulk_assign", "_selected_action": [suggestion.pk]},
    )
    assert response.status_code == 302
    assert reverse("admin:suggestions_suggestion_bulk_assign") in response["Location"]


def test_close_needs_a_note_when_unrated(client, walk, cast):
    suggestion = walk("replied")
    client.force_login(cast["county"])
    url = reverse("admin:suggestions_suggestion_close", args=[suggestion.pk])
    client.post(url, {"note": ""})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REPLIED
    client.post(url, {"note": "代表电话确认满意，纸质测评表已归档"})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED


def test_publish_and_join(client, walk, cast):
    replied = walk("replied")
    other = walk("submitted", title="东门村道路修缮")
    client.force_login(cast["county"])
    client.post(reverse("admin:suggestions_suggestion_publish", args=[replied.pk]), {"publish": "1"})
    primary = walk("accepted")
    client.post(reverse("admin:suggestions_suggestion_join", args=[other.pk]), {"primary_number": primary.number})
    replied.refresh_from_db()
    other.refresh_from_db()
    assert replied.reply_published
    assert other.status == SuggestionStatus.JOINED and other.primary_id == primary.pk


def test_township_staff_cannot_review_county_matters(client, walk, cast):
    suggestion = walk("submitted")
    client.force_login(cast["township"])
    client.post(
        reverse("admin:suggestions_suggestion_review", args=[suggestion.pk]),
        {"decision": "accept", "tier": Tier.FAST, "jurisdiction": "county"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED


def test_staff_enter_a_suggestion_for_a_deputy_through_the_workflow(client, cast, network):
    client.force_login(cast["county"])
    response = client.post(
        reverse("admin:suggestions_suggestion_add"),
        {
            "title": "增设路灯",
            "content": "东门村主路无路灯",
            "category": f.category().pk,
            "lead_deputy": network["deputy_a"].pk,
            "station": network["a_village"].pk,
            "jurisdiction": "county",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert list(suggestion.events.values_list("action", flat=True)) == ["create", "submit"]


def test_opinion_actions_and_write_up(client, walk, cast):
    first, second, third = walk.opinion(), walk.opinion(content="路灯不亮"), walk.opinion(content="咨询低保政策")
    client.force_login(cast["county"])
    changelist = reverse("admin:suggestions_opinion_changelist")
    client.post(changelist, {"action": "accept_selected", "_selected_action": [first.pk, second.pk]})
    client.post(
        changelist,
        {
            "action": "answer_selected",
            "_selected_action": [third.pk],
            "confirm": "1",
            "answer": "已当场解释低保申请流程",
        },
    )
    assert Opinion.objects.get(pk=third.pk).status == OpinionStatus.ANSWERED
    response = client.post(
        f"{reverse('admin:suggestions_opinion_to_suggestion')}?ids={first.pk},{second.pk}",
        {
            "ids": f"{first.pk},{second.pk}",
            "lead_deputy": cast["deputy_record"].pk,
            "title": "东门村道路与路灯",
            "content": "合并两条意见",
            "category": f.category().pk,
            "submit": "on",
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert set(suggestion.source_opinions.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_voter_data_masked_for_liaison_officers(client, walk, cast):
    opinion = workflow.opinion_create(
        content="反映噪音",
        channel="phone",
        station=cast["station"],
        actor=cast["county"],
        voter_name="王大妈",
        voter_phone="13912345678",
    )
    client.force_login(cast["liaison"])
    page = client.get(reverse("admin:suggestions_opinion_changelist")).content.decode()
    detail = client.get(reverse("admin:suggestions_opinion_change", args=[opinion.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page and "13912345678" not in detail


def test_extension_decision_page(client, walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get()
    extension = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=dt.date(2026, 4, 20), reason="需协调资金"
    )
    client.force_login(cast["county"])
    url = reverse("admin:suggestions_extensionrequest_decide", args=[extension.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"decision": "approve", "due_on": "2026-06-30"})  # beyond the cap: refused
    assert ExtensionRequest.objects.get().status == "pending"
    client.post(url, {"decision": "approve", "due_on": "2026-04-15"})
    lead.refresh_from_db()
    assert lead.due_on == dt.date(2026, 4, 15)


@pytest.mark.parametrize(
    "url_name",
    [
        "suggestions_suggestion_changelist",
        "suggestions_opinion_changelist",
        "suggestions_assignment_changelist",
        "suggestions_extensionrequest_changelist",
        "suggestions_commitment_changelist",
    ],
)
def test_desk_lists_query_budget(client, walk, cast, url_name, django_assert_max_num_queries):
    for n in range(12):
        suggestion = walk("in_progress", title=f"建议{n}")
        lead = suggestion.assignments.get()
        if n % 2:
            workflow.extension_request(
                assignment=lead,
                actor=cast["handler"],
                requested_due_on=lead.due_on + dt.timedelta(days=3),
                reason="原因",
            )
        else:
            workflow.assignment_reply(
                assignment=lead,
                actor=cast["handler"],
                result_class=f.result_class("B"),
                content="列入计划",
                commitments=[("年底前完成", dt.date.today() + dt.timedelta(days=90))],
            )
    client.force_login(cast["county"])
    with django_assert_max_num_queries(25):
        assert client.get(reverse(f"admin:{url_name}")).status_code == 200


def test_suggestion_detail_query_budget(client, walk, cast, django_assert_max_num_queries):
    suggestion = walk("in_progress", co=True)
    lead = suggestion.assignments.get(role="lead")
    for n in range(10):
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text=f"进展{n}")
    for _ in range(3):
        walk("closed", title="修缮东门村道路")
    client.force_login(cast["county"])
    with django_assert_max_num_queries(45):
        assert client.get(change_url(suggestion)).status_code == 200


def test_manual_reminder_admin_action(client, walk, cast):
    from liaison.models import Notification, ReminderLog

    suggestion = walk("in_progress")
    client.force_login(cast["county"])
    changelist = reverse("admin:suggestions_suggestion_changelist")
    confirm_page = client.post(changelist, {"action": "remind", "_selected_action": [suggestion.pk]})
    assert confirm_page.status_code == 200
    client.post(
        changelist, {"action": "remind", "_selected_action": [suggestion.pk], "confirm": "1", "note": "请本周内答复"}
    )
    assert ReminderLog.objects.get().clock == "manual"
    assert Notification.objects.filter(recipient=cast["handler"], kind="reminder_manual").count() == 1
    assert suggestion.events.filter(action="remind", note="请本周内答复").exists()


def test_remind_a_whole_department_from_its_admin_page(client, walk, cast):
    from liaison.models import ReminderLog

    for n in range(3):
        walk("in_progress", title=f"建议{n}")
    walk("closed")
    client.force_login(cast["county"])
    client.post(
        reverse("admin:suggestions_department_changelist"),
        {"action": "remind_departments", "_selected_action": [cast["dept"].pk]},
    )
    assert ReminderLog.objects.filter(clock="manual").count() == 3
