"""Named admin accounts (issue 22 item 3): scrypt hashes in accounts.json beside the database, the command line,
the admin page's sign-in by account with roles, lockout per account and per address, the history recording the
account that acted, and the old shared password switched off once an account exists."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl import accounts as acc
from etl import db as dbmod
from etl.__main__ import main as etl_main
from ui.admin import auth

ROOT_DIR = Path(__file__).resolve().parent.parent
PW_LAN = "mật-khẩu-của-Lan-2026"
PW_MINH = "mật-khẩu-của-Minh-2026"
SHARED = "mật-khẩu-chung-cũ-2026"


# --- the store and the command line ---------------------------------------------------------------------------

def test_scrypt_hash_salted_and_verified():
    a, b = acc.make_hash(PW_LAN), acc.make_hash(PW_LAN)
    assert a != b and a.startswith("scrypt$32768$8$1$")
    assert acc.verify_hash(PW_LAN, a) and acc.verify_hash(PW_LAN, b)
    assert not acc.verify_hash(PW_LAN[:-1], a) and not acc.verify_hash("", a)
    for bad in ("", "plain", auth.make_hash(PW_LAN, iterations=1000), "scrypt$x$8$1$a$b", "scrypt$16$8$1$!!$??"):
        assert not acc.verify_hash(PW_LAN, bad)


def _cli(db: Path, *args: str, stdin: str = "", monkeypatch=None) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return etl_main(["--db", str(db), "account", *args])


def test_command_line_adds_lists_disables_and_changes(tmp_path, monkeypatch, capsys):
    db = tmp_path / "data" / "index.duckdb"
    assert _cli(db, "add", "lan.nguyen", "--role", "editor", "--password-stdin", stdin=PW_LAN + "\n",
                monkeypatch=monkeypatch) == 0
    f = acc.accounts_path(db)
    assert f == tmp_path / "data" / "accounts.json" and (f.stat().st_mode & 0o777) == 0o600
    assert PW_LAN not in f.read_text(encoding="utf-8") and PW_LAN not in capsys.readouterr().out
    # refused: a second account of the same name (any case), a short password, a bad name or role
    assert _cli(db, "add", "LAN.NGUYEN", "--role", "editor", "--password-stdin", stdin=PW_LAN + "\n",
                monkeypatch=monkeypatch) == 1
    assert "đã có" in capsys.readouterr().err
    assert _cli(db, "add", "minh", "--role", "history", "--password-stdin", stdin="ngắn\n", monkeypatch=monkeypatch) == 1
    assert "ít nhất 12 ký tự" in capsys.readouterr().err
    assert _cli(db, "add", "<b>x</b>", "--role", "history", "--password-stdin", stdin=PW_MINH + "\n",
                monkeypatch=monkeypatch) == 1
    assert "Tên tài khoản không hợp lệ" in capsys.readouterr().err
    assert _cli(db, "add", "minh", "--password-stdin", stdin=PW_MINH + "\n", monkeypatch=monkeypatch) == 1
    assert _cli(db, "add", "minh", "--role", "history", "--password-stdin", stdin=PW_MINH + "\n",
                monkeypatch=monkeypatch) == 0
    capsys.readouterr()
    assert _cli(db, "list", monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "lan.nguyen\teditor\tđang dùng" in out and "minh\thistory\tđang dùng" in out and "scrypt" not in out

    assert acc.authenticate(db, "Lan.Nguyen", PW_LAN)["name"] == "lan.nguyen"
    assert acc.authenticate(db, "lan.nguyen", PW_MINH) is None
    assert acc.authenticate(db, "không-có", PW_LAN) is None
    assert _cli(db, "disable", "lan.nguyen", monkeypatch=monkeypatch) == 0
    assert acc.authenticate(db, "lan.nguyen", PW_LAN) is None and acc.active(db, "lan.nguyen") is None
    assert _cli(db, "enable", "lan.nguyen", monkeypatch=monkeypatch) == 0
    assert _cli(db, "passwd", "lan.nguyen", "--password-stdin", stdin=PW_MINH + "\n", monkeypatch=monkeypatch) == 0
    assert acc.authenticate(db, "lan.nguyen", PW_LAN) is None and acc.authenticate(db, "lan.nguyen", PW_MINH)
    assert _cli(db, "role", "minh", "--role", "editor", monkeypatch=monkeypatch) == 0
    assert acc.active(db, "minh")["role"] == "editor"
    assert _cli(db, "disable", "không-có", monkeypatch=monkeypatch) == 1


def test_accounts_live_outside_the_database_so_a_rollback_keeps_a_disabled_account_disabled(db_copy):
    acc.add(db_copy, "lan.nguyen", "editor", PW_LAN)
    dbmod.commit_new_version(db_copy, lambda con: 0, file_name="x", sha=None, kind="test")
    acc.disable(db_copy, "lan.nguyen")
    dbmod.rollback_to(db_copy, dbmod.list_versions(db_copy)[0])
    assert acc.authenticate(db_copy, "lan.nguyen", PW_LAN) is None
    con = duckdb.connect(str(db_copy), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert not any("account" in x for x in tables)


# --- the admin page ---------------------------------------------------------------------------------------------

@pytest.fixture()
def admin_page(app_db, monkeypatch):
    import ui.admin.face as A
    monkeypatch.setattr(auth, "SLOW_S", 0)
    A._throttle().clear()
    yield app_db
    A._throttle().clear()


def _page(shared: bool = False) -> AppTest:
    at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=120)
    if shared:
        at.secrets["admin"] = {"password_hash": auth.make_hash(SHARED, iterations=1000)}
    at.run()
    at.switch_page("app_pages/admin.py")
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def _texts(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "text", "code", "error", "warning", "success", "info", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [str(b.label) for b in at.button]
    return "\n".join(parts).replace("\\", "")        # as Markdown draws it (names are escaped: ui.safe.md)


def _sign_in(at, name: str, password: str) -> AppTest:
    at.text_input(key="ad_who").input(name)
    at.text_input(key="ad_pw").input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def test_locked_page_says_how_to_create_an_account(admin_page):
    text = _texts(_page())
    assert "chưa có tài khoản quản trị" in text and "python -m etl account add" in text


def test_an_account_signs_in_with_its_own_password_and_the_history_records_it(admin_page):
    db = admin_page
    acc.add(db, "lan.nguyen", "editor", PW_LAN)
    dbmod.commit_new_version(db, lambda con: 0, file_name="trước.xlsx", sha=None, kind="test")
    at = _page()
    assert at.text_input(key="ad_who").label == "Tên tài khoản"
    assert "Sai" not in _texts(_sign_in(at, "lan.nguyen", PW_MINH)) and not at.get("tabs")
    assert any("không đúng" in e.value for e in at.error)
    _sign_in(at, "Lan.Nguyen", PW_LAN)
    assert "Đã đăng nhập: lan.nguyen · nạp và khôi phục dữ liệu" in _texts(at)
    assert len(at.get("tabs")) == 3
    # a rollback through the page: the history says the account did it (not a name typed at sign-in)
    next(b for b in at.button if b.key == "ad_rb_0").click().run()
    next(b for b in at.button if b.key == "ad_rb_yes").click().run()
    assert not at.exception
    con = duckdb.connect(str(db), read_only=True)
    try:
        who = con.execute("select user_name from load_log where result = 'rolled_back'").fetchall()
    finally:
        con.close()
    assert who == [("lan.nguyen",)]


def test_a_history_viewer_cannot_load_or_roll_back(admin_page):
    db = admin_page
    acc.add(db, "minh", "history", PW_MINH)
    dbmod.commit_new_version(db, lambda con: 0, file_name="trước.xlsx", sha=None, kind="test")
    at = _sign_in(_page(), "minh", PW_MINH)
    text = _texts(at)
    assert "chỉ xem lịch sử" in text and "Lịch sử nạp" in text
    assert len(at.get("tabs")) == 2 and not at.get("file_uploader")
    assert not [b for b in at.button if (b.key or "").startswith("ad_rb")]


def test_a_disabled_account_is_signed_out_at_its_next_click(admin_page):
    db = admin_page
    acc.add(db, "lan.nguyen", "editor", PW_LAN)
    at = _sign_in(_page(), "lan.nguyen", PW_LAN)
    assert at.get("tabs")
    acc.disable(db, "lan.nguyen")
    at.run()
    assert "đã bị khóa hoặc xóa" in _texts(at) and not at.get("tabs")
    _sign_in(at, "lan.nguyen", PW_LAN)
    assert not at.get("tabs")


def test_lockout_per_account_and_per_address(admin_page, monkeypatch):
    import ui.admin.face as A
    db = admin_page
    acc.add(db, "lan.nguyen", "editor", PW_LAN)
    acc.add(db, "minh", "editor", PW_MINH)
    where = {"ip": "10.0.0.1"}
    monkeypatch.setattr(A, "_client", lambda: where["ip"])
    at = _page()
    for _ in range(auth.MAX_FAILS):
        _sign_in(at, "lan.nguyen", "sai-mật-khẩu-rồi")
    at.run()
    assert any("thử lại sau" in e.value for e in at.error) and not at.text_input     # this address is locked
    # from another address: the account tried is still locked, even with its right password; another account is not
    where["ip"] = "10.0.0.2"
    at = _page()
    _sign_in(at, "lan.nguyen", PW_LAN)
    assert any("thử lại sau" in e.value for e in at.error) and not at.get("tabs")
    at = _sign_in(_page(), "minh", PW_MINH)
    assert at.get("tabs")


def test_the_shared_password_works_only_until_the_first_account(admin_page):
    db = admin_page
    at = _sign_in(_page(shared=True), "Chuyên viên Lan", SHARED)
    assert "Đã đăng nhập: Chuyên viên Lan (mật khẩu chung)" in _texts(at) and at.get("tabs")
    acc.add(db, "lan.nguyen", "editor", PW_LAN)
    at.run()                                             # the signed-in shared session ends at its next click
    assert not at.get("tabs") and at.text_input(key="ad_who").label == "Tên tài khoản"
    at = _sign_in(_page(shared=True), "Chuyên viên Lan", SHARED)
    assert not at.get("tabs") and any("không đúng" in e.value for e in at.error)


def test_the_address_behind_nginx_is_the_visitors():
    assert auth.client_address("10.1.2.3", "9.9.9.9", behind_proxy=True) == "10.1.2.3"     # a direct peer
    assert auth.client_address(None, "10.1.2.3", behind_proxy=True) == "10.1.2.3"          # through nginx
    assert auth.client_address(None, "10.1.2.3", behind_proxy=False) == "local"            # not told: not trusted
    assert auth.client_address(None, "<script>", behind_proxy=True) == "local"
    assert auth.client_address(None, None, behind_proxy=True) == "local"


# --- lockouts shared by every app process (issue 22 item 2) ---------------------------------------------------

def test_the_fifth_failure_through_either_process_locks_both(tmp_path):
    from ui import lockout
    path = lockout.store_path(tmp_path / "index.duckdb")
    one, two = lockout.SharedThrottle(path), lockout.SharedThrottle(path)      # two processes' views of one file
    for i in range(auth.MAX_FAILS - 1):
        (one if i % 2 else two).failed("ip:10.0.0.7", now=1000.0)
    assert one.wait_left("ip:10.0.0.7", now=1000.0) == 0 and two.wait_left("ip:10.0.0.7", now=1000.0) == 0
    one.failed("ip:10.0.0.7", now=1000.0)                                     # the fifth, through the first
    assert two.wait_left("ip:10.0.0.7", now=1000.0) == pytest.approx(auth.LOCKOUT_S)
    assert one.wait_left("ip:10.0.0.7", now=1000.0) == pytest.approx(auth.LOCKOUT_S)
    two.failed("ip:10.0.0.7", now=1100.0)                                     # a sixth doubles it, for both
    assert one.wait_left("ip:10.0.0.7", now=1100.0) == pytest.approx(2 * auth.LOCKOUT_S)
    assert one.wait_left("account:minh", now=1100.0) == 0                     # others are not locked
    two.succeeded("ip:10.0.0.7")
    assert one.wait_left("ip:10.0.0.7", now=1100.0) == 0
    assert (path.stat().st_mode & 0o777) == 0o600
    # a run of failures is forgotten a day after its last one
    for _ in range(auth.MAX_FAILS - 1):
        one.failed("account:lan", now=1000.0)
    two.failed("account:lan", now=1000.0 + lockout.FORGET_S + 1)
    assert one.wait_left("account:lan", now=1000.0 + lockout.FORGET_S + 1) == 0


def test_failures_at_the_same_moment_all_count(tmp_path):
    """Threads of two "processes" failing at once: every failure is counted (one write transaction each)."""
    import threading

    from ui import lockout
    path = lockout.store_path(tmp_path / "index.duckdb")
    views = [lockout.SharedThrottle(path), lockout.SharedThrottle(path)]
    lockout.SharedThrottle(path).clear()              # the file and its table exist before the race

    def fail(view):
        for _ in range(10):
            view.failed("ip:10.0.0.8", now=1000.0)
    threads = [threading.Thread(target=fail, args=(views[i % 2],)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    # 40 failures in a row: locked for the 15-minute maximum; 39 would be the same, so read the count itself
    import sqlite3
    con = sqlite3.connect(path)
    assert con.execute("select fails from failure where client = 'ip:10.0.0.8'").fetchone()[0] == 40
    con.close()


def test_another_process_sees_the_lockout(tmp_path):
    """Failures made in a separate Python process lock this one, and the other way round."""
    import subprocess
    import sys

    from ui import lockout
    path = lockout.store_path(tmp_path / "index.duckdb")
    here = lockout.SharedThrottle(path)

    def other(code: str) -> str:
        prog = f"from ui import lockout; t = lockout.SharedThrottle({str(path)!r}); {code}"
        return subprocess.run([sys.executable, "-c", prog], cwd=ROOT_DIR, capture_output=True, text=True,
                              check=True, timeout=60).stdout.strip()

    for _ in range(auth.MAX_FAILS - 1):
        here.failed("account:lan.nguyen")
    assert other("print(t.wait_left('account:lan.nguyen'))") == "0.0"
    other("t.failed('account:lan.nguyen')")                                  # the fifth, elsewhere
    assert here.wait_left("account:lan.nguyen") > auth.LOCKOUT_S - 5
    here.failed("ip:10.0.0.9")
    assert float(other("print(t.wait_left('ip:10.0.0.9'))")) == 0.0


def test_the_admin_page_reads_the_shared_failures(admin_page, monkeypatch):
    """Five failures counted by another app process (behind nginx) lock this process's page for that address,
    and an account locked elsewhere is not even checked here."""
    import ui.admin.face as A
    from ui import lockout
    db = admin_page
    acc.add(db, "lan.nguyen", "editor", PW_LAN)
    other = lockout.SharedThrottle(lockout.store_path(db))
    for _ in range(auth.MAX_FAILS):
        other.failed("ip:10.0.0.5")
        other.failed("account:lan.nguyen")
    monkeypatch.setattr(A, "_client", lambda: "10.0.0.5")
    at = _page()
    assert any("thử lại sau" in e.value for e in at.error) and not at.text_input
    monkeypatch.setattr(A, "_client", lambda: "10.0.0.6")
    at = _sign_in(_page(), "lan.nguyen", PW_LAN)
    assert any("thử lại sau" in e.value for e in at.error) and not at.get("tabs")


# --- account changes in the history (issue 22 item 3) -----------------------------------------------------------

def test_account_changes_are_in_the_history_with_who_and_never_the_password(db_copy, monkeypatch, capsys):
    import ui.admin.face as A
    db = db_copy
    monkeypatch.delenv("SUDO_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "quantri-may-chu")
    assert _cli(db, "add", "lan.nguyen", "--role", "editor", "--password-stdin", "--by", "Trần Hùng",
                stdin=PW_LAN + "\n", monkeypatch=monkeypatch) == 0
    assert _cli(db, "passwd", "lan.nguyen", "--password-stdin", stdin=PW_MINH + "\n", monkeypatch=monkeypatch) == 0
    monkeypatch.setenv("SUDO_USER", "hung.tran")                 # run with sudo: the person, not root
    assert _cli(db, "role", "lan.nguyen", "--role", "history", monkeypatch=monkeypatch) == 0
    assert _cli(db, "disable", "LAN.NGUYEN", monkeypatch=monkeypatch) == 0
    assert _cli(db, "enable", "lan.nguyen", "--by", "Lê Minh", monkeypatch=monkeypatch) == 0
    assert _cli(db, "disable", "không-có", monkeypatch=monkeypatch) == 1      # refused: not a change, not recorded
    capsys.readouterr()

    h = A.history(db)
    acct = h[h.kind == "Tài khoản quản trị"]
    assert set(zip(acct.result, acct.user_name, acct.message)) == {
        ("Thêm tài khoản", "Trần Hùng", "lan.nguyen: thêm tài khoản, vai trò: nạp và khôi phục dữ liệu"),
        ("Đổi mật khẩu", "quantri-may-chu", "lan.nguyen: đổi mật khẩu"),
        ("Đổi vai trò", "hung.tran", "lan.nguyen: đổi vai trò, vai trò: chỉ xem lịch sử"),
        ("Khóa tài khoản", "hung.tran", "lan.nguyen: khóa tài khoản"),
        ("Mở lại tài khoản", "Lê Minh", "lan.nguyen: mở lại tài khoản"),
    }
    assert acct.started_at.notna().all() and len(h) > len(acct)           # with the loads, when each happened
    # kept in the database's own log at its next write (so a rollback keeps them), and never a password
    dbmod.commit_new_version(db, lambda con: 0, file_name="x", sha=None, kind="test")
    con = duckdb.connect(str(db), read_only=True)
    try:
        n = con.execute("select count(*) from load_log_entry where kind = 'account'").fetchone()[0]
        logged = " ".join(str(r) for r in con.execute("select * from load_log_entry").fetchall())
    finally:
        con.close()
    assert n == 5
    for pw in (PW_LAN, PW_MINH):
        assert pw not in logged and pw not in dbmod.journal_path(db).read_text(encoding="utf-8")
    assert "scrypt" not in logged


def test_account_history_in_english(db_copy, monkeypatch):
    import ui.admin.face as A
    acc.add(db_copy, "minh", "history", PW_MINH)
    acc.record_change(db_copy, "add", "minh", "Lan", "history")
    monkeypatch.setattr("ui.i18n.lang", lambda: "en")
    h = A.history(db_copy)
    assert ("Admin account", "Account added", "Lan") in set(zip(h.kind, h.result, h.user_name))
