"""The only module that writes the database.

Every change builds a new database file beside the current one and swaps it in with an atomic
rename, so a reading app is never blocked (DuckDB locks, see STACK.md), a failure or a kill leaves the
last good file untouched, and the replaced file is kept as a version for rollback."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from etl import schemes
from etl.batch import Batch
from etl.invariants import violation, violations
from etl.problems import Problem, Rejected

SCHEMA = Path(__file__).with_name("schema.sql")
ITEM_SQL = Path(__file__).with_name("unit_score_item.sql")
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "index.duckdb"
# database versions kept in data/versions/ (each load or rollback keeps the one it replaces); PAR_KEEP_VERSIONS
# changes it (each is a full copy of the database: 10–40 MB with the bundled data, hundreds at national scale)
KEEP_VERSIONS = max(1, int(os.environ.get("PAR_KEEP_VERSIONS", "5")))
DATA_TABLES = ["province", "province_scheme", "province_crosswalk", "province_alias", "source", "index_def", "measure",
               "province_score", "national_stat", "framework", "framework_item", "unit", "unit_alias",
               "unit_score", "unit_year", "unit_band", "method_break", "setting", "plan_line"]


# a writer's memory: DuckDB spills what does not fit to a folder beside the database (a national bulk load peaked at
# 6 GB without a limit; a provincial server often has 8 GB). PAR_DUCKDB_MEMORY changes it ("3GB").
WRITER_MEMORY = os.environ.get("PAR_DUCKDB_MEMORY", "1500MB")


def _limit_memory(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)", WRITER_MEMORY):
        raise ValueError(f"PAR_DUCKDB_MEMORY không hợp lệ / invalid: {WRITER_MEMORY!r} (vd./e.g. 1500MB, 3GB)")
    spill = db.parent / f".{db.name}.spill"
    con.execute(f"set memory_limit = '{WRITER_MEMORY}'")
    con.execute(f"set temp_directory = '{spill}'")


def versions_dir(db: Path) -> Path:
    return db.parent / "versions"


def journal_path(db: Path) -> Path:
    return db.with_suffix(".attempts.jsonl")


@contextmanager
def writer_lock(db: Path):
    """One writer at a time (a second load waits)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.parent / f".{db.name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA.read_text(encoding="utf-8"))


def _table_sql(name: str) -> str:
    """The `create table <name> (...)` statement of schema.sql (one source of truth for migrations)."""
    text = SCHEMA.read_text(encoding="utf-8")
    i = text.index(f"create table {name} (")
    return text[i:text.index(");", i) + 2]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("select column_name from duckdb_columns() where table_name = $t",
                                      {"t": table}).fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring a file written by an earlier version to the current schema. Returns True when the materialised
    unit scores were (re)created empty and need a full refresh. Earlier shapes: unit_scores a view summing on
    every query; then a wide unit_score_item with names copied in; unit_score with a primary-key index."""
    full = False
    if not _columns(con, "plan_line"):
        con.execute(_table_sql("plan_line"))
    if not _columns(con, "province_scheme"):                 # the year -> province list rule, until 2026-12 in SQL
        con.execute(_table_sql("province_scheme"))
        con.register("_schemes", schemes.scheme_year_table())
        con.execute("insert into province_scheme by name select * from _schemes")
        con.unregister("_schemes")
        schema = SCHEMA.read_text(encoding="utf-8")
        con.execute(schema[schema.index("create view province_scores as"):schema.index("-- Every depth of every")]
                    .replace("create view", "create or replace view"))
    if "province_code" not in _columns(con, "unit_score_item"):
        con.execute("drop view if exists unit_scores")
        con.execute("drop view if exists unit_scores_live")
        con.execute("drop table if exists unit_score_item")
        schema = SCHEMA.read_text(encoding="utf-8")
        con.execute(_table_sql("unit_score_item"))
        con.execute(schema[schema.index("create view unit_scores as"):schema.index("create view load_log as")])
        full = True
    has_pk = con.execute("""select count(*) from duckdb_constraints() where table_name = 'unit_score'
                            and constraint_type = 'PRIMARY KEY'""").fetchall()[0][0]
    if has_pk:
        con.execute("alter table unit_score rename to unit_score_pk")
        con.execute(_table_sql("unit_score"))
        con.execute("insert into unit_score by name select * from unit_score_pk")
        con.execute("drop table unit_score_pk")
    if "note" in _columns(con, "method_break"):              # one note, in English, until 2026-12
        con.execute("alter table method_break rename column note to note_en")
        con.execute("alter table method_break add column note_vi text")
    return full


# What the materialised unit scores depend on, per unit-year, per unit and per framework: compared before and
# after a write, the differences name the unit-years to recompute (a digest costs ~0.3 s on 11.7 M rows).
_DIGESTS = {
    "_dg_score": """select year, unit_id, count(*) as n,
                           sum(hash(item_code, framework_id, self_score, appraised_score, survey_score, provenance)) as h
                    from unit_score group by year, unit_id""",
    "_dg_unit": "select unit_id, hash(level, province_code) as h from unit",
    "_dg_fw": """select framework_id, sum(hash(code, parent_code, depth, max_points)) as h
                 from framework_item group by framework_id""",
}


def snapshot(con: duckdb.DuckDBPyConnection) -> None:
    """Record the digests before a write (see refresh_derived)."""
    for name, sql in _DIGESTS.items():
        con.execute(f"create or replace temp table {name} as {sql}")


def refresh_derived(con: duckdb.DuckDBPyConnection, full: bool = False) -> int:
    """Recompute unit_score_item, inside the write's transaction, for the unit-years whose scores, unit (level,
    province) or framework tree changed since snapshot(); everything when `full` or without a snapshot. Leaves
    the temp table _touched(year, unit_id) for the invariants. Returns the number of unit-years recomputed."""
    has_snapshot = con.execute("select count(*) from duckdb_tables() where table_name = '_dg_score' "
                               "and temporary").fetchall()[0][0]
    if full or not has_snapshot:
        con.execute("create or replace temp table _touched as select distinct year, unit_id from unit_score "
                    "union select distinct year, unit_id from unit_score_item")
    else:
        # units whose level or province changed, frameworks whose tree changed: usually none, and then the
        # two scans of the score tables below are skipped (1 s at national scale)
        con.execute(f"""create or replace temp table _changed_units as
                        select coalesce(a.unit_id, b.unit_id) as unit_id
                        from _dg_unit a full join ({_DIGESTS["_dg_unit"]}) b on a.unit_id = b.unit_id
                        where a.h is distinct from b.h""")
        con.execute(f"""create or replace temp table _changed_fws as
                        select coalesce(a.framework_id, b.framework_id) as framework_id
                        from _dg_fw a full join ({_DIGESTS["_dg_fw"]}) b on a.framework_id = b.framework_id
                        where a.h is distinct from b.h""")
        con.execute(f"""
            create or replace temp table _touched as
            with new_score as ({_DIGESTS["_dg_score"]})
            select coalesce(a.year, b.year) as year, coalesce(a.unit_id, b.unit_id) as unit_id
            from _dg_score a full join new_score b on a.year = b.year and a.unit_id = b.unit_id
            where a.n is distinct from b.n or a.h is distinct from b.h""")
        if con.execute("select (select count(*) from _changed_units) + (select count(*) from _changed_fws)"
                       ).fetchone()[0]:
            con.execute("""
                insert into _touched
                select year, unit_id from unit_score_item where unit_id in (select unit_id from _changed_units)
                   or framework_id in (select framework_id from _changed_fws)
                union
                select year, unit_id from unit_score where unit_id in (select unit_id from _changed_units)
                   or framework_id in (select framework_id from _changed_fws)
                except
                select year, unit_id from _touched""")
    n = con.execute("select count(*) from _touched").fetchall()[0][0]
    if n:
        con.execute("delete from unit_score_item where (year, unit_id) in (select year, unit_id from _touched)")
        _write_items(con, n)
    return n


# unit-years per pass of unit_score_item.sql: its sort of a national load (16 M rows) needs 4 GB at once, more than a
# writer's memory limit, and spilling it cost 2.6x the time; a pass of 25,000 unit-years (about 3.5 M rows) fits
ITEM_PASS = 25_000


# The numbering unit_score_item.sql joins and sums on: a number per unit (with the key its rows are written in:
# level, province, then year; one integer sort key sorts 16 M rows 3 s faster than three) and per framework item
# (a parent named by an item that is not in the framework keeps a number too, as the text keys kept its code).
_NUMBERS = ["""create or replace temp table _unit_no as
               select unit_id, level, province_code, row_number() over (order by unit_id) as uno,
                      dense_rank() over (order by level, province_code) * 10000 as cluster
               from unit""",
            """create or replace temp table _item_no as
               with k as (select framework_id, code from framework_item
                          union select framework_id, parent_code from framework_item where parent_code is not null),
                    n as (select framework_id, code, row_number() over (order by framework_id, code) as ino,
                                 dense_rank() over (order by code) as code_no from k)
               select n.framework_id, n.code, n.ino, n.code_no, fi.depth, p.ino as parent_ino
               from n left join framework_item fi on fi.framework_id = n.framework_id and fi.code = n.code
               left join n p on p.framework_id = n.framework_id and p.code = fi.parent_code"""]


def _write_items(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """Run unit_score_item.sql for _touched, in passes of about ITEM_PASS unit-years when there are more. A pass
    takes whole (level, province) groups in the order the SQL sorts on, so the rows are written in the same order
    as by one pass. _touched holds every unit-year again afterwards (the invariants read it)."""
    sql = ITEM_SQL.read_text(encoding="utf-8")
    for numbering in _NUMBERS:
        con.execute(numbering)
    if n <= ITEM_PASS:
        con.execute(sql)
        return
    con.execute("""create or replace temp table _touched_all as
                   with g as (select u.level, u.province_code, count(*) as n
                              from _touched t join unit u using (unit_id) group by all),
                        p as (select level, province_code,
                                     (sum(n) over (order by level, province_code) - n) // $size as pass from g)
                   select t.year, t.unit_id, coalesce(p.pass, 0) as pass
                   from _touched t left join unit u using (unit_id)
                   left join p on p.level = u.level and p.province_code = u.province_code""", {"size": ITEM_PASS})
    for (k,) in con.execute("select distinct pass from _touched_all order by pass").fetchall():
        con.execute("create or replace temp table _touched as select year, unit_id from _touched_all where pass = $k",
                    {"k": k})
        con.execute(sql)
    con.execute("create or replace temp table _touched as select year, unit_id from _touched_all")
    con.execute("drop table _touched_all")


def apply(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Delete what the batch replaces, insert its rows (by column name). Caller owns the transaction."""
    for table, where, params in batch.replaces:
        con.execute(f"delete from {table} where {where}", params)
    for table, df in batch.tables.items():
        if df is None or df.empty:
            continue
        con.register("_batch_df", df)
        try:
            con.execute(f"insert into {table} by name select * from _batch_df")
        finally:
            con.unregister("_batch_df")


# The unit-score row checks, in one pass over the changed unit-years (three joins took 1.6 s at 11.7 M rows):
# name (English, as etl.db.invariants returns it) -> (condition, Vietnamese message, English message)
_SCORE_CHECKS = {
    "appraised/self/survey score above the maximum or below 0": (
        """fi.code is not null and (greatest(coalesce(s.appraised_score, 0), coalesce(s.self_score, 0),
                                            coalesce(s.survey_score, 0)) > fi.max_points + 1e-9
             or least(coalesce(s.appraised_score, 0), coalesce(s.self_score, 0), coalesce(s.survey_score, 0)) < 0)""",
        "{n} điểm đơn vị (tự chấm, thẩm định hoặc điều tra) lớn hơn điểm tối đa hoặc nhỏ hơn 0",
        "{n} unit scores (self-assessed, appraised or survey) above the maximum or below 0"),
    "unit score for an item not in its framework": (
        "fi.code is null",
        "{n} điểm đơn vị cho tiêu chí không có trong bộ tiêu chí của đơn vị",
        "{n} unit scores for an item not in the unit's framework"),
    "unit score for an unknown unit": (
        "u.unit_id is null",
        "{n} điểm của đơn vị không có trong danh sách đơn vị",
        "{n} scores of a unit not on the unit list"),
}
_REPEATED = ("unit score repeated (same unit, year and item)",
             "{n} điểm đơn vị lặp lại (cùng đơn vị, năm và tiêu chí)",
             "{n} unit scores repeated (same unit, year and item)")


def invariant_problems(con: duckdb.DuckDBPyConnection, file_name: str = "") -> list[Problem]:
    """Problems with the database as a whole, each in both languages; an empty list means it is sound. The row
    checks of unit scores (counts) look at the unit-years refresh_derived found changed (_touched): every input of
    those checks is in its digests. The other invariants are etl/invariants/*.sql, each reporting its offending rows."""
    score_sql = f"""select {", ".join(f"count_if({c})" for c, _, _ in _SCORE_CHECKS.values())}
                    from (select * from unit_score {{touched}}) s
                    left join framework_item fi on fi.framework_id = s.framework_id and fi.code = s.item_code
                    left join unit u on u.unit_id = s.unit_id"""
    # repeated (unit, year, item): distinct hashes first, the exact count only if they differ (a hash collision)
    repeated = "select count(*) - count(distinct hash(year, unit_id, item_code)) from unit_score {touched}"
    repeated_exact = """select count(*) from (select year, unit_id, item_code from unit_score {touched}
                                              group by all having count(*) > 1)"""
    has = _temp_table(con, "_touched")
    touched = "semi join _touched using (year, unit_id)" if has else ""
    out = []
    for (name, (_, vi, en)), n in zip(_SCORE_CHECKS.items(), con.execute(score_sql.replace("{touched}", touched)).fetchone()):
        if n:
            out.append(_counted(file_name, name, vi, en, n))
    scope = _repeated_scope(con, touched)
    if scope is not None and con.execute(repeated.replace("{touched}", scope)).fetchone()[0]:
        n = con.execute(repeated_exact.replace("{touched}", scope)).fetchone()[0]
        if n:
            out.append(_counted(file_name, *_REPEATED, n))
    return out + violations(con, file_name)


def _temp_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("select count(*) from duckdb_tables() where table_name = $t and temporary",
                       {"t": name}).fetchall()[0][0] > 0


def _repeated_scope(con: duckdb.DuckDBPyConnection, touched: str) -> str | None:
    """The unit-years whose scores the repeated check counts: the changed ones, less those a loader wrote from a file
    it found free of repeats itself (etl/bulk.py names them in _checked_unique); None when none are left."""
    if not touched or not _temp_table(con, "_checked_unique"):
        return touched
    con.execute("""create or replace temp table _repeat_scope as
                   select year, unit_id from _touched except select year, unit_id from _checked_unique""")
    if not con.execute("select count(*) from _repeat_scope").fetchone()[0]:
        return None
    return "semi join _repeat_scope using (year, unit_id)"


def _counted(file_name: str, name: str, vi: str, en: str, n: int) -> Problem:
    v = violation(file_name, (vi, en), {"n": n})
    v.detail = f"{name}: {n}"           # as etl.db.invariants has always said it
    return v


def invariants(con: duckdb.DuckDBPyConnection) -> list[str]:
    """invariant_problems in English, one line each (the CLI and tests); an empty list means the database is sound."""
    return [p.detail for p in invariant_problems(con)]


def copied_years(con: duckdb.DuckDBPyConnection, batch: Batch) -> list[Problem]:
    """A year in the batch whose values exactly repeat another year already in the database."""
    probs = []
    ps = batch.tables.get("province_score")
    if ps is not None and not ps.empty:
        new = ps[(ps.measure_code == "total") & ps.score.notna()][["index_name", "year", "province_code", "score"]]
        con.register("_new_ps", new)
        try:
            hits = con.execute("""
                with a as (select * from _new_ps),
                     n as (select index_name, year, count(*) as k from a group by all),
                     b as (select index_name, year, province_code, score from province_score
                           where measure_code = 'total' and score is not null)
                select a.index_name, a.year, b.year as other
                from a join b on b.index_name = a.index_name and b.province_code = a.province_code
                                and b.year <> a.year
                join n on n.index_name = a.index_name and n.year = a.year
                group by a.index_name, a.year, b.year, n.k
                having count(*) = n.k and n.k >= 5 and bool_and(a.score = b.score)""").fetchall()
        finally:
            con.unregister("_new_ps")
        probs += [Problem("copied_year", value=f"{i} {y}", expected=o) for i, y, o in hits]
    us = batch.tables.get("unit_score")
    if us is not None and not us.empty and us.provenance.iloc[0] != "illustrative":
        con.register("_new_us", us[["unit_id", "year", "item_code", "self_score", "appraised_score"]])
        try:
            hits = con.execute("""
                with a as (select * from _new_us),
                     n as (select unit_id, year, count(*) as k from a group by all)
                select a.unit_id, a.year, b.year as other
                from a join unit_score b on b.unit_id = a.unit_id and b.item_code = a.item_code
                                         and b.year <> a.year
                join n on n.unit_id = a.unit_id and n.year = a.year
                group by a.unit_id, a.year, b.year, n.k
                having count(*) = n.k and n.k >= 5
                   and bool_and(a.appraised_score is not distinct from b.appraised_score
                                and a.self_score is not distinct from b.self_score)""").fetchall()
        finally:
            con.unregister("_new_us")
        probs += [Problem("copied_year", value=f"{y} ({u})", expected=o) for u, y, o in hits]
    return probs


def _journal(db: Path, entry: dict) -> None:
    """Every attempt (load, rejection, rollback) is appended here too, so the history survives a rollback to
    a version written before it: the next write copies entries the file lacks into load_log_entry."""
    with open(journal_path(db), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _stage(name: str) -> None:
    """Test hook for the kill test: with PAR_PAUSE_AT=<stage>, announce the stage and wait to be killed.
    With PAR_STAGE_TIMES=1, print when each stage ends (bench/national.py splits a load's time with it)."""
    if os.environ.get("PAR_STAGE_TIMES"):
        import sys
        import time
        print(f"STAGE {name} {time.perf_counter():.3f}", file=sys.stderr, flush=True)
    if os.environ.get("PAR_PAUSE_AT") == name:
        print(f"PAUSED {name}", flush=True)
        import time
        time.sleep(120)


def _remove_stale(db: Path) -> None:
    """Called holding the writer lock: any temporary file left is from a writer that died (kill -9, power)."""
    for p in db.parent.glob(f".{db.name}.*.tmp*"):
        p.unlink(missing_ok=True)


def _sync_journal(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """Copy attempts recorded while the file could not be written (rejections) into load_log_entry."""
    jp = journal_path(db)
    if not jp.exists():
        return
    known = {r[0] for r in con.execute("select attempt_id from load_log_entry").fetchall()}
    next_id = con.execute("select coalesce(max(load_id), 0) from load_log_entry").fetchone()[0]
    for line in jp.read_text(encoding="utf-8").splitlines():
        try:
            e = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line after a crash
        if e.get("attempt_id") in known:
            continue
        next_id += 1
        con.execute("""insert into load_log_entry (load_id, attempt_id, started_at, finished_at, file_name,
                       file_sha256, kind, rows, result, message, user_name)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
                    [next_id, e["attempt_id"], e["started_at"], e.get("finished_at"), e.get("file_name"),
                     e.get("file_sha256"), e.get("kind"), e.get("rows"), e["result"], e.get("message"),
                     e.get("user_name")])
        known.add(e["attempt_id"])


def record_rejection(db: Path, file_name: str, sha: str | None, kind: str, message: str,
                     user: str | None = None, result: str = "rejected") -> None:
    now = dt.datetime.now().isoformat(timespec="seconds")
    _journal(db, dict(attempt_id=uuid.uuid4().hex, started_at=now, finished_at=now, file_name=file_name,
                      file_sha256=sha, kind=kind, rows=0, result=result, message=message[:2000],
                      user_name=user))


def commit_new_version(db: Path, prepare, *, file_name: str, sha: str | None, kind: str,
                       user: str | None = None, result: str = "loaded", from_scratch: bool = False) -> int:
    """Copy the current file (or start empty), run prepare(con) inside one transaction, check
    invariants, then swap the new file in atomically. Returns the number of rows written.
    Raises Rejected (nothing changed) when prepare or the invariants fail."""
    db = Path(db)
    with writer_lock(db):
        _remove_stale(db)
        tmp = db.with_name(f".{db.name}.{uuid.uuid4().hex}.tmp")
        started = dt.datetime.now()
        _stage("locked")
        try:
            if not from_scratch and db.exists():
                shutil.copyfile(db, tmp)
            _stage("copied")
            con = duckdb.connect(str(tmp))
            _limit_memory(con, db)
            try:
                full = from_scratch or not db.exists()
                if full:
                    create_schema(con)
                else:
                    full = migrate(con)
                con.execute("begin transaction")
                snapshot(con)
                _stage("snapshot")
                rows = prepare(con)
                _stage("prepared")
                refresh_derived(con, full=full)
                _stage("applied")
                bad = invariant_problems(con, file_name)
                _stage("checked")
                if bad:
                    con.execute("rollback")
                    raise Rejected(bad)
                entry = dict(attempt_id=uuid.uuid4().hex, started_at=started.isoformat(timespec="seconds"),
                             finished_at=dt.datetime.now().isoformat(timespec="seconds"), file_name=file_name,
                             file_sha256=sha, kind=kind, rows=rows, result=result, message=None, user_name=user)
                _log(con, db, entry)
                con.execute("commit")
                con.execute("checkpoint")
                _stage("committed")
            finally:
                con.close()
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            _keep_version(db)
            _stage("kept")
            os.replace(tmp, db)
            _fsync_dir(db.parent)
            _stage("swapped")
            _journal(db, entry)            # after the swap: a journal line never names a load that is not in place
            return rows
        finally:
            for p in (tmp, Path(str(tmp) + ".wal")):
                if p.exists():
                    p.unlink()


def _log(con: duckdb.DuckDBPyConnection, db: Path, entry: dict) -> None:
    """Inside the new file's transaction: earlier attempts it lacks, this attempt, and a new version id."""
    _sync_journal(con, db)
    next_id = con.execute("select coalesce(max(load_id), 0) + 1 from load_log_entry").fetchone()[0]
    con.execute("""insert into load_log_entry values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
                [next_id, entry["attempt_id"], entry["started_at"], entry["finished_at"], entry["file_name"],
                 entry["file_sha256"], entry["kind"], entry["rows"], entry["result"], entry["message"],
                 entry["user_name"]])
    con.execute("insert or replace into meta values ('version', $1)", [uuid.uuid4().hex])
    con.execute("insert or replace into meta values ('written_at', $1)",
                [dt.datetime.now().isoformat(timespec="seconds")])


def _keep_version(db: Path) -> None:
    if not db.exists():
        return
    vd = versions_dir(db)
    vd.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    os.link(db, vd / f"{db.stem}-{stamp}.duckdb")   # a hard link: no copy, the old inode lives on
    old = sorted(vd.glob(f"{db.stem}-*.duckdb"))
    for p in old[:-KEEP_VERSIONS]:
        p.unlink()
    # the app's per-version names (ui/data.py): an open connection keeps reading its file after the unlink
    for p in vd.glob(".live-*"):
        p.unlink(missing_ok=True)


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def list_versions(db: Path) -> list[Path]:
    return sorted(versions_dir(Path(db)).glob(f"{Path(db).stem}-*.duckdb"), reverse=True)


def when_text(iso: str | None) -> str:
    """'2026-12-03T04:36:12' → '03/12/2026 04:36:12': how a version's time is written to people (history, admin page)."""
    if not iso:
        return "?"
    try:
        return dt.datetime.fromisoformat(str(iso)).strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return str(iso)


def rollback_to(db: Path, version: Path, user: str | None = None, kind: str = "rollback") -> None:
    """Make a kept version current again (the current one is kept as a version in turn). The restored file
    is checked (it opens, passes the invariants), gets the full load history and a 'rolled_back' entry (kind
    'restore' when it comes from a backup: etl/backup.py)."""
    db, version = Path(db), Path(version)
    with writer_lock(db):
        _remove_stale(db)
        tmp = db.with_name(f".{db.name}.{uuid.uuid4().hex}.tmp")
        try:
            shutil.copyfile(version, tmp)
            con = duckdb.connect(str(tmp))
            _limit_memory(con, db)
            try:
                full = migrate(con)                # a version kept by an earlier schema
                con.execute("begin transaction")
                snapshot(con)
                refresh_derived(con, full=full)
                bad = invariant_problems(con, version.name)
                if bad:
                    con.execute("rollback")
                    raise Rejected(bad)
                now = dt.datetime.now().isoformat(timespec="seconds")
                written = dict(con.execute("select key, value from meta").fetchall()).get("written_at")
                last = con.execute("select file_name from load_log_entry where result in ('loaded', 'built', "
                                   "'rolled_back') order by load_id desc limit 1").fetchone()
                when = when_text(written)
                entry = dict(attempt_id=uuid.uuid4().hex, started_at=now, finished_at=now, file_name=version.name,
                             file_sha256=None, kind=kind, rows=0, result="rolled_back", user_name=user,
                             message=f"Về phiên bản ghi lúc {when} (lần nạp cuối: {last[0] if last else '–'})")
                _log(con, db, entry)
                con.execute("commit")
                con.execute("checkpoint")
            finally:
                con.close()
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            _keep_version(db)
            os.replace(tmp, db)
            _fsync_dir(db.parent)
            _journal(db, entry)
        finally:
            for p in (tmp, Path(str(tmp) + ".wal")):
                if p.exists():
                    p.unlink()


def version_info(path: Path) -> dict:
    """What a kept version holds: when it was written, its last load, and its row counts."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        meta = dict(con.execute("select key, value from meta").fetchall())
        last = con.execute("select file_name, result, rows, started_at from load_log_entry "
                           "where result in ('loaded', 'built', 'rolled_back') order by load_id desc limit 1").fetchone()
        counts = con.execute("select (select count(*) from province_score), (select count(*) from unit_score)").fetchone()
    finally:
        con.close()
    return dict(path=str(path), written_at=meta.get("written_at"), version=meta.get("version"),
                last_file=last[0] if last else None, last_result=last[1] if last else None,
                province_rows=counts[0], unit_rows=counts[1])


def table_fingerprints(db: Path) -> dict[str, str]:
    """A content hash per data table: equal fingerprints mean unchanged content."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in DATA_TABLES:
            out[t] = str(con.execute(f"select count(*), coalesce(sum(hash(t)), 0) from {t} t").fetchone())
        return out
    finally:
        con.close()


def frame(con, sql: str, params: dict | None = None) -> pd.DataFrame:
    return con.execute(sql, params or {}).df()
