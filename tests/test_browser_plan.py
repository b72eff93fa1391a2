"""Issue 21 end to end in Chromium, on the real database: a signed-in specialist opens the targets page, edits the
drafted plan in the browser (one target raised out of reach), saves it; loads next year's results on the admin page;
the targets page of that year shows each line reached / not reached as SQL computes it."""
from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from tests.test_browser import ART, _open          # noqa: F401  (skips or fails the module without Chromium)
from tests.browserkit import Server, browser_context, wait_idle
from tests.test_plan import _department_file, _load_departments, expected_status

PASSWORD = "mật-khẩu-thử-2026"
UNITS = {"Sở Tư pháp": 0.6, "Sở Nội vụ": 0.7, "Sở Tài chính": 0.65}


def _settled_box(page, locator, quiet: int = 3) -> dict:
    """The element's box once it has stayed in place for `quiet` checks 300 ms apart (the app idle throughout)."""
    wait_idle(page)
    last, same = None, 0
    for _ in range(100):
        box = locator.bounding_box()
        same = same + 1 if box == last else 0
        if same >= quiet:
            return box
        last = box
        page.wait_for_timeout(300)
    raise AssertionError(f"the element kept moving: last box {last}")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with browser_context(tmp_path_factory.mktemp("chrome-plan"), viewport={"width": 1400, "height": 1000}) as ctx:
        yield ctx


def test_a_plan_made_in_the_browser_is_tracked_when_the_next_year_is_loaded(real_db, browser, tmp_path):
    db = tmp_path / "data" / "index.duckdb"
    db.parent.mkdir()
    shutil.copyfile(real_db, db)
    _load_departments(db, tmp_path, 2024, UNITS)
    from etl import accounts
    accounts.add(db, "lan.nguyen", "editor", PASSWORD)        # a named account (issue 22): the history names her
    with Server(db) as server:
        page = browser.new_page()
        _open(page, f"{server.url}/quan-tri", charts=False)
        page.get_by_label("Tên tài khoản").fill("lan.nguyen")
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_selector("text=Đã đăng nhập: lan.nguyen")
        # to the targets page within the same session (signed in), departments 2024
        page.get_by_role("link", name="Mục tiêu cải thiện").click()
        page.wait_for_selector("text=Kế hoạch nâng cao chỉ số năm 2025")
        wait_idle(page)
        assert "Chưa lưu kế hoạch năm 2025" in page.inner_text("body")
        editor = page.locator('[data-testid="stDataFrame"]').last
        editor.scroll_into_view_if_needed()
        page.screenshot(path=str(ART / "plan_draft.png"), full_page=False)
        # raise the first line's target out of reach: select the first row's first cell, move to "Mục tiêu"
        # (4th column) with the arrow keys, type the new value the Vietnamese way
        # The click is aimed by position, so the page must have stopped moving first: on a busy machine the last
        # elements of the page arrived after the box was measured, the grid moved down a row, and the edit went to
        # the second line (the saved plan kept 82,1 on line 1). The grid's accessible cells (glide-cell-COL-ROW,
        # aria-selected, their text) then confirm where the cursor is and what was typed, before anything is saved.
        box = _settled_box(page, editor)
        page.mouse.click(box["x"] + 120, box["y"] + 35 + 17)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        selected = editor.locator('td[role="gridcell"][aria-selected="true"]')
        selected.wait_for(state="attached")
        assert selected.get_attribute("id").endswith("-0"), selected.get_attribute("id")    # the first line
        page.keyboard.press("Enter")                          # opens the cell's editor
        page.wait_for_timeout(400)
        page.keyboard.press("Control+A")
        page.keyboard.type("99,5", delay=50)
        page.keyboard.press("Enter")
        editor.locator('td[role="gridcell"][id$="-0"]').filter(has_text=re.compile(r"^99[,.]50?$")).wait_for(
            state="attached")                                 # the grid holds the new target on line 1
        wait_idle(page)
        page.get_by_role("button", name="Lưu kế hoạch").click()
        page.wait_for_selector("text=Đã lưu kế hoạch năm 2025")
        wait_idle(page)
        page.screenshot(path=str(ART / "plan_saved.png"), full_page=False)
        con = duckdb.connect(str(db), read_only=True)
        saved = con.execute("select line_no, target_value, updated_by from plan_line where plan_year = 2025 "
                            "order by line_no").fetchall()
        con.close()
        assert len(saved) == 8 and saved[0][1] == 99.5 and saved[0][2] == "lan.nguyen"
        # next year's results arrive, loaded on the admin page in the same session: domains 1-4 rise past their
        # targets, the others do not
        page.get_by_role("link", name="Quản trị dữ liệu").click()
        page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached")
        new_year = _department_file(db, tmp_path, 2025, UNITS, raised=("1", "2", "3", "4"))
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(new_year))
        page.wait_for_selector("text=hợp lệ", timeout=60_000)
        wait_idle(page)
        page.get_by_role("button", name="Xác nhận nạp").click()
        page.wait_for_selector("text=Đã nạp diem_2025.xlsx", timeout=60_000)
        con = duckdb.connect(str(db), read_only=True)
        want = [s for s, _ in expected_status(con, 2025).values()]
        con.close()
        assert "reached" in want and "missed" in want
        _open(page, f"{server.url}/muc-tieu?level=department&year=2025&depth=criterion")
        page.wait_for_selector("text=Theo dõi kế hoạch năm 2025")
        wait_idle(page)
        metrics = {m.locator('[data-testid="stMetricLabel"]').inner_text().strip():
                   m.locator('[data-testid="stMetricValue"]').inner_text().strip()
                   for m in page.locator('[data-testid="stMetric"]').all()}
        assert metrics["Đạt"] == f"{want.count('reached')}/8"
        assert metrics["Chưa đạt"] == f"{want.count('missed')}/8"
        assert metrics["Chưa có số liệu"] == f"{want.count('no_data')}/8"
        page.locator("text=Theo dõi kế hoạch năm 2025").scroll_into_view_if_needed()
        page.screenshot(path=str(ART / "plan_tracked.png"), full_page=False)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
