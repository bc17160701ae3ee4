"""The service policy by grade band (table 2 of the source design).

This is the baseline every retailer gets until the strategy templates and rules
produce a personal strategy; the specialist sees it on each task.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

BANDS = {
    "24-30": {"visit": _("Weekly visit on site"), "cycle_days": 7},
    "13-23": {"visit": _("Visit on site every two weeks"), "cycle_days": 14},
    "1-12": {"visit": _("Monthly visit on site"), "cycle_days": 30},
}
STANDARD_SERVICES = [
    _("Complaints: a designated person investigates, follows up and reports back"),
    _("Consultations: answered at once, or logged and answered within 24 hours"),
    _("Suggestions: a committed reply date, saying whether it was adopted"),
    _("Training: policy and regulation briefings with case warnings; marketing and brand "
      "training"),
    _("Brand cultivation: brand briefings, new and key brand promotion, promotional material"),
    _("Supply: allocation by grade"),
]
VALUE_ADDED_SERVICES = [
    _("Business guidance: cigarette display, clear price marking, marketing strategy, "
      "available supply, new brand information"),
    _("Profit analysis: a business guidance analysis report"),
    _("Online ordering"),
]


def baseline_strategy(*, grade: int) -> dict:
    from zhifu.accounts.choices import grade_band

    band = grade_band(grade)
    return {
        "source": "grade_band_baseline",
        "band": band,
        "visit_cadence": str(BANDS[band]["visit"]),
        "standard_services": [str(s) for s in STANDARD_SERVICES],
        "value_added_services": [str(s) for s in VALUE_ADDED_SERVICES],
        "talking_points": [],
    }
