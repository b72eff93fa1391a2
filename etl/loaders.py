"""check and load for one file: detect its kind, run its reader (etl/readers.py), and (for load) write it."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from etl import db as dbmod
from etl import readers
from etl.batch import Batch
from etl.files import sha256_of
from etl.problems import Problem, Rejected, count_text


def detect_kind(path: Path) -> str:
    """The kind of the file: that of the first reader of etl/readers.py that recognises it (else Rejected)."""
    return readers.detect(path).kind


def read_any(path: Path, db: Path, kind: str | None = None, years: list[int] | None = None,
             level: str | None = None, create_units: bool = False, province: str | None = None) -> Batch:
    return readers.read(Path(path), readers.Options(Path(db), years, level, create_units, province), kind)


def _summary(batch: Batch, lang: str) -> str:
    lines = []
    for t, df in batch.tables.items():
        if t in ("province_score", "unit_score") and not df.empty:
            yrs = ", ".join(str(y) for y in sorted(df.year.unique()))
            what = df.index_name.iloc[0] if "index_name" in df else "unit scores"
            lines.append(f"{t}: {count_text(len(df), lang)} " + ("dòng" if lang == "vi" else "rows") + f" — {what} {yrs}")
    lines += batch.notes
    return "\n".join(lines)


def preview(path: Path, db: Path, kind=None, years=None, level=None, create_units=False) -> tuple[Batch, list[dict]]:
    """Validate a file as `load` would, without writing; returns the batch and, per table and year, how many
    rows it adds and how many current rows it replaces. Raises Rejected with every problem found."""
    path, db = Path(path), Path(db)
    batch = read_any(path, db, kind, years, level=level, create_units=create_units)
    con = duckdb.connect(str(db), read_only=True)
    try:
        probs = dbmod.copied_years(con, batch)
        if probs:
            for p in probs:
                p.file = path.name
            raise Rejected(probs)
        uy = batch.tables.get("unit_year")
        if batch.kind == "annex" and uy is not None and not uy.empty:
            con.register("_new_uy", uy[["year", "unit_id"]])
            try:
                finer = con.execute("""select count(*) from unit_year y join _new_uy n using (year, unit_id)
                                       where y.detail_level in ('sub_criterion', 'criterion')""").fetchall()[0][0]
            finally:
                con.unregister("_new_uy")
            if finer:
                batch.notes.append(f"Chú ý: {finer} đơn vị-năm hiện có điểm chi tiết (tiêu chí) sẽ được thay bằng điểm "
                                   "lĩnh vực của phụ lục.")
        replaced: dict[tuple[str, int | None], int] = {}
        for table, where, params in batch.replaces:
            if table not in ("province_score", "unit_score", "unit_year"):
                continue
            for y, n in con.execute(f"select year, count(*) from {table} where {where} group by year", params).fetchall():
                replaced[(table, int(y))] = replaced.get((table, int(y)), 0) + int(n)
    finally:
        con.close()
    rows = []
    for table in ("province_score", "unit_score", "unit_year"):
        df = batch.tables.get(table)
        if df is None or df.empty or (table == "unit_year" and "unit_score" in batch.tables
                                      and not batch.tables["unit_score"].empty):
            continue
        what = "index_name" if "index_name" in df else None
        plain = "annex" if batch.kind == "annex" else "unit"
        for (label, y), g in df.groupby([df[what] if what else pd.Series(plain, index=df.index), df.year]):
            who = g.unit_id.nunique() if "unit_id" in g else g.province_code.nunique() if "province_code" in g else None
            rows.append(dict(table=table, what=str(label), year=int(y), n=who, rows_new=len(g),
                             rows_replaced=replaced.get((table, int(y)), 0)))
    return batch, rows


def check_file_report(path: Path, db: Path, kind=None, years=None, lang="vi", level=None, create_units=False,
                      province=None) -> str:
    batch = read_any(path, db, kind, years, level=level, create_units=create_units, province=province)
    if Path(db).exists():
        con = duckdb.connect(str(db), read_only=True)
        try:
            probs = dbmod.copied_years(con, batch)
        finally:
            con.close()
        if probs:
            for p in probs:
                p.file = Path(path).name
            raise Rejected(probs)
    head = "Tệp hợp lệ" if lang == "vi" else "The file is valid"
    return f"{head}: {Path(path).name}\n{_summary(batch, lang)}"


def _kind_of(path: Path, batch: Batch | None) -> str:
    """What a refused file was, for the load history: the batch read from it, or its detected kind, else '?'."""
    if batch is not None:
        return batch.kind
    try:
        return readers.loaded_as(detect_kind(path))          # the names the loaded batches carry
    except Exception:                    # a broken file: its kind is unknown, and that is no reason to fail here
        return "?"


def load_file(path: Path, db: Path, kind=None, years=None, user=None, lang="vi", level=None,
              create_units=False, province=None, batch: Batch | None = None) -> str:
    """Read the file (or take `batch`, read from it already: the Ministry's annex after the user's corrections)
    and write it as a new version; every attempt is recorded."""
    path, db = Path(path), Path(db)
    sha = sha256_of(path) if path.is_file() else None
    try:
        if batch is None:
            batch = read_any(path, db, kind, years, level=level, create_units=create_units, province=province)

        def prepare(con):
            probs = dbmod.copied_years(con, batch)
            if probs:
                for p in probs:
                    p.file = path.name
                raise Rejected(probs)
            dbmod.apply(con, batch)
            return batch.rows

        rows = dbmod.commit_new_version(db, prepare, file_name=path.name, sha=sha, kind=batch.kind, user=user)
    except Rejected as e:
        dbmod.record_rejection(db, path.name, sha, kind or _kind_of(path, batch),
                               "\n".join(p.text("vi") for p in e.problems[:20]),
                               user)
        raise
    except OSError as e:          # out of disk, permissions: the current file was never touched
        try:
            dbmod.record_rejection(db, path.name, sha, kind or _kind_of(path, batch),
                                   f"{type(e).__name__}: {e.strerror or e}", user,
                                   result="failed")
        except OSError:
            pass
        raise Rejected([Problem("write_failed", file=path.name, detail=e.strerror or type(e).__name__)]) from e
    head = "Đã nạp" if lang == "vi" else "Loaded"
    return f"{head}: {path.name} ({count_text(rows, lang)})\n{_summary(batch, lang)}"
