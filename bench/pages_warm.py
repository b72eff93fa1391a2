"""Warm rerun time of every page in AppTest on the bundled database (target: under 300 ms).

    .venv/bin/python bench/pages_warm.py [--runs 7] [page ...]

Runs each page once cold, then `--runs` more times with the same inputs, and prints the median and the
worst warm rerun. Numbers vary ±30 % with the machine's load; compare medians."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import registry  # noqa: E402

# every page of the registry (ui/registry.py) but the admin page, with the choices that make it do its most work,
# plus the briefing's presentation mode
PARAMS = {"criterion_gaps": {"depth": "criterion"}, "briefing_present": {"present": "1", "step": "3"}}
PAGES = {p: PARAMS.get(p, {}) for p in registry.files() if p != "admin"} | {"briefing_present": PARAMS["briefing_present"]}


def measure(page: str, params: dict, runs: int) -> tuple[float, float, float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "home":
        at.switch_page(f"app_pages/{page.split('_present')[0]}.py")
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm), max(warm)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pages", nargs="*", default=list(PAGES))
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    print(f"{'page':<20} {'cold ms':>8} {'warm median ms':>15} {'warm max ms':>12}")
    worst = 0.0
    for p in a.pages:
        cold, med, mx = measure(p, PAGES.get(p, {}), a.runs)
        worst = max(worst, med)
        print(f"{p:<20} {cold * 1000:8.0f} {med * 1000:15.0f} {mx * 1000:12.0f}")
    print(f"worst warm median: {worst * 1000:.0f} ms (target < 300 ms)")
    return 0 if worst < 0.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
