"""The app's read-only connection to the current database version, and cached queries.

Loads swap a new file in atomically (etl/db.py); the connection is cached per file identity
(inode and modification time), so the next interaction after a load opens the new version and
no query ever mixes two versions."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

import queries

DB_PATH = Path(os.environ.get("PAR_DB", Path(__file__).resolve().parent.parent / "data" / "index.duckdb"))


def db_version() -> str | None:
    try:
        s = DB_PATH.stat()
    except FileNotFoundError:
        return None
    return f"{s.st_ino}-{s.st_mtime_ns}"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(DB_PATH), read_only=True)


def connection() -> duckdb.DuckDBPyConnection | None:
    v = db_version()
    if v is None:
        return None
    seen = st.session_state.get("_db_version")
    if seen and seen != v:
        st.toast(__import__("ui.i18n", fromlist=["t"]).t("data_changed"))
    st.session_state["_db_version"] = v
    return _connection(v)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(version: str, name: str, items: tuple) -> pd.DataFrame:
    return queries.run(_connection(version), name, **dict(items))


def q(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with bound parameters, cached for the current database version."""
    if connection() is None:
        return pd.DataFrame()
    return _cached(db_version(), name, tuple(sorted(params.items())))
