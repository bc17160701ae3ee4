"""The specialist's day on a phone: today in route order, a stop with the shop's radar and
strategy, tomorrow's plan, the month's scores and rank, and a message that opens the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dispatch.models import ServiceTask

pytestmark = pytest.mark.browser


def test_a_specialist_reads_the_day_on_a_phone(browser, demo, walk):
    today = timezone.localdate()
    mine = list(ServiceTask.objects.filter(specialist=demo.specialist, service_date=today)
                .order_by("sequence"))
    assert mine, "the demo planned nothing for sp001 today"
    walk.phone()
    walk.login(demo.specialist.user)
    assert walk.driver.current_url.endswith("/s/")
    walk.fits_phone()
    stops = [int(e.get_attribute("data-task")) for e in walk.all(".s-route .s-stop")]
    assert stops == [t.pk for t in mine]  # the route, in order

    walk.submit(walk.find(f'.s-stop[data-task="{mine[0].pk}"] a'))
    assert walk.driver.current_url.endswith(f"/s/tasks/{mine[0].pk}/")
    assert mine[0].retailer.shop_name in walk.text()
    if walk.all("#task-radar"):  # drawn when the shop has a profile
        walk.wait.until(lambda d: d.find_elements("css selector", "#task-radar canvas"))
    walk.fits_phone()

    walk.open(f"/s/plan/?date={today}")
    walk.submit(walk.find('.s-days a[aria-label][href*="date="]:last-child'))
    assert f"date={today + dt.timedelta(days=1)}" in walk.driver.current_url
    walk.fits_phone()

    walk.open("/s/scores/")
    assert "城市排名" in walk.text() and walk.all(".s-ranking li")
    walk.fits_phone()

    walk.open("/notifications/")
    walk.fits_phone()
    view = walk.all('.n-item button[data-action="view"]')
    assert view, "the demo's plan notices are missing"
    walk.submit(view[0])
    assert "/s/plan/" in walk.driver.current_url
    assert "application/json" not in walk.driver.page_source[:200]
