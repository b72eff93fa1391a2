"""20 sessions reading through the app's query layer (ui.data: one pinned version per run, one connection per
version) while loads and a rollback swap the database file: zero errors, and every result belongs to exactly
one version (its meta id and its row counts are those recorded when that version was written)."""
from __future__ import annotations

import shutil
import threading
import time

import duckdb

from etl import db as dbmod
from etl.loaders import load_file
from tests.helpers import LONG_HEADER, long_rows, write_long


def _truth(db) -> tuple[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        meta = con.execute("select value from meta where key = 'version'").fetchone()[0]
        n = con.execute("select count(*) from unit_score where year = 2025").fetchone()[0]
    finally:
        con.close()
    return meta, n


def test_twenty_readers_while_loading_and_rolling_back(app_db, tmp_path):
    import ui.data as D
    db = app_db
    truth: dict[str, tuple[str, int]] = {}          # file version -> (meta id, rows of 2025)

    def record():
        truth[D.db_version()] = _truth(db)

    record()
    seen, errors = [], []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                v = D.db_version()                   # what app.py's pin() does at the start of a run
                meta = D._cached(v, "db_meta", ())
                meta_id = dict(zip(meta.key, meta.value))["version"]
                totals = D._cached(v, "unit_totals", (("level", "department"), ("provinces", ["82", "87"])))
                counts = D._cached(v, "province_counts", ())
                con = D._connection(v)
                cur = con.cursor()
                n = cur.execute("select count(*) from unit_score where year = 2025").fetchone()[0]
                again = cur.execute("select value from meta where key = 'version'").fetchone()[0]
                cur.close()
                assert again == meta_id and len(totals) > 0 and len(counts) > 0
                seen.append((v, meta_id, n))
            except Exception as e:                   # noqa: BLE001 - every error is a failure here
                errors.append(repr(e))
            time.sleep(0.005)

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for th in threads:
        th.start()
    try:
        rows = long_rows(db)
        for k, share in enumerate((0.5, 0.6, 0.7)):
            f = write_long(tmp_path / f"load{k}.xlsx", long_rows(db, unit="Sở Tư pháp", share=share), header=LONG_HEADER)
            time.sleep(0.4)
            load_file(f, db, user="concurrency")
            record()
        assert rows
        time.sleep(0.4)
        dbmod.rollback_to(db, dbmod.list_versions(db)[1], user="concurrency")
        record()
        time.sleep(0.4)
        extra = [r for r in long_rows(db, unit="Sở Y tế", share=0.8)]
        load_file(write_long(tmp_path / "load_yte.xlsx", extra, header=LONG_HEADER), db, user="concurrency")
        record()
        time.sleep(0.6)
    finally:
        stop.set()
        for th in threads:
            th.join(30)
    assert errors == [], errors[:5]
    assert len(seen) > 200
    versions_seen = {v for v, _, _ in seen}
    assert len(versions_seen) >= 4, "readers did not follow the swaps"
    for v, meta_id, n in seen:
        assert truth[v] == (meta_id, n), "a result mixed two versions"


def test_a_new_version_is_read_after_a_swap(app_db, tmp_path):
    """DuckDB shares one instance per path in a process: reconnecting by the same path after a swap would keep
    returning the old data while an old connection is open. Each version has its own path (ui/data.py)."""
    import ui.data as D
    db = app_db
    v1 = D.db_version()
    old = D._connection(v1)
    before = old.cursor().execute("select count(*) from load_log_entry").fetchone()[0]
    f = write_long(tmp_path / "one.xlsx", long_rows(db, share=0.55), header=LONG_HEADER)
    load_file(f, db)
    v2 = D.db_version()
    assert v2 != v1
    new = D._connection(v2)
    assert new.cursor().execute("select count(*) from load_log_entry").fetchone()[0] == before + 1
    assert old.cursor().execute("select count(*) from load_log_entry").fetchone()[0] == before   # still v1
    shutil.rmtree(db.parent / "versions", ignore_errors=True)
