"""Security headers on every response; no page relies on an inline script."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.parametrize("url", ["/login/", "/api/v1/me/", "/healthz/", "/no-such-page/"])
def test_strict_csp_everywhere(db, url):
    response = Client().get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline' ;" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_vendor_pages_get_their_inline_scripts(db):
    csp = Client().get("/api/docs/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "admin/" in str(path.relative_to(settings.BASE_DIR)):
            continue
        if "<script>" in text or " onclick=" in text or " onchange=" in text or \
                " onsubmit=" in text:
            offenders.append(str(path))
    assert offenders == []
