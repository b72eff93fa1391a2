"""Shared fixtures: the bundled database (built once) and per-test copies to load into."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (a suite that passes once passes again); failures they
# found are kept as @example. `make test-explore` searches new examples (HYPOTHESIS_PROFILE=explore).
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=300, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PAR_VALIDATE_CHARTS"] = "1"     # tests check every chart property value (the app skips it for speed)
REAL = ROOT / "data" / "index.duckdb"
DEMO = ROOT / "data" / "demo" / "demo.duckdb"
# Most tests exercise pages and loaders on full tables: the demo database, served as the app's database
# (PAR_DB, read by ui.data and by every app server a test starts). Tests of the real database use `real_db`.
os.environ.setdefault("PAR_DB", str(DEMO))
os.environ.setdefault("PAR_DEMO_DB", str(DEMO))

from etl import db as dbmod  # noqa: E402

BUNDLED = DEMO


def _build(path: Path, demo: bool) -> Path:
    if not path.exists():
        from etl.build import prepare_build, prepare_demo_build
        path.parent.mkdir(parents=True, exist_ok=True)
        dbmod.commit_new_version(path, prepare_demo_build if demo else prepare_build, file_name="data/raw",
                                 sha=None, kind="build", result="built", from_scratch=True)
    return path


@pytest.fixture(scope="session")
def built_db() -> Path:
    """The demo database (real figures plus the illustrative fill), built once."""
    return _build(DEMO, demo=True)


@pytest.fixture(scope="session")
def real_db() -> Path:
    """The real database (published figures only), built once."""
    return _build(REAL, demo=False)


@pytest.fixture()
def db_copy(built_db, tmp_path) -> Path:
    p = tmp_path / "data" / "index.duckdb"
    p.parent.mkdir()
    shutil.copyfile(built_db, p)
    return p


@pytest.fixture()
def real_copy(real_db, tmp_path) -> Path:
    """A copy of the real database to load into."""
    p = tmp_path / "real" / "index.duckdb"
    p.parent.mkdir()
    shutil.copyfile(real_db, p)
    return p


@pytest.fixture(scope="session")
def con(built_db):
    c = duckdb.connect(str(built_db), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def app_db(db_copy, monkeypatch) -> Path:
    """A database copy that the app's query layer (ui.data) reads, with its caches emptied before and after."""
    import ui.data as D
    monkeypatch.setattr(D, "DB_PATH", db_copy)
    D._connection.clear()
    D._cached.clear()
    yield db_copy
    D._connection.clear()
    D._cached.clear()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test says what the page showed: a screenshot path per open page and the last lines of
    each live app server's log, in the test's report."""
    report = yield
    if report.failed and report.when in ("setup", "call") and "tests.browserkit" in sys.modules:
        from tests import browserkit
        if browserkit.LIVE_PAGES or browserkit.LIVE_SERVERS or browserkit.STOPPED_LOGS:
            report.sections.append(("what the browser showed", browserkit.failure_report(item.name)))
    return report


@pytest.fixture()
def on_real(real_db, monkeypatch):
    """The app reads the real database (the demo stays at PAR_DEMO_DB). Caches are keyed by the database file's
    version, so they need no clearing between the two databases."""
    import ui.data as D
    monkeypatch.setattr(D, "DB_PATH", real_db)
    yield real_db
