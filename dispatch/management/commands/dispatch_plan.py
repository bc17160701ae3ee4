"""python manage.py dispatch_plan --date YYYY-MM-DD [--district X] [--seconds T]"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dispatch.choices import DispatchMode, RunTrigger
from dispatch.models import DispatchRun
from dispatch.services.runs import run_start
from zhifu.accounts.models import District
from zhifu.core.errors import DomainError


class Command(BaseCommand):
    help = ("Plan a day: generate its tasks and run the optimiser, as a manager's run does. "
            "With a broker configured, the run is queued for the workers.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, required=True)
        parser.add_argument("--district", action="append", default=[],
                            help="district code; repeat for several (default: all)")
        parser.add_argument("--seconds", type=float, default=20.0,
                            help="time limit per district")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--mode", choices=DispatchMode.values, default=DispatchMode.COMMAND)
        parser.add_argument("--allow-cross-district", action="store_true")

    def handle(self, *args, **opts):
        codes = opts["district"]
        districts = list(District.objects.filter(code__in=codes)) if codes else list(
            District.objects.all())
        if codes and len(districts) != len(set(codes)):
            known = {d.code for d in districts}
            raise CommandError(f"Unknown district: {', '.join(sorted(set(codes) - known))}")
        try:
            run = run_start(actor=None, day=opts["date"], district_ids=[d.id for d in districts],
                            mode=opts["mode"], seconds=opts["seconds"], seed=opts["seed"],
                            allow_cross_district=opts["allow_cross_district"],
                            trigger=RunTrigger.MANUAL)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        run = DispatchRun.objects.get(pk=run.pk)
        self.stdout.write(f"run #{run.pk}: {run.status}")
        if run.result:
            r = run.result
            self.stdout.write(
                f"tasks {r.get('tasks')}, served {r.get('served')}, unserved {r.get('unserved')}, "
                f"travel {r.get('travel_minutes')} min")
            for district, figures in sorted(r.get("districts", {}).items()):
                self.stdout.write(f"  district {district}: {figures}")
        if run.error:
            self.stderr.write(run.error)
