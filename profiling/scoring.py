"""Scoring rules: checking their parameters and applying them to many raw values at once.

Three kinds, all clamped to 0..max points:

* ``bands``: ``{"thresholds": [t1, …, tn], "points": [p0, …, pn]}``, thresholds strictly
  ascending; a value below t1 earns p0, a value v with t_i ≤ v < t_{i+1} earns p_i, a
  value ≥ tn earns pn.
* ``linear``: ``{"lower": a, "upper": b}`` (a ≠ b); ``max × (v − a) / (b − a)`` clamped,
  so a value at or beyond the far bound earns all points. ``lower > upper`` scores
  "less is better".
* ``category``: ``{"map": {answer: points}, "labels": {answer: text}}``; an answer not in
  the map earns 0.

A missing value earns 0 points whatever the rule.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError

from .choices import RuleKind


def _number(value, field: str, errors: dict) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    return float(value)


def _n(value) -> str:
    return f"{float(value):g}"


def rule_in_words(*, kind: str, params: dict, max_points: float) -> str:
    """A rule as a manager reads it back, so "lower 50, upper 10" is seen to mean "less is
    better" rather than taken for a mistake."""
    if kind == RuleKind.LINEAR:
        lower, upper = params.get("lower"), params.get("upper")
        if lower is None or upper is None:
            return ""
        text = _("0 points at %(zero)s or %(side)s, %(max)s points at %(full)s or %(far)s") % {
            "zero": _n(lower), "full": _n(upper), "max": _n(max_points),
            "side": _("less") if float(lower) < float(upper) else _("more"),
            "far": _("more") if float(lower) < float(upper) else _("less")}
        if float(lower) > float(upper):
            text += _(" (less is better)")
        return text
    if kind == RuleKind.BANDS:
        thresholds, points = params.get("thresholds") or [], params.get("points") or []
        if len(points) != len(thresholds) + 1:
            return ""
        parts = [_("below %(t)s: %(p)s") % {"t": _n(thresholds[0]), "p": _n(points[0])}]
        parts += [_("from %(t)s: %(p)s") % {"t": _n(t), "p": _n(p)}
                  for t, p in zip(thresholds, points[1:], strict=True)]
        return "；".join(parts)
    if kind == RuleKind.CATEGORY:
        labels = params.get("labels") or {}
        return "；".join(f"{labels.get(answer, answer)}: {_n(points)}"
                        for answer, points in (params.get("map") or {}).items())
    return ""


def rule_validate(*, kind: str, params, max_points: float) -> dict:
    """Return the cleaned parameters of a rule, or raise ``DomainError`` (code ``invalid_rule``)
    with the problem of each field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(params, dict):
        raise DomainError(_("The rule parameters must be an object."), code="invalid_rule",
                          fields={"rule_params": [_("The rule parameters must be an object.")]})
    if kind == RuleKind.BANDS:
        thresholds, points = params.get("thresholds"), params.get("points")
        if not isinstance(thresholds, list) or not thresholds:
            errors["thresholds"] = [_("Give at least one threshold.")]
        elif not isinstance(points, list) or len(points) != len(thresholds) + 1:
            errors["points"] = [_("Give one more points value than thresholds.")]
        else:
            ts = [_number(t, "thresholds", errors) for t in thresholds]
            ps = [_number(p, "points", errors) for p in points]
            if not errors:
                if any(b <= a for a, b in zip(ts, ts[1:], strict=False)):
                    errors["thresholds"] = [_("Thresholds must be strictly ascending.")]
                if any(p < 0 or p > max_points for p in ps):
                    errors["points"] = [_("Points must lie between 0 and the maximum points.")]
            cleaned = {"thresholds": ts, "points": ps}
    elif kind == RuleKind.LINEAR:
        lower = _number(params.get("lower"), "lower", errors)
        upper = _number(params.get("upper"), "upper", errors)
        if not errors and lower == upper:
            errors["upper"] = [_("The bounds must differ.")]
        cleaned = {"lower": lower, "upper": upper}
    elif kind == RuleKind.CATEGORY:
        mapping, labels = params.get("map"), params.get("labels", {})
        if not isinstance(mapping, dict) or not mapping:
            errors["map"] = [_("Map at least one answer to points.")]
        elif not isinstance(labels, dict):
            errors["labels"] = [_("Labels must map answers to text.")]
        else:
            cleaned_map = {}
            for key, points in mapping.items():
                value = _number(points, "map", errors)
                key = str(key).strip().lower()
                if not key or len(key) > 40:
                    errors.setdefault("map", []).append(_("An answer needs 1 to 40 characters."))
                elif value is not None and not 0 <= value <= max_points:
                    errors.setdefault("map", []).append(
                        _("Points must lie between 0 and the maximum points."))
                else:
                    cleaned_map[key] = value
            cleaned = {"map": cleaned_map,
                       "labels": {str(k).strip().lower(): str(v) for k, v in labels.items()
                                  if str(k).strip().lower() in cleaned_map}}
    else:
        errors["rule_kind"] = [_("Choose bands, linear or category.")]
    if errors:
        raise DomainError(_("The scoring rule is not valid."), code="invalid_rule", fields=errors)
    return cleaned


def score_series(*, kind: str, params: dict, max_points: float, values: pd.Series) -> np.ndarray:
    """Points for many raw values of one indicator (numbers, or answers for ``category``)."""
    if kind == RuleKind.CATEGORY:
        answers = values.astype("string").str.strip().str.lower()
        points = answers.map(params["map"]).astype("float64").fillna(0.0).to_numpy()
    else:
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        if kind == RuleKind.BANDS:
            table = np.asarray(params["points"], dtype="float64")
            index = np.searchsorted(np.asarray(params["thresholds"], dtype="float64"), numbers,
                                    side="right")
            points = table[index]
        else:
            lower, upper = float(params["lower"]), float(params["upper"])
            points = max_points * (numbers - lower) / (upper - lower)
        points = np.where(np.isnan(numbers), 0.0, points)
    return np.clip(points, 0.0, max_points)


def score_one(*, kind: str, params: dict, max_points: float, value) -> float:
    return float(score_series(kind=kind, params=params, max_points=max_points,
                              values=pd.Series([value], dtype="object"))[0])
