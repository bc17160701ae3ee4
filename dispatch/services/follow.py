"""The demand behind a task follows the plan: assigned or accepted work schedules it.

Below runs and field work (both call it), above nothing of dispatch but its models."""

from __future__ import annotations

from demands import services as demand_services
from demands.choices import DemandStatus
from demands.models import Demand
from zhifu.accounts.models import Specialist

from ..choices import TaskStatus
from ..models import ServiceTask


def demand_follow_task(*, task: ServiceTask, actor=None) -> None:
    """Keep the demand behind a task in step with the plan (system actor by default)."""
    if not task.demand_id:
        return

    demand = Demand.objects.filter(pk=task.demand_id).only("id", "status").first()
    if demand is None:
        return
    if task.specialist_id and task.status in (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED) and (
            demand.status in (DemandStatus.ACCEPTED, DemandStatus.SCHEDULED,
                              DemandStatus.ESCALATED)):
        demand_services.demand_schedule(
            demand=demand, actor=actor,
            specialist=Specialist.objects.get(pk=task.specialist_id),
            planned_start=task.planned_start)
