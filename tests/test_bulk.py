"""Bulk unit scores (CSV or Parquet, unit ids): checked in SQL with record numbers, loaded in one version."""
from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pytest

from etl.bulk import load_bulk
from etl.problems import Rejected
from tests.helpers import LONG_HEADER, long_rows


def _frame(db, unit="SO-TP-25"):
    rows = long_rows(db, share=0.7)
    return pd.DataFrame([[unit] + r[1:] for r in rows], columns=LONG_HEADER)


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_bulk_loads_exactly(db_copy, tmp_path, fmt):
    df = _frame(db_copy)
    f = tmp_path / f"scores.{fmt}"
    df.to_parquet(f) if fmt == "parquet" else df.to_csv(f, index=False)
    assert load_bulk(f, db_copy, user="bench") == len(df)
    con = duckdb.connect(str(db_copy), read_only=True)
    got = con.execute("select count(*), sum(appraised_score), min(provenance) from unit_score "
                      "where unit_id = 'SO-TP-25' and year = 2025").fetchall()[0]
    detail = con.execute("select detail_level from unit_year where unit_id = 'SO-TP-25' and year = 2025").fetchall()
    con.close()
    assert got[0] == len(df) and got[1] == pytest.approx(df["Thẩm định"].sum()) and got[2] == "published"
    assert detail == [("sub_criterion",)]


def test_bulk_refuses_with_record_numbers(db_copy, tmp_path):
    df = _frame(db_copy).astype({"Thẩm định": object})
    df.loc[0, "Đơn vị"] = "KHONG-CO"
    df.loc[1, "Thẩm định"] = "tám"
    df.loc[2, "Thẩm định"] = 99
    df.loc[3, "Mã tiêu chí"] = "9.9.9"
    df = pd.concat([df, df.iloc[[5]]], ignore_index=True)
    f = tmp_path / "bad.csv"
    df.to_csv(f, index=False)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_bulk(f, db_copy)
    text = "\n".join(p.text("vi") for p in e.value.problems)
    for frag in ("bad.csv, dòng 2, cột Đơn vị: Không có đơn vị 'KHONG-CO'",
                 "bad.csv, dòng 3, cột Thẩm định: Giá trị 'tám' không phải là số",
                 "bad.csv, dòng 4, cột Thẩm định: Điểm 99 lớn hơn điểm tối đa",
                 "bad.csv, dòng 5, cột Mã tiêu chí: Không có tiêu chí mã '9.9.9'",
                 f"bad.csv, dòng {len(df) + 1}: Dòng trùng lặp (đã có ở dòng 7)"):
        assert frag in text, text
    assert _sha(db_copy) == before


def test_bulk_missing_column(db_copy, tmp_path):
    f = tmp_path / "x.csv"
    _frame(db_copy).drop(columns=["Năm"]).to_csv(f, index=False)
    with pytest.raises(Rejected) as e:
        load_bulk(f, db_copy)
    assert "Thiếu cột 'Năm'" in e.value.problems[0].text("vi")


@pytest.mark.parametrize("text_scores", [False, True])
def test_bulk_parquet_refuses_with_record_numbers(db_copy, tmp_path, text_scores):
    """Parquet with numeric score columns is read without a round trip through text; text columns as before.
    Either way every refusal names its record."""
    df = _frame(db_copy)
    df.loc[1, "Thẩm định"] = -0.5
    df.loc[2, "Tự chấm"] = 99
    df = pd.concat([df, df.iloc[[5]]], ignore_index=True)
    if text_scores:
        df["Thẩm định"] = [None if pd.isna(v) else str(v) for v in df["Thẩm định"]]
        df.loc[3, "Thẩm định"] = "tám"
    f = tmp_path / "bad.parquet"
    df.to_parquet(f)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_bulk(f, db_copy)
    text = "\n".join(p.text("vi") for p in e.value.problems)
    frags = ["bad.parquet, dòng 3, cột Thẩm định: Điểm -0,5 nhỏ hơn 0",
             "bad.parquet, dòng 4, cột Thẩm định: Điểm 99",
             f"bad.parquet, dòng {len(df) + 1}: Dòng trùng lặp (đã có ở dòng 7)"]
    if text_scores:
        frags.append("bad.parquet, dòng 5, cột Thẩm định: Giá trị 'tám' không phải là số")
    for frag in frags:
        assert frag in text, text
    assert _sha(db_copy) == before


def test_bulk_refuses_a_file_that_changes_during_the_load(db_copy, tmp_path, monkeypatch):
    """A Parquet file is read again by each pass (checks, then the write): replaced after the checks, the load is
    refused and nothing changes, instead of writing rows that were never checked."""
    from etl import db as dbmod
    df = _frame(db_copy)
    f = tmp_path / "scores.parquet"
    df.to_parquet(f)
    real = dbmod._stage

    def swap_after_checks(name):
        if name == "bulk_checked":
            bad = df.copy()
            bad.loc[0, "Thẩm định"] = 99                     # over the maximum: the checks would have refused it
            bad.to_parquet(f)
        real(name)
    monkeypatch.setattr(dbmod, "_stage", swap_after_checks)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_bulk(f, db_copy)
    assert [p.code for p in e.value.problems] == ["file_changed"]
    assert "scores.parquet: Tệp đã thay đổi trong lúc nạp" in e.value.problems[0].text("vi")
    assert _sha(db_copy) == before


def test_bulk_repeats_are_counted_once(db_copy, tmp_path, monkeypatch):
    """The file's check finds repeats with their record numbers (test above); the invariant then leaves the unit-years
    the file wrote to it instead of counting 11.7 M rows again (issue 22 item 5), and still counts any other."""
    from etl import db as dbmod
    scopes = []
    real = dbmod._repeated_scope

    def spy(con, touched):
        scopes.append(real(con, touched))
        return scopes[-1]
    monkeypatch.setattr(dbmod, "_repeated_scope", spy)
    f = tmp_path / "scores.parquet"
    _frame(db_copy).to_parquet(f)
    load_bulk(f, db_copy)
    assert scopes == [None]


@pytest.mark.parametrize("max_slots", [1 << 28, 1])
def test_bulk_finds_a_repeat_in_an_otherwise_good_file(db_copy, tmp_path, monkeypatch, max_slots):
    """A good file but for one repeated row: counted with a bit per (unit, year, sub-criterion) number, or with
    hashes where there would be too many numbers; refused with both record numbers either way."""
    import etl.bulk
    monkeypatch.setattr(etl.bulk, "MAX_SLOTS", max_slots)
    df = _frame(db_copy)
    df = pd.concat([df, df.iloc[[3]]], ignore_index=True)
    f = tmp_path / "lap.parquet"
    df.to_parquet(f)
    with pytest.raises(Rejected) as e:
        load_bulk(f, db_copy)
    assert [p.text("vi") for p in e.value.problems] == [
        f"lap.parquet, dòng {len(df) + 1}: Dòng trùng lặp (đã có ở dòng 5)"], e.value.problems
