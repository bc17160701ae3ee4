"""The demand behind a task follows the plan: assigned or accepted work schedules it.

Below runs and field work (both call it), above nothing of dispatch but its models."""

from __future__ import annotations

import datetime as dt

from demands import services as demand_services
from demands.choices import DemandStatus
from demands.models import Demand
from zhifu.accounts.models import Specialist

from ..choices import TaskStatus
from ..models import ServiceTask

# A planned time that moves less than this is not news to the retailer.
MOVE_WORTH_TELLING = dt.timedelta(minutes=30)


def _same_time(before, after) -> bool:
    if before is None or after is None:
        return before is after
    return abs(before - after) < MOVE_WORTH_TELLING


def demand_follow_task(*, task: ServiceTask, actor=None) -> None:
    """Keep the demand behind a task in step with the plan (system actor by default)."""
    if not task.demand_id:
        return

    demand = (Demand.objects.filter(pk=task.demand_id)
              .only("id", "status", "assignee_id", "planned_start").first())
    if demand is None:
        return
    if demand.status == DemandStatus.SCHEDULED and demand.assignee_id == task.specialist_id \
            and _same_time(demand.planned_start, task.planned_start):
        return  # a re-plan that left it where it was: the retailer is not told again
    if task.specialist_id and task.status in (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED) and (
            demand.status in (DemandStatus.ACCEPTED, DemandStatus.SCHEDULED,
                              DemandStatus.ESCALATED)):
        demand_services.demand_schedule(
            demand=demand, actor=actor,
            specialist=Specialist.objects.get(pk=task.specialist_id),
            planned_start=task.planned_start)
