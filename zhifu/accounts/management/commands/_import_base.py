"""Shared body of the import_* commands: preview, or commit with --dry-run off."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhifu.core.errors import DomainError


class ImportCommand(BaseCommand):
    importer = None  # set by subclasses: a function (content, filename, commit) -> ImportReport

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8 or GB18030) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would change and every bad row; write nothing")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="import on this user's behalf: rows outside what that user "
                                 "may change are refused (default: the operator, everything)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if opts.get("as_user"):
            actor = get_user_model().objects.filter(username=opts["as_user"],
                                                    is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {opts['as_user']!r}")
        try:
            report = type(self).importer(content=path.read_bytes(), filename=path.name,
                                         commit=not opts["dry_run"], actor=actor)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        for error in report.errors:
            column = f" [{error.column}]" if error.column else ""
            self.stderr.write(f"line {error.line}{column}: {error.message}")
        verb = "written" if report.committed else "would be written (dry run)"
        self.stdout.write(
            f"{report.total} rows read, {report.good_rows} good, {len(report.errors)} problems; "
            f"{verb}: {report.created} new, {report.updated} changed, "
            f"{report.unchanged} unchanged."
        )
