"""Which province list is in force in a year: 63 provinces to 2024, 34 from 2025 (the merger of 1 July 2025).

The rule lives in one file, data/raw/reference/province_schemes.csv (a row per list: its first and last year, blank
when open, and how many provinces it ranks). The build writes it to the table `province_scheme` (a row per year,
FIRST_YEAR to LAST_YEAR) that queries join on; Python asks `scheme_for_year` here. A new restructuring is a new row
in the file."""
from __future__ import annotations

from functools import cache

import pandas as pd

from etl import refdata

FIRST_YEAR, LAST_YEAR = 1900, 2100        # the years the table `province_scheme` spells out


@cache
def schemes() -> pd.DataFrame:
    """The lists in year order: scheme, first_year, last_year (blank: open), n_provinces."""
    d = refdata.read("province_schemes", dtype={"scheme": str})
    d["first_year"] = d.first_year.fillna(FIRST_YEAR).astype(int)
    d["last_year"] = d.last_year.fillna(LAST_YEAR).astype(int)
    d["n_provinces"] = d.n_provinces.astype(int)
    return d.sort_values("first_year").reset_index(drop=True)


@cache
def _row(year: int) -> tuple[str, int]:
    """(scheme, n_provinces) of a year, looked up once per year (pages ask for it many times per run)."""
    s = schemes()
    hit = s[(s.first_year <= year) & (s.last_year >= year)]
    r = (hit if len(hit) else s.iloc[[0 if year < s.first_year.min() else -1]]).iloc[0]
    return str(r.scheme), int(r.n_provinces)


def scheme_for_year(year: int) -> str:
    """'p63' or 'p34': the province list in force in `year`."""
    return _row(int(year))[0]


def same_list(years, year: int):
    """For a column of years: True where the year ranks the same list of provinces as `year` (the 63 before the
    merger, the 34 from it), so that ranks are only ever compared within one list."""
    mine = scheme_for_year(int(year))
    return years.map({y: scheme_for_year(int(y)) == mine for y in years.unique()}).astype(bool)


def n_provinces(year: int) -> int:
    """How many provinces a national index ranks in `year` (63, or 34 from 2025)."""
    return _row(int(year))[1]


def merger_year() -> int:
    """The first year of the list in force now (2025: the 34 provinces)."""
    return int(schemes().first_year.iloc[-1])


def scheme_year_table() -> pd.DataFrame:
    """The table `province_scheme`: one row per year (FIRST_YEAR to LAST_YEAR) with its list."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    return pd.DataFrame({"year": list(years), "scheme": [scheme_for_year(y) for y in years]})


MERGER_YEAR = merger_year()
