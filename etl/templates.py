"""Blank templates users fill in: national results (PAR INDEX/SIPAS) and unit scores (from the framework)."""
from __future__ import annotations

from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

import queries
from etl.national import TEMPLATE_COLUMNS

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws, cols):
    ws.append(cols)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
    ws.freeze_panes = "A2"
    for i, _ in enumerate(cols, 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 16


def template_bytes(kind: str, db: Path, level: str = "department", year: int = 2025) -> bytes:
    """The same template as bytes, for a download button."""
    import io
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        out = write_template(kind, Path(d) / "t.xlsx", db, level=level, year=year)
        return io.BytesIO(out.read_bytes()).getvalue()


def write_template(kind: str, output: Path, db: Path, level: str = "department", year: int = 2025) -> Path:
    wb = Workbook()
    ws = wb.active
    if kind == "national":
        ws.title = "KetQua"
        _header(ws, TEMPLATE_COLUMNS)
        ws.append(["PAR INDEX", year, "01", "Hà Nội", None, None] + [None] * 8)
        notes = wb.create_sheet("HuongDan")
        for line in ["chi_so: PAR INDEX hoặc SIPAS", "nam: năm đánh giá (không phải năm công bố)",
                     "ma_tinh: mã GSO 2 chữ số (01 … 96) hoặc để trống và ghi tên ở cột tinh",
                     "tong_diem: điểm tổng 0–100 (%)", "xep_hang: thứ hạng (1 … 63; 1 … 34 từ 2025)",
                     "d1 … d8: điểm các lĩnh vực (PAR INDEX, điểm) hoặc các yếu tố (SIPAS, %)",
                     "Số thập phân dùng dấu phẩy (85,63) hoặc dấu chấm (85.63) đều được."]:
            notes.append([line])
    else:
        con = duckdb.connect(str(db), read_only=True)
        try:
            fw = con.execute("""select framework_id from framework where level = $l and year_from <= $y
                                and (year_to is null or year_to >= $y)""", {"l": level, "y": year}).fetchone()
            if not fw:
                raise SystemExit(f"Không có bộ tiêu chí cho cấp {level} năm {year}")
            items = con.execute("""select code, name_vi, max_points, is_survey from framework_item
                                   where framework_id = $f and depth = 'sub_criterion' order by sort_order""",
                                {"f": fw[0]}).fetchall()
            # the home province's units (and those merged with it), not other provinces' published tables
            home = queries.run(con, "home_unit_codes").province_code.tolist()
            units = con.execute("""select name_vi from unit where level = $l and valid_from_year <= $y
                                   and (valid_to_year is null or valid_to_year >= $y)
                                   and (len($home) = 0 or province_code is null or list_contains($home, province_code))
                                   order by name_vi""", {"l": level, "y": year, "home": home}).fetchall()
        finally:
            con.close()
        ws.title = "DiemDonVi"
        _header(ws, ["Đơn vị", "Năm", "Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định",
                     "Điều tra"])
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["D"].width = 50
        for (u,) in units:
            for code, name, mx, survey in items:
                ws.append([u, year, code, name, mx, None, None, None])
    output.parent.mkdir(parents=True, exist_ok=True)
    wb.save(output)
    return output
