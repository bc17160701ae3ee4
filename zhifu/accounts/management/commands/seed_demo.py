"""python manage.py seed_demo [--retailers 3000] [--specialists 40] [--days 60] [--seed 1]"""

import datetime as dt
import importlib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhifu.accounts.demo import DemoContext
from zhifu.accounts.models import Retailer
from zhifu.core import embedded

# Each app contributes its part of the demo city, in dependency order.
SEEDERS = [
    "zhifu.accounts.demo",
    "profiling.demo",
    "demands.demo",
    "strategy.demo",
    "evaluation.demo",
    "dispatch.demo",
]


class Command(BaseCommand):
    help = "Load the demo city (Shantou). Deterministic for a seed; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--retailers", type=int, default=3000)
        parser.add_argument("--specialists", type=int, default=40)
        parser.add_argument("--days", type=int, default=60, help="days of order history")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already has retailers")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="the demo's 'today' (YYYY-MM-DD); default: the real today")

    def handle(self, *args, **opts):
        if opts["retailers"] < 1 or opts["specialists"] < 7 or opts["days"] < 0:
            raise CommandError("Need at least 1 retailer, 7 specialists (one per district) "
                               "and a non-negative number of days.")
        if opts["if_empty"] and Retailer.objects.exists():
            self.stdout.write("The database already has data; demo city not loaded.")
            return
        ctx = DemoContext(seed=opts["seed"], retailers=opts["retailers"],
                          specialists=opts["specialists"], days=opts["days"],
                          today=opts["today"] or timezone.localdate())
        # Background work (the day's dispatch runs) runs here, not on a worker thread: the
        # demo is complete when the command returns.
        with embedded.inline():
            for path in SEEDERS:
                self.stdout.write(f"seeding {path} …")
                with transaction.atomic():
                    importlib.import_module(path).seed(ctx)
        counts = ", ".join(f"{k}: {v}" for k, v in ctx.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo city ready ({counts})."))
        self.stdout.write("Logins (role, username, password):")
        for role, username, password in ctx.logins:
            self.stdout.write(f"  {role:<26} {username:<16} {password}")
