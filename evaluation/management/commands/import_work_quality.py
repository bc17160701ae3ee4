"""python manage.py import_work_quality FILE [--dry-run]"""

from evaluation.imports import work_quality_import
from zhifu.accounts.management.commands._import_base import ImportCommand


class Command(ImportCommand):
    help = ("Import the monthly work-quality rates (order fulfilment, e-settlement, active "
            "payment, terminal running) keyed by employee number and month.")
    importer = staticmethod(work_quality_import)
