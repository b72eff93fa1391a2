"""Bulk unit scores from CSV or Parquet (the national set: millions of rows), validated and written in SQL.

The file has the long unit-score layout (`Đơn vị | Năm | Mã tiêu chí | Tự chấm | Thẩm định | Điều tra`) with
unit ids in `Đơn vị` (a national file names units by id; names are matched only by the Excel readers). Every
check of the Excel readers runs as one query over the whole file: unknown unit, unit not in force that year,
no framework, unknown code, text in a score, negative or above the maximum, duplicates. The first problems
of each kind are reported with their record number (1 = the header line), and nothing is written.

    python -m etl bulk scores.parquet [--db …]"""
from __future__ import annotations

from pathlib import Path

import duckdb

from etl import db as dbmod
from etl.files import check_file, sha256_of
from etl.problems import Problem, Rejected

COLS = {"Đơn vị": "unit_id", "Năm": "year", "Mã tiêu chí": "code", "Tự chấm": "self", "Thẩm định": "appraised",
        "Điều tra": "survey"}
SHOW = 20


def _source(path: Path) -> str:
    fn = "read_parquet" if path.suffix.lower() == ".parquet" else "read_csv"
    opts = "" if fn == "read_parquet" else ", header = true, all_varchar = true"
    return f"{fn}('{str(path)}'{opts})"


def _stage(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The file as a table: record number, raw text of each score, and its number where it is one."""
    src = _source(path)
    cols = [r[0] for r in con.execute(f"describe select * from {src}").fetchall()]
    missing = [c for c in COLS if c not in cols]
    if missing:
        raise Rejected([Problem("column_missing", file=path.name, row=1, expected=", ".join(f"'{m}'" for m in missing))])
    con.execute(f"""
        create or replace temp table stage as
        select row_number() over () + 1 as rec,
               trim(cast("Đơn vị" as varchar)) as unit_id,
               cast("Năm" as varchar) as year_raw, try_cast("Năm" as integer) as year,
               trim(cast("Mã tiêu chí" as varchar)) as code,
               cast("Tự chấm" as varchar) as self_raw, cast("Thẩm định" as varchar) as appraised_raw,
               cast("Điều tra" as varchar) as survey_raw,
               try_cast(replace(cast("Tự chấm" as varchar), ',', '.') as double) as self_score,
               try_cast(replace(cast("Thẩm định" as varchar), ',', '.') as double) as appraised_score,
               try_cast(replace(cast("Điều tra" as varchar), ',', '.') as double) as survey_score
        from {src}""")


CHECKS = [
    # (problem code, column, SQL returning rec, value[, expected])
    ("bad_year", "Năm", "select rec, year_raw, '2000–2100' from stage where year is null or year not between 2000 and 2100"),
    ("unknown_unit", "Đơn vị", """select s.rec, s.unit_id, '' from stage s
                                  where not exists (select 1 from unit u where u.unit_id = s.unit_id)"""),
    ("unit_not_valid_year", "Đơn vị", """select s.rec, s.unit_id, s.year from stage s join unit u using (unit_id)
                                         where s.year is not null and (s.year < u.valid_from_year
                                               or s.year > coalesce(u.valid_to_year, 9999))"""),
    ("not_number", "Tự chấm", "select rec, self_raw, '' from stage where self_raw is not null and trim(self_raw) <> '' and self_score is null"),
    ("not_number", "Thẩm định", "select rec, appraised_raw, '' from stage where appraised_raw is not null and trim(appraised_raw) <> '' and appraised_score is null"),
    ("not_number", "Điều tra", "select rec, survey_raw, '' from stage where survey_raw is not null and trim(survey_raw) <> '' and survey_score is null"),
    ("negative", "Thẩm định", "select rec, least(self_score, appraised_score, survey_score), '' from stage where least(coalesce(self_score, 0), coalesce(appraised_score, 0), coalesce(survey_score, 0)) < 0"),
]


def read_checked(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Stage the file and run every check; raises Rejected with the first problems of each kind."""
    _stage(con, path)
    dbmod._stage("bulk_staged")
    probs: list[Problem] = []
    for code, column, sql in CHECKS:
        for rec, value, expected in con.execute(sql + f" order by 1 limit {SHOW}").fetchall():
            probs.append(Problem(code, file=path.name, row=int(rec), column=column, value=value, expected=expected))
    # framework and item: the framework in force for the unit's level and year
    con.execute("""
        create or replace temp table staged as
        select s.*, f.framework_id, fi.max_points, fi.code is not null as known_code
        from stage s
        join unit u using (unit_id)
        left join framework f on f.level = u.level and s.year between f.year_from and coalesce(f.year_to, 9999)
        left join framework_item fi on fi.framework_id = f.framework_id and fi.code = s.code
                                   and fi.depth = 'sub_criterion'""")
    for rec, unit_id, year in con.execute(f"select rec, unit_id, year from staged where framework_id is null "
                                          f"order by rec limit {SHOW}").fetchall():
        probs.append(Problem("no_framework", file=path.name, row=int(rec), column="Năm", value=year, detail=unit_id))
    for rec, code, fid in con.execute(f"select rec, code, framework_id from staged where framework_id is not null "
                                      f"and not known_code order by rec limit {SHOW}").fetchall():
        probs.append(Problem("unknown_code", file=path.name, row=int(rec), column="Mã tiêu chí", value=code,
                             expected=fid, detail=""))
    for rec, v, mx in con.execute(f"""select rec, greatest(coalesce(self_score, 0), coalesce(appraised_score, 0),
                                             coalesce(survey_score, 0)), max_points from staged
                                      where known_code and greatest(coalesce(self_score, 0), coalesce(appraised_score, 0),
                                            coalesce(survey_score, 0)) > max_points + 1e-9
                                      order by rec limit {SHOW}""").fetchall():
        probs.append(Problem("over_max", file=path.name, row=int(rec), column="Thẩm định", value=v, expected=mx))
    for rec, first, unit_id, year, code in con.execute(f"""
            select rec, first_rec, unit_id, year, code from (
                select rec, unit_id, year, code, min(rec) over (partition by unit_id, year, code) as first_rec
                from stage) where rec <> first_rec order by rec limit {SHOW}""").fetchall():
        probs.append(Problem("duplicate", file=path.name, row=int(rec), value=f"{unit_id} {year} {code}",
                             detail=str(first)))
    if probs:
        raise Rejected(probs)
    dbmod._stage("bulk_checked")
    return con.execute("select count(*) from staged").fetchall()[0][0]


def load_bulk(path: Path, db: Path, user: str | None = None) -> int:
    path, db = Path(path), Path(db)
    if path.suffix.lower() != ".parquet":
        check_file(path, max_bytes=1 << 40)          # a national file is large by nature; the type is still checked
    elif not path.is_file():
        raise Rejected([Problem("file_missing", file=path.name)])
    sha = sha256_of(path)

    def prepare(con):
        n = read_checked(con, path)
        src = f"FILE:{path.name}"
        con.execute("""delete from unit_score where (unit_id, year) in (select distinct unit_id, year from staged)""")
        con.execute("""delete from unit_year where (unit_id, year) in (select distinct unit_id, year from staged)""")
        con.execute("""insert into unit_score (year, unit_id, framework_id, item_code, self_score, appraised_score,
                                               survey_score, provenance, source_key)
                       select year, unit_id, framework_id, code, self_score, appraised_score, survey_score,
                              'published', $src from staged""", {"src": src})
        con.execute("""insert into unit_year (year, unit_id, framework_id, detail_level, provenance, source_key)
                       select distinct year, unit_id, framework_id, 'sub_criterion', 'published', $src from staged""",
                    {"src": src})
        con.execute("""insert or replace into source (source_key, title, citation)
                       values ($src, $t, 'Tệp tải lên / loaded file ' || $t)""", {"src": src, "t": path.name})
        return n

    try:
        return dbmod.commit_new_version(db, prepare, file_name=path.name, sha=sha, kind="bulk_unit_scores", user=user)
    except Rejected as e:
        dbmod.record_rejection(db, path.name, sha, "bulk_unit_scores",
                               "\n".join(p.text("vi") for p in e.problems[:20]), user)
        raise
