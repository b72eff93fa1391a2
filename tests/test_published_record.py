"""The published record gathered from public reports (data/raw/published/press_figures.csv, etl/press.py) and other
provinces' whole unit tables (data/raw/published/units/, etl/published_units.py): every figure traceable (page,
publisher, date, how it is known), one value per cell by a fixed rule, ranks unique and within 1..N, and the real
database holding exactly the chosen record."""
from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from etl import press
from etl.reference import ProvinceResolver, RAW

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$")


@pytest.fixture(scope="module")
def evidence() -> pd.DataFrame:
    return press.read_evidence()


def test_every_figure_is_traceable(evidence):
    ev = evidence
    refs = set(pd.read_csv(RAW / "reference" / "sources.csv", dtype=str).source_key)
    # a page (or, for the province's own portal quoted in the seeds, a named reference source)
    assert ((ev.url.str.match(r"^https?://\S+$")) | ev.source_key.isin(refs)).all()
    assert ev.publisher.str.strip().ne("").all()
    assert ev.published_on.str.match(DATE).all(), ev[~ev.published_on.str.match(DATE)].published_on.unique()
    assert ev.date_basis.isin(["page", "url", "inferred"]).all()
    assert ev.how.isin(["read", "derived"]).all()
    derived = ev[ev.how == "derived"]
    assert derived.derivation.str.strip().ne("").all()                 # every derived figure says how
    assert ev.says.str.strip().ne("").all() and ev.confidence.isin(["high", "medium"]).all()
    assert ev["index"].isin(press.INDICES).all()
    # a figure, a group or an approximate value on every row
    assert (ev.score.notna() | ev["rank"].notna() | ev.group.ne("") | ev.approx_score.notna()).all()


def test_figures_are_in_range_and_provinces_known(evidence):
    ev = evidence
    r = ProvinceResolver()
    national = ev.province == "CẢ NƯỚC"
    assert (ev.province_code[national] == "").all()
    for row in ev[~national].itertuples():
        assert r.code(row.province_code, row.year) == row.province_code, (row.province, row.year)
    assert ev.score.dropna().between(0, 100).all()
    ranked = ev[ev["rank"].notna()]
    assert (ranked["rank"] >= 1).all() and (ranked["rank"] <= ranked.year.map(press.provinces_in)).all()
    assert ranked.rank_of.isin([63, 34]).all()


def test_the_chosen_record_has_unique_ranks(evidence):
    chosen = press.choose(evidence)
    assert press.check(chosen) == []
    cells = chosen[chosen.province_code.notna()]
    assert not cells.duplicated(["index_name", "year", "province_code"]).any()


def _ev(rows: list[dict]) -> pd.DataFrame:
    base = dict(index="PAR INDEX", year=2018, province="X", province_code="22", score=None, approx_score=None,
                rank=None, rank_of=63, how="read", derivation="", group="", url="https://a", source_key="A",
                publisher="P", published_on="2019-05-01", date_basis="page", says="s", confidence="high", conflict="")
    df = pd.DataFrame([base | r for r in rows])
    df["score"] = df.score.astype("float64")
    df["approx_score"] = df.approx_score.astype("float64")
    df["rank"] = df["rank"].astype("Int64")
    return df


def test_the_rule_keeps_the_value_most_sources_agree_on():
    """Quảng Ninh 2018: 89,6 twice (a dropped zero), 89,06 twice printed and twice derived from a stated change."""
    ev = _ev([dict(score=89.6, source_key="VNP", publisher="VietnamPlus"),
              dict(score=89.6, source_key="DN", publisher="Đà Nẵng"),
              dict(score=89.06, source_key="TT", publisher="TTHH", published_on="2019-05-25"),
              dict(score=89.06, source_key="VJ", publisher="VIETJO"),
              dict(score=89.06, source_key="VN", how="derived", derivation="90,09 − 1,03"),
              dict(score=89.06, source_key="QN", how="derived", derivation="90,09 − 1,03")])
    c = press.choose(ev).iloc[0]
    assert c.score == 89.06 and c.score_provenance == "published" and c.source_key == "VJ"     # printed, earliest
    assert "other sources give 89.6 (VietnamPlus" in c.note


def test_a_rounded_figure_supports_the_precise_one_and_medium_confidence_yields():
    ev = _ev([dict(score=70.69, source_key="A"), dict(score=70.7, source_key="B"), dict(score=70.7, source_key="C")])
    c = press.choose(ev).iloc[0]
    assert c.score == 70.69 and "other sources" not in (c.note or "")          # 70,7 is 70,69 rounded: no conflict
    ev = _ev([dict(score=88.2, confidence="medium", source_key="A"), dict(score=88.02, source_key="B")])
    assert press.choose(ev).iloc[0].score == 88.02
    ev = _ev([dict(rank=21, how="derived", derivation="27 − 6", source_key="A")])
    c = press.choose(ev).iloc[0]
    assert c["rank"] == 21 and c.rank_provenance == "derived" and "derived: 27 − 6" in c.note


def test_two_provinces_given_one_rank_are_settled():
    """A printed rank beats a derived one; between two printed ranks, the score that fits the others keeps it; the
    other takes another source's rank for it if one fits, else keeps only its score, and the note says why."""
    ev = _ev([dict(province="Quảng Ngãi", province_code="51", score=86.45, rank=39, source_key="QNg"),
              dict(province="Bình Phước", province_code="70", rank=39, how="derived", derivation="29 + 10",
                   source_key="BP"),
              dict(province="Đồng Nai", province_code="75", score=87.04, rank=32, source_key="DN"),
              dict(province="Cà Mau", province_code="96", score=86.89, rank=32, source_key="KT"),
              dict(province="Cà Mau", province_code="96", score=86.89, rank=34, source_key="CM", confidence="medium")])
    c = press.choose(ev).set_index("province_code")
    assert c.loc["51", "rank"] == 39 and pd.isna(c.loc["70", "rank"])
    assert "rank 39 also given to Quảng Ngãi" in c.loc["70", "note"]
    assert c.loc["75", "rank"] == 32 and c.loc["96", "rank"] == 34 and "kept 34" in c.loc["96", "note"]
    assert press.check(c.reset_index()) == []


def test_groups_become_rank_ranges_for_the_demo():
    assert press._group_ranks("top 5", 63) == "ranks 1-5"
    assert press._group_ranks("bottom 3", 63) == "ranks 61-63"
    assert press._group_ranks("outside top 30", 63) == "ranks 31-63"
    assert press._group_ranks("ranks 2–3 (runner-up)", 63) == "ranks 2-3"
    assert press._group_ranks("nhóm A (≥90%)", 63) is None


def test_the_real_database_holds_the_chosen_record(real_db, evidence):
    chosen = press.choose(evidence)
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        db = con.execute("select index_name, year, province_code, score, rank, provenance, rank_provenance, source_key "
                         "from province_score where measure_code = 'total' and source_key not in ('PCI-A')").df()
        want = chosen[chosen.province_code.notna() & (chosen.score.notna() | chosen["rank"].notna())]
        m = want.merge(db, on=["index_name", "year", "province_code"], how="left", suffixes=("", "_db"))
        assert len(m) == len(want) and m.source_key_db.notna().all()
        s = m[m.score.notna()]
        assert (s.score == s.score_db).all()
        r = m[m["rank"].notna()]
        assert (r["rank"] == r.rank_db).all()
        assert set(m.provenance) <= {"published", "derived"}
        # every press figure cites a page with its publisher and date in the title, and its link
        src = con.execute("select s.title, s.url from province_score p join source s using (source_key) "
                          "where p.source_key like 'PRESS-%'").fetchall()
        assert src and all(re.search(r", \d{2}/|, \d{4}", t) and u.startswith("http") for t, u in src)
        # counts per index (the note of issue 17 reports them per year)
        got = dict(con.execute("select index_name, count(*) from province_score where measure_code = 'total' "
                               "and source_key like 'PRESS-%' group by all").fetchall())
        assert got["PAR INDEX"] >= 200 and got["SIPAS"] >= 100 and got["PCI"] >= 250
        # PCI 2020: the whole table (VCCI's ranking page), ranks 1..63
        assert con.execute("select count(*), count(distinct rank), min(rank), max(rank) from province_score "
                           "where index_name = 'PCI' and year = 2020 and measure_code = 'total'").fetchone() == (63, 63, 1, 63)
        nat = dict(((i, y), v) for i, y, v in con.execute("select index_name, year, value from national_stat").fetchall())
        assert nat[("PAR INDEX", 2024)] == 88.37 and nat[("SIPAS", 2023)] == 82.66
    finally:
        con.close()


# ------------------------------------------------------------------------------------ other provinces' unit tables

def test_other_provinces_unit_tables_are_loaded_at_the_detail_printed(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    try:
        rows = con.execute("""
            select u.province_code, u.level, y.year, count(*), count(distinct y.rank), min(y.rank), max(y.rank),
                   any_value(y.detail_level), count(distinct y.source_key), min(u.provenance)
            from unit_year y join unit u using (unit_id) where u.province_code <> '87' and u.province_code <> '82'
            group by all order by 1, 3""").fetchall()
        assert rows == [("17", "department", 2022, 19, 19, 1, 19, "total", 1, "published"),
                        ("17", "department", 2024, 19, 19, 1, 19, "total", 1, "published"),
                        ("74", "district", 2017, 9, 9, 1, 9, "total", 1, "published")]
        # the same 19 departments both years (2024's names matched against Hòa Bình's units, not Đồng Tháp's)
        assert con.execute("select count(*) from unit where province_code = '17'").fetchone()[0] == 19
        top = con.execute("""select u.name_vi, y.total_score from unit_year y join unit u using (unit_id)
                             where u.province_code = '17' and y.year = 2024 and y.rank = 1""").fetchone()
        assert top == ("Sở Nội vụ", 93.82)
        # Đồng Tháp's own "Sở Nội vụ" got nothing from Hòa Bình's tables
        assert con.execute("select count(*) from unit_year y join unit u using (unit_id) "
                           "where u.province_code = '87'").fetchone()[0] == 0
        src = con.execute("""select distinct s.title, s.url from unit_year y join unit u using (unit_id)
                             join source s using (source_key) where u.province_code = '74'""").fetchall()
        assert src == [("Cổng TTĐT huyện Bàu Bàng, 06/08/2018", "http://baubang.binhduong.gov.vn/Default.aspx?tabid=175&ID=1881")]
    finally:
        con.close()


def test_an_annex_for_another_province_matches_its_own_units_only(real_copy, tmp_path):
    """`python -m etl load annex.csv --province "Hòa Bình" --create-units`: Hòa Bình's "Sở Nội vụ" is Hòa Bình's."""
    from etl.__main__ import main
    f = tmp_path / "hb_2023.csv"
    f.write_text("KẾT QUẢ CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH NĂM 2023\nSTT,Tên đơn vị,Chỉ số CCHC (%),Xếp hạng\n"
                 "1,Sở Nội vụ,95.1,1\n2,Sở Mới Lập,90.2,2\n", encoding="utf-8")
    assert main(["--db", str(real_copy), "load", str(f), "--kind", "annex", "--province", "Hòa Bình",
                 "--create-units"]) == 0
    con = duckdb.connect(str(real_copy), read_only=True)
    try:
        got = con.execute("""select u.unit_id, u.province_code, y.total_score from unit_year y join unit u using (unit_id)
                             where y.year = 2023 order by y.rank""").fetchall()
    finally:
        con.close()
    assert got == [("P17-SO-NOI-VU-2022", "17", 95.1), ("P17-SO-MOI-LAP-2023", "17", 90.2)]


def test_the_unit_pages_show_a_published_table_honestly(real_db, monkeypatch):
    """Hòa Bình's departments, found under Phú Thọ (its province since 2025) and labelled so: the ranking with
    its source; the pages that need criteria say the year has totals only."""
    import ui.data as D
    from tests.helpers import run_page
    monkeypatch.setattr(D, "DB_PATH", real_db)
    at = run_page("unit_ranking", level="department", uprov="p34:25", year=2024)
    table = at.dataframe[0].value
    assert list(table["rank"]) == list(range(1, 20)) and table.name.iloc[0] == "Sở Nội vụ"
    assert set(table.places) == {"–"} and set(table.prov) == {"Công bố"}    # 2023 unknown: no change, not "new"
    text = "\n".join(str(e.value) for k in ("markdown", "caption", "info") for e in at.get(k))
    assert "Sở Nội vụ" in text and "93,82" in text
    assert "tổng điểm" in text.lower()                                 # the detail level, said
    scope = at.sidebar.selectbox[0] if at.sidebar.selectbox else None
    assert scope is not None and "trước 2025: Hòa Bình" in scope.format_func(scope.value)
    import json
    fig = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec)["layout"], ensure_ascii=False)
    assert "Báo Hòa Bình" in fig and "minh họa" not in fig                # the chart names the paper it is from
    assert "10256" in fig and "8028" not in fig                          # 2024's page, not 2022's
    assert "Phú Thọ (trước 2025: Hòa Bình)" in fig                      # whose departments they were
    at = run_page("criterion_gaps", level="department", uprov="p34:25", year=2024)
    assert any("chỉ có tổng điểm" in i.value for i in at.info)


def test_a_home_file_never_matches_another_provinces_units(real_copy, tmp_path):
    """Both Đồng Tháp and Hòa Bình have a "Sở Tư pháp": a file loaded without --province is the home province's,
    and a template lists the home province's units only."""
    from etl.__main__ import main
    from etl.units import Context
    from tests.helpers import long_rows, write_long
    con = duckdb.connect(str(real_copy), read_only=True)
    try:
        home, hb = Context.from_db(con), Context.from_db(con, "17")
    finally:
        con.close()
    assert set(home.units.province_code) == {"87", "82"} and set(hb.units.province_code) == {"17"}
    assert "SO-TP-25" in home.resolve_unit("Sở Tư pháp")
    assert not [u for u in home.resolve_unit("Sở Tư pháp") if u.startswith("P17")]
    assert [u[:4] for u in hb.resolve_unit("Sở Tư pháp")] == ["P17-"]
    f = write_long(tmp_path / "tp_2025.xlsx", long_rows(real_copy, unit="Sở Tư pháp", year=2025))
    assert main(["--db", str(real_copy), "load", str(f)]) == 0
    con = duckdb.connect(str(real_copy), read_only=True)
    try:
        assert con.execute("select distinct unit_id from unit_score where year = 2025").fetchall() == [("SO-TP-25",)]
    finally:
        con.close()
    out = tmp_path / "mau.xlsx"
    assert main(["--db", str(real_copy), "template", "units", str(out), "--level", "department", "--year", "2024"]) == 0
    from openpyxl import load_workbook
    names = {r[0] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    assert names and "Sở Nội vụ" in names and "Ban Dân tộc" not in names      # Ban Dân tộc: Hòa Bình's only
