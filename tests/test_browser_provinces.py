"""Units of several provinces, in a real browser: the sidebar offers the provinces, choosing one redraws the unit
pages with its units only, and the choice stays when a person moves to another unit page through the sidebar."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_browser import ART, _open          # (skips or fails the module without Chromium)
from tests.browserkit import Server, browser_context, wait_idle
from tests.test_pages_units import add_province_units


def _settle(page) -> None:
    wait_idle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')


@pytest.fixture(scope="module")
def two_province_db(built_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("two") / "data"
    d.mkdir()
    db = d / "index.duckdb"
    shutil.copyfile(built_db, db)
    add_province_units(db)
    return db


def test_choosing_a_province_scopes_every_unit_page(two_province_db, tmp_path):
    with Server(two_province_db) as server, browser_context(tmp_path / "chrome") as ctx:
        url = server.url
        page = ctx.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, f"{url}/xep-hang-don-vi?level=department&year=2024")
        side = page.locator('[data-testid="stSidebar"]')
        assert "Đơn vị của tỉnh, thành phố" in side.inner_text()
        main = page.locator('[data-testid="stMain"]')
        assert "Hà Nội" not in main.inner_text()
        # choose as a keyboard user does: open the select, type to filter, Enter (no wait on the dropdown's animation)
        side.locator('[data-testid="stSelectbox"]').last.locator("input").click()
        page.keyboard.type("Hà Nội (32")
        page.get_by_role("option", name="Hà Nội (32 đơn vị)").wait_for()
        page.keyboard.press("Enter")
        page.wait_for_url("**uprov=p34%3A01**")
        _settle(page)
        page.wait_for_function("() => document.querySelector('[data-testid=\"stMain\"]').innerText"
                               ".includes('Hà Nội Sở')")
        ART.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ART / "xep-hang-don-vi_two_provinces.png"))
        # another unit page through the sidebar: still Hà Nội's units
        side.get_by_role("link", name="Hồ sơ đơn vị").click()
        page.wait_for_url("**/ho-so-don-vi**")
        _settle(page)
        assert "uprov=p34%3A01" in page.url and "unit=X" in page.url, page.url    # one of Hà Nội's units
        page.screenshot(path=str(ART / "ho-so-don-vi_two_provinces.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
