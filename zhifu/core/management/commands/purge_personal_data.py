"""python manage.py purge_personal_data"""

from django.core.management.base import BaseCommand

from zhifu.core.retention import personal_data_purge


class Command(BaseCommand):
    help = "Apply the retention rules to personal data now (beat runs it nightly)."

    def handle(self, *args, **options):
        for name, count in personal_data_purge().items():
            self.stdout.write(f"{name}: {count}")
