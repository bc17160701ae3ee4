"""Celery tasks of the evaluation app (beat): nightly ledger, monthly close."""


from celery import shared_task

from zhifu.core.months import add_months, this_month

from . import services


@shared_task(name="evaluation.points_sync")
def points_sync() -> dict:
    """Nightly: the current month's ledger brought in line with its sources."""
    return services.points_sync(period=this_month())


@shared_task(name="evaluation.month_close")
def month_close() -> dict:
    """On the 1st: last month's ledger, capability snapshots and service stars."""
    return services.month_close(period=add_months(this_month(), -1))
