#!/usr/bin/env python
"""Django's command-line entry point for 智服."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifu.settings.development")
    # Imported here, after the settings module is chosen (Django's own manage.py).
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
