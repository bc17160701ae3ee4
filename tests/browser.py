"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium for page tests.

Use the ``browser`` fixture (in tests/conftest.py) with pytest-django's ``live_server``:

    def test_x(browser, live_server, org):
        browser.login(org.manager_north)            # session cookie, no form typing needed
        browser.get("/dashboard/")
        browser.screenshot("dashboard-overview")     # artefacts/screenshots/dashboard-overview.png

``browser.driver`` is the Selenium WebDriver; ``browser.phone()`` switches to a
phone viewport (390×844). Screenshots are kept under ``artefacts/screenshots``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

ARTEFACTS = Path(os.environ.get("ZHIFU_ARTEFACTS", str(Path(settings.BASE_DIR) / "artefacts")))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class Browser:
    def __init__(self, base_url: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.base_url = base_url.rstrip("/")
        self._profile = tempfile.mkdtemp(prefix="zhifu-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        # The flags this closed network needs: no background calls home, no sandbox as root.
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=1366,900",
                     f"--user-data-dir={self._profile}"):
            options.add_argument(flag)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                                       options=options)
        self.driver.set_page_load_timeout(30)

    def get(self, path: str) -> None:
        self.driver.get(self.base_url + path)

    def login(self, user) -> None:
        """Log in through the real login form (password from tests.factories)."""
        from selenium.webdriver.common.by import By

        from tests.factories import PASSWORD

        self.get("/login/")
        self.driver.find_element(By.NAME, "username").send_keys(user.username)
        self.driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
        # Wait for the redirect: the session cookie exists only once the login answered.
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, 30).until(lambda d: "/login/" not in d.current_url)

    def phone(self) -> None:
        self.driver.set_window_size(390, 844)

    def screenshot(self, name: str) -> Path:
        target = ARTEFACTS / "screenshots" / f"{name}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(target))
        return target

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self._profile, ignore_errors=True)
