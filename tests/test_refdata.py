"""The reference data are files (data/raw/reference/*.csv, read by etl/refdata.py), and complete: every index has its
definition, every province its names and the extra spellings resolve to it, every PCI sub-index is a column of the
published table, the bands cover 0–100 %; the loader's catalogue names every file."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import provinces as ap
from etl import pci, refdata, schemes
from etl.reference import PUBLISHED, ProvinceResolver, index_table, province_tables


@pytest.fixture(scope="module")
def resolver():
    return ProvinceResolver()


def test_the_catalogue_names_every_file_of_the_folder():
    files = sorted(p.name for p in refdata.DIR.glob("*.csv"))
    assert files and all(f"| {f} |" in refdata.__doc__ for f in files)


def test_every_index_has_its_definition():
    defs = index_table()
    assert list(defs.index_name) == ["PAR INDEX", "SIPAS", "PAPI", "PCI"]
    assert defs[["name_vi", "name_en", "scale_note"]].notna().all().all()
    assert defs.higher_is_better.dtype == bool and defs.higher_is_better.all()
    named = set(refdata.read("method_breaks").index_name) | set(refdata.read("par_measures").index_name) \
        | set(refdata.read("national_bands").index_name)
    assert named <= set(defs.index_name)


def test_every_index_in_the_database_has_its_definition(con):
    held = {r[0] for r in con.execute("select distinct index_name from province_score").fetchall()}
    defined = {r[0] for r in con.execute("select index_name from index_def").fetchall()}
    assert held and held <= defined


def test_every_province_is_found_by_its_names(resolver):
    t = province_tables()
    p = t["province"]
    assert len(p[p.scheme == "p63"]) == 64 and len(p[p.scheme == "p34"]) == 34     # with Hà Tây
    for r in p.itertuples():
        year = 2007 if r.province_code == "28" else (2020 if r.scheme == "p63" else 2025)
        assert resolver.code(r.name_vi, year) == r.province_code, (r.scheme, r.name_vi)
        assert resolver.code(r.name_en, year) == r.province_code, (r.scheme, r.name_en)


def test_every_extra_spelling_names_a_province_and_finds_it(resolver):
    extra = refdata.read("province_aliases", dtype=str)
    p63 = set(pd.read_csv(PUBLISHED / "provinces_63.csv", dtype=str).province_code)
    p34 = set(pd.read_csv(PUBLISHED / "provinces_34_2025.csv", dtype=str).province_code_2025)
    assert len(extra) and set(extra.province_code) <= p63 and extra.alias.notna().all()
    for r in extra.itertuples():
        assert resolver.code(r.alias, 2020) == r.province_code, r.alias
        if r.province_code in p34:
            assert resolver.code(r.alias, schemes.MERGER_YEAR) == r.province_code, r.alias


def test_every_pci_subindex_is_a_column_of_the_published_table():
    subs = pci.subindices()
    columns = set(pd.read_csv(pci.CSV, dtype=str, nrows=1).columns)
    assert len(subs) == 11 and all(code in columns and vi and en and mx == 10 for code, vi, en, mx in subs)


def test_the_national_bands_fall_from_the_top_to_zero():
    assert ap.PAR_BANDS == [("A", 90.0), ("B", 80.0), ("C", 70.0), ("D", 0.0)]
    assert [ap.par_band(x) for x in (100, 90, 89.99, 70, 0)] == ["A", "A", "B", "C", "D"]
