"""Annexes built the way the Ministry prints them, for the tests of etl/ministry_annex.py: a workbook with title rows,
a two-row merged header, a numbering row, region headings and a footer (openpyxl); the same as a PDF (LibreOffice,
as a Department would print it to PDF); and that PDF as a scan (rendered, rotated, noisy, at a lower resolution).

The figures are made up here, consistent by construction (domains sum to the total, ranks follow the scores):
test data built in code, never shipped as data."""
from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from etl.national import measures_for
from etl.reference import ProvinceResolver

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def table(index_name: str = "PAR INDEX", year: int = 2023, seed: int = 7) -> list[dict]:
    """One row per province in force: domains (points, two decimals) within their maxima, total = their sum, the
    index (%) = the total, the rank by the index (ties share)."""
    rnd = random.Random(seed)
    m = measures_for(index_name, year)
    doms = [(r.measure_code, float(r.max_score)) for r in m.itertuples() if r.measure_code != "total"]
    rows = []
    for code, name in sorted(ProvinceResolver().provinces(year).items()):
        q = rnd.uniform(0.72, 0.95)
        d = {f"d{c}": round(mx * min(1.0, q + rnd.uniform(-0.08, 0.05)), 2) for c, mx in doms}
        if index_name == "PAR INDEX":
            total = round(sum(d.values()), 2)
            rows.append(dict(code=code, name=name, **d, total=total, pct=total))
        else:
            pct = round(sum(d.values()) / len(d), 2)
            rows.append(dict(code=code, name=name, **d, pct=pct))
    key, seen = "pct", set()
    for r in rows:                 # no ties (the database refuses repeated published ranks; see etl.db.invariants)
        while r[key] in seen:
            r[key] = round(r[key] + 0.01, 2)
            if index_name == "PAR INDEX":
                r["d1"] = round(r["d1"] + 0.01, 2)
                r["total"] = r[key]
        seen.add(r[key])
    for r in rows:
        r["rank"] = 1 + sum(1 for o in rows if o[key] > r[key])
    return rows


def write_xlsx(path: Path, rows: list[dict], index_name: str = "PAR INDEX", year: int = 2023,
               names: dict[str, str] | None = None, regions: bool = True) -> Path:
    """The annex as the Ministry lays it out. `names` replaces some printed names (code -> text)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phu luc"
    doms = [k for k in rows[0] if k.startswith("d")]
    par = index_name == "PAR INDEX"
    cols = ["TT", "Tỉnh, thành phố"] + [k[1:] for k in doms] + (["Tổng điểm", "Chỉ số (%)"] if par else
                                                               ["Chỉ số hài lòng (%)"]) + ["Xếp hạng"]
    n = len(cols)
    what = "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH" if par else "CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)"
    for text in ("BỘ NỘI VỤ", "Phụ lục II", f"KẾT QUẢ {what} NĂM {year}",
                 "CỦA CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
                 "(Kèm theo Quyết định số 123/QĐ-BNV ngày 15 tháng 5 năm 2024 của Bộ trưởng Bộ Nội vụ)"):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=n)
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    h1 = ws.max_row + 1
    group = "Điểm các lĩnh vực" if par else "Các yếu tố (%)"
    ws.append(["TT", "Tỉnh, thành phố", group] + [None] * (len(doms) - 1) + cols[2 + len(doms):])
    ws.append([None, None] + [k[1:] for k in doms] + [None] * (n - 2 - len(doms)))
    ws.merge_cells(start_row=h1, start_column=3, end_row=h1, end_column=2 + len(doms))
    for j in [1, 2] + list(range(3 + len(doms), n + 1)):
        ws.merge_cells(start_row=h1, start_column=j, end_row=h1 + 1, end_column=j)
    ws.append([f"({i})" for i in range(1, n + 1)])
    by_region: dict[str, list[dict]] = {}
    res = ProvinceResolver()
    region_of = _regions()
    for r in rows:
        by_region.setdefault(region_of.get(r["code"], "") if regions else "", []).append(r)
    i = 0
    for region, rs in by_region.items():
        if region:
            ws.append([None, region.upper()])
        for r in rs:
            i += 1
            nm = (names or {}).get(r["code"], r["name"])
            vals = [r[k] for k in doms] + ([r["total"], r["pct"]] if par else [r["pct"]]) + [r["rank"]]
            ws.append([i, nm] + vals)
    last = ws.max_row
    for row in ws.iter_rows(min_row=h1, max_row=last, max_col=n):
        for cell in row:
            cell.border = BOX
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    ws.append([])
    ws.append(["Ghi chú: điểm các lĩnh vực tính theo thang điểm tối đa của từng lĩnh vực."])
    ws.column_dimensions["B"].width = 24
    for j in range(3, n + 1):
        ws.column_dimensions[chr(64 + j)].width = 8
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    del res
    wb.save(path)
    return path


def _regions() -> dict[str, str]:
    from etl.reference import province_tables
    p = province_tables()["province"]
    p = p[p.scheme == "p63"]
    return dict(zip(p.province_code, p.region_vi.fillna("")))


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """LibreOffice's PDF of the workbook (what a Department gets when the Ministry prints its sheet to PDF)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to build the PDF annexes: .ci/run installs libreoffice-calc-nogui"
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{out_dir}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    pdf = out_dir / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF of {xlsx}"
    return pdf


def to_scan(pdf: Path, out: Path, dpi: int = 150, skew: float = 0.6, noise: float = 0.04, seed: int = 3) -> Path:
    """The PDF as a scan of the printed copy: each page rendered at `dpi`, turned by `skew` degrees, speckled, made
    grey, and saved as an image-only PDF (no text layer)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    rnd = random.Random(seed)
    pages = []
    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        img = doc[i].render(scale=dpi / 72).to_pil().convert("L")
        img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * noise / 10)):
            x, y = rnd.randrange(w), rnd.randrange(h)
            px[x, y] = rnd.choice((0, 90, 255))
        img = img.filter(ImageFilter.GaussianBlur(0.4))
        pages.append(img)
    doc.close()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out
