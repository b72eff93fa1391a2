"""Whole unit tables other provinces published (Hòa Bình's departments 2022 and 2024, Bình Dương's districts 2017),
loaded into both databases the way an official would load them: each is an annex as printed
(`data/raw/published/units/*.csv`: title row, header, one row per unit), read by the product's own annex reader
with that province's scope (`etl.annex.read_annex(..., province=…, create_units=True)`), at the detail the source
gives (the total and the rank: `detail_level = 'total'`). `manifest.csv` says where each table comes from; each
unit's figures cite that page."""
from __future__ import annotations

import pandas as pd

from etl.annex import read_annex
from etl.batch import Batch
from etl.reference import PUBLISHED, source_key_for_url
from etl.units import Context

UNITS = PUBLISHED / "units"
MANIFEST = UNITS / "manifest.csv"


def manifest() -> pd.DataFrame:
    m = pd.read_csv(MANIFEST, dtype=str, keep_default_na=False)
    m["year"] = m.year.astype(int)
    return m


def date_text(iso: str) -> str:
    """2018-08-06 -> 06/08/2018; 2022-12 -> 12/2022; 2024-12..2025-06 -> 12/2024–06/2025."""
    return "–".join("/".join(reversed(part.split("-"))) for part in iso.split(".."))


def read_table(con, r) -> Batch:
    """One table of the manifest, read against the database being built (its frameworks, the units so far)."""
    b = read_annex(UNITS / r.file, Context.from_db(con, r.province_code), level=r.level, year=r.year, create_units=True,
                   province=r.province_code)
    key = source_key_for_url(r.url)
    b.tables["unit_year"] = b.tables["unit_year"].assign(source_key=key)
    b.tables["source"] = pd.DataFrame([dict(
        source_key=key, title=f"{r.publisher}, {date_text(r.published_on)}",
        citation=f"{r.publisher}, {date_text(r.published_on)}", url=r.url, licence="số liệu trích dẫn từ văn bản công khai",
        note=f"{r.file}: {r.says}" + (f" ({r.note})" if r.note else ""))])
    b.replaces = [x for x in b.replaces if x[0] != "source"]
    return b


def apply_all(con) -> int:
    """Every table, in the manifest's order: a later year finds the units an earlier one created."""
    from etl.db import apply
    rows = 0
    for r in manifest().itertuples():
        b = read_table(con, r)
        b.replaces = []
        apply(con, b)
        rows += b.rows
    return rows
