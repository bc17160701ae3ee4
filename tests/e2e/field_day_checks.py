"""The simulated field day's verdict, read from the live server's database after the day
(run by ``tests/e2e/test_field_day.py`` in a ``manage.py shell`` of the server's settings).
Prints one JSON line: for each promise of the issue, the tasks that broke it."""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Q

from dispatch import adapter
from dispatch.choices import TaskFate, TaskStatus
from dispatch.models import ServiceTask, SpecialistAbsence, TaskEvent
from dispatch.services.reinforcement import neighbours
from zhifu.accounts.models import District, Specialist

PROMISED = ("accepted", "claimed", "started", "completed")
# Steps that move a task on purpose (a person, an absence, the day's end): not a plan's move.
EXPLICIT = ("reassigned", "freed", "exception", "withdrawn", "cancelled",
            TaskFate.ROLLED_OVER)
WAITING = (TaskStatus.OPEN, TaskStatus.OFFERED, TaskStatus.ASSIGNED, TaskStatus.ACCEPTED)
TOLERANCE = dt.timedelta(seconds=2)


def _moved_promises(task_ids) -> list[dict]:
    found = []
    events = (TaskEvent.objects.filter(task_id__in=task_ids).select_related("actor__specialist")
              .order_by("task_id", "created_at", "id"))
    by_task: dict[int, list[TaskEvent]] = {}
    for event in events:
        by_task.setdefault(event.task_id, []).append(event)
    for task_id, steps in by_task.items():
        holder = None
        for event in steps:
            if event.action in PROMISED and event.actor and hasattr(event.actor, "specialist"):
                holder = event.actor.specialist.pk
            elif event.action in EXPLICIT:
                holder = None
            elif event.action == "planned" and holder is not None \
                    and event.data.get("specialist") != holder:
                found.append({"task": task_id, "held_by": holder,
                              "plan_gave_it_to": event.data.get("specialist"),
                              "run": event.data.get("run")})
                holder = None
    return found


def _planned_in_the_past(tasks) -> list[dict]:
    found = []
    for task in tasks:
        if task.planned_start is None or task.run is None:
            continue
        moment = task.run.created_at
        placed_by_hand = (TaskEvent.objects.filter(task=task, action__in=("reassigned",
                                                                          "claimed"))
                          .order_by("-created_at").first())
        if placed_by_hand is not None and placed_by_hand.created_at > moment:
            moment = placed_by_hand.created_at
        if task.planned_start < moment - TOLERANCE:
            found.append({"task": task.pk, "planned_start": task.planned_start.isoformat(),
                          "planned_at": moment.isoformat()})
    return found


def _unserved_with_room(next_day: dt.date) -> list[dict]:
    found = []
    districts = list(District.objects.all())
    for task in (ServiceTask.objects.filter(service_date=next_day, status=TaskStatus.OPEN,
                                            mandatory=True)
                 .select_related("retailer", "district")):
        reach = [task.district, *neighbours(task.district, districts)]
        people = (Specialist.objects.filter(active=True, home_district__in=reach)
                  .exclude(pk__in=SpecialistAbsence.away_all_day(next_day))
                  .select_related("home_district")
                  .prefetch_related("skill_levels__skill"))
        for person in people:
            route = list(ServiceTask.objects.filter(
                specialist=person, service_date=next_day,
                status__in=(TaskStatus.ASSIGNED, TaskStatus.ACCEPTED))
                .select_related("retailer", "district").order_by("sequence", "id"))
            placed, _ = adapter.check_assignment(
                task=task, specialist=person, day=next_day, route=route,
                allow_cross_district=person.home_district_id != task.district_id)
            if placed is not None:
                found.append({"task": task.pk, "could_go_to": person.pk,
                              "reason": task.unserved_reason})
                break
    return found


def main(*, day: str, next_day: str, replayed: int) -> None:
    day, next_day = dt.date.fromisoformat(day), dt.date.fromisoformat(next_day)
    rolled_from_day = set(TaskEvent.objects.filter(
        action=TaskFate.ROLLED_OVER, data__from=day.isoformat()).values_list("task_id",
                                                                             flat=True))
    of_the_day = list(ServiceTask.objects.filter(Q(service_date=day) | Q(pk__in=rolled_from_day))
                      .select_related("run"))
    ids = [t.pk for t in of_the_day]
    report = {
        "tasks_of_the_day": len(of_the_day),
        # How much each check saw (a check over nothing proves nothing).
        "promises_checked": TaskEvent.objects.filter(task_id__in=ids,
                                                     action__in=PROMISED).count(),
        "plans_checked": sum(1 for t in of_the_day
                             if t.planned_start is not None and t.run is not None),
        "mandatory_unserved_next_day": ServiceTask.objects.filter(
            service_date=next_day, status=TaskStatus.OPEN, mandatory=True).count(),
        "rolled_over": len(rolled_from_day),
        "moved_promises": _moved_promises(ids),
        "planned_in_the_past": _planned_in_the_past(
            [t for t in of_the_day if t.service_date == day]),
        "without_fate": list(ServiceTask.objects.filter(service_date=day, status__in=WAITING)
                             .values_list("pk", flat=True)),
        "unserved_with_room": _unserved_with_room(next_day),
        "replay_duplicates": [
            {"task": replayed, "action": action, "times": n}
            for action in ("started", "completed")
            if (n := TaskEvent.objects.filter(task_id=replayed, action=action).count()) != 1],
    }
    print(json.dumps(report, ensure_ascii=False))
