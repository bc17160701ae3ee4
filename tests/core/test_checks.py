"""Production settings pass check --deploy; the OpenAPI schema validates with no warnings;
every translatable string has its Chinese translation compiled."""

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def _run_manage(*args, env_extra=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zhifu.settings.production",
           **(env_extra or {})}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SECRET_KEY"] = ""
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env={**env, "DJANGO_SETTINGS_MODULE": "zhifu.settings.production"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING",
                         env_extra={"DJANGO_SECRET_KEY": "k" * 20 + "x9Z#" * 10 + "q" * 20,
                                    "DJANGO_ALLOWED_HOSTS": "zhifu.example.cn"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/auth/token/" in text and "/api/v1/retailers/{id}/" in text


def _po_entries(path: Path) -> list[tuple[str, str]]:
    text = path.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        ids = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if ids:
            msgid = "".join(re.findall(r'"(.*)"', ids.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', ids.group(2)))
            if msgid:
                entries.append((msgid, msgstr))
    return entries


def test_every_string_has_a_compiled_chinese_translation():
    po = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po)
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert untranslated == []
    with open(po.with_suffix(".mo"), "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [m for m, s in entries
             if s != m and "\\" not in m and catalogue.gettext(m) == m and "%(" not in m]
    assert stale == [], "run `make messages`: the .mo file is older than the .po file"


@pytest.mark.skipif(not Path("/usr/bin/xgettext").exists(), reason="gettext tools not installed")
def test_no_string_is_missing_from_the_catalogue(tmp_path):
    """makemessages on the current code finds nothing the committed catalogue lacks.

    It runs in a scratch copy of the tree: makemessages writes into whichever
    locale folder sits above the files it reads, so in place it would edit ours.
    """
    import shutil

    copy = tmp_path / "tree"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "var", "artefacts", ".git", "vendor", "bench", "__pycache__", "*.sqlite3",
        "node_modules", "solver", "tests"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--ignore=.venv",
         "--no-obsolete"],
        cwd=copy, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhifu.settings.base",
             "PYTHONPATH": str(copy), "SQLITE_PATH": str(tmp_path / "db.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    fresh = {m for m, _s in _po_entries(copy / "locale" / "zh_Hans" / "LC_MESSAGES"
                                        / "django.po")}
    committed = {m for m, _s in _po_entries(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
                                            / "django.po")}
    assert fresh - committed == set()
