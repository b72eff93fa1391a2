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
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at
