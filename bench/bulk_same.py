"""Two database files hold the same rows: every data table (etl.db.DATA_TABLES) and the materialised
unit_score_item compared with EXCEPT ALL both ways, and unit_score_item's write order compared as its sequence of
(level, province, year) groups. Sums of doubles are not bit-reproducible (a parallel aggregate adds a parent's
children in the order its threads meet them: the same code loading the same file twice gave 192 of 16.4 M rows
differing in the last bit, 3.5599999999999996 against 3.56), so unit_score_item is compared exactly and with its
scores rounded to 9 decimals; the second must be equal. For a change to the load that must not change its result
(issue 22 item 5):
load the same file with the old code and the new, then

    .venv/bin/python bench/bulk_same.py OLD.duckdb NEW.duckdb

Prints one line per table and exits 1 on any difference."""
from __future__ import annotations

import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from etl.db import DATA_TABLES  # noqa: E402

ORDER = """select unit_level, province_code, year from (
               select unit_level, province_code, year, rowid,
                      lag(unit_level || province_code || year) over (order by rowid) as prev
               from {db}.unit_score_item)
           where prev is distinct from unit_level || province_code || year order by rowid"""


def differences(old: Path, new: Path) -> dict[str, tuple[int, int, int]]:
    """table -> (rows, rows only in old, rows only in new); "unit_score_item order" -> (groups, 0, 0 or 1)."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{old}' as a (read_only)")
    con.execute(f"attach '{new}' as b (read_only)")
    out = {}
    for t in DATA_TABLES + ["unit_score_item"]:
        n, only_a, only_b = con.execute(f"""select (select count(*) from a.{t}),
                                                   (select count(*) from (from a.{t} except all from b.{t})),
                                                   (select count(*) from (from b.{t} except all from a.{t}))""").fetchone()
        out[t] = (n, only_a, only_b)
    scores = "round(self_score, 9), round(appraised_score, 9), round(survey_score, 9)"
    rounded = f"""select * exclude (self_score, appraised_score, survey_score), {scores} from {{db}}.unit_score_item"""
    out["unit_score_item rounded"] = (out["unit_score_item"][0], *con.execute(f"""
        select (select count(*) from ({rounded.format(db="a")} except all {rounded.format(db="b")})),
               (select count(*) from ({rounded.format(db="b")} except all {rounded.format(db="a")}))""").fetchone())
    groups_a = con.execute(ORDER.format(db="a")).fetchall()
    groups_b = con.execute(ORDER.format(db="b")).fetchall()
    out["unit_score_item order"] = (len(groups_a), 0, int(groups_a != groups_b))
    return out


def main() -> int:
    old, new = (Path(p) for p in sys.argv[1:3])
    bad = 0
    for t, (n, only_old, only_new) in differences(old, new).items():
        print(f"{t:24} {n:>12,} rows   only in old {only_old:>9,}   only in new {only_new:>9,}")
        if t != "unit_score_item":          # its last bits: see the docstring; compared rounded
            bad += only_old + only_new
    print("SAME" if not bad else "DIFFERENT")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
