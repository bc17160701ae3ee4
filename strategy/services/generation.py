"""Generating every retailer's strategy from its profile, the rules and the band templates.

A new version is written only when something changed; twice-declined items are held back."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demands.models import CatalogueItem
from demands.selectors import ineligibility_reasons
from profiling.models import ProfileSnapshot
from zhifu.access.capabilities import Capability, require
from zhifu.accounts.choices import GradeBand, RetailerStatus
from zhifu.accounts.models import Retailer
from zhifu.core import services as jobs
from zhifu.core.errors import DomainError

from .. import engine
from ..choices import Outcome
from ..models import GradeBandTemplate, RecommendationFeedback, RetailerStrategy, StrategyRule
from ..selectors import DECLINE_MEMORY_DAYS

GENERATE_TASK = "strategy.generate_strategies"
DECLINES_TO_SUPPRESS = 2


def _retailer_frame(retailer_ids: list[int] | None) -> tuple[pd.DataFrame, dict, str | None]:
    """Retailers with their latest profile, the scores behind it, and its period."""

    shops = Retailer.objects.filter(status=RetailerStatus.ACTIVE)
    if retailer_ids is not None:
        shops = shops.filter(pk__in=retailer_ids)
    frame = pd.DataFrame.from_records(
        shops.values_list("id", "grade", "market_type", "business_format", "district_id"),
        columns=["id", "grade", "market_type", "business_format", "district_id"],
    ).set_index("id")
    if frame.empty:
        return frame, {}, None
    periods = list(ProfileSnapshot.objects.order_by("-period").values_list("period", flat=True)
                   .distinct()[:2])
    snapshots = ProfileSnapshot.objects.filter(period__in=periods)
    if retailer_ids is not None:
        snapshots = snapshots.filter(retailer_id__in=retailer_ids)
    rows = list(snapshots.values_list("retailer_id", "period", "total", "segment", "churn_warning",
                                      "verdicts", "scores"))
    latest = {r[0]: r for r in rows if periods and r[1] == periods[0]}
    previous = {r[0]: r[2] for r in rows if len(periods) > 1 and r[1] == periods[1]}
    frame["total"] = [latest[i][2] if i in latest else math.nan for i in frame.index]
    frame["previous_total"] = [previous.get(i, math.nan) for i in frame.index]
    frame["segment"] = [latest[i][3] if i in latest else "basic" for i in frame.index]
    frame["churn_warning"] = [bool(latest[i][4]) if i in latest else False for i in frame.index]
    verdicts = pd.DataFrame([latest[i][5] if i in latest else {} for i in frame.index],
                            index=frame.index)
    for column in verdicts.columns:
        frame[f"verdict__{column}"] = verdicts[column]
    # Kept apart from the frame: pandas deep-copies ``attrs`` on every row access.
    scores = {i: latest[i][6] for i in latest}
    return frame, scores, (periods[0].isoformat() if periods else None)


def _rules() -> list[engine.RuleSpec]:
    return [engine.RuleSpec(id=r.pk, code=r.code, condition=r.condition,
                            params=r.condition_params or {},
                            items=tuple(i.code for i in r.items.all()), reason=r.reason,
                            talking_point=r.talking_point, visit_cycle_days=r.visit_cycle_days,
                            priority=r.effective_priority)
            for r in StrategyRule.objects.filter(active=True).prefetch_related("items")]


def _templates() -> dict[str, engine.TemplateSpec]:
    templates = {t.band: engine.TemplateSpec(
        band=t.band, visit_cycle_days=t.visit_cycle_days, visit_priority=t.visit_priority,
        items=tuple(i.code for i in t.items.all()), talking_points=tuple(t.talking_points))
        for t in GradeBandTemplate.objects.prefetch_related("items")}
    missing = set(GradeBand.values) - set(templates)
    if missing:
        raise DomainError(_("A grade-band template is missing: %(bands)s")
                          % {"bands": ", ".join(sorted(missing))}, code="template_missing")
    return templates


def _suppressed(retailer_ids, now) -> set[tuple[int, str]]:
    since = now - dt.timedelta(days=DECLINE_MEMORY_DAYS)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = RecommendationFeedback.objects.filter(outcome=Outcome.DECLINED, created_at__gte=since)
    if retailer_ids is not None:
        rows = rows.filter(retailer_id__in=retailer_ids)
    for retailer_id, code in rows.values_list("retailer_id", "item__code"):
        counts[(retailer_id, code)] += 1
    return {key for key, n in counts.items() if n >= DECLINES_TO_SUPPRESS}


def _eligible(item, shop, segment) -> bool:

    return not ineligibility_reasons(item=item, retailer=shop, segment=segment)


def strategies_generate(*, retailer_ids: list[int] | None = None,
                        now: dt.datetime | None = None) -> dict[str, int]:
    """Generate the current strategy of every (or the given) active retailer.

    A new version is written only when the recommendations or the cadence changed;
    it records what changed and why.
    """

    now = now or timezone.now()
    frame, scores, period = _retailer_frame(retailer_ids)
    if frame.empty:
        return {"retailers": 0, "new_versions": 0, "unchanged": 0}
    items = {i.code: i for i in CatalogueItem.objects.filter(active=True)}
    composed = engine.compose(frame, _rules(), _templates(), items,
                              _suppressed(retailer_ids, now), _eligible)
    current = {s.retailer_id: s for s in RetailerStrategy.objects.filter(
        is_current=True, retailer_id__in=list(composed)).only(
        "id", "retailer_id", "version", "recommendations", "visit_cycle_days")}
    rows = frame[["segment", "churn_warning"]].to_dict("index")
    new_rows, retired = [], []
    for retailer_id, plan in composed.items():
        old = current.get(retailer_id)
        previous = None if old is None else {"recommendations": old.recommendations,
                                             "visit_cycle_days": old.visit_cycle_days}
        changes = engine.diff(previous, plan)
        if not changes:
            continue
        if old is not None:
            retired.append(old.pk)
        row = rows[retailer_id]
        new_rows.append(RetailerStrategy(
            retailer_id=retailer_id, version=(old.version + 1) if old else 1, is_current=True,
            generated_at=now, band=plan.band, visit_cycle_days=plan.visit_cycle_days,
            visit_priority=plan.visit_priority, recommendations=plan.recommendations,
            talking_points=plan.talking_points, changes=changes,
            inputs={"period": period, "segment": row["segment"], "fired": plan.fired,
                    "churn_warning": bool(row["churn_warning"]),
                    "scores": scores.get(retailer_id, {})},
        ))
    with transaction.atomic():
        RetailerStrategy.objects.filter(pk__in=retired).update(is_current=False)
        created = RetailerStrategy.objects.bulk_create(new_rows, batch_size=2000)
        offered = [RecommendationFeedback(
            retailer_id=s.retailer_id, rule_id=r.get("rule_id"), item=items[r["item"]],
            strategy=s, outcome=Outcome.OFFERED) for s in created for r in s.recommendations]
        RecommendationFeedback.objects.bulk_create(offered, batch_size=5000,
                                                   ignore_conflicts=True)
    return {"retailers": len(composed), "new_versions": len(new_rows),
            "unchanged": len(composed) - len(new_rows)}


def strategies_generate_request(*, requested_by=None):


    if requested_by is not None:
        require(requested_by, Capability.RUN_CITY_JOBS)

    return jobs.job_queue(kind="strategy.generate", task=GENERATE_TASK,
                          requested_by=requested_by)
