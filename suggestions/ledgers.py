"""Ledgers (台账) and rates per department and per township.

Counts are SQL aggregates grouped by department or township; the rates are divided in Python
from those counts. Ledger exports stream rows for the spreadsheet the county office files.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.textnorm import mask_phone
from stations.selectors import percent

from .models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactMethod,
    ContactRecord,
    Feedback,
    Rating,
    Reply,
)

LIVE_ASSIGNMENT = [AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED, AssignmentStatus.DONE]
SATISFIED = [Rating.SATISFIED, Rating.BASICALLY]


def rates_by(suggestions: QuerySet, group: str) -> list[dict]:
    """Reply, on-time, resolution, satisfaction and meeting rates grouped by ``group``.

    ``group`` is ``"department"`` (the lead department) or ``"township"`` (the suggestion's
    township). Each figure comes from one grouped SQL query over the given suggestions.
    """
    key = {
        "department": ("department_id", "department__name"),
        "township": ("suggestion__township_id", "suggestion__township__name"),
    }[group]
    leads = Assignment.objects.filter(suggestion__in=suggestions, role=AssignmentRole.LEAD, status__in=LIVE_ASSIGNMENT)
    rows: dict = defaultdict(lambda: defaultdict(int))

    for item in leads.values(*key).annotate(n=Count("suggestion", distinct=True)).order_by():
        rows[item[key[0]]].update(name=item[key[1]], assigned=item["n"])

    reply_key = ("assignment__" + key[0], "assignment__" + key[1])
    replies = Reply.objects.filter(suggestion__in=suggestions)
    for item in (
        replies.values(*reply_key)
        .annotate(
            replied=Count("suggestion", distinct=True),
            replies=Count("id"),
            on_time=Count("id", filter=Q(on_time=True)),
            resolved=Count("id", filter=Q(result_class__counts_as_resolved=True)),
        )
        .order_by()
    ):
        row = rows[item[reply_key[0]]]
        row["name"] = item[reply_key[1]]
        for field in ("replied", "replies", "on_time", "resolved"):
            row[field] = item[field]

    feedback_key = ("reply__" + reply_key[0], "reply__" + reply_key[1])
    feedback = Feedback.objects.filter(reply__suggestion__in=suggestions)
    for item in (
        feedback.values(*feedback_key)
        .annotate(rated=Count("id"), satisfied=Count("id", filter=Q(rating__in=SATISFIED)))
        .order_by()
    ):
        row = rows[item[feedback_key[0]]]
        row["name"] = item[feedback_key[1]]
        row["rated"], row["satisfied"] = item["rated"], item["satisfied"]

    met = ContactRecord.objects.filter(assignment__in=leads, method=ContactMethod.FACE_TO_FACE)
    for item in met.values(*reply_key).annotate(n=Count("assignment__suggestion", distinct=True)).order_by():
        rows[item[reply_key[0]]]["met"] = item["n"]

    table = []
    for group_id, row in rows.items():
        table.append(
            {
                "id": group_id,
                "name": row.get("name") or "—",
                "assigned": row["assigned"],
                "replied": row["replied"],
                "reply_rate": percent(row["replied"], row["assigned"]),
                "on_time_rate": percent(row["on_time"], row["replies"]),
                "resolution_rate": percent(row["resolved"], row["replies"]),
                "satisfaction_rate": percent(row["satisfied"], row["rated"]),
                "meeting_rate": percent(row["met"], row["assigned"]),
                "rated": row["rated"],
            }
        )
    return sorted(table, key=lambda r: (-r["assigned"], r["name"]))


SUGGESTION_COLUMNS = [
    "编号",
    "标题",
    "领衔代表",
    "附议代表",
    "类别",
    "办理层级",
    "管辖",
    "所属乡镇",
    "主办单位",
    "协办单位",
    "交办日期",
    "办理期限",
    "答复日期",
    "答复类别",
    "是否按期答复",
    "满意度",
    "状态",
    "办结日期",
]
OPINION_COLUMNS = [
    "查询码",
    "收到日期",
    "联络站",
    "所属乡镇",
    "渠道",
    "类别",
    "内容",
    "接待代表",
    "群众姓名",
    "联系电话",
    "状态",
    "转为建议",
    "处理说明",
]


def _date(value) -> str:
    """A date or an aware datetime as ``YYYY-MM-DD`` in Asia/Shanghai; empty for None."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.strftime("%Y-%m-%d")


def suggestion_rows(suggestions: QuerySet):
    """One ledger row per suggestion, with a fixed number of queries for any number of rows."""
    suggestions = (
        suggestions.select_related("lead_deputy", "category", "township")
        .prefetch_related(
            "co_signers",
            Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("round", "pk")),
            Prefetch("replies", queryset=Reply.objects.select_related("result_class").order_by("round")),
            "feedback",
        )
        .order_by("number")
    )
    for s in suggestions:
        live = [a for a in s.assignments.all() if a.status in LIVE_ASSIGNMENT]
        leads = [a for a in live if a.role == AssignmentRole.LEAD]
        lead = leads[-1] if leads else None
        reply = s.replies.all()[len(s.replies.all()) - 1] if s.replies.all() else None
        ratings = sorted(s.feedback.all(), key=lambda f: f.rated_at)
        yield [
            s.number or "",
            s.title,
            s.lead_deputy.name,
            "、".join(d.name for d in s.co_signers.all()),
            s.category.name,
            s.get_tier_display(),
            s.get_jurisdiction_display(),
            s.township.name if s.township_id else "",
            lead.department.name if lead else "",
            "、".join(a.department.name for a in live if a.role == AssignmentRole.CO),
            _date(lead.assigned_at) if lead else "",
            _date(lead.due_on) if lead else "",
            _date(reply.replied_at) if reply else "",
            str(reply.result_class) if reply else "",
            ("是" if reply.on_time else "否") if reply else "",
            ratings[-1].get_rating_display() if ratings else "",
            s.get_status_display(),
            _date(s.closed_at),
        ]


def opinion_rows(opinions: QuerySet, *, personal_data: bool):
    opinions = opinions.select_related("station__township", "category", "suggestion").prefetch_related("deputies")
    for o in opinions.order_by("received_on", "pk"):
        yield [
            o.tracking_code,
            _date(o.received_on),
            o.station.name,
            o.station.township.name if o.station.township_id else "",
            o.get_channel_display(),
            o.category.name if o.category_id else "",
            o.content,
            "、".join(d.name for d in o.deputies.all()),
            o.voter_name
            if personal_data
            else (o.voter_name[:1] + "*" * (len(o.voter_name) - 1) if o.voter_name else ""),
            o.voter_phone if personal_data else mask_phone(o.voter_phone),
            o.get_status_display(),
            o.suggestion.number if o.suggestion_id else "",
            o.answer or o.decline_reason,
        ]
