"""Bulk unit scores from CSV or Parquet (the national set: millions of rows), validated and written in SQL.

The file has the long unit-score layout (`Đơn vị | Năm | Mã tiêu chí | Tự chấm | Thẩm định | Điều tra`) with
unit ids in `Đơn vị` (a national file names units by id; names are matched only by the Excel readers). Every
check of the Excel readers runs as one query over the whole file: unknown unit, unit not in force that year,
no framework, unknown code, text in a score, negative or above the maximum, duplicates. The first problems
of each kind are reported with their record number (1 = the header line), and nothing is written.

    python -m etl bulk scores.parquet [--db …]"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from etl import db as dbmod
from etl.files import check_file, sha256_of
from etl.problems import Problem, Rejected

COLS = {"Đơn vị": "unit_id", "Năm": "year", "Mã tiêu chí": "code", "Tự chấm": "self", "Thẩm định": "appraised",
        "Điều tra": "survey"}
SHOW = 20
# the most slot numbers counted with one bit each (32 MB a thread: 18,000 units of 140 sub-criteria); beyond, hashes
MAX_SLOTS = 1 << 28


def _source(path: Path) -> tuple[str, str]:
    """The file as a table function, and the SQL of its record number (1 = the header line)."""
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{str(path)}', file_row_number = true)", "file_row_number + 2"
    return f"read_csv('{str(path)}', header = true, all_varchar = true)", "row_number() over () + 1"


def _score(col: str, types: dict[str, str], name: str) -> str:
    """A score column's raw text and its number. A numeric Parquet column is its own number (every value is one):
    formatting 11.7 M numbers as text and parsing them back cost seconds."""
    if re.fullmatch(r"DOUBLE|FLOAT|REAL|DECIMAL.*|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?", types[col]):
        return f'null::varchar as {name}_raw, cast("{col}" as double) as {name}_score'
    return (f'cast("{col}" as varchar) as {name}_raw, '
            f'try_cast(replace(cast("{col}" as varchar), \',\', \'.\') as double) as {name}_score')


def _stage(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The file as `staged`: record number, raw text of each score and its number where it is one, joined with the
    unit, the framework in force for the unit's level and year, and the item (its maximum). A Parquet file stays a
    view, read again by each pass (cheap: columnar, compressed), so no copy of 11.7 M rows is held in memory or
    spilled; a CSV file is read once into a temp table (parsing it again would cost more)."""
    src, rec = _source(path)
    types = {r[0]: r[1] for r in con.execute(f"describe select * from {src}").fetchall()}
    cols = list(types)
    missing = [c for c in COLS if c not in cols]
    if missing:
        raise Rejected([Problem("column_missing", file=path.name, row=1, expected=", ".join(f"'{m}'" for m in missing))])
    # small lookups, so the 11.7 M-row join is on equality only (a range join on the framework years cost 1.5 s)
    con.execute("""create or replace temp table _fw_year as
                   select f.level, y.year::integer as year, f.framework_id
                   from framework f, range(2000, 2101) y(year)
                   where y.year between f.year_from and coalesce(f.year_to, 9999)""")
    con.execute("""create or replace temp table _fw_item as
                   select fy.level, fy.year, fi.code, fi.max_points,
                          row_number() over (partition by fy.level, fy.year order by fi.code) as item_no
                   from _fw_year fy
                   join framework_item fi on fi.framework_id = fy.framework_id and fi.depth = 'sub_criterion'""")
    con.execute("""create or replace temp table _unit as
                   select unit_id, level, valid_from_year, valid_to_year, row_number() over (order by unit_id) as unit_no
                   from unit""")
    con.execute(f"""
        create or replace temp {"view" if path.suffix.lower() == ".parquet" else "table"} staged as
        with s as (
            select {rec} as rec,
                   trim(cast("Đơn vị" as varchar)) as unit_id,
                   cast("Năm" as varchar) as year_raw, try_cast("Năm" as integer) as year,
                   trim(cast("Mã tiêu chí" as varchar)) as code,
                   {_score("Tự chấm", types, "self")}, {_score("Thẩm định", types, "appraised")},
                   {_score("Điều tra", types, "survey")}
            from {src})
        select s.*, u.level, u.valid_from_year, u.valid_to_year, fy.framework_id, fi.max_points,
               fi.code is not null as known_code,
               (u.unit_no * 101 + s.year - 2000) * {_slots(con)[1]} + fi.item_no as slot
        from s
        left join _unit u on u.unit_id = s.unit_id
        left join _fw_year fy on fy.level = u.level and fy.year = s.year
        left join _fw_item fi on fi.level = u.level and fi.year = s.year and fi.code = s.code""")


def _slots(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(how many slot numbers there can be, items per framework year): a slot numbers a row's unit, year (2000–2100)
    and sub-criterion, so two rows with the same slot repeat each other."""
    units, items = con.execute("select (select count(*) from _unit), (select coalesce(max(item_no), 0) + 1 "
                               "from _fw_item)").fetchone()
    return (units + 1) * 101 * items, items


_BAD_NUMBER = "{c}_raw is not null and trim({c}_raw) <> '' and {c}_score is null"
_TOP = "greatest(coalesce(self_score, 0), coalesce(appraised_score, 0), coalesce(survey_score, 0))"
CHECKS = [
    # (problem code, column, condition on staged, value, expected, detail)
    ("bad_year", "Năm", "year is null or year not between 2000 and 2100", "year_raw", "'2000–2100'", "''"),
    ("unknown_unit", "Đơn vị", "level is null", "unit_id", "''", "''"),
    ("unit_not_valid_year", "Đơn vị", "level is not null and year is not null and (year < valid_from_year "
     "or year > coalesce(valid_to_year, 9999))", "unit_id", "year", "''"),
    ("not_number", "Tự chấm", _BAD_NUMBER.format(c="self"), "self_raw", "''", "''"),
    ("not_number", "Thẩm định", _BAD_NUMBER.format(c="appraised"), "appraised_raw", "''", "''"),
    ("not_number", "Điều tra", _BAD_NUMBER.format(c="survey"), "survey_raw", "''", "''"),
    ("negative", "Thẩm định", "least(coalesce(self_score, 0), coalesce(appraised_score, 0), "
     "coalesce(survey_score, 0)) < 0", "least(self_score, appraised_score, survey_score)", "''", "''"),
    ("no_framework", "Năm", "level is not null and year is not null and framework_id is null", "year", "''", "level"),
    ("unknown_code", "Mã tiêu chí", "framework_id is not null and not known_code", "code", "framework_id", "''"),
    ("over_max", "Thẩm định", f"known_code and {_TOP} > max_points + 1e-9", _TOP, "max_points", "''"),
]


def read_checked(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Stage the file and run every check; raises Rejected with the first problems of each kind. A good file costs
    one pass for the flags and the duplicates' count; the located details are looked up only when a check fails."""
    _stage(con, path)
    dbmod._stage("bulk_staged")
    flags = ", ".join(f"count_if({cond})" for _, _, cond, *_ in CHECKS)
    # with the duplicates' count: a row whose unit, year and code are known has a number of its own (slot), and one
    # bit per number counts them distinct (0,3 s; a hash set of 11.7 M rows took 3 s); distinct hashes otherwise
    # (a collision only costs the exact look-up below, which then finds none)
    bits = _slots(con)[0]
    by_slot = bits <= MAX_SLOTS
    hashes = "count(distinct hash(unit_id, year, code))"
    *counts, n, distinct = con.execute(f"select {flags}, count(*), "
                                       f"{f'bit_count(bitstring_agg(slot, 0, {bits - 1}))' if by_slot else hashes} "
                                       "from staged").fetchall()[0]
    if by_slot and any(counts):     # some rows have no number: count them all by hash (the file is refused anyway)
        distinct = con.execute(f"select {hashes} from staged").fetchone()[0]
    probs: list[Problem] = []
    for (code, column, cond, value, expected, detail), k in zip(CHECKS, counts):
        if not k:
            continue
        for rec, v, e, d in con.execute(f"select rec, {value}, {expected}, {detail} from staged where {cond} "
                                        f"order by rec limit {SHOW}").fetchall():
            probs.append(Problem(code, file=path.name, row=int(rec), column=column, value=v, expected=e,
                                 detail=d if code == "no_framework" else ""))
    if n - distinct:
        for rec, first, unit_id, year, code in con.execute(f"""
                select rec, first_rec, unit_id, year, code from (
                    select rec, unit_id, year, code, min(rec) over (partition by unit_id, year, code) as first_rec
                    from staged) where rec <> first_rec order by rec limit {SHOW}""").fetchall():
            probs.append(Problem("duplicate", file=path.name, row=int(rec), value=f"{unit_id} {year} {code}",
                                 detail=str(first)))
    if probs:
        raise Rejected(probs)
    dbmod._stage("bulk_checked")
    return n


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
        con.execute("create or replace temp table _staged_uy as select distinct year, unit_id, framework_id from staged")
        con.execute("delete from unit_score where (unit_id, year) in (select unit_id, year from _staged_uy)")
        con.execute("delete from unit_year where (unit_id, year) in (select unit_id, year from _staged_uy)")
        con.execute("""insert into unit_score (year, unit_id, framework_id, item_code, self_score, appraised_score,
                                               survey_score, provenance, source_key)
                       select year, unit_id, framework_id, code, self_score, appraised_score, survey_score,
                              'published', $src from staged""", {"src": src})
        # their scores are the file's rows, found unique above: the invariant does not count them again (3 s)
        con.execute("create or replace temp table _checked_unique as select year, unit_id from _staged_uy")
        con.execute("""insert into unit_year (year, unit_id, framework_id, detail_level, provenance, source_key)
                       select year, unit_id, framework_id, 'sub_criterion', 'published', $src from _staged_uy""",
                    {"src": src})
        # a Parquet file is read again by each pass (a CSV file was copied once): checked and written the same
        if path.suffix.lower() == ".parquet" and sha256_of(path) != sha:
            raise Rejected([Problem("file_changed", file=path.name)])
        con.execute("""insert or replace into source (source_key, title, citation)
                       values ($src, $t, 'Tệp tải lên / loaded file ' || $t)""", {"src": src, "t": path.name})
        return n

    try:
        return dbmod.commit_new_version(db, prepare, file_name=path.name, sha=sha, kind="bulk_unit_scores", user=user)
    except Rejected as e:
        dbmod.record_rejection(db, path.name, sha, "bulk_unit_scores",
                               "\n".join(p.text("vi") for p in e.problems[:20]), user)
        raise
