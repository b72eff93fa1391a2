"""What the data administration page needs: the sign-in gate, saving an upload safely, the validation report
and the summary of changes, the load history (database log plus attempts not yet in it) and kept versions.
The loading itself is etl's (`etl.loaders.preview` / `load_file`, `etl.db.rollback_to`): this is a face on it."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import queries
from etl import accounts as acc
from etl import db as dbmod
from etl.files import MAX_FILE_BYTES, mb, sha256_of
from etl.loaders import load_file, preview
from etl.problems import Problem, Rejected
from etl.readers import loaded_as
from ui.admin import auth
from ui import data as D
from ui import lockout
from ui.i18n import lang, t
from ui.settings import behind_proxy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- signing in ---------------------------------------------------------------------------------------------

def _throttle() -> lockout.SharedThrottle:
    """Failed sign-ins, counted in a file every app process shares (ui/lockout.py), beside the accounts."""
    return lockout.SharedThrottle(lockout.store_path(D.DB_PATH))


def stored_hash() -> str | None:
    """The admin password hash from secrets ([admin] password_hash), or None when there is none."""
    try:
        v = st.secrets.get("admin", {}).get("password_hash")
    except Exception:             # no secrets.toml at all
        return None
    return v if isinstance(v, str) and v.count("$") == 3 else None


def _client() -> str:
    try:
        ip, real_ip = st.context.ip_address, st.context.headers.get("X-Real-Ip")
    except Exception:
        ip, real_ip = None, None
    return auth.client_address(ip if isinstance(ip, str) else None, real_ip, behind_proxy())


@dataclass(frozen=True)
class Admin:
    name: str          # what the load history records: the account's name (or, with the old shared password, the
    role: str          # name typed, marked as such); role: "editor" (load, roll back) or "history" (read only)

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"


def _locked_out(*keys: str) -> float:
    return max(_throttle().wait_left(k) for k in keys)


def current_admin() -> Admin | None:
    """The admin this session signed in as, checked again (a disabled account or a switched-off shared password
    counts as signed out); None when nobody is. For pages that offer more to a signed-in user (the plan editor)."""
    signed = st.session_state.get("admin")
    if not signed:
        return None
    db = D.DB_PATH
    accounts = acc.load(db)
    if signed.get("shared"):
        return Admin(signed["name"], "editor") if not accounts and stored_hash() else None
    a = acc.active(db, signed["name"])
    return Admin(a["name"], a["role"]) if a is not None else None


def require_admin() -> Admin:
    """Stop the page unless this session has signed in. With accounts (`python -m etl account add`), a name and
    its own password; the account is checked again on every run, so a disabled one is signed out at its next
    click. With no account at all, the old shared password still opens the page (the history then records the
    name typed, marked "mật khẩu chung"); the first account created switches it off."""
    db = D.DB_PATH
    accounts = acc.load(db)
    shared = None if accounts else stored_hash()
    if not accounts and not shared:
        st.warning(t("ad_no_secret"), icon=":material/lock:")
        st.code(".venv/bin/python -m etl account add TÊN --role editor", language="bash")
        st.stop()
    signed = st.session_state.get("admin")
    if signed and signed.get("shared") and shared:
        return Admin(signed["name"], "editor")
    if signed and not signed.get("shared"):
        a = acc.active(db, signed["name"])
        if a is not None:
            return Admin(a["name"], a["role"])
        st.warning(t("ad_account_gone"), icon=":material/person_off:")
    st.session_state.pop("admin", None)
    client = "ip:" + _client()
    left = _locked_out(client)
    if left > 0:
        st.error(t("ad_locked", s=math.ceil(left)), icon=":material/timer:")
        st.stop()
    with st.form("ad_login"):
        who = st.text_input(t("ad_account") if accounts else t("ad_name"), max_chars=60, key="ad_who")
        pw = st.text_input(t("ad_password_own") if accounts else t("ad_password"), type="password", max_chars=200,
                           key="ad_pw")
        submitted = st.form_submit_button(t("ad_sign_in"), type="primary")
    if submitted:
        name = (who or "").strip()
        keys = (client, "account:" + unicodedata.normalize("NFC", name).casefold()) if accounts else (client,)
        left = _locked_out(*keys)
        if left > 0:                         # this account is locked (tried from elsewhere): not even checked
            st.error(t("ad_locked", s=math.ceil(left)), icon=":material/timer:")
            st.stop()
        if accounts:
            a = acc.authenticate(db, name, pw)
            ok = a is not None
            session = dict(name=a["name"]) if ok else None
        else:
            ok = auth.verify(pw, shared)
            session = dict(name=t("ad_shared_name", name=name or "admin"), shared=True)
        if ok:
            for k in keys:
                _throttle().succeeded(k)
            st.session_state["admin"] = session
            st.rerun()
        time.sleep(auth.SLOW_S)
        for k in keys:
            _throttle().failed(k)
        st.error(t("ad_wrong_account") if accounts else t("ad_wrong"), icon=":material/block:")
    st.stop()


def sign_out() -> None:
    for k in ("admin", "ad_report"):
        st.session_state.pop(k, None)


# --- uploads ------------------------------------------------------------------------------------------------

def safe_name(name: str) -> str:
    """The uploaded file's own name, reduced to a plain file name (no folders, no control characters)."""
    name = unicodedata.normalize("NFC", Path(str(name).replace("\\", "/")).name)
    name = re.sub(r"[\x00-\x1f\x7f/:*?\"<>|]", "_", name).strip(". ") or "upload"
    return name[:120]


def refuse_if_too_large(name: str, size: int) -> None:
    """Before the upload is read, written or parsed."""
    if size > MAX_FILE_BYTES:
        raise Rejected([Problem("file_too_large", file=safe_name(name), detail=mb(size),
                                expected=mb(MAX_FILE_BYTES))])


def save_upload(name: str, data: bytes, folder: Path | None = None) -> Path:
    """Write an upload to a private temporary folder (refused first when too large)."""
    refuse_if_too_large(name, len(data))
    folder = Path(folder or tempfile.mkdtemp(prefix="par-upload-"))
    path = folder / safe_name(name)
    path.write_bytes(data)
    return path


def validate(path: Path, db: Path, create_units: bool = False, user: str | None = None) -> dict:
    """{'ok': True, 'changes': DataFrame, 'notes': [...]} or {'ok': False, 'problems': DataFrame, ...}. A refused
    upload is recorded in the load history like a refused load (every attempt is)."""
    try:
        batch, changes = preview(path, db, create_units=create_units)
    except Rejected as e:
        r = refused(e, sha256_of(path) if path.exists() else None)
        try:
            from etl.loaders import detect_kind
            r["kind"] = detect_kind(path)
        except Rejected:
            r["kind"] = None
        try:
            dbmod.record_rejection(db, path.name, r["sha"], loaded_as(r["kind"]) or "?",
                                   "\n".join(r["texts"][:20]), user)
        except OSError:
            pass                     # the record is a help; the refusal is shown whatever happens to it
        return r
    return dict(ok=True, changes=pd.DataFrame(changes), notes=list(batch.notes), kind=batch.kind,
                sha=sha256_of(path), create_units=create_units)


def refused(e: Rejected, sha: str | None = None) -> dict:
    """A refusal as the page shows it: a table (sortable, downloadable) and the same lines as plain text."""
    return dict(ok=False, problems=pd.DataFrame([p.as_row(lang()) for p in e.problems]),
                texts=[p.text(lang()) for p in e.problems], codes=[p.code for p in e.problems],
                unknown=sorted({str(p.value) for p in e.problems if p.code == "unknown_unit"}), sha=sha)


def load(path: Path, db: Path, user: str, create_units: bool = False) -> dict:
    try:
        return dict(ok=True, message=load_file(path, db, user=user, lang=lang(), create_units=create_units))
    except Rejected as e:
        return refused(e)


# --- history and versions -----------------------------------------------------------------------------------

def history(db: Path, limit: int = 100) -> pd.DataFrame:
    """Every attempt, newest first: the database's log plus attempts recorded only in the journal so far
    (rejections do not write the database)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        log = queries.run(con, "load_log_recent", n=limit)
    finally:
        con.close()
    extra = []
    jp = dbmod.journal_path(db)
    if jp.exists():
        known = set(log.attempt_id)
        for line in jp.read_text(encoding="utf-8").splitlines()[-limit:]:
            try:
                e = json.loads(line)
            except json.JSONDecodeError:
                continue
            if e.get("attempt_id") not in known:
                extra.append({c: e.get(c) for c in log.columns})
    if extra:
        x = pd.DataFrame(extra)
        x["started_at"] = pd.to_datetime(x.started_at)
        log = pd.concat([log, x], ignore_index=True)
    log["started_at"] = pd.to_datetime(log.started_at)
    log = log.sort_values("started_at", ascending=False).head(limit).reset_index(drop=True)
    log["file_sha256"] = log.file_sha256.fillna("").str.slice(0, 12)
    # the kinds and results in words, not the codes the log stores ("unit_scores", "rolled_back", None)
    log["kind"] = log.kind.map(lambda k: t(f"kind_{k}") if isinstance(k, str) and f"kind_{k}" in KNOWN else
                               (k if isinstance(k, str) and k != "?" else "–"))
    log["result"] = log.result.map(lambda r: t(f"result_{r}") if isinstance(r, str) and f"result_{r}" in KNOWN
                                   else (r if isinstance(r, str) else "–"))
    log["user_name"] = log.user_name.fillna("–")
    log["message"] = log.message.fillna("")
    return log.drop(columns="attempt_id")


KNOWN = {f"kind_{k}" for k in ("build", "bulk_unit_scores", "rollback", "annex", "national", "papi", "unit_scores",
                               "ministry", "units", "test", "plan", "restore", "account")} | \
        {f"result_{r}" for r in ("built", "loaded", "rejected", "failed", "rolled_back")} | \
        {f"result_account_{a}" for a in acc.CHANGES}


version_info = dbmod.version_info


@st.cache_resource(max_entries=16, show_spinner=False)
def _first_framework_year(db: str, version: str | None, level: str) -> int | None:
    """Once per version of the file (the first page shows the template choice on every run)."""
    con = duckdb.connect(db, read_only=True)
    try:
        first = queries.run(con, "framework_first_year", level=level).first_year.iloc[0]
    finally:
        con.close()
    return None if pd.isna(first) else int(first)


def template_years(db: Path, level: str) -> list[int]:
    """Years a unit template can be made for: from the first framework of the level to the coming year."""
    first = _first_framework_year(str(db), D.version_of(db), level)
    coming = dt.date.today().year + 1
    return list(range(coming, (first or coming) - 1, -1))          # newest first: the year being assessed


def template_downloads(db: Path, key: str = "tpl") -> None:
    """The blank templates (national results; unit scores for any level and year, from the framework in force that
    year, the coming year included)."""
    from etl.templates import template_bytes
    st.download_button(t("template_national"), data=lambda: template_bytes("national", db),
                       file_name="mau_ket_qua_quoc_gia.xlsx", mime=XLSX, key=f"{key}_national")
    a, b, c = st.columns([2, 1, 3], vertical_alignment="bottom")
    names = {lv: t(lv) for lv in ("department", "district", "commune")}     # in this run's language
    level = a.selectbox(t("level"), list(names), format_func=names.get, key=f"{key}_level")
    year = b.selectbox(t("year"), template_years(db, level), key=f"{key}_year")
    c.download_button(f"{t('template_units')}: {t(level)} {year}",
                      data=lambda: template_bytes("units", db, level, year),
                      file_name=f"mau_diem_{level}_{year}.xlsx", mime=XLSX, key=f"{key}_units")


when_text = dbmod.when_text


def version_words(written_at: str | None, last_file: str | None) -> str:
    """How a kept version is named to a person: when it was written and what it last loaded (its own file name
    carries the time it was replaced, which reads as the next version's time)."""
    from ui import safe
    return t("ad_version_words", when=when_text(written_at), file=safe.md(last_file or "–"))   # Markdown, name as text


def versions(db: Path) -> pd.DataFrame:
    rows = []
    for p in dbmod.list_versions(db)[: dbmod.KEEP_VERSIONS]:
        try:
            rows.append(dbmod.version_info(p))
        except Exception as e:                     # a damaged kept file: listed, not offered
            rows.append(dict(path=str(p), written_at=None, last_file=f"({type(e).__name__})", province_rows=None,
                             unit_rows=None, last_result="damaged"))
    return pd.DataFrame(rows)


# --- the Ministry's annex: rows that disagree, shown with their image, corrected in the app --------------------

def ministry_review(path: Path) -> dict:
    """The annex as read and its disagreements: {'read', 'problems', 'flagged' (line indexes)}; {'error'} when the
    file cannot be read as an annex at all."""
    from etl import ministry_annex as M
    try:
        a = M.read(path)
    except Rejected as e:
        return dict(error=refused(e))
    return dict(read=a, **_flag(a, a.lines))


def _flag(a, lines) -> dict:
    from etl import ministry_annex as M
    problems = M.check(a, lines)
    at = {(ln.sheet, ln.row): i for i, ln in enumerate(lines)}
    by_line: dict[int, list[str]] = {}
    general = []
    for p in problems:
        i = at.get((p.sheet, p.row))
        (by_line.setdefault(i, []) if i is not None else general).append(
            p.text(lang()) if i is None else f"{p.column}: {p.message(lang())}")
    return dict(problems=problems, flagged=sorted(by_line), why=by_line, general=general)


def ministry_recheck(review: dict, full: pd.DataFrame) -> dict:
    """The table with the user's corrections (every line, in order), checked again."""
    from etl import ministry_annex as M
    a = review["read"]
    lines = M.with_corrections(a, full)
    return dict(review, lines=lines, **_flag(a, lines))


def ministry_load(review: dict, path: Path, db: Path, user: str) -> dict:
    from etl import ministry_annex as M
    a = review["read"]
    try:
        batch = M.to_batch(a, review.get("lines"))
        return dict(ok=True, message=load_file(path, db, user=user, lang=lang(), batch=batch))
    except Rejected as e:
        return refused(e)


def row_image(path: Path, line):
    from etl.ministry_annex import row_image as img
    try:
        return img(path, line)
    except Exception:          # an image is a help, never a reason to fail the page
        return None


def annex_col_label(col: str) -> str:
    from etl.ministry_annex import _col_label
    return _col_label(col)
