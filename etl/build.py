"""The bundled database: every source in data/raw/ plus the seeded illustrative data, in one go."""
from __future__ import annotations

import pandas as pd

from etl import frameworks, illustrative, papi, pci, units
from etl.batch import Batch
from etl.db import apply
from etl.reference import (PUBLISHED, index_table, method_break_table, province_tables, source_table,
                           unit_band_table)

PAPI_A = PUBLISHED / "raw" / "PAPI_2011-2016.xlsx"
PAPI_B = PUBLISHED / "raw" / "PAPI-2015-2023.xlsm"
PAPI_B_YEARS = [2017, 2018, 2019, 2022, 2023]   # 2020 and 2021 in this copy repeat 2019 (rejected)
PAPI_C_YEARS = [2020, 2021, 2024]               # from the tidy CSV (source PAPI-C)
HOME_PROVINCE = "87"                            # Đồng Tháp (63-province code); a setting, not a constant


def reference_batch() -> Batch:
    b = Batch("reference")
    for name, df in province_tables().items():
        b.add(name, df)
    b.add("source", source_table())
    b.add("index_def", index_table())
    b.add("unit_band", unit_band_table())
    b.add("method_break", method_break_table())
    b.add("setting", pd.DataFrame([dict(key="home_province_p63", value=HOME_PROVINCE)]))
    return b


def bundled_batches() -> list[Batch]:
    fw = frameworks.read_all()
    un = units.read_units()
    unit_scores = illustrative.units_batch(un.tables["unit"], fw.tables["framework"], fw.tables["framework_item"])
    return [reference_batch(),
            papi.read_workbook(PAPI_A, source_key="PAPI-A"),
            papi.read_workbook(PAPI_B, years=PAPI_B_YEARS, source_key="PAPI-B"),
            papi.read_long_csv(years=PAPI_C_YEARS),
            pci.read_csv(),
            illustrative.press_pci_batch(),
            illustrative.national_batch(),
            fw, un, unit_scores]


def prepare_build(con) -> int:
    rows = 0
    for b in bundled_batches():
        b.replaces = []          # a build starts from an empty schema
        apply(con, b)
        rows += b.rows
    return rows
