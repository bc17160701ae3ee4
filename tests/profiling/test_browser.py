"""The profile page and its radar render in headless Chromium; screenshots are kept."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from profiling.services import profiles_recompute

from .helpers import ensure_indicators, orders, raw, weekly

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 6, 30)


def _profiles(org):
    ensure_indicators()
    shop = org.retailer_north
    for code, value in (("data_collection_method", "pos"), ("data_collected_share", 80),
                        ("three_complete_store", "partial"), ("storefront_image", "good"),
                        ("daily_opening_hours", 14), ("trade_area_type", "commercial"),
                        ("road_section_type", "main"), ("population_density", 15000)):
        raw(shop, code, value, period=dt.date(2026, 4, 1))
    orders(shop, *weekly(TODAY, 20, 900))
    for month in (4, 5, 6):
        profiles_recompute(period=dt.date(2026, month, 1), today=TODAY)
    return shop


def test_manager_profile_page_draws_radar_and_trend(browser, org):
    shop = _profiles(org)
    browser.login(org.manager_north)
    browser.get(f"/dashboard/profiles/{shop.pk}/")
    wait = WebDriverWait(browser.driver, 10)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#profile-radar canvas"))
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#profile-trend canvas")
    assert "数据运营" in browser.driver.page_source
    # The radar got the six scores the server computed.
    count = browser.js("return echarts.getInstanceByDom(document.getElementById('profile-radar'))"
                       ".getOption().radar[0].indicator.length")
    assert count == 6
    path = browser.screenshot("profiling-manager-profile")
    assert path.stat().st_size > 10_000
    browser.get("/dashboard/profiles/?district=N1")
    assert shop.licence_no in browser.driver.page_source
    # The spread of the listed profiles: ten bins of total score, the shop counted once.
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#profile-spread canvas"))
    counts = browser.js("return echarts.getInstanceByDom(document.getElementById("
                        "'profile-spread')).getOption().series[0].data")
    assert len(counts) == 10 and sum(counts) >= 1
    browser.screenshot("profiling-manager-list")


def test_retailer_sees_its_radar_on_the_phone(browser, org):
    _profiles(org)
    browser.phone()
    browser.login(org.retailer_north.user)
    browser.get("/m/profile/")
    WebDriverWait(browser.driver, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#my-radar canvas"))
    assert browser.js("return document.documentElement.scrollWidth") <= 400
    path = browser.screenshot("profiling-retailer-profile-phone")
    assert path.stat().st_size > 10_000
