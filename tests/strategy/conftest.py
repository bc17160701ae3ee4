import datetime as dt

import pytest
from django.utils import timezone

from profiling.models import ProfileSnapshot
from tests import factories

DIMENSIONS = ["basic_operations", "data_operations", "cigarette_operations",
              "non_tobacco_operations", "retail_terminal", "trade_area"]


def snapshot(retailer, period=dt.date(2026, 10, 1), *, weak=(), strong=(), total=60.0,
             segment="basic", churn=False, scores=None):
    verdicts = {d: "weakness" if d in weak else "strength" if d in strong else "neutral"
                for d in DIMENSIONS}
    return ProfileSnapshot.objects.update_or_create(
        retailer=retailer, period=period, defaults={
            "computed_at": timezone.now(), "scores": scores or {d: 60.0 for d in DIMENSIONS},
            "verdicts": verdicts, "peer_means": {}, "total": total, "segment": segment,
            "churn_warning": churn})[0]


@pytest.fixture
def shops(db):
    district = factories.district("S1", "一片区", 23.37, 116.70)
    return [factories.retailer(district, grade=g) for g in (5, 15, 26)]
