"""The two bundled databases, each in one go:
- the real one (data/index.duckdb): every published source in data/raw/, each figure with its source, and the
  model framework and unit list a province replaces with its own; no illustrative figure (an invariant refuses one);
- the demo (data/demo/demo.duckdb): the same plus the seeded illustrative fill, for trying the app and training."""
from __future__ import annotations

import pandas as pd

from etl import frameworks, illustrative, papi, pci, press, published_units, schemes, units
from etl.batch import Batch
from etl.db import DEFAULT_DB, apply
from etl.national import measures_for
from etl.press import press_batch
from etl.reference import (PUBLISHED, index_table, method_break_table, province_tables, source_table,
                           unit_band_table)

PAPI_A = PUBLISHED / "raw" / "PAPI_2011-2016.xlsx"
PAPI_B = PUBLISHED / "raw" / "PAPI-2015-2023.xlsm"
PAPI_B_YEARS = [2017, 2018, 2019, 2022, 2023]   # 2020 and 2021 in this copy repeat 2019 (rejected)
PAPI_C_YEARS = [2020, 2021, 2024]               # from the tidy CSV (source PAPI-C)
HOME_PROVINCE = "87"                            # Đồng Tháp (63-province code); a setting, not a constant
DEMO_DB = DEFAULT_DB.parent / "demo" / "demo.duckdb"


def reference_batch(kind: str = "real") -> Batch:
    b = Batch("reference")
    for name, df in province_tables().items():
        b.add(name, df)
    b.add("province_scheme", schemes.scheme_year_table())
    b.add("source", pd.concat([source_table(), press.sources(press.read_evidence())], ignore_index=True))
    b.add("index_def", index_table())
    b.add("unit_band", unit_band_table())
    b.add("method_break", method_break_table())
    b.add("setting", pd.DataFrame([dict(key="home_province_p63", value=HOME_PROVINCE),
                                   dict(key="database_kind", value=kind)]))
    return b


def bundled_batches(demo: bool = False) -> list[Batch]:
    fw = frameworks.read_all()
    un = units.read_units()
    published = [papi.read_workbook(PAPI_A, source_key="PAPI-A"),
                 papi.read_workbook(PAPI_B, years=PAPI_B_YEARS, source_key="PAPI-B"),
                 papi.read_long_csv(years=PAPI_C_YEARS),
                 pci.read_csv()]
    if not demo:
        return [reference_batch("real"), *published, press_batch(measures_for), fw, un]
    unit_scores = illustrative.units_batch(un.tables["unit"], fw.tables["framework"], fw.tables["framework_item"])
    # the demo: PCI as published; PAR INDEX and SIPAS generated around the published record (kept exactly)
    return [reference_batch("demo"), *published, press_batch(measures_for, indices=("PCI",)),
            illustrative.national_batch(), fw, un, unit_scores]


def _prepare(con, demo: bool) -> int:
    rows = 0
    for b in bundled_batches(demo):
        b.replaces = []          # a build starts from an empty schema
        apply(con, b)
        rows += b.rows
    rows += published_units.apply_all(con)     # other provinces' unit tables, read like any annex
    if demo:                                    # the sample plan, named as the frameworks just loaded name things
        from etl.plan import choices
        b = illustrative.plan_batch(choices(con, illustrative.SAMPLE_PLAN_YEAR))
        apply(con, b)
        rows += b.rows
    return rows


def prepare_build(con) -> int:
    """The real database."""
    return _prepare(con, demo=False)


def prepare_demo_build(con) -> int:
    """The demo database: real figures plus the illustrative fill."""
    return _prepare(con, demo=True)
