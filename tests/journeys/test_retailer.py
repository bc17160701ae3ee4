"""The retailer's loop on a phone, from the login form to changing a rating."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image

from demands.choices import OPEN_STATUSES, DemandStatus
from demands.models import Demand
from demands.selectors import catalogue_for_retailer
from evaluation.models import ServiceRating

pytestmark = pytest.mark.browser


def _orderable_item(retailer):
    """A service this shop may order now and has no open demand for."""
    busy = set(Demand.objects.filter(retailer=retailer, status__in=OPEN_STATUSES)
               .values_list("item_id", flat=True))
    for tier in catalogue_for_retailer(retailer=retailer):
        for entry in tier.entries:
            if entry.orderable and entry.item.pk not in busy:
                return entry.item
    raise AssertionError("the demo shop can order nothing")


def test_a_retailer_walks_the_whole_loop_on_a_phone(browser, demo, walk, tmp_path):
    walk.phone()
    walk.login(demo.retailer.user)
    assert walk.driver.current_url.endswith("/m/")
    walk.fits_phone()

    # The catalogue, with the reasons a service is closed to this shop; order one.
    walk.open("/m/services/")
    assert walk.all(".d-item-off"), "no service shows why it cannot be ordered"
    walk.fits_phone()
    item = _orderable_item(demo.retailer)
    walk.tap(walk.find(f'[data-item="{item.code}"] a.d-order'))
    note = walk.find(f"#order-{item.pk} textarea[name=note]")
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0)
    walk.driver.execute_script(
        "var slot = document.getElementById(arguments[0]);"
        "slot.querySelector('[name=preferred_start]').value = arguments[1];"
        "slot.querySelector('[name=preferred_end]').value = arguments[2];",
        f"order-{item.pk}", start.strftime("%Y-%m-%dT%H:%M"),
        (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    note.send_keys("请上午来")
    walk.submit(walk.find(f"#order-{item.pk} button[type=submit]"))
    ordered = Demand.objects.filter(retailer=demo.retailer, item=item).latest("pk")
    assert walk.driver.current_url.endswith(f"/m/demands/{ordered.pk}/")
    assert "请上午来" in walk.text() and walk.all(".d-timeline .d-step")

    # A need in its own words, with a photo it then sees on the demand.
    photo = tmp_path / "shelf.png"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(photo)
    walk.open("/m/needs/new/")
    walk.find("#need-form textarea[name=text]").send_keys("货架需要更换，附照片")
    walk.find("#need-form input[type=file]").send_keys(str(photo))
    walk.submit(walk.find("#need-form button[type=submit]"))
    need = Demand.objects.filter(retailer=demo.retailer, kind="personalised").latest("pk")
    assert walk.driver.current_url.endswith(f"/m/demands/{need.pk}/")
    shown = walk.find("img.d-photo")
    walk.wait.until(lambda d: d.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth > 0", shown))
    walk.fits_phone()

    # The service done two days ago: confirm it, rate it, change the rating.
    done = Demand.objects.get(retailer=demo.retailer, client_token__endswith="-rate-me")
    walk.open("/m/demands/")
    walk.tap(walk.find(f'.d-awaiting a[href*="/m/demands/{done.pk}/"]'))
    walk.wait.until(lambda d: f"/m/demands/{done.pk}/" in d.current_url)
    walk.submit(walk.find("button[name=confirm]"))
    for aspect in ("attitude", "professionalism", "timeliness", "result"):
        walk.tap(walk.find(f'.rating-form input[name={aspect}][value="4"]'))
    walk.find(".rating-form textarea[name=comment]").send_keys("专员很耐心")
    walk.submit(walk.find(".rating-form button[type=submit]"))
    rating = ServiceRating.objects.get(demand=done)
    assert rating.overall == 4 and rating.comment == "专员很耐心"
    assert Demand.objects.get(pk=done.pk).status == DemandStatus.RATED
    walk.tap(walk.find('.rating-form input[name=result][value="5"]'))
    walk.submit(walk.find(".rating-form button[type=submit]"))
    rating.refresh_from_db()
    assert rating.result == 5 and rating.overall == 4.25
    walk.fits_phone()

    # Not interested in a recommendation: it is gone from the page.
    walk.open("/m/recommended/")
    declines = walk.all('form[action$="/decline/"]')
    assert declines, "the demo shop has no recommendation to decline"
    action = declines[0].get_attribute("action")
    walk.submit(declines[0].find_element("css selector", "button"))
    assert not walk.all(f'form[action="{action}"]')
    walk.fits_phone()
