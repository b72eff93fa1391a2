"""The app's pages, listed once: the navigation (app.py), the page tests (tests/test_app.py, tests/test_browser.py,
tests/test_coverage.py) and the benchmark of page reruns (bench/pages_warm.py) all read this list.

Adding a page: write `app_pages/<file>.py` (thin: queries in queries/, computation in analysis/), add one line below and
its title in ui/i18n.py. The tests then run it in AppTest, open it in Chromium (unit and national pages) and check
that every file in app_pages/ is listed here."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    file: str          # app_pages/<file>.py
    group: str         # i18n key of its group in the navigation
    title: str         # i18n key of its title
    icon: str
    url_path: str      # the address (/tong-quan); "" for the first page, served at /
    area: str          # "home", "national", "units" (the province's own units) or "admin"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "group_home", "home_title", ":material/database:", "", "home"),
    PageSpec("briefing", "group_home", "bf_title", ":material/slideshow:", "trinh-chieu", "home"),
    PageSpec("export", "group_home", "ex_title", ":material/download:", "xuat-du-lieu", "home"),
    PageSpec("overview", "group_national", "ov_title", ":material/dashboard:", "tong-quan", "national"),
    PageSpec("national_ranking", "group_national", "nr_title", ":material/public:", "xep-hang-toan-quoc", "national"),
    PageSpec("province_profile", "group_national", "pp_title", ":material/compare:", "ho-so-tinh", "national"),
    PageSpec("trends", "group_national", "tr_title", ":material/trending_up:", "xu-huong", "national"),
    PageSpec("cross_index", "group_national", "cx_title", ":material/scatter_plot:", "doi-chieu", "national"),
    PageSpec("what_if", "group_national", "wi_title", ":material/moving:", "mo-phong", "national"),
    PageSpec("methodology", "group_national", "me_title", ":material/menu_book:", "phuong-phap", "national"),
    PageSpec("unit_ranking", "group_units", "ur_title", ":material/leaderboard:", "xep-hang-don-vi", "units"),
    PageSpec("criterion_gaps", "group_units", "cg_title", ":material/grid_view:", "phan-tich-tieu-chi", "units"),
    PageSpec("self_vs_appraisal", "group_units", "sa_title", ":material/content_cut:", "tu-danh-gia-tham-dinh", "units"),
    PageSpec("unit_profile", "group_units", "up_title", ":material/apartment:", "ho-so-don-vi", "units"),
    PageSpec("targets", "group_units", "tg_title", ":material/flag:", "muc-tieu", "units"),
    PageSpec("unit_alerts", "group_units", "al_title", ":material/notifications:", "canh-bao", "units"),
    PageSpec("plan", "group_units", "pn_title", ":material/event_note:", "ke-hoach", "units"),
    PageSpec("admin", "group_admin", "ad_title", ":material/admin_panel_settings:", "quan-tri", "admin"),
)


def files(area: str | None = None) -> list[str]:
    """The page files (without .py), in navigation order; of one area if given."""
    return [p.file for p in PAGES if area is None or p.area == area]


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
