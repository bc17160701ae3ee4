"""No English word left on a Chinese page: every page each role opens, read as its user
reads it (visible text, labels, placeholders and button words; not code, scripts or the
contents of fields being edited)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from demands.models import CatalogueItem
from strategy.models import GradeBandTemplate, StrategyRule
from tests import factories
from tests.demands.conftest import make_demand
from tests.dispatch.conftest import make_task

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
        # Django's admin gives its yes/no icons the alt text "True"/"False" in every
        # language (admin_list._boolean_icon); the icon is what a person reads there.
        if tag == "img" and "/admin/img/icon-" in (dict(attrs).get("src") or ""):
            return
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
    text = " ".join(reader.parts)
    # Words, and codes written with underscores (a status or a rule shown raw).
    return (set(re.findall(r"\b[A-Za-z]{3,}\b", text))
            | set(re.findall(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b", text))) - AS_THEY_ARE


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


def _pages_and_people(org) -> tuple[list[str], list[str], list]:
    """Every page without arguments, and the object pages each role opens most: a demand
    (the retailer's, the specialist's, the manager's), a task, a profile, a specialist."""
    city = factories.city_level(org.manager_north)
    demand = make_demand(org.retailer_north, assignee=org.specialist_north,
                         status="scheduled")
    start = timezone.now().replace(hour=10, minute=0)
    task = make_task(org.retailer_north, timezone.localdate(), specialist=org.specialist_north,
                     status="assigned", sequence=1, demand=demand, planned_start=start,
                     planned_end=start + dt.timedelta(minutes=30))
    objects = [
              f"/dashboard/catalogue/{CatalogueItem.objects.first().pk}/",
              f"/dashboard/strategy/templates/{GradeBandTemplate.objects.first().pk}/",
              f"/dashboard/strategy/rules/{StrategyRule.objects.first().pk}/",
              f"/dashboard/retailers/{org.retailer_north.pk}/",
              f"/dashboard/specialists/{org.specialist_north.pk}/",
              f"/dashboard/profiles/{org.retailer_north.pk}/",
              f"/dashboard/demands/{demand.pk}/", f"/m/demands/{demand.pk}/",
              f"/s/demands/{demand.pk}/", f"/s/tasks/{task.pk}/",
              f"/dashboard/strategy/retailers/{org.retailer_north.pk}/",
              "/admin/", "/admin/accounts/retailer/", "/admin/accounts/retailer/import/",
              "/admin/dispatch/servicetask/"]
    people = [org.retailer_north.user, org.specialist_north.user, org.manager_north, city,
              org.admin]
    return _pages_without_arguments() + objects, objects, people


def _walk(org, language: str, foreign) -> tuple[dict, int, set[str], list[str]]:
    """Every page of every role in ``language``; ``foreign(html)`` names the words that do
    not belong there. Returns them by (user, page), the pages opened, which, and the object
    pages that should have opened."""
    pages, objects, people = _pages_and_people(org)
    found, opened, seen = {}, 0, set()
    for user in people:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if (response.status_code != 200
                    or "text/html" not in response.get("Content-Type", "")):
                continue
            opened += 1
            seen.add(url)
            words = foreign(response.content.decode())
            if words:
                found[(user.username, url)] = sorted(words)
    return found, opened, seen, objects


def test_every_page_of_every_role_is_chinese(org):
    found, opened, seen, objects = _walk(org, "zh-hans", english_words)
    assert opened > 40  # the walk did open the portals' pages
    assert set(objects) <= seen  # and every object page, for its role
    assert found == {}


def _data_strings() -> set[str]:
    """Every text value stored in the database: what people and sheets typed (shop and
    district names, demand titles, catalogue names without an English one) stays in the
    language it was written in; only the product's own words must follow the reader."""
    values: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if isinstance(value, str):
                    values.add(value)
                elif value:
                    values.add(str(value))
    return values


def chinese_runs(html: str) -> set[str]:
    reader = VisibleText()
    reader.feed(html)
    return set(re.findall(r"[\u4e00-\u9fff]+", " ".join(reader.parts)))


def test_every_page_of_every_role_is_english_in_english(org):
    """The same walk in English: no Chinese left on a page but the data people wrote."""
    # The product's name and the language switcher's own name stay as they are.
    kept = {"智服", "简体中文"}
    data: list[str] = []

    def chinese_left(html: str) -> set[str]:
        if not data:  # read once the walk's own demand and task exist
            data.append(" ".join(_data_strings()))
        return {run for run in chinese_runs(html) if run not in data[0]} - kept

    found, opened, seen, objects = _walk(org, "en", chinese_left)
    assert opened > 40
    assert set(objects) <= seen
    assert found == {}
