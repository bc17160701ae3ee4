"""python manage.py import_specialists FILE [--dry-run]"""

from zhifu.accounts.imports import specialist_import

from ._import_base import ImportCommand


class Command(ImportCommand):
    help = "Import specialists from CSV or Excel, keyed by employee number (safe to repeat)."
    importer = staticmethod(specialist_import)
