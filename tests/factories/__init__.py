"""factory_boy factories, one module per app; tests use them as ``from tests import factories as f``."""

from .activities import ActivityFactory, CampaignFactory, CampaignTargetFactory, activity_type
from .deputies import AssignmentFactory, DeputyFactory, DeputyGroupFactory, MandateFactory
from .liaison import StaffProfileFactory, UserFactory
from .stations import StationFactory, county_hub
from .suggestions import DepartmentFactory, category, result_class

__all__ = [
    "ActivityFactory",
    "AssignmentFactory",
    "CampaignFactory",
    "CampaignTargetFactory",
    "DepartmentFactory",
    "DeputyFactory",
    "DeputyGroupFactory",
    "MandateFactory",
    "StaffProfileFactory",
    "StationFactory",
    "UserFactory",
    "activity_type",
    "category",
    "county_hub",
    "result_class",
]
