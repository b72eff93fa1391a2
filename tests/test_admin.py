"""Data administration: the password (salted hash, constant-time compare, throttling), the page's gate in
AppTest, the upload helpers, history across rollbacks, and names holding HTML/JS/SQL shown as plain text."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import db as dbmod
from etl.loaders import load_file
from etl.problems import Rejected
from tests.helpers import LONG_HEADER, long_rows, write_long
from ui.admin import auth

ROOT_DIR = Path(__file__).resolve().parent.parent

PASSWORD = "đúng-mật-khẩu-2026"
HASH = auth.make_hash(PASSWORD, iterations=1000)        # fast in tests; the app's default is 240,000


@pytest.fixture(autouse=True)
def _no_failures_kept():
    """Failed sign-ins are kept in a file beside the database these pages read (ui/lockout.py): every test
    starts with none, whatever an earlier test or run left."""
    import ui.admin.face as A
    A._throttle().clear()
    yield
    A._throttle().clear()


# --- the password --------------------------------------------------------------------------------------------

def test_hash_is_salted_and_verifies():
    a, b = auth.make_hash("x" * 12), auth.make_hash("x" * 12)
    assert a != b and a.startswith("pbkdf2_sha256$240000$")
    assert auth.verify("x" * 12, a) and auth.verify("x" * 12, b)
    assert not auth.verify("x" * 11, a) and not auth.verify("", a)
    for bad in ("", "plain", "md5$1$a$b", "pbkdf2_sha256$x$y$z", "pbkdf2_sha256$10$!!$??"):
        assert not auth.verify("x" * 12, bad)


def test_failures_are_slowed_then_locked_and_success_resets():
    th = auth.Throttle()
    for _ in range(auth.MAX_FAILS - 1):
        th.failed("1.2.3.4", now=1000.0)
    assert th.wait_left("1.2.3.4", now=1000.0) == 0
    th.failed("1.2.3.4", now=1000.0)
    assert th.wait_left("1.2.3.4", now=1000.0) == pytest.approx(auth.LOCKOUT_S)
    th.failed("1.2.3.4", now=1100.0)
    assert th.wait_left("1.2.3.4", now=1100.0) == pytest.approx(2 * auth.LOCKOUT_S)
    assert th.wait_left("5.6.7.8", now=1100.0) == 0            # other clients are not locked out
    th.succeeded("1.2.3.4")
    assert th.wait_left("1.2.3.4", now=1100.0) == 0


def test_set_password_writes_only_a_hash(tmp_path, monkeypatch, capsys):
    f = tmp_path / "secrets.toml"
    f.write_text('[other]\nkey = "keep me"\n\n[admin]\npassword_hash = "old"\n', encoding="utf-8")
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": PASSWORD)
    monkeypatch.setattr(auth, "SECRETS", f)
    assert auth.main(["set-password"]) == 0
    text = f.read_text(encoding="utf-8")
    assert 'key = "keep me"' in text and PASSWORD not in text and '"old"' not in text
    assert text.count("password_hash") == 1
    stored = text.split('password_hash = "')[1].split('"')[0]
    assert auth.verify(PASSWORD, stored)
    assert (f.stat().st_mode & 0o777) == 0o600
    assert PASSWORD not in capsys.readouterr().out
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": "short")
    assert auth.main(["set-password"]) == 1                   # too short: nothing written
    assert f.read_text(encoding="utf-8") == text


# --- the page ------------------------------------------------------------------------------------------------

def _admin(db=None, secrets: bool = True, monkeypatch=None) -> AppTest:
    at = AppTest.from_file(str(ROOT_DIR / "app.py"), default_timeout=120)
    if secrets:
        at.secrets["admin"] = {"password_hash": HASH}
    at.run()
    at.switch_page("app_pages/admin.py")
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def _all_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "text", "code", "error", "warning", "success", "info", "title", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [e.value.to_string() for e in at.get("dataframe")]
    parts += [str(getattr(e, "label", "")) for e in at.get("button")]
    return "\n".join(parts)


def _sign_in(at, password=PASSWORD, who="Chuyên viên Lan"):
    at.text_input(key="ad_who").input(who)
    at.text_input(key="ad_pw").input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    return at


def test_page_locked_without_secrets():
    at = _admin(secrets=False)
    text = _all_text(at)
    assert "Trang quản trị đang khóa" in text and "python -m etl account add" in text
    assert not at.get("tabs") and not at.text_input


def test_wrong_password_refused_and_nothing_shown(monkeypatch):
    monkeypatch.setattr(auth, "SLOW_S", 0)
    at = _sign_in(_admin(), password="sai")
    assert [e.value for e in at.error] == ["Mật khẩu không đúng."]
    assert not at.get("tabs") and not at.session_state["admin_ok"] if "admin_ok" in at.session_state else True
    assert "Lịch sử nạp" not in _all_text(at)


def test_lockout_after_repeated_failures(monkeypatch):
    import ui.admin.face as A
    monkeypatch.setattr(auth, "SLOW_S", 0)
    A._throttle().clear()
    at = _admin()
    for _ in range(auth.MAX_FAILS):
        _sign_in(at, password="sai")
    at.run()
    assert any("thử lại sau" in e.value for e in at.error)
    assert not at.text_input                                  # no form while locked out
    A._throttle().clear()


def test_signed_in_shows_tabs_history_and_no_secret():
    at = _sign_in(_admin())
    assert "Đã đăng nhập: Chuyên viên Lan" in _all_text(at)
    assert len(at.get("tabs")) == 3
    text = _all_text(at)
    assert "Lịch sử nạp" in text and "Phiên bản hiện tại" in text
    assert PASSWORD not in text and HASH not in text and HASH.split("$")[3] not in text


# --- helpers behind the page ---------------------------------------------------------------------------------

def test_upload_over_the_limit_is_refused_before_writing(tmp_path, monkeypatch):
    import ui.admin.face as A
    monkeypatch.setattr(A, "MAX_FILE_BYTES", 1000)
    with pytest.raises(Rejected) as e:
        A.save_upload("to.xlsx", b"x" * 1001, folder=tmp_path)
    assert e.value.problems[0].code == "file_too_large"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("raw,want", [("../../etc/passwd", "passwd"), ("C:\\Users\\a\\điểm 2025.xlsx", "điểm 2025.xlsx"),
                                      ("a\x00b<c>.csv", "a_b_c_.csv"), ("...", "upload")])
def test_safe_names(raw, want):
    import ui.admin.face as A
    assert A.safe_name(raw) == want


def test_validate_reports_changes_or_problems(db_copy, tmp_path):
    import ui.admin.face as A
    good = write_long(tmp_path / "good.xlsx", long_rows(db_copy, share=0.6), header=LONG_HEADER)
    r = A.validate(good, db_copy)
    assert r["ok"] and r["changes"].to_dict("records") == [
        {"table": "unit_score", "what": "unit", "year": 2025, "n": 1, "rows_new": 68, "rows_replaced": 68}]
    rows = long_rows(db_copy)
    rows[0][4] = "tám"
    bad = A.validate(write_long(tmp_path / "bad.xlsx", rows, header=LONG_HEADER), db_copy)
    assert not bad["ok"] and list(bad["problems"].columns) == ["file", "sheet", "row", "column", "value", "problem"]
    assert bad["texts"] == ["bad.xlsx, trang 'DiemDonVi', dòng 2, cột E (Thẩm định): Giá trị 'tám' không phải là số"]


def test_history_keeps_every_attempt_across_a_rollback(db_copy, tmp_path):
    import ui.admin.face as A
    before = dbmod.table_fingerprints(db_copy)
    rows = long_rows(db_copy)
    rows[0][4] = -1
    with pytest.raises(Rejected):
        load_file(write_long(tmp_path / "neg.xlsx", rows, header=LONG_HEADER), db_copy, user="Lan")
    load_file(write_long(tmp_path / "ok.xlsx", long_rows(db_copy, share=0.6), header=LONG_HEADER), db_copy, user="Lan")
    dbmod.rollback_to(db_copy, dbmod.list_versions(db_copy)[0], user="Hùng")
    assert dbmod.table_fingerprints(db_copy) == before               # exactly the data before the load
    h = A.history(db_copy)
    got = list(zip(h.file_name, h.result, h.user_name))[:3]
    assert got[0][1] == "Đã quay về" and got[0][2] == "Hùng"          # in words, not the stored codes
    assert ("ok.xlsx", "Đã nạp", "Lan") in got and ("neg.xlsx", "Bị từ chối", "Lan") in got
    assert set(h.kind[:3]) == {"Quay về phiên bản trước", "Điểm đơn vị"}
    assert h.file_sha256.str.len().max() == 12


# --- names that are markup or SQL ----------------------------------------------------------------------------

ODD = "<img src=x onerror=alert(1)> Sở Tư pháp'; DROP TABLE unit; --"


@pytest.fixture()
def odd_db(app_db):
    def rename(con):
        con.execute("update unit set name_vi = $n, name_en = $n where unit_id = 'SO-TP-25'", {"n": ODD})
        # and make it the weakest department of 2025, so that briefing headlines name it
        con.execute("update unit_score set self_score = 0, appraised_score = 0, survey_score = 0 "
                    "where unit_id = 'SO-TP-25' and year = 2025")
        return 1
    dbmod.commit_new_version(app_db, rename, file_name="odd", sha=None, kind="test")
    return app_db


def test_odd_names_are_plain_text_on_pages(odd_db):
    from tests.helpers import run_page
    at = run_page("unit_ranking", level="department", year=2025)
    assert any(ODD in e.value.to_string() for e in at.get("dataframe"))
    at = run_page("briefing", level="department", year=2025, province="p34:82", present=1, step=6)   # the weakest units
    bodies = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in bodies and "<img src=x" not in bodies
    at = run_page("unit_profile", level="department", year=2025, unit="SO-TP-25")
    assert not at.exception
    # loading a file with the unit's usual name still finds it; the table is unchanged by the SQL text
    load_file(write_long(odd_db.parent / "tp.xlsx", long_rows(odd_db, share=0.6), header=LONG_HEADER), odd_db)
    import duckdb
    con = duckdb.connect(str(odd_db), read_only=True)
    assert con.execute("select count(*) from unit").fetchone()[0] > 0
    con.close()


def test_no_secret_in_logs(db_copy, tmp_path):
    load_file(write_long(tmp_path / "ok.xlsx", long_rows(db_copy, share=0.6), header=LONG_HEADER), db_copy,
              user="Lan")
    text = dbmod.journal_path(db_copy).read_text(encoding="utf-8")
    assert PASSWORD not in text and "password" not in text.lower()
    for line in text.splitlines():
        assert set(json.loads(line)) <= {"attempt_id", "started_at", "finished_at", "file_name", "file_sha256", "kind",
                                         "rows", "result", "message", "user_name"}
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_annex_with_new_units_needs_a_confirmation(db_copy, tmp_path):
    import ui.admin.face as A
    from tests.helpers import annex_units, write_annex
    name = annex_units(db_copy)[0][0]
    f = write_annex(tmp_path / "phu_luc.xlsx", db_copy, names={name: "Trung tâm Phục vụ hành chính công thử nghiệm"})
    r = A.validate(f, db_copy)
    assert not r["ok"] and r["kind"] == "annex" and r["unknown"] == ["Trung tâm Phục vụ hành chính công thử nghiệm"]
    assert set(r["codes"]) == {"unknown_unit"}
    ok = A.validate(f, db_copy, create_units=True)
    assert ok["ok"] and ok["create_units"] and any("Tạo 1 đơn vị mới" in n for n in ok["notes"])
    assert A.load(f, db_copy, "Lan", create_units=True)["ok"]
