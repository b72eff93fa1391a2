"""The national-scale benchmark (issue 8): load the generated dataset (bench/national_data.py), then measure what
a person at the Ministry or a large province would feel, and write bench/RESULTS.md.

    .venv/bin/python bench/national_data.py          # once: ~11.7 million score rows in bench/data
    .venv/bin/python bench/national.py               # ~15 min: loads, workbook, pages, pandas, browser, memory
    .venv/bin/python bench/national.py --skip-load   # reuse bench/data/national.duckdb

Measured:
- loading: the national set from Parquet and CSV (`python -m etl bulk`: rows/s, peak memory, file size, and the
  time of each stage), and one province-year Excel workbook (500 units × 100 rows) through the template reader;
- per Home Affairs page (communes, 2024, the province with the most units): the page's query set (recorded from an
  AppTest run, replayed cold on a new connection and warm: p50/p95 over runs), the page's warm rerun in AppTest,
  and the same page computations done the naive way in pandas on the same rows (ratio per page);
- in headless Chromium against `streamlit run app.py` on the national database: the first full render of every unit
  page (cold server, then warm), and the app process's resident memory after all of them.

Not part of `make test`."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
DB = DATA / "national.duckdb"
LEVEL, YEAR = "commune", 2024
PAGES = {   # page -> URL parameters besides level, year and province; the path the browser opens
    "unit_ranking": ({}, "xep-hang-don-vi"),
    "criterion_gaps": ({"depth": "criterion"}, "phan-tich-tieu-chi"),
    "self_vs_appraisal": ({}, "tu-danh-gia-tham-dinh"),
    "unit_profile": ({}, "ho-so-don-vi"),
    "targets": ({"depth": "criterion"}, "muc-tieu"),
    "unit_alerts": ({}, "canh-bao"),
    "export": ({"what": "units", "years": "2023,2024", "depths": "criterion"}, "xuat-du-lieu"),
    "briefing": ({}, "trinh-chieu"),
}
OTHER_PAGES = ["home", "overview", "national_ranking", "province_profile", "trends", "cross_index", "what_if",
               "methodology"]   # national indices: their queries do not touch unit scores, except two summaries


def sh(*args, env=None) -> tuple[float, int, str, str]:
    """Run a command; (seconds, peak resident MB of that child alone, stdout, stderr). os.wait4 gives the child's
    own rusage (RUSAGE_CHILDREN would report the largest child so far, e.g. the bulk load's peak for the workbook)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        sec = time.perf_counter() - t0
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if p.returncode:
        raise SystemExit(stdout + stderr)
    return sec, usage.ru_maxrss // 1024, stdout, stderr


def stages(stderr: str) -> str:
    """'copy 1.2 s, checks 3.4 s, …' from the STAGE lines etl/db.py prints with PAR_STAGE_TIMES=1."""
    marks = [(ln.split()[1], float(ln.split()[2])) for ln in stderr.splitlines() if ln.startswith("STAGE ")]
    names = {"copied": "copy of the current file", "snapshot": "digests before", "bulk_staged": "read the file",
             "bulk_checked": "checks", "prepared": "write rows", "applied": "unit_score_item",
             "checked": "invariants", "committed": "commit + checkpoint", "kept": "fsync + keep version",
             "swapped": "swap"}
    out = []
    for (_, t0), (name, t1) in zip(marks, marks[1:]):
        out.append(f"{names.get(name, name)} {t1 - t0:.1f}")
    return ", ".join(out)


def setup_db(db: Path) -> None:
    """The bundled database's national data, with the benchmark's frameworks and units instead of the home
    province's demo units."""
    from etl import db as dbmod
    if db.exists():
        db.unlink()
    shutil.copyfile(ROOT / "data" / "index.duckdb", db)
    fw_dir = DATA / "frameworks"

    def prepare(con):
        for t in ("unit_score", "unit_year", "unit_alias", "unit", "framework_item", "framework"):
            con.execute(f"delete from {t}")
        con.execute(f"""insert into framework select framework_id, level, year_from, try_cast(year_to as integer),
                        name_vi, name_en, decision, 'illustrative', null
                        from read_csv('{fw_dir / 'frameworks.csv'}', header = true, all_varchar = true)""")
        for f in sorted(fw_dir.glob("BENCH-*.csv")):
            con.execute(f"""insert into framework_item select '{f.stem}', code, nullif(parent_code, ''), depth, name_vi,
                            name_en, max_points::double, is_survey::int::boolean, agency_vi, agency_en, sort_order::int
                            from read_csv('{f}', header = true, all_varchar = true)""")
        con.execute(f"""insert into unit select unit_id, province_code, level, name_vi, name_en, null,
                        valid_from_year::int, try_cast(valid_to_year as integer), null, 'illustrative'
                        from read_csv('{DATA / 'units.csv'}', header = true, all_varchar = true)""")
        import pandas as pd
        from etl.text import norm_name
        ids = [r[0] for r in con.execute("select unit_id from unit").fetchall()]
        con.register("_alias", pd.DataFrame({"alias_norm": [norm_name(i) for i in ids], "unit_id": ids}))
        con.execute("insert into unit_alias select distinct alias_norm, unit_id from _alias")
        con.unregister("_alias")
        return 0
    dbmod.commit_new_version(db, prepare, file_name="bench setup", sha=None, kind="bench")


def load_national(lines: list[str]) -> None:
    lines += ["## Loading the national set (`python -m etl bulk FILE`)", "",
              "Into a database holding the bundled national data and the benchmark's units and frameworks, no unit "
              "scores yet. Every check runs in SQL over the whole file before anything is written; the write "
              "then builds the materialised unit scores (criteria and domains summed) and checks the invariants.",
              "", "| file | size | rows | seconds | rows/s | peak RSS | stages (s) |", "|---|---|---|---|---|---|---|"]
    env = dict(os.environ, PAR_STAGE_TIMES="1")
    for name in ("scores.parquet", "scores.csv"):
        db = DATA / f"load_{name.split('.')[1]}.duckdb"
        setup_db(db)
        f = DATA / name
        sec, peak, out, err = sh(sys.executable, "-m", "etl", "--db", str(db), "bulk", str(f), env=env)
        n = int(out.split("Đã nạp ")[1].split(" dòng")[0].replace(",", "").replace(".", ""))
        lines.append(f"| {name} | {f.stat().st_size / 1e6:,.0f} MB | {n:,} | {sec:.1f} | {n / sec:,.0f} | "
                     f"{peak:,} MB | {stages(err)} |")
        print(lines[-1], flush=True)
        if name == "scores.parquet":
            for p in DB.parent.glob(f"{DB.stem}*"):
                if p.is_file():
                    p.unlink()
            shutil.rmtree(DB.parent / "versions", ignore_errors=True)
            shutil.move(db, DB)
        else:
            db.unlink()
        for p in db.parent.glob(f"{db.stem}*"):
            if p.is_file() and p != DB:
                p.unlink()
    lines.append(f"\nDatabase after the load: {DB.stat().st_size / 1e9:.2f} GB.\n")


def workbook(lines: list[str]) -> None:
    """One province-year: 500 communes × 100 sub-criteria in the long template, loaded into a copy of the
    national database (replacing those unit-years)."""
    import duckdb
    from openpyxl import Workbook
    path = DATA / "workbook_500x100.xlsx"
    con = duckdb.connect(str(DB), read_only=True)
    rows = con.execute(f"""
        with u as (select unit_id from unit where level = '{LEVEL}' and {YEAR} between valid_from_year
                   and coalesce(valid_to_year, 9999) order by province_code, unit_id limit 500)
        select s.unit_id, s.year, s.item_code, s.self_score, s.appraised_score, s.survey_score
        from unit_score s join u using (unit_id) where s.year = {YEAR} order by s.unit_id, s.item_code""").fetchall()
    con.close()
    t0 = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DiemDonVi")
    ws.append(["Mã đơn vị", "Năm", "Mã tiêu chí", "Tự chấm", "Thẩm định", "Điều tra"])
    for unit_id, year, code, s, a, v in rows:
        ws.append([unit_id, year, code, s, max(0.0, (a or 0) - 0.05) if a is not None else None, v])
    wb.save(path)
    made = time.perf_counter() - t0
    copy = DATA / "workbook_load.duckdb"
    shutil.copyfile(DB, copy)
    size_mb = DB.stat().st_size / 1e6
    env = dict(os.environ, PAR_STAGE_TIMES="1")
    try:
        sec_check, peak_check, _, _ = sh(sys.executable, "-m", "etl", "--db", str(copy), "check", str(path), env=env)
        sec, peak, out, err = sh(sys.executable, "-m", "etl", "--db", str(copy), "load", str(path), env=env)
    finally:
        for p in copy.parent.glob(f"{copy.stem}*"):
            if p.is_file():
                p.unlink()
        shutil.rmtree(copy.parent / "versions", ignore_errors=True)
    lines += ["## One province-year workbook (Excel template)", "",
              f"{len(rows):,} rows (500 communes × 100 sub-criteria, {YEAR}), {path.stat().st_size / 1e6:.1f} MB "
              f"(written in {made:.1f} s). Loaded into a copy of the national database: the new version is a copy "
              f"of the whole {size_mb:,.0f} MB file (etl/db.py: a reading app is never blocked and a failed load "
              f"changes nothing), so part of the time does not depend on the workbook.", "",
              "| step | seconds | peak RSS | stages (s) |", "|---|---|---|---|",
              f"| `python -m etl check` (read and validate, no write) | {sec_check:.1f} | {peak_check:,} MB | |",
              f"| `python -m etl load` (validate, write, swap) | {sec:.1f} | {peak:,} MB | {stages(err)} |", ""]
    print("\n".join(lines[-4:]), flush=True)


def unit_provinces(db: Path = DB):
    """The provinces whose units the database holds (queries/unit_provinces.sql), most units first."""
    import duckdb
    import queries
    con = duckdb.connect(str(db), read_only=True)
    try:
        return queries.run(con, "unit_provinces").sort_values("n_units", ascending=False).reset_index(drop=True)
    finally:
        con.close()


def biggest_province() -> tuple[str, list[str]]:
    r = unit_provinces().iloc[0]
    return str(r.code_p34), [str(c) for c in r.unit_codes]


def pages(lines: list[str], code: str, scope: list[str]) -> dict[str, float]:
    import duckdb
    import streamlit as st
    import queries
    from streamlit.testing.v1 import AppTest
    import ui.data as D
    D.DB_PATH = DB
    recorded: dict[str, list[tuple[str, dict]]] = {}
    real_run = queries.run
    current = [""]

    def recording(con, name, **params):
        if current[0]:
            recorded.setdefault(current[0], []).append((name, params))
        return real_run(con, name, **params)

    queries.run = recording
    reruns = {}
    for page, params in [(p, v[0]) for p, v in PAGES.items()] + [(p, None) for p in OTHER_PAGES]:
        current[0] = ""                    # the landing page's queries are not this page's
        st.cache_data.clear()              # each page records its whole query set, not what others left cached
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        unit_params = {"level": LEVEL, "year": str(YEAR), "uprov": f"p34:{code}"}
        for k, v in ({} if params is None else unit_params | params).items():
            at.query_params[k] = v
        at.run()
        at.switch_page(f"app_pages/{page}.py")
        current[0] = page
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")
        warm = []
        for _ in range(7):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        warm.sort()
        reruns[page] = (first, statistics.median(warm), warm[-1])
        print(page, reruns[page], flush=True)
    queries.run = real_run

    lines += [f"## Every page: unit pages on communes, {YEAR}, the province with the most units", "",
              f"Province p34:{code} (its units carry the codes {', '.join(scope)}: before 2025, the provinces merged "
              f"into it). Each page's queries as the page ran them (recorded in AppTest), replayed on a new "
              f"connection: cold = the first run of the set after opening the file; warm = 15 more runs, p50 and "
              f"p95 of the set's time. The national pages run with their defaults.", "",
              "| page | queries | cold (ms) | warm p50 (ms) | warm p95 (ms) | rows returned |", "|---|---|---|---|---|---|"]
    warm_p50 = {}
    for page, qs in recorded.items():
        uniq = list(dict.fromkeys((n, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(p.items())))
                                  for n, p in qs))
        args = [(n, {k: list(v) if isinstance(v, tuple) else v for k, v in p}) for n, p in uniq]
        con = duckdb.connect(str(DB), read_only=True)
        t0 = time.perf_counter()
        n_rows = sum(len(real_run(con, n, **p)) for n, p in args)
        cold = time.perf_counter() - t0
        times = []
        for _ in range(15):
            t0 = time.perf_counter()
            for n, p in args:
                real_run(con, n, **p)
            times.append(time.perf_counter() - t0)
        con.close()
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1) + 0.5)]
        warm_p50[page] = statistics.median(times)
        lines.append(f"| {page} | {len(args)}: {', '.join(sorted({n for n, _ in args}))} | {cold * 1000:,.0f} | "
                     f"{warm_p50[page] * 1000:,.0f} | {p95 * 1000:,.0f} | {n_rows:,} |")
        print(lines[-1], flush=True)
    lines += ["", "Page reruns in AppTest (the whole script of the page with the same inputs, as after a click that "
              "changes nothing cached; 7 warm runs):", "",
              "| page | first run (s) | warm rerun p50 (ms) | warm max (ms) |", "|---|---|---|---|"]
    for page, (first, p50, mx) in reruns.items():
        lines.append(f"| {page} | {first:.2f} | {p50 * 1000:,.0f} | {mx * 1000:,.0f} |")
    lines.append("")
    return warm_p50


def pandas_baseline(lines: list[str], scope: list[str], warm_p50: dict[str, float]) -> None:
    """The same computations, naive pandas: the whole score table in memory (as a pandas app would hold it), each
    page filtering it by the province's units and grouping."""
    import pandas as pd
    t0 = time.perf_counter()
    s = pd.read_parquet(DATA / "scores.parquet")
    units = pd.read_csv(DATA / "units.csv", dtype=str)
    s["final"] = s["Thẩm định"].fillna(0) + s["Điều tra"].fillna(0)
    s["crit"] = s["Mã tiêu chí"].str.rsplit(".", n=1).str[0]
    s["dom"] = s["Mã tiêu chí"].str.split(".").str[0]
    load = time.perf_counter() - t0
    ids = set(units[(units.level == LEVEL) & units.province_code.isin(scope)].unit_id)

    def mine():
        return s[s["Đơn vị"].isin(ids)]      # noqa: F821 (pyflakes reads the closing `del s` as never bound)

    def ranking():
        d = mine()
        tot = d.groupby(["Đơn vị", "Năm"]).final.sum().reset_index()
        tot["rank"] = tot.groupby("Năm").final.rank(ascending=False, method="min")
        return tot

    def criteria():
        d = mine()
        d = d[d["Năm"] == YEAR]
        return d.groupby(["Đơn vị", "crit"]).final.sum().groupby("crit").mean()

    def self_vs():
        d = mine()
        d = d.assign(cut=d["Tự chấm"].fillna(0) - d["Thẩm định"].fillna(0))
        return (d[d["Năm"] == YEAR].groupby("Đơn vị").cut.sum(), d[d["Năm"] == YEAR].groupby("crit").cut.sum(),
                d.groupby(["Đơn vị", "dom", "Năm"]).cut.sum())

    def profile():
        d = mine()
        one = sorted(ids)[0]
        return (d[d["Đơn vị"] == one].groupby(["dom", "Năm"]).final.sum(),
                d[d["Năm"] == YEAR].groupby(["Đơn vị", "dom"]).final.sum().groupby("dom").mean(), ranking())

    def targets():
        d = mine()
        d = d[d["Năm"] == YEAR].assign(lost=lambda x: 1.0 - x.final)
        return d.groupby("crit").lost.sum().sort_values()

    def alerts():
        tot = ranking()
        a, b = tot[tot["Năm"] == YEAR], tot[tot["Năm"] == YEAR - 1]
        return a.merge(b, on="Đơn vị", suffixes=("", "_prev"))

    fns = {"unit_ranking": ranking, "criterion_gaps": criteria, "self_vs_appraisal": self_vs, "unit_profile": profile,
           "targets": targets, "unit_alerts": alerts}
    lines += ["## Baseline: the same page computations in naive pandas", "",
              f"All 11.7 M score rows held in one DataFrame (read and prepared once: {load:.1f} s, not counted), each "
              f"page filtering it to the province's communes and grouping, as a pandas-only app would. Compared with "
              f"the page's query set, warm p50 (above).", "",
              "| page | pandas (ms, median of 5) | app query set (ms) | pandas / app |", "|---|---|---|---|"]
    ratios = []
    for page, fn in fns.items():
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        pd_ms = statistics.median(times) * 1000
        app_ms = warm_p50.get(page, float("nan")) * 1000
        ratios.append(pd_ms / app_ms)
        lines.append(f"| {page} | {pd_ms:,.0f} | {app_ms:,.0f} | {pd_ms / app_ms:.1f}× |")
        print(lines[-1], flush=True)
    lines += ["", f"Median ratio over the pages: **{statistics.median(ratios):.1f}×**.", ""]
    del s


def _free_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def _rss(pid: int) -> tuple[int, int]:
    """(current, peak) resident MB of a process and its children, from /proc."""
    now = peak = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        st = dict(ln.split(":", 1) for ln in Path(f"/proc/{p}/status").read_text().splitlines() if ":" in ln)
        now += int(st["VmRSS"].split()[0]) // 1024
        peak += int(st["VmHWM"].split()[0]) // 1024
    return now, peak


def _visits(db: Path, level: str, code: str | None) -> tuple[list[tuple[str, str, float]], dict, int, int, int]:
    """Serve `db`, open every page of PAGES twice (cold, warm) in Chromium, then, inside one session of the unit
    ranking, choose another year, another level and (with several provinces) another province. Returns (visits,
    seconds of each of those clicks, RSS at start, RSS after, peak RSS)."""
    from playwright.sync_api import sync_playwright
    port = _free_port()
    env = dict(os.environ, PAR_DB=str(db))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address",
                             "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    ready = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        idle = _rss(proc.pid)[0]
        rows = []
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True,
                                  args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = b.new_page(viewport={"width": 1920, "height": 1080})
            base = {"level": level, "year": YEAR} | ({"uprov": f"p34:{code}"} if code else {})
            for rnd in ("cold", "warm"):
                for name, (params, path) in PAGES.items():
                    q = "&".join(f"{k}={v}" for k, v in (base | params).items())
                    t0 = time.perf_counter()
                    page.goto(f"{url}/{path}?{q}")
                    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=600_000)
                    page.wait_for_selector(ready, timeout=600_000)
                    if name != "briefing":          # its normal mode lists the headlines, no chart
                        page.wait_for_selector('[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]',
                                               timeout=600_000)
                    rows.append((rnd, name, time.perf_counter() - t0))
                    if rnd == "cold" and name == "unit_ranking" and code:
                        page.screenshot(path=str(DATA / "national_unit_ranking.png"))
            # a click inside a session: the ranking, another year (what a person does most)
            page.goto(f"{url}/xep-hang-don-vi?" + "&".join(f"{k}={v}" for k, v in base.items()))
            page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=600_000)
            page.wait_for_selector(ready, timeout=600_000)
            page.wait_for_timeout(1000)
            clicks = {}

            def click(name, open_control, act):
                """One interaction inside the session, timed from the choice to the page redrawn (URL changed,
                script finished, chart drawn); the first click of a fresh session is sometimes lost: retried.
                Options are chosen with the keyboard (type, then Enter): Playwright's click on an option waits
                ~0.9 s for the dropdown to stop moving, which no person waits for and the server never sees."""
                for _ in range(3):
                    try:
                        before = page.url
                        open_control()
                        t0 = time.perf_counter()
                        act()
                        page.wait_for_function("u => location.href !== u", arg=before, timeout=30_000)
                        page.wait_for_selector(ready, timeout=600_000)
                        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=600_000)
                        clicks[name] = time.perf_counter() - t0
                        page.wait_for_timeout(1000)
                        return
                    except Exception:
                        page.keyboard.press("Escape")
                clicks[name] = float("nan")

            def choose(name, open_select, text):
                """Open a select, type the option's text and press Enter (see click)."""
                def open_and_type():
                    open_select()
                    page.keyboard.type(text)
                    page.wait_for_timeout(300)
                click(name, open_and_type, lambda: page.keyboard.press("Enter"))

            choose("another year", lambda: page.locator('[data-testid="stSelectbox"]').filter(
                has=page.get_by_text("Năm", exact=True)).first.click(), str(YEAR - 1))
            click("another level", lambda: None, lambda: page.get_by_text("UBND cấp huyện", exact=True).click())
            if code:          # the Ministry's choice: another province, whose queries are not cached yet
                up = unit_provinces(db)
                others = [str(n) for c, n in zip(up.code_p34, up.province_name) if str(c) != code]
                province_select = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').last.click
                choose("another province (first visit)", province_select, others[0])
                choose("another province (second)", province_select, others[1])
                choose("back to a province seen before", province_select, others[0])
            b.close()
        now, peak = _rss(proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)
    return rows, clicks, idle, now, peak


def browser(lines: list[str], code: str) -> None:
    nat, nat_click, idle, now, peak = _visits(DB, LEVEL, code)
    bun, bun_click, _, bun_now, _ = _visits(ROOT / "data" / "index.duckdb", "department", None)

    def get(rows, rnd, name):
        return next(s for r, n, s in rows if r == rnd and n == name)
    lines += ["## In a browser: headless Chromium against `streamlit run app.py`", "",
              "Time from opening the page's link to the page fully drawn (script finished, title, chart or table "
              "shown), 1920×1080, software rendering on this 2-core machine. Cold: the server's first visit of each "
              "page; warm: the same links again (each link opens a new session, so the frontend starts again). The "
              "same pages on the bundled database (19 departments) show what opening a page costs without the data.",
              "", "| page | national cold (s) | national warm (s) | bundled warm (s) |", "|---|---|---|---|"]
    for name in PAGES:
        lines.append(f"| {name} | {get(nat, 'cold', name):.2f} | {get(nat, 'warm', name):.2f} | "
                     f"{get(bun, 'warm', name):.2f} |")
    lines += ["", "Clicks inside one session of the unit ranking, from the choice to the page redrawn (URL changed, "
              "script finished, chart drawn):", "", "| click | national (s) | bundled (s) |", "|---|---|---|"]
    for name, sec in nat_click.items():
        lines.append(f"| {name} | {sec:.2f} | {bun_click[name]:.2f} |" if name in bun_click else
                     f"| {name} | {sec:.2f} | (one province) |")
    lines += ["",
              f"App process resident memory on the national database: {idle:,} MB when started, **{now:,} MB after "
              f"all these visits** (peak {peak:,} MB); on the bundled database {bun_now:,} MB.", ""]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-load", action="store_true", help="reuse bench/data/national.duckdb")
    ap.add_argument("--only", choices=["workbook", "pages", "browser"], help="run one part (with --skip-load)")
    a = ap.parse_args()
    if not (DATA / "scores.parquet").exists():
        raise SystemExit("run bench/national_data.py first")
    import duckdb
    import pandas
    import streamlit
    lines = [f"# Benchmark at national scale ({dt.date.today().isoformat()})", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; Python "
             f"{platform.python_version()}; duckdb {duckdb.__version__}, pandas {pandas.__version__}, streamlit "
             f"{streamlit.__version__}. Command: `.venv/bin/python bench/national.py`"
             f"{' --skip-load' if a.skip_load else ''}.", ""]
    if not a.skip_load:
        load_national(lines)
    if a.only in (None, "workbook"):
        workbook(lines)
    code, scope = biggest_province()
    if a.only in (None, "pages"):
        warm = pages(lines, code, scope)
        pandas_baseline(lines, scope, warm)
    if a.only in (None, "pages", "browser"):
        browser(lines, code)
    out = ROOT / "bench" / ("RESULTS-national.md" if a.only is None else f"RESULTS-national-{a.only}.md")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
