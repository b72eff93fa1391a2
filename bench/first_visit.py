"""The first visitor after a restart (issue 22 item 5): the server's share of opening the first page and a shared link
to the league table, on a fresh server without warm-up (PAR_WARM=0) and on one that warmed itself (ui/warm.py), then
the same pages again in a second session (warm caches).

    .venv/bin/python bench/first_visit.py [--db data/index.duckdb] [--repeat 3]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browserkit import Server  # noqa: E402
from ui.warm import Session  # noqa: E402

VISITS = [("", ""), ("xep-hang-toan-quoc", "index=PAPI&year=2023"), ("xep-hang-don-vi", "level=department")]


async def visit(url: str) -> list[float]:
    async with Session(url) as s:
        out = []
        for page, query in VISITS:
            r = await s.open(page, query)
            if r.errors:
                raise SystemExit(f"/{page}: {r.errors}")
            out.append(r.seconds)
        return out


def once(db: Path, warm: bool) -> tuple[list[float], list[float], float]:
    with Server(db, env={"PAR_WARM": "1" if warm else "0"}) as s:
        t0 = time.monotonic()
        if warm:
            while "warm-up" not in s.log_tail(200):
                time.sleep(0.2)
        waited = time.monotonic() - t0
        first = asyncio.run(visit(s.url))
        again = asyncio.run(visit(s.url))
    return first, again, waited


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "index.duckdb")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    names = ["first page", "league table link", "unit ranking"]
    for warm in (False, True):
        rows = [once(a.db, warm) for _ in range(a.repeat)]
        label = "warmed at start" if warm else "no warm-up"
        print(f"{label} ({a.repeat} fresh servers; warm-up took median "
              f"{statistics.median(r[2] for r in rows):.1f} s after the health check):")
        for i, name in enumerate(names):
            first = [r[0][i] for r in rows]
            again = [r[1][i] for r in rows]
            print(f"  {name}: first visitor median {statistics.median(first):.2f} s (max {max(first):.2f}), "
                  f"a second visitor {statistics.median(again):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
