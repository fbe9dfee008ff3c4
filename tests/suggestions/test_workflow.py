"""The lifecycle end to end through the workflow, with its refusals and its trail."""

import datetime as dt

import pytest

from liaison.models import Notification
from suggestions import workflow
from suggestions.models import (
    Assignment,
    AssignmentStatus,
    Commitment,
    OpinionStatus,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
    Tier,
)
from suggestions.workflow import IllegalTransition, Invalid, NotAllowed
from tests import factories as f


def statuses(suggestion):
    return list(suggestion.events.values_list("to_status", flat=True))


def test_full_lifecycle_leaves_a_complete_trail(walk, cast):
    suggestion = walk("closed")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED
    assert suggestion.number.startswith(f"{suggestion.submitted_at.year}-")
    actions = list(suggestion.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "accept", "assign", "start_handling", "reply", "rate", "close"]
    assert all(e.actor_id for e in suggestion.events.all())
    opinion = suggestion.source_opinions.get()
    assert opinion.status == OpinionStatus.MERGED
    assert list(opinion.events.values_list("action", flat=True)) == ["create", "merge"]


def test_numbers_count_up_per_year(walk):
    first, second = walk("submitted"), walk("submitted")
    year = first.submitted_at.year
    assert [first.number, second.number] == [f"{year}-0001", f"{year}-0002"]


def test_illegal_transition_is_refused_and_changes_nothing(walk, cast):
    suggestion = walk("submitted")
    before = SuggestionEvent.objects.count()
    with pytest.raises(IllegalTransition) as refusal:
        workflow.suggestion_close(suggestion=suggestion, actor=cast["county"], note="x")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUBMITTED
    assert SuggestionEvent.objects.count() == before
    assert "不能" in str(refusal.value) or "not possible" in str(refusal.value)


def test_only_reviewing_staff_accept(walk, cast):
    suggestion = walk("submitted")
    for role in ("township", "liaison", "deputy", "handler"):
        with pytest.raises(NotAllowed):
            workflow.suggestion_accept(suggestion=suggestion, actor=cast[role], tier=Tier.FAST, jurisdiction="county")


def test_township_staff_handle_township_suggestions_of_their_township(walk, cast):
    suggestion = walk("submitted")
    workflow.suggestion_accept(
        suggestion=suggestion, actor=cast["county"], tier=Tier.IMMEDIATE, jurisdiction="township"
    )
    with pytest.raises(Invalid):
        workflow.suggestion_assign(suggestion=suggestion, actor=cast["township"], lead=cast["dept"], mode="take_and_do")
    (lead,) = workflow.suggestion_assign(
        suggestion=suggestion, actor=cast["township"], lead=cast["township_gov"], mode="on_site"
    )
    assert lead.department == cast["township_gov"]


def test_supervised_needs_a_leader(walk, cast):
    suggestion = walk("submitted")
    with pytest.raises(Invalid):
        workflow.suggestion_accept(
            suggestion=suggestion, actor=cast["county"], tier=Tier.SUPERVISED, jurisdiction="county"
        )


def test_handlers_act_only_on_their_department(walk, cast):
    suggestion = walk("assigned")
    lead = suggestion.assignments.get()
    with pytest.raises(NotAllowed):
        workflow.assignment_accept(assignment=lead, actor=cast["co_handler"])
    with pytest.raises(NotAllowed):
        workflow.assignment_accept(assignment=lead, actor=cast["county"])
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    with pytest.raises(IllegalTransition):
        workflow.assignment_accept(assignment=lead, actor=cast["handler"])


def test_reply_waits_for_co_handlers(walk, cast):
    suggestion = walk("in_progress", co=True)
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    with pytest.raises(Invalid) as waiting:
        workflow.assignment_reply(assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="x")
    assert "县财政局" in str(waiting.value)
    workflow.assignment_accept(assignment=co, actor=cast["co_handler"])
    workflow.assignment_submit_input(assignment=co, actor=cast["co_handler"], text="资金已安排")
    workflow.assignment_reply(assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已修")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REPLIED


def test_b_class_reply_needs_commitments_and_blocks_closing_until_fulfilled(walk, cast):
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get()
    with pytest.raises(Invalid):
        workflow.assignment_reply(
            assignment=lead, actor=cast["handler"], result_class=f.result_class("B"), content="列入计划"
        )
    workflow.assignment_reply(
        assignment=lead,
        actor=cast["handler"],
        result_class=f.result_class("B"),
        content="列入明年计划",
        commitments=[("明年6月前完成修缮", dt.date.today() + dt.timedelta(days=200))],
    )
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="basically")
    with pytest.raises(Invalid) as refusal:
        workflow.suggestion_close(suggestion=suggestion, actor=cast["county"])
    assert "承诺" in str(refusal.value) or "ommitment" in str(refusal.value)
    workflow.commitment_fulfil(commitment=Commitment.objects.get(), actor=cast["handler"], note="已完工")
    workflow.suggestion_close(suggestion=suggestion, actor=cast["county"])
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED


def test_unsatisfied_opens_rehandling_then_second_time_escalates(walk, cast):
    suggestion = walk("rehandling")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REHANDLING
    second = suggestion.assignments.get(round=2)
    assert second.status == AssignmentStatus.ACCEPTED
    workflow.assignment_reply(
        assignment=second, actor=cast["handler"], result_class=f.result_class("C"), content="说明"
    )
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="unsatisfied", comment="不认可")
    suggestion.refresh_from_db()
    assert suggestion.committee_supervised
    assert suggestion.events.filter(action="escalate").exists()
    with pytest.raises(Invalid):
        workflow.suggestion_close(suggestion=suggestion, actor=cast["county"])


def test_closing_unsatisfied_needs_a_note(walk, cast):
    suggestion = walk("rehandling")
    third = suggestion.assignments.get(round=2)
    workflow.assignment_reply(assignment=third, actor=cast["handler"], result_class=f.result_class("C"), content="x")
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="unsatisfied", comment="不认可")
    final = suggestion.assignments.get(round=3)
    workflow.assignment_reply(assignment=final, actor=cast["handler"], result_class=f.result_class("C"), content="y")
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="unsatisfied", comment="仍不认可")
    last = suggestion.assignments.get(round=4)
    workflow.assignment_reply(assignment=last, actor=cast["handler"], result_class=f.result_class("D"), content="z")
    with pytest.raises(Invalid):
        workflow.suggestion_close(suggestion=suggestion, actor=cast["county"])
    workflow.suggestion_close(suggestion=suggestion, actor=cast["county"], note="经主任会议研究，予以销号")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.CLOSED


def test_lead_return_goes_back_to_staff_and_reassignment_restarts_the_clock(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("assigned", co=True)
    lead = suggestion.assignments.get(role="lead")
    on_day(dt.date(2026, 3, 6))
    workflow.assignment_return(assignment=lead, actor=cast["handler"], reason="不属于本单位职责")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert not suggestion.assignments.filter(status__in=["pending", "accepted"]).exists()
    (new_lead,) = workflow.suggestion_assign(
        suggestion=suggestion, actor=cast["county"], lead=cast["co_dept"], mode="joint"
    )
    assert new_lead.due_on == dt.date(2026, 4, 5)  # 30 calendar days from the reassignment


def test_return_after_the_window_is_refused(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("assigned")
    on_day(dt.date(2026, 3, 12))  # 8 working days later
    with pytest.raises(Invalid):
        workflow.assignment_return(assignment=suggestion.assignments.get(), actor=cast["handler"], reason="x")


def test_extension_is_capped_and_decided_by_staff(walk, cast, on_day):
    on_day(dt.date(2026, 3, 2))
    suggestion = walk("in_progress", tier=Tier.SUPERVISED)
    lead = suggestion.assignments.get()
    assert lead.due_on == dt.date(2026, 6, 2)
    with pytest.raises(Invalid) as too_far:
        workflow.extension_request(
            assignment=lead, actor=cast["handler"], requested_due_on=dt.date(2026, 9, 3), reason="工程量大"
        )
    assert "2026-09-02" in str(too_far.value)
    request = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=dt.date(2026, 8, 1), reason="工程量大"
    )
    with pytest.raises(NotAllowed):
        workflow.extension_decide(request=request, actor=cast["handler"], approve=True)
    with pytest.raises(Invalid):
        workflow.extension_decide(request=request, actor=cast["county"], approve=True, due_on=dt.date(2026, 9, 30))
    workflow.extension_decide(request=request, actor=cast["county"], approve=True)
    lead.refresh_from_db()
    assert lead.due_on == dt.date(2026, 8, 1)
    assert lead.original_due_on == dt.date(2026, 6, 2)


def test_refusing_an_extension_needs_a_reason(walk, cast):
    suggestion = walk("in_progress")
    lead = suggestion.assignments.get()
    request = workflow.extension_request(
        assignment=lead, actor=cast["handler"], requested_due_on=lead.due_on + dt.timedelta(days=5), reason="原因"
    )
    with pytest.raises(Invalid):
        workflow.extension_decide(request=request, actor=cast["county"], approve=False)
    workflow.extension_decide(request=request, actor=cast["county"], approve=False, note="理由不充分")
    lead.refresh_from_db()
    assert lead.due_on == lead.original_due_on


def test_joined_suggestions_each_rate_the_same_reply(walk, cast, network):
    primary = walk("accepted", title="修缮东门村道路")
    other_deputy = network["deputy_b"]
    other_deputy.user = f.UserFactory(username="deputy_b")
    other_deputy.save()
    f.AssignmentFactory(deputy=other_deputy, station=network["a_village"])
    follower = workflow.suggestion_create(
        actor=other_deputy.user,
        lead_deputy=other_deputy,
        title="东门村道路修缮",
        content="同上",
        category=f.category(),
        station=network["a_village"],
    )
    workflow.suggestion_accept(suggestion=follower, actor=cast["county"], tier=Tier.FAST, jurisdiction="county")
    follower = workflow.suggestion_join(suggestion=follower, primary=primary, actor=cast["county"])
    (lead,) = workflow.suggestion_assign(suggestion=primary, actor=cast["county"], lead=cast["dept"], mode="joint")
    workflow.assignment_accept(assignment=lead, actor=cast["handler"])
    workflow.assignment_reply(assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已修")
    assert Notification.objects.filter(recipient=other_deputy.user, kind="reply_posted").exists()
    workflow.feedback_rate(suggestion=primary, actor=cast["deputy"], rating="satisfied")
    primary.refresh_from_db()
    assert primary.status == SuggestionStatus.REPLIED  # waiting for the joined deputy
    workflow.feedback_rate(suggestion=follower, actor=other_deputy.user, rating="satisfied")
    primary.refresh_from_db()
    assert primary.status == SuggestionStatus.RATED
    workflow.suggestion_close(suggestion=primary, actor=cast["county"])
    follower.refresh_from_db()
    assert follower.status == SuggestionStatus.CLOSED


def test_opinion_states(walk, cast):
    answered = workflow.opinion_answer(opinion=walk.opinion(), actor=cast["deputy"], answer="已当场解释政策")
    declined = workflow.opinion_accept(opinion=walk.opinion(), actor=cast["township"])
    with pytest.raises(Invalid):
        workflow.opinion_decline(opinion=declined, actor=cast["township"], reason=" ")
    declined = workflow.opinion_decline(opinion=declined, actor=cast["township"], reason="不属于人大职权")
    with pytest.raises(IllegalTransition):
        workflow.opinion_accept(opinion=answered, actor=cast["county"])
    with pytest.raises(NotAllowed):
        workflow.opinion_accept(opinion=walk.opinion(), actor=cast["handler"])
    assert answered.status == OpinionStatus.ANSWERED
    assert declined.status == OpinionStatus.DECLINED


def test_assignment_notifies_the_department(walk, cast):
    walk("assigned")
    assert Notification.objects.filter(recipient=cast["handler"], kind="assignment_new").count() == 1


def test_rating_window_closes_after_twenty_working_days(walk, cast, on_day):
    # Replied Monday 22 Sep 2025. National Day 1–8 Oct is off; Sunday 28 Sep and Saturday
    # 11 Oct are make-up workdays: the 20th working day after the reply is Friday 24 Oct.
    on_day(dt.date(2025, 9, 22))
    suggestion = walk("replied")
    on_day(dt.date(2025, 10, 27))
    with pytest.raises(Invalid) as late:
        workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="satisfied")
    assert "2025-10-24" in str(late.value)
    on_day(dt.date(2025, 10, 24))
    workflow.feedback_rate(suggestion=suggestion, actor=cast["deputy"], rating="satisfied")


def test_two_lead_assignments_cannot_be_open_at_once(walk, cast):
    suggestion = walk("assigned")
    lead = suggestion.assignments.get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            suggestion=suggestion,
            department=cast["co_dept"],
            role="lead",
            assigned_at=lead.assigned_at,
            due_on=lead.due_on,
            original_due_on=lead.due_on,
            midpoint_on=lead.midpoint_on,
        )
    assert Suggestion.objects.get(pk=suggestion.pk).assignments.count() == 1


# Drafts: one action, one rule (whoever may submit a draft may edit it)
# ------------------------------------------------------------------------------


def test_township_staff_edit_and_submit_a_draft_they_entered_for_a_deputy(walk, cast):
    draft = walk("draft")
    workflow.suggestion_update_draft(suggestion=draft, actor=cast["township"], title="修缮东门村主干道")
    workflow.suggestion_submit(suggestion=draft, actor=cast["township"])
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("修缮东门村主干道", SuggestionStatus.SUBMITTED)


def test_those_who_may_not_submit_a_draft_may_not_edit_it(walk, cast):
    draft = walk("draft")
    for role in ("liaison", "handler", "anonymous"):
        with pytest.raises(NotAllowed):
            workflow.suggestion_update_draft(suggestion=draft, actor=cast[role], title="x")
        with pytest.raises(NotAllowed):
            workflow.suggestion_submit(suggestion=draft, actor=cast[role])


def test_township_staff_may_not_move_a_draft_out_of_their_township(walk, cast, network):
    draft = walk("draft")
    with pytest.raises(NotAllowed):
        workflow.suggestion_update_draft(suggestion=draft, actor=cast["township"], station=network["b_village"])
    workflow.suggestion_update_draft(suggestion=draft, actor=cast["county"], station=network["b_village"])
    draft.refresh_from_db()
    assert draft.township_id == network["b"].pk


def test_a_draft_edit_is_on_the_trail_and_an_unchanged_one_is_not(walk, cast, network):
    draft = walk("draft")
    workflow.suggestion_update_draft(suggestion=draft, actor=cast["deputy"], title=draft.title, content=draft.content)
    assert not draft.events.filter(action="edit").exists()
    other = network["deputy_b"]
    workflow.suggestion_update_draft(
        suggestion=draft, actor=cast["county"], content="新的内容", co_signers=[other, cast["deputy_record"]]
    )
    (edit,) = draft.events.filter(action="edit")
    assert (edit.actor, edit.is_public, edit.from_status, edit.to_status) == (cast["county"], False, "draft", "draft")
    assert edit.note.count("、") == 1  # content and co-signers
    assert list(draft.co_signers.all()) == [other]


def test_a_draft_title_cannot_be_blanked_nor_a_submitted_suggestion_edited(walk, cast):
    draft = walk("draft")
    with pytest.raises(Invalid):
        workflow.suggestion_update_draft(suggestion=draft, actor=cast["deputy"], title="  ")
    with pytest.raises(IllegalTransition):
        workflow.suggestion_update_draft(suggestion=walk("submitted"), actor=cast["deputy"], title="新标题")
