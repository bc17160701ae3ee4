"""A manager at 1440 px sees the unread badge, opens the inbox, follows a breached-SLA
notice to the demand, and the badge goes down. Screenshots: artefacts/screenshots/inbox-*.png
"""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from demands.sla import demands_sla_sweep
from tests.demands.conftest import catalogue_item, make_demand
from zhifu.notifications.models import Notification

pytestmark = pytest.mark.browser


def _badge(driver) -> str | None:
    found = driver.find_elements(By.CSS_SELECTOR, "header [data-unread-badge]")
    return found[0].text if found else None


def test_manager_follows_a_breach_from_the_badge(browser, org):
    item = catalogue_item("browser-sla", response_hours=2, resolution_hours=40)
    submitted = timezone.now() - dt.timedelta(hours=2, minutes=30)
    demand = make_demand(org.retailer_north, item=item, submitted_at=submitted,
                         wall_clock=True, title="冰柜不制冷")
    demands_sla_sweep()  # response deadline passed: at risk (1) and breached (2) notices
    told = Notification.objects.filter(recipient=org.manager_north)
    assert sorted(told.values_list("kind", flat=True)) == ["demand.escalation.1",
                                                           "demand.escalation.2"]

    driver, wait = browser.driver, WebDriverWait(browser.driver, 15)
    driver.set_window_size(1440, 900)
    browser.login(org.manager_north)
    browser.get("/dashboard/")
    assert _badge(driver) == "2"
    browser.screenshot("inbox-badge")

    driver.find_element(By.CSS_SELECTOR, "header a[data-inbox]").click()
    wait.until(EC.url_contains("/notifications/"))
    driver.find_element(By.CSS_SELECTOR, 'a[data-kind="sla"]').click()
    wait.until(EC.url_contains("kind=sla"))
    breach = driver.find_element(By.CSS_SELECTOR, '[data-kind="demand.escalation.2"]')
    assert "冰柜不制冷" in breach.text and "超时" in breach.text
    browser.screenshot("inbox-list")

    breach.find_element(By.CSS_SELECTOR, 'button[data-action="view"]').click()
    wait.until(EC.url_contains(f"/dashboard/demands/{demand.pk}/"))
    assert "冰柜不制冷" in driver.page_source and "已超时" in driver.page_source
    assert _badge(driver) == "1"
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 1440
    browser.screenshot("inbox-followed-to-demand")
