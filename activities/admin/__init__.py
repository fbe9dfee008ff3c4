"""The staff's side of activities: the admin classes (importing the modules registers them),
the review list and the campaign progress pages."""

from . import activities, campaigns, duty

__all__ = ["activities", "campaigns", "duty"]
