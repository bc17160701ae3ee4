"""python manage.py generate_strategies [--plan-visits WEEKS]"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from strategy import services


class Command(BaseCommand):
    help = "Generate every active retailer's strategy (new versions only where it changed)."

    def add_arguments(self, parser):
        parser.add_argument("--plan-visits", type=int, default=0, metavar="WEEKS",
                            help="then plan the visits of the next WEEKS weeks")
        parser.add_argument("--feedback", action="store_true",
                            help="first collect what became of earlier recommendations")

    def handle(self, *args, **opts):
        if opts["feedback"]:
            self.stdout.write(f"feedback: {services.feedback_collect()}")
        started = time.monotonic()
        result = services.strategies_generate()
        self.stdout.write(f"strategies: {result} in {time.monotonic() - started:.1f} s")
        if opts["plan_visits"]:
            started = time.monotonic()
            plan = services.visits_plan(start=timezone.localdate(), weeks=opts["plan_visits"])
            self.stdout.write(f"visits: {plan} in {time.monotonic() - started:.1f} s")
