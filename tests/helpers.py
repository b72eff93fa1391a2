"""Small real-looking files for reader tests, written in code (good and broken variants)."""
from __future__ import annotations

from pathlib import Path

import duckdb
from openpyxl import Workbook


def framework_leaves(db: Path, framework_id: str) -> list[tuple[str, float, bool]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [(c, m, s) for c, m, s in con.execute(
            "select code, max_points, is_survey from framework_item where framework_id = $f "
            "and depth = 'sub_criterion' order by sort_order", {"f": framework_id}).fetchall()]
    finally:
        con.close()


def long_rows(db: Path, unit: str = "Sở Tư pháp", year: int = 2025, framework_id: str = "DEPT-2022",
              share: float = 0.8) -> list[list]:
    rows = []
    for code, mx, survey in framework_leaves(db, framework_id):
        v = round(mx * share * 4) / 4
        rows.append([unit, year, code, None if survey else min(mx, v + 0.25), None if survey else v,
                     v if survey else None])
    return rows


LONG_HEADER = ["Đơn vị", "Năm", "Mã tiêu chí", "Tự chấm", "Thẩm định", "Điều tra"]


def write_long(path: Path, rows: list[list], header=LONG_HEADER, sheet="DiemDonVi") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def write_table(path: Path, db: Path, unit: str = "Sở Tư pháp", year: int = 2025, framework_id: str = "DEPT-2022",
                break_sum: bool = False) -> Path:
    """One sheet per unit, as appraisal tables are printed: title rows, then 1 / 1.1 / 1.1.1 rows."""
    con = duckdb.connect(str(db), read_only=True)
    items = con.execute("select code, depth, name_vi, max_points, is_survey from framework_item "
                        "where framework_id = $f order by sort_order", {"f": framework_id}).fetchall()
    con.close()
    leaf = {c: (round(m * 0.75 * 4) / 4) for c, d, n, m, s in items if d == "sub_criterion"}
    wb = Workbook()
    ws = wb.active
    ws.title = unit[:31]
    ws.append([f"BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM {year}"])
    ws.append([f"Đơn vị: {unit}"])
    ws.append([])
    ws.append(["STT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Điều tra"])
    for code, depth, name, mx, survey in items:
        if depth == "sub_criterion":
            v = leaf[code]
            ws.append([code, name, mx, None if survey else v, None if survey else v, v if survey else None])
        else:
            s = sum(v for k, v in leaf.items() if k.startswith(code + "."))
            if break_sum and code == "1.1":
                s += 1
            ws.append([code, name, mx, None, s, None])
    wb.save(path)
    return path


def write_national(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "KetQua"
    ws.append(["chi_so", "nam", "ma_tinh", "tinh", "tong_diem", "xep_hang"] + [f"d{i}" for i in range(1, 9)])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run_page(page: str, lang: str | None = None, **params):
    """AppTest of one page of app.py, opened with these URL parameters; fails on any exception."""
    from streamlit.testing.v1 import AppTest
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    for k, v in params.items():
        at.query_params[k] = str(v)
    at.run()
    if page != "home":      # the default page: app.py opens it (switching to it runs the page file without app.py)
        at.switch_page(f"app_pages/{page}.py")
        at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def home_codes(con) -> list[str]:
    """The home province's codes (and those merged with it): the databases also hold other provinces' published
    unit tables, which a home file never names."""
    import queries
    return queries.run(con, "home_unit_codes").province_code.tolist()


def annex_units(db: Path, level: str = "department", year: int = 2018) -> list[tuple[str, str, list[float]]]:
    """(unit name, unit id, its domain maxima) for the units of a level valid in a year."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        fw = con.execute("select framework_id from framework where level = $l and year_from <= $y "
                         "and (year_to is null or year_to >= $y)", {"l": level, "y": year}).fetchone()[0]
        maxima = [m for (m,) in con.execute("select max_points from framework_item where framework_id = $f "
                                            "and depth = 'domain' order by sort_order", {"f": fw}).fetchall()]
        units = con.execute("select name_vi, unit_id from unit where level = $l and valid_from_year <= $y "
                            "and (valid_to_year is null or valid_to_year >= $y) "
                            "and list_contains($home, province_code) order by name_vi",
                            {"l": level, "y": year, "home": home_codes(con)}).fetchall()
    finally:
        con.close()
    return [(n, u, maxima) for n, u in units]


def write_annex(path: Path, db: Path, level: str = "department", year: int = 2018, percent: bool = False,
                two_row_header: bool = True, mark_unit: bool = True, edit=None, sheet: str | None = None,
                names=None) -> Path:
    """An annex as a People's Committee decision prints it: title rows, a merged 'Điểm các lĩnh vực' header
    over numbered domain columns, a numbering row, then one row per unit and a footer."""
    units = annex_units(db, level, year)
    maxima = units[0][2]
    n = len(maxima)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet or f"Nam {year}"
    who = {"department": "các sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}[level]
    ws.append([f"PHỤ LỤC: KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {who.upper()}"])
    ws.append(["(Kèm theo Quyết định số 123/QĐ-UBND của Ủy ban nhân dân tỉnh)"])
    ws.append([])
    unit_mark = " (%)" if percent and mark_unit else (" (điểm)" if mark_unit else "")
    head = ["STT", "Tên đơn vị"]
    if two_row_header:
        ws.append(head + [f"Điểm các lĩnh vực{unit_mark}"] + [None] * (n - 1) + ["Tổng điểm", "Chỉ số (%)", "Xếp hạng",
                                                                              "Xếp loại"])
        ws.append([None, None] + list(range(1, n + 1)) + [None] * 4)
        hr = ws.max_row - 1
        ws.merge_cells(start_row=hr, start_column=3, end_row=hr, end_column=2 + n)
        for col in (1, 2, 3 + n, 4 + n, 5 + n, 6 + n):
            ws.merge_cells(start_row=hr, start_column=col, end_row=hr + 1, end_column=col)
    else:
        ws.append(head + [f"Lĩnh vực {i}{unit_mark}" for i in range(1, n + 1)] + ["Tổng điểm", "Chỉ số (%)",
                                                                                   "Xếp hạng", "Xếp loại"])
    ws.append([f"({i})" for i in range(1, n + 7)])
    rows = []
    for i, (name, _, mx) in enumerate(units):
        share = 0.95 - 0.02 * i
        pts = [round(m * share, 2) for m in mx]
        total = round(sum(pts), 2)
        rows.append([i + 1, (names or {}).get(name, name)] + ([round(100 * share, 2)] * n if percent else pts)
                    + [total, round(100 * total / sum(mx), 2), i + 1,
                       "Tốt" if share >= 0.9 else "Khá" if share >= 0.8 else "Trung bình"])
    if edit:
        edit(rows)
    for r in rows:
        ws.append(r)
    ws.append([None, "Người lập biểu"])
    wb.save(path)
    return path
