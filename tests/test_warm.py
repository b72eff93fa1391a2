"""A fresh server fills its caches before its first visitor (issue 22 item 5): `python -m ui.warm`, started beside the
server (make run, the systemd unit, tests.browserkit.Server with PAR_WARM=1), opens the usual pages once through
Streamlit's own websocket protocol (ui/warm.py), with no error; the same client opens pages as a browser's navigation
would (what bench/sessions.py drives by the dozen)."""
from __future__ import annotations

import asyncio
import time

import pytest

from tests.browserkit import Server
from ui import warm
from ui.warm import WARM_PAGES, Session


def test_the_port_is_read_from_the_arguments_or_streamlits_setting(monkeypatch):
    seen = []
    monkeypatch.setattr(warm, "warm", seen.append)
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "8511")
    assert warm.main(["--port", "8502"]) == 0 and warm.main([]) == 0
    assert seen == [8502, 8511]


def test_par_warm_0_switches_it_off(monkeypatch, capsys):
    """The browser tests' servers start without it (it would compete with the test's own first page): with
    PAR_WARM=0 it neither waits for a server (none answers on port 1) nor says anything."""
    monkeypatch.setenv("PAR_WARM", "0")
    monkeypatch.setattr(warm, "_wait_healthy", lambda *a, **k: pytest.fail("waited for a server"))
    assert warm.warm(1) == 0
    assert capsys.readouterr().err == ""


def test_a_fresh_server_warms_itself_and_serves_sessions_over_the_websocket(real_db):
    with Server(real_db, env={"PAR_WARM": "1"}) as s:
        deadline = time.monotonic() + 600
        while "warm-up" not in s.log_tail(200) and time.monotonic() < deadline:
            time.sleep(0.5)
        line = next(x for x in s.log_tail(200).splitlines() if x.startswith("warm-up"))
        assert line.startswith(f"warm-up: {len(WARM_PAGES)} pages in ")
        assert line.endswith(", 0 errors"), s.log_tail(60)

        async def visit():
            async with Session(s.url) as a:
                return [await a.open(""), await a.open("xep-hang-toan-quoc", "index=PAPI&year=2023"),
                        await a.open("khong-co-trang-nay")]
        home, league, missing = asyncio.run(visit())
    assert home.errors == [] and league.errors == []
    assert missing.errors == ["page not found: khong-co-trang-nay"]          # the client sees what a browser would


def test_a_new_version_is_warmed_when_it_appears(tmp_path, monkeypatch):
    """After a load or rollback swaps in a new file (new inode), the watcher opens the usual pages again, once per
    new version; an unchanged file is not warmed again."""
    import os
    import threading

    from ui import warm
    db = tmp_path / "index.duckdb"
    db.write_bytes(b"version 1")
    warmed = []
    stop = threading.Event()
    th = threading.Thread(target=warm.watch_versions, args=("http://127.0.0.1:1", str(db), stop, 0.05, 600.0,
                                                            lambda url: warmed.append((url, db.read_bytes()))))
    th.start()
    try:
        time.sleep(0.3)
        assert warmed == []                                # the version it started with was warmed at start
        new = tmp_path / ".index.duckdb.tmp"
        new.write_bytes(b"version 2")
        os.replace(new, db)                                # as etl/db.py swaps a version in
        deadline = time.monotonic() + 10
        while not warmed and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert warmed == [("http://127.0.0.1:1", b"version 2")]
    finally:
        stop.set()
        th.join()


def test_the_server_warms_the_version_a_load_makes(real_db, tmp_path):
    """End to end: a server started with warm-up, then a new version written beside it (as the admin page or
    `python -m etl load` does): its log shows the pages opened again, with no error."""
    import shutil

    from etl import db as dbmod
    db = tmp_path / "data" / "index.duckdb"
    db.parent.mkdir()
    shutil.copyfile(real_db, db)
    with Server(db, env={"PAR_WARM": "1"}) as s:
        deadline = time.monotonic() + 600
        while "warm-up:" not in s.log_tail(200) and time.monotonic() < deadline:
            time.sleep(0.5)
        dbmod.commit_new_version(db, lambda con: 0, file_name="x", sha=None, kind="test")
        while "warm-up (new version)" not in s.log_tail(200) and time.monotonic() < deadline:
            time.sleep(0.5)
        line = next(x for x in s.log_tail(200).splitlines() if x.startswith("warm-up (new version)"))
    assert line.startswith(f"warm-up (new version): {len(WARM_PAGES)} pages in ") and line.endswith(", 0 errors")
