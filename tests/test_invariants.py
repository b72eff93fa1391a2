"""The database invariants (etl/invariants/*.sql and the unit-score row checks in etl/db.py): each file well formed,
and a write that breaks one refused with located problems in both languages, the database unchanged. On the small
database of tests/smalldb.py."""
from __future__ import annotations

import shutil
import string

import duckdb
import pytest

from etl import db as dbmod
from etl.invariants import SHOWN, checks
from etl.problems import Rejected
from tests import smalldb


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return smalldb.build(tmp_path_factory.mktemp("small") / "index.duckdb")


@pytest.fixture()
def small_copy(small, tmp_path):
    p = tmp_path / "db" / "index.duckdb"
    p.parent.mkdir()
    shutil.copyfile(small, p)
    return p


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("name,sql,messages", checks(), ids=[c[0] for c in checks()])
def test_every_invariant_file_is_well_formed(small, name, sql, messages):
    vi, en = messages
    assert "Params:" in sql and "Grain:" in sql, f"{name}.sql: header without Params:/Grain:"
    assert _fields(vi) == _fields(en), f"{name}.sql: the two messages name different columns"
    con = duckdb.connect(str(small), read_only=True)
    try:
        cur = con.execute(sql)
        columns = {d[0] for d in cur.description}
        assert cur.fetchall() == [], f"{name}.sql finds offending rows in the small database"
    finally:
        con.close()
    assert _fields(vi) <= columns, f"{name}.sql: the messages name columns it does not return: {_fields(vi) - columns}"


def test_the_list_of_invariants():
    assert [c[0] for c in checks()] == [
        "derived_ranks_not_1_to_n", "framework_children_sum", "illustrative_in_real", "papi_dimension_sum",
        "par_domains_sum", "province_score_unknown_province", "published_ranks_repeated",
        "published_without_source", "unit_bands_floor"]


def _refused(db, sql: str) -> Rejected:
    def prepare(con):
        con.execute(sql)
        return 1
    before = dbmod.table_fingerprints(db)
    with pytest.raises(Rejected) as e:
        dbmod.commit_new_version(db, prepare, file_name="bad.xlsx", sha=None, kind="test")
    assert dbmod.table_fingerprints(db) == before           # nothing changed
    return e.value


def test_a_repeated_published_rank_is_located(small_copy):
    e = _refused(small_copy, """update province_score set rank = 3, rank_provenance = 'published'
                                where year = 2024 and measure_code = 'total' and province_code in ('01', '12')""")
    (p,) = e.problems
    assert p.text("vi") == ("bad.xlsx: Kiểm tra toàn vẹn thất bại: PAR INDEX năm 2024, chỉ tiêu total: thứ hạng công bố "
                            "3 xuất hiện 2 lần hoặc ngoài khoảng 1–64")
    assert p.text("en") == ("bad.xlsx: Integrity check failed: PAR INDEX 2024, measure total: published rank 3 appears "
                            "2 times or is outside 1–64")


def test_a_score_for_an_unknown_province_is_located(small_copy):
    # 12 (Tiền Giang) is no province of the 34-province list of 2025: it is part of 11
    e = _refused(small_copy, """insert into province_score (index_name, year, province_code, measure_code, score,
                                provenance, source_key) values ('PAR INDEX', 2025, '12', 'total', 50, 'published',
                                'SMALL')""")
    texts = [p.text("vi") for p in e.problems]
    assert ("bad.xlsx: Kiểm tra toàn vẹn thất bại: PAR INDEX năm 2025, chỉ tiêu total: mã tỉnh '12' không có trong "
            "danh sách tỉnh năm đó") in texts


def test_many_offending_rows_are_shown_up_to_a_limit(small_copy):
    # 3 measures × 14 province-years lose their source: 42 rows, the first SHOWN located, then how many more
    e = _refused(small_copy, "update province_score set source_key = null")
    assert len(e.problems) == SHOWN + 1
    assert e.problems[0].text("vi") == ("bad.xlsx: Kiểm tra toàn vẹn thất bại: PAR INDEX năm 2023, tỉnh mã '01', chỉ "
                                        "tiêu 1: số liệu không có nguồn gốc hoặc công bố mà không có nguồn")
    assert e.problems[-1].message("vi") == ("Kiểm tra toàn vẹn thất bại: … và 22 trường hợp khác cùng loại "
                                            "(published_without_source)")
    assert e.problems[-1].message("en") == ("Integrity check failed: … and 22 more of the same kind "
                                            "(published_without_source)")


def test_unit_score_checks_are_counted_in_both_languages(small_copy):
    e = _refused(small_copy, "insert into unit_score select * from unit_score where unit_id = 'DA' and year = 2024")
    (p,) = e.problems
    assert p.message("vi") == "Kiểm tra toàn vẹn thất bại: 3 điểm đơn vị lặp lại (cùng đơn vị, năm và tiêu chí)"
    assert p.message("en") == "Integrity check failed: 3 unit scores repeated (same unit, year and item)"
    assert p.detail == "unit score repeated (same unit, year and item): 3"     # etl.db.invariants, as before


def test_numbers_in_messages_are_written_the_readers_way(small_copy):
    e = _refused(small_copy, """update province_score set score = 45.5
                                where year = 2024 and province_code = '01' and measure_code = '1'""")
    (p,) = e.problems
    assert p.message("vi").endswith("các lĩnh vực cộng lại 75,5, khác tổng điểm 75")
    assert p.message("en").endswith("the domains add up to 75.5, not the total 75")
