"""The app's pages, listed once: the navigation (app.py), the page titles in both languages (ui/i18n.py reads them
from here), the page tests (tests/test_app.py, tests/test_browser.py, tests/test_coverage.py) and the benchmark of
page reruns (bench/pages_warm.py) all read this list.

Adding a page touches two files: write `app_pages/<file>.py` (thin: queries in queries/, computation in analysis/)
and add its entry below (file, title key, title in Vietnamese and English, group, icon, address, area). The tests
then run it in AppTest, open it in Chromium (unit and national pages) and check that every file in app_pages/ is
listed here. Nothing here imports the rest of the app (ui/i18n.py imports this module)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str                # app_pages/<file>.py
    title: str               # i18n key of its title: t("ov_title") anywhere, e.g. the page's own st.title
    names: tuple[str, str]   # that title in Vietnamese and in English (ui/i18n.py adds them to its STRINGS)
    group: str               # i18n key of its group in the navigation
    icon: str
    url_path: str            # the address (/tong-quan); "" for the first page, served at /
    area: str                # "home", "national", "units" (the province's own units) or "admin"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "home_title", ("Dữ liệu đã nạp", "Loaded data"),
             "group_home", ":material/database:", "", "home"),
    PageSpec("briefing", "bf_title", ("Trình chiếu và bộ slide", "Briefing: presentation and slides"),
             "group_home", ":material/slideshow:", "trinh-chieu", "home"),
    PageSpec("export", "ex_title", ("Xuất dữ liệu", "Export"),
             "group_home", ":material/download:", "xuat-du-lieu", "home"),
    PageSpec("overview", "ov_title", ("Tổng quan", "Overview"),
             "group_national", ":material/dashboard:", "tong-quan", "national"),
    PageSpec("national_ranking", "nr_title", ("Xếp hạng toàn quốc", "National ranking"),
             "group_national", ":material/public:", "xep-hang-toan-quoc", "national"),
    PageSpec("province_profile", "pp_title", ("Hồ sơ tỉnh, so sánh", "Province profile and comparison"),
             "group_national", ":material/compare:", "ho-so-tinh", "national"),
    PageSpec("trends", "tr_title", ("Xu hướng", "Trends"),
             "group_national", ":material/trending_up:", "xu-huong", "national"),
    PageSpec("cross_index", "cx_title", ("Đối chiếu các chỉ số", "Cross-index"),
             "group_national", ":material/scatter_plot:", "doi-chieu", "national"),
    PageSpec("what_if", "wi_title", ("Mô phỏng thứ hạng", "What it takes"),
             "group_national", ":material/moving:", "mo-phong", "national"),
    PageSpec("methodology", "me_title", ("Phương pháp và nguồn", "Methodology and sources"),
             "group_national", ":material/menu_book:", "phuong-phap", "national"),
    PageSpec("unit_ranking", "ur_title", ("Xếp hạng đơn vị", "Unit ranking"),
             "group_units", ":material/leaderboard:", "xep-hang-don-vi", "units"),
    PageSpec("criterion_gaps", "cg_title", ("Phân tích tiêu chí", "Criterion gaps"),
             "group_units", ":material/grid_view:", "phan-tich-tieu-chi", "units"),
    PageSpec("self_vs_appraisal", "sa_title", ("Tự đánh giá và thẩm định", "Self-assessment vs appraisal"),
             "group_units", ":material/content_cut:", "tu-danh-gia-tham-dinh", "units"),
    PageSpec("unit_profile", "up_title", ("Hồ sơ đơn vị", "Unit profile"),
             "group_units", ":material/apartment:", "ho-so-don-vi", "units"),
    PageSpec("targets", "tg_title", ("Mục tiêu cải thiện", "Targets"),
             "group_units", ":material/flag:", "muc-tieu", "units"),
    PageSpec("unit_alerts", "al_title", ("Cảnh báo", "Alerts"),
             "group_units", ":material/notifications:", "canh-bao", "units"),
    PageSpec("plan", "pn_title", ("Kế hoạch và theo dõi", "Plan and tracking"),
             "group_units", ":material/event_note:", "ke-hoach", "units"),
    PageSpec("admin", "ad_title", ("Quản trị dữ liệu", "Data administration"),
             "group_admin", ":material/admin_panel_settings:", "quan-tri", "admin"),
)


def files(area: str | None = None) -> list[str]:
    """The page files (without .py), in navigation order; of one area if given."""
    return [p.file for p in PAGES if area is None or p.area == area]


def titles() -> dict[str, tuple[str, str]]:
    """Title key -> (Vietnamese, English), for ui/i18n.py's STRINGS."""
    return {p.title: p.names for p in PAGES}


def navigation(t, hidden: set[str] = frozenset()) -> dict:
    """{group title: [st.Page, ...]} in the session's language, leaving out the addresses in `hidden`."""
    import streamlit as st
    out: dict[str, list] = {}
    for p in PAGES:
        if p.url_path and p.url_path in hidden:
            continue
        where = dict(url_path=p.url_path) if p.url_path else dict(default=True)
        out.setdefault(t(p.group), []).append(st.Page(f"app_pages/{p.file}.py", title=t(p.title), icon=p.icon, **where))
    return out
