"""python manage.py recompute_profiles [--period YYYY-MM] [--today YYYY-MM-DD]"""

import argparse
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhifu.core import services as jobs
from zhifu.core.errors import DomainError
from zhifu.core.models import JobRun
from zhifu.core.months import parse_day, parse_month

from ...services import RECOMPUTE_JOB, profiles_recompute_job


def _argument(parse):
    """A months-module parser as an argparse type: its message when the value is bad."""
    def convert(text: str) -> dt.date:
        try:
            return parse(text)
        except DomainError as exc:
            raise argparse.ArgumentTypeError(str(exc.message)) from None
    return convert


class Command(BaseCommand):
    help = "Recompute every retailer's profile snapshot for a month (what the Celery task runs)."

    def add_arguments(self, parser):
        parser.add_argument("--period", type=_argument(parse_month), default=None,
                            help="the month YYYY-MM (default: this month)")
        parser.add_argument("--today", type=_argument(parse_day), default=None,
                            help="count orders up to this day (default: the real today)")

    def handle(self, *args, **opts):
        params = {}
        if opts["period"]:
            params["period"] = opts["period"].isoformat()
        if opts["today"]:
            params["today"] = opts["today"].isoformat()
        job = jobs.job_create(kind=RECOMPUTE_JOB, params=params)
        try:
            jobs.job_run(job_id=job.id, work=profiles_recompute_job)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        job = JobRun.objects.get(pk=job.id)
        self.stdout.write(self.style.SUCCESS(
            f"Job #{job.id}: {job.result.get('retailers', 0)} profiles for "
            f"{job.result.get('period')} ({job.result.get('churn_warnings', 0)} churn warnings)."))
