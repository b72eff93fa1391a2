"""What the leadership pages share: index/year/measure/province pickers bound to the URL, the province in
focus across the 2025 merger (a 63-province code and a 34-province code are different provinces: 82 is Tiền
Giang before 2025 and Đồng Tháp after), cached league tables with change, and the shipped boundaries."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analysis import provinces as ap
from analysis.provenance import ILLUSTRATIVE_SOURCE
from analysis.provenance import is_illustrative  # noqa: F401  (pages and the briefing call P.is_illustrative)
from etl.text import vi_order
from etl.schemes import MERGER_YEAR, scheme_for_year
from ui.data import fresh, national_version, run_version, q, shared
from ui.filters import url_choice
from ui import safe
from ui.i18n import lang, t
from ui.units import name

INDEX_ORDER = ["PAR INDEX", "SIPAS", "PAPI", "PCI"]
scheme_of = scheme_for_year          # the province list of a year, from data/raw/reference/province_schemes.csv


def index_years() -> pd.DataFrame:
    return q("index_years")


def years_of(index: str) -> list[int]:
    iy = index_years()
    return sorted(int(y) for y in iy[(iy.index_name == index) & (iy.n_provinces > 0)].year)


def crosswalk() -> pd.DataFrame:
    return q("province_crosswalk_names")


def home_token() -> str:
    h = q("home_province")
    return f"p63:{h.code_p63.iloc[0]}" if len(h) else "p63:01"


def to_scheme(token: str, scheme: str) -> str | None:
    """A province token ('p63:87') in the other scheme: old -> the new province it joined; new -> the
    home province if it is a member, else its first member."""
    s, code = token.split(":", 1)
    if s == scheme:
        return code
    cw = crosswalk()
    if s == "p63" and scheme == "p34":
        hit = cw[cw.old_code == code]
        return hit.new_code.iloc[0] if len(hit) else None
    olds = list(cw[cw.new_code == code].old_code)
    home = home_token().split(":", 1)[1]
    return home if home in olds else (olds[0] if olds else None)


def provinces(scheme: str) -> pd.DataFrame:
    """Every province of a scheme (the last year before the merger, or the merger year), from the province table."""
    return _provinces(national_version(), scheme)


@shared(max_entries=8)
def _provinces(version: str | None, scheme: str) -> pd.DataFrame:
    p = q("provinces_of_year", year=MERGER_YEAR - 1 if scheme == "p63" else MERGER_YEAR)
    # Vietnamese order: Đà Nẵng … Đồng Tháp after Cần Thơ, not after Yên Bái (code points put Đ last)
    return p.sort_values("province_name", key=vi_order, kind="stable").reset_index(drop=True)


def n_ranked(year: int) -> int:
    """How many provinces a national index ranks in a year: every province in force (63, or 34 from 2025)."""
    return len(provinces(scheme_of(year)))


def pick_province(year: int, container=st, key: str = "province", label: str | None = None) -> str:
    """Province select for the year's scheme. The URL keeps 'p63:87' / 'p34:82', so a link or a year change
    across 2025 moves to the matching province instead of silently meaning another one."""
    scheme = scheme_of(year)
    plist = provinces(scheme)
    names = dict(zip(plist.province_code, name(plist, "province_name")))
    tokens = [f"{scheme}:{c}" for c in plist.province_code]
    asked = str(st.query_params.get(key) or st.session_state.get(f"_keep_{key}") or home_token())
    if ":" in asked and not asked.startswith(scheme + ":"):
        moved = to_scheme(asked, scheme)
        if moved is not None:
            st.query_params[key] = f"{scheme}:{moved}"      # url_choice adopts a URL changed from outside
    home = f"{scheme}:{to_scheme(home_token(), scheme)}"
    chosen = url_choice(label or t("province"), tokens, key, default=home if home in tokens else tokens[0],
                        format_func=lambda tok: names.get(tok.split(":", 1)[1], tok), container=container)
    return chosen.split(":", 1)[1]


def pick_index(container=st, options: list[str] | None = None, key: str = "index") -> str:
    options = options or [i for i in INDEX_ORDER if years_of(i)]
    return url_choice(t("index"), options, key, default=options[0], kind="radio", container=container)


def pick_year(index: str, container=st, key: str = "year", default: int | None = None) -> int:
    years = years_of(index)
    if not years:
        st.info(t("no_index_year", index=index, year="–"))
        st.stop()
    if default not in years:
        default = ap.default_year(league(index, "total"), home_token().split(":", 1)[1], years, MERGER_YEAR)
    return url_choice(t("year"), list(reversed(years)), key, default=default, container=container)


def index_measures(index: str, year: int) -> pd.DataFrame:
    """The measures of an index in a year (total first, then domains in order), from the index's every-year list."""
    m = q("index_measures")
    return m[(m.index_name == index) & (m.year == year)].drop(columns=["index_name", "year"]).reset_index(drop=True)


def measures(index: str, year: int) -> pd.DataFrame:
    m = index_measures(index, year)
    m["label"] = [t("total") if c == "total" else f"{c}. {n}" for c, n in zip(m.measure_code, name(m, "name"))]
    return m


def pick_measure(index: str, year: int, container=st, key: str = "measure") -> str:
    m = measures(index, year)
    labels = dict(zip(m.measure_code, m.label))
    return url_choice(t("measure"), list(m.measure_code), key, default="total", format_func=labels.get,
                      container=container)


# cache_resource, not cache_data: a hit returns the same frames without a pickle round-trip (~100 ms here); each
# caller gets its own shallow copy of the one frame it asked for (ui.data.fresh)
@st.cache_resource(max_entries=3, show_spinner=False)
def _scores_by_index(version: str) -> dict[str, pd.DataFrame]:
    s = q("index_all_scores")
    out = {i: g.drop(columns="index_name").reset_index(drop=True) for i, g in s.groupby("index_name", sort=False)}
    out[""] = s.drop(columns="index_name").iloc[0:0]
    return out


def all_scores(index: str) -> pd.DataFrame:
    """Every year, province and measure (total and domains) of one index, read once per database version for all
    indices."""
    by = _scores_by_index(national_version())
    return fresh(by.get(index, by[""]))


@st.cache_resource(max_entries=8, show_spinner=False)
def _league_all(version: str, index: str) -> dict[str, pd.DataFrame]:
    s = all_scores(index)
    return ap.leagues(s, {int(y): n_ranked(int(y)) for y in s.year.unique()}, crosswalk(), MERGER_YEAR)


def league(index: str, measure: str) -> pd.DataFrame:
    """Every year and province of one measure, with rank (published where published; else computed), the
    number of provinces ranked that year (n) and the change since last year."""
    return fresh(_league_all(national_version(), index).get(measure, pd.DataFrame(columns=["year", "province_code", "score"])))


def what_if_inputs(index: str, year: int) -> dict | None:
    """What the what-if page and the briefing share: the domain scores of every province with all domains
    (wide: province × domain), the domain codes in order, the measures (with label, max_score) and the long
    scores (for provenance). None when the index has no domain scores that year."""
    ys = q("index_year_scores", index=index, year=year)
    wide = ap.domains_wide(ys)
    if wide is None:
        return None
    m = measures(index, year).set_index("measure_code")
    return dict(wide=wide, codes=[c for c in m.index if c in wide.columns], measures=m, scores=ys)


def geojson_url(scheme: str) -> str:
    """The boundaries, served by Streamlit from static/geo (see .streamlit/config.toml and etl/geo.py): the
    browser fetches them once; the figure only names them, so reruns stay small and fast."""
    return f"app/static/geo/{scheme}.geojson"


@st.cache_resource(show_spinner=False)
def geojson_of(scheme: str, code: str) -> dict:
    """One province's boundary, inline (to outline it on top of the map)."""
    from etl.geo import for_map
    return {"type": "FeatureCollection", "features": [f for f in for_map(scheme)["features"] if f["id"] == code]}


def _sources() -> dict[str, tuple[str, str | None]]:
    return _sources_of(run_version())


@st.cache_resource(max_entries=4, show_spinner=False)
def _sources_of(version: str | None) -> dict[str, tuple[str, str | None]]:
    """source key -> (title, link if it is a plain http(s) address), once per database version (a chart's tooltips
    ask for it once per point)."""
    src = q("sources_list")
    return {k: (str(title), url if isinstance(url, str) and re.match(r"^https?://[^\s()<>\]\[]+$", url) else None)
            for k, title, url in zip(src.source_key, src.title, src.url)}


def source_label(key) -> str:
    """A figure's source as plain text (exports, hover): its title (the publisher) and its link."""
    if not isinstance(key, str):
        return "–"
    if key == ILLUSTRATIVE_SOURCE:
        return t("illustrative_chart")
    title, url = _sources().get(key, (key, None))
    return f"{title} · {url}" if url else title


def source_md(key) -> str:
    """The same for a caption: the title as text and the link as a link."""
    if not isinstance(key, str) or key == ILLUSTRATIVE_SOURCE:
        return safe.md(source_label(key))
    title, url = _sources().get(key, (key, None))
    return safe.md(title) + (f" · [{t('link')}]({url})" if url else "")


def hover_source(keys) -> list[str]:
    """Each figure's source for a chart tooltip (plotly renders tooltips as HTML: escaped here), one per key:
    "Nguồn: <publisher>" and its link on the next line."""
    out = []
    for k in keys:
        if isinstance(k, str) and k != ILLUSTRATIVE_SOURCE:
            title, url = _sources().get(k, (k, None))
            text = safe.chart(f"{t('source_col')}: {title}") + ("<br>" + safe.chart(url) if url else "")
        else:
            text = safe.chart(f"{t('source_col')}: {source_label(k)}")
        out.append(text)
    return out


def source_caption(index: str, illustrative: bool) -> str:
    base = {"PAR INDEX": t("src_par"), "SIPAS": t("src_sipas"), "PAPI": t("src_papi"), "PCI": t("src_pci")}[index]
    return base + (" " + t("src_illustrative") if illustrative else "")


def label_col() -> str:
    return "label_en" if lang() == "en" else "label_vi"


@shared(max_entries=256)
def _overview(version: str, province: str, year: int):
    cards, weak, changes = {}, {}, []
    for index in INDEX_ORDER:
        card = ap.index_card(league(index, "total"), province, year, MERGER_YEAR)
        if card is not None:
            cards[index] = card
    for index in ("PAR INDEX", "SIPAS", "PAPI"):
        m = index_measures(index, year)
        gaps, moved = ap.domain_gaps(m, {c: league(index, c) for c in m.measure_code if c != "total"}, province, year)
        changes += [dict(index=index, **c) for c in moved]
        if len(gaps):
            weak[index] = ap.weakest(gaps)
    return cards, weak, pd.DataFrame(changes)


def overview_data(province: str, year: int):
    """(cards per index, the 3 domains furthest below the median per index, every domain's change)."""
    return _overview(national_version(), province, year)


@shared(max_entries=128)
def _rank_histories(version: str, index: str, measure: str, year: int) -> dict[str, list[int]]:
    return ap.rank_histories(league(index, measure), year, MERGER_YEAR)


def rank_histories(index: str, measure: str, year: int) -> dict[str, list[int]]:
    """province -> its ranks up to `year`, within the same list of provinces (for sparklines)."""
    return _rank_histories(national_version(), index, measure, year)


def coverage(index: str, measure: str, year: int) -> tuple[int, int, bool]:
    """(provinces with a figure, provinces ranked that year, whether the table is complete)."""
    lg = league(index, measure)
    y = lg[lg.year == year] if len(lg) else lg
    return len(y), n_ranked(year), bool(len(y)) and bool(y.complete.all())


def complete_indices(year: int, but: str | None = None) -> list[str]:
    return [i for i in INDEX_ORDER if i != but and coverage(i, "total", year)[2]]


def _set_param(key: str, value: str) -> None:
    st.query_params[key] = value


def incomplete_notice(index: str, year: int, held: int, n: int, needs: str, index_key: str | None = "index") -> None:
    """What a page cannot show on an incomplete table, said in one sentence, with one click each to: an index
    whose table is complete that year, loading the official table (admin page), or the demo."""
    from ui.banner import open_demo
    from ui.data import is_demo
    from ui.settings import public
    st.info(t("cov_incomplete", index=index, year=year, k=held, n=n) + " " + needs, icon=":material/info:")
    offers = complete_indices(year, but=index) if index_key else []
    cols = st.columns(len(offers) + (0 if public() else 1 if is_demo() else 2) or 1)
    for col, other in zip(cols, offers):
        col.button(t("cov_see", index=other), on_click=_set_param, args=(index_key, other), key=f"cov_{other}")
    if public():                 # no admin page, no demo on a public server
        return
    col = cols[len(offers)]
    col.page_link("app_pages/admin.py", label=t("cov_load"), icon=":material/upload_file:")
    if not is_demo():
        cols[-1].button(t("cov_demo"), on_click=open_demo, icon=":material/slideshow:", key="cov_demo")
