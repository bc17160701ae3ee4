"""Each role's whole loop, walked in headless Chromium through the real URLs of a small demo
city (the one ``make run`` loads, at a smaller size): the pages a person uses, the buttons
they press, the files they download. A service-level test is not evidence that a person can
do the thing; these are."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from zhifu.accounts.models import Retailer, Specialist, User

PHONE_WIDTH = 360  # the narrowest phone the pages are built for
DEMO_PASSWORD = "zhifu2026"  # the README's


@pytest.fixture
def demo(live_server):
    """The demo city at a small size, with its README logins."""
    call_command("seed_demo", stdout=io.StringIO(), retailers=150, specialists=7, days=30,
                 seed=5)
    return SimpleNamespace(
        retailer=Retailer.objects.get(licence_no="440500000001"),
        specialist=Specialist.objects.get(employee_no="SP001"),
        manager=User.objects.get(username="manager"),
        lead=User.objects.get(username="lead_jp"),
        admin=User.objects.get(username="admin"))


class Walk:
    """A person at the browser: open, tap, fill, and check the page fits the screen."""

    def __init__(self, browser):
        self.browser = browser
        self.driver = browser.driver
        self.wait = WebDriverWait(browser.driver, 30)

    def phone(self) -> None:
        """A small phone held upright."""
        self.driver.set_window_size(PHONE_WIDTH, 740)

    def login(self, user) -> None:
        """Log in on the login form with the README's password, as a new user would."""
        self.browser.get("/login/")
        self.find("input[name=username]").send_keys(user.username)
        self.find("input[name=password]").send_keys(DEMO_PASSWORD)
        self.submit(self.find("button[type=submit].primary"))
        assert "/login/" not in self.driver.current_url, self.text()[:300]

    def open(self, path: str) -> None:
        self.browser.get(path)
        self.wait.until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.assert_no_error_page()

    def assert_no_error_page(self) -> None:
        body = self.driver.find_element(By.TAG_NAME, "body").text
        title = self.driver.title
        for sign in ("Server Error", "Page not found", "Traceback", "服务器错误"):
            assert sign not in title and sign not in body[:300], (self.driver.current_url,
                                                                  body[:300])

    def fits_phone(self) -> None:
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, (self.driver.current_url, width)

    def tap(self, element) -> None:
        """Scroll the element clear of the fixed tab bar, then click it like a finger."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    def submit(self, element) -> None:
        """Press a button that leaves the page, and wait for the next one: a marker put in
        this page is gone once the next page (or the swapped body) is there."""
        self.driver.execute_script(
            "var m = document.createElement('i'); m.id = 'walk-marker'; m.hidden = true;"
            "document.body.appendChild(m);")
        self.tap(element)
        try:
            WebDriverWait(self.driver, 30, ignored_exceptions=(WebDriverException,)).until(
                lambda d: d.execute_script(
                    "return document.readyState === 'complete' && "
                    "!document.getElementById('walk-marker')"))
        except TimeoutException:
            self.browser.screenshot("journey-stuck")
            raise AssertionError(f"the page did not answer: {self.driver.current_url}\n"
                                 f"{self.text()[:500]}") from None
        self.assert_no_error_page()

    def find(self, css: str):
        return self.wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self) -> str:
        return self.driver.find_element(By.TAG_NAME, "body").text


@pytest.fixture
def walk(browser):
    return Walk(browser)
