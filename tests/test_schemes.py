"""The province list in force each year (63 provinces to 2024, 34 from 2025) is one data file,
data/raw/reference/province_schemes.csv: the database's table province_scheme is written from it, queries join on
it, Python asks etl.schemes; no SQL file names the year of the merger any more."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from etl import db as dbmod
from etl import schemes
from tests import smalldb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return smalldb.build(tmp_path_factory.mktemp("schemes") / "index.duckdb")


@pytest.mark.parametrize("year, scheme, n", [(2005, "p63", 63), (2024, "p63", 63), (2025, "p34", 34),
                                             (2031, "p34", 34)])
def test_a_year_has_the_list_of_the_file(year, scheme, n):
    assert schemes.scheme_for_year(year) == scheme
    assert schemes.n_provinces(year) == n
    assert schemes.MERGER_YEAR == 2025


def test_the_file_leaves_no_year_without_a_list_and_none_with_two():
    s = schemes.schemes()
    assert list(s.scheme) == ["p63", "p34"]
    assert (s.first_year.iloc[1:].to_numpy() == s.last_year.iloc[:-1].to_numpy() + 1).all()
    table = schemes.scheme_year_table()
    assert table.year.is_unique and table.year.min() == schemes.FIRST_YEAR and table.year.max() == schemes.LAST_YEAR


def test_the_database_table_says_what_python_says(small):
    con = duckdb.connect(str(small), read_only=True)
    try:
        rows = dict(con.execute("select year, scheme from province_scheme").fetchall())
    finally:
        con.close()
    assert rows[2024] == "p63" and rows[2025] == "p34"
    assert all(rows[y] == schemes.scheme_for_year(y) for y in range(2000, 2040))


def test_no_sql_file_decides_the_list_by_a_year():
    files = sorted((ROOT / "queries").glob("*.sql")) + sorted((ROOT / "etl" / "invariants").glob("*.sql"))
    files.append(ROOT / "etl" / "schema.sql")
    code = {f.name: "\n".join(line.split("--")[0] for line in f.read_text(encoding="utf-8").splitlines())
            for f in files}
    hits = [name for name, text in code.items() if re.search(r"20(2[4-6])\b", text)]
    assert hits == []


OLD_VIEW = """create or replace view province_scores as
select s.index_name, s.year, s.province_code, p.name_vi as province_name, p.name_en as province_name_en,
       s.measure_code, m.name_vi as measure_name, m.name_en as measure_name_en, m.depth as measure_depth, s.score,
       m.max_score, s.rank, s.ci_low, s.ci_high, s.std_error, s.provenance, s.rank_provenance,
       s.source_key as source, s.note
from province_score s
left join province p on p.province_code = s.province_code
                    and p.scheme = case when s.year >= 2025 then 'p34' else 'p63' end
left join measure m on m.index_name = s.index_name and m.year = s.year and m.measure_code = s.measure_code"""


def test_a_file_without_the_table_is_migrated_on_its_next_write(small, tmp_path):
    path = tmp_path / "index.duckdb"
    path.write_bytes(small.read_bytes())
    con = duckdb.connect(str(path))               # as written before the table existed
    expected = con.execute("select year, province_code, province_name, measure_code, score from province_scores "
                           "order by all").fetchall()
    con.execute(OLD_VIEW)
    con.execute("drop table province_scheme")
    con.close()
    dbmod.commit_new_version(path, lambda con: 0, file_name="noop", sha=None, kind="test")
    con = duckdb.connect(str(path), read_only=True)
    try:
        n = con.execute("select count(*) from province_scheme").fetchall()[0][0]
        got = con.execute("select year, province_code, province_name, measure_code, score from province_scores "
                          "order by all").fetchall()
        schemes_seen = con.execute("select distinct year, scheme from province_scores order by year").fetchall()
    finally:
        con.close()
    assert n == schemes.LAST_YEAR - schemes.FIRST_YEAR + 1
    assert got == expected and any(r[1] is not None for r in got[:1])
    assert {s for _, s in schemes_seen} == {"p63", "p34"}


def test_same_list_compares_years_by_the_province_list_they_rank():
    import pandas as pd

    from etl.schemes import same_list
    years = pd.Series([2012, 2024, 2025, 2026])
    assert same_list(years, 2025).tolist() == [False, False, True, True]
    assert same_list(years, 2020).tolist() == [True, True, False, False]
    assert same_list(pd.Series([], dtype="int64"), 2025).tolist() == []
