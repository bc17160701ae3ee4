"""Which catalogue items a retailer may order, and why not when it may not. Pure."""

from __future__ import annotations

from django.utils.translation import gettext as _

from profiling.choices import Segment
from zhifu.accounts.choices import BusinessFormat, MarketType, band_of


def _labels(choices, values) -> str:
    names = dict(choices.choices)
    return "、".join(str(names.get(value, value)) for value in values)


def ineligibility_reasons(*, item, retailer, segment: str) -> list[str]:
    """Every precondition the retailer fails, as sentences; empty when it may order."""
    reasons = []
    if item.grade_bands and band_of(retailer.grade) not in item.grade_bands:
        reasons.append(_("Only for grade bands %(bands)s; your grade is %(grade)s.") % {
            "bands": "、".join(item.grade_bands), "grade": retailer.grade})
    if item.market_types and retailer.market_type not in item.market_types:
        reasons.append(_("Only for %(types)s shops.") % {
            "types": _labels(MarketType, item.market_types)})
    if item.business_formats and retailer.business_format not in item.business_formats:
        reasons.append(_("Only for these business formats: %(formats)s.") % {
            "formats": _labels(BusinessFormat, item.business_formats)})
    if item.segments and segment not in item.segments:
        reasons.append(_("Only for these customer segments: %(segments)s.") % {
            "segments": _labels(Segment, item.segments)})
    if not item.active:
        reasons.append(_("This service is not offered at the moment."))
    return reasons
