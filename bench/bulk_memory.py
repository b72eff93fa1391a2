"""The national bulk load under a memory limit (issue 22 item 5): `python -m etl bulk scores.parquet` into the
benchmark's setup database, run under `/usr/bin/time -v`, once per writer memory setting, back to back.

    .venv/bin/python bench/national_data.py                      # once: bench/data/scores.parquet (11.7 M rows)
    .venv/bin/python bench/bulk_memory.py [--limits 1500MB,none] [--runs 1]

For each run: wall time, CPU time (user + system), peak RSS, rows/s end to end (Python start included), the load
average before the run (1 minute), and the time of each stage (PAR_STAGE_TIMES, etl/db.py). Prints one Markdown row
per run; bench/RESULTS.md records them. Each run starts from a fresh copy of the setup database (no unit scores)."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DATA = ROOT / "bench" / "data"
SETUP = DATA / "bulk_setup" / "setup.duckdb"   # made once by bench/national.py's setup_db
WORK = DATA / "bulk"          # the loaded copy and its kept versions, apart from bench/national.py's database
NAMES = {"copied": "copy+open", "snapshot": "copy+open", "bulk_staged": "read+join", "bulk_checked": "checks",
         "prepared": "insert unit_score", "applied": "unit_score_item", "checked": "invariants",
         "committed": "commit/keep/swap", "kept": "commit/keep/swap", "swapped": "commit/keep/swap"}


def _stages(stderr: str) -> dict[str, float]:
    """Seconds per stage from the STAGE lines (each stage ends at its mark; several marks may share a column)."""
    marks = [(ln.split()[1], float(ln.split()[2])) for ln in stderr.splitlines() if ln.startswith("STAGE ")]
    out: dict[str, float] = {}
    for (_, t0), (name, t1) in zip(marks, marks[1:]):
        col = NAMES.get(name, name)
        out[col] = out.get(col, 0) + t1 - t0
    return out


def run(limit: str, scores: Path) -> dict:
    db = WORK / "load.duckdb"
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copyfile(SETUP, db)
    env = dict(os.environ, PAR_STAGE_TIMES="1")
    env.pop("PAR_DUCKDB_MEMORY", None)
    if limit != "default":
        env["PAR_DUCKDB_MEMORY"] = "1000GB" if limit == "none" else limit
    load = os.getloadavg()[0]
    p = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "etl", "--db", str(db), "bulk", str(scores)],
                       cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(p.stdout + p.stderr)
    err = p.stderr

    def field(label):
        return re.search(re.escape(label) + r": (.+)", err).group(1).strip()
    wall_txt = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall_txt.split(":")]
    wall = sum(x * 60 ** i for i, x in enumerate(reversed(parts)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    rss = int(field("Maximum resident set size (kbytes)")) / 1024
    n = int(p.stdout.split("Đã nạp ")[1].split(" dòng")[0].replace(".", "").replace(",", ""))
    st = _stages(err)
    marks = [float(ln.split()[2]) for ln in err.splitlines() if ln.startswith("STAGE ")]
    st["python start + end"] = wall - (marks[-1] - marks[0]) if marks else 0.0
    shutil.rmtree(WORK, ignore_errors=True)
    return dict(limit=limit, wall=wall, cpu=cpu, rss=rss, rows=n, load=load, stages=st)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limits", default="default,none", help="comma list: default (PAR_DUCKDB_MEMORY unset), "
                    "none (no practical limit), or a size such as 3GB")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--scores", type=Path, default=DATA / "scores.parquet")
    a = ap.parse_args()
    if not SETUP.exists():
        from national import setup_db
        SETUP.parent.mkdir(parents=True, exist_ok=True)
        setup_db(SETUP)
        shutil.rmtree(SETUP.parent / "versions", ignore_errors=True)
    cols = list(dict.fromkeys(NAMES.values())) + ["python start + end"]
    print("| memory | load avg | wall (s) | CPU (s) | peak RSS | rows/s | " + " | ".join(cols) + " |")
    print("|---" * (6 + len(cols)) + "|")
    for _ in range(a.runs):
        for limit in a.limits.split(","):
            r = run(limit, a.scores)
            print(f"| {limit} | {r['load']:.1f} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['rss']:,.0f} MB | "
                  f"{r['rows'] / r['wall']:,.0f} | " + " | ".join(f"{r['stages'].get(c, 0):.1f}" for c in cols) + " |",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
