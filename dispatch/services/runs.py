"""Dispatch runs: start, solve each district, merge, apply.

A run is a job row. Its Celery task is queued on commit and safe to deliver
twice: claiming happens under a row lock, and a run already finished (or still
alive under another worker's lease) is left alone. A worker that dies mid-run
leaves nothing half-written: plans are applied to tasks in one transaction at
the merge, and the redelivered message (acks late) finds the lease expired and
solves again, up to ``MAX_ATTEMPTS``; after that the run fails with its reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from demands import selectors as demand_selectors
from zhifu.access import district_staff, restrict
from zhifu.access.capabilities import Capability, can
from zhifu.accounts.choices import ManagerLevel
from zhifu.accounts.models import District, Specialist
from zhifu.core.errors import Conflict, DomainError, PermissionDenied
from zhifu.core.queue import enqueue, enqueue_on_commit, task_named
from zhifu.core.services import job_row_finish, job_row_mark_running
from zhifu.notifications.services import message, notify

from .. import adapter
from ..choices import MOVABLE, PINNED, DispatchMode, RunStatus, RunTrigger, TaskStatus
from ..models import DispatchRun, DistrictSolve, ServiceTask, SpecialistAbsence, TaskEvent
from .follow import demand_follow_task
from .generation import tasks_generate, tasks_withdraw_cancelled
from .links import board_link
from .reinforcement import reinforcement_plan
from .rollover import days_close

logger = logging.getLogger(__name__)
# Runs name their task (dispatch/tasks.py) instead of importing it.
EXECUTE_TASK = "dispatch.execute_run"

MAX_ATTEMPTS = 3
MAX_SECONDS = 600
# A queued run whose message never reached a worker (the broker was down, or lost it) is
# re-sent after this long (settings.DISPATCH_QUEUED_GRACE_SECONDS).


def _lease_seconds(run: DispatchRun) -> float:
    """How long a live worker may hold a run: every district solved one after another,
    plus a margin for loading and writing."""
    per_district = float(run.params.get("seconds", 20))
    districts = max(1, run.district_solves.count())
    return per_district * districts + settings.DISPATCH_LEASE_MARGIN_SECONDS


def _lease_expired(run: DispatchRun) -> bool:
    if run.started_at is None:
        return True
    return timezone.now() - run.started_at > dt.timedelta(seconds=_lease_seconds(run))


def run_start(*, actor, day: dt.date, district_ids: list[int] | None = None,
              mode: str = DispatchMode.COMMAND, seconds: float = 20.0, seed: int = 1,
              allow_cross_district: bool = True, trigger: str = RunTrigger.MANUAL,
              now: dt.datetime | None = None,
              planned_as_of: dt.datetime | None = None) -> DispatchRun:
    """Plan ``day`` for the districts (default: all the actor manages). ``actor=None`` is the
    system (schedules, re-plans). ``planned_as_of`` (the system only) plans as at that
    moment instead of now: the demo's "last night's plan" of today."""
    now = now or timezone.now()
    if actor is not None and not can(actor, Capability.MANAGE_DISTRICT_WORK):
        raise PermissionDenied(_("Only managers start dispatch runs."))
    allowed = District.objects.all() if actor is None else restrict(District, actor)
    allowed_ids = set(allowed.values_list("id", flat=True))
    wanted = set(district_ids) if district_ids else allowed_ids
    if not wanted:
        raise DomainError(_("Choose at least one district."), code="no_districts",
                          fields={"districts": [_("Choose at least one district.")]})
    if wanted - allowed_ids:
        raise PermissionDenied(_("You may only plan the districts you manage."))
    today = timezone.localdate(now)
    if day < today:
        raise DomainError(_("A day in the past cannot be planned."), code="day_in_past",
                          fields={"date": [_("A day in the past cannot be planned.")]})
    horizon = settings.DISPATCH_PLAN_HORIZON_DAYS
    if day > today + dt.timedelta(days=horizon):
        message = _("Plan at most %(n)s days ahead.") % {"n": horizon}
        raise DomainError(message, code="day_too_far", fields={"date": [message]})
    if not 1 <= float(seconds) <= MAX_SECONDS:
        raise DomainError(_("The time limit must be between 1 and 600 seconds."),
                          code="bad_seconds", fields={"seconds": [_("Between 1 and 600.")]})
    if mode not in DispatchMode.values:
        raise DomainError(_("Unknown dispatch mode."), code="bad_mode",
                          fields={"mode": [_("Unknown dispatch mode.")]})
    if actor is not None:
        _count_request(actor)
    with transaction.atomic():
        if actor is not None:
            existing = _active_run_for(day, wanted)
            if existing is not None:
                return existing
        run = DispatchRun.objects.create(
            service_date=day, mode=mode, trigger=trigger, seed=int(seed), requested_by=actor,
            params={"seconds": float(seconds), "allow_cross_district": bool(allow_cross_district),
                    # A re-plan keeps the day's finished and started work where it is,
                    # as of this moment.
                    **({"as_of": now.isoformat()} if trigger == RunTrigger.REPLAN else {}),
                    **({"planned_as_of": planned_as_of.isoformat()}
                       if planned_as_of is not None and actor is None else {})},
        )
        run.districts.set(sorted(wanted))
        DistrictSolve.objects.bulk_create(
            [DistrictSolve(run=run, district_id=d) for d in sorted(wanted)])

        enqueue_on_commit(task_named(EXECUTE_TASK), run.pk)
    return run


def nightly_run_start(*, seconds: float) -> DispatchRun:
    """The nightly run: every district, for the next working day of the company's calendar
    (a holiday is skipped, a make-up working day is planned)."""
    today = timezone.localdate()
    # Today is over: every task left undone gets its fate before tomorrow is planned.
    days_close(through=today)
    day = demand_selectors.work_calendar().next_working_day(today)
    return run_start(actor=None, day=day, seconds=seconds, trigger=RunTrigger.SCHEDULE)


def replan_day(*, day: dt.date, district_ids: list[int], seconds: float | None = None,
               now: dt.datetime | None = None) -> None:
    """Re-plan the rest of the day (started work stays where it is), for
    ``DISPATCH_REPLAN_SECONDS`` per district unless told otherwise."""
    seconds = settings.DISPATCH_REPLAN_SECONDS if seconds is None else seconds
    run_start(actor=None, day=day, district_ids=district_ids, seconds=seconds,
              trigger=RunTrigger.REPLAN, now=now)


def _count_request(actor) -> None:
    """At most ``DISPATCH_RUNS_PER_HOUR`` run requests an hour per person."""
    key = f"dispatch:run-requests:{actor.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(key, 1, timeout=3700)
        count = 1
    if count > settings.DISPATCH_RUNS_PER_HOUR:
        raise DomainError(_("Too many dispatch runs requested; try again within the hour."),
                          code="too_many_runs", status_code=429)


def _active_run_for(day: dt.date, wanted: set[int]) -> DispatchRun | None:
    """The queued or running run of ``day`` for exactly these districts (a repeat gets it);
    a run that shares only some of them is a conflict. Districts are locked first, so two
    requests at once cannot both start one."""
    list(District.objects.select_for_update().filter(pk__in=sorted(wanted)).values_list("pk"))
    active = (DispatchRun.objects.filter(service_date=day,
                                         status__in=(RunStatus.QUEUED, RunStatus.RUNNING),
                                         districts__in=sorted(wanted))
              .distinct().prefetch_related("districts"))
    for run in active:
        if {d.pk for d in run.districts.all()} == wanted:
            return run
        raise Conflict(_("Run #%(id)s is already planning some of these districts for that "
                         "day; wait for it to finish.") % {"id": run.pk}, code="run_active")
    return None


def run_claim(*, run_id: int) -> DispatchRun | None:
    """Take a run for this worker, or ``None`` when there is nothing to do (a redelivery)."""
    with transaction.atomic():
        run = DispatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.ended:
            return None
        if run.status == RunStatus.RUNNING and not _lease_expired(run):
            return None  # alive under another worker
        if run.attempts >= MAX_ATTEMPTS:
            job_row_finish(run, progress=run.progress, error=_(
                "Gave up after %(n)s attempts; the last worker stopped mid-run.")
                % {"n": run.attempts})
            return None
        run.attempts += 1
        # A retried run's lease counts from this attempt.
        run.started_at = None
        run.reinforcement = {}
        job_row_mark_running(run, fields=("attempts", "reinforcement"))
        # A retried run solves every district again from scratch.
        run.district_solves.update(status=RunStatus.QUEUED, plan={}, error="", progress=0.0)
    district_ids = list(run.districts.values_list("id", flat=True))
    # Work of a past day nobody closed (the evening job did not run) is given its fate first.
    days_close(through=timezone.localdate() - dt.timedelta(days=1))
    tasks_generate(day=run.service_date, district_ids=district_ids)
    tasks_withdraw_cancelled(day=run.service_date, district_ids=district_ids)
    return run


def _plannable(run: DispatchRun, district_id: int, *, lock: bool = False
               ) -> list[ServiceTask]:
    """The district's tasks a plan may place; ``lock`` (at merge time) holds them so an
    accept cannot land between reading a task's state and writing the plan."""
    statuses = (*MOVABLE, *PINNED)
    tasks = ServiceTask.objects.filter(
        service_date=run.service_date, district_id=district_id, status__in=statuses)
    if run.trigger == RunTrigger.REPLAN and run.mode == DispatchMode.COMMAND:
        # A mid-day re-plan leaves a grab district's open pool alone, unless the work must
        # be done (mandatory): the specialists are choosing from it.
        tasks = tasks.exclude(status=TaskStatus.OFFERED, mode=DispatchMode.GRAB,
                              mandatory=False)
    if lock:
        tasks = tasks.select_for_update(of=("self",))
    return list(tasks.select_related("retailer", "district").order_by("id"))


def _promised(task: ServiceTask, specialist_id: int | None) -> bool:
    """A task a specialist has accepted (or started) since the solve read it: the plan
    must not move it to anyone else, nor back to the pool."""
    return task.status not in MOVABLE and task.specialist_id != specialist_id


def _district_specialists(district_id: int, day: dt.date) -> list[Specialist]:
    return list(Specialist.objects.filter(active=True, home_district_id=district_id)
                .exclude(pk__in=SpecialistAbsence.away_all_day(day))
                .select_related("home_district").prefetch_related("skill_levels__skill")
                .order_by("id"))


def district_solve(*, solve_id: int) -> None:
    """Solve one district of a run and store its plan; merge when it is the last one."""
    with transaction.atomic():
        solve = (DistrictSolve.objects.select_for_update().select_related("run")
                 .filter(pk=solve_id).first())
        if solve is None or solve.status != RunStatus.QUEUED:
            return
        if solve.run.status != RunStatus.RUNNING:
            return
        solve.status = RunStatus.RUNNING
        solve.save(update_fields=["status"])
    run = solve.run
    started = time.monotonic()
    try:
        if run.mode == DispatchMode.GRAB:
            plan = {"grab": True}
        else:
            plan = _solve_command(run, solve)
    except Exception as exc:  # noqa: BLE001 - recorded on the run, never half-applied
        logger.exception("district solve %s failed", solve_id)
        DistrictSolve.objects.filter(pk=solve_id).update(status=RunStatus.FAILED,
                                                         error=str(exc)[:2000])
    else:
        DistrictSolve.objects.filter(pk=solve_id, status=RunStatus.RUNNING).update(
            status=RunStatus.SUCCEEDED, plan=plan, progress=1.0,
            seconds=time.monotonic() - started)
    run_merge_if_complete(run_id=run.pk)


def _plan_moment(run: DispatchRun) -> dt.datetime | None:
    """From when the run may plan: a re-plan from its change; today, from now (nothing
    is planned before the moment of planning); another day, from the shift's start."""
    if run.params.get("planned_as_of"):
        return dt.datetime.fromisoformat(run.params["planned_as_of"])
    as_of = run.params.get("as_of")
    moment = dt.datetime.fromisoformat(as_of) if as_of else None
    if run.service_date == timezone.localdate():
        now = timezone.now()
        moment = max(moment, now) if moment else now
    return moment


def _solve_command(run: DispatchRun, solve: DistrictSolve) -> dict:
    tasks = _plannable(run, solve.district_id)
    specialists = _district_specialists(solve.district_id, run.service_date)
    if not tasks:
        return {"routes": [], "unserved": [], "explanations": {}, "feasible": True}
    if not specialists:
        return {"routes": [], "explanations": {}, "feasible": True, "unserved": [
            {"task": str(t.pk), "reason": _("no specialist works in this district"),
             "mandatory": t.mandatory, "priority": t.priority} for t in tasks]}
    problem = adapter.build_problem(tasks=tasks, specialists=specialists, day=run.service_date,
                                    now=_plan_moment(run),
                                    name=f"run{run.pk}-{solve.district_id}")
    last = [0.0]

    def on_progress(fraction: float) -> None:
        # At most a write a second: progress is for people, not a hot path.
        if time.monotonic() - last[0] > 1.0:
            last[0] = time.monotonic()
            DistrictSolve.objects.filter(pk=solve.pk).update(progress=fraction)

    # A district's own plan keeps its people's service radius; "cross-district help" is the
    # reinforcement after it (services.reinforcement).
    return adapter.solve_plan(problem=problem, seconds=float(run.params.get("seconds", 20)),
                              seed=run.seed,
                              options={**run.params, "allow_cross_district": False},
                              on_progress=on_progress)


def run_merge_if_complete(*, run_id: int) -> None:
    """When every district is solved, apply all plans in one transaction."""
    with transaction.atomic():
        run = DispatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.RUNNING:
            return
        solves = list(run.district_solves.all())
        done = [s for s in solves if s.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)]
        run.progress = round(len(done) / max(1, len(solves)), 3)
        if len(done) < len(solves):
            run.save(update_fields=["progress"])
            return
        failed = [s for s in solves if s.status == RunStatus.FAILED]
        if failed:
            job_row_finish(run, error="; ".join(f"{s.district_id}: {s.error}" for s in failed))
            return
        reinforce = not run.reinforcement
        if reinforce:
            # This caller (and only it, under the lock) looks for help across districts.
            run.reinforcement = {"state": "solving"}
            run.save(update_fields=["reinforcement"])
        else:
            job_row_finish(run, result=_apply(run, solves, run.reinforcement))
    if reinforce:
        try:
            help_plan = reinforcement_plan(run=run, solves=solves, now=_plan_moment(run))
        except Exception:  # noqa: BLE001 - the districts' own plans still apply
            logger.exception("run %s: cross-district reinforcement failed", run_id)
            help_plan = {"routes": [], "borrowed": [], "failed": True}
        DispatchRun.objects.filter(pk=run_id).update(
            reinforcement={"state": "done", **help_plan})
        run_merge_if_complete(run_id=run_id)
        return
    _notify_changes(run)
    _notify_unserved(run)
    _notify_borrowed(run)


def _locked_lender_tasks(ids: set[int]) -> dict[str, ServiceTask]:
    """The tasks of lenders outside the run's districts, locked like the run's own."""
    if not ids:
        return {}
    rows = (ServiceTask.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status__in=(*MOVABLE, *PINNED))
            .select_related("retailer", "district"))
    return {str(t.pk): t for t in rows}


def _apply(run: DispatchRun, solves: list[DistrictSolve], reinforcement: dict) -> dict:
    """Write the merged plan onto the tasks (inside the merge transaction): each district's
    own plan, with the routes of specialists lent to a neighbour replaced by the
    reinforcement's."""
    summary = {"served": 0, "unserved": 0, "tasks": 0, "travel_minutes": 0.0,
               "served_priority": 0.0, "unserved_priority": 0.0, "districts": {}}
    changed: dict[int, set[int]] = {}
    kept: list[int] = []
    tasks: dict[str, ServiceTask] = {}
    for solve in solves:
        tasks.update({str(t.pk): t for t in _plannable(run, solve.district_id, lock=True)})
    lent = {int(r["specialist"]): r for r in reinforcement.get("routes", [])}
    borrowed = {b["task"] for b in reinforcement.get("borrowed", [])}
    tasks.update(_locked_lender_tasks({int(v["task"]) for r in lent.values()
                                       for v in r["visits"]} - {int(k) for k in tasks}))
    explanations = dict(reinforcement.get("explanations", {}))
    updates = []

    def place(route: dict) -> int:
        specialist_id = int(route["specialist"])
        placed = 0
        for position, visit in enumerate(route["visits"], start=1):
            task = tasks.get(visit["task"])
            if task is None:
                continue
            if _promised(task, specialist_id):
                kept.append(task.pk)
                continue
            if task.specialist_id != specialist_id:
                changed.setdefault(specialist_id, set()).add(task.pk)
                if task.specialist_id:
                    changed.setdefault(task.specialist_id, set()).add(task.pk)
            task.specialist_id = specialist_id
            task.sequence = position
            task.planned_start = adapter.local_datetime(run.service_date, visit["start"])
            task.planned_end = adapter.local_datetime(run.service_date, visit["end"])
            if task.status in MOVABLE:
                task.status = TaskStatus.ASSIGNED
            task.mode, task.run = DispatchMode.COMMAND, run
            task.explanation = explanations.get(visit["task"], {})
            task.unserved_reason = ""
            updates.append(task)
            placed += 1
            summary["served"] += 1
            summary["served_priority"] += task.priority
        summary["travel_minutes"] += float(route.get("travel", 0.0))
        return placed

    for solve in solves:
        district_tasks = [t for t in tasks.values() if t.district_id == solve.district_id]
        plan = solve.plan
        if plan.get("grab"):
            movable = [t for t in district_tasks if t.status in MOVABLE]
            for task in movable:
                task.status, task.mode, task.run = TaskStatus.OFFERED, DispatchMode.GRAB, run
                task.specialist, task.sequence = None, None
                task.planned_start = task.planned_end = None
            ServiceTask.objects.bulk_update(movable, ["status", "mode", "run", "specialist",
                                                      "sequence", "planned_start",
                                                      "planned_end"])
            summary["districts"][str(solve.district_id)] = {"offered": len(movable)}
            summary["tasks"] += len(district_tasks)
            continue
        explanations.update({k: v for k, v in plan.get("explanations", {}).items()
                             if k not in borrowed})
        served = 0
        for route in plan.get("routes", []):
            if int(route["specialist"]) not in lent:
                served += place(route)
        unserved = 0
        for item in plan.get("unserved", []):
            task = tasks.get(item["task"])
            if task is None or item["task"] in borrowed:
                continue
            if _promised(task, None):
                kept.append(task.pk)
                continue
            if task.specialist_id:
                changed.setdefault(task.specialist_id, set()).add(task.pk)
            task.status = TaskStatus.OPEN
            task.specialist, task.sequence = None, None
            task.planned_start = task.planned_end = None
            task.unserved_reason = str(item.get("reason", ""))[:255]
            task.explanation = explanations.get(item["task"], {})
            task.run = run
            updates.append(task)
            unserved += 1
            summary["unserved"] += 1
            summary["unserved_priority"] += task.priority
        summary["tasks"] += len(district_tasks)
        summary["districts"][str(solve.district_id)] = {
            "served": served, "unserved": unserved, "seconds": round(solve.seconds, 2),
            "feasible": plan.get("feasible", True),
        }
    for route in lent.values():
        place(route)
    ServiceTask.objects.bulk_update(updates, [
        "specialist", "sequence", "planned_start", "planned_end", "status", "mode", "run",
        "explanation", "unserved_reason"], batch_size=1000)
    for task in updates:
        if task.demand_id:
            demand_follow_task(task=task)
    summary["travel_minutes"] = round(summary["travel_minutes"], 1)
    summary["changed"] = {str(k): sorted(v) for k, v in changed.items()}
    summary["borrowed"] = [b for b in reinforcement.get("borrowed", [])
                           if b["task"] in tasks and tasks[b["task"]].specialist_id
                           == int(b["specialist"])]
    # Accepted while the plan was being solved: the acceptance wins, the plan's move is void.
    summary["kept_accepted"] = sorted(kept)
    moved = {task_id for ids in changed.values() for task_id in ids}
    TaskEvent.objects.bulk_create([
        TaskEvent(task=tasks[str(task_id)], action="planned",
                  data={"run": run.pk, "specialist": tasks[str(task_id)].specialist_id})
        for task_id in sorted(moved)])
    return summary


def plan_link(day: dt.date) -> str:
    """A specialist's page of its plan for ``day`` (a page, not the API)."""
    return f"{reverse('dispatch:specialist-plan')}?date={day.isoformat()}"


def _notify_changes(run: DispatchRun) -> None:
    """Tell each specialist whose day changed (only on re-plans and manual runs)."""
    changed = run.result.get("changed", {})
    if not changed:
        return

    specialists = Specialist.objects.filter(pk__in=[int(k) for k in changed]).select_related(
        "user")
    for specialist in specialists:
        count = len(changed[str(specialist.pk)])
        notify(recipients=[specialist.user], kind="dispatch_changed",
               title=message(gettext_noop("Your plan for %(day)s changed"),
                             day=run.service_date.isoformat()),
               body=message(gettext_noop("%(n)s of your tasks were added, moved or removed."),
                            n=count),
               link=plan_link(run.service_date))


def _notify_unserved(run: DispatchRun) -> None:
    """Tell the district leads about each task the plan could not serve, once per task and
    day: a re-plan that still cannot serve it tells nobody again."""
    unserved = (ServiceTask.objects.filter(run=run, status=TaskStatus.OPEN)
                .exclude(unserved_reason="").select_related("district", "retailer"))
    leads: dict[int, list] = {}
    for task in unserved:
        if task.district_id not in leads:
            leads[task.district_id] = list(district_staff(
                task.district_id, specialists=False, level=ManagerLevel.DISTRICT_LEAD))
        link = board_link(task.service_date, task.district.code)
        notify(recipients=leads[task.district_id], kind="dispatch.unserved",
               title=message(gettext_noop("No one can serve %(shop)s on %(day)s"),
                             shop=task.retailer.shop_name, day=task.service_date.isoformat()),
               body=f"{task.title}: {task.unserved_reason}", link=link,
               key=f"task:{task.pk}:unserved:{task.service_date.isoformat()}")


def _notify_borrowed(run: DispatchRun) -> None:
    """Tell the leads of both districts which specialist was lent for which work, once."""
    borrowed = run.result.get("borrowed", [])
    if not borrowed:
        return
    tasks = (ServiceTask.objects.filter(pk__in=[int(b["task"]) for b in borrowed])
             .select_related("district", "retailer", "specialist__user",
                             "specialist__home_district"))
    for task in tasks:
        if task.specialist is None:
            continue
        lender = task.specialist.home_district
        recipients = [*district_staff(task.district_id, specialists=False,
                                      level=ManagerLevel.DISTRICT_LEAD),
                      *district_staff(lender.pk, specialists=False,
                                      level=ManagerLevel.DISTRICT_LEAD)]
        notify(recipients=recipients, kind="dispatch.borrowed",
               title=message(gettext_noop("%(person)s of %(lender)s helps %(district)s on "
                                          "%(day)s"),
                             person=task.specialist.user.display_name, lender=lender.name,
                             district=task.district.name, day=task.service_date.isoformat()),
               body=f"{task.retailer.shop_name}: {task.title}",
               link=board_link(task.service_date, task.district.code),
               key=f"task:{task.pk}:borrowed:{task.specialist_id}:{task.service_date}")


def runs_recover() -> list[int]:
    """Re-send runs a dead worker left behind (lease expired) or a lost message never
    started. Beat calls this every minute; ``run_claim`` decides what is really due."""
    now = timezone.now()
    due = []
    for run in DispatchRun.objects.filter(status=RunStatus.RUNNING):
        if _lease_expired(run):
            due.append(run.pk)
    due += list(DispatchRun.objects.filter(
        status=RunStatus.QUEUED,
        created_at__lt=now - dt.timedelta(seconds=settings.DISPATCH_QUEUED_GRACE_SECONDS)
    ).values_list("pk",
                                                                                   flat=True))
    for run_id in due:
        logger.warning("re-sending dispatch run %s", run_id)
        if not enqueue(task_named(EXECUTE_TASK), run_id):
            break  # the broker is still down: the next sweep tries again
    return due
