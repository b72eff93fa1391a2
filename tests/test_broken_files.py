"""Every data-quality check: a broken file is rejected with a message naming file, sheet, row and
column, through the real CLI, and the database stays byte-for-byte identical."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from openpyxl import Workbook

from etl.__main__ import main
from tests.helpers import LONG_HEADER, long_rows, write_long, write_national, write_table


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def run_cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().out


def assert_rejected(capsys, db: Path, file: Path, *expected: str, kind: str | None = None):
    before = sha(db)
    extra = ["--kind", kind] if kind else []
    code, out = run_cli(capsys, "--db", db, "check", file, *extra)
    assert code == 1, out
    for e in expected:
        assert e in out, f"{e!r} not in:\n{out}"
    code2, out2 = run_cli(capsys, "--db", db, "load", file, *extra)
    assert code2 == 1, out2
    assert "không thay đổi" in out2
    assert sha(db) == before, "a rejected load changed the database file"
    return out


def _rows(db):
    return long_rows(db)


def test_text_in_score(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[3][4] = "đạt"
    f = write_long(tmp_path / "text.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "text.xlsx", "trang 'DiemDonVi'", "dòng 5", "cột E (Thẩm định)",
                    "'đạt' không phải là số")


def test_empty_score(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[0][4] = None
    f = write_long(tmp_path / "empty.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 2", "cột E (Thẩm định)", "Ô điểm bị trống")


def test_score_above_maximum(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[1][4] = 99
    f = write_long(tmp_path / "over.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 3", "cột E (Thẩm định)", "lớn hơn điểm tối đa")


def test_negative_score(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[2][3] = -1
    f = write_long(tmp_path / "neg.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 4", "cột D (Tự chấm)", "nhỏ hơn 0")


def test_unknown_unit_suggests_closest(db_copy, tmp_path, capsys):
    rows = [[("Sở Tư phap" if i == 0 else r[0])] + r[1:] for i, r in enumerate(_rows(db_copy))]
    rows[0][0] = "So Tu phapp"
    f = write_long(tmp_path / "unit.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 2", "Không có đơn vị 'So Tu phapp'", "gần giống: Sở Tư pháp")


def test_unknown_criterion_code(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[0][2] = "1.1.9"
    f = write_long(tmp_path / "code.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 2", "cột C (Mã tiêu chí)", "mã '1.1.9'", "DEPT-2022")


def test_duplicate_rows(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows.append(list(rows[0]))
    f = write_long(tmp_path / "dup.xlsx", rows)
    assert_rejected(capsys, db_copy, f, f"dòng {len(rows) + 1}", "Dòng trùng lặp", "đã có ở dòng 2)")


def test_year_outside_framework(db_copy, tmp_path, capsys):
    rows = [[r[0], 2010] + r[2:] for r in _rows(db_copy)]
    rows = [["Sở Tư pháp"] + r[1:] for r in rows]
    f = write_long(tmp_path / "year.xlsx", rows)
    out = assert_rejected(capsys, db_copy, f, "dòng 2")
    assert "không còn/chưa tồn tại" in out or "ngoài phạm vi bộ tiêu chí" in out


def test_missing_column(db_copy, tmp_path, capsys):
    rows = [r[:4] for r in _rows(db_copy)]
    f = write_long(tmp_path / "nocol.xlsx", rows, header=LONG_HEADER[:4])
    assert_rejected(capsys, db_copy, f, "dòng 1", "Thiếu cột 'Thẩm định'", kind="units")


def test_missing_sheet_or_table(db_copy, tmp_path, capsys):
    wb = Workbook()
    wb.active.title = "GhiChu"
    wb.active.append(["Báo cáo", "không có bảng điểm"])
    f = tmp_path / "nosheet.xlsx"
    wb.save(f)
    assert_rejected(capsys, db_copy, f, "nosheet.xlsx", "bảng", kind="units")


def test_formula_without_cached_value(db_copy, tmp_path, capsys):
    rows = _rows(db_copy)
    rows[0][4] = "=D2*0.9"
    f = write_long(tmp_path / "formula.xlsx", rows)
    assert_rejected(capsys, db_copy, f, "dòng 2", "cột E", "công thức '=D2*0.9'", "chưa có giá trị tính sẵn")


def test_sub_criteria_do_not_sum_to_criterion(db_copy, tmp_path, capsys):
    f = write_table(tmp_path / "bang.xlsx", db_copy, break_sum=True)
    assert_rejected(capsys, db_copy, f, "trang 'Sở Tư pháp'", "cột E (Thẩm định)", "khác điểm tiêu chí")


def test_copied_year(db_copy, tmp_path, capsys):
    # Load 2025 scores, then offer the same values again as another unit-year already loaded: the
    # file repeats the 2025 values under 2025 of the same unit -> compare against the DB's other years.
    good = write_long(tmp_path / "y2025.xlsx", _rows(db_copy))
    assert run_cli(capsys, "--db", db_copy, "load", good)[0] == 0
    import duckdb
    con = duckdb.connect(str(db_copy))
    con.execute("update unit_score set year = 2026 where year = 2025 and unit_id = 'SO-TP-25'")
    con.close()
    f = write_long(tmp_path / "copy.xlsx", _rows(db_copy))
    assert_rejected(capsys, db_copy, f, "trùng hoàn toàn với năm 2026")


def test_unknown_province_national(db_copy, tmp_path, capsys):
    f = write_national(tmp_path / "nat.xlsx", [["PAR INDEX", 2024, None, "Dong Thapp", 88.5, 3] + [None] * 8])
    assert_rejected(capsys, db_copy, f, "dòng 2", "cột tinh", "Không có tỉnh/thành phố 'Dong Thapp'",
                    "gần giống: Đồng Tháp")


def test_national_domains_over_max_and_bad_rank(db_copy, tmp_path, capsys):
    f = write_national(tmp_path / "nat2.xlsx", [
        ["PAR INDEX", 2024, "87", None, 88.5, 0, 12, 9, 13, 9, 13, 9, 14, 9.5],
        ["PAR INDEX", 2024, "87", None, 88.5, 5] + [None] * 8])
    assert_rejected(capsys, db_copy, f, "dòng 2", "cột xep_hang", "Xếp hạng 0", "cột d1",
                    "lớn hơn điểm tối đa 9,5", "dòng 3", "Dòng trùng lặp")


def test_xls_renamed_to_xlsx(db_copy, tmp_path, capsys):
    f = tmp_path / "old.xlsx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    assert_rejected(capsys, db_copy, f, "old.xlsx", ".xls")


def test_password_protected(db_copy, tmp_path, capsys):
    f = tmp_path / "secret.xlsx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le")
                  + b"\0" * 512)
    assert_rejected(capsys, db_copy, f, "secret.xlsx", "mật khẩu")


def test_corrupt_zip(db_copy, tmp_path, capsys):
    good = write_long(tmp_path / "g.xlsx", _rows(db_copy))
    f = tmp_path / "broken.xlsx"
    f.write_bytes(good.read_bytes()[:3000])
    assert_rejected(capsys, db_copy, f, "broken.xlsx", "bị hỏng")


def test_zip_bomb(db_copy, tmp_path, capsys, monkeypatch):
    import etl.files as files
    monkeypatch.setattr(files, "MAX_UNZIPPED_BYTES", 5_000_000)
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * 20_000_000)
    assert f.stat().st_size < 100_000
    assert_rejected(capsys, db_copy, f, "bomb.xlsx", "Tệp nén bất thường")


def test_file_over_size_limit(db_copy, tmp_path, capsys):
    f = tmp_path / "huge.xlsx"
    with open(f, "wb") as h:
        h.truncate(26 * 1024 * 1024)
    assert_rejected(capsys, db_copy, f, "huge.xlsx", "Tệp quá lớn (26 MB)", "giới hạn 25 MB")


def test_not_a_spreadsheet(db_copy, tmp_path, capsys):
    f = tmp_path / "report.pdf"
    f.write_bytes(b"%PDF-1.4 ...")
    assert_rejected(capsys, db_copy, f, "report.pdf", "Không đọc được tệp PDF")   # a PDF is read as an annex
