"""The demo city's evaluations: ratings of rated services, some manager reviews, the
monthly work-quality imports, and last month closed (scores, points, service stars)."""

import datetime as dt
import random

from django.utils import timezone

from demands.choices import SERVED_STATUSES, DemandStatus
from demands.models import Demand
from zhifu.accounts.models import Specialist, User
from zhifu.core.months import add_months, month_of

from . import services
from .models import ManagerReview, ServiceRating, WorkQualityRecord


def seed(ctx) -> None:

    rng = random.Random(ctx.seed * 7919)
    rated = (Demand.objects.filter(status__in=(DemandStatus.RATED, DemandStatus.CLOSED),
                                   completed_at__isnull=False, rating__isnull=True)
             .order_by("pk").only("id", "retailer_id", "assignee_id", "completed_at"))
    rows = []
    for demand in rated:
        stars = [min(5, max(1, round(rng.gauss(4.3, 0.7)))) for _ in range(4)]
        when = demand.completed_at + dt.timedelta(hours=rng.randint(1, 48))
        rows.append(ServiceRating(
            demand_id=demand.pk, retailer_id=demand.retailer_id,
            specialist_id=demand.assignee_id, attitude=stars[0], professionalism=stars[1],
            timeliness=stars[2], result=stars[3], overall=sum(stars) / 4, comment="",
            period=month_of(when), created_at=when, updated_at=when))
    ServiceRating.objects.bulk_create(rows, batch_size=2000)
    reviewer = User.objects.filter(username="manager").first()
    if reviewer is not None:
        finished = (Demand.objects.filter(status__in=SERVED_STATUSES,
                                          review__isnull=True).order_by("pk")
                    .only("id", "kind"))
        ManagerReview.objects.bulk_create([
            ManagerReview(demand_id=d.pk, reviewer=reviewer, audit_passed=rng.random() < 0.92,
                          quality=rng.choice((3, 4, 4, 5, 5)),
                          complaint_upheld=d.kind == "complaint" and rng.random() < 0.3)
            for d in finished if rng.random() < 0.3])
    this_month = month_of(ctx.today)
    last_month = add_months(this_month, -1)
    for period in (last_month, this_month):
        WorkQualityRecord.objects.bulk_create([
            WorkQualityRecord(specialist=s, period=period,
                              order_fulfilment=round(rng.uniform(0.85, 1.0), 3),
                              e_settlement=round(rng.uniform(0.9, 1.0), 3),
                              active_payment=round(rng.uniform(0.6, 0.95), 3),
                              terminal_running=round(rng.uniform(0.8, 1.0), 3))
            for s in Specialist.objects.order_by("pk")], ignore_conflicts=True)
    closed = services.month_close(period=last_month)
    services.points_sync(period=this_month)
    services.capability_compute(period=this_month, now=timezone.now())
    ctx.counts["ratings"] = ServiceRating.objects.count()
    ctx.counts["service stars"] = closed["awards"]
