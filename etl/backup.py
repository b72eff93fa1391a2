"""Backups of everything a province would lose with its server: the real database, the kept versions, the history
journal, the admin accounts and the plans folder (when there is one), in one .tar file with a manifest of checksums.

    python -m etl backup /mnt/sao-luu            # writes /mnt/sao-luu/chiso-sao-luu-YYYYMMDD-HHMMSS.tar
    python -m etl restore /mnt/sao-luu/chiso-sao-luu-….tar

The backup is taken holding the writer lock, so no load or rollback changes the files while they are read (pages go
on serving). A restore checks every checksum and the database's invariants before anything is replaced, makes the
backed-up database current the way a rollback does (the current one is kept as a version, so a restore can be
undone), adds the backup's kept versions and history lines that are missing here, and brings back the accounts and
plans only where this server has none (a restore never brings back an account disabled since the backup, unless
told to with --replace-accounts). `.streamlit/secrets.toml` is not included: it is the server's own, kept by IT
staff with the certificate.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from etl import accounts as acc
from etl import db as dbmod
from etl.files import sha256_of
from etl.problems import Problem, Rejected

MANIFEST = "MANIFEST.json"
PLANS = "plans"                  # a folder beside the database, when the province keeps plans there


def _members(db: Path) -> list[tuple[Path, str]]:
    """(file here, name in the archive) for everything that matters, in a fixed layout."""
    out = [(db, "index.duckdb")]
    out += [(v, f"versions/{v.name}") for v in sorted(dbmod.list_versions(db))]
    for path, name in ((dbmod.journal_path(db), "index.attempts.jsonl"), (acc.accounts_path(db), "accounts.json")):
        if path.exists():
            out.append((path, name))
    plans = db.parent / PLANS
    if plans.is_dir():
        out += [(p, f"{PLANS}/{p.relative_to(plans).as_posix()}") for p in sorted(plans.rglob("*")) if p.is_file()]
    return out


def backup(db: Path, folder: Path) -> Path:
    """Write one .tar holding the database, its versions, journal, accounts and plans; returns its path."""
    db, folder = Path(db), Path(folder)
    if not db.exists():
        raise Rejected([Problem("file_missing", file=str(db))])
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = folder / f"chiso-sao-luu-{stamp}.tar"
    part = out.with_name(out.name + ".part")
    with dbmod.writer_lock(db):
        members = _members(db)
        info = dbmod.version_info(db)
        manifest = dict(created_at=dt.datetime.now().isoformat(timespec="seconds"), database_version=info["version"],
                        database_written_at=info["written_at"], db_stem=db.stem,
                        files={name: dict(sha256=sha256_of(p), bytes=p.stat().st_size) for p, name in members})
        with tarfile.open(part, "w") as tar:
            for p, name in members:
                tar.add(p, arcname=name, recursive=False)
            mf = part.with_name(part.name + ".manifest")
            mf.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            tar.add(mf, arcname=MANIFEST)
            mf.unlink()
    part.replace(out)
    return out


def _extract(archive: Path, into: Path) -> dict:
    """Extract and check: only the expected names, every checksum right. Returns the manifest."""
    def refuse(detail: str) -> Rejected:
        return Rejected([Problem("backup_damaged", file=archive.name, detail=detail)])
    try:
        with tarfile.open(archive, "r") as tar:
            names = tar.getnames()
            manifest = json.loads(tar.extractfile(MANIFEST).read().decode("utf-8"))
            expected = set(manifest["files"]) | {MANIFEST}
            if set(names) != expected:
                raise refuse(", ".join(sorted(set(names) ^ expected))[:300])
            tar.extractall(into, filter="data")           # regular files under `into` only
    except (tarfile.TarError, KeyError, json.JSONDecodeError, OSError) as e:
        raise refuse(type(e).__name__) from e
    for name, want in manifest["files"].items():
        if sha256_of(into / name) != want["sha256"]:
            raise refuse(name)
    return manifest


def restore(archive: Path, db: Path, user: str | None = None, replace_accounts: bool = False) -> dict:
    """Make the backed-up database current (checked, undoable), and bring back what is missing here. Returns what
    was done: {'database', 'kept_previous', 'versions', 'history_lines', 'accounts', 'plans'}."""
    archive, db = Path(archive), Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=db.parent) as tmp:
        tmp = Path(tmp)
        manifest = _extract(archive, tmp)
        # the backup's history first, so that the restored database's log gets it too
        added = _merge_journal(tmp / "index.attempts.jsonl", dbmod.journal_path(db))
        had_database = db.exists()
        restored = tmp / f"{archive.stem}.duckdb"
        (tmp / "index.duckdb").rename(restored)
        dbmod.rollback_to(db, restored, user=user, kind="restore")        # checks it, keeps the current one
        versions = 0
        vd = dbmod.versions_dir(db)
        vd.mkdir(exist_ok=True)
        for v in sorted((tmp / "versions").glob("*.duckdb")) if (tmp / "versions").is_dir() else []:
            name = db.stem + v.name[len(manifest.get("db_stem", db.stem)):]
            if not (vd / name).exists():
                shutil.copy2(v, vd / name)
                versions += 1
        accounts = False
        if (tmp / "accounts.json").exists() and (replace_accounts or not acc.accounts_path(db).exists()):
            shutil.copy2(tmp / "accounts.json", acc.accounts_path(db))
            acc.accounts_path(db).chmod(0o600)
            accounts = True
        plans = 0
        if (tmp / PLANS).is_dir() and not (db.parent / PLANS).exists():
            shutil.copytree(tmp / PLANS, db.parent / PLANS)
            plans = sum(1 for p in (db.parent / PLANS).rglob("*") if p.is_file())
    return dict(database=manifest.get("database_written_at"), kept_previous=had_database, versions=versions, history_lines=added,
                accounts=accounts, plans=plans)


def _merge_journal(backup_journal: Path, journal: Path) -> int:
    """Append the backup's attempts this server's journal lacks (the history only ever grows)."""
    if not backup_journal.exists():
        return 0
    known = set()
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                known.add(json.loads(line).get("attempt_id"))
            except json.JSONDecodeError:
                continue
    new = []
    for line in backup_journal.read_text(encoding="utf-8").splitlines():
        try:
            if json.loads(line).get("attempt_id") not in known:
                new.append(line)
        except json.JSONDecodeError:
            continue
    if new:
        with open(journal, "a", encoding="utf-8") as f:
            f.write("\n".join(new) + "\n")
    return len(new)
