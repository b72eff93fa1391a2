"""Time the Word documents of issue 21: the plan and the results report (data from SQL, charts drawn, .docx written),
for a few provinces, years and levels of the demo database; the first build in a process includes importing
matplotlib and python-docx.

    .venv/bin/python bench/word_docs.py [--pdf DIR]

With --pdf, also converts each document to PDF with LibreOffice (apt-get install libreoffice-writer-nogui) to look
at the pages as a person would."""
from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logging.getLogger("streamlit").setLevel(logging.ERROR)
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True

CASES = [("plan", 2025, None, None), ("report", 2024, "department", None), ("report", 2025, "commune", None),
         ("report", 2024, "department", "25"), ("report", 2017, "district", "79")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(ROOT / "data" / "demo" / "demo.duckdb"))
    ap.add_argument("--pdf", type=Path)
    a = ap.parse_args()
    import duckdb
    from ui.exports import word
    con = duckdb.connect(a.db, read_only=True)
    for kind, year, level, p34 in CASES:
        t0 = time.perf_counter()
        if kind == "plan":
            data = word.plan_data(con, year)
            t1 = time.perf_counter()
            doc = word.plan_document(data)
        else:
            data = word.report_data(con, year, level, p34=p34)
            t1 = time.perf_counter()
            doc = word.report_document(data)
        t2 = time.perf_counter()
        name = f"{kind}_{year}_{level or ''}_{p34 or 'home'}"
        print(f"{name:32} data {t1 - t0:5.2f} s  document {t2 - t1:5.2f} s  total {t2 - t0:5.2f} s  {len(doc) // 1024} KiB")
        if a.pdf:
            a.pdf.mkdir(parents=True, exist_ok=True)
            (a.pdf / f"{name}.docx").write_bytes(doc)
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{a.pdf.resolve()}/lo",
                            "--convert-to", "pdf", "--outdir", str(a.pdf), str(a.pdf / f"{name}.docx")],
                           check=True, capture_output=True)
    con.close()


if __name__ == "__main__":
    main()
