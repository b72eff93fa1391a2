"""A corpus of bad input files, written in code (so each one is reviewable and none is a binary blob in git).

Each entry: (id, builder(tmp_path, db) -> file, the loader kind or None to detect it, the fragments its
Vietnamese message must contain: file, sheet, row, column and what is wrong)."""
from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook

from tests.helpers import LONG_HEADER, long_rows, write_long, write_national

UNIT = "Sở Tư pháp"


def _long(tmp: Path, db: Path, name: str, edit=None, header=LONG_HEADER, sheet="DiemDonVi") -> Path:
    rows = long_rows(db)
    if edit:
        edit(rows)
    return write_long(tmp / name, rows, header=header, sheet=sheet)


def _set(i: int, j: int, v):
    def edit(rows):
        rows[i][j] = v
    return edit


def _renamed_columns(tmp, db):
    return _long(tmp, db, "renamed.xlsx", header=["Đơn vị", "Năm", "Mã", "Điểm tự chấm", "Điểm HĐ", "Điều tra"])


def _merged_header(tmp, db):
    f = _long(tmp, db, "merged.xlsx")
    from openpyxl import load_workbook
    wb = load_workbook(f)
    ws = wb.active
    ws.insert_rows(1)
    ws["D1"] = "Điểm"
    ws.merge_cells("D1:F1")
    ws.merge_cells("D2:E2")
    wb.save(f)
    return f


def _nfd_near_miss(tmp, db):
    near = unicodedata.normalize("NFD", "Sở Tư phá")          # NFD diacritics and one letter missing

    def edit(rows):
        for r in rows:
            r[0] = near
    return _long(tmp, db, "nfd_near.xlsx", edit)


def _empty_sheets(tmp, db):
    wb = Workbook()
    wb.active.title = "DiemDonVi"
    wb.create_sheet("Trang2")
    f = tmp / "empty_sheets.xlsx"
    wb.save(f)
    return f


def _header_only(tmp, db):
    return write_long(tmp / "header_only.xlsx", [])


def _million_rows(tmp, db):
    """A real 1,000,001-row sheet, written as sheet XML directly (openpyxl would take minutes)."""
    f = tmp / "million.xlsx"
    n = 1_000_001
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:C{n}"/><sheetData>')
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Sở Tư pháp</t></is></c><c r="B{i}"><v>2025</v></c>'
                   f'<c r="C{i}"><v>1</v></c></row>' for i in range(1, n + 1))
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", head + rows + "</sheetData></worksheet>")
    return f


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="DiemDonVi" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>')


def _entity_bomb(tmp, db):
    f = tmp / "laughs.xlsx"
    ents = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{ents}]>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return f


def _zip_bomb(tmp, db):
    """Expands to 450 MB of zeros from a ~440 KB file: refused from the zip index, before decompressing."""
    f = tmp / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("xl/workbook.xml", _WB)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            block = b"\0" * (1 << 20)
            for _ in range(450):
                w.write(block)
    return f


def _ods_renamed(tmp, db):
    f = tmp / "calc.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return f


def _bytes(name: str, data: bytes):
    def build(tmp, db):
        f = tmp / name
        f.write_bytes(data)
        return f
    return build


def _csv(name: str, text: str, encoding: str = "utf-8"):
    def build(tmp, db):
        f = tmp / name
        f.write_bytes(text.encode(encoding))
        return f
    return build


def _csv_rows(db: Path, edit=None) -> str:
    rows = long_rows(db)
    if edit:
        edit(rows)
    out = [",".join(LONG_HEADER)]
    for r in rows:
        out.append(",".join("" if v is None else f'"{v}"' if isinstance(v, str) and "," in v else str(v) for v in r))
    return "\n".join(out) + "\n"


def _csv_built(name: str, edit=None, encoding="utf-8"):
    def build(tmp, db):
        f = tmp / name
        f.write_bytes(_csv_rows(db, edit).encode(encoding))
        return f
    return build


def _wrong_template(tmp, db):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Họ và tên", "Ngày sinh", "Quê quán"])
    ws.append(["Nguyễn Văn A", "01/01/1980", "Đồng Tháp"])
    f = tmp / "danh_sach_can_bo.xlsx"
    wb.save(f)
    return f


def _national(name: str, rows: list[list]):
    def build(tmp, db):
        return write_national(tmp / name, rows)
    return build


def _district_2025(tmp, db):
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    name = con.execute("select name_vi from unit where level = 'district' and valid_to_year = 2024 limit 1").fetchone()[0]
    con.close()

    def edit(rows):
        for r in rows:
            r[0] = name
    return _long(tmp, db, "district_2025.xlsx", edit)


N8 = [None] * 8

# (id, builder, kind, fragments)
CORPUS = [
    ("wrong_template", _wrong_template, None, ["danh_sach_can_bo.xlsx", "Không nhận ra loại tệp"]),
    ("wrong_template_as_units", _wrong_template, "units", ["danh_sach_can_bo.xlsx", "bảng"]),
    ("renamed_columns", _renamed_columns, "units", ["renamed.xlsx", "dòng 1", "Thiếu cột"]),
    ("missing_column", lambda tmp, db: write_long(tmp / "nocol.xlsx", [[r[0]] + r[2:] for r in long_rows(db)],
                                                   header=[LONG_HEADER[0]] + LONG_HEADER[2:]), "units",
     ["nocol.xlsx", "dòng 1", "cần dòng tiêu đề ghi 'Năm 2024'"]),
    ("merged_header", _merged_header, "units", ["merged.xlsx", "dòng 2", "Ô tiêu đề bị gộp (merged: D1:F1, D2:E2)"]),
    ("text_in_score", lambda tmp, db: _long(tmp, db, "text.xlsx", _set(0, 4, "tám")), None,
     ["text.xlsx", "dòng 2", "cột E", "'tám' không phải là số"]),
    ("na_in_score", lambda tmp, db: _long(tmp, db, "na.xlsx", _set(3, 3, "N/A")), None,
     ["na.xlsx", "dòng 5", "cột D", "'N/A' không phải là số"]),
    ("decimal_comma_over_max", lambda tmp, db: _long(tmp, db, "comma.xlsx", _set(0, 4, "8,5")), None,
     ["comma.xlsx", "dòng 2", "cột E", "Điểm 8,5 lớn hơn điểm tối đa 0,75"]),
    ("thousands_separator", lambda tmp, db: _long(tmp, db, "thousands.xlsx", _set(0, 4, "1.234,5")), None,
     ["thousands.xlsx", "dòng 2", "cột E", "'1.234,5' không phải là số"]),
    ("over_max", lambda tmp, db: _long(tmp, db, "over.xlsx", _set(1, 4, 99)), None,
     ["over.xlsx", "dòng 3", "cột E", "lớn hơn điểm tối đa"]),
    ("negative", lambda tmp, db: _long(tmp, db, "neg.xlsx", _set(2, 3, -0.5)), None,
     ["neg.xlsx", "dòng 4", "cột D", "nhỏ hơn 0"]),
    ("duplicate_rows", lambda tmp, db: _long(tmp, db, "dup.xlsx", lambda rows: rows.append(list(rows[0]))), None,
     ["dup.xlsx", "dòng 70", "Dòng trùng lặp (đã có ở dòng 2)"]),
    ("unknown_unit_near_miss_nfd", _nfd_near_miss, None, ["nfd_near.xlsx", "dòng 2", "cột A", "Không có đơn vị", "Sở Tư pháp"]),
    ("unknown_unit", lambda tmp, db: _long(tmp, db, "unit.xlsx", lambda rows: [r.__setitem__(0, "Sở Vũ trụ") for r in rows]),
     None, ["unit.xlsx", "dòng 2", "cột A", "Không có đơn vị 'Sở Vũ trụ'"]),
    ("missing_sub_criterion", lambda tmp, db: _long(tmp, db, "missing.xlsx", lambda rows: rows.pop(0)), None,
     ["missing.xlsx", "trang 'DiemDonVi', dòng 2", "Sở Tư pháp' năm 2025 thiếu tiêu chí thành phần 1.1.1"]),
    ("parent_code_instead_of_leaf", lambda tmp, db: _long(tmp, db, "parent.xlsx", _set(0, 2, 1)), None,
     ["parent.xlsx", "thiếu tiêu chí thành phần 1.1.1"]),
    ("unknown_criterion", lambda tmp, db: _long(tmp, db, "code.xlsx", _set(0, 2, "9.9.9")), None,
     ["code.xlsx", "dòng 2", "cột C", "Không có tiêu chí mã '9.9.9'"]),
    ("year_as_text", lambda tmp, db: _long(tmp, db, "year.xlsx", lambda rows: [r.__setitem__(1, "năm 2025") for r in rows]),
     None, ["year.xlsx", "dòng 2", "cột B", "Năm 'năm 2025' không hợp lệ"]),
    ("year_without_framework", lambda tmp, db: _long(tmp, db, "y1990.xlsx", lambda rows: [r.__setitem__(1, 1990) for r in rows]),
     None, ["y1990.xlsx", "1990"]),
    ("unit_not_in_year", _district_2025, None, ["district_2025.xlsx", "dòng 2", "2025"]),
    ("empty_sheets", _empty_sheets, "units", ["empty_sheets.xlsx"]),
    ("header_only", _header_only, "units", ["header_only.xlsx", "không có dòng dữ liệu"]),
    ("million_rows", _million_rows, "units", ["million.xlsx", "trang 'DiemDonVi'", "Quá nhiều dòng (1.000.001); giới hạn 200.000"]),
    ("formula_no_cached_value", lambda tmp, db: _long(tmp, db, "formula.xlsx", _set(0, 4, "=D2*0.9")), None,
     ["formula.xlsx", "dòng 2", "cột E", "chưa có giá trị tính sẵn"]),
    ("xls_renamed", _bytes("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096), None, ["old.xlsx", ".xls"]),
    ("ods_renamed", _ods_renamed, None, ["calc.xlsx", ".ods"]),
    ("corrupt_zip", _bytes("broken.xlsx", b"PK\x03\x04" + b"\x14\x00" * 400), None, ["broken.xlsx", "bị hỏng"]),
    ("not_zip_named_xlsx", _bytes("text.xlsx", "Điểm,2025\n".encode()), None, ["text.xlsx", "bị hỏng"]),
    ("entity_bomb", _entity_bomb, "units", ["laughs.xlsx", "khai báo XML (DTD/entity) không được phép"]),
    ("zip_bomb", _zip_bomb, None, ["bomb.xlsx", "Tệp nén bất thường"]),
    ("password_protected", _bytes("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                                  + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512), None, ["secret.xlsx", "mật khẩu"]),
    ("over_size_limit", lambda tmp, db: _sparse(tmp / "huge.xlsx", 30 * 1024 * 1024), None,
     ["huge.xlsx", "Tệp quá lớn (30 MB); giới hạn 25 MB"]),
    ("empty_file", _bytes("empty.csv", b""), "units", ["empty.csv"]),
    ("pdf", _bytes("report.pdf", b"%PDF-1.4 ..."), None, ["report.pdf", "Không đọc được tệp PDF"]),
    ("csv_not_utf8", _csv_built("latin.csv", encoding="utf-16"), "units", ["latin.csv", "UTF-8"]),
    ("csv_text_in_score", _csv_built("bad.csv", _set(0, 4, "tám")), "units", ["bad.csv", "dòng 2", "'tám' không phải là số"]),
    ("national_unknown_province", _national("nat_prov.xlsx", [["PAR INDEX", 2024, None, "Đồng Thap tỉnh", 88.5, 3] + N8]),
     None, ["nat_prov.xlsx", "dòng 2", "cột tinh", "Không có tỉnh/thành phố"]),
    ("national_duplicate", _national("nat_dup.xlsx", [["PAR INDEX", 2024, "87", None, 88.5, 3] + N8,
                                                      ["PAR INDEX", 2024, "87", None, 88.5, 3] + N8]),
     None, ["nat_dup.xlsx", "dòng 3", "Dòng trùng lặp"]),
    ("national_rank_too_big", _national("nat_rank.xlsx", [["PAR INDEX", 2024, "87", None, 88.5, 64] + N8]), None,
     ["nat_rank.xlsx", "dòng 2", "cột xep_hang", "Xếp hạng 64 không hợp lệ (1–63)"]),
    ("national_total_over_100", _national("nat_total.xlsx", [["PAR INDEX", 2024, "87", None, 188.5, 3] + N8]), None,
     ["nat_total.xlsx", "dòng 2", "cột tong_diem", "Giá trị 188,5 ngoài khoảng hợp lệ 0–100"]),
    ("national_unknown_index", _national("nat_idx.xlsx", [["PCII", 2024, "87", None, 88.5, 3] + N8]), None,
     ["nat_idx.xlsx", "dòng 2", "cột chi_so", "'PCII'"]),
    ("html_in_province_name", _national("nat_html.xlsx", [["PAR INDEX", 2024, None, "<script>alert(1)</script>", 88.5, 3] + N8]),
     None, ["nat_html.xlsx", "dòng 2", "cột tinh", "Không có tỉnh/thành phố '<script>alert(1)</script>'"]),
    ("sql_in_unit_name", lambda tmp, db: _long(tmp, db, "sql.xlsx", lambda rows: [r.__setitem__(0, "x'; DROP TABLE unit_score; --") for r in rows]),
     None, ["sql.xlsx", "dòng 2", "cột A", "Không có đơn vị 'x'; DROP TABLE unit_score; --'"]),
]


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


# Files that look odd but are right: they must load, exactly.
GOOD_VARIANTS = [
    ("nfd_names", lambda tmp, db: _long(tmp, db, "nfd.xlsx", lambda rows: [r.__setitem__(0, unicodedata.normalize("NFD", r[0]))
                                                                         for r in rows])),
    ("decimal_comma", lambda tmp, db: _long(tmp, db, "comma_ok.xlsx",
                                            lambda rows: [r.__setitem__(4, str(r[4]).replace(".", ",")) for r in rows
                                                          if isinstance(r[4], float)])),
    ("csv_with_bom", lambda tmp, db: _bytes("bom.csv", b"\xef\xbb\xbf" + _csv_rows(db).encode())(tmp, db)),
    ("extra_spaces_and_case", lambda tmp, db: _long(tmp, db, "spaces.xlsx",
                                                    lambda rows: [r.__setitem__(0, "  sở tư  PHÁP ") for r in rows])),
]
