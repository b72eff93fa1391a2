"""The admin flow in a real browser, as a new user would do it, on its own server and database copy: locked
without a password; wrong password refused; upload a bad file and read the report; upload the fixed file,
confirm, see another open page move to the new data with a notice; roll back. A unit whose name holds HTML and
SQL is shown as plain text everywhere it appears."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_browser import ART, _open          # noqa: F401  (skips or fails the module without Chromium)
from tests.browserkit import Server, browser_context, wait_idle

PASSWORD = "mật-khẩu-thử-2026"
ODD = "<img src=x onerror=alert(1)> Sở Tư pháp'; DROP TABLE unit; --"


@pytest.fixture(scope="module")
def admin_db(built_db, tmp_path_factory) -> Path:
    from etl import db as dbmod
    d = tmp_path_factory.mktemp("admin") / "data"
    d.mkdir()
    db = d / "index.duckdb"
    shutil.copyfile(built_db, db)

    def rename(con):
        con.execute("update unit set name_vi = $n where unit_id = 'SO-TP-25'", {"n": ODD})
        return 1
    dbmod.commit_new_version(db, rename, file_name="test: odd unit name", sha=None, kind="test")
    return db


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with browser_context(tmp_path_factory.mktemp("chrome-admin"), viewport={"width": 1280, "height": 900}) as ctx:
        yield ctx


_settle = wait_idle


def test_admin_page_is_locked_without_a_password(admin_db, browser):
    with Server(admin_db) as server:
        url = server.url
        page = browser.new_page()
        _open(page, f"{url}/quan-tri", charts=False)
        page.wait_for_selector('[data-testid="stCode"]')
        text = page.inner_text("body")
        assert "Trang quản trị đang khóa" in text
        assert "python -m etl account add" in page.locator('[data-testid="stCode"]').inner_text()
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert page.get_by_text("Lịch sử và khôi phục").count() == 0
        # read-only pages need no sign-in
        _open(page, f"{url}/tong-quan", charts=False)
        assert "Tổng quan" in page.inner_text("body")
        page.close()


def test_admin_flow_as_a_new_user(admin_db, browser, tmp_path):
    from etl.db import list_versions
    from tests.helpers import LONG_HEADER, long_rows, write_long
    from ui.admin.auth import make_hash
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[admin]\npassword_hash = "{make_hash(PASSWORD)}"\n', encoding="utf-8")
    rows = long_rows(admin_db, unit="Sở Tư pháp", share=0.9)
    bad_rows = [list(r) for r in rows]
    bad_rows[4][4] = "tám"
    bad = write_long(tmp_path / "diem_2025.xlsx", bad_rows, header=LONG_HEADER)
    dialogs = []
    with Server(admin_db, secrets) as server:
        url = server.url
        reader = browser.new_page()
        reader.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        _open(reader, f"{url}/xep-hang-don-vi?level=department&year=2025")
        text = reader.inner_text("body")
        assert ODD[:30] in text                                  # the odd name, as text
        assert reader.locator('img[src="x"]').count() == 0
        others = []                                              # more sessions reading while data changes
        for path in ("tong-quan?year=2025", "trinh-chieu?present=1&year=2025&step=5"):
            p = browser.new_page()
            p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            _open(p, f"{url}/{path}", charts=False)
            others.append(p)

        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        _open(page, f"{url}/quan-tri", charts=False)
        page.get_by_label("Tên người thực hiện (ghi vào lịch sử nạp)").fill("Chuyên viên Lan")
        page.get_by_label("Mật khẩu quản trị").fill("sai mật khẩu")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_selector("text=Mật khẩu không đúng.")
        page.get_by_label("Mật khẩu quản trị").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_selector("text=Đã đăng nhập: Chuyên viên Lan")
        assert PASSWORD not in page.inner_text("body")

        # a bad file: the report names the sheet, row, column and problem; nothing changes
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        page.wait_for_selector("text=bị từ chối")
        _settle(page)
        report = page.inner_text("body")
        assert "diem_2025.xlsx bị từ chối: 1 vấn đề" in report
        assert "diem_2025.xlsx, trang 'DiemDonVi', dòng 6, cột E (Thẩm định): Giá trị 'tám' không phải là số" in report
        page.screenshot(path=str(ART / "admin_report.png"), full_page=True)

        # the fixed file: what will change, confirm, loaded
        fixed = write_long(tmp_path / "diem_2025_da_sua.xlsx", rows, header=LONG_HEADER)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fixed))
        page.wait_for_selector("text=hợp lệ")
        _settle(page)
        page.screenshot(path=str(ART / "admin_valid.png"), full_page=True)
        n_versions = len(list_versions(admin_db))
        page.get_by_role("button", name="Xác nhận nạp").click()
        page.wait_for_selector("text=Đã nạp diem_2025_da_sua.xlsx")
        assert len(list_versions(admin_db)) == n_versions + 1

        # the other open page moves to the new version on its next interaction, with a notice
        reader.get_by_text("UBND cấp xã").click()
        reader.wait_for_selector("text=Dữ liệu vừa được cập nhật")
        _settle(reader)
        assert reader.locator('[data-testid="stException"]').count() == 0

        # history and rollback
        page.get_by_role("tab", name="Lịch sử và khôi phục").click()
        _settle(page)
        assert "Phiên bản hiện tại" in page.inner_text("body")
        assert "lần nạp cuối: diem_2025_da_sua.xlsx" in page.inner_text("body")
        page.get_by_role("button", name="Khôi phục phiên bản này").first.click()
        _settle(page)
        page.screenshot(path=str(ART / "admin_rollback_confirm.png"), full_page=True)
        page.get_by_role("button", name="Khôi phục", exact=True).click()
        page.wait_for_selector("text=Đã khôi phục phiên bản")
        page.screenshot(path=str(ART / "admin_rolled_back.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        # every other open session keeps working across the load and the rollback
        for p in others:
            if "present=1" in p.url:
                p.keyboard.press("ArrowLeft")
            else:
                p.get_by_text("Ngôn ngữ / Language").click()     # any interaction: a rerun
                p.reload()
            _settle(p)
            assert p.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in p.inner_text("body")
            p.close()
        assert dialogs == []                                     # no script from a name ever ran
        page.close()
        reader.close()


def test_the_ministry_annex_dropped_as_a_pdf(admin_db, browser, tmp_path):
    """Issue 18's journey: an admin drops the Ministry's annex as a PDF. A misprinted rank is shown with the image of
    its line and what disagrees, nothing written; the right PDF is checked, confirmed and loaded whole."""
    import duckdb

    from tests import annexkit as K
    from ui.admin.auth import make_hash
    rows = K.table("PAR INDEX", 2023)
    wrong = [dict(r) for r in rows]
    wrong[3]["rank"] = wrong[3]["rank"] % 63 + 1
    bad = K.to_pdf(K.write_xlsx(tmp_path / "phu_luc_par_2023_sai.xlsx", wrong), tmp_path)
    good = K.to_pdf(K.write_xlsx(tmp_path / "phu_luc_par_2023.xlsx", rows), tmp_path)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[admin]\npassword_hash = "{make_hash(PASSWORD)}"\n', encoding="utf-8")
    with Server(admin_db, secrets) as server:
        page = browser.new_page()
        _open(page, f"{server.url}/quan-tri", charts=False)
        page.get_by_label("Tên người thực hiện (ghi vào lịch sử nạp)").fill("Chuyên viên Lan")
        page.get_by_label("Mật khẩu quản trị").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_selector("text=Đã đăng nhập: Chuyên viên Lan")
        # Streamlit's own English on the uploader ("Upload", "25MB per file") is shown in Vietnamese
        page.wait_for_selector("[data-testid=stFileUploaderDropzoneInstructions] span")
        shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stFileUploaderDropzone] p, '
            + '[data-testid=stFileUploaderDropzoneInstructions] span')].map(e => [getComputedStyle(e).fontSize,
            getComputedStyle(e, '::after').content])""")
        assert shown == [["0px", '"Tải lên"'], ["0px", '"Tối đa 25 MB mỗi tệp · XLSX, XLSM, CSV, PDF"']]
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
        page.wait_for_selector("text=chưa khớp khi kiểm tra chéo", timeout=60_000)
        _settle(page)
        text = page.inner_text("body")
        assert "Phụ lục PAR INDEX năm 2023" in text and "1 dòng chưa khớp" in text
        assert "Xếp hạng: Xếp hạng" in text and "không khớp với điểm" in text
        assert page.locator('[data-testid="stImage"] img').count() >= 1            # the line's image
        assert page.get_by_role("button", name="Xác nhận nạp").count() == 0         # nothing to load while it disagrees
        page.screenshot(path=str(ART / "admin_annex_review.png"), full_page=True)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
        page.wait_for_selector("text=hợp lệ", timeout=60_000)
        _settle(page)
        page.get_by_role("button", name="Xác nhận nạp").click()
        page.wait_for_selector("text=Đã nạp phu_luc_par_2023.pdf")
        page.close()
    con = duckdb.connect(str(admin_db), read_only=True)
    n, title = con.execute("""select count(*), any_value(s.title) from province_score p join source s using (source_key)
                              where index_name = 'PAR INDEX' and year = 2023 and measure_code = 'total'""").fetchone()
    con.close()
    assert n == 63 and title == "Phụ lục PAR INDEX năm 2023 của Bộ Nội vụ (tệp phu_luc_par_2023.pdf)"
