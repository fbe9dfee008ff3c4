"""Following an opinion or a suggestion by its tracking code (件件有回音), and the public pages
of the suggestions whose reply was published."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from suggestions import workflow
from suggestions.models import AssignmentRole, Channel, Suggestion
from tests import factories as f


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def track(client, code, digits=""):
    return client.post(reverse("public:track"), {"code": code, "digits": digits})


def public_opinion(network, phone="", name=""):
    return workflow.opinion_create(
        content="学校门口缺少红绿灯",
        channel=Channel.STATION_QR,
        station=network["a_village"],
        voter_phone=phone,
        voter_name=name,
    )


def not_found(response) -> list:
    return list(response.context["form"].non_field_errors())


# Opinions
# ------------------------------------------------------------------------------


def test_opinion_without_phone_is_found_by_its_code_alone(client, network):
    opinion = public_opinion(network)
    response = track(client, opinion.tracking_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["tracked_opinion"].opinion == opinion
    assert "学校门口缺少红绿灯" in page
    assert network["a_village"].name in page


def test_code_is_read_leniently(client, network):
    opinion = public_opinion(network)
    code = opinion.tracking_code
    messy = f" {code[:5].lower()}-{code[5:]} "
    assert track(client, messy).context["tracked_opinion"].opinion == opinion


def test_opinion_with_phone_needs_the_last_four_digits(client, network):
    opinion = public_opinion(network, phone="13912345678")

    found = track(client, opinion.tracking_code, "5678")
    without = track(client, opinion.tracking_code)
    wrong = track(client, opinion.tracking_code, "1234")
    unknown = track(client, "ZZZZZZZZZZ", "5678")

    assert found.context["tracked_opinion"].opinion == opinion
    for response in (without, wrong, unknown):
        assert "tracked_opinion" not in response.context
        assert "学校门口缺少红绿灯" not in response.content.decode()
    # the same neutral message whichever part was wrong: no oracle
    assert not_found(without) == not_found(wrong) == not_found(unknown)
    assert len(not_found(unknown)) == 1


def test_bad_digits_are_a_form_error(client, network):
    opinion = public_opinion(network, phone="13912345678")
    response = track(client, opinion.tracking_code, "56a8")
    assert response.context["form"].errors["digits"]
    assert "tracked_opinion" not in response.context


def test_empty_code_is_a_form_error(client, db):
    assert track(client, " - ").context["form"].errors["code"]


def test_answered_and_declined_opinions_show_the_answer(client, walk, cast):
    answered = walk.opinion(content="路灯不亮")
    workflow.opinion_answer(opinion=answered, actor=cast["deputy"], answer="已联系供电所，本周内维修。")
    declined = walk.opinion(content="邻里纠纷")
    workflow.opinion_decline(opinion=declined, actor=cast["deputy"], reason="请向村调解委员会反映。")

    assert "已联系供电所，本周内维修。" in track(client, answered.tracking_code).content.decode()
    assert "请向村调解委员会反映。" in track(client, declined.tracking_code).content.decode()


def test_merged_opinion_shows_the_suggestions_progress_and_reply(client, walk, cast):
    suggestion = walk("replied")
    opinion = suggestion.source_opinions.get()

    response = track(client, opinion.tracking_code)
    page = response.content.decode()

    assert response.context["progress"].suggestion == suggestion
    assert suggestion.title in page
    assert suggestion.number in page
    assert "县交通运输局" in page
    assert "已完成道路修缮。" not in page  # the reply text waits until the staff publish it

    workflow.suggestion_publish_reply(suggestion=suggestion, actor=cast["county"])
    page = track(client, opinion.tracking_code).content.decode()
    assert "已完成道路修缮。" in page
    assert str(f.result_class("A")) in page


def test_opinion_merged_into_a_draft_shows_no_suggestion(client, walk):
    draft = walk("draft")
    response = track(client, draft.source_opinions.get().tracking_code)
    assert response.context["tracked_opinion"].in_draft
    assert response.context.get("progress") is None
    assert draft.title not in response.content.decode()


def test_no_personal_data_on_the_tracking_page(client, walk, cast, network):
    cast["handler"].first_name, cast["handler"].last_name = "甲乙", "赵"
    cast["handler"].save()
    cast["county"].first_name, cast["county"].last_name = "丙丁", "钱"
    cast["county"].save()
    opinion = walk.opinion(voter_name="王小明", voter_phone="13912345678")
    suggestion = workflow.suggestion_create(
        actor=cast["deputy"],
        lead_deputy=cast["deputy_record"],
        title="增设红绿灯",
        content="学校门口增设红绿灯",
        category=f.category(),
        station=cast["station"],
        opinions=[opinion],
    )
    workflow.suggestion_accept(suggestion=suggestion, actor=cast["county"], tier="fast", jurisdiction="county")
    lead, co = workflow.suggestion_assign(
        suggestion=suggestion,
        actor=cast["county"],
        lead=cast["dept"],
        co_handlers=[cast["co_dept"]],
        mode="joint",
    )
    workflow.assignment_cancel(assignment=co, actor=cast["county"], reason="内部撤销理由不公开")
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_reply(
        assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已安装"
    )
    workflow.suggestion_publish_reply(suggestion=suggestion, actor=cast["county"])

    page = track(client, opinion.tracking_code, "5678").content.decode()

    assert "已安装" in page
    for secret in (
        "王小明",
        "13912345678",
        "139****5678",
        "13800000001",
        "138****0001",
        "甲乙",
        "丙丁",
        "内部撤销理由不公开",
        "handler",
        "county",
    ):
        assert secret not in page, secret


def test_the_trail_shows_steps_not_notes(client, walk, cast):
    """Staff remarks, departments' progress notes and the deputy's rating comment stay inside."""
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get(role="lead")
    workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text="内部进展：等待财政拨款")
    workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="已列入明年计划",
        commitments=[("明年完成修缮", dt.date(2027, 6, 30))],
    )
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="unsatisfied", comment="代表的评价意见")
    page = track(client, suggestion.tracking_code).content.decode()
    assert "内部进展：等待财政拨款" not in page and "代表的评价意见" not in page
    assert "已列入明年计划" not in page  # not published


def test_get_prefills_the_code_but_looks_nothing_up(client, network):
    opinion = public_opinion(network)
    response = client.get(reverse("public:track"), {"code": opinion.tracking_code})
    assert response.status_code == 200
    assert response.context["form"]["code"].value() == opinion.tracking_code
    assert "tracked_opinion" not in response.context


# Suggestions
# ------------------------------------------------------------------------------


def test_suggestion_is_found_by_its_tracking_code(client, walk):
    suggestion = walk("in_progress")
    response = track(client, suggestion.tracking_code.lower())
    progress = response.context["progress"]
    assert progress.suggestion == suggestion
    assert [(d.name, d.role) for d in progress.departments] == [("县交通运输局", str(AssignmentRole.LEAD.label))]
    assert "tracked_opinion" not in response.context


def test_draft_suggestion_is_not_found(client, walk):
    draft = walk("draft")
    response = track(client, draft.tracking_code)
    assert not_found(response)
    assert draft.title not in response.content.decode()


def test_joined_suggestion_shows_its_primarys_reply(client, walk, cast, network):
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
    workflow.suggestion_publish_reply(suggestion=primary, actor=cast["county"])

    response = track(client, follower.tracking_code)
    assert response.context["progress"].handling == primary
    assert "已修好" in response.content.decode()


def test_lookups_are_rate_limited(client, network, settings):
    settings.TRACK_RATE_LIMIT = "20/10m"
    opinion = public_opinion(network, phone="13912345678")
    for digits in range(20):
        assert track(client, opinion.tracking_code, f"{digits:04d}").status_code == 200
    refused = track(client, opinion.tracking_code, "5678")
    assert refused.status_code == 429
    assert "学校门口缺少红绿灯" not in refused.content.decode()
    assert (
        Client(REMOTE_ADDR="10.0.0.7")
        .post(reverse("public:track"), {"code": opinion.tracking_code, "digits": "5678"})
        .status_code
        == 200
    )


def test_tracking_csrf_is_enforced(network):
    opinion = public_opinion(network)
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("public:track"), {"code": opinion.tracking_code}).status_code == 403


def test_tracking_query_budget_with_a_long_trail(client, walk, cast, django_assert_max_num_queries):
    suggestion = walk("in_progress", co=True)
    lead = suggestion.assignments.get(role="lead")
    for n in range(30):
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text=f"进展{n}")
    opinion = suggestion.source_opinions.get()
    with django_assert_max_num_queries(12):
        response = track(client, opinion.tracking_code)
    assert len(response.context["progress"].events) >= 30


# Published suggestions
# ------------------------------------------------------------------------------


def publish(suggestion, cast):
    return workflow.suggestion_publish_reply(suggestion=suggestion, actor=cast["county"])


def test_published_suggestion_is_listed_and_shown(client, walk, cast):
    published = publish(walk("replied", title="修缮东门村道路"), cast)
    hidden = walk("replied", title="整治河口村垃圾")

    listing = client.get(reverse("public:suggestion_list"))
    detail = client.get(reverse("public:suggestion", args=[published.number]))

    assert [s.pk for s in listing.context["page"].object_list] == [published.pk]
    assert "整治河口村垃圾" not in listing.content.decode()
    page = detail.content.decode()
    assert detail.status_code == 200
    assert published.content in page
    assert "已完成道路修缮。" in page
    assert "县交通运输局" in page
    assert "张建国" not in page and "13800000001" not in page
    assert client.get(reverse("public:suggestion", args=[hidden.number])).status_code == 404
    assert client.get(reverse("public:suggestion", args=["2099-9999"])).status_code == 404


def test_withdrawn_publication_hides_the_page(client, walk, cast):
    suggestion = publish(walk("replied"), cast)
    workflow.suggestion_publish_reply(suggestion=suggestion, actor=cast["county"], publish=False)
    assert client.get(reverse("public:suggestion", args=[suggestion.number])).status_code == 404


def test_public_list_searches_filters_paginates_and_has_an_empty_state(client, walk, cast):
    empty = client.get(reverse("public:suggestion_list"))
    assert list(empty.context["page"].object_list) == []
    assert 'class="empty"' in empty.content.decode()

    other_category = f.category("教育")
    for n in range(22):
        publish(walk("replied", title=f"修缮道路第{n}段"), cast)
    school = publish(walk("replied", title="学校操场翻新"), cast)
    Suggestion.objects.filter(pk=school.pk).update(category=other_category)

    first = client.get(reverse("public:suggestion_list"))
    second = client.get(reverse("public:suggestion_list"), {"page": 2})
    search = client.get(reverse("public:suggestion_list"), {"q": "操场"})
    by_category = client.get(reverse("public:suggestion_list"), {"category": other_category.pk})
    nothing = client.get(reverse("public:suggestion_list"), {"q": "不存在"})

    assert first.context["page"].paginator.count == 23
    assert len(second.context["page"].object_list) == 3
    assert [s.pk for s in search.context["page"].object_list] == [school.pk]
    assert [s.pk for s in by_category.context["page"].object_list] == [school.pk]
    assert list(nothing.context["page"].object_list) == []
    assert 'class="empty"' in nothing.content.decode()


def test_public_list_query_budget(client, walk, cast, django_assert_max_num_queries):
    for n in range(21):
        publish(walk("replied", title=f"修缮道路第{n}段"), cast)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("public:suggestion_list"))
    assert len(response.context["page"].object_list) == 20


def test_public_detail_query_budget(client, walk, cast, django_assert_max_num_queries):
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get(role="lead")
    for n in range(30):
        workflow.assignment_log_progress(assignment=lead, actor=cast["handler"], text=f"进展{n}")
    workflow.assignment_reply(assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已办")
    publish(suggestion, cast)
    with django_assert_max_num_queries(8):
        client.get(reverse("public:suggestion", args=[suggestion.number]))
