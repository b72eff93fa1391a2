"""What the Home Affairs pages share: the province whose units are shown, the level and year filters, the ranked
units of a level (cached per database version), names in the session's language, and the method breaks to mark on
time axes.

Every unit query is bounded to one province (`scope()`): the home province by default; where the database holds
units of several provinces (the Ministry, or a national load), a sidebar select chooses which. Ranks, bands and
peer averages are within the province, as each province ranks its own units."""
from __future__ import annotations

import contextlib
import re
import contextvars

import pandas as pd
import streamlit as st

from analysis import units as au
from analysis.provenance import is_illustrative  # noqa: F401  (pages and the briefing call U.is_illustrative)
from etl.schemes import MERGER_YEAR
from etl.text import strip_diacritics, vi_sort_key
from ui import safe
from ui.data import connection, is_demo, run_version, q, shared
from ui.filters import url_choice
from ui.i18n import lang, lower, num, t

LEVELS = ["department", "district", "commune"]
CHART_MAX = 60          # bars per unit chart: a large province's 800 communes stay in the tables and downloads
RESTRUCTURING_YEAR = MERGER_YEAR      # etl/schemes.py: the first year of the 34 provinces


def require_db(unit_page: bool = False) -> None:
    if connection() is None:
        st.error(t("no_db"))
        st.stop()
    if unit_page:
        pick_scope()


def name(df: pd.DataFrame, base: str = "unit_name") -> pd.Series:
    """The Vietnamese or English name column (`base`/`base_vi` and `base_en`); English falls back to
    Vietnamese where missing."""
    vi = df[f"{base}_vi"] if f"{base}_vi" in df else df[base]
    if lang() == "en" and f"{base}_en" in df:
        en = df[f"{base}_en"]
        return en.where(en.notna() & (en != ""), vi)
    return vi


@st.cache_resource(max_entries=4, show_spinner=False)
def _home_codes(version: str | None) -> tuple[str, str]:
    h = q("home_province")
    return (str(h.code_p63.iloc[0]), str(h.code_p34.iloc[0])) if len(h) else ("", "")


def home_codes() -> tuple[str, str]:
    return _home_codes(run_version())


# ---- the province whose units are shown

SCOPE_KEY = "uprov"
_forced: contextvars.ContextVar[str | None] = contextvars.ContextVar("unit_scope", default=None)


@shared(max_entries=4)
def _unit_provinces(version: str | None) -> pd.DataFrame:
    return q("unit_provinces")


def unit_provinces() -> pd.DataFrame:
    """Provinces with units (34-province codes), each with the codes its units carry (`unit_codes`), once per
    version (every unit query asks for it); the caller's own shallow copy (ui.data.fresh)."""
    return _unit_provinces(run_version())


def scope_code() -> str:
    """The 34-province code whose units are shown: forced (the briefing's province), else the URL / the last
    choice, else the home province, else the first province with units."""
    codes = list(unit_provinces().code_p34)
    for c in (_forced.get(), str(st.query_params.get(SCOPE_KEY) or st.session_state.get(f"_keep_{SCOPE_KEY}") or "")):
        c = c.split(":", 1)[-1] if c else c
        if c in codes:
            return c
    home = home_codes()[1]
    return home if home in codes else (codes[0] if codes else "")


def scope() -> list[str]:
    """The province codes of the units shown: the 34-province code and the pre-2025 codes merged into it."""
    up = unit_provinces()
    r = up[up.code_p34 == scope_code()]
    return [str(c) for c in r.unit_codes.iloc[0]] if len(r) else []


@contextlib.contextmanager
def scoped(code_p34: str | None):
    """Compute for another province's units (the briefing's internal screens follow its province)."""
    token = _forced.set(code_p34)
    try:
        yield
    finally:
        _forced.reset(token)


def _old_names(old) -> list[str]:
    """The former provinces' names of a row of unit_provinces (a list, or nothing)."""
    if old is None or isinstance(old, (str, float)):
        return []
    return [o for o in old if isinstance(o, str)]


def pick_scope() -> str:
    """The sidebar select of the province whose units are shown; nothing to choose with one province."""
    up = unit_provinces()
    if len(up) <= 1:
        return scope_code()
    up = up.iloc[sorted(range(len(up)), key=lambda i: vi_sort_key(name(up, "province_name").iloc[i]))]
    tokens = [f"p34:{c}" for c in up.code_p34]
    def label(n, k, old):
        old = _old_names(old)
        if old:                          # Hòa Bình's departments sit under Phú Thọ since the 2025 merger: say so
            return t("unit_scope_old", name=n, old=", ".join(old), n=num(k, 0))
        return f"{n} ({t('n_units_of', n=num(k, 0))})"
    names = dict(zip(tokens, [label(n, k, o) for n, k, o in zip(name(up, "province_name"), up.n_units, up.old_names)]))
    chosen = url_choice(t("unit_scope"), tokens, SCOPE_KEY, default=f"p34:{scope_code()}", format_func=names.get,
                        container=st.sidebar, help=t("unit_scope_help"))
    return chosen.split(":", 1)[1]


def scope_filters() -> dict[str, str]:
    """For export notes and chart titles: the province, when the database has units of more than one."""
    up = unit_provinces()
    if len(up) <= 1:
        return {}
    r = up[up.code_p34 == scope_code()]
    if not len(r):
        return {}
    n, old = str(name(r, "province_name").iloc[0]), _old_names(r.old_names.iloc[0])
    # Hòa Bình's departments are under Phú Thọ since 2025: a title says whose they were
    return {t("province"): t("unit_scope_title", name=n, old=", ".join(old)) if old else n}


def unit_source(year: int | None = None) -> str:
    """The source line of the units shown (of one year, when a chart shows one): the published tables and loaded
    files they come from (title, link), else the province's own scoring; in the demo, that its sample units are
    illustrative. Plain text (a loaded file's name is in it): escape it where markup is rendered."""
    src = uq("unit_sources", year=None if year is None else int(year))
    if len(src):
        text = t("unit_source_published", sources="; ".join(
            str(r.title) + (f" ({r.url})" if isinstance(r.url, str) and r.url else "")
            for r in src.head(4).itertuples()))
    else:
        text = t("unit_source")
    return text + (" " + t("unit_source_demo") if is_demo() else "")


def uq(name_: str, **params) -> pd.DataFrame:
    """A unit query bounded to the chosen province."""
    return q(name_, provinces=scope(), **params)


def level_years(level: str) -> list[int]:
    ly = uq("unit_level_years")
    return sorted(int(y) for y in ly[ly.unit_level == level].year)


def no_unit_data(level: str) -> None:
    """No scores of this level for the province: say how to load them (template, admin page), offer the demo; stop."""
    from ui.banner import open_demo
    from ui.data import is_demo
    from ui.settings import public
    if public():                 # a public server: no loading, no demo to offer
        st.info(t("no_level_data", level=lower(t(level))), icon=":material/info:")
        st.stop()
    st.info(t("no_level_data", level=lower(t(level))) + " " + t("how_to_load_units"), icon=":material/info:")
    c1, c2, c3 = st.columns(3)
    c1.page_link("app_pages/home.py", label=t("units_templates"), icon=":material/table_view:")
    c2.page_link("app_pages/admin.py", label=t("cov_load_units"), icon=":material/upload_file:")
    if not is_demo():
        c3.button(t("cov_demo"), on_click=open_demo, icon=":material/slideshow:", key="units_demo")
    st.stop()


def pick_level(container=st) -> str:
    return url_choice(t("level"), LEVELS, "level", default="department", format_func=t, kind="radio",
                      container=container)


def pick_year(level: str, container=st, years: list[int] | None = None) -> int:
    """Year select for a level; says so plainly when the year asked for (URL or another page) has no scores."""
    years = years if years is not None else level_years(level)
    if not years:
        no_unit_data(level)
    asked = st.query_params.get("year", st.session_state.get("_keep_year"))
    year = url_choice(t("year"), list(reversed(years)), "year", default=years[-1], container=container)
    if asked is not None and str(asked) not in {str(y) for y in years}:
        st.info(t("year_not_for_level", year=safe.md(asked), level=t(level), shown=year))
    if level == "district" and max(years) < RESTRUCTURING_YEAR:
        st.caption(t("district_ended"))
    return year


DEPTH_ORDER = {"sub_criterion": 0, "criterion": 1, "domain": 2, "total": 3}


def detail_of(level: str, year: int) -> str:
    """How detailed that level-year's scores are: 'sub_criterion', or only 'domain' / 'total' for years
    loaded from published annexes."""
    ly = uq("unit_level_years")
    r = ly[(ly.unit_level == level) & (ly.year == year)]
    return str(r.detail_level.iloc[0]) if len(r) else "sub_criterion"


def detail_years(level: str, needs: str = "criterion") -> list[int]:
    ly = uq("unit_level_years")
    ly = ly[ly.unit_level == level]
    return sorted(int(y) for y, d in zip(ly.year, ly.detail_level) if DEPTH_ORDER[d] <= DEPTH_ORDER[needs])


def has_detail(level: str, year: int, needs: str) -> bool:
    """True when the year has scores at least as detailed as `needs`; otherwise says plainly what that year
    lacks (and which years have it) and returns False."""
    have = detail_of(level, year)
    if DEPTH_ORDER[needs] >= DEPTH_ORDER[have]:
        return True
    years = detail_years(level, needs)
    st.info(t("detail_missing", year=year, have=t(f"detail_{have}"), need=t(needs).lower(),
              years=", ".join(map(str, years)) if years else "–"), icon=":material/info:")
    return False


def depth_choice(level: str, year: int, default: str, container=None) -> str:
    """The depth radio (domain, criterion, sub-criterion) bound to the URL; a year known only from its annex falls
    back to its domains, and a year without even those stops the page (has_detail has said why)."""
    depth = url_choice(t("depth"), ["domain", "criterion", "sub_criterion"], "depth", default=default,
                       format_func=t, kind="radio", container=container)
    if not has_detail(level, year, depth):
        depth = "domain"                   # a year known from its annex: show its domains
        if not has_detail(level, year, depth):
            st.stop()
    return depth


def level_and_year() -> tuple[str, int]:
    c1, c2 = st.columns([3, 1])
    level = pick_level(c1)
    return level, pick_year(level, c2)


@st.cache_resource(max_entries=32, show_spinner=False)     # shared, not copied: callers filter, never change it
def _ranked(version: str, level: str, scope_code: str) -> pd.DataFrame:
    return au.with_change(au.rank_units(uq("unit_totals", level=level), bands(level)), uq("units_of_level", level=level))


def ranked(level: str) -> pd.DataFrame:
    """Every unit-year of a level of the province with score_pct, rank, band, and change since last year."""
    return _ranked(run_version(), level, scope_code())


def bands(level: str) -> pd.DataFrame:
    return uq("unit_bands", level=level)


def band_names(level: str) -> dict[str, str]:
    b = bands(level)
    return dict(zip(b.band_code, name(b, "name")))


def items(level: str, depth: str, year: int | None = None) -> pd.DataFrame:
    return uq("unit_items", level=level, depth=depth, year=None if year is None else int(year))


def illustrative_banner(flag: bool) -> None:
    """Tables show no chart label, so a page with illustrative values says so once, near the top."""
    if flag:
        st.warning(t("illustrative_banner"), icon=":material/warning:")


def breaks(level: str) -> list[tuple[float, str]]:
    """Where to draw method breaks on a time axis: each framework change, and the 2025 restructuring."""
    ly = uq("unit_level_years")
    labels = {"framework": t("framework_break"), "merger": t("merger_break")}
    return [(x, labels[kind]) for x, kind in au.method_breaks(ly[ly.unit_level == level], RESTRUCTURING_YEAR)]


# ---- analysis results cached per database version (pages rerun on every click; these do not change)

# ui.data.shared: one copy kept for every session, no pickle round-trip per hit (tens of ms for a large province's
# cuts with cache_data), each caller its own shallow copy
@shared(max_entries=64)
def _cuts(version: str, scope_code: str, level: str, year: int):
    # summed in SQL (queries/unit_cuts.sql, item_cuts.sql): 500 rows instead of 100,000 at national scale
    return (au.unit_cuts(uq("unit_cuts", level=level, depth="sub_criterion", year=int(year))),
            au.item_cuts(uq("item_cuts", level=level, depth="criterion", year=int(year))),
            au.unit_cuts(uq("unit_cuts", level=level, depth="domain", year=None)))


def cuts(level: str, year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(cuts per unit this year, cuts per criterion this year, cuts per unit and year for every year)."""
    return _cuts(run_version(), scope_code(), level, year)


@shared(max_entries=256)
def _peers(version: str, scope_code: str, level: str, depth: str, year: int, unit_id: str) -> pd.DataFrame:
    return au.peer_comparison(items(level, depth, year), unit_id)


def peers(level: str, depth: str, year: int, unit_id: str) -> pd.DataFrame:
    return _peers(run_version(), scope_code(), level, depth, year, unit_id)


@shared(max_entries=64)
def _rank_histories(version: str, scope_code: str, level: str, year: int) -> dict[str, list[int]]:
    r = ranked(level)
    return au.rank_histories(r[r.year <= year])


def rank_histories(level: str, year: int) -> dict[str, list[int]]:
    """unit_id -> its ranks up to `year`, for the sparklines of the ranking table."""
    return _rank_histories(run_version(), scope_code(), level, year)


@shared(max_entries=256)
def _history(version: str, scope_code: str, level: str, unit_id: str) -> pd.DataFrame:
    return au.unit_history(ranked(level), uq("units_of_level", level=level), unit_id)


def history(level: str, unit_id: str) -> pd.DataFrame:
    return _history(run_version(), scope_code(), level, unit_id)


@shared(max_entries=256)
def _domain_history(version: str, scope_code: str, level: str, unit_id: str) -> pd.DataFrame:
    return au.domain_history(items(level, "domain"), uq("units_of_level", level=level), unit_id)


def domain_history(level: str, unit_id: str) -> pd.DataFrame:
    """Share achieved (%) per domain (rows) and year (columns), through the unit's lineage."""
    return _domain_history(run_version(), scope_code(), level, unit_id)


def losing_units_text(item_codes: pd.Series, losing: dict) -> list[str]:
    """Per target, the units losing points there with their loss: 'Sở Y tế (2,50); Sở Nội vụ (1,00)'."""
    en = lang() == "en"
    return ["; ".join(f"{ne if en and isinstance(ne, str) else n} ({num(v)})" for n, ne, v in losing.get(c, []))
            for c in item_codes]


def file_slug(text: str) -> str:
    """A file-name part from a name: 'Sở Tư pháp' -> 'so_tu_phap'."""
    return re.sub(r"[^a-z0-9]+", "_", strip_diacritics(str(text)).lower()).strip("_")[:60] or "x"


def agency_workbook_button(tg: pd.DataFrame, headers: dict[str, str], name: str, notes: list,
                           kinds: dict[str, str] | None = None, decimals: dict[str, int] | None = None) -> None:
    """'Tải sổ mục tiêu theo cơ quan': one workbook, a sheet per responsible agency with its own targets."""
    from ui.exports.tabular import XLSX, demo_marked, excel_book
    name, notes = demo_marked(name, notes)
    groups = sorted(tg.groupby(tg.agency_name.fillna(t("tg_no_agency"))), key=lambda ag: vi_sort_key(ag[0]))
    st.download_button(t("tg_agency_book"), data=lambda: excel_book(groups, headers, notes, kinds, decimals),
                       file_name=f"{name}.xlsx", mime=XLSX, key="tg_agency_book", icon=":material/menu_book:")
