"""python manage.py import_orders FILE [--dry-run]"""

from zhifu.accounts.management.commands._import_base import ImportCommand

from ...imports import order_import


class Command(ImportCommand):
    help = ("Import orders (licence number, date, cigarette and non-tobacco amounts and SKUs) "
            "from CSV or Excel, keyed by licence number and date (safe to repeat).")
    importer = staticmethod(order_import)
