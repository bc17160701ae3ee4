"""A retailer at phone size: log in, order a service, submit a personalised need, read the
timeline. Screenshots are kept under artefacts/screenshots/demands-*.png."""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from demands.models import Demand
from tests.demands.conftest import catalogue_item, office_hours

pytestmark = pytest.mark.browser


def tap(browser, element) -> None:
    """Scroll the element clear of the fixed tab bar, then click it like a finger would."""
    browser.js("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def test_retailer_orders_and_follows_on_a_phone(browser, org):
    office_hours()
    item = catalogue_item("terminal_maintenance", name_zh="终端维护服务",
                          name_en="terminal maintenance")
    catalogue_item("rural_network", tier="contemporary", name_zh="农网专项服务",
                   name_en="rural-network special service", market_types=["rural"])
    driver, wait = browser.driver, WebDriverWait(browser.driver, 15)
    browser.phone()
    browser.login(org.retailer_north.user)
    wait.until(EC.url_contains("/m/"))

    browser.get("/m/services/")
    assert "终端维护服务" in driver.page_source and "农网专项服务" in driver.page_source
    assert "仅限" in driver.page_source or "Only for" in driver.page_source  # the reason
    assert browser.js("return document.documentElement.scrollWidth") <= 400
    browser.screenshot("demands-catalogue-phone")

    tap(browser, driver.find_element(By.CSS_SELECTOR, f'[data-item="{item.code}"] a.d-order'))
    note = wait.until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, f"#order-{item.pk} textarea[name=note]")))
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0)
    browser.js("var slot = document.getElementById(arguments[0]);"
               "slot.querySelector('[name=preferred_start]').value = arguments[1];"
               "slot.querySelector('[name=preferred_end]').value = arguments[2];",
               f"order-{item.pk}", start.strftime("%Y-%m-%dT%H:%M"),
               (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    note.send_keys("冰柜不制冷，请上门检修")
    browser.screenshot("demands-order-form-phone")
    tap(browser, driver.find_element(By.CSS_SELECTOR, f"#order-{item.pk} button[type=submit]"))
    wait.until(EC.url_matches(r"/m/demands/\d+/$"))
    ordered = Demand.objects.get(item=item)
    assert ordered.description == "冰柜不制冷，请上门检修" and ordered.preferred_start
    assert "冰柜不制冷" in driver.page_source

    browser.get("/m/needs/new/")
    driver.find_element(By.NAME, "text").send_keys("想学习短视频带货，希望有人指导")
    browser.screenshot("demands-need-form-phone")
    tap(browser, driver.find_element(By.CSS_SELECTOR, "#need-form button[type=submit]"))
    wait.until(EC.url_matches(r"/m/demands/\d+/$"))
    assert Demand.objects.filter(kind="personalised").count() == 1

    browser.get("/m/demands/")
    rows = driver.find_elements(By.CSS_SELECTOR, "a.d-row")
    assert len(rows) == 2
    browser.screenshot("demands-my-demands-phone")
    driver.get(f"{browser.base_url}/m/demands/{ordered.pk}/")
    steps = driver.find_elements(By.CSS_SELECTOR, ".d-timeline .d-step")
    assert len(steps) == 1 and org.retailer_north.phone not in driver.page_source
    assert browser.js("return document.documentElement.scrollWidth") <= 400
    path = browser.screenshot("demands-timeline-phone")
    assert path.stat().st_size > 5_000


def test_manager_works_a_demand_on_the_dashboard(browser, org):
    office_hours()
    from demands import services

    need = services.demand_submit_need(retailer=org.retailer_north,
                                       actor=org.retailer_north.user, text="希望安装电子价签")
    item = catalogue_item("digital_tools", tier="contemporary", name_zh="数字化工具服务",
                          name_en="digital tools")
    wait = WebDriverWait(browser.driver, 15)
    browser.login(org.manager_north)
    wait.until(EC.url_contains("/dashboard/"))
    browser.get("/dashboard/demands/triage/")
    assert "希望安装电子价签" in browser.driver.page_source
    browser.screenshot("demands-manager-triage")
    row = browser.driver.find_element(By.CSS_SELECTOR, "form.d-act")
    row.find_element(By.CSS_SELECTOR, f"select[name=item] option[value='{item.pk}']").click()
    row.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The URL is the same before and after: wait for the page to be replaced instead.
    wait.until(EC.staleness_of(row))
    need.refresh_from_db()
    assert need.item == item
    browser.get(f"/dashboard/demands/{need.pk}/")
    accept = browser.driver.find_element(By.CSS_SELECTOR, "input[value=accept]")
    accept.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "button").click()
    wait.until(EC.staleness_of(accept))
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".messages")))
    need.refresh_from_db()
    assert need.status == "accepted"
    assert len(browser.driver.find_elements(By.CSS_SELECTOR, ".table tbody tr")) == 3
    browser.screenshot("demands-manager-demand")


def test_manager_searches_filters_sorts_and_opens_a_retailer(browser):
    """At 1440 px: search "冰柜" in 澄海区 by name, highest priority first, then open the
    shop behind the top row."""
    from selenium.webdriver.support.ui import Select

    from tests import factories
    from tests.demands.conftest import make_demand

    ch, lh = factories.district("CH", "澄海区"), factories.district("LH", "龙湖区")
    shop = factories.retailer(ch, shop_name="莲下便利店")
    other_shop = factories.retailer(ch, shop_name="东里烟酒行")
    far_shop = factories.retailer(lh, shop_name="金砂烟酒行")
    low = make_demand(other_shop, title="冰柜温控", priority=20)
    high = make_demand(shop, title="冰柜维修", priority=90)
    make_demand(shop, title="门头招牌", priority=99)
    make_demand(far_shop, title="冰柜搬迁", priority=95)
    manager = factories.manager(ch, lh)
    ace = factories.specialist(ch)
    from dispatch.models import ServiceTask

    ServiceTask.objects.create(
        source="visit", retailer=shop, district=ch, title="季度拜访",
        service_date=timezone.localdate(), window_start=dt.time(9), window_end=dt.time(17),
        service_minutes=30, status="assigned", specialist=ace, sequence=1)
    driver, wait = browser.driver, WebDriverWait(browser.driver, 15)
    driver.set_window_size(1440, 900)
    browser.login(manager)
    wait.until(EC.url_contains("/dashboard/"))

    browser.get("/dashboard/demands/")
    form = driver.find_element(By.ID, "demand-filters")
    form.find_element(By.NAME, "q").send_keys("冰柜")
    form.find_element(By.NAME, "district").send_keys("澄海区")
    Select(form.find_element(By.NAME, "sort")).select_by_value("-priority")
    browser.screenshot("demands-manager-filters-1440")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.url_contains("sort=-priority"))
    rows = driver.find_elements(By.CSS_SELECTOR, "#demand-table tbody tr[data-demand]")
    assert [int(r.get_attribute("data-demand")) for r in rows] == [high.pk, low.pk]
    assert "金砂烟酒行" not in driver.page_source and "门头招牌" not in driver.page_source
    assert browser.js("return document.documentElement.scrollWidth") <= 1440
    browser.screenshot("demands-manager-found-1440")

    rows[0].find_element(By.CSS_SELECTOR, "a.retailer-link").click()
    wait.until(EC.url_contains(f"/dashboard/retailers/{shop.pk}/"))
    assert "莲下便利店" in driver.find_element(By.ID, "retailer-name").text
    demands = driver.find_element(By.ID, "retailer-demands").text
    assert "冰柜维修" in demands and "门头招牌" in demands and "冰柜温控" not in demands
    assert browser.js("return document.documentElement.scrollWidth") <= 1440
    browser.screenshot("retailer-page-1440")

    # From the shop's tasks to the specialist who has it today.
    driver.find_element(By.CSS_SELECTOR, "#retailer-tasks a").click()
    wait.until(EC.url_contains(f"/dashboard/specialists/{ace.pk}/"))
    assert "季度拜访" in driver.find_element(By.ID, "specialist-day").text
    assert browser.js("return document.documentElement.scrollWidth") <= 1440
    browser.screenshot("specialist-page-1440")
