"""The portals render in a real browser, charts included."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = pytest.mark.browser


def test_manager_overview_renders_its_chart(browser, org):
    browser.login(org.manager_north)
    browser.get("/dashboard/")
    assert "我管理的片区总览" in browser.driver.page_source
    # ECharts drew a canvas inside the chart container.
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#band-chart canvas")
    assert browser.js("return window.echarts && window.echarts.version") is not None
    path = browser.screenshot("manager-overview")
    assert path.stat().st_size > 10_000


def test_retailer_home_at_phone_size(browser, org):
    browser.phone()
    browser.login(org.retailer_north.user)
    assert browser.driver.current_url.endswith("/m/")
    assert org.retailer_north.shop_name in browser.driver.page_source
    assert org.retailer_north.phone not in browser.driver.page_source
    width = browser.js("return document.documentElement.scrollWidth")
    assert width <= 400  # no sideways scrolling on a phone
    browser.screenshot("retailer-home-phone")
