"""What the Home Affairs pages share: the level and year filters, the ranked units of a level (cached per
database version), names in the session's language, and the method breaks to mark on time axes."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import units as au
from ui.data import connection, run_version, q
from ui.filters import url_choice
from ui.i18n import lang, t

LEVELS = ["department", "district", "commune"]
RESTRUCTURING_YEAR = 2025


def require_db() -> None:
    if connection() is None:
        st.error(t("no_db"))
        st.stop()


def name(df: pd.DataFrame, base: str = "unit_name") -> pd.Series:
    """The Vietnamese or English name column (`base`/`base_vi` and `base_en`); English falls back to
    Vietnamese where missing."""
    vi = df[f"{base}_vi"] if f"{base}_vi" in df else df[base]
    if lang() == "en" and f"{base}_en" in df:
        en = df[f"{base}_en"]
        return en.where(en.notna() & (en != ""), vi)
    return vi


def home_codes() -> tuple[str, str]:
    h = q("home_province")
    return (h.code_p63.iloc[0], h.code_p34.iloc[0]) if len(h) else ("", "")


def level_years(level: str) -> list[int]:
    ly = q("unit_level_years")
    return sorted(int(y) for y in ly[ly.unit_level == level].year)


def pick_level(container=st) -> str:
    return url_choice(t("level"), LEVELS, "level", default="department", format_func=t, kind="radio",
                      container=container)


def pick_year(level: str, container=st, years: list[int] | None = None) -> int:
    """Year select for a level; says so plainly when the year asked for (URL or another page) has no scores."""
    years = years if years is not None else level_years(level)
    if not years:
        st.info(t("no_level_data", level=t(level).lower()))
        st.stop()
    asked = st.query_params.get("year", st.session_state.get("_keep_year"))
    year = url_choice(t("year"), list(reversed(years)), "year", default=years[-1], container=container)
    if asked is not None and str(asked) not in {str(y) for y in years}:
        st.info(t("year_not_for_level", year=asked, level=t(level), shown=year))
    if level == "district" and max(years) < RESTRUCTURING_YEAR:
        st.caption(t("district_ended"))
    return year


DEPTH_ORDER = {"sub_criterion": 0, "criterion": 1, "domain": 2, "total": 3}


def detail_of(level: str, year: int) -> str:
    """How detailed that level-year's scores are: 'sub_criterion', or only 'domain' / 'total' for years
    loaded from published annexes."""
    ly = q("unit_level_years")
    r = ly[(ly.unit_level == level) & (ly.year == year)]
    return str(r.detail_level.iloc[0]) if len(r) else "sub_criterion"


def detail_years(level: str, needs: str = "criterion") -> list[int]:
    ly = q("unit_level_years")
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


def level_and_year() -> tuple[str, int]:
    c1, c2 = st.columns([3, 1])
    level = pick_level(c1)
    return level, pick_year(level, c2)


@st.cache_data(max_entries=32, show_spinner=False)
def _ranked(version: str, level: str) -> pd.DataFrame:
    return au.with_change(au.rank_units(q("unit_totals", level=level), bands(level)), q("units_of_level", level=level))


def ranked(level: str) -> pd.DataFrame:
    """Every unit-year of a level with score_pct, rank, band, and change since last year."""
    return _ranked(run_version(), level)


def bands(level: str) -> pd.DataFrame:
    p63, p34 = home_codes()
    return q("unit_bands", level=level, province_p63=p63, province_p34=p34)


def band_names(level: str) -> dict[str, str]:
    b = bands(level)
    return dict(zip(b.band_code, name(b, "name")))


def items(level: str, depth: str, year: int | None = None) -> pd.DataFrame:
    df = q("unit_items", level=level, depth=depth)
    return df[df.year == year].reset_index(drop=True) if year is not None else df


def is_illustrative(df: pd.DataFrame) -> bool:
    return bool(len(df)) and bool((df.provenance == "illustrative").any())


def illustrative_banner(flag: bool) -> None:
    """Tables show no chart label, so a page with illustrative values says so once, near the top."""
    if flag:
        st.warning(t("illustrative_banner"), icon=":material/warning:")


def breaks(level: str) -> list[tuple[float, str]]:
    """Where to draw method breaks on a time axis: each framework change, and the 2025 restructuring."""
    ly = q("unit_level_years")
    ly = ly[ly.unit_level == level].sort_values("year")
    out = []
    prev = None
    for r in ly.itertuples():
        if prev is not None and r.framework_id != prev:
            out.append((r.year - 0.5, t("framework_break")))
        prev = r.framework_id
    years = set(ly.year)
    if RESTRUCTURING_YEAR in years and RESTRUCTURING_YEAR - 1 in years:
        out = [b for b in out if b[0] != RESTRUCTURING_YEAR - 0.5] + [(RESTRUCTURING_YEAR - 0.5, t("merger_break"))]
    return out


def provenance_label(p) -> str:
    return t(p) if isinstance(p, str) and p in ("published", "derived", "illustrative") else "–"


def places_text(rank_change, basis, first_year: bool) -> str:
    """'▲ 3 bậc', '▼ 2 bậc', 'giữ nguyên'; for a merged unit 'so với bình quân đơn vị tiền thân'."""
    if basis == "predecessors":
        return t("vs_predecessors")
    if not isinstance(basis, str):
        return "–" if first_year else t("new_unit")
    if pd.isna(rank_change):
        return "–"
    n = int(rank_change)
    return t("places_up", n=n) if n > 0 else t("places_down", n=-n) if n < 0 else t("places_same")


# ---- analysis results cached per database version (pages rerun on every click; these do not change)

@st.cache_data(max_entries=64, show_spinner=False)
def _cuts(version: str, level: str, year: int):
    return (au.cuts_by_unit(items(level, "sub_criterion", year)), au.cuts_by_item(items(level, "criterion", year)),
            au.cuts_by_unit(items(level, "domain")))


def cuts(level: str, year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(cuts per unit this year, cuts per criterion this year, cuts per unit and year for every year)."""
    return _cuts(run_version(), level, year)


@st.cache_data(max_entries=256, show_spinner=False)
def _peers(version: str, level: str, depth: str, year: int, unit_id: str) -> pd.DataFrame:
    return au.peer_comparison(items(level, depth, year), unit_id)


def peers(level: str, depth: str, year: int, unit_id: str) -> pd.DataFrame:
    return _peers(run_version(), level, depth, year, unit_id)


@st.cache_data(max_entries=256, show_spinner=False)
def _history(version: str, level: str, unit_id: str) -> pd.DataFrame:
    return au.unit_history(ranked(level), q("units_of_level", level=level), unit_id)


def history(level: str, unit_id: str) -> pd.DataFrame:
    return _history(run_version(), level, unit_id)


@st.cache_data(max_entries=256, show_spinner=False)
def _domain_history(version: str, level: str, unit_id: str) -> pd.DataFrame:
    lineage = au.ancestry(q("units_of_level", level=level), unit_id)
    dh = items(level, "domain")
    dh = dh[dh.unit_id.isin(lineage)].assign(share=lambda d: 100 * au.share_achieved(d))
    own_years = set(dh[dh.unit_id == unit_id].year)
    dh = dh[(dh.unit_id == unit_id) | ~dh.year.isin(own_years)]          # before the unit: its predecessors' mean
    return dh.groupby(["item_code", "year"]).share.mean().unstack("year")


def domain_history(level: str, unit_id: str) -> pd.DataFrame:
    """Share achieved (%) per domain (rows) and year (columns), through the unit's lineage."""
    return _domain_history(run_version(), level, unit_id)
