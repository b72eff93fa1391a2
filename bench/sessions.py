"""Many sessions at once (issue 22 item 1): N sessions speaking Streamlit's own websocket protocol (ui/warm.py) click
through the national and unit pages for a while, on one app server, while an admin loads a year's unit scores and
rolls it back (the same etl code as the admin page, on the file the server reads). Reports runs, errors, the
server's share of a click (rerun request → script finished: p50, p95, max), the sessions that moved to a new
database version, and the server's memory (peak RSS).

    .venv/bin/python bench/sessions.py [--sessions 50] [--minutes 3] [--db data/demo/demo.duckdb] [--warm]
                                       [--processes 2]

With --processes 2, two app processes run behind nginx configured with deploy/'s files (tests/nginxkit.py, Debian's
nginx), and the sessions are spread over both by nginx's affinity cookie. Also reported: the servers' CPU seconds per
page run (from /proc: the machine's load inflates it much less than the times) and the load average.

Not measured here: the browser's drawing after the script finishes (plotly draws 0,2–2 s later on a first load; the
Chromium figures are in bench/national.py). Every click of a session is a full page run (a page switch), the
heaviest kind of click."""
from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.db import list_versions, rollback_to  # noqa: E402  (imported before any thread starts)
from etl.loaders import load_file  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402,F401
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402,F401
import contextlib  # noqa: E402
import os  # noqa: E402

from tests.browserkit import Server  # noqa: E402
from tests.helpers import LONG_HEADER, long_rows, write_long  # noqa: E402
from ui.warm import Session  # noqa: E402

CLICKS = [   # (URL path, query): national pages first, then the Home Affairs pages
    ("", ""), ("tong-quan", "year=2024"), ("xep-hang-toan-quoc", "index=PAPI&year=2023"),
    ("xep-hang-toan-quoc", "index=PAR+INDEX&year=2024"), ("ho-so-tinh", ""), ("xu-huong", ""), ("doi-chieu", ""),
    ("mo-phong", ""), ("xep-hang-don-vi", "level=department&year=2025"), ("xep-hang-don-vi", "level=district&year=2024"),
    ("phan-tich-tieu-chi", "level=department&year=2025&depth=criterion"), ("tu-danh-gia-tham-dinh", ""),
    ("ho-so-don-vi", ""), ("muc-tieu", ""), ("canh-bao", ""),
]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_session(url: str, until: float, seed: int, runs: list, failures: list, think: float,
                      headers: dict | None = None) -> None:
    rnd = random.Random(seed)
    try:
        await asyncio.sleep(rnd.uniform(0, think))         # people do not all click at the same instant
        async with Session(url, headers) as s:
            while time.monotonic() < until:
                page, query = rnd.choice(CLICKS)
                runs.append(await s.open(page, query))
                await asyncio.sleep(think * rnd.uniform(0.5, 1.5))   # reading the page before the next click
    except Exception as e:                              # a dropped connection or a timeout is an error too
        failures.append(f"session {seed}: {type(e).__name__}: {e}"[:300])


def admin_unit(db: Path) -> tuple[str, int, str]:
    """(a department of the home province, its latest scored year, the framework in force then): the bundled
    databases' Sở Tư pháp 2025, the national benchmark's generated names."""
    import duckdb
    import queries
    con = duckdb.connect(str(db), read_only=True)
    try:
        home = queries.run(con, "home_unit_codes").province_code.tolist()
        found = con.execute(
            "select u.name_vi, max(s.year) from unit_score s join unit u using (unit_id) where u.level = 'department' "
            "and list_contains($home, u.province_code) group by u.name_vi order by max(s.year) desc, u.name_vi = "
            "'Sở Tư pháp' desc, u.name_vi limit 1", {"home": home}).fetchone()
        if found is None:
            raise SystemExit(f"{db}: no department of the home province has scores to load again (use --admin-every 0)")
        unit, year = found
        fw = con.execute("select framework_id from framework where level = 'department' and year_from <= $y and "
                         "coalesce(year_to, 9999) >= $y order by year_from desc limit 1", {"y": year}).fetchone()[0]
    finally:
        con.close()
    return unit, int(year), fw


def admin(db: Path, stop: threading.Event, log: list, every: float) -> None:
    """Load a year's scores for one unit, roll it back, again, until stopped (the admin page's own etl calls)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-admin-"))
    unit, year, fw = admin_unit(db)
    f = write_long(folder / f"diem_{year}.xlsx", long_rows(db, unit=unit, year=year, framework_id=fw, share=0.9),
                   header=LONG_HEADER)
    while not stop.is_set():
        t0 = time.perf_counter()
        load_file(f, db, user="bench")
        log.append(("load", time.perf_counter() - t0))
        stop.wait(every)
        t0 = time.perf_counter()
        rollback_to(db, list_versions(db)[0], user="bench")
        log.append(("rollback", time.perf_counter() - t0))
        stop.wait(every)
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "demo" / "demo.duckdb")
    ap.add_argument("--processes", type=int, default=1, help="app processes (2 or more: behind nginx)")
    ap.add_argument("--warm", action="store_true", help="let the server warm itself first (ui/warm.py)")
    ap.add_argument("--think", type=float, default=5, help="seconds a person reads a page before the next click "
                    "(±50 %%); 0 = clicks back to back")
    ap.add_argument("--admin-every", type=float, default=30, help="seconds between the admin's load and rollback "
                    "(0: no admin)")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-sessions-"))
    db = work / "data" / "index.duckdb"
    db.parent.mkdir()
    shutil.copyfile(a.db, db)
    env = {"PAR_WARM": "1" if a.warm else "0", "PAR_DEMO_DB": str(db), "PAR_BEHIND_PROXY": "1"}
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(db, env=env)) for _ in range(a.processes)]
        url, cookies = servers[0].url, [None]
        if a.processes > 1:                      # nginx in front, as deploy/ installs it; sessions spread by cookie
            from tests.nginxkit import Nginx
            (work / "nginx").mkdir()
            nginx = Nginx(work / "nginx", tuple(s.port for s in servers))
            stack.callback(nginx.stop)
            url = nginx.url
            cookies = [{"Cookie": f"chiso_node={k}"} for k in nginx.key_per_process(tuple(s.port for s in servers)).values()]
        if a.warm:
            for server in servers:
                while "warm-up" not in server.log_tail(200):
                    time.sleep(0.5)
        pids = [s.proc.pid for s in servers]
        peak, stop = [sum(rss_mb(p) for p in pids)], threading.Event()
        start_rss = peak[0]

        def sample() -> None:
            while not stop.is_set():
                peak.append(sum(rss_mb(p) for p in pids))
                stop.wait(0.5)

        admin_log: list = []
        threads = [threading.Thread(target=sample)]
        if a.admin_every > 0:
            threads.append(threading.Thread(target=admin, args=(db, stop, admin_log, a.admin_every)))
        for t in threads:
            t.start()
        runs: list = []
        failures: list = []
        until = time.monotonic() + a.minutes * 60
        cpu0, load0 = sum(cpu_s(p) for p in pids), os.getloadavg()

        async def all_sessions():
            await asyncio.gather(*(one_session(url, until, i, runs, failures, a.think, cookies[i % len(cookies)])
                                   for i in range(a.sessions)))
        t0 = time.monotonic()
        asyncio.run(all_sessions())
        wall = time.monotonic() - t0
        cpu, load1 = sum(cpu_s(p) for p in pids) - cpu0, os.getloadavg()
        stop.set()
        for t in threads:
            t.join()
    shutil.rmtree(work, ignore_errors=True)

    secs = sorted(r.seconds for r in runs)
    errors = [e for r in runs for e in r.errors] + failures
    q = statistics.quantiles(secs, n=100) if len(secs) >= 2 else [float("nan")] * 99
    print(f"{a.sessions} sessions × {a.minutes:g} min on {a.db.name} ({'warmed' if a.warm else 'cold'} start), a click "
          f"every {a.think:g} s ±50 %, a load or rollback every {a.admin_every:g} s; {a.processes} app process(es); "
          f"{wall:.0f} s wall")
    print(f"load average (1 min) {load0[0]:.1f} at start, {load1[0]:.1f} at the end; servers' CPU {cpu:.0f} s = "
          f"{cpu / max(len(runs), 1):.2f} s per page run (warm-ups included; the admin runs in this process)")
    print(f"page runs: {len(runs)} ({len(runs) / wall:.1f}/s); errors: {len(errors)}; sessions that moved to a new "
          f"version (notice shown): {sum(r.notices for r in runs)}")
    print(f"server share of a click: p50 {q[49]:.2f} s, p95 {q[94]:.2f} s, max {secs[-1] if secs else float('nan'):.2f} s")
    loads = [s for k, s in admin_log if k == "load"]
    rollbacks = [s for k, s in admin_log if k == "rollback"]
    print(f"admin meanwhile: {len(loads)} loads (median {statistics.median(loads) if loads else 0:.1f} s), "
          f"{len(rollbacks)} rollbacks (median {statistics.median(rollbacks) if rollbacks else 0:.1f} s)")
    print(f"server memory (RSS): {start_rss:.0f} MB at start, peak {max(peak):.0f} MB")
    for e in errors[:10]:
        print("  error:", e)
    by_page: dict[str, list[float]] = {}
    for r in runs:
        by_page.setdefault(r.page or "(trang đầu)", []).append(r.seconds)
    for page, xs in sorted(by_page.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"  /{page}: {len(xs)} runs, median {statistics.median(xs):.2f} s, max {max(xs):.2f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
