"""The Ministry's annex loaded as it arrives: Excel, a PDF printed from it by LibreOffice, and that PDF scanned
(rendered at 150 dpi, turned 0.6°, speckled). Every row is cross-checked before anything is written."""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from etl import ministry_annex as M
from etl.loaders import detect_kind, load_file
from etl.problems import Rejected
from etl.reference import ProvinceResolver
from tests import annexkit as K

TRUTH = K.table("PAR INDEX", 2023)
BY_NAME = {r["name"]: r for r in TRUTH}
BY_CODE = {r["code"]: r for r in TRUTH}
RES = ProvinceResolver()
COLS = [f"d{i}" for i in range(1, 9)] + ["total", "pct", "rank"]


@pytest.fixture(scope="module")
def annexes(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("annex")
    x = K.write_xlsx(d / "phu_luc_par_2023.xlsx", TRUTH)
    pdf = K.to_pdf(x, d)
    scan = K.to_scan(pdf, d / "phu_luc_par_2023_ban_quet.pdf")
    return dict(xlsx=x, pdf=pdf, scan=scan)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _right(line: M.Line) -> bool:
    """Read right: the name resolves to the province printed there (a stray mark beside a name is harmless: the
    resolver reads 'Lai Châu ¬' as Lai Châu) and every number is the printed one."""
    code = RES.code(line.name, 2023)
    t = BY_CODE.get(code)
    return t is not None and all(line.values.get(c) is not None and abs(line.values[c] - t[c]) < 1e-6 for c in COLS)


def _held(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""select province_code, score, rank, provenance, s.title from province_score p
                              join source s using (source_key)
                              where index_name = 'PAR INDEX' and year = 2023 and measure_code = 'total'
                              order by province_code""").fetchall()
    finally:
        con.close()


def test_an_excel_annex_as_printed_loads_whole(annexes, real_copy):
    assert detect_kind(annexes["xlsx"]) == "ministry"          # recognised without naming the kind
    a = M.read(annexes["xlsx"])
    assert (a.index_name, a.year, a.source, a.columns) == ("PAR INDEX", 2023, "excel", COLS)
    assert len(a.lines) == 63 and all(_right(ln) for ln in a.lines) and M.check(a) == []
    out = load_file(annexes["xlsx"], real_copy)
    assert "Đã nạp" in out
    held = _held(real_copy)
    assert len(held) == 63 and {h[3] for h in held} == {"published"}
    assert held[0][4] == "Phụ lục PAR INDEX năm 2023 của Bộ Nội vụ (tệp phu_luc_par_2023.xlsx)"
    hn = next(h for h in held if h[0] == "01")
    assert (hn[1], hn[2]) == (BY_NAME["Hà Nội"]["total"], BY_NAME["Hà Nội"]["rank"])


def test_names_as_printed_and_a_sipas_annex(tmp_path, real_copy):
    names = {"01": "Thành phố Hà Nội", "79": "TP. Hồ Chí Minh", "10": "Tỉnh Lào Cai"}
    a = M.read(K.write_xlsx(tmp_path / "par.xlsx", TRUTH, names=names, regions=False))
    assert M.check(a) == []
    rows = K.table("SIPAS", 2022)
    x = K.write_xlsx(tmp_path / "sipas_2022.xlsx", rows, index_name="SIPAS", year=2022)
    a = M.read(x)
    assert (a.index_name, a.year, a.columns) == ("SIPAS", 2022, [f"d{i}" for i in range(1, 7)] + ["pct", "rank"])
    assert M.check(a) == []
    load_file(x, real_copy)
    con = duckdb.connect(str(real_copy), read_only=True)
    n = con.execute("select count(*), count(distinct measure_code) from province_score where index_name = 'SIPAS' "
                    "and year = 2022").fetchone()
    con.close()
    assert n == (63 * 7, 7)


def test_a_text_pdf_reads_every_row_right(annexes, real_copy):
    a = M.read(annexes["pdf"])
    assert a.source == "pdf" and a.pages >= 2
    assert len(a.lines) == 63 and sum(_right(ln) for ln in a.lines) == 63
    assert M.check(a) == []
    assert all(ln.page and ln.bbox for ln in a.lines)           # each row knows where it is on its page
    img = M.row_image(annexes["pdf"], a.lines[0])
    assert img.size[0] > 5 * img.size[1]                        # a strip: one line of the table
    load_file(annexes["pdf"], real_copy)
    assert len(_held(real_copy)) == 63


@pytest.mark.parametrize("change,code,column", [
    (lambda r: r[0].update(d3=r[0]["d3"] + 1.0), "total_mismatch", "Tổng điểm"),       # a misread domain
    (lambda r: r[1].update(pct=r[1]["pct"] - 0.5), "pct_mismatch", "Chỉ số (%)"),
    (lambda r: r[2].update(rank=r[2]["rank"] % 63 + 1), "rank_order", "Xếp hạng"),
    (lambda r: r[3].update(d1=25.0), "out_of_range", "Lĩnh vực 1"),
    (lambda r: r[4].update(name="Tỉnh Mới Lập"), "unknown_province", "Tỉnh, thành phố"),
    (lambda r: r[5].update(name=r[6]["name"]), "duplicate", "Tỉnh, thành phố"),
])
def test_a_row_that_disagrees_is_located_and_nothing_is_written(tmp_path, real_copy, change, code, column):
    rows = [dict(r) for r in TRUTH]
    change(rows)
    x = K.write_xlsx(tmp_path / "sai.xlsx", rows, regions=False)
    before = _sha(real_copy)
    with pytest.raises(Rejected) as e:
        load_file(x, real_copy)
    hits = [p for p in e.value.problems if p.code == code]
    assert hits and hits[0].column == column and hits[0].row and hits[0].sheet == "Phu luc"
    assert "sai.xlsx" in hits[0].text() and "dòng" in hits[0].text()
    assert _sha(real_copy) == before


def test_a_missing_province_is_named(tmp_path):
    x = K.write_xlsx(tmp_path / "thieu.xlsx", [r for r in TRUTH if r["name"] != "Đồng Tháp"], regions=False)
    a = M.read(x)
    p = [p for p in M.check(a) if p.code == "provinces_missing"]
    assert p and "Đồng Tháp" in p[0].text() and "1 trong 63" in p[0].text()


def test_corrections_in_the_app_make_the_table_loadable(tmp_path, real_copy):
    """The user corrects the flagged cell from the original; the load records what was changed."""
    rows = [dict(r) for r in TRUTH]
    rows[0]["d3"] += 1.0
    x = K.write_xlsx(tmp_path / "sua.xlsx", rows, regions=False)
    a = M.read(x)
    assert [p.code for p in M.check(a)] == ["total_mismatch"]
    grid = a.frame()
    grid.loc[0, "d3"] = TRUTH[0]["d3"]
    lines = M.with_corrections(a, grid)
    assert M.check(a, lines) == []
    b = M.to_batch(a, lines)
    assert any("Lĩnh vực 3" in n and "→" in n for n in b.notes)
    load_file(x, real_copy, batch=b)
    assert len(_held(real_copy)) == 63


def test_a_scan_is_read_by_ocr_and_no_misread_number_gets_in(annexes, real_copy):
    """The scan goes through tesseract (Vietnamese). Whatever it misreads, the cross-checks catch: every line whose
    figures differ from the printed ones is flagged, and the file is refused until corrected."""
    a = M.read(annexes["scan"])
    assert a.source == "ocr" and a.pages >= 2 and a.lines
    problems = M.check(a)
    flagged = {(p.sheet, p.row) for p in problems if p.row}
    wrong = [ln for ln in a.lines if not _right(ln)]
    assert all((ln.sheet, ln.row) in flagged for ln in wrong)        # no misread row passes
    before = _sha(real_copy)
    with pytest.raises(Rejected):
        load_file(annexes["scan"], real_copy)
    assert _sha(real_copy) == before
    print(f"OCR: {len(a.lines)} lines, {len(a.lines) - len(wrong)} right first time, "
          f"{len(wrong)} misread and all flagged, {a.seconds / a.pages:.1f} s/page")


def test_an_unreadable_pdf_is_refused_with_a_message(tmp_path, real_copy):
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage \x00\x01")
    before = _sha(real_copy)
    with pytest.raises(Rejected) as e:
        load_file(bad, real_copy)
    assert "hong.pdf" in str(e.value) and ("PDF" in str(e.value) or "bảng" in str(e.value))
    assert _sha(real_copy) == before


def test_the_admin_review_flags_corrects_and_loads(tmp_path, real_copy):
    """What the admin page runs: the review lists the disagreeing line with why; the corrected grid is checked
    again; the load writes the year with the correction recorded."""
    from ui.admin import face as A
    rows = [dict(r) for r in TRUTH]
    rows[10]["rank"] = rows[11]["rank"]
    x = K.write_xlsx(tmp_path / "xep_hang.xlsx", rows, regions=False)
    rv = A.ministry_review(x)
    assert rv["flagged"] and all("Xếp hạng" in w for i in rv["flagged"] for w in rv["why"][i])
    grid = rv["read"].frame()
    for i in rv["flagged"]:
        grid.loc[i, "rank"] = BY_NAME[grid.loc[i, "name"]]["rank"]
    rv = A.ministry_recheck(rv, grid)
    assert rv["problems"] == [] and rv["flagged"] == []
    out = A.ministry_load(rv, x, real_copy, "admin")
    assert out["ok"] and len(_held(real_copy)) == 63


def test_a_province_the_reading_missed_is_added_and_a_stray_line_removed(tmp_path, real_copy):
    """The grid holds the whole table: the user deletes a line that is not a province and adds the one the reading
    lost; both are recorded with the load."""
    import pandas as pd
    dt = BY_NAME["Đồng Tháp"]
    rows = [r for r in TRUTH if r["name"] != "Đồng Tháp"] + [dict(TRUTH[0], name="Ghi chú đọc nhầm")]
    x = K.write_xlsx(tmp_path / "thieu_dong.xlsx", rows, regions=False)
    a = M.read(x)
    codes = {p.code for p in M.check(a)}
    assert {"provinces_missing", "unknown_province"} <= codes
    grid = a.frame()
    grid = grid[grid.name != "Ghi chú đọc nhầm"]
    grid = pd.concat([grid, pd.DataFrame([dict(name="Đồng Tháp", **{c: dt[c] for c in COLS})])], ignore_index=True)
    lines = M.with_corrections(a, grid)
    assert M.check(a, lines) == []
    b = M.to_batch(a, lines)
    assert any(n.startswith("Đã bỏ") and "Ghi chú đọc nhầm" in n for n in b.notes)
    assert any(n.startswith("Đã thêm dòng: 'Đồng Tháp'") for n in b.notes)
    load_file(x, real_copy, batch=b)
    held = {h[0]: h for h in _held(real_copy)}
    assert len(held) == 63 and held["87"][1:3] == (dt["total"], dt["rank"])
