"""Hostile unit names (issue 23), loaded through the real loaders into a copy of a database: the yearly results
annexes of 2023 and 2024 with new-unit creation (as a province's office would load them on the admin page), then
2025 unit scores by criterion for three of them (so that the criteria, appraisal and targets pages show them).

Each name is something a renderer could read as markup: Markdown images and links, plotly's HTML subset, a
script, emphasis, a spreadsheet formula, a table pipe, backticks, maths, Streamlit's icon and colour codes, a line
break, 300 characters. `OTHER` is an origin that is not the app's: any request to it means a name was rendered."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from etl.loaders import load_file
from etl.text import nfc
from tests.helpers import annex_units, long_rows, write_annex, write_long

OTHER = "http://127.0.0.2:8999"
LONG = ("Sở Tên Rất Dài " + "gồm nhiều chữ để thử một tên ba trăm ký tự " * 8)[:299] + "."
HOSTILE = [
    f"![x]({OTHER}/pixel.png) Sở Ảnh",
    f"[Bấm vào đây để đăng nhập lại]({OTHER}/phish)",
    f'<a href="{OTHER}/plotly-link">Sở Bấm</a>',
    '<a href="javascript:alert(3)">Sở JS</a>',
    "**đậm** _nghiêng_ <b>b</b> Sở Định dạng",
    "<script>alert(1)</script> Sở Kịch bản",
    f'=HYPERLINK("{OTHER}/formula","Sở Công thức")',
    "Sở Ống | Dẫn | nước",
    "Sở `mã` lệnh",
    "Sở Toán $x^2$ học",
    ":material/home: Sở Biểu tượng",
    ":red[đỏ] Sở Màu",
    "Sở Dòng\nmới",
    LONG,
]
# what the app stores and shows for each (a name is one line: runs of spaces and line breaks are one space)
SHOWN = [nfc(n) for n in HOSTILE]
# the first three get criterion scores for 2025 (self-assessed and appraised)
WITH_CRITERIA = [0, 4, 10]


def _as_text(path: Path) -> Path:
    """openpyxl writes a string starting with '=' as a formula: store the formula-looking name as text, as a
    spreadsheet does for a cell typed with a leading apostrophe."""
    wb = load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    wb.save(path)
    return path


def load_hostile(db: Path, work: Path) -> dict[str, str]:
    """Load the hostile names into `db` (a copy); returns {shown name: unit id}."""
    import duckdb
    units = annex_units(db, "department", 2023)
    names = {units[i][0]: HOSTILE[i] for i in range(len(HOSTILE))}
    f23 = _as_text(write_annex(work / "phu_luc_2023.xlsx", db, "department", 2023, names=names))
    load_file(f23, db, kind="annex", create_units=True)

    def fall(rows):
        """2024: the units of 2023 (the renamed ones are now separate units without scores), in reverse order:
        the names ranked first in 2023 fall furthest."""
        rows[:] = [r for r in rows if r[1] not in names]
        col = [r[1] for r in rows]
        for i, (r, n) in enumerate(zip(rows, reversed(col))):
            r[0], r[1], r[-2] = i + 1, n, i + 1
    f24 = _as_text(write_annex(work / "phu_luc_2024.xlsx", db, "department", 2024, edit=fall))
    load_file(f24, db, kind="annex", create_units=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = dict(con.execute("select name_vi, unit_id from unit where list_contains($n, name_vi)",
                               {"n": SHOWN}).fetchall())
    finally:
        con.close()
    rows = [r for k, i in enumerate(WITH_CRITERIA) for r in long_rows(db, unit=SHOWN[i], year=2025, share=0.6 + 0.1 * k)]
    load_file(write_long(work / "diem_2025.xlsx", rows), db)
    return ids
