"""The old shared admin password (used only while no named account exists: etl/accounts.py) stored only as a
salted PBKDF2 hash in `.streamlit/secrets.toml`, compared in constant time; and the throttle of failed sign-ins
(slowed down, locked out for a while after several in a row) used for accounts too.

Set or change it (writes the hash, never the password):

    .venv/bin/python -m ui.admin.auth set-password            # asks twice, writes .streamlit/secrets.toml
    .venv/bin/python -m ui.admin.auth hash                    # prints a line to paste into secrets.toml yourself
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import sys
import threading
import time
from pathlib import Path

ALGO = "pbkdf2_sha256"
ITERATIONS = 240_000
MAX_FAILS = 5              # failures in a row before a lockout
LOCKOUT_S = 60             # first lockout; doubles with each further failure, up to 15 minutes
SLOW_S = 1.0               # every failure costs this much time
SECRETS = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml"


def make_hash(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or os.urandom(16)
    dk = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGO}${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(dk).decode()}"


def verify(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; False for a wrong password or a malformed hash."""
    try:
        algo, iterations, salt, want = stored.split("$")
        if algo != ALGO:
            return False
        dk = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
        return hmac.compare_digest(dk, base64.b64decode(want))
    except (ValueError, TypeError):
        return False


def client_address(peer: str | None, real_ip: str | None, behind_proxy: bool) -> str:
    """Whom a failed sign-in counts against. Streamlit gives no address for a loopback peer; behind the province's
    nginx every peer is loopback, so the address is the X-Real-IP header nginx sets (overwriting any the browser
    sent), trusted only when the server is told it is behind that proxy (PAR_BEHIND_PROXY=1) and the peer is local."""
    if peer:
        return peer
    if behind_proxy and real_ip and len(real_ip) <= 64 and all(c in "0123456789abcdefABCDEF.:" for c in real_ip):
        return real_ip
    return "local"


class Throttle:
    """Failures per client (IP address, or the session when there is none), kept in the server process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fails: dict[str, tuple[int, float]] = {}     # client -> (failures in a row, locked until)

    def wait_left(self, client: str, now: float | None = None) -> float:
        now = time.time() if now is None else now
        with self._lock:
            _, until = self._fails.get(client, (0, 0.0))
        return max(0.0, until - now)

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            n, _ = self._fails.get(client, (0, 0.0))
            n += 1
            until = now + min(LOCKOUT_S * 2 ** (n - MAX_FAILS), 900) if n >= MAX_FAILS else 0.0
            self._fails[client] = (n, until)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._fails.pop(client, None)


def _write_secret(stored: str, path: Path | None = None) -> None:
    path = path or SECRETS
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    out, in_admin, done = [], False, False
    for line in lines:
        s = line.strip()
        if s.startswith("["):
            if in_admin and not done:
                out.append(f'password_hash = "{stored}"')
                done = True
            in_admin = s == "[admin]"
        if in_admin and s.startswith("password_hash"):
            continue
        out.append(line)
    if in_admin and not done:
        out.append(f'password_hash = "{stored}"')
        done = True
    if not done:
        out += ["", "[admin]", f'password_hash = "{stored}"']
    path.write_text("\n".join(out).lstrip("\n") + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("set-password", "hash"):
        print(__doc__)
        return 2
    pw = getpass.getpass("Mật khẩu quản trị mới / new admin password: ")
    if len(pw) < 10:
        print("Mật khẩu cần ít nhất 10 ký tự / at least 10 characters", file=sys.stderr)
        return 1
    if getpass.getpass("Nhập lại / again: ") != pw:
        print("Hai lần nhập không khớp / the two entries differ", file=sys.stderr)
        return 1
    stored = make_hash(pw)
    if argv[0] == "hash":
        print(f'[admin]\npassword_hash = "{stored}"')
    else:
        _write_secret(stored)
        print(f"Đã ghi / written: {SECRETS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
