"""The app's read-only connection to the current database version, and cached queries.

Two databases, never mixed: the real one (DB_PATH, data/index.duckdb: published figures and what users load;
admin loads and rollbacks act on it only) and the demo (DEMO_PATH, data/demo/demo.duckdb: the same plus the
illustrative fill). A session reads one of them, chosen in the sidebar and kept in the URL (?db=demo).

Loads swap a new file in atomically (etl/db.py); the connection is cached per file identity
(inode and modification time), so the next interaction after a load opens the new version and
no query ever mixes two versions."""
from __future__ import annotations

import functools
import hashlib
import os
import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import queries

_DATA = Path(__file__).resolve().parent.parent / "data"
DB_PATH = Path(os.environ.get("PAR_DB", _DATA / "index.duckdb"))
DEMO_PATH = Path(os.environ.get("PAR_DEMO_DB", _DATA / "demo" / "demo.duckdb"))
_PATHS: dict[str, Path] = {}          # version -> the database file it is a version of


def choose_database(demo: bool) -> None:
    """This session reads the demo (True) or the real database (False); app.py calls it from the switch."""
    st.session_state["_db"] = "demo" if demo else "real"


def current_path() -> Path:
    """The database this session reads: the demo if chosen, else the real one."""
    try:
        demo = st.session_state.get("_db") == "demo"
    except Exception:                           # outside a Streamlit run (tests, scripts): the real one
        demo = False
    return DEMO_PATH if demo else DB_PATH


def db_version() -> str | None:
    path = current_path()
    try:
        s = path.stat()
    except FileNotFoundError:
        return None
    v = f"{s.st_ino}-{s.st_mtime_ns}"
    _PATHS[v] = path
    return v


def version_of(path: Path) -> str | None:
    try:
        s = path.stat()
    except FileNotFoundError:
        return None
    return f"{s.st_ino}-{s.st_mtime_ns}"


def _live_path(version: str) -> Path:
    """A name of its own for one version's file. DuckDB keeps one database instance per path in a process: a
    new connection to data/index.duckdb after a swap would get the old instance (and the old data) for as
    long as any connection to the old file is open. A hard link per version (same inode, no copy) gives
    every version its own path; the writer removes these links at the next swap (etl/db.py)."""
    db = _PATHS.get(version, DB_PATH)
    live = db.parent / "versions" / f".live-{version}.duckdb"
    if version_of(live) == version:
        return live
    live.parent.mkdir(exist_ok=True)
    for src in [db, *sorted((db.parent / "versions").glob(f"{db.stem}-*.duckdb"), reverse=True)]:
        if version_of(src) != version:
            continue
        tmp = live.with_name(f"{live.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            os.link(src, tmp)
            if version_of(tmp) == version:           # still the same file (not swapped in between)
                os.replace(tmp, live)
                return live
        except FileNotFoundError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    raise FileNotFoundError(f"database version {version} is no longer available")


@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(_live_path(version)), read_only=True)


def pin() -> str | None:
    """Called by app.py at the start of every run: the database version this run reads, so that no page
    mixes two versions even if a load swaps the file while it runs. A session that saw another version
    on its previous run is told that the data changed."""
    v = db_version()
    seen = st.session_state.get("_db_version")
    same_db = st.session_state.get("_db_seen", st.session_state.get("_db")) == st.session_state.get("_db")
    if v and seen and seen != v and same_db:
        st.toast(__import__("ui.i18n", fromlist=["t"]).t("data_changed"), icon=":material/sync:")
    st.session_state["_db_version"] = v
    st.session_state["_db_seen"] = st.session_state.get("_db")
    return v


def run_version() -> str | None:
    """The version pinned for this run (or, outside a run, the current one)."""
    return st.session_state.get("_db_version") or db_version()


def connection() -> duckdb.DuckDBPyConnection | None:
    v = run_version()
    if v is None:
        return None
    try:
        return _connection(v)
    except FileNotFoundError:                     # pinned to a version pruned since: read the current one
        st.session_state["_db_version"] = v = db_version()
        return _connection(v) if v else None


def fresh(value):
    """What a caller may change without touching the cached value: a DataFrame as a shallow copy (pandas' copy on
    write: setting a column, a cell or the index of the copy leaves the original as it is), containers rebuilt."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(fresh(v) for v in value)
    if isinstance(value, list):
        return [fresh(v) for v in value]
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    return value


def shared(max_entries: int):
    """st.cache_resource for results (frames, dicts of frames) kept per database version: one copy shared by every
    session, each caller getting its own shallow copy. st.cache_data would unpickle the whole value on every hit,
    which was a tenth of a warm page run's CPU (bench/RESULTS.md, issue 22)."""
    def wrap(func):
        kept = st.cache_resource(max_entries=max_entries, show_spinner=False)(func)

        @functools.wraps(func)
        def call(*args, **kwargs):
            return fresh(kept(*args, **kwargs))
        call.clear = kept.clear
        return call
    return wrap


@shared(max_entries=512)
def _cached(version: str, name: str, items: tuple) -> pd.DataFrame:
    return queries.run(_connection(version), name, **dict(items))


def q(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters, cached for the current database version."""
    if connection() is None:
        return pd.DataFrame()
    return _cached(run_version(), name, tuple(sorted(params.items())))


@st.cache_resource(max_entries=8, show_spinner=False)
def _national_digest(version: str) -> str:
    d = queries.run(_connection(version), "national_digest")
    return hashlib.sha256(repr(list(d.itertuples(index=False))).encode()).hexdigest()[:16]


def national_version() -> str | None:
    """What the national pages' kept results and charts are keyed on instead of the file's version: a fingerprint of
    the tables they read (queries/national_digest.sql, 20 ms once per version). A unit load or rollback changes
    none of them, so the league table, profile, trends and overview stay warm for everyone while an admin loads
    a year's unit scores; a national load changes it, and everything is computed again."""
    v = run_version()
    if v is None:
        return None
    return f"{_national_digest(v)}-{'demo' if is_demo() else 'real'}"


def is_demo() -> bool:
    """This run reads the demo (or any database holding illustrative figures): every screen, chart, table,
    export and slide then says "Bản trình diễn · số liệu minh họa"."""
    if connection() is None:               # (re-pins a session whose version was pruned)
        return False
    return _is_demo(run_version())


@st.cache_resource(max_entries=8, show_spinner=False)
def _is_demo(version: str) -> bool:
    """Once per version (every chart and table asks)."""
    d = q("database_kind")
    if d.empty:
        return False
    kind = d.kind.iloc[0]
    # a database that says nothing (built before the split) is a demo if it holds any illustrative figure
    return kind == "demo" or (kind != "real" and bool(d.has_illustrative.iloc[0]))
