"""Writes of the profiling app: scoring rules and weights, collected raw values, and the
recompute that turns them into profile snapshots."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifu.access.capabilities import Capability, require
from zhifu.core import services as jobs
from zhifu.core.errors import DomainError
from zhifu.core.months import month_end, month_start

from .bulk import insert_rows
from .choices import RuleKind, ValueSource
from .models import Dimension, Indicator, ProfileSnapshot, RawValue
from .recompute import compute_profiles
from .scoring import rule_validate

RECOMPUTE_JOB = "profiles.recompute"
RECOMPUTE_TASK = "profiling.recompute_profiles"


# --- rules and weights ------------------------------------------------------------------------

@transaction.atomic
def indicator_rule_update(*, actor, indicator: Indicator, rule_kind: str, rule_params: Any,
                          max_points: float | None = None) -> Indicator:
    """Change how an indicator is scored; the parameters are checked against its kind."""
    require(actor, Capability.EDIT_CITY_SETTINGS)
    if max_points is not None:
        if not isinstance(max_points, (int, float)) or not 0 <= max_points <= 100:
            raise DomainError(_("Maximum points must lie between 0 and 100."),
                              code="invalid_rule",
                              fields={"max_points": [_("Enter a number from 0 to 100.")]})
        indicator.max_points = float(max_points)
    indicator.rule_params = rule_validate(kind=rule_kind, params=rule_params,
                                          max_points=indicator.max_points)
    indicator.rule_kind = rule_kind
    indicator.save(update_fields=["rule_kind", "rule_params", "max_points"])
    return indicator


@transaction.atomic
def dimension_update(*, actor, dimension: Dimension, weight: float, strength_threshold: float,
                     weakness_threshold: float, peer_margin: float) -> Dimension:
    require(actor, Capability.EDIT_CITY_SETTINGS)
    fields: dict[str, list[str]] = {}
    values = {"weight": weight, "strength_threshold": strength_threshold,
              "weakness_threshold": weakness_threshold, "peer_margin": peer_margin}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value < 0:
            fields[name] = [_("Enter a number of at least 0.")]
    if not fields:
        if strength_threshold > 100 or weakness_threshold > 100:
            fields["strength_threshold"] = [_("Thresholds lie between 0 and 100.")]
        elif weakness_threshold > strength_threshold:
            fields["weakness_threshold"] = [
                _("The weakness threshold cannot be above the strength threshold.")]
        elif peer_margin > 100 or weight > 100:
            fields["weight"] = [_("Weights and margins lie between 0 and 100.")]
    if fields:
        raise DomainError(_("The dimension settings are not valid."), code="invalid_dimension",
                          fields=fields)
    for name, value in values.items():
        setattr(dimension, name, float(value))
    dimension.save(update_fields=list(values))
    others = Dimension.objects.exclude(pk=dimension.pk).values_list("weight", flat=True)
    if dimension.weight + sum(others) <= 0:
        raise DomainError(_("At least one dimension needs a weight above 0."),
                          code="invalid_dimension", fields={"weight": [_("All weights are 0.")]})
    return dimension


# --- raw values -------------------------------------------------------------------------------

def raw_value_parse(*, indicator: Indicator, value: Any) -> tuple[float | None, str]:
    """``(number, answer)`` for a raw value, or ``ValueError`` with the reason.

    Answers of category indicators are accepted by code or by label."""
    if indicator.rule_kind == RuleKind.CATEGORY:
        text = str(value).strip().lower() if value is not None else ""
        answers = indicator.rule_params.get("map", {})
        labels = {str(label).strip().lower(): code
                  for code, label in indicator.rule_params.get("labels", {}).items()}
        code = text if text in answers else labels.get(text)
        if code is None:
            raise ValueError(_("“%(value)s” is not one of: %(allowed)s.")
                             % {"value": value, "allowed": ", ".join(answers)})
        return None, code
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(_("“%(value)s” must be a number of at least 0.") % {"value": value})
    return number, ""


def collectable_indicators() -> dict[str, Indicator]:
    """Indicators a specialist or an import may supply (master data comes from the retailer
    record itself)."""
    return {i.code: i for i in Indicator.objects.exclude(source=ValueSource.MASTER)}


@transaction.atomic
def raw_values_collect(*, retailer, values: Any, collected_by, period: dt.date | None = None,
                       ) -> list[RawValue]:
    """A specialist's information collection (信息采集): validate every code and value,
    then store them all for the month, or nothing."""
    if not isinstance(values, dict) or not values:
        raise DomainError(_("Send at least one indicator value."), code="invalid_collection",
                          fields={"values": [_("Send an object of indicator codes and values.")]})
    this_month = month_start(timezone.localdate())
    period = month_start(period or this_month)
    if period > this_month:
        raise DomainError(_("Values cannot be collected for a future month."),
                          code="invalid_collection",
                          fields={"period": [_("Choose this month or an earlier one.")]})
    indicators = collectable_indicators()
    fields: dict[str, list[str]] = {}
    parsed = []
    for code, value in values.items():
        indicator = indicators.get(code)
        if indicator is None:
            fields[str(code)] = [_("Unknown or not collectable indicator.")]
            continue
        try:
            number, text = raw_value_parse(indicator=indicator, value=value)
        except ValueError as exc:
            fields[code] = [str(exc)]
            continue
        parsed.append((indicator, number, text))
    if fields:
        raise DomainError(_("Some values are not valid; nothing was saved."),
                          code="invalid_collection", fields=fields)
    saved = []
    for indicator, number, text in parsed:
        row, _created = RawValue.objects.update_or_create(
            retailer=retailer, indicator=indicator, period=period,
            defaults={"value_number": number, "value_text": text,
                      "source": ValueSource.COLLECTION, "collected_by": collected_by})
        saved.append(row)
    return saved


# --- recompute --------------------------------------------------------------------------------

SNAPSHOT_COLUMNS = [
    "retailer_id", "period", "computed_at", "scores", "verdicts", "peer_means", "total", "segment",
    "yearly_amount", "recency_days", "frequency", "rfm_r", "rfm_f", "rfm_m", "churn_warning",
    "weak_count",
]


def _json_objects(frame, prefix: str, codes: list[str], *, words=None) -> list[str]:
    """One JSON object per row, {code: value}, built column-wise (30,000 json.dumps calls
    per column would cost more than the scoring)."""
    text = None
    for position, code in enumerate(codes):
        column = frame[f"{prefix}{code}"]
        if words is not None:
            value = column.map(words)
        else:
            value = column.map(repr).where(column.notna(), "null")
        piece = ("{" if position == 0 else ", ") + json.dumps(code) + ": " + value
        text = piece if text is None else text + piece
    return (text + "}").tolist()


def _snapshot_rows(frame, *, period: dt.date, dimensions: list[str]) -> list[tuple]:
    """The snapshot rows as plain tuples in SNAPSHOT_COLUMNS order, ready for the database."""
    if frame.empty:
        return []
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    month = ops.adapt_datefield_value(period)
    words = {1: '"strength"', 0: '"neutral"', -1: '"weakness"'}
    weak = sum((frame[f"verdict_{c}"] == -1).astype("int64") for c in dimensions)
    columns = zip(
        frame.index.tolist(),
        _json_objects(frame, "score_", dimensions),
        _json_objects(frame, "verdict_", dimensions, words=words),
        _json_objects(frame, "peer_", dimensions),
        frame["total"].astype("float64").tolist(),
        frame["segment"].tolist(),
        frame["yearly_amount"].astype("float64").tolist(),
        frame["recency_days"].astype("object").where(frame["recency_days"].notna()).tolist(),
        frame["frequency"].astype("int64").tolist(),
        frame["rfm_r"].astype("int64").tolist(),
        frame["rfm_f"].astype("int64").tolist(),
        frame["rfm_m"].astype("int64").tolist(),
        frame["churn_warning"].astype(bool).tolist(),
        weak.astype("int64").tolist() if len(dimensions) else [0] * len(frame),
        strict=True,
    )
    return [(rid, month, now, scores, verdicts, peers, total, segment, yearly,
             None if recency is None or recency != recency else int(recency),
             frequency, r, f, m, churn, weak_count)
            for (rid, scores, verdicts, peers, total, segment, yearly, recency, frequency, r, f, m,
                 churn, weak_count) in columns]


def profiles_recompute(*, period: dt.date | None = None, today: dt.date | None = None,
                       job_id: int | None = None) -> dict:
    """Recompute every retailer's profile for a month (default: this month) and replace that
    month's snapshots in one transaction. Running it twice gives the same snapshots."""
    today = today or timezone.localdate()
    period = month_start(period or today)
    if period > month_start(today):
        raise DomainError(_("Profiles cannot be computed for a future month."),
                          code="future_period")
    as_of = min(today, month_end(period))

    def progress(fraction: float) -> None:
        if job_id is not None:
            jobs.job_progress(job_id=job_id, progress=fraction)

    frame = compute_profiles(period=period, as_of=as_of, progress=progress)
    dimensions = list(Dimension.objects.order_by("position").values_list("code", flat=True))
    rows = _snapshot_rows(frame, period=period, dimensions=dimensions)
    with transaction.atomic():
        ProfileSnapshot.objects.filter(period=period).delete()
        insert_rows(model=ProfileSnapshot, columns=SNAPSHOT_COLUMNS, rows=rows)
    progress(0.95)
    return {
        "period": period.isoformat(), "as_of": as_of.isoformat(), "retailers": len(rows),
        "churn_warnings": int(frame["churn_warning"].sum()) if len(rows) else 0,
    }


def profiles_recompute_job(job) -> dict:
    """The work of a recompute job row (its task and the command run it)."""
    params = job.params or {}
    return profiles_recompute(
        period=dt.date.fromisoformat(params["period"]) if params.get("period") else None,
        today=dt.date.fromisoformat(params["today"]) if params.get("today") else None,
        job_id=job.pk)


def profiles_recompute_request(*, requested_by=None, period: dt.date | None = None):
    """Queue a recompute (after the current transaction commits); returns its job row.
    ``requested_by=None`` is the system (a schedule, a command)."""
    if requested_by is not None:
        require(requested_by, Capability.RUN_CITY_JOBS)

    params = {"period": month_start(period).isoformat()} if period else {}
    return jobs.job_queue(kind=RECOMPUTE_JOB, task=RECOMPUTE_TASK, params=params,
                          requested_by=requested_by)
