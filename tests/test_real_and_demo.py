"""Real figures and the demo never mix. The real database holds only published figures (each with its source) and
refuses an illustrative one; the demo holds the same real figures plus the fill; every page runs on the real
database showing no illustrative mark and on the demo showing the demo's banner; a file or pack made from the
demo says so in its name and notes; an incomplete national table is never re-ranked."""
from __future__ import annotations

import hashlib
import shutil

import duckdb
import pandas as pd
import pytest
import streamlit as st

from etl import db as dbmod
from etl.problems import Rejected
from tests.test_app import PAGES
from tests.test_pages_units import labelled_illustrative

ILLUSTRATIVE_TABLES = ("province_score", "unit_score", "unit_year", "national_stat")


def _count(db, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def test_the_real_database_holds_no_illustrative_figure(real_db):
    for table in ILLUSTRATIVE_TABLES:
        assert _count(real_db, f"select count(*) from {table} where provenance = 'illustrative'")[0][0] == 0, table
    assert _count(real_db, "select count(*) from province_score where rank_provenance = 'illustrative'")[0][0] == 0
    assert _count(real_db, "select value from setting where key = 'database_kind'") == [("real",)]
    # every published value has its own source, never the generator's
    assert _count(real_db, "select count(*) from province_score where source_key is null or source_key = "
                           "'ILLUSTRATIVE'")[0][0] == 0
    # the published record bundled today (press_figures.csv): 264 PAR INDEX and 134 SIPAS province-years with a
    # published or derived score or rank
    got = dict(_count(real_db, "select index_name, count(*) from province_score where measure_code = 'total' "
                               "and index_name in ('PAR INDEX', 'SIPAS') group by all"))
    assert got == {"PAR INDEX": 264, "SIPAS": 134}
    # Đồng Tháp 8/63 in 2015 (seed 001), published as a rank only: no invented score beside it
    assert _count(real_db, "select score, rank, source_key from province_score where index_name = 'PAR INDEX' "
                           "and year = 2015 and province_code = '87' and measure_code = 'total'") == \
        [(None, 8, "DT-PORTAL-2016")]


def test_the_demo_holds_the_same_real_figures(real_db, built_db):
    real = _count(real_db, "select index_name, year, province_code, measure_code, score, rank, source_key "
                           "from province_score where provenance in ('published', 'derived') order by all")
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        for index, year, prov, measure, score, rank, src in real:
            demo = con.execute("select score, rank, source_key from province_score where index_name = $i and "
                               "year = $y and province_code = $p and measure_code = $m",
                               dict(i=index, y=year, p=prov, m=measure)).fetchall()
            assert demo, (index, year, prov, measure)
            d_score, d_rank, _ = demo[0]
            if score is not None:
                assert d_score == pytest.approx(score), (index, year, prov)
            if rank is not None:
                assert d_rank == rank, (index, year, prov)
    finally:
        con.close()
    assert _count(built_db, "select value from setting where key = 'database_kind'") == [("demo",)]


def test_an_illustrative_row_is_refused_by_the_real_database(real_copy):
    before = hashlib.sha256(real_copy.read_bytes()).hexdigest()

    def sneak(con):
        con.execute("insert into province_score (index_name, year, province_code, measure_code, score, rank, "
                    "provenance, rank_provenance, source_key) values ('PAR INDEX', 2023, '87', 'total', 88.1, 12, "
                    "'illustrative', 'illustrative', 'ILLUSTRATIVE')")
        return 1

    with pytest.raises(Rejected) as e:
        dbmod.commit_new_version(real_copy, sneak, file_name="test", sha=None, kind="test")
    # located, in both languages (etl/invariants/illustrative_in_real.sql)
    assert ("Số liệu minh họa trong cơ sở dữ liệu thật (chỉ được có trong bản trình diễn): bảng province_score, "
            "PAR INDEX · 2023 · 87 · total") in str(e.value)
    assert "Illustrative figure in the real database" in e.value.problems[0].text("en")
    assert hashlib.sha256(real_copy.read_bytes()).hexdigest() == before


# --- pages -------------------------------------------------------------------------------------------------

def _texts(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "html"):
        parts += [str(getattr(e, "value", None) or getattr(e.proto, "body", "")) for e in at.get(kind)]
    return "\n".join(parts)


def _charts(at) -> list[dict]:
    import json
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_real_database_shows_no_illustrative_mark(on_real, page):
    from tests.helpers import run_page
    at = run_page(page, level="department")
    text = _texts(at)
    assert "BẢN TRÌNH DIỄN" not in text and "Bản trình diễn · số liệu minh họa" not in text
    assert not at.get("html") or all("demo-banner" not in e.proto.body for e in at.get("html"))
    for fig in _charts(at):
        assert not labelled_illustrative(fig, "minh họa"), page
    # nothing generated reaches a table on screen
    for df in (d.value for d in at.dataframe):
        for col in df.columns:
            if df[col].dtype == object or str(df[col].dtype) == "str":
                assert not df[col].astype(str).str.contains("Minh họa", regex=False).any(), (page, col)


NATIONAL = ["overview", "national_ranking", "province_profile", "trends", "cross_index", "what_if", "briefing"]


@pytest.mark.parametrize("year", [2015, 2024, 2025])
@pytest.mark.parametrize("page", NATIONAL)
def test_national_pages_on_sparse_real_years(on_real, page, year):
    """Years holding a rank without its score (2015), a few provinces (2024), none (2025): each page runs,
    and says what is missing instead of drawing an empty or invented chart."""
    from tests.helpers import run_page
    at = run_page(page, year=year, province="p63:87")
    for fig in _charts(at):
        assert fig.get("data"), (page, year)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_demo_says_so(on_real, page):
    from tests.helpers import run_page
    at = run_page(page, level="department", db="demo")
    banners = [e.proto.body for e in at.get("html")]
    assert any("demo-banner" in b and "BẢN TRÌNH DIỄN · SỐ LIỆU MINH HỌA" in b for b in banners), page
    for fig in _charts(at):
        assert labelled_illustrative(fig, "Bản trình diễn · số liệu minh họa"), page


def test_the_switch_goes_back_to_real_figures(on_real):
    from tests.helpers import run_page
    at = run_page("overview", db="demo")
    assert any("demo-banner" in e.proto.body for e in at.get("html"))
    at.button(key="demo_back").click().run()
    assert "db" not in at.query_params
    assert not any("demo-banner" in e.proto.body for e in at.get("html"))


def test_the_national_ranking_on_real_data_keeps_published_ranks(on_real):
    """2018: 23 provinces with a published (or derived) rank; the page says 23/63 and shows those 23 with their
    ranks as the sources give them (never re-ranked among themselves: 1…5, 8, 10, 11 …), each with its source."""
    from tests.helpers import run_page
    at = run_page("national_ranking", year=2018)
    assert any("23/63 tỉnh có số liệu công bố" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert list(table["rank"]) == [1, 2, 3, 4, 5, 8, 10, 11, 13, 14, 15, 21, 26, 29, 34, 37, 40, 41, 46, 48, 54, 58,
                                   63]
    assert list(table["name"][:4]) == ["Quảng Ninh", "Hà Nội", "Đồng Tháp", "Đà Nẵng"]
    assert table["src"].str.contains(" · http").all()                # every row names its source, with its link
    assert set(table.prov) == {"Công bố", "Tính toán"}                # derived from a stated change: said so
    assert not at.get("plotly_chart")                                 # no map or distribution of 23 provinces
    # 2017: ranks published without their scores (2, 3, 4 …): kept as published, the score reads "–"; a score
    # without a rank (Cần Thơ, Đắk Lắk) is listed after the ranked ones
    at = run_page("national_ranking", year=2017)
    table = at.dataframe[0].value
    assert list(table["rank"].dropna()) == [1, 2, 3, 4, 5, 10, 14, 17, 19, 21, 27, 37, 52, 55, 63]
    assert table.score.iloc[1] == "–" and list(table.name.iloc[-2:]) == ["Cần Thơ", "Đắk Lắk"]


def test_a_rank_only_figure_is_not_given_a_score_or_rerank(on_real):
    import ui.data as D
    from ui import provinces as P
    lg = P._league_all(D.db_version(), "PAR INDEX")["total"]
    dt = lg[(lg.year == 2015) & (lg.province_code == "87")].iloc[0]
    assert int(dt["rank"]) == 8 and int(dt.n) == 63 and not bool(dt.complete)
    # a score without a published rank stays without a rank
    no_rank = lg[lg["rank"].isna()]
    assert len(no_rank) and no_rank.score.notna().all()


def test_files_from_the_demo_say_so(on_real, monkeypatch):
    import ui.data as D
    from ui.exports.tabular import demo_marked
    assert demo_marked("xep_hang", [("a", "b")]) == ("xep_hang", [("a", "b")])
    monkeypatch.setattr(D, "DB_PATH", D.DEMO_PATH)          # a session reading the demo
    st.cache_data.clear()
    name, notes = demo_marked("xep_hang", [("a", "b")])
    assert name == "BAN-TRINH-DIEN_xep_hang"
    assert notes[0] == ("Bản trình diễn · số liệu minh họa", notes[0][1]) and "không phải số liệu chính thức" in notes[0][1]


def test_the_pack_from_the_demo_says_so_on_every_slide(on_real, monkeypatch):
    import io

    from pptx import Presentation

    import ui.data as D
    from ui.briefing import screens as B
    from ui.briefing.pack import build
    monkeypatch.setattr(D, "DB_PATH", D.DEMO_PATH)
    st.cache_data.clear()
    st.cache_resource.clear()
    screens = [s for s in B.sequence("87", 2015, internal=True)]
    texts = B.pack_texts("87", 2015)
    import dataclasses
    screens = [dataclasses.replace(s, illustrative=True) for s in screens]     # what app_pages/briefing.py does
    prs = Presentation(io.BytesIO(build(screens, texts)))
    slides = list(prs.slides)
    words = ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in slides]
    assert "BẢN TRÌNH DIỄN" in words[0]
    for w in words[1:-1]:
        assert "⚠ Bản trình diễn · số liệu minh họa" in w


def test_methodology_counts_published_and_missing(on_real):
    from tests.helpers import run_page
    at = run_page("methodology")
    cov = next(d.value for d in at.dataframe if "n_missing" in d.value.columns)
    row = cov[(cov.index_name == "PAR INDEX") & (cov.year == 2015)].iloc[0]
    assert (row.n_published, row.n_missing) == (10, 52) and "n_illustrative" not in cov    # none in real data
    assert not at.dataframe[-1].value.source_key.eq("ILLUSTRATIVE").any()
    at = run_page("methodology", db="demo")
    cov = next(d.value for d in at.dataframe if "n_missing" in d.value.columns)
    row = cov[(cov.index_name == "PAR INDEX") & (cov.year == 2015)].iloc[0]
    assert (row.n_published, row.n_missing, row.n_illustrative, row.n_rank_published) == (5, 0, 58, 10)


def test_building_both_databases_from_the_command_line(tmp_path):
    from etl.__main__ import main
    real, demo = tmp_path / "index.duckdb", tmp_path / "demo" / "demo.duckdb"
    assert main(["--db", str(real), "build"]) == 0
    assert main(["--db", str(demo), "build", "--demo"]) == 0
    assert _count(real, "select count(*) from province_score where provenance = 'illustrative'")[0][0] == 0
    assert _count(demo, "select count(*) from province_score where provenance = 'illustrative'")[0][0] > 10_000
    shutil.rmtree(tmp_path / "versions", ignore_errors=True)


def _tips(fig: dict) -> list[str]:
    return [str(x) for tr in fig["data"] for x in (tr.get("customdata") or []) if isinstance(x, str)]


def test_charts_of_real_figures_show_each_source_on_hover(on_real):
    """Trends, cross-index, the league's bump chart and the domain profile: every point of a province's figure
    names its source (publisher and link), on the real database."""
    from tests.helpers import run_page
    at = run_page("trends", index="PAPI", year=2023, province="87")
    tips = _tips(_charts(at)[0])
    assert tips and all(x.startswith("Nguồn: ") for x in tips)
    assert any("PAPI" in x for x in tips) and not any("minh họa" in x for x in tips)
    at = run_page("cross_index", year=2016, x="PAPI", y="PCI", province="87")
    tips = _tips(_charts(at)[0])
    assert len(tips) >= 60 and all("PAPI · Nguồn: " in x and "PCI · Nguồn: " in x for x in tips)
    at = run_page("national_ranking", index="PAPI", year=2023, province="87")
    bump = [f for f in _charts(at) if any(tr.get("mode") == "lines+markers" for tr in f["data"])]
    assert bump and all(x.startswith("Nguồn: ") for x in _tips(bump[0]))
    at = run_page("province_profile", index="PAPI", year=2023, province="87")
    tips = _tips(dict(data=[tr for tr in _charts(at)[0]["data"] if tr["type"] == "bar"]))
    assert tips and all(x.startswith("Nguồn: ") for x in tips)


def test_on_the_demo_a_chart_tells_a_published_point_from_a_generated_one():
    from tests.helpers import run_page
    at = run_page("trends", index="PAR INDEX", year=2016, province="87")
    tips = _charts(at)[0]["data"][0]["customdata"]                     # the bold total line, 2012 to 2016
    assert len(tips) == 5
    assert "vietnamplus" in tips[0]                                     # Đồng Tháp 4th in 2012, from the press
    assert "minh họa" in tips[1]                                        # 2013 not published: generated, and says so


def test_the_demo_tells_a_plausible_story(built_db):
    """Each province's illustrative path runs through its published points and drifts slowly between them: no move of
    20 places in a year between two generated ranks, none of 30 next to a published one (two published ranks may
    differ by what the sources say)."""
    import duckdb
    con = duckdb.connect(str(built_db), read_only=True)
    moves = con.execute("""
        with t as (select index_name, province_code, year, rank, rank_provenance in ('published', 'derived') as pub
                   from province_score
                   where index_name in ('PAR INDEX', 'SIPAS') and measure_code = 'total' and year < 2025)
        select a.pub::int + b.pub::int as n_published, max(abs(a.rank - b.rank)) from t a join t b
          on a.index_name = b.index_name and a.province_code = b.province_code and b.year = a.year + 1
        group by 1""").fetchall()
    worst = dict(moves)
    assert worst[0] < 20 and worst[1] < 30
    # Đà Nẵng 2013: first with 87,02 (VNA); the national average 77,56 that year is the generated table's mean
    dn = con.execute("select score, rank, provenance from province_score where index_name = 'PAR INDEX' "
                     "and measure_code = 'total' and year = 2013 and province_code = '48'").fetchone()
    assert dn == (87.02, 1, "published")
    assert con.execute("select avg(score) from province_score where index_name = 'PAR INDEX' and measure_code = 'total' "
                       "and year = 2013").fetchone()[0] == pytest.approx(77.56, abs=0.006)


def test_a_figure_stated_only_approximately_is_matched_by_the_demo():
    """'about 87 per cent' with no exact figure anywhere: the demo's value sits at it (the row stays illustrative)."""
    import numpy as np
    import pandas as pd

    from etl.illustrative import approx_values, national_table
    codes = [f"{i:02d}" for i in range(1, 64)]
    facts = pd.DataFrame([
        dict(index_name="PAR INDEX", year=2013, province_code="48", value=np.nan, rank=1, rank_note=None,
             source_key="S", note=None, approx=87.0, value_provenance=None, rank_provenance="published"),
        dict(index_name="PAR INDEX", year=2013, province_code="31", value=86.93, rank=pd.NA, rank_note=None,
             source_key="S", note=None, approx=None, value_provenance="published", rank_provenance=None),
        dict(index_name="PAR INDEX", year=2013, province_code="14", value=np.nan, rank=63, rank_note=None,
             source_key="S", note=None, approx=58.8, value_provenance=None, rank_provenance="published")])
    facts["rank"] = facts["rank"].astype("Int64")
    assert approx_values(facts, "PAR INDEX", 2013) == {"48": 87.0, "14": 58.8}
    rng = np.random.default_rng(1)
    t = national_table("PAR INDEX", 2013, codes, {c: -i for i, c in enumerate(codes)}, facts, rng)
    t = t.set_index("province_code")
    assert t.loc["48", "rank"] == 1 and t.loc["48", "score"] == pytest.approx(87.0, abs=0.01)
    assert t.loc["48", "provenance"] == "illustrative" and t.loc["48", "rank_provenance"] == "published"
    assert t.loc["31", "score"] == 86.93 and t.loc["14", "score"] == pytest.approx(58.8, abs=0.01)


@pytest.fixture()
def files_offered(monkeypatch):
    """Every table file a page offers during a run, built at once (as a click would build it): (name, xlsx, csv)."""
    import ui.exports.tabular as X
    import ui.tables as T
    made = []
    real = T.downloads

    def capture(df, headers, name, key, notes, highlight=None, kinds=None, decimals=None, signed=()):
        real(df, headers, name, key, notes, highlight, kinds, decimals, signed)
        marked, marked_notes = X.demo_marked(name, notes)
        made.append((marked, X.excel_bytes(df, headers, marked_notes, marked, highlight, kinds, decimals, signed),
                     X.csv_bytes(df, headers, kinds, decimals)))
    monkeypatch.setattr(T, "downloads", capture)
    return made


def _cells(xlsx: bytes) -> str:
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(xlsx), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


# pages with national tables on the real database are walked on the years they hold whole tables (PAPI, PCI)
WALK = [(p, {}) for p in PAGES] + [(p, dict(index="PAPI", year=2019)) for p in
                                   ("national_ranking", "province_profile", "trends", "export")]


@pytest.mark.parametrize("page,params", WALK, ids=[f"{p}-{'-'.join(map(str, q.values())) or 'default'}" for p, q in WALK])
def test_no_file_from_the_real_database_holds_an_illustrative_value(on_real, files_offered, page, params):
    from tests.helpers import run_page
    run_page(page, level="department", **params)
    for name, xlsx, csv in files_offered:
        cells = (_cells(xlsx) + "\n" + csv.decode("utf-8-sig").replace(",", "\n")).splitlines()
        assert not name.startswith("BAN-TRINH-DIEN"), name
        assert not [c for c in cells if c.strip() in ("Minh họa", "Số liệu minh họa", "ILLUSTRATIVE")
                    or "số liệu minh họa" in c or "Bản trình diễn" in c], name


@pytest.mark.parametrize("page", ["overview", "national_ranking", "trends", "export", "unit_ranking", "criterion_gaps"])
def test_every_file_from_the_demo_says_so(on_real, files_offered, page):
    from tests.helpers import run_page
    run_page(page, level="department", db="demo")
    assert files_offered, page
    for name, xlsx, _csv in files_offered:
        assert name.startswith("BAN-TRINH-DIEN_"), name
        assert "Bản trình diễn · số liệu minh họa" in _cells(xlsx), name


def test_the_pack_from_the_real_database_holds_no_illustrative_figure(on_real):
    """Đồng Tháp 2019 on real data: PAPI and PCI screens only, each figure published, no demo mark anywhere."""
    import io

    from pptx import Presentation

    from ui.briefing import screens as B
    from ui.briefing.pack import build
    st.cache_data.clear()
    screens = B.sequence("87", 2019, internal=True)
    assert screens and not any(s.illustrative for s in screens)
    prs = Presentation(io.BytesIO(build(screens, B.pack_texts("87", 2019))))
    words = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "minh họa" not in words.lower() and "BẢN TRÌNH DIỄN" not in words


def test_a_sparse_real_series_is_classed_on_its_figures(on_real):
    """Đồng Tháp's real PAR INDEX has 2012 and 2018–2020: rising, so no 'warning sign'; the movers say how many
    provinces they compare."""
    from tests.helpers import run_page
    at = run_page("trends", index="PAR INDEX", year=2020, province="87")
    assert not at.exception
    row = at.dataframe[0].value.iloc[0]
    assert row.trend == "Cải thiện"                 # 2018–2020 rose faster (1,5/năm) than 2012–2020 (0,3/năm)
    assert any(c.value.startswith("So sánh ") and "có số liệu cả năm" in c.value for c in at.caption)


@pytest.mark.parametrize("page,params", [("overview", dict(province="87", year=2023)),
                                         ("province_profile", dict(index="PAPI", year=2023, province="87")),
                                         ("trends", dict(index="PAPI", year=2023, province="87"))])
def test_tables_of_a_provinces_figures_name_each_rows_source(on_real, page, params):
    """Besides the league table, the tables of one province's figures carry a source per row: on the real
    database a publisher (never the illustrative mark), on the demo the mark where a figure is generated."""
    from tests.helpers import run_page
    at = run_page(page, **params)
    tables = [d.value for d in at.dataframe if "source_text" in d.value]
    assert tables, page
    for df in tables:
        assert df.source_text.map(lambda x: isinstance(x, str) and x not in ("", "–")).all(), page
        assert not df.source_text.str.contains("minh họa").any(), page
        assert df.source_text.str.contains("PAPI|http").all(), page


def test_on_the_demo_a_generated_row_says_so_in_its_source_column():
    from tests.helpers import run_page
    at = run_page("overview", province="87", year=2016)
    rows = pd.concat([d.value for d in at.dataframe if "source_text" in d.value])
    assert rows.source_text.str.contains("minh họa").any() and not rows.source_text.isin(["", "–"]).any()
