"""Celery tasks of the evaluation app (beat): nightly ledger, monthly close."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="evaluation.points_sync")
def points_sync() -> dict:
    """Nightly: the current month's ledger brought in line with its sources."""
    return services.points_sync(period=services.month_of(timezone.localdate()))


@shared_task(name="evaluation.month_close")
def month_close() -> dict:
    """On the 1st: last month's ledger, capability snapshots and service stars."""
    previous = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return services.month_close(period=previous)
