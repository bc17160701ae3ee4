"""python manage.py import_retailers FILE [--dry-run]"""

from zhifu.accounts.imports import retailer_import

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import retailers from CSV or Excel, keyed by licence number (safe to repeat)."
    importer = staticmethod(retailer_import)
