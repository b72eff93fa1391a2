"""A writer's memory is bounded (issue 22 item 5): every new database version is written by a DuckDB connection with
a memory limit (PAR_DUCKDB_MEMORY, default 1500MB) that spills to a folder beside the database; a national bulk load
peaked at 6,1 GB without it and 1,7 GB with it (bench/RESULTS.md)."""
from __future__ import annotations

import pytest

from etl import db as dbmod


def _settings_seen(db, monkeypatch, limit: str) -> dict:
    monkeypatch.setattr(dbmod, "WRITER_MEMORY", limit)
    seen = {}

    def prepare(con):
        seen["limit"], seen["spill"] = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
        return 0
    dbmod.commit_new_version(db, prepare, file_name="x", sha=None, kind="test")
    return seen


def test_a_writer_has_a_memory_limit_and_spills_beside_the_database(db_copy, monkeypatch):
    seen = _settings_seen(db_copy, monkeypatch, "700MB")
    assert seen["limit"].startswith("667") and "MiB" in seen["limit"]          # 700 MB as DuckDB prints it
    assert seen["spill"] == str(db_copy.parent / ".index.duckdb.spill")
    assert _settings_seen(db_copy, monkeypatch, "2GB")["limit"].startswith("1.8")


def test_a_wrong_setting_is_refused_before_anything_changes(db_copy, monkeypatch):
    before = db_copy.read_bytes()
    with pytest.raises(ValueError, match="PAR_DUCKDB_MEMORY"):
        _settings_seen(db_copy, monkeypatch, "2GB'; drop table unit; --")
    assert db_copy.read_bytes() == before
