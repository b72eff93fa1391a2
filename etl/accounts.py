"""Named admin accounts: who may load data ("editor") or only read the load history ("history").

Kept in `accounts.json` beside the real database (mode 0600), never inside it: a rollback to an older database
version must not bring back a disabled account or an old password. Passwords are stored only as scrypt hashes
(n=2**15, r=8, p=1: about 32 MiB and 0,1 s per check). Accounts are created, disabled and given new passwords
from the command line (`python -m etl account ...`); the admin page reads the file on every run, so a disabled
account is signed out at its next click.
"""
from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import unicodedata
import uuid
from pathlib import Path

ROLES = ("editor", "history")          # editor: load, roll back, read the history; history: read the history only
MIN_PASSWORD = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
_NAME = re.compile(r"^[\w.@-]{2,60}$")   # letters (Vietnamese too), digits, . _ - @ (an e-mail for OpenID Connect)


class AccountError(ValueError):
    """A command that cannot be done, with its message in Vietnamese and English."""

    def __init__(self, vi: str, en: str):
        super().__init__(vi)
        self.vi, self.en = vi, en

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else self.en


def accounts_path(db: Path) -> Path:
    return Path(db).parent / "accounts.json"


def make_hash(password: str, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    salt = salt or os.urandom(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=128 * 1024 * 1024,
                        dklen=32)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


def verify_hash(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, want = stored.split("$")
        if algo != "scrypt":
            return False
        dk = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                            maxmem=128 * 1024 * 1024, dklen=32)
        return hmac.compare_digest(dk, base64.b64decode(want))
    except (ValueError, TypeError):
        return False


# a fixed hash to check against when the name is unknown or disabled: every failure costs the same time, so the
# time taken does not tell which names exist
@functools.cache
def _dummy() -> str:
    return make_hash("không có tài khoản này", salt=b"\0" * 16)


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not _NAME.match(name):
        raise AccountError(f"Tên tài khoản không hợp lệ: «{name[:60]}» (2–60 ký tự: chữ, số, . _ - @)",
                           f"Invalid account name: «{name[:60]}» (2–60 characters: letters, digits, . _ - @)")
    return name


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).casefold()


def load(db: Path) -> dict[str, dict]:
    """Accounts by name (case-insensitive key); {} when the file does not exist."""
    p = accounts_path(db)
    if not p.exists():
        return {}
    data = json.loads(p.read_text(encoding="utf-8"))
    return {_key(a["name"]): a for a in data.get("accounts", [])}


def _save(db: Path, accounts: dict[str, dict]) -> None:
    """Written to a private temporary file and renamed over the old one: a reader never sees half a file."""
    p = accounts_path(db)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"accounts": sorted(accounts.values(), key=lambda a: _key(a["name"]))}, f, ensure_ascii=False,
                  indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, p)


@contextlib.contextmanager
def _changing(db: Path):
    """One change at a time (two admins running the command at once): yields the accounts to change, saved after."""
    p = accounts_path(db)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p.with_name(f".{p.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        accounts = load(db)
        yield accounts
        _save(db, accounts)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.", f"The password needs {MIN_PASSWORD} "
                           "characters or more.")


def add(db: Path, name: str, role: str, password: str) -> dict:
    name = clean_name(name)
    if role not in ROLES:
        raise AccountError(f"Vai trò không hợp lệ: {role} (editor hoặc history)", f"Unknown role: {role} "
                           "(editor or history)")
    _check_password(password)
    with _changing(db) as accounts:
        if _key(name) in accounts:
            raise AccountError(f"Tài khoản {name} đã có.", f"Account {name} already exists.")
        accounts[_key(name)] = dict(name=name, role=role, hash=make_hash(password), disabled=False,
                                    created_at=_now(), disabled_at=None, password_changed_at=_now())
    return accounts[_key(name)]


def _existing(accounts: dict, name: str) -> dict:
    a = accounts.get(_key(name))
    if a is None:
        raise AccountError(f"Không có tài khoản {name}.", f"No account {name}.")
    return a


def disable(db: Path, name: str) -> None:
    with _changing(db) as accounts:
        _existing(accounts, name).update(disabled=True, disabled_at=_now())


def enable(db: Path, name: str) -> None:
    with _changing(db) as accounts:
        _existing(accounts, name).update(disabled=False, disabled_at=None)


def set_password(db: Path, name: str, password: str) -> None:
    _check_password(password)
    with _changing(db) as accounts:
        _existing(accounts, name).update(hash=make_hash(password), password_changed_at=_now())


def set_role(db: Path, name: str, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Vai trò không hợp lệ: {role} (editor hoặc history)", f"Unknown role: {role}")
    with _changing(db) as accounts:
        _existing(accounts, name)["role"] = role


def authenticate(db: Path, name: str, password: str) -> dict | None:
    """The account when the name is an enabled account and the password is its own; None otherwise (the same work
    is done either way)."""
    a = load(db).get(_key(name or ""))
    ok = verify_hash(password, a["hash"] if a and a.get("hash") else _dummy())
    return a if ok and a and not a.get("disabled") else None


def active(db: Path, name: str) -> dict | None:
    """The account if it still exists and is enabled (checked on every run of the admin page)."""
    a = load(db).get(_key(name or ""))
    return a if a and not a.get("disabled") else None


ROLE_WORDS = {"editor": "nạp và khôi phục dữ liệu", "history": "chỉ xem lịch sử"}
CHANGES = ("add", "disable", "enable", "passwd", "role")


def who_runs_this() -> str:
    """The person behind a command run on the server: the one who used sudo, else the OS user."""
    import getpass
    try:
        return os.environ.get("SUDO_USER") or getpass.getuser()
    except OSError:                 # no name for this user id (a container): still recorded, as unknown
        return "?"


def record_change(db: Path, action: str, name: str, by: str, role: str | None = None) -> None:
    """An account change in the load history the admin page shows (who, what, when): the journal beside the
    database, copied into the database's log at its next write. Never the password, only that it changed."""
    from etl import db as dbmod
    what = {"add": "thêm tài khoản", "disable": "khóa tài khoản", "enable": "mở lại tài khoản",
            "passwd": "đổi mật khẩu", "role": "đổi vai trò"}[action]
    name = load(db).get(_key(name), {}).get("name", name)        # as it was created, not as typed
    message = f"{name}: {what}" + (f", vai trò: {ROLE_WORDS[role]}" if role in ROLE_WORDS else "")
    dbmod.record_rejection(db, accounts_path(db).name, None, "account", message, user=by,
                           result=f"account_{action}")


def listing(db: Path) -> list[dict]:
    """Every account without its hash."""
    return [{k: v for k, v in a.items() if k != "hash"} for a in load(db).values()]
