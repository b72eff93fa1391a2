"""Property: random edits to a good unit-score workbook either load exactly (the database then holds the
file's values) or are refused with located messages, never an exception of another kind and never a partial
load (on refusal the database file is byte-for-byte unchanged)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.files import parse_number
from etl.loaders import load_file
from etl.problems import Rejected
from tests.helpers import LONG_HEADER, long_rows, write_long

CELL = st.one_of(
    st.none(),
    st.floats(min_value=-5, max_value=50, allow_nan=False).map(lambda x: round(x, 2)),
    st.integers(min_value=-3, max_value=30),
    st.sampled_from(["", " ", "8,5", "0,25", "1.234,5", "N/A", "tám", "=A1", "—", "0.5 ", "1e3", "½", "\u00a00,5",
                     "<b>1</b>", "'; drop table unit_score; --", "Sở Tư pháp", "Sở Tư phá", "2025", "năm 2025"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),   # what a cell can hold
)
EDIT = st.tuples(st.integers(min_value=0, max_value=69), st.integers(min_value=0, max_value=5), CELL)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base(built_db, tmp_path_factory):
    d = tmp_path_factory.mktemp("prop")
    db = d / "data" / "index.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    return built_db, db, long_rows(db)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=3))
@example(edits=[(0, 2, 1)])          # a sub-criterion code edited to its domain's: loaded with 1.1.1 missing (fixed)
def test_random_edits_load_exactly_or_are_refused(base, tmp_path_factory, edits):
    pristine, db, rows0 = base
    d = tmp_path_factory.mktemp("case")
    rows = [list(r) for r in rows0]
    for i, j, v in edits:
        if i < len(rows):
            rows[i][j] = v
    f = write_long(d / "edited.xlsx", rows, header=LONG_HEADER)
    before = _sha(db)
    try:
        load_file(f, db)
    except Rejected as e:
        assert e.problems and all(p.message("vi") and p.file == "edited.xlsx" for p in e.problems)
        assert _sha(db) == before, "a refused file changed the database"
        return
    # Loaded: the database holds exactly the file's values for every row of it.
    con = duckdb.connect(str(db), read_only=True)
    got = {(c, y): (s, a, v) for c, y, s, a, v in con.execute(
        "select item_code, year, self_score, appraised_score, survey_score from unit_score "
        "where unit_id = 'SO-TP-25'").fetchall()}
    con.close()
    shutil.copyfile(pristine, db)          # the next example starts from the bundled data again
    for r in rows:
        year = int(parse_number(r[1])[0])
        want = tuple(parse_number(x)[0] for x in r[3:6])
        assert (str(r[2]).strip(), year) in got, r
        assert got[(str(r[2]).strip(), year)] == pytest.approx(want, nan_ok=True), r
