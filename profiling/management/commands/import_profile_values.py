"""python manage.py import_profile_values FILE [--dry-run]"""

from zhifu.accounts.management.commands._import_base import ImportCommand

from ...imports import raw_value_import


class Command(ImportCommand):
    help = ("Import indicator values (terminal and trade-area data, margins, …): one row per "
            "licence number and month, one column per indicator (safe to repeat).")
    importer = staticmethod(raw_value_import)
