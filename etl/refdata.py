"""The reference data: small CSV files in data/raw/reference/, each read by `read(name)`. Editing a file and
rebuilding (`python -m etl build`, `--demo`) changes the database; no reference value is written in Python.

| file | what | read by |
|---|---|---|
| indices.csv | the four national indices: names in both languages, scale | etl/reference.py (table index_def) |
| province_schemes.csv | which province list (63 / 34) is in force in which years | etl/schemes.py (table province_scheme) |
| province_aliases.csv | spellings of province names seen in published tables, beyond what normalisation handles, by 63-list code (also the 34-list province of the same code) | etl/reference.py (table province_alias) |
| provinces_former.csv | provinces no longer on either list (Hà Tây, in PCI 2006–2008) | etl/reference.py (table province) |
| pci_subindices.csv | PCI's sub-indices 2005–2016: codes, names, maximum | etl/pci.py (table measure) |
| par_measures.csv | PAR INDEX domains per period: names, maxima | etl/national.py |
| national_bands.csv | the PAR INDEX groups A/B/C/D (lowest % of the maximum for each) | analysis/provinces.py |
| unit_bands.csv | the province's own groups for its units (defaults, overrides) | etl/reference.py (table unit_band) |
| method_breaks.csv | years an index changed its method | etl/reference.py (table method_break) |
| sources.csv | the reference sources with citation, link and licence | etl/reference.py (table source) |
| related_measures.csv | parts of the indices that measure related things | pages/cross_index.py |

tests/test_refdata.py checks that they are complete (every index has its definition, every province its names)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.text import nfc

DIR = Path(__file__).resolve().parent.parent / "data" / "raw" / "reference"


def path(name: str) -> Path:
    return DIR / f"{name}.csv"


def read(name: str, dtype=None, text: tuple[str, ...] = ()) -> pd.DataFrame:
    """data/raw/reference/<name>.csv (UTF-8, with or without a BOM); `dtype` as pandas takes it; the `text`
    columns cleaned for display (NFC, single spaces; blanks stay missing)."""
    d = pd.read_csv(path(name), dtype=dtype, encoding="utf-8-sig")
    for c in text:
        d[c] = d[c].map(lambda v: nfc(v) if isinstance(v, str) else v)
    return d
