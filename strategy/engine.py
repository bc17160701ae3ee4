"""From profiles to strategies, in bulk: pure computation over a DataFrame of retailers.

No database access here: ``services`` loads the frame, the rules and the templates,
calls ``compose``, and writes what changed. Rules are evaluated as boolean masks over
all retailers at once; only the final assembly of each retailer's short list is a
loop, over the rules that fired for it.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zhifu.accounts.choices import band_of

MAX_RECOMMENDATIONS = 5

RetailerRow = namedtuple("RetailerRow", "grade market_type business_format")


@dataclass(frozen=True)
class RuleSpec:
    id: int
    code: str
    condition: str
    params: dict
    items: tuple  # item codes
    reason: str
    talking_point: str
    visit_cycle_days: int | None
    priority: float  # base priority plus what feedback learned


@dataclass(frozen=True)
class TemplateSpec:
    band: str
    visit_cycle_days: int
    visit_priority: float
    items: tuple
    talking_points: tuple


@dataclass
class Composed:
    """One retailer's strategy, before versioning."""

    band: str
    visit_cycle_days: int
    visit_priority: float
    recommendations: list = field(default_factory=list)
    talking_points: list = field(default_factory=list)
    fired: list = field(default_factory=list)


def bands_of(grades: pd.Series) -> pd.Series:
    """Each grade's band, by the one rule in ``zhifu.accounts.choices.band_of``."""
    return grades.map(lambda grade: band_of(int(grade)).value)


def rule_mask(frame: pd.DataFrame, rule: RuleSpec) -> pd.Series:
    """Which retailers a rule fires for (vectorised)."""
    p = rule.params
    if rule.condition in ("weak_dimension", "strong_dimension"):
        column = f"verdict__{p.get('dimension', '')}"
        wanted = "weakness" if rule.condition == "weak_dimension" else "strength"
        if column not in frame:
            return pd.Series(False, index=frame.index)
        return frame[column] == wanted
    if rule.condition == "churn_warning":
        return frame["churn_warning"].fillna(False).astype(bool)
    if rule.condition == "segment":
        return frame["segment"] == p.get("segment")
    if rule.condition == "market_type":
        return frame["market_type"] == p.get("market_type")
    if rule.condition == "falling_trend":
        drop = float(p.get("drop", 5))
        return (frame["previous_total"] - frame["total"]) >= drop
    raise ValueError(f"unknown condition {rule.condition!r}")


def compose(frame: pd.DataFrame, rules: list[RuleSpec], templates: dict[str, TemplateSpec],
            items: dict[str, object], suppressed: set[tuple[int, str]],
            eligible) -> dict[int, Composed]:
    """Every retailer's strategy.

    ``frame``: one row per retailer, indexed by id, with grade, market_type,
    business_format, segment, churn_warning, total, previous_total and one
    ``verdict__<dimension>`` column per dimension. ``suppressed``: (retailer id, item
    code) pairs the retailer declined repeatedly. ``eligible(item, row, segment)`` tells
    whether the retailer may order the item.
    """
    bands = bands_of(frame["grade"])
    fired: dict[int, list[RuleSpec]] = {}
    for rule in sorted(rules, key=lambda r: (-r.priority, r.code)):
        for retailer_id in frame.index[rule_mask(frame, rule).to_numpy()]:
            fired.setdefault(int(retailer_id), []).append(rule)
    out: dict[int, Composed] = {}
    records = frame[["grade", "market_type", "business_format", "segment"]].to_dict("index")
    for retailer_id, band in bands.items():
        template = templates[band]
        row = records[retailer_id]
        shop = RetailerRow(row["grade"], row["market_type"], row["business_format"])
        composed = Composed(band=band, visit_cycle_days=template.visit_cycle_days,
                            visit_priority=template.visit_priority,
                            talking_points=list(template.talking_points))
        chosen: dict[str, dict] = {}
        for rule in fired.get(int(retailer_id), []):
            composed.fired.append(rule.code)
            if rule.visit_cycle_days and rule.visit_cycle_days < composed.visit_cycle_days:
                composed.visit_cycle_days = rule.visit_cycle_days
                composed.visit_priority = max(composed.visit_priority, min(100.0, rule.priority))
            if rule.talking_point and rule.talking_point not in composed.talking_points:
                composed.talking_points.append(rule.talking_point)
            for code in rule.items:
                item = items.get(code)
                if item is None or (int(retailer_id), code) in suppressed:
                    continue
                if code in chosen:
                    # Two rules want the same service: the stronger one leads, both reasons stay.
                    chosen[code]["reasons"].append(rule.reason)
                    continue
                if not eligible(item, shop, row["segment"]):
                    continue
                chosen[code] = {"item": code, "rule": rule.code, "rule_id": rule.id,
                                "priority": round(rule.priority, 2), "reasons": [rule.reason]}
        ranked = sorted(chosen.values(), key=lambda r: (-r["priority"], r["item"]))
        composed.recommendations = ranked[:MAX_RECOMMENDATIONS]
        out[int(retailer_id)] = composed
    return out


def diff(previous: dict | None, composed: Composed) -> dict:
    """What changed since the last version, and why (empty when nothing did)."""
    if previous is None:
        return {"first": True}
    before = {r["item"]: r for r in previous["recommendations"]}
    after = {r["item"]: r for r in composed.recommendations}
    changes: dict = {}
    added = [{"item": code, "reasons": r["reasons"]} for code, r in after.items()
             if code not in before]
    removed = [{"item": code, "was": before[code]["reasons"]} for code in before
               if code not in after]
    if added:
        changes["added"] = added
    if removed:
        changes["removed"] = removed
    if previous["visit_cycle_days"] != composed.visit_cycle_days:
        changes["cadence"] = {"from": previous["visit_cycle_days"],
                              "to": composed.visit_cycle_days}
    return changes


def level_offsets(cycles: list[int], horizon: int) -> list[int]:
    """Give each visit series (a cycle in working days) an offset so the daily load over
    ``horizon`` working days is as level as possible (greedy, shortest cycles first)."""
    load = np.zeros(horizon, dtype=int)
    offsets = [0] * len(cycles)
    for index in sorted(range(len(cycles)), key=lambda i: (cycles[i], i)):
        cycle = max(1, cycles[index])
        best, best_cost = 0, None
        for offset in range(min(cycle, horizon)):
            days = np.arange(offset, horizon, cycle)
            cost = (int(load[days].max(initial=0)), int(load[days].sum()))
            if best_cost is None or cost < best_cost:
                best, best_cost = offset, cost
        offsets[index] = best
        load[np.arange(best, horizon, cycle)] += 1
    return offsets
