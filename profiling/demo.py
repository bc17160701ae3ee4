"""Order history for the demo city: weekly orders whose size follows the grade,
with a few shops in decline so churn warnings have something to find."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from zhifu.accounts.models import Retailer
from zhifu.core.months import add_months, month_start

from .models import Indicator, OrderRecord, ProfileSnapshot, RawValue
from .services import profiles_recompute

NON_TOBACCO_SHARE = {
    "supermarket": 0.55, "convenience": 0.45, "grocery": 0.30, "tobacco_liquor": 0.20,
    "entertainment": 0.15, "other": 0.25,
}


def yearly_cigarette_amount(grade: int) -> float:
    """About 12k CNY a year at grade 1 up to about 360k at grade 30 (exponential in grade)."""
    return 12_000 * (1.125 ** (grade - 1))


def seed(ctx) -> None:
    start = ctx.today - dt.timedelta(days=ctx.days)
    rows = []
    retailers = Retailer.objects.filter(licence_no__startswith="4405").order_by("licence_no")
    for retailer in retailers.only("id", "licence_no", "grade", "business_format").iterator():
        # Seeded per shop, so a shop's history does not depend on how many others exist.
        rng = random.Random(f"{ctx.seed}:{retailer.licence_no}")
        weekly = yearly_cigarette_amount(retailer.grade) / 52
        declining = rng.random() < 0.06
        weekday = rng.randrange(7)
        skus = max(5, int(retailer.grade * 2.2 + rng.gauss(0, 4)))
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
        while day < ctx.today:
            if rng.random() < 0.93:  # a week is sometimes skipped
                progress = (day - start).days / max(ctx.days, 1)
                trend = 1.0 - 0.6 * progress if declining else 1.0
                amount = max(200.0, weekly * trend * rng.lognormvariate(0, 0.18))
                share = NON_TOBACCO_SHARE.get(retailer.business_format, 0.25)
                non_tobacco = amount * share * rng.lognormvariate(0, 0.3)
                rows.append(OrderRecord(
                    retailer_id=retailer.id, ordered_on=day,
                    cigarette_amount=Decimal(f"{amount:.2f}"),
                    cigarette_skus=max(1, skus + rng.randint(-3, 3)),
                    non_tobacco_amount=Decimal(f"{non_tobacco:.2f}"),
                    non_tobacco_skus=max(0, int(share * 40 + rng.gauss(0, 5))),
                ))
            day += dt.timedelta(days=7)
        if len(rows) >= 20_000:
            OrderRecord.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    OrderRecord.objects.bulk_create(rows, ignore_conflicts=True)
    ctx.counts["orders"] = OrderRecord.objects.count()
    seed_profiles(ctx)


def _plausible(indicator, quality: float):
    """A raw value a shop of this quality might have, read off the indicator's own rule."""
    params = indicator.rule_params
    if indicator.rule_kind == "category":
        answers = sorted(params["map"], key=lambda a: -params["map"][a])
        return None, answers[min(len(answers) - 1, int((1 - quality) * len(answers)))]
    if indicator.rule_kind == "bands":
        low, high = params["thresholds"][0] * 0.5, params["thresholds"][-1] * 1.3
    else:
        low, high = sorted((params["lower"], params["upper"]))
        if params["lower"] > params["upper"]:
            quality = 1 - quality
    return round(low + (high - low) * quality, 1), ""


def seed_profiles(ctx) -> None:
    """Indicator values collected when the history starts (and again this month for some
    shops, a little better), then one profile snapshot per month so trends show."""
    first = month_start(ctx.today - dt.timedelta(days=ctx.days))
    current = month_start(ctx.today)
    indicators = list(Indicator.objects.exclude(source__in=["master", "orders"]))
    rows = []
    retailers = Retailer.objects.filter(licence_no__startswith="4405").order_by("licence_no")
    for retailer in retailers.only("id", "licence_no", "grade").iterator():
        rng = random.Random(f"{ctx.seed}:profile:{retailer.licence_no}")
        base = 0.15 + 0.7 * (retailer.grade - 1) / 29
        improves = rng.random() < 0.3
        for indicator in indicators:
            quality = min(1.0, max(0.0, base + rng.gauss(0, 0.22)))
            periods = [(first, quality)]
            if improves and current != first:
                periods.append((current, min(1.0, quality + 0.15)))
            for period, q in periods:
                number, text = _plausible(indicator, q)
                rows.append(RawValue(retailer_id=retailer.id, indicator=indicator, period=period,
                                     value_number=number, value_text=text, source="collection"))
        if len(rows) >= 20_000:
            RawValue.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    RawValue.objects.bulk_create(rows, ignore_conflicts=True)
    ctx.counts["indicator values"] = RawValue.objects.count()
    period = first
    while period <= current:
        profiles_recompute(period=period, today=ctx.today)
        period = add_months(period, 1)

    ctx.counts["profiles"] = ProfileSnapshot.objects.count()
