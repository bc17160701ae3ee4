"""Demand history for the demo city: a few thousand demands over the ``--days`` window, in
every state, each with the events of the path it took.

Deterministic for a seed and safe to run twice: each demand carries a submission token
derived from the seed, the shop and its index, and existing tokens are skipped. Rows are
bulk-created (not through the services) so the demo city loads in seconds; the paths
follow the lifecycle's transition table.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from profiling.selectors import retailer_segments
from zhifu.accounts.choices import ManagerLevel
from zhifu.accounts.models import Retailer, Specialist, User

from . import clock
from .calendar import SlaClock, WallClock
from .choices import DemandKind, SlaState
from .choices import DemandStatus as S
from .eligibility import ineligibility_reasons
from .lifecycle import TRANSITIONS
from .models import CatalogueItem, Demand, DemandEvent, RequestPromise
from .sla import demands_sla_sweep

PATHS = {
    DemandKind.SERVICE: ["accept", "schedule", "start", "complete", "rate", "close"],
    DemandKind.PERSONALISED: ["triage", "accept", "schedule", "start", "complete", "rate",
                              "close"],
    DemandKind.CONSULTATION: ["answer", "close"],
    DemandKind.COMPLAINT: ["accept", "schedule", "start", "complete", "follow_up", "close"],
    DemandKind.SUGGESTION: ["accept", "answer", "close"],
}
KINDS = [(DemandKind.SERVICE, .55), (DemandKind.PERSONALISED, .25),
         (DemandKind.CONSULTATION, .10), (DemandKind.COMPLAINT, .05),
         (DemandKind.SUGGESTION, .05)]
NEEDS = ["想学习短视频带货", "希望增加夜间配送", "想了解电子价签", "门头灯箱需要更换",
         "想办会员日活动", "希望培训收银系统", "想申请陈列柜", "咨询新品到货时间",
         "建议增加小规格产品", "希望了解诚信互助小组"]
COMPLAINTS = ["送货延迟两天", "订货系统经常卡顿", "价签与实际不符"]
BATCH = 2000


def _pick(rng, pairs):
    roll, acc = rng.random(), 0.0
    for value, weight in pairs:
        acc += weight
        if roll <= acc:
            return value
    return pairs[-1][0]


def _working_moment(rng, day: dt.date, tz) -> dt.datetime:
    minutes = rng.choice([rng.randint(510, 719), rng.randint(840, 1049)])
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tz)


def seed(ctx) -> None:
    calendar = clock.work_calendar()
    tz = calendar.tz
    now = dt.datetime.combine(ctx.today, dt.time(16, 0), tz)
    start = ctx.today - dt.timedelta(days=max(ctx.days, 1))
    items = [i for i in CatalogueItem.objects.filter(active=True, is_personalised=False)]
    request_item = next((i for i in items if i.code == "consultation_complaint"), None)
    promises = {p.kind: p for p in RequestPromise.objects.all()}
    specialists: dict[int, list[Specialist]] = {}
    for spec in Specialist.objects.select_related("user").order_by("employee_no"):
        specialists.setdefault(spec.home_district_id, []).append(spec)
    leads = {}
    for lead in User.objects.filter(manager_level=ManagerLevel.DISTRICT_LEAD).prefetch_related(
            "managed_districts").order_by("username"):
        for district in lead.managed_districts.all():
            leads.setdefault(district.pk, lead)
    retailers = list(Retailer.objects.filter(licence_no__startswith="4405")
                     .select_related("user").order_by("licence_no"))

    segments = retailer_segments(retailer_ids=[r.pk for r in retailers], today=ctx.today)
    prefix = f"demo{ctx.seed}-"
    existing = set(Demand.objects.filter(client_token__startswith=prefix)
                   .values_list("client_token", flat=True))
    pending: list[tuple[Demand, list[DemandEvent]]] = []
    for retailer in retailers:
        rng = random.Random(f"{ctx.seed}:demands:{retailer.licence_no}")
        count = _pick(rng, [(0, .35), (1, .35), (2, .2), (3, .1)])
        eligible = [i for i in items if not ineligibility_reasons(
            item=i, retailer=retailer, segment=segments[retailer.pk])]
        for index in range(count):
            token = f"{prefix}{retailer.licence_no}-{index}"
            day = start + dt.timedelta(days=rng.randrange(max(ctx.days, 1)))
            submitted = _working_moment(rng, day, tz)
            kind = _pick(rng, KINDS)
            plan = _plan(rng, kind, retailer, eligible, request_item, submitted, promises)
            if token in existing or submitted >= now or plan is None:
                continue
            demand = Demand(retailer=retailer, district_id=retailer.district_id,
                            client_token=token, submitted_at=submitted, **plan)
            clock.set_deadlines(demand, calendar)
            events = _walk(rng, demand, kind, now, calendar,
                           specialists.get(retailer.district_id, []),
                           leads.get(retailer.district_id), retailer.user)
            pending.append((demand, events))
        if len(pending) >= BATCH:
            _save(pending)
            pending = []
    if retailers:
        pending += _showcase(ctx, retailers[0], items, segments, existing, prefix, calendar,
                             now, specialists, leads)
    _save(pending)
    ctx.counts["demands"] = Demand.objects.count()
    if ctx.today == timezone.localdate():
        # The first sweep, as beat would run it: late demands are marked and escalated, and
        # the people on each rung find them in their inbox.
        ctx.counts["SLA escalations"] = demands_sla_sweep()["escalations"]


# The README's retailer login walks the whole loop: a service done yesterday that waits for
# its rating, one rated last week, and one scheduled for today (its task is on today's
# board and the specialist's day).
SHOWCASE = [
    ("rate-me", ["accept", "schedule", "start", "complete"], 2, 2.0),
    ("rated", ["accept", "schedule", "start", "complete", "rate"], 12, 6.0),
    ("today", ["accept", "schedule"], 0.25, 1.0),
]


def _showcase(ctx, retailer, items, segments, existing, prefix, calendar, now, specialists,
              leads) -> list:
    eligible = [i for i in items if not ineligibility_reasons(
        item=i, retailer=retailer, segment=segments[retailer.pk])]
    if not eligible:
        return []
    rng = random.Random(f"{ctx.seed}:showcase")
    story = []
    for (name, path, days_ago, step_hours), item in zip(SHOWCASE, eligible, strict=False):
        token = f"{prefix}{retailer.licence_no}-{name}"
        if token in existing:
            continue
        submitted = (dt.datetime.combine(ctx.today, dt.time(9, 0), calendar.tz)
                     - dt.timedelta(days=days_ago))
        plan = _plan(rng, DemandKind.SERVICE, retailer, [item], None, submitted, {})
        demand = Demand(retailer=retailer, district_id=retailer.district_id,
                        client_token=token, submitted_at=submitted, **plan)
        clock.set_deadlines(demand, calendar)
        events = _walk(rng, demand, DemandKind.SERVICE, now, calendar,
                       specialists.get(retailer.district_id, [])[:1],
                       leads.get(retailer.district_id), retailer.user, path=path,
                       step_hours=step_hours)
        if name == "today":
            demand.planned_start = dt.datetime.combine(ctx.today, dt.time(10, 0), calendar.tz)
        story.append((demand, events))
    return story


def _plan(rng, kind, retailer, eligible, request_item, submitted, promises) -> dict | None:
    if kind == DemandKind.SERVICE:
        if not eligible:
            return None
        item = rng.choice(eligible)
        return {"kind": kind, "item": item, "title": item.name_zh,
                "description": rng.choice(["", "请尽快安排", "下午比较方便"]),
                "response_hours": item.response_hours,
                "resolution_hours": item.resolution_hours,
                "service_minutes": item.service_minutes, "priority": item.priority,
                "checklist": list(item.checklist), "approval_level": item.approval_level,
                "preferred_start": submitted + dt.timedelta(days=1),
                "preferred_end": submitted + dt.timedelta(days=1, hours=3)}
    promise = promises[kind]
    response, resolution, wall = (promise.response_hours, promise.resolution_hours,
                                  promise.wall_clock)
    text = rng.choice(COMPLAINTS if kind == DemandKind.COMPLAINT else NEEDS)
    item = None if kind == DemandKind.PERSONALISED else request_item
    return {"kind": kind, "item": item, "title": text, "description": text,
            "response_hours": response, "resolution_hours": resolution, "wall_clock": wall,
            "service_minutes": 30, "priority": item.priority if item else 40}


def _walk(rng, demand, kind, now, calendar, specialists, lead, retailer_user, *,
          path: list[str] | None = None, step_hours: float | None = None):
    """Advance the demand along its path until ``now``; returns its events. ``path`` and
    ``step_hours`` fix the steps and their pace (the showcase shop's story)."""
    cal = WallClock(tz=calendar.tz) if demand.wall_clock else calendar
    events = [DemandEvent(action="submit", from_status="", to_status=S.SUBMITTED,
                          actor=retailer_user, actor_role="retailer",
                          created_at=demand.submitted_at)]
    fixed = path is not None
    path = list(path if fixed else PATHS[kind])
    fate = 1.0 if fixed else rng.random()
    if fate < .05:
        path = ["reject"]
    elif fate < .10:
        path = path[:rng.randint(0, 2)] + ["cancel"]
        path = [a for a in path if a not in ("answer", "start", "complete")]
    elif fate < .14 and "start" in path:
        path = path[:path.index("start") + 1] + ["wait_customer"]
    elif fate < .18 and "start" in path:
        path = path[:path.index("start")] + ["escalate"]
    spec = rng.choice(specialists) if specialists else None
    moment = demand.submitted_at
    status = S.SUBMITTED
    for action in path:
        moment = cal.add(moment, step_hours * 3600 if step_hours else
                         rng.uniform(.3, 1.6) * demand.resolution_hours * 3600 / 6)
        if moment >= now:
            break
        if action == "schedule" and (spec is None or demand.approval_level):
            if demand.approval_level and lead is not None:
                demand.approved_at, demand.approved_by = moment, lead
            if spec is None:
                break
        target = TRANSITIONS[action].target
        target = status if target == "=" else target
        actor, role = {
            "accept": (lead, "manager"), "reject": (lead, "manager"), "close": (None, "system"),
            "triage": (lead, "manager"), "follow_up": (lead, "manager"),
            "schedule": (None, "system"), "escalate": (None, "system"),
            "cancel": (retailer_user, "retailer"), "rate": (retailer_user, "retailer"),
        }.get(action, (spec.user if spec else lead, "specialist" if spec else "manager"))
        events.append(DemandEvent(action=action, from_status=status, to_status=target,
                                  actor=actor, actor_role=role, created_at=moment,
                                  reason=_reason(action)))
        _effect(rng, demand, action, moment, spec, lead)
        status = target
    demand.status = status
    demand.escalation_level = 2 if status == S.ESCALATED else 0
    demand.sla_check_at = clock.next_check_at(demand, calendar)
    if status in (S.COMPLETED, S.RATED, S.CLOSED):
        demand.sla_state = (SlaState.MET if demand.completed_at <= demand.resolution_due_at
                            else SlaState.MISSED)
    elif status == S.WAITING_CUSTOMER:
        demand.sla_state = SlaState.PAUSED
    elif status in (S.CANCELLED, S.REJECTED):
        demand.sla_state = SlaState.ON_TRACK
    else:
        used = SlaClock(started_at=demand.submitted_at,
                        budget_seconds=demand.resolution_hours * 3600).used_fraction(cal, now)
        demand.sla_state = (SlaState.BREACHED if used >= 1 else SlaState.AT_RISK
                            if used >= .8 else SlaState.ON_TRACK)
    return events


def _reason(action: str) -> str:
    return {"reject": "不在服务范围内", "cancel": "已自行解决", "wait_customer": "等待客户提供资料",
            "escalate": "超出处理时限", "follow_up": "已回访，客户表示满意"}.get(action, "")


def _effect(rng, demand, action, moment, spec, lead) -> None:
    if action in ("accept", "answer") and demand.responded_at is None:
        demand.responded_at = moment
    if action == "accept" and demand.kind == DemandKind.COMPLAINT:
        demand.handler = lead
    if action == "accept" and demand.kind == DemandKind.SUGGESTION:
        demand.reply_due_on = (moment + dt.timedelta(days=7)).date()
    if action == "schedule":
        demand.assignee, demand.planned_start = spec, moment + dt.timedelta(hours=20)
    if action == "triage":
        demand.triaged_at, demand.triaged_by = moment, lead
    if action in ("complete", "answer"):
        demand.completed_at = moment
        demand.checklist_confirmed = list(demand.checklist)
    if action == "answer":
        demand.answer = "已答复，详见说明。"
        if demand.kind == DemandKind.SUGGESTION:
            demand.adopted = rng.random() < .4
    if action == "rate":
        demand.confirmed_at = moment
    if action == "follow_up":
        demand.followed_up_at = moment
    if action in ("close", "cancel", "reject"):
        demand.closed_at = moment
    if action == "wait_customer":
        demand.resume_status, demand.paused_at = S.IN_PROGRESS, moment


def _save(pending) -> None:
    if not pending:
        return
    demands = Demand.objects.bulk_create([d for d, _events in pending], batch_size=BATCH)
    rows = []
    for demand, events in zip(demands, (e for _d, e in pending), strict=True):
        for event in events:
            event.demand = demand
            rows.append(event)
    DemandEvent.objects.bulk_create(rows, batch_size=5000)

