"""Failed sign-ins counted where every app process sees them: a small SQLite file beside accounts.json
(`data/signin_failures.sqlite`, mode 0600). Behind nginx with two or more processes, an attacker's tries through
any of them add up, so the fifth failure through either process locks both (per address and per account).

The rules are ui/admin/auth.py's (MAX_FAILS in a row, then LOCKOUT_S doubling up to 15 minutes); a run of failures is
forgotten a day after its last failure. Each change is one SQLite write transaction (`begin immediate`), so two
processes failing at the same moment both count.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from ui.admin import auth

FORGET_S = 24 * 3600        # failures older than this (since the last one) no longer count


def store_path(db: Path) -> Path:
    """Beside the database and accounts.json (the folder the service may write: deploy/chiso@.service)."""
    return Path(db).parent / "signin_failures.sqlite"


def lock_until(fails: int, now: float) -> float:
    """When a run of `fails` failures in a row, the last at `now`, stops locking (0: not locked)."""
    if fails < auth.MAX_FAILS:
        return 0.0
    return now + min(auth.LOCKOUT_S * 2 ** (fails - auth.MAX_FAILS), 900)


class SharedThrottle:
    """The same questions as auth.Throttle (wait_left, failed, succeeded), answered from the shared file."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def _db(self):
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            if new:
                os.chmod(self.path, 0o600)       # addresses and account names tried
            con.execute("create table if not exists failure (client text primary key, fails integer not null, "
                        "last_at real not null, locked_until real not null)")
            yield con
        finally:
            con.close()

    def wait_left(self, client: str, now: float | None = None) -> float:
        now = time.time() if now is None else now
        with self._db() as con:
            row = con.execute("select locked_until from failure where client = ?", (client,)).fetchone()
        return max(0.0, row[0] - now) if row else 0.0

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._db() as con:
            con.execute("begin immediate")          # read and write as one: another process waits its turn
            row = con.execute("select fails, last_at from failure where client = ?", (client,)).fetchone()
            fails = row[0] + 1 if row and now - row[1] < FORGET_S else 1
            con.execute("insert or replace into failure values (?, ?, ?, ?)",
                        (client, fails, now, lock_until(fails, now)))
            con.execute("commit")

    def succeeded(self, client: str) -> None:
        with self._db() as con:
            con.execute("delete from failure where client = ?", (client,))

    def clear(self) -> None:
        """Forget every failure (tests; an admin who knows why the lockouts happened can delete the file too)."""
        with self._db() as con:
            con.execute("delete from failure")
