"""Units of several provinces, in a real browser: the sidebar offers the provinces, choosing one redraws the unit
pages with its units only, and the choice stays when a person moves to another unit page through the sidebar."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_browser import ARGS, ART, CHROMIUM, _open
from tests.test_browser_admin import _serve
from tests.test_pages_units import add_province_units

from playwright.sync_api import sync_playwright  # noqa: E402  (test_browser skips or fails without Chromium)


def _settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)


@pytest.fixture(scope="module")
def two_province_db(built_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("two") / "data"
    d.mkdir()
    db = d / "index.duckdb"
    shutil.copyfile(built_db, db)
    add_province_units(db)
    return db


def test_choosing_a_province_scopes_every_unit_page(two_province_db, tmp_path):
    proc, url = _serve(two_province_db, None)
    try:
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(str(tmp_path / "chrome"), executable_path=CHROMIUM,
                                                       headless=True, args=ARGS)
            page = ctx.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            _open(page, f"{url}/xep-hang-don-vi?level=department&year=2024")
            side = page.locator('[data-testid="stSidebar"]')
            assert "Đơn vị của tỉnh, thành phố" in side.inner_text()
            main = page.locator('[data-testid="stMain"]')
            assert "Hà Nội" not in main.inner_text()
            for attempt in range(3):          # the first click of a fresh session is sometimes lost (see test_browser)
                try:
                    side.locator('[data-testid="stSelectbox"]').last.click()
                    page.get_by_role("option", name="Hà Nội (32 đơn vị)").click(timeout=10_000)
                    page.wait_for_url("**uprov=p34%3A01**", timeout=15_000)
                    break
                except Exception:
                    if attempt == 2:
                        raise
                    page.keyboard.press("Escape")
            _settle(page)
            page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]').innerText"
                                   ".includes('Hà Nội Sở')", timeout=60_000)
            ART.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ART / "xep-hang-don-vi_two_provinces.png"))
            # another unit page through the sidebar: still Hà Nội's units
            side.get_by_role("link", name="Hồ sơ đơn vị").click()
            page.wait_for_url("**/ho-so-don-vi**", timeout=30_000)
            _settle(page)
            assert "uprov=p34%3A01" in page.url and "unit=X" in page.url, page.url    # one of Hà Nội's units
            page.screenshot(path=str(ART / "ho-so-don-vi_two_provinces.png"))
            assert page.locator('[data-testid="stException"]').count() == 0
            ctx.close()
    finally:
        proc.terminate()
        proc.wait(10)
