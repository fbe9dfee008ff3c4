"""The deputies' own pages: permissions, logging opinions, writing suggestions, drafts, acting
on opinions and rating replies, with their refusals and query budgets."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from suggestions import workflow
from suggestions.models import (
    Channel,
    Feedback,
    Opinion,
    OpinionEvent,
    OpinionStatus,
    Suggestion,
    SuggestionAttachment,
    SuggestionEvent,
    SuggestionStatus,
)
from tests import factories as f

PDF = b"%PDF-1.4 minimal"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def deputy_client(client, cast):
    client.force_login(cast["deputy"])
    return client


@pytest.fixture
def other_deputy(network):
    """李秀英 with a login, stationed in 河口村 only: shares nothing with 张建国."""
    deputy = network["deputy_b"]
    deputy.user = f.UserFactory(username="deputy_b")
    deputy.save()
    return deputy


@pytest.fixture
def neighbour(network):
    """A deputy stationed in the same village station as 张建国."""
    deputy = f.DeputyFactory(name="王邻居")
    f.AssignmentFactory(deputy=deputy, station=network["a_village"])
    return deputy


def suggestion_data(cast, **fields):
    data = {
        "title": "修缮东门村道路",
        "content": "建议对东门村主干道进行修缮。",
        "category": f.category().pk,
        "station": cast["station"].pk,
        "save": "submit",
    }
    data.update(fields)
    return data


def opinion_data(cast, **fields):
    data = {
        "station": cast["station"].pk,
        "channel": Channel.HOME_VISIT,
        "received_on": timezone.localdate().isoformat(),
        "content": "村里自来水水压不足",
        "category": "",
        "place": "东门村",
        "voter_name": "王小明",
        "voter_phone": "13912345678",
    }
    data.update(fields)
    return data


# Permissions
# ------------------------------------------------------------------------------

PAGES = ["deputy:home", "deputy:opinion_new", "deputy:suggestion_new"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_the_login(client, network, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["county", "township", "liaison", "handler", "superuser"])
@pytest.mark.parametrize("name", PAGES)
def test_users_without_a_deputy_record_are_refused(client, cast, role, name):
    client.force_login(cast[role])
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_deputy_gets_in(deputy_client, name):
    assert deputy_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "county", "handler"])
def test_suggestion_pages_and_actions_refuse_non_deputies(client, walk, cast, role):
    suggestion = walk("replied")
    draft = walk("draft")
    opinion = walk.opinion()
    if cast[role]:
        client.force_login(cast[role])
    expected = 302 if role == "anonymous" else 403
    requests = [
        ("get", reverse("deputy:suggestion", args=[suggestion.pk]), {}),
        ("get", reverse("deputy:suggestion_edit", args=[draft.pk]), {}),
        ("post", reverse("deputy:suggestion_submit", args=[draft.pk]), {}),
        ("post", reverse("deputy:rate", args=[suggestion.pk]), {"rating": "satisfied"}),
        ("post", reverse("deputy:opinion_action", args=[opinion.pk]), {"action": "accept"}),
    ]
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == expected, url
    assert not Feedback.objects.exists()
    draft.refresh_from_db()
    opinion.refresh_from_db()
    assert draft.status == SuggestionStatus.DRAFT
    assert opinion.status == OpinionStatus.RECEIVED


def test_another_deputys_suggestion_and_opinion_are_not_found(client, walk, other_deputy):
    suggestion = walk("replied")
    draft = walk("draft")
    opinion = walk.opinion()
    client.force_login(other_deputy.user)
    assert client.get(reverse("deputy:suggestion", args=[suggestion.pk])).status_code == 404
    assert client.get(reverse("deputy:suggestion_edit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("deputy:suggestion_submit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("deputy:rate", args=[suggestion.pk]), {"rating": "satisfied"}).status_code == 404
    assert client.post(reverse("deputy:opinion_action", args=[opinion.pk]), {"action": "accept"}).status_code == 404
    home = client.get(reverse("deputy:home"))
    assert list(home.context["page"].object_list) == []
    assert list(home.context["opinion_page"].object_list) == []
    assert not Feedback.objects.exists()
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.RECEIVED


def test_co_signer_sees_the_suggestion_but_does_not_rate_it(client, walk, cast, neighbour):
    neighbour.user = f.UserFactory(username="neighbour")
    neighbour.save()
    suggestion = walk("replied")
    suggestion.co_signers.add(neighbour)
    client.force_login(neighbour.user)

    page = client.get(reverse("deputy:suggestion", args=[suggestion.pk]))
    home = client.get(reverse("deputy:home"))
    refused = client.post(reverse("deputy:rate", args=[suggestion.pk]), {"rating": "satisfied"})

    assert page.status_code == 200
    assert page.context["rating"]["can_rate"] is False
    assert [s.pk for s in home.context["page"].object_list] == [suggestion.pk]
    assert home.context["awaiting"] == []
    assert refused.status_code == 200
    assert refused.context["rating_form"].non_field_errors()
    assert not Feedback.objects.exists()


# Logging an opinion
# ------------------------------------------------------------------------------


def test_deputy_logs_an_opinion(deputy_client, cast):
    response = deputy_client.post(reverse("deputy:opinion_new"), opinion_data(cast))
    assert response.status_code == 302
    assert response["Location"] == reverse("deputy:home")
    opinion = Opinion.objects.get()
    assert opinion.channel == Channel.HOME_VISIT
    assert opinion.station == cast["station"]
    assert list(opinion.deputies.all()) == [cast["deputy_record"]]
    assert opinion.created_by == cast["deputy"]
    assert opinion.voter_phone == "13912345678"
    assert opinion.received_on == timezone.localdate()
    assert OpinionEvent.objects.filter(opinion=opinion, action="create", actor=cast["deputy"]).exists()
    home = deputy_client.get(response["Location"])
    assert opinion.tracking_code in home.content.decode()  # in the success message, for the voter


def test_log_another_returns_to_a_blank_form(deputy_client, cast):
    response = deputy_client.post(reverse("deputy:opinion_new"), {**opinion_data(cast), "another": "1"})
    assert response["Location"] == reverse("deputy:opinion_new")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"content": ""}, "content"),
        ({"content": "长" * 2001}, "content"),
        ({"voter_phone": "123"}, "voter_phone"),
        ({"received_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "received_on"),
        ({"received_on": "昨天"}, "received_on"),
        ({"channel": Channel.STATION_QR}, "channel"),
        ({"station": "B1"}, "station"),
    ],
)
def test_logging_bad_input_writes_nothing(deputy_client, cast, network, fields, field):
    if fields.get("station") == "B1":
        fields = {"station": network["b_village"].pk}
    response = deputy_client.post(reverse("deputy:opinion_new"), opinion_data(cast, **fields))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Opinion.objects.exists()


# Acting on opinions
# ------------------------------------------------------------------------------


def act(client, opinion, action, text=""):
    return client.post(reverse("deputy:opinion_action", args=[opinion.pk]), {"action": action, "text": text})


def test_accept_answer_and_decline_go_through_the_workflow(deputy_client, walk, cast):
    accepted, answered, declined = walk.opinion(), walk.opinion(), walk.opinion()

    assert act(deputy_client, accepted, "accept").status_code == 302
    act(deputy_client, answered, "answer", "已当场解释政策。")
    act(deputy_client, declined, "decline", "不属于人大职责范围。")

    for opinion in (accepted, answered, declined):
        opinion.refresh_from_db()
    assert accepted.status == OpinionStatus.ACCEPTED
    assert (answered.status, answered.answer) == (OpinionStatus.ANSWERED, "已当场解释政策。")
    assert (declined.status, declined.decline_reason) == (OpinionStatus.DECLINED, "不属于人大职责范围。")
    assert OpinionEvent.objects.filter(actor=cast["deputy"], action__in=["accept", "answer", "decline"]).count() == 3
    home = deputy_client.get(reverse("deputy:home"))
    assert [o.pk for o in home.context["opinion_page"].object_list] == [accepted.pk]


@pytest.mark.parametrize("action, text", [("answer", ""), ("decline", "  "), ("shout", "x")])
def test_opinion_action_bad_input_changes_nothing(deputy_client, walk, action, text):
    opinion = walk.opinion()
    response = act(deputy_client, opinion, action, text)
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.RECEIVED
    assert opinion.events.count() == 1
    shown = [m.level_tag for m in deputy_client.get(response["Location"]).context["messages"]]
    assert shown == ["error"]


def test_refused_transition_is_shown_not_raised(deputy_client, walk, cast):
    opinion = walk.opinion()
    workflow.opinion_answer(opinion=opinion, actor=cast["deputy"], answer="已答复")
    response = act(deputy_client, opinion, "decline", "重复")
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.ANSWERED
    messages = list(deputy_client.get(response["Location"]).context["messages"])
    assert [m.level_tag for m in messages] == ["error"]


def test_action_returns_to_a_safe_next_only(deputy_client, walk):
    opinion = walk.opinion()
    url = reverse("deputy:opinion_action", args=[opinion.pk])
    back = deputy_client.post(url, {"action": "accept", "next": reverse("deputy:home") + "?oq=x"})
    evil = deputy_client.post(url, {"action": "accept", "next": "https://evil.example/"})
    assert back["Location"] == reverse("deputy:home") + "?oq=x"
    assert evil["Location"] == reverse("deputy:home")


# Writing a suggestion
# ------------------------------------------------------------------------------


def test_submit_a_fresh_suggestion(deputy_client, cast, neighbour):
    response = deputy_client.post(reverse("deputy:suggestion_new"), suggestion_data(cast, co_signers=[neighbour.pk]))
    suggestion = Suggestion.objects.get()
    assert response["Location"] == reverse("deputy:suggestion", args=[suggestion.pk])
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert suggestion.number
    assert suggestion.lead_deputy == cast["deputy_record"]
    assert list(suggestion.co_signers.all()) == [neighbour]
    assert list(suggestion.events.values_list("action", flat=True)) == ["create", "submit"]


def test_write_from_opinions_merges_them(deputy_client, walk, cast):
    first, second, untouched = walk.opinion(content="道路坑洼"), walk.opinion(content="雨天积水"), walk.opinion()

    form_page = deputy_client.get(reverse("deputy:suggestion_new"), {"opinions": f"{first.pk},{second.pk}"})
    initial = form_page.context["form"].initial
    assert sorted(initial["opinions"]) == sorted([first.pk, second.pk])
    assert "道路坑洼" in initial["content"] and "雨天积水" in initial["content"]

    deputy_client.post(reverse("deputy:suggestion_new"), suggestion_data(cast, opinions=[first.pk, second.pk]))

    suggestion = Suggestion.objects.get()
    for opinion in (first, second, untouched):
        opinion.refresh_from_db()
    assert (first.status, first.suggestion) == (OpinionStatus.MERGED, suggestion)
    assert (second.status, second.suggestion) == (OpinionStatus.MERGED, suggestion)
    assert untouched.status == OpinionStatus.RECEIVED


def test_ticked_opinions_arrive_as_repeated_parameters(deputy_client, walk):
    first, second = walk.opinion(), walk.opinion()
    page = deputy_client.get(reverse("deputy:suggestion_new") + f"?opinions={first.pk}&opinions={second.pk}")
    assert sorted(page.context["form"].initial["opinions"]) == sorted([first.pk, second.pk])


def test_save_as_draft_then_edit_and_submit(deputy_client, cast):
    deputy_client.post(reverse("deputy:suggestion_new"), suggestion_data(cast, save="draft"))
    draft = Suggestion.objects.get()
    assert draft.status == SuggestionStatus.DRAFT and draft.number is None

    edit_url = reverse("deputy:suggestion_edit", args=[draft.pk])
    assert deputy_client.get(edit_url).status_code == 200
    deputy_client.post(edit_url, suggestion_data(cast, title="修缮东门村主干道", save="draft"))
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("修缮东门村主干道", SuggestionStatus.DRAFT)
    assert list(draft.events.values_list("action", "is_public")) == [("create", False), ("edit", False)]

    deputy_client.post(edit_url, suggestion_data(cast, title="修缮东门村主干道", save="submit"))
    draft.refresh_from_db()
    assert draft.status == SuggestionStatus.SUBMITTED
    assert draft.number


def test_submit_a_draft_from_its_page(deputy_client, walk):
    draft = walk("draft")
    page = deputy_client.get(reverse("deputy:suggestion", args=[draft.pk]))
    assert reverse("deputy:suggestion_submit", args=[draft.pk]) in page.content.decode()
    deputy_client.post(reverse("deputy:suggestion_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == SuggestionStatus.SUBMITTED


def test_submitted_suggestion_cannot_be_edited_or_submitted_again(deputy_client, walk, cast):
    suggestion = walk("submitted")
    before = SuggestionEvent.objects.count()
    edit = deputy_client.post(
        reverse("deputy:suggestion_edit", args=[suggestion.pk]), suggestion_data(cast, title="改过的标题")
    )
    again = deputy_client.post(reverse("deputy:suggestion_submit", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert edit.status_code == 302 and again.status_code == 302
    assert suggestion.title == "修缮东门村道路"
    assert SuggestionEvent.objects.count() == before


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"content": ""}, "content"),
        ({"category": ""}, "category"),
        ({"station": "other"}, "station"),
        ({"co_signers": "stranger"}, "co_signers"),
        ({"opinions": "foreign"}, "opinions"),
    ],
)
def test_suggestion_bad_input_writes_nothing(deputy_client, cast, network, other_deputy, fields, field):
    if fields.get("station") == "other":
        fields = {"station": network["b_village"].pk}
    if fields.get("co_signers") == "stranger":
        fields = {"co_signers": [other_deputy.pk]}
    if fields.get("opinions") == "foreign":
        foreign = workflow.opinion_create(
            content="别人的意见", channel=Channel.STATION_QR, station=network["b_village"]
        )
        fields = {"opinions": [foreign.pk]}
    response = deputy_client.post(reverse("deputy:suggestion_new"), suggestion_data(cast, **fields))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Suggestion.objects.exists()


def test_co_signers_are_deputies_sharing_a_station_or_group(deputy_client, cast, network, neighbour, other_deputy):
    grouped = f.DeputyFactory(name="赵同组")
    group = f.DeputyGroupFactory()
    group.members.add(grouped, cast["deputy_record"])
    retired = f.DeputyFactory(name="钱退休", is_active=False)
    f.AssignmentFactory(deputy=retired, station=network["a_village"])

    choices = deputy_client.get(reverse("deputy:suggestion_new")).context["form"].fields["co_signers"].queryset
    assert sorted(d.name for d in choices) == sorted(["王邻居", "赵同组"])


def test_attachments_are_stored_with_the_suggestion(deputy_client, cast):
    files = [SimpleUploadedFile("现场照片.pdf", PDF), SimpleUploadedFile("清单.pdf", PDF)]
    deputy_client.post(reverse("deputy:suggestion_new"), {**suggestion_data(cast), "attachments": files})
    suggestion = Suggestion.objects.get()
    assert sorted(SuggestionAttachment.objects.values_list("name", flat=True)) == ["清单.pdf", "现场照片.pdf"]
    page = deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk])).content.decode()
    attachment = suggestion.attachments.first()
    assert reverse("files:download", args=["attachment", attachment.pk]) in page


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("run.exe", b"MZ..."),
        SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_bad_attachment_writes_nothing(deputy_client, cast, upload):
    response = deputy_client.post(reverse("deputy:suggestion_new"), {**suggestion_data(cast), "attachments": [upload]})
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Suggestion.objects.exists()
    assert not SuggestionAttachment.objects.exists()


def test_too_large_attachment_is_refused(deputy_client, cast, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("big.pdf", PDF + b"x" * 20)
    response = deputy_client.post(reverse("deputy:suggestion_new"), {**suggestion_data(cast), "attachments": [upload]})
    assert response.context["form"].errors["attachments"]
    assert not Suggestion.objects.exists()


# Rating
# ------------------------------------------------------------------------------


def rate(client, suggestion, rating, comment=""):
    return client.post(reverse("deputy:rate", args=[suggestion.pk]), {"rating": rating, "comment": comment})


def test_replied_suggestion_offers_the_rating_with_its_deadline(deputy_client, walk):
    suggestion = walk("replied")
    page = deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk]))
    reply = suggestion.replies.get()
    assert page.context["rating"]["can_rate"] is True
    assert page.context["rating"]["deadline"] == workflow.feedback_deadline(reply)
    assert workflow.feedback_deadline(reply).strftime("%Y-%m-%d") in page.content.decode()
    home = deputy_client.get(reverse("deputy:home"))
    assert [s.pk for s in home.context["awaiting"]] == [suggestion.pk]


def test_satisfied_rating_goes_through_the_workflow(deputy_client, walk, cast):
    suggestion = walk("replied")
    response = rate(deputy_client, suggestion, "satisfied")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.RATED
    feedback = Feedback.objects.get()
    assert (feedback.deputy, feedback.rating) == (cast["deputy_record"], "satisfied")
    page = deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk]))
    assert page.context["rating"]["can_rate"] is False
    assert deputy_client.get(reverse("deputy:home")).context["awaiting"] == []


def test_unsatisfied_needs_a_comment(deputy_client, walk):
    suggestion = walk("replied")
    refused = rate(deputy_client, suggestion, "unsatisfied")
    assert refused.status_code == 200
    assert refused.context["rating_form"].errors["comment"]
    assert not Feedback.objects.exists()

    rate(deputy_client, suggestion, "unsatisfied", "仍有积水")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REHANDLING


@pytest.mark.parametrize("rating", ["", "great"])
def test_rating_bad_choice_writes_nothing(deputy_client, walk, rating):
    suggestion = walk("replied")
    response = rate(deputy_client, suggestion, rating)
    assert response.context["rating_form"].errors["rating"]
    assert not Feedback.objects.exists()


def test_rating_twice_is_refused(deputy_client, walk):
    suggestion = walk("rated")
    response = rate(deputy_client, suggestion, "basically")
    assert response.status_code == 200
    assert Feedback.objects.count() == 1


def test_rating_window_closes(deputy_client, walk, cast, on_day):
    suggestion = walk("replied")
    reply = suggestion.replies.get()
    deadline = workflow.feedback_deadline(reply)

    on_day(deadline)
    deputy_client.force_login(cast["deputy"])  # the session of a month ago has expired
    assert deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk])).context["rating"]["can_rate"]
    assert [s.pk for s in deputy_client.get(reverse("deputy:home")).context["awaiting"]] == [suggestion.pk]

    on_day(deadline + dt.timedelta(days=1))
    deputy_client.force_login(cast["deputy"])
    page = deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk]))
    assert page.context["rating"]["can_rate"] is False
    assert deputy_client.get(reverse("deputy:home")).context["awaiting"] == []
    refused = rate(deputy_client, suggestion, "satisfied")
    assert refused.status_code == 200
    assert not Feedback.objects.exists()


def test_joined_suggestion_shows_the_primarys_handling_and_is_rated(deputy_client, walk, cast, network):
    primary = walk("accepted")
    follower = workflow.suggestion_create(
        actor=cast["deputy"],
        lead_deputy=cast["deputy_record"],
        title="东门村道路修缮",
        content="同上",
        category=f.category(),
        station=network["a_village"],
    )
    follower = workflow.suggestion_join(suggestion=follower, primary=primary, actor=cast["county"])
    (lead,) = workflow.suggestion_assign(suggestion=primary, actor=cast["county"], lead=cast["dept"], mode="joint")
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_reply(
        assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已修好"
    )

    page = deputy_client.get(reverse("deputy:suggestion", args=[follower.pk]))
    assert page.context["handling"] == primary
    assert "已修好" in page.content.decode()
    assert "县交通运输局" in page.content.decode()
    assert page.context["rating"]["can_rate"] is True
    awaiting = deputy_client.get(reverse("deputy:home")).context["awaiting"]
    assert sorted(s.pk for s in awaiting) == sorted([primary.pk, follower.pk])

    rate(deputy_client, follower, "satisfied")
    assert Feedback.objects.get().suggestion == follower
    assert [s.pk for s in deputy_client.get(reverse("deputy:home")).context["awaiting"]] == [primary.pk]


# The home page
# ------------------------------------------------------------------------------


def test_home_lists_filters_and_searches(deputy_client, walk, cast, neighbour):
    draft = walk("draft", title="草稿建议")
    handled = walk("in_progress", title="修缮东门村道路")
    co_signed = workflow.suggestion_create(
        actor=cast["county"],
        lead_deputy=neighbour,
        title="河道清淤",
        content="建议清淤",
        category=f.category(),
        station=cast["station"],
        co_signers=[cast["deputy_record"]],
    )
    home = reverse("deputy:home")

    everything = deputy_client.get(home).context
    assert {s.pk for s in everything["page"].object_list} == {draft.pk, handled.pk, co_signed.pk}
    assert [s.pk for s in everything["drafts"]] == [draft.pk]
    row = next(s for s in everything["page"].object_list if s.pk == handled.pk)
    lead = handled.assignments.get()
    assert (row.lead_department, row.lead_due_on, row.colour) == ("县交通运输局", lead.due_on, "green")
    assert [s.pk for s in deputy_client.get(home, {"q": "清淤"}).context["page"].object_list] == [co_signed.pk]
    assert [s.pk for s in deputy_client.get(home, {"status": "draft"}).context["page"].object_list] == [draft.pk]
    assert [s.pk for s in deputy_client.get(home, {"role": "co"}).context["page"].object_list] == [co_signed.pk]
    nothing = deputy_client.get(home, {"q": "不存在"})
    assert list(nothing.context["page"].object_list) == []
    assert 'class="empty"' in nothing.content.decode()


def test_home_empty_states(deputy_client):
    response = deputy_client.get(reverse("deputy:home"))
    assert response.content.decode().count('class="empty"') == 2


def test_home_query_budget(deputy_client, walk, cast, django_assert_max_num_queries):
    for status in ["draft", "submitted", "accepted", "assigned", "in_progress", "replied", "rated", "closed"] * 3:
        walk(status)
    for _ in range(20):
        walk.opinion()
    with django_assert_max_num_queries(20):
        response = deputy_client.get(reverse("deputy:home"))
    assert len(response.context["page"].object_list) == 20
    assert len(response.context["opinion_page"].object_list) == 20
    assert len(response.context["awaiting"]) == 3


def test_suggestion_page_query_budget_with_a_long_trail(deputy_client, walk, cast, django_assert_max_num_queries):
    suggestion = walk("in_progress", co=True)
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    for n in range(30):
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text=f"进展{n}")
    workflow.assignment_submit_input(assignment=co, actor=cast["co_handler"], text="财政资金已落实")
    for n in range(3):
        SuggestionAttachment.objects.create(suggestion=suggestion, file=f"suggestions/x{n}.pdf", name=f"附件{n}.pdf")
    workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入明年计划",
        commitments=[("明年完成修缮", timezone.localdate() + dt.timedelta(days=200))],
    )
    with django_assert_max_num_queries(22):
        response = deputy_client.get(reverse("deputy:suggestion", args=[suggestion.pk]))
    assert len(response.context["events"]) > 30
    assert "明年完成修缮" in response.content.decode()


def test_station_qr_opinions_reach_the_deputies_stationed_there(client, cast, network):
    from suggestions import workflow as wf

    opinion = wf.opinion_create(content="村口路灯不亮", channel="station_qr", station=network["a_village"])
    elsewhere = wf.opinion_create(content="河口村排水", channel="station_qr", station=network["b_village"])
    client.force_login(cast["deputy"])
    page = client.get(reverse("deputy:home")).content.decode()
    assert opinion.content in page and elsewhere.content not in page
    wf.opinion_accept(opinion=opinion, actor=cast["deputy"])
