"""Time the unit queries (bounded to the province with the most units) on the national benchmark database (bench/data/national.duckdb), after bringing
it to the current schema with one empty write (which also times the refresh of the materialised unit scores).

    .venv/bin/python bench/national_queries.py [--no-write]"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

import queries  # noqa: E402
from etl import db as dbmod  # noqa: E402

DB = ROOT / "bench" / "data" / "national.duckdb"
QUERIES = [("unit_provinces", {}), ("unit_level_years", {}), ("units_of_level", dict(level="commune")),
           ("unit_totals", dict(level="commune")), ("unit_items", dict(level="commune", depth="domain", year=None)),
           ("unit_items", dict(level="commune", depth="criterion", year=2024)),
           ("unit_items", dict(level="commune", depth="sub_criterion", year=2024))]


def main() -> int:
    if "--no-write" not in sys.argv:
        t0 = time.time()
        dbmod.commit_new_version(DB, lambda con: 0, file_name="bench: refresh", sha=None, kind="bench")
        print(f"one write (copy, migrate, refresh, checks, swap): {time.time() - t0:.1f} s")
    con = duckdb.connect(str(DB), read_only=True)
    up = queries.run(con, "unit_provinces").sort_values("n_units", ascending=False)
    scope = [str(c) for c in up.unit_codes.iloc[0]]
    print(f"province p34:{up.code_p34.iloc[0]} ({up.n_units.iloc[0]:,} units, codes {', '.join(scope)})")
    for name, params in QUERIES:
        if name != "unit_provinces":
            params = dict(params, provinces=scope)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            df = queries.run(con, name, **params)
            times.append(time.perf_counter() - t0)
        print(f"{name} {params}: {len(df):,} rows, first {times[0]:.3f} s, then {min(times[1:]):.3f} s")
    con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
