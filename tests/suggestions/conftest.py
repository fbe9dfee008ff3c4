"""Fixtures for the lifecycle: a county department with a handler, a township government,
a deputy with a login, and helpers that walk a suggestion through the workflow."""

import datetime as dt

import pytest

from suggestions import workflow
from suggestions.models import Channel, DepartmentLevel, HandlingMode, Jurisdiction, Tier
from tests import factories as f


@pytest.fixture
def cast(role_users, network):
    """The people of a suggestion's life, on top of ``role_users``."""
    county_dept = network_dept = f.DepartmentFactory(name="县交通运输局")
    network_dept.contact_users.add(role_users["handler"])
    co_dept = f.DepartmentFactory(name="县财政局")
    co_handler = f.UserFactory(username="cohandler")
    co_dept.contact_users.add(co_handler)
    township_gov = f.DepartmentFactory(name="城关镇人民政府", level=DepartmentLevel.TOWNSHIP, township=network["a"])
    township_handler = f.UserFactory(username="townhandler")
    township_gov.contact_users.add(township_handler)
    return {
        **role_users,
        "dept": county_dept,
        "co_dept": co_dept,
        "co_handler": co_handler,
        "township_gov": township_gov,
        "township_handler": township_handler,
        "deputy_record": network["deputy_a"],
        "station": network["a_village"],
    }


@pytest.fixture
def walk(cast):
    """``walk(status)`` → a suggestion brought to ``status`` through the workflow only."""

    def make_opinion(**kwargs):
        return workflow.opinion_create(
            content=kwargs.pop("content", "村口道路坑洼，雨天积水严重"),
            channel=Channel.RECEPTION_DAY,
            station=cast["station"],
            actor=cast["deputy"],
            deputies=[cast["deputy_record"]],
            **kwargs,
        )

    def to(status, *, tier=Tier.FAST, co=False, title="修缮东门村道路"):
        s = workflow.suggestion_create(
            actor=cast["deputy"],
            lead_deputy=cast["deputy_record"],
            title=title,
            content="建议对东门村主干道进行修缮。",
            category=f.category(),
            station=cast["station"],
            opinions=[make_opinion()],
            submit=status != "draft",
        )
        if status in ("draft", "submitted"):
            return s
        if status == "rejected":
            return workflow.suggestion_reject(suggestion=s, actor=cast["county"], reason="不属于代表建议范围")
        leader = cast["county"] if tier == Tier.SUPERVISED else None
        workflow.suggestion_accept(
            suggestion=s, actor=cast["county"], tier=tier, jurisdiction=Jurisdiction.COUNTY, supervising_leader=leader
        )
        if status == "accepted":
            return s
        lead, *_ = workflow.suggestion_assign(
            suggestion=s,
            actor=cast["county"],
            lead=cast["dept"],
            co_handlers=[cast["co_dept"]] if co else [],
            mode=HandlingMode.TAKE_AND_DO,
        )
        if status == "assigned":
            return s
        workflow.assignment_accept(assignment=lead, actor=cast["handler"])
        if status == "in_progress":
            return s
        workflow.assignment_reply(
            assignment=lead, actor=cast["handler"], result_class=f.result_class("A"), content="已完成道路修缮。"
        )
        if status == "replied":
            return s
        if status == "rated":
            workflow.feedback_rate(suggestion=s, actor=cast["deputy"], rating="satisfied")
            return s
        if status == "rehandling":
            workflow.feedback_rate(suggestion=s, actor=cast["deputy"], rating="unsatisfied", comment="仍有积水")
            return s
        if status == "closed":
            workflow.feedback_rate(suggestion=s, actor=cast["deputy"], rating="satisfied")
            return workflow.suggestion_close(suggestion=s, actor=cast["county"])
        raise ValueError(status)

    to.opinion = make_opinion
    return to


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is ``day`` (at 10:00 Asia/Shanghai) for the workflow and deadlines."""
    from django.utils import timezone

    def set_day(day: dt.date):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day
