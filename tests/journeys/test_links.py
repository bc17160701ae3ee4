"""No dead end: from each role's home page, every link a person can follow (pages of the
site, as far as they lead) answers with a page, never a 404 or a 500. Walked with the test
client over the demo city, following every ``<a href>`` it meets."""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from zhifu.accounts.models import User

# Links that are not pages to read: leaving, switching language, files and API answers.
NOT_PAGES = re.compile(r"^/(logout|i18n|static|media|api/|favicon)|[?&]export=|/admin/logout")
LIMIT = 400


def _links(html: str) -> list[str]:
    return re.findall(r'<a\s[^>]*href="([^"]+)"', html)


def _walk(user) -> tuple[int, dict[str, int]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    seen, broken, variants = set(), {}, Counter()
    queue = deque(["/"])
    while queue and len(seen) < LIMIT:
        url = urldefrag(queue.popleft())[0]
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code >= 400 and response.status_code != 403:
            broken[url] = response.status_code
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        here = response.request["PATH_INFO"]
        for link in _links(response.content.decode()):
            link = urljoin(here, link.replace("&amp;", "&"))
            parsed = urlparse(link)
            if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
                continue
            if NOT_PAGES.search(link) or link in seen:
                continue
            # Filters, pages and day or month steps: a few of each page's variants will do.
            variants[parsed.path] += 1
            if parsed.query and variants[parsed.path] > 6:
                continue
            # The admin's change lists are thousands of rows deep; one page of each is enough.
            if link.startswith("/admin/") and ("?" in link or link.count("/") > 5):
                continue
            queue.append(link)
    return len(seen), broken


@pytest.mark.parametrize("username", ["440500000001", "sp001", "manager", "lead_jp", "admin"])
def test_every_link_from_a_home_page_leads_somewhere(db, django_capture_on_commit_callbacks,
                                                     username):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO(), retailers=120, specialists=7,
                     days=20, seed=4)
    opened, broken = _walk(User.objects.get(username=username))
    assert opened >= 8
    assert broken == {}
