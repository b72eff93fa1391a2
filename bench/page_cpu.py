"""What one page run costs the server (issue 22 item 1): one session (Streamlit's websocket protocol, ui/warm.py) opens
every page of bench/sessions.py once (cold: the caches fill), then again and again (warm), on a server of its own, and
reads the server's CPU seconds from /proc around each run. CPU seconds per run decide how many clicks a core serves,
whatever else the machine is doing; bench/sessions.py gives the times many people see.

    .venv/bin/python bench/page_cpu.py [--db data/demo/demo.duckdb] [--rounds 3]

To see where a run's time goes: `pip install py-spy` (not a dependency) and `py-spy record -p <server pid> -f raw`
while this runs (how the runs were cut in bench/RESULTS.md, "Many sessions, third pass")."""
from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sessions import CLICKS, cpu_s  # noqa: E402
from tests.browserkit import Server  # noqa: E402
from ui.warm import Session  # noqa: E402


async def measure(url: str, pid: int, rounds: int) -> tuple[dict, dict]:
    cold, warm = {}, {}
    async with Session(url) as s:
        for page, query in CLICKS:
            a = cpu_s(pid)
            r = await s.open(page, query)
            cold[f"/{page}?{query}"] = (r.seconds, cpu_s(pid) - a, r.errors)
        for _ in range(rounds):
            for page, query in CLICKS:
                a = cpu_s(pid)
                r = await s.open(page, query)
                warm.setdefault(f"/{page}?{query}", []).append((r.seconds, cpu_s(pid) - a, r.errors))
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "demo" / "demo.duckdb")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-page-cpu-"))
    db = work / "index.duckdb"
    shutil.copyfile(a.db, db)
    try:
        with Server(db, env={"PAR_WARM": "0", "PAR_DEMO_DB": str(db)}) as server:
            cold, warm = asyncio.run(measure(server.url, server.proc.pid, a.rounds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    errors = [e for _, _, es in cold.values() for e in es] + [e for xs in warm.values() for _, _, es in xs for e in es]
    runs = [x for xs in warm.values() for x in xs]
    print(f"{a.db.name}: one session, {len(CLICKS)} pages, cold once then {a.rounds} warm rounds; errors: {len(errors)}")
    print(f"warm: {statistics.mean(c for _, c, _ in runs):.3f} s of CPU per page run on average "
          f"(cold, every page once: {sum(c for _, c, _ in cold.values()):.1f} s, the first page's imports included)")
    print("page | cold CPU s | warm CPU s (median) | warm wall s (median)")
    for page, xs in sorted(warm.items(), key=lambda kv: -statistics.median(c for _, c, _ in kv[1])):
        print(f"{page} | {cold[page][1]:.2f} | {statistics.median(c for _, c, _ in xs):.3f} | "
              f"{statistics.median(w for w, _, _ in xs):.3f}")
    for e in errors[:5]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
