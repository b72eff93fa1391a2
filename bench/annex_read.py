"""How well the Ministry's annex is read, per way in: rows read right first time, misread rows caught by the
cross-checks, rows missed, seconds per page. Run on demand (needs LibreOffice and tesseract):

    .venv/bin/python -m bench.annex_read

The annex is built like the Ministry's (tests/annexkit.py), printed to PDF by LibreOffice, then scanned at several
qualities (resolution, skew, speckle)."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from etl import ministry_annex as M  # noqa: E402
from tests import annexkit as K  # noqa: E402

COLS = [f"d{i}" for i in range(1, 9)] + ["total", "pct", "rank"]


def measure(path: Path, truth: dict[str, dict]) -> dict:
    """Right = the name resolves to the province printed there and every number is the printed one."""
    from etl.reference import ProvinceResolver
    res = ProvinceResolver()
    a = M.read(path)
    flagged = {(p.sheet, p.row) for p in M.check(a) if p.row}
    code = {ln.sheet + str(ln.row): res.code(ln.name, 2023) for ln in a.lines}
    right = [ln for ln in a.lines if code[ln.sheet + str(ln.row)] in truth and all(
        ln.values.get(c) is not None and abs(ln.values[c] - truth[code[ln.sheet + str(ln.row)]][c]) < 1e-6
        for c in COLS)]
    wrong = [ln for ln in a.lines if ln not in right]
    return dict(lines=len(a.lines), right=len(right), misread=len(wrong),
                misread_caught=sum((ln.sheet, ln.row) in flagged for ln in wrong),
                provinces_missed=len(set(truth) - set(code.values())), s_per_page=a.seconds / max(1, a.pages))


def main() -> None:
    rows = K.table()
    truth = {r["code"]: r for r in rows}
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        x = K.write_xlsx(d / "phu_luc_par_2023.xlsx", rows)
        pdf = K.to_pdf(x, d)
        cases = [("Excel", x), ("PDF có chữ", pdf)]
        for dpi, skew, noise in ((300, 0.0, 0.0), (200, 0.3, 0.01), (150, 0.6, 0.04)):
            cases.append((f"bản quét {dpi} dpi, nghiêng {skew}°, nhiễu {noise}",
                          K.to_scan(pdf, d / f"par_2023_scan_{dpi}.pdf", dpi=dpi, skew=skew, noise=noise)))
        print("| cách vào | dòng đọc được | đúng ngay | đọc sai | sai bị bắt | tỉnh không nhận ra | giây/trang |")
        print("|---|---|---|---|---|---|---|")
        for label, path in cases:
            m = measure(path, truth)
            print(f"| {label} | {m['lines']} | {m['right']} | {m['misread']} | {m['misread_caught']} | "
                  f"{m['provinces_missed']} | {m['s_per_page']:.1f} |")


if __name__ == "__main__":
    main()
