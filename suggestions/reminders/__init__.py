"""Suggestion reminders: the plans of each reminded item (:mod:`.plans`, with
:func:`reschedule`, which the workflow calls on every transition) and the scan that sends
what is due, with manual reminders (:mod:`.scan`).

The names other modules use are importable from here.
"""

from .plans import reschedule
from .scan import remind_assignments, remind_manually

__all__ = ["remind_assignments", "remind_manually", "reschedule"]
