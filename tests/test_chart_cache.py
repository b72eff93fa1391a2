"""Figures kept once per view (issue 22 item 1a, ui.charts.show_built): the league table's map, distribution and
rank chart are built once per database version, language and choices and sent to every session with that view.
A kept figure is never changed afterwards (the map's top margin used to grow by its source lines at every rerun),
and a different choice, language or database gets its own figure."""
from __future__ import annotations

import json

from tests.helpers import run_page

DONG_THAP, QUANG_NINH = "p63:87", "p63:22"


def _charts(at) -> dict[str, dict]:
    """The page's plotly figures by their key (as sent to the browser)."""
    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        kinds = [d.get("type") for d in spec["data"]]
        kind = "map" if "choropleth" in kinds else "hist" if "histogram" in kinds else "bump"
        out[kind] = spec
    return out


def test_the_map_keeps_its_size_at_every_rerun():
    at = run_page("national_ranking", index="PAPI", year=2023, province=DONG_THAP)
    first = _charts(at)
    for _ in range(2):
        again = _charts(at.run())
        for kind in ("map", "hist", "bump"):
            assert again[kind]["layout"]["margin"] == first[kind]["layout"]["margin"], kind
            assert again[kind]["layout"]["title"] == first[kind]["layout"]["title"], kind


def test_a_kept_figure_follows_the_choices_the_language_and_the_database(on_real):
    a = _charts(run_page("national_ranking", index="PAPI", year=2023, province=DONG_THAP))
    b = _charts(run_page("national_ranking", index="PAPI", year=2023, province=QUANG_NINH))
    outline = lambda s: [d for d in s["data"] if d.get("type") == "choropleth"][-1]["locations"]  # noqa: E731
    assert outline(a["map"]) == ["87"] and outline(b["map"]) != ["87"]      # the chosen province outlined
    dong_thap = lambda s: [x["text"] for x in s["layout"]["annotations"] if "Đồng Tháp" in x["text"]]  # noqa: E731
    assert dong_thap(a["hist"]) and not dong_thap(b["hist"])                # and marked on the distribution
    en = _charts(run_page("national_ranking", lang="en", index="PAPI", year=2023, province=DONG_THAP))
    assert en["map"]["layout"]["title"]["text"] != a["map"]["layout"]["title"]["text"]
    assert en["map"]["layout"]["separators"] == ".," and a["map"]["layout"]["separators"] == ",."
    other_year = _charts(run_page("national_ranking", index="PAPI", year=2022, province=DONG_THAP))
    assert other_year["map"]["layout"]["title"]["text"] != a["map"]["layout"]["title"]["text"]
    # the demo carries its mark on every chart; the real database's figures of the same view do not
    demo = _charts(run_page("national_ranking", db="demo", index="PAPI", year=2023, province=DONG_THAP))
    real = a
    marks = lambda s: [x["text"] for x in s["layout"].get("annotations", []) if "⚠" in x["text"]]  # noqa: E731
    assert marks(demo["map"]) and not marks(real["map"]), (marks(demo["map"]), marks(real["map"]))


def test_the_province_profile_chart_follows_the_compared_provinces():
    """The kept comparison chart is per compared group: merger, region and a chosen list each get their own."""
    def bars(**params):
        at = run_page("province_profile", index="PAPI", year=2019, province="p63:01", **params)
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return [d.get("name") for d in spec["data"]]
    region = bars(peers="region")
    chosen = bars(peers="custom", compare="79")
    alone = bars(peers="custom")
    assert len(region) > len(alone) and region != chosen != alone
    assert bars(peers="region") == region                          # the same view: the kept one, unchanged


def test_the_trends_chart_follows_the_province_and_keeps_its_size():
    def lines(at):
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return spec["layout"]["title"]["text"], spec["layout"]["margin"], [d["name"] for d in spec["data"]]
    at = run_page("trends", index="PAPI", year=2023, province=DONG_THAP)
    first = lines(at)
    assert "Đồng Tháp" in first[0]
    assert lines(at.run()) == first                               # kept: sent again unchanged
    other = lines(run_page("trends", index="PAPI", year=2023, province=QUANG_NINH))
    assert "Quảng Ninh" in other[0] and other[0] != first[0]


def test_a_shared_result_is_not_changed_by_the_caller_that_changes_its_copy():
    """ui.data.shared keeps one result for every session (no unpickling per hit): each caller gets its own copy, so
    a page that adds a column, sets a cell or sorts in place changes nothing for the next caller."""
    import pandas as pd
    from ui.data import shared

    calls = []

    @shared(max_entries=4)
    def result(key: str):
        calls.append(key)
        return pd.DataFrame({"a": [1, 2]}), {"m": pd.DataFrame({"b": [3]})}, [pd.Series([5.0])]

    frame, by_name, series = result("k")
    frame["c"] = 0
    frame.loc[0, "a"] = 99
    by_name["m"].loc[0, "b"] = -1
    by_name["x"] = None
    series[0][0] = -5.0
    again, by_name2, series2 = result("k")
    assert calls == ["k"]                                          # computed once, then shared
    assert list(again.columns) == ["a"] and again.a.tolist() == [1, 2]
    assert set(by_name2) == {"m"} and by_name2["m"].b.tolist() == [3]
    assert series2[0].tolist() == [5.0]


# --- the national pages' kept results outlive a unit load (ui.data.national_version) ---------------------------

NATIONAL_CODE = ["ui/provinces.py", "app_pages/national_ranking.py", "app_pages/province_profile.py",
                 "app_pages/trends.py", "app_pages/overview.py", "app_pages/cross_index.py", "app_pages/what_if.py"]
VIEWS = {"province_scores": {"province_score", "province_scheme", "province", "measure"}}
# sources_list also counts the unit scores citing each source; the national pages use only the titles and links of
# the sources their own results cite, which the digest covers
READ_FOR_TITLES = {"sources_list"}


def _tables_read(sql: str) -> set[str]:
    import re
    body = re.sub(r"--[^\n]*", "", sql).lower()
    ctes = set(re.findall(r"(?:with|,)\s*([a-z_][a-z0-9_]*)\s+as\s*(?:materialized\s*)?\(", body))
    named = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", body)) - ctes
    out = set()
    for n in named:
        out |= VIEWS.get(n, {n})
    return out


def test_the_national_pages_read_only_what_the_national_digest_covers():
    """A table a national page reads but the digest leaves out would keep a stale result after a load."""
    import re
    from pathlib import Path

    import queries
    root = Path(__file__).resolve().parent.parent
    covered = _tables_read(queries.sql("national_digest"))
    assert {"province_score", "measure", "province", "setting", "source"} <= covered
    names = set()
    for f in NATIONAL_CODE:
        names |= set(re.findall(r'\bq\("([a-z_]+)"', (root / f).read_text(encoding="utf-8")))
    assert {"index_all_scores", "provinces_of_year", "index_measures"} <= names
    for n in sorted(names - READ_FOR_TITLES):
        assert _tables_read(queries.sql(n)) <= covered, (n, _tables_read(queries.sql(n)) - covered)


def test_a_unit_load_keeps_the_national_digest_and_a_national_change_moves_it(db_copy, tmp_path):
    import duckdb

    import queries
    from etl.loaders import load_file
    from tests.helpers import LONG_HEADER, long_rows, write_long

    def digest():
        con = duckdb.connect(str(db_copy), read_only=True)
        try:
            return queries.run(con, "national_digest").to_dict("records")
        finally:
            con.close()
    before = digest()
    load_file(write_long(tmp_path / "diem_2025.xlsx", long_rows(db_copy, share=0.9), header=LONG_HEADER), db_copy,
              user="test")
    assert digest() == before                                   # unit scores, their source, the log: not national
    con = duckdb.connect(str(db_copy))
    con.execute("update province_score set score = score + 0.01 where rowid = (select min(rowid) from province_score)")
    con.close()
    after = digest()
    assert after != before
    assert [r["tbl"] for r in after if r not in before] == ["province_score"]


def test_the_unit_ranking_chart_follows_the_level_and_year():
    def chart(at):
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return spec["layout"]["title"]["text"], [d.get("y") for d in spec["data"]]
    dept = run_page("unit_ranking", level="department", year=2025)
    first = chart(dept)
    assert chart(dept.run()) == first                              # kept: sent again unchanged
    other = chart(run_page("unit_ranking", level="district", year=2024))
    assert other[0] != first[0] and other[1] != first[1]
