"""Time the briefing: computing the sequence (cold, then warm from the cache) and building the PowerPoint pack,
for a few provinces and years.

    .venv/bin/python bench/briefing.py [--pdf DIR]

With --pdf, also converts each pack to PDF with LibreOffice (`soffice`, e.g. apt-get install
libreoffice-impress) so the slides can be looked at as a person would see them."""
from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logging.getLogger("streamlit").setLevel(logging.ERROR)

from ui.briefing import screens as B  # noqa: E402
from ui.briefing.pack import build  # noqa: E402

CASES = [("87", 2015), ("22", 2018), ("87", 2023), ("82", 2025)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pdf", type=Path)
    a = ap.parse_args()
    for code, year in CASES:
        t0 = time.perf_counter()
        screens, texts = B.sequence(code, year), B.pack_texts(code, year)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(3):
            t0 = time.perf_counter()
            B.sequence(code, year)
            warm.append(time.perf_counter() - t0)
        builds = []
        for _ in range(5):
            t0 = time.perf_counter()
            data = build(screens, texts)
            builds.append(time.perf_counter() - t0)
        print(f"{code} {year}: {len(screens)} screens; sequence cold {cold * 1000:.0f} ms, warm "
              f"{statistics.median(warm) * 1000:.0f} ms; pack build median {statistics.median(builds) * 1000:.0f} ms, "
              f"{len(data) / 1024:.0f} KB")
        if a.pdf:
            a.pdf.mkdir(parents=True, exist_ok=True)
            f = a.pdf / f"pack_{code}_{year}.pptx"
            f.write_bytes(data)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(a.pdf), str(f)],
                           check=True, capture_output=True, timeout=300)
            print(f"  -> {f.with_suffix('.pdf')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
