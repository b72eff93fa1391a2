"""A shared link opened in a browser (issue 22 item 5): headless Chromium opens each link in a new tab (a new session,
as a link from an e-mail or a chat does) on a server that has warmed itself (ui/warm.py), and times it from the
request to the page drawn: title shown, script finished, and its first chart or table drawn.

    .venv/bin/python bench/links.py [--db data/index.duckdb] [--repeat 3] [--width 1920 --height 1080]

Prints the median and the slowest per link. The first visit of a link after the warm-up is counted too (the
warm-up opens the usual pages with their default choices; a link with other choices computes its own tables)."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browserkit import Server, browser_context  # noqa: E402

LINKS = ["", "tong-quan", "xep-hang-toan-quoc?index=PAPI&year=2023", "xep-hang-toan-quoc?index=PAR+INDEX&year=2024",
         "ho-so-tinh", "xu-huong", "xep-hang-don-vi?level=department&year=2025", "phan-tich-tieu-chi?depth=criterion",
         "muc-tieu", "trinh-chieu?mode=normal"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
DRAWN = ('[data-testid="stPlotlyChart"] .main-svg, [data-testid="stDataFrame"], [data-testid="stMetric"], '
         '[data-testid="stAlert"]')   # a page with no data that year says so


def open_link(ctx, url: str) -> float:
    page = ctx.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_selector('[data-testid="stMainBlockContainer"] h1')
        page.wait_for_selector(READY)
        page.wait_for_selector(DRAWN)
        return time.perf_counter() - t0
    finally:
        page.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "index.duckdb")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--width", type=int, default=1920)
    ap.add_argument("--height", type=int, default=1080)
    a = ap.parse_args(argv)
    with Server(a.db, env={"PAR_WARM": "1"}) as server, tempfile.TemporaryDirectory() as tmp:
        deadline = time.monotonic() + 300
        while "warm-up" not in server.log_tail(200) and time.monotonic() < deadline:
            time.sleep(0.5)
        with browser_context(Path(tmp), viewport={"width": a.width, "height": a.height}) as ctx:
            open_link(ctx, server.url)                  # the browser's own first start (its cache of the app's files)
            times = {link: [open_link(ctx, f"{server.url}/{link}") for _ in range(a.repeat + 1)] for link in LINKS}
    print(f"{a.db.name}, {a.width}×{a.height}, a new tab per link, warmed server; seconds from the request to the page "
          "drawn (first visit after the warm-up | median of the next | slowest of the next)")
    for link, xs in times.items():
        print(f"  /{link}: {xs[0]:.2f} | {statistics.median(xs[1:]):.2f} | {max(xs[1:]):.2f}")
    warm = [x for xs in times.values() for x in xs[1:]]
    print(f"every link warm: median {statistics.median(warm):.2f} s, slowest {max(warm):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
