"""Good files load (replacing exactly what they cover), versions are kept, rejections are logged."""
from __future__ import annotations

import unicodedata

import duckdb

from etl import db as dbmod
from etl.__main__ import main
from tests.helpers import long_rows, write_long, write_national, write_table


def q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def test_unit_long_sheet_loads_with_decimal_commas_and_nfd_names(db_copy, tmp_path, capsys):
    rows = long_rows(db_copy)
    rows = [[unicodedata.normalize("NFD", r[0])] + r[1:] for r in rows]
    rows[0][4] = str(rows[0][4]).replace(".", ",")             # '0,75' typed as text
    f = write_long(tmp_path / "good.xlsx", rows)
    assert main(["--db", str(db_copy), "load", str(f)]) == 0
    assert "Đã nạp" in capsys.readouterr().out
    n, prov = q(db_copy, "select count(*), any_value(provenance) from unit_score where unit_id = 'SO-TP-25' "
                         "and year = 2025")[0]
    assert n == len(rows) and prov == "published"
    # the loaded unit-year replaced the illustrative one, others untouched
    assert q(db_copy, "select count(*) from unit_score where year = 2025 and provenance = 'illustrative' "
                      "and unit_id = 'SO-TP-25'")[0][0] == 0
    assert q(db_copy, "select count(*) from unit_score where year = 2025 and provenance = 'illustrative'")[0][0] > 0
    assert len(dbmod.list_versions(db_copy)) == 1


def test_appraisal_table_layout_loads(db_copy, tmp_path, capsys):
    f = write_table(tmp_path / "bang.xlsx", db_copy, unit="Sở Y tế", year=2025)
    assert main(["--db", str(db_copy), "load", str(f)]) == 0, capsys.readouterr().out
    total = q(db_copy, "select sum(final_score) from unit_scores where unit_id = 'SO-YT-25' and year = 2025 "
                       "and item_depth = 'domain'")[0][0]
    assert 60 < total < 90


def test_national_template_replaces_illustrative_year(db_copy, tmp_path, capsys):
    rows = []
    codes = [r[0] for r in q(db_copy, "select province_code from province where scheme = 'p63' "
                                      "and valid_to_year = 2024 order by province_code")]
    for i, code in enumerate(codes):
        rows.append(["PAR INDEX", 2024, code, None, f"{95 - i * 0.1:.2f}".replace(".", ","), i + 1] + [None] * 8)
    f = write_national(tmp_path / "par2024.xlsx", rows)
    assert main(["--db", str(db_copy), "load", str(f)]) == 0, capsys.readouterr().out
    prov = q(db_copy, "select provenance, count(*) from province_score where index_name = 'PAR INDEX' "
                      "and year = 2024 group by 1")
    assert prov == [("published", 63)]
    assert q(db_copy, "select score, rank from province_score where index_name = 'PAR INDEX' and year = 2024 "
                      "and province_code = '01'")[0] == (95.0, 1)


def test_rejection_is_logged_and_synced(db_copy, tmp_path, capsys):
    rows = long_rows(db_copy)
    rows[0][4] = "x9"
    bad = write_long(tmp_path / "bad.xlsx", rows)
    assert main(["--db", str(db_copy), "load", str(bad)]) == 1
    assert dbmod.journal_path(db_copy).exists()
    good = write_long(tmp_path / "good.xlsx", long_rows(db_copy))
    assert main(["--db", str(db_copy), "load", str(good)]) == 0
    results = [r[0] for r in q(db_copy, "select result from load_log order by load_id")]
    assert results[0] == "built" and results[-2:] == ["rejected", "loaded"]   # earlier builds of this path may precede


def test_rollback_restores_previous_content(db_copy, tmp_path, capsys):
    before = dbmod.table_fingerprints(db_copy)
    good = write_long(tmp_path / "good.xlsx", long_rows(db_copy))
    assert main(["--db", str(db_copy), "load", str(good)]) == 0
    assert dbmod.table_fingerprints(db_copy) != before
    version = dbmod.list_versions(db_copy)[0]
    assert main(["--db", str(db_copy), "rollback", str(version)]) == 0
    assert dbmod.table_fingerprints(db_copy) == before


def test_papi_workbook_with_copied_sheets_is_rejected_then_loads_chosen_years(db_copy, capsys):
    from etl.build import PAPI_B
    assert main(["--db", str(db_copy), "check", str(PAPI_B)]) == 1
    out = capsys.readouterr().out
    assert "trang '2020'" in out and "trùng hoàn toàn với năm 2019" in out
    assert main(["--db", str(db_copy), "check", str(PAPI_B), "--years", "2022,2023"]) == 0


def test_templates_are_written(db_copy, tmp_path):
    from openpyxl import load_workbook
    out = tmp_path / "mau.xlsx"
    assert main(["--db", str(db_copy), "template", "units", str(out), "--level", "district", "--year", "2024"]) == 0
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:3] == ["Đơn vị", "Năm", "Mã tiêu chí"]
    assert ws.max_row == 1 + 12 * 81
