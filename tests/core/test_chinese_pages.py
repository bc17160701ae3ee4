"""No English word left on a Chinese page: every page each role opens, read as its user
reads it (visible text, labels, placeholders and button words; not code, scripts or the
contents of fields being edited)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from demands.models import CatalogueItem
from strategy.models import GradeBandTemplate, StrategyRule

# Words Chinese pages use as they are: the language switcher names English in English,
# "App"/"API" are how Chinese speaks of them, file formats and abbreviations by their names.
AS_THEY_ARE = {"English", "App", "API", "YYYY", "SLA", "CSV", "Excel", "JSON", "PIPL", "SKU",
               "SKUs", "POS", "PDF", "XLSX", "xlsx", "csv", "SW"}
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea"}
SPOKEN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in SPOKEN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    reader = VisibleText()
    reader.feed(html)
    return set(re.findall(r"\b[A-Za-z]{3,}\b", " ".join(reader.parts))) - AS_THEY_ARE


def _pages_without_arguments() -> list[str]:
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return ["/" + route for route in walk(get_resolver().url_patterns, "")
            if "<" not in route and "(" not in route and "^" not in route
            and not route.startswith(("admin", "api", "static", "media", "i18n"))]


def test_every_page_of_every_role_is_chinese(org):
    from tests import factories

    city = factories.city_level(org.manager_north)
    pages = _pages_without_arguments()
    pages += [f"/dashboard/catalogue/{CatalogueItem.objects.first().pk}/",
              f"/dashboard/strategy/templates/{GradeBandTemplate.objects.first().pk}/",
              f"/dashboard/strategy/rules/{StrategyRule.objects.first().pk}/",
              f"/dashboard/retailers/{org.retailer_north.pk}/"]
    found, opened = {}, 0
    for user in (org.retailer_north.user, org.specialist_north.user, org.manager_north, city,
                 org.admin):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if (response.status_code != 200
                    or "text/html" not in response.get("Content-Type", "")):
                continue
            opened += 1
            words = english_words(response.content.decode())
            if words:
                found[(user.username, url)] = sorted(words)
    assert opened > 40  # the walk did open the portals' pages
    assert found == {}
