"""The public face in a real browser (issue 22 item 6): a server started with PAR_PUBLIC=1 shows real figures only,
with no demo switch, no admin page or link, and no sign-in form, even when a link asks for the demo or the admin
page."""
from __future__ import annotations

from tests.test_browser import ART, _open          # noqa: F401  (skips or fails the module without Chromium)
from tests.browserkit import Server, browser_context


def test_a_public_server_shows_real_figures_and_no_admin(real_db, tmp_path):
    with Server(real_db, env={"PAR_PUBLIC": "1"}) as s, browser_context(tmp_path / "chrome") as ctx:
        page = ctx.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, s.url + "/?db=demo", charts=False)
        text = page.inner_text("body")
        assert "PAR INDEX" in text and "số liệu thật" in text
        assert page.locator(".demo-banner").count() == 0 and "Bản trình diễn" not in text
        nav = page.inner_text('[data-testid="stSidebarNav"]')
        assert "Xếp hạng toàn quốc" in nav and "Quản trị dữ liệu" not in nav and "Mục tiêu cải thiện" not in nav
        ART.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ART / "public_home_1280.png"))
        _open(page, s.url + "/quan-tri", charts=False)            # the admin page's address says it is not public
        assert page.locator('input[type="password"]').count() == 0
        body = page.inner_text("body")
        assert "Quản trị dữ liệu" not in body and "Trang không công khai" in body and "Page not found" not in body
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(ART / "public_admin_address_1280.png"))
