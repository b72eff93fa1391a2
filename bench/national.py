"""The national-scale benchmark: load the generated dataset (bench/national_data.py), then time every Home
Affairs page's query set (cold and warm, p50/p95), each page's warm rerun in AppTest, a naive pandas baseline,
and the app process's memory. Writes bench/RESULTS.md.

    .venv/bin/python bench/national_data.py          # once: ~11.7 million score rows in bench/data
    .venv/bin/python bench/national.py               # builds bench/data/national.duckdb, measures, writes RESULTS.md

Not part of `make test`."""
from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
DB = DATA / "national.duckdb"
PAGES = {   # page -> URL parameters, the heaviest level (communes) and a detailed year
    "unit_ranking": dict(level="commune", year="2024"),
    "criterion_gaps": dict(level="commune", year="2024", depth="criterion"),
    "self_vs_appraisal": dict(level="commune", year="2024"),
    "unit_profile": dict(level="commune", year="2024"),
    "targets": dict(level="commune", year="2024", depth="criterion"),
    "unit_alerts": dict(level="commune", year="2024"),
}


def sh(*args, env=None) -> tuple[float, int, str]:
    """Run a command; (seconds, peak resident MB of the child, output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    sec = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit(p.stdout + p.stderr)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024
    return sec, peak, p.stdout


def build(db: Path) -> None:
    """The bundled database's national data, with the benchmark's frameworks and units instead of the home
    province's demo units."""
    import duckdb
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
        con.execute("insert into unit_alias select distinct lower(unit_id), unit_id from unit")
        return 0
    dbmod.commit_new_version(db, prepare, file_name="bench setup", sha=None, kind="bench")
    del duckdb


def main() -> int:
    if not (DATA / "scores.parquet").exists():
        raise SystemExit("run bench/national_data.py first")
    lines = [f"# Benchmark at national scale ({dt.date.today().isoformat()})", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"duckdb {__import__('duckdb').__version__}, pandas {__import__('pandas').__version__}, "
             f"streamlit {__import__('streamlit').__version__}.", ""]

    # --- loading ------------------------------------------------------------------------------------------
    lines += ["## Loading", "", "| file | size | rows | seconds | rows/s | peak RSS |", "|---|---|---|---|---|---|"]
    for name in ("scores.parquet", "scores.csv"):
        db = DATA / f"load_{name.split('.')[1]}.duckdb"
        build(db)
        f = DATA / name
        sec, peak, out = sh(sys.executable, "-m", "etl", "--db", str(db), "bulk", str(f))
        n = int(out.split("Đã nạp ")[1].split(" dòng")[0].replace(",", ""))
        lines.append(f"| {name} | {f.stat().st_size / 1e6:,.0f} MB | {n:,} | {sec:.1f} | {n / sec:,.0f} | {peak:,} MB |")
        print(lines[-1], flush=True)
        if name == "scores.parquet":
            shutil.move(db, DB)
            for p in db.parent.glob(f".{db.name}*"):
                p.unlink()
        else:
            db.unlink()
    lines.append("")

    # --- query sets per page (recorded from an AppTest run of the page, replayed cold and warm) ----------
    import duckdb
    import queries
    from streamlit.testing.v1 import AppTest
    os.environ["PAR_DB"] = str(DB)
    import ui.data as D
    D.DB_PATH = DB
    recorded: dict[str, list[tuple[str, dict]]] = {}
    real_run = queries.run

    def recording(con, name, **params):
        recorded.setdefault(current[0], []).append((name, params))
        return real_run(con, name, **params)

    current = [""]
    queries.run = recording
    reruns = {}
    for page, params in PAGES.items():
        current[0] = page
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(f"pages/{page}.py")
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        if at.exception:
            raise SystemExit(f"{page}: {at.exception[0].value}")
        warm = []
        for _ in range(5):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        reruns[page] = (first, statistics.median(warm), max(warm))
        print(page, reruns[page], flush=True)
    queries.run = real_run
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    lines += ["## Query sets per page (communes, 2024)", "",
              "Each page's queries as the page runs them, replayed on a new connection (cold: first run of each query "
              "after opening the file) and repeated (warm, 7 runs; p50 and p95 of the whole set).", "",
              "| page | queries | cold (ms) | warm p50 (ms) | warm p95 (ms) |", "|---|---|---|---|---|"]
    for page, qs in recorded.items():
        uniq = list(dict.fromkeys((n, tuple(sorted(p.items()))) for n, p in qs))
        con = duckdb.connect(str(DB), read_only=True)
        t0 = time.perf_counter()
        for n, p in uniq:
            real_run(con, n, **dict(p))
        cold = time.perf_counter() - t0
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            for n, p in uniq:
                real_run(con, n, **dict(p))
            times.append(time.perf_counter() - t0)
        con.close()
        times.sort()
        lines.append(f"| {page} | {', '.join(sorted({n for n, _ in uniq}))} | {cold * 1000:,.0f} | "
                     f"{statistics.median(times) * 1000:,.0f} | {times[-1] * 1000:,.0f} |")
        print(lines[-1], flush=True)
    lines += ["", "## Page reruns in AppTest (communes, 2024)", "",
              "| page | first run (s) | warm rerun p50 (s) | warm max (s) |", "|---|---|---|---|"]
    for page, (first, p50, mx) in reruns.items():
        lines.append(f"| {page} | {first:.2f} | {p50:.3f} | {mx:.3f} |")
    lines += ["", f"Peak resident memory of this process (the app's code and caches, all six pages run): {rss:,} MB.", ""]

    # --- a naive pandas baseline for the core computation: totals per unit and year, criteria per unit ------
    import pandas as pd
    t0 = time.perf_counter()
    s = pd.read_parquet(DATA / "scores.parquet")
    read = time.perf_counter() - t0
    t0 = time.perf_counter()
    s["final"] = s["Thẩm định"].fillna(0) + s["Điều tra"].fillna(0)
    s["crit"] = s["Mã tiêu chí"].str.rsplit(".", n=1).str[0]
    tot = s.groupby(["Đơn vị", "Năm"]).final.sum()
    crit = s[s["Năm"] == 2024].groupby(["Đơn vị", "crit"]).final.sum()
    pandas_s = time.perf_counter() - t0
    con = duckdb.connect(str(DB), read_only=True)
    t0 = time.perf_counter()
    real_run(con, "unit_totals", level="commune")
    real_run(con, "unit_items", level="commune", depth="criterion")
    duck_s = time.perf_counter() - t0
    con.close()
    lines += ["## Baseline: the same core computation in pandas", "",
              f"Totals per unit-year and criteria per unit (2024), naive pandas on the 11.7 M rows: read "
              f"{read:.1f} s + compute {pandas_s:.1f} s (the whole country, all levels). The app's two queries for it "
              f"(communes): {duck_s:.1f} s. Ratio pandas/app: {(read + pandas_s) / duck_s:.1f}×.", ""]
    out = ROOT / "bench" / "RESULTS.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    del tot, crit
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
