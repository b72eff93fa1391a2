"""A loader that dies (kill -9 at each stage of a write, at random moments, or out of disk) leaves the database
as it was: it opens, passes its invariants and holds exactly the previous data; the next load cleans up
what the dead one left and succeeds."""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import db as dbmod
from etl.loaders import load_file
from etl.problems import Rejected
from tests.helpers import LONG_HEADER, home_codes, write_long

ROOT = Path(__file__).resolve().parent.parent


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big_file(built_db, tmp_path_factory) -> Path:
    """Every department and commune of 2025, every sub-criterion: a realistic yearly file (~thousands of rows)."""
    con = duckdb.connect(str(built_db), read_only=True)
    rows, home = [], home_codes(con)
    for level in ("department", "commune"):
        fw = con.execute("select framework_id from framework where level = $l and year_from <= 2025 "
                         "and (year_to is null or year_to >= 2025)", {"l": level}).fetchone()[0]
        leaves = con.execute("select code, max_points, is_survey from framework_item where framework_id = $f "
                             "and depth = 'sub_criterion' order by sort_order", {"f": fw}).fetchall()
        # the home province's units (the database also holds other provinces' published tables)
        units = [u for (u,) in con.execute("select name_vi from unit where level = $l and valid_from_year <= 2025 "
                                           "and (valid_to_year is null or valid_to_year >= 2025) "
                                           "and list_contains($home, province_code) order by 1",
                                           {"l": level, "home": home}).fetchall()]
        for i, u in enumerate(units):
            share = 0.55 + (i % 9) * 0.05
            for code, mx, survey in leaves:
                v = round(mx * share * 4) / 4
                rows.append([u, 2025, code, None if survey else v, None if survey else v, v if survey else None])
    con.close()
    return write_long(tmp_path_factory.mktemp("big") / "ca_nam_2025.xlsx", rows, header=LONG_HEADER)


@pytest.fixture(scope="module")
def loaded_fingerprint(built_db, big_file, tmp_path_factory) -> dict:
    """What the database holds after the big file loads completely (on a separate copy)."""
    db = tmp_path_factory.mktemp("ref") / "index.duckdb"
    shutil.copyfile(built_db, db)
    load_file(big_file, db)
    return dbmod.table_fingerprints(db)


def _start(db: Path, f: Path, pause_at: str | None = None) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if pause_at:
        env["PAR_PAUSE_AT"] = pause_at
    return subprocess.Popen([sys.executable, "-m", "etl", "--db", str(db), "load", str(f)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _sound(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert dbmod.invariants(con) == []
    finally:
        con.close()


@pytest.mark.parametrize("stage", ["copied", "applied", "committed", "kept"])
def test_kill_9_at_each_stage_of_a_write(db_copy, big_file, loaded_fingerprint, stage):
    before_sha, before = _sha(db_copy), dbmod.table_fingerprints(db_copy)
    p = _start(db_copy, big_file, stage)
    deadline = time.time() + 120
    for line in p.stdout:
        if line.startswith(f"PAUSED {stage}"):
            break
        assert time.time() < deadline, "the loader never reached " + stage
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    assert p.returncode == -signal.SIGKILL
    # the file the app reads was never touched: same bytes, opens, sound
    assert _sha(db_copy) == before_sha
    _sound(db_copy)
    assert dbmod.table_fingerprints(db_copy) == before
    # the dead writer left its temporary file; the next load removes it and completes
    assert list(db_copy.parent.glob(f".{db_copy.name}.*.tmp*")) or stage == "kept"
    load_file(big_file, db_copy)
    assert not list(db_copy.parent.glob(f".{db_copy.name}.*.tmp*"))
    assert dbmod.table_fingerprints(db_copy) == loaded_fingerprint
    _sound(db_copy)


@pytest.mark.parametrize("after_s", [0.3, 0.9, 1.6, 2.5, 4.0])
def test_kill_9_at_a_random_moment(db_copy, big_file, loaded_fingerprint, after_s):
    """Whenever the kill lands, the database holds either exactly the old data or exactly the new."""
    before = dbmod.table_fingerprints(db_copy)
    p = _start(db_copy, big_file)
    time.sleep(after_s)
    p.send_signal(signal.SIGKILL)
    p.wait(10)
    _sound(db_copy)
    now = dbmod.table_fingerprints(db_copy)
    assert now in (before, loaded_fingerprint)


def test_out_of_disk_while_copying(db_copy, big_file, monkeypatch):
    before_sha = _sha(db_copy)
    real = shutil.copyfile

    def full_disk(src, dst, *a, **k):
        real(src, dst, *a, **k)
        with open(dst, "r+b") as f:
            f.truncate(os.path.getsize(dst) // 2)         # half written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dbmod.shutil, "copyfile", full_disk)
    with pytest.raises(Rejected) as e:
        load_file(big_file, db_copy, user="kiểm thử")
    assert "Không ghi được cơ sở dữ liệu (No space left on device)" in e.value.problems[0].text("vi")
    assert _sha(db_copy) == before_sha
    assert not list(db_copy.parent.glob(f".{db_copy.name}.*.tmp*"))
    monkeypatch.undo()
    assert "failed" in dbmod.journal_path(db_copy).read_text(encoding="utf-8")
