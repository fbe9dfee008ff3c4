"""Models of deputies' activities (履职活动), reception days and duty rosters, and campaigns.

One module per part; each is imported here so Django finds the models.
"""

from .activities import (
    Activity,
    ActivityEvent,
    ActivityOpinion,
    ActivityPhoto,
    ActivityStatus,
    Attendance,
)
from .campaigns import Campaign, CampaignSuggestion, CampaignTarget, Measure
from .duty import DutyAssignment, DutyEvent, DutyStatus, LeaveRequest, LeaveStatus
from .types import ActivityType

__all__ = [
    "Activity",
    "ActivityEvent",
    "ActivityOpinion",
    "ActivityPhoto",
    "ActivityStatus",
    "ActivityType",
    "Attendance",
    "Campaign",
    "CampaignSuggestion",
    "CampaignTarget",
    "DutyAssignment",
    "DutyEvent",
    "DutyStatus",
    "LeaveRequest",
    "LeaveStatus",
    "Measure",
]
