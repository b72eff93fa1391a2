"""The bad-file corpus (tests/corpus.py): every file is refused with its precise Vietnamese message (file,
sheet, row, column, what is wrong), the database file stays byte-for-byte the same, and the attempt is in the
load history. Files that only look odd (NFD names, decimal commas, a BOM, spacing) load, exactly."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from etl import db as dbmod
from etl.loaders import load_file
from etl.problems import Rejected
from tests.corpus import CORPUS, GOOD_VARIANTS
from tests.helpers import long_rows


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30 and len({c[0] for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("cid,build,kind,fragments", CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_file_is_refused_precisely(db_copy, tmp_path, cid, build, kind, fragments):
    f = build(tmp_path, db_copy)
    before = _sha(db_copy)
    with pytest.raises(Rejected) as e:
        load_file(f, db_copy, kind=kind, user="kiểm thử")
    text = "\n".join(p.text("vi") for p in e.value.problems)
    for frag in fragments:
        assert frag in text, f"{frag!r} not in:\n{text[:800]}"
    assert all(p.file == f.name for p in e.value.problems)
    assert str(tmp_path) not in text                      # no server paths in what users read
    assert _sha(db_copy) == before
    assert not list(db_copy.parent.glob(".*.tmp*"))
    last = json.loads(dbmod.journal_path(db_copy).read_text(encoding="utf-8").splitlines()[-1])
    assert last["result"] == "rejected" and last["file_name"] == f.name and last["user_name"] == "kiểm thử"


@pytest.mark.parametrize("cid,build", GOOD_VARIANTS, ids=[g[0] for g in GOOD_VARIANTS])
def test_odd_but_right_files_load_exactly(db_copy, tmp_path, cid, build):
    f = build(tmp_path, db_copy)
    load_file(f, db_copy)
    want = {r[2]: (r[3], r[4], r[5]) for r in long_rows(db_copy)}
    con = duckdb.connect(str(db_copy), read_only=True)
    got = {c: (s, a, v) for c, s, a, v in con.execute(
        "select item_code, self_score, appraised_score, survey_score from unit_score "
        "where unit_id = 'SO-TP-25' and year = 2025").fetchall()}
    con.close()
    assert got.keys() == want.keys()
    for code, vals in want.items():
        assert got[code] == pytest.approx(vals, nan_ok=True), code
