"""The specialist's three-dimension capability model (tables 3–9), as pure functions.

The source design fixes each indicator's maximum points; how a value earns points
within that maximum is ours, stated here and in docs/evaluation.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from demands.choices import Tier

# Table 4: basic information, four indicators of 25 points.
EDUCATION_POINTS = {"secondary": 10, "college": 15, "bachelor": 20, "master": 25}
TITLE_POINTS = {"none": 5, "junior": 12, "intermediate": 18, "senior": 25}
# Table 5: work quality.
WORK_QUALITY_MAX = {"order_fulfilment": 20, "e_settlement": 20, "active_payment": 20,
                    "information_collection": 10, "visit_completion": 20,
                    "terminal_running": 10}
# Table 6: the catalogue tiers' weights (their one home).
TIER_WEIGHTS = {Tier.INCLUSIVE: 0.5, Tier.VALUE_ADDED: 0.3, Tier.CONTEMPORARY: 0.2}


def years_points(years: int) -> int:
    """Years in this post: under 1 → 5, 1–2 → 10, 3–5 → 15, 6–10 → 20, over 10 → 25."""
    for limit, points in ((1, 5), (3, 10), (6, 15), (11, 20)):
        if years < limit:
            return points
    return 25


def certificate_points(count: int) -> int:
    """Grade certificates: none → 5, one → 15, two or more → 25."""
    return 5 if count <= 0 else 15 if count == 1 else 25


def basic_information(*, education: str, years: int, certificates: int, title: str
                      ) -> tuple[float, dict]:
    parts = {
        "education": EDUCATION_POINTS.get(education, 0),
        "years_in_post": years_points(years),
        "certificates": certificate_points(certificates),
        "title": TITLE_POINTS.get(title, 0),
    }
    return float(sum(parts.values())), parts


def work_quality(rates: Mapping[str, float | None]) -> tuple[float | None, dict]:
    """Each rate (0–1) earns its share of the indicator's maximum. Indicators without a
    value this month are left out and the rest rescaled to 100, so a missing import
    neither rewards nor punishes; the parts say which were missing."""
    parts: dict[str, float | None] = {}
    earned = possible = 0.0
    for name, maximum in WORK_QUALITY_MAX.items():
        value = rates.get(name)
        if value is None:
            parts[name] = None
            continue
        points = maximum * min(1.0, max(0.0, float(value)))
        parts[name] = round(points, 2)
        earned += points
        possible += maximum
    if possible == 0:
        return None, parts
    return round(earned / possible * 100, 2), parts


def catalogue_score(delivered: Mapping[str, tuple[str, int, float]]) -> tuple[float | None, dict]:
    """Tables 6–9: per catalogue item ``(tier, item points, quality share 0–1)`` of the
    services the specialist delivered. Each tier scores over its delivered items
    (points × quality ÷ points, to 100); the tiers combine 50/30/20, rescaled over the
    tiers delivered."""
    tiers: dict[str, list[tuple[int, float]]] = {}
    for tier, points, quality in delivered.values():
        tiers.setdefault(tier, []).append((points, quality))
    tier_scores = {}
    for tier, items in tiers.items():
        total = sum(points for points, _q in items)
        if total > 0:
            tier_scores[tier] = round(sum(p * q for p, q in items) / total * 100, 2)
    weight = sum(TIER_WEIGHTS.get(t, 0) for t in tier_scores)
    if not weight:
        return None, tier_scores
    score = sum(TIER_WEIGHTS.get(t, 0) * s for t, s in tier_scores.items()) / weight
    return round(score, 2), tier_scores


def service_evaluation(*, rating_mean: float | None, catalogue: float | None,
                       rating_weight: float) -> float | None:
    """Customer ratings (stars × 20) blended with the catalogue score by management's
    weight; either alone when the other is missing."""
    rating = None if rating_mean is None else rating_mean * 20
    if rating is None and catalogue is None:
        return None
    if rating is None:
        return round(catalogue, 2)
    if catalogue is None:
        return round(rating, 2)
    return round(rating_weight * rating + (1 - rating_weight) * catalogue, 2)


def rating_points(overall: float, five_star_points: int) -> int:
    """5 stars earn the rule's points, 4 stars 60%, 3 stars 20%, 2 or fewer lose half."""
    stars = round(overall)
    share = {5: 1.0, 4: 0.6, 3: 0.2}.get(stars, -0.5)
    return int(round(five_star_points * share))
