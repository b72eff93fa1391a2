"""A national-scale dataset for the benchmark, seeded and reproducible, in the foundation's formats:

- before 2025: 63 provinces × (20 departments + 11 districts) and 10,600 communes; from 2025: 34 provinces × 15
  departments and 3,321 communes; 10 years (2016–2025);
- one benchmark framework per level with 100 sub-criteria (8 domains × 4 criteria × 3, plus 4);
- scores per unit, year and sub-criterion (self-assessed, appraised, survey): about 11.7 million rows.

    .venv/bin/python bench/national_data.py [--out bench/data] [--scale 1.0]

Writes `units.csv`, `frameworks.csv` + one framework CSV per level (the formats of data/raw/), and the scores in
the long unit-score format (`Đơn vị` is the unit id) as `scores.parquet` and `scores.csv`. Everything is made in
DuckDB from hashes of (unit, year, code): the same seed gives the same files."""
from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
YEARS = range(2016, 2026)
LEVELS = {"department": ("BENCH-DEPT", "D"), "district": ("BENCH-DIST", "H"), "commune": ("BENCH-COMM", "X")}


def framework_rows() -> list[dict]:
    """8 domains × 4 criteria × 3 sub-criteria (96) + 4 more in domain 8 = 100 sub-criteria, 100 points."""
    rows, order = [], 0
    for d in range(1, 9):
        order += 1
        n_sub = 12 + (4 if d == 8 else 0)
        rows.append(dict(code=str(d), parent_code="", depth="domain", max_points=n_sub))
        for c in range(1, 5):
            order += 1
            subs = 3 + (1 if d == 8 else 0)
            rows.append(dict(code=f"{d}.{c}", parent_code=str(d), depth="criterion", max_points=subs))
            for k in range(1, subs + 1):
                rows.append(dict(code=f"{d}.{c}.{k}", parent_code=f"{d}.{c}", depth="sub_criterion", max_points=1.0))
    out = []
    for i, r in enumerate(rows, start=1):
        out.append(dict(r, name_vi=f"Nội dung {r['code']}", name_en=f"Item {r['code']}",
                        is_survey=1 if r["code"].startswith("8.4") and r["depth"] == "sub_criterion" else 0,
                        agency_vi="Sở Nội vụ", agency_en="Department of Home Affairs", sort_order=i))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "data")
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the communes (for a quick run)")
    ap.add_argument("--seed", type=int, default=20261123)
    a = ap.parse_args()
    out = a.out
    (out / "frameworks").mkdir(parents=True, exist_ok=True)
    t0 = time.time()

    fw = framework_rows()
    for level, (fid, _) in LEVELS.items():
        with open(out / "frameworks" / f"{fid}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=["code", "parent_code", "depth", "name_vi", "name_en", "max_points",
                                              "is_survey", "agency_vi", "agency_en", "sort_order"])
            w.writeheader()
            w.writerows(fw)
    with open(out / "frameworks" / "frameworks.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["framework_id", "level", "year_from", "year_to", "name_vi", "name_en", "decision"])
        for level, (fid, _) in LEVELS.items():
            w.writerow([fid, level, 2016, "", f"Bộ tiêu chí benchmark {level}", f"Benchmark framework {level}",
                        "benchmark (generated)"])

    con = duckdb.connect()
    n_comm_old, n_comm_new = int(10_600 * a.scale), int(3_321 * a.scale)
    # units: the real province codes (63 before 2025, 34 from 2025, data/raw/published), so that a province's units
    # before and after the merger are found together as in real data; communes spread over the provinces
    pub = ROOT / "data" / "raw" / "published"
    con.execute(f"""create table p63 as select row_number() over (order by province_code) as i, province_code as code
                    from read_csv('{pub / 'provinces_63.csv'}', header = true, all_varchar = true)""")
    con.execute(f"""create table p34 as select row_number() over (order by province_code_2025) as i,
                           province_code_2025 as code
                    from read_csv('{pub / 'provinces_34_2025.csv'}', header = true, all_varchar = true)""")
    con.execute(f"""
        create table units as
        select 'P' || p.code || '-D' || lpad(k::varchar, 2, '0') as unit_id, p.code as province_code,
               'department' as level, 2016 as valid_from_year, 2024 as valid_to_year
        from p63 p, range(1, 21) s(k)
        union all
        select 'P' || p.code || '-H' || lpad(k::varchar, 2, '0'), p.code, 'district', 2016, 2024
        from p63 p, range(1, 12) s(k)
        union all
        select 'P' || p.code || '-X' || lpad(s.i::varchar, 5, '0'), p.code, 'commune', 2016, 2024
        from range(0, {n_comm_old}) s(i) join p63 p on p.i = 1 + s.i % 63
        union all
        select 'N' || p.code || '-D' || lpad(k::varchar, 2, '0'), p.code, 'department', 2025, null
        from p34 p, range(1, 16) s(k)
        union all
        select 'N' || p.code || '-X' || lpad(s.i::varchar, 5, '0'), p.code, 'commune', 2025, null
        from range(0, {n_comm_new}) s(i) join p34 p on p.i = 1 + s.i % 34""")
    con.execute("""copy (select unit_id, province_code, level, unit_id as name_vi, unit_id as name_en,
                                null as parent_unit_id, valid_from_year, valid_to_year, null as successor_id
                         from units order by unit_id) to '{}' (header, delimiter ',')""".format(out / "units.csv"))
    con.execute("create table leaves as select * from (values " + ", ".join(
        f"('{r['code']}', {int(r['is_survey'])})" for r in fw if r["depth"] == "sub_criterion") + ") t(code, is_survey)")
    # scores: a unit quality, a yearly drift, an item difficulty and noise, all from hashes of the seed
    con.execute(f"""
        create table scores as
        with uy as (
            select u.unit_id, y.year, u.level
            from units u, range(2016, 2026) y(year)
            where y.year between u.valid_from_year and coalesce(u.valid_to_year, 2100)
        ),
        s as (
            select uy.unit_id, uy.year, l.code, l.is_survey,
                   least(1.0, greatest(0.0,
                       0.78 + ((hash(uy.unit_id, {a.seed}) % 1000) / 1000.0 - 0.5) * 0.3
                       + (uy.year - 2016) * 0.006
                       + ((hash(l.code, {a.seed}) % 1000) / 1000.0 - 0.5) * 0.4
                       + ((hash(uy.unit_id, uy.year, l.code, {a.seed}) % 1000) / 1000.0 - 0.5) * 0.2)) as share,
                   (hash(uy.unit_id, uy.year, l.code, {a.seed} + 1) % 100) / 100.0 as claim
            from uy, leaves l
        )
        select unit_id as "Đơn vị", year as "Năm", code as "Mã tiêu chí",
               case when is_survey = 1 then null else least(1.0, round((share + claim * 0.15) * 4) / 4) end
                   as "Tự chấm",
               case when is_survey = 1 then null else round(share * 4) / 4 end as "Thẩm định",
               case when is_survey = 1 then round(share, 2) else null end as "Điều tra"
        from s""")
    n = con.execute("select count(*) from scores").fetchall()[0][0]
    con.execute(f"copy scores to '{out / 'scores.parquet'}' (format parquet, compression zstd, row_group_size 500000)")
    con.execute(f"copy scores to '{out / 'scores.csv'}' (header, delimiter ',')")
    # one province-year as an Excel template file (about 500 units × 100 rows)
    con.close()
    print(f"{n:,} score rows, {len(fw)} framework items per level; files in {out} ({time.time() - t0:.1f} s)")
    for p in sorted(out.glob("*")):
        if p.is_file():
            print(f"  {p.name}: {p.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
