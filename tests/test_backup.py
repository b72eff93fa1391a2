"""Backups (issue 22 item 4): `python -m etl backup DIR` / `restore FILE` round trip of the real database, its kept
versions, the history journal, the accounts and the plans folder; a damaged backup changes nothing; a restore is
undoable; the number of kept versions is a setting."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import pytest

from etl import accounts as acc
from etl import backup
from etl import db as dbmod
from etl.__main__ import main as etl_main

ROOT = Path(__file__).resolve().parent.parent
PW = "mật-khẩu-sao-lưu-2026"


def _rename_unit(name: str):
    def prepare(con):
        con.execute("update unit set name_vi = $n where unit_id = 'SO-TP-25'", {"n": name})
        return 1
    return prepare


def _log(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select attempt_id, kind, result, user_name from load_log order by load_id").fetchall()
    finally:
        con.close()


def _attempts(db: Path) -> set[str]:
    return {json.loads(x)["attempt_id"] for x in dbmod.journal_path(db).read_text(encoding="utf-8").splitlines()}


@pytest.fixture()
def server(db_copy) -> Path:
    """A province's data folder with a history: two loads (two kept versions), a refusal only in the journal, two
    accounts (one disabled) and a plans folder."""
    dbmod.commit_new_version(db_copy, _rename_unit("Sở Tư pháp (1)"), file_name="a.xlsx", sha=None, kind="test",
                             user="lan.nguyen")
    dbmod.commit_new_version(db_copy, _rename_unit("Sở Tư pháp (2)"), file_name="b.xlsx", sha=None, kind="test",
                             user="lan.nguyen")
    dbmod.record_rejection(db_copy, "sai.xlsx", None, "unit_scores", "Điểm 12 lớn hơn điểm tối đa 10", "minh")
    acc.add(db_copy, "lan.nguyen", "editor", PW)
    acc.add(db_copy, "cu.nhan.vien", "editor", PW)
    acc.disable(db_copy, "cu.nhan.vien")
    plans = db_copy.parent / "plans" / "2026"
    plans.mkdir(parents=True)
    (plans / "kế hoạch.docx").write_bytes(b"PK\x03\x04 plan")
    return db_copy


def test_round_trip_onto_a_new_server(server, tmp_path, capsys):
    assert etl_main(["--db", str(server), "backup", str(tmp_path / "sao-luu")]) == 0
    archive = next((tmp_path / "sao-luu").glob("chiso-sao-luu-*.tar"))
    assert "Đã sao lưu" in capsys.readouterr().out
    fresh = tmp_path / "may-moi" / "index.duckdb"
    assert etl_main(["--db", str(fresh), "restore", str(archive), "--user", "it.tinh"]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out

    assert dbmod.table_fingerprints(fresh) == dbmod.table_fingerprints(server)
    assert [v.name for v in dbmod.list_versions(fresh)] == [v.name for v in dbmod.list_versions(server)]
    for a, b in zip(dbmod.list_versions(fresh), dbmod.list_versions(server)):
        assert a.read_bytes() == b.read_bytes()
    assert _attempts(server) <= _attempts(fresh)                 # every attempt, the refusal too
    log = _log(fresh)
    assert {r[0] for r in _log(server)} <= {r[0] for r in log}
    assert log[-1][1:] == ("restore", "rolled_back", "it.tinh")   # the restore is in the history, with who
    assert any(r[2] == "rejected" and r[3] == "minh" for r in log)
    assert acc.authenticate(fresh, "lan.nguyen", PW) and acc.authenticate(fresh, "cu.nhan.vien", PW) is None
    assert (acc.accounts_path(fresh).stat().st_mode & 0o777) == 0o600
    assert (fresh.parent / "plans" / "2026" / "kế hoạch.docx").read_bytes() == b"PK\x03\x04 plan"


def test_restore_over_a_newer_state_is_undoable_and_keeps_newer_accounts(server, tmp_path):
    archive = backup.backup(server, tmp_path / "sao-luu")
    before = dbmod.table_fingerprints(server)
    dbmod.commit_new_version(server, _rename_unit("Sở Tư pháp (3)"), file_name="c.xlsx", sha=None, kind="test")
    after_load = dbmod.table_fingerprints(server)
    acc.disable(server, "lan.nguyen")                            # disabled since the backup: stays disabled
    done = backup.restore(archive, server)
    assert done["kept_previous"] and not done["accounts"]
    assert dbmod.table_fingerprints(server) == before
    assert acc.authenticate(server, "lan.nguyen", PW) is None
    dbmod.rollback_to(server, dbmod.list_versions(server)[0])    # the state before the restore comes back
    assert dbmod.table_fingerprints(server) == after_load
    backup.restore(archive, server, replace_accounts=True)
    assert acc.authenticate(server, "lan.nguyen", PW)


def _tamper(archive: Path, out: Path, name: str | None = None, extra: tuple[str, bytes] | None = None) -> Path:
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name == name:
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.addfile(m, io.BytesIO(data))
        if extra:
            m = tarfile.TarInfo(extra[0])
            m.size = len(extra[1])
            dst.addfile(m, io.BytesIO(extra[1]))
    return out


@pytest.mark.parametrize("how", ["flipped byte", "unexpected file", "not a tar"])
def test_a_damaged_backup_changes_nothing(server, tmp_path, how, capsys):
    archive = backup.backup(server, tmp_path / "sao-luu")
    bad = tmp_path / "hong.tar"
    if how == "flipped byte":
        _tamper(archive, bad, name="index.duckdb")
    elif how == "unexpected file":
        _tamper(archive, bad, extra=("../../ngoai.txt", b"x"))
    else:
        bad.write_bytes(b"not a tar at all")
    files = {p: p.stat().st_mtime_ns for p in server.parent.rglob("*") if p.is_file()}
    assert etl_main(["--db", str(server), "restore", str(bad)]) == 1
    assert "Bản sao lưu hỏng hoặc không đầy đủ" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in server.parent.rglob("*") if p.is_file()} == files
    assert not (tmp_path / "ngoai.txt").exists() and not (server.parent.parent / "ngoai.txt").exists()


def test_versions_kept_is_a_setting(db_copy, monkeypatch):
    monkeypatch.setattr(dbmod, "KEEP_VERSIONS", 2)
    for i in range(4):
        dbmod.commit_new_version(db_copy, _rename_unit(f"Sở Tư pháp ({i})"), file_name=f"{i}.xlsx", sha=None,
                                 kind="test")
    assert len(dbmod.list_versions(db_copy)) == 2
    out = subprocess.run([sys.executable, "-c", "from etl import db; print(db.KEEP_VERSIONS)"], cwd=ROOT,
                         env=dict(os.environ, PAR_KEEP_VERSIONS="12"), capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "12"
