from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifu.core.choices import JobStatus


class TaskSource(models.TextChoices):
    DEMAND = "demand", _("Retailer demand")
    VISIT = "visit", _("Planned visit")
    # A manager's urgent work at a shop: beside (never instead of) the day's planned visit.
    URGENT = "urgent", _("Urgent work")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Awaiting dispatch")
    OFFERED = "offered", _("In the open pool")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Could not be done")


# Field work not behind a demand: a finished one earns the specialist a visit's points.
VISIT_SOURCES = (TaskSource.VISIT, TaskSource.URGENT)

# Work the dispatcher may still move; everything else stays where it is.
MOVABLE = (TaskStatus.OPEN, TaskStatus.OFFERED, TaskStatus.ASSIGNED)
# Work already promised by a specialist: pinned to them in every re-plan.
PINNED = (TaskStatus.ACCEPTED,)
ACTIVE = (*MOVABLE, *PINNED, TaskStatus.IN_PROGRESS)


class TaskFate(models.TextChoices):
    """What became of a task its day ended without (``services.rollover``)."""

    ROLLED_OVER = "rolled_over", _("Rolled over to the next working day")
    ESCALATED = "escalated", _("Escalated to the district lead")
    CANCELLED = "cancelled", _("Cancelled")


class DispatchMode(models.TextChoices):
    COMMAND = "command", _("Command mode: the system assigns")
    GRAB = "grab", _("Grab mode: specialists claim open tasks")


# A run and each of its district solves are job rows: they share the job states.
RunStatus = JobStatus


class RunTrigger(models.TextChoices):
    MANUAL = "manual", _("Started by a manager")
    SCHEDULE = "schedule", _("Scheduled")
    REPLAN = "replan", _("Re-plan after a change")


class ExceptionKind(models.TextChoices):
    CANNOT_REACH = "cannot_reach", _("Cannot reach the shop")
    SHOP_CLOSED = "shop_closed", _("Shop closed")
    NEEDS_OTHER_SKILL = "needs_other_skill", _("Needs another skill")
    OTHER = "other", _("Other")
