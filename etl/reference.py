"""Reference tables: provinces (63 and 34), the 2025 crosswalk, name aliases, sources, index definitions.

Also the `ProvinceResolver` every reader uses to turn a printed province name or GSO code into a code."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from etl import refdata
from etl.schemes import MERGER_YEAR, scheme_for_year
from etl.text import closest, nfc, norm_name

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PUBLISHED = RAW / "published"

# the reference values (index definitions, extra name spellings, former provinces…) are files: etl/refdata.py


def former_provinces() -> list[dict]:
    """Provinces on neither list today (Hà Tây, in PCI 2006–2008): data/raw/reference/provinces_former.csv."""
    d = refdata.read("provinces_former", dtype=str, text=("name_vi",)).drop(columns="note")
    rows = d.astype(object).where(d.notna(), None).to_dict("records")
    for r in rows:
        for c in ("valid_from_year", "valid_to_year"):
            r[c] = None if r[c] is None else int(r[c])
    return rows


def extra_aliases() -> dict[str, list[str]]:
    """63-list code -> spellings seen in published tables beyond what normalisation handles
    (data/raw/reference/province_aliases.csv)."""
    out: dict[str, list[str]] = {}
    for r in refdata.read("province_aliases", dtype=str).itertuples():
        out.setdefault(r.province_code, []).append(r.alias)
    return out


def province_tables() -> dict[str, pd.DataFrame]:
    p63 = pd.read_csv(PUBLISHED / "provinces_63.csv", dtype=str)
    p34 = pd.read_csv(PUBLISHED / "provinces_34_2025.csv", dtype=str)
    rows = []
    for r in p63.itertuples():
        rows.append(dict(province_code=r.province_code, scheme="p63", name_vi=nfc(r.name_vi),
                         name_en=r.name_en, type=r.type, region_code=r.region_code,
                         region_vi=r.region_vi, region_en=r.region_en, iso_3166_2=r.iso_3166_2,
                         valid_from_year=None, valid_to_year=MERGER_YEAR - 1))
    rows += former_provinces()
    region_of = {r.province_code: r for r in p63.itertuples()}
    for r in p34.itertuples():
        namesake = region_of.get(r.province_code_2025)
        rows.append(dict(province_code=r.province_code_2025, scheme="p34", name_vi=nfc(r.name_vi),
                         name_en=r.name_en, type=r.type,
                         region_code=namesake.region_code if namesake is not None else None,
                         region_vi=namesake.region_vi if namesake is not None else None,
                         region_en=namesake.region_en if namesake is not None else None,
                         iso_3166_2=None, valid_from_year=MERGER_YEAR, valid_to_year=None))
    province = pd.DataFrame(rows)
    cross = pd.DataFrame(
        [dict(old_code=r.province_code, new_code=r.merged_2025_code, new_scheme="p34", year=MERGER_YEAR)
         for r in p63.itertuples()])
    aliases: dict[tuple[str, str], str] = {}

    def add(alias: str, scheme: str, code: str) -> None:
        a = norm_name(alias)
        if a:
            aliases.setdefault((a, scheme), code)

    for r in province.itertuples():
        add(r.name_vi, r.scheme, r.province_code)
        add(r.name_en, r.scheme, r.province_code)
    for r in p34.itertuples():
        for a in str(r.aliases or "").split("|"):
            add(a, "p34", r.province_code_2025)
    for code, names in extra_aliases().items():
        for a in names:
            add(a, "p63", code)
            if code in set(p34.province_code_2025):
                add(a, "p34", code)
    alias = pd.DataFrame([dict(alias_norm=k[0], scheme=k[1], province_code=v) for k, v in aliases.items()])
    return {"province": province, "province_crosswalk": cross, "province_alias": alias}


class ProvinceResolver:
    """Resolve a printed name or GSO code to a province code of the scheme in force that year."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None):
        t = tables or province_tables()
        self.alias = {(r.alias_norm, r.scheme): r.province_code for r in t["province_alias"].itertuples()}
        self.codes = {(r.province_code, r.scheme) for r in t["province"].itertuples()}
        p = t["province"]
        self.in_force = {                     # (scheme, year) is asked per check: the rows once
            s: [(r.province_code, r.name_vi, r.valid_from_year, r.valid_to_year)
                for r in p[p.scheme == s].itertuples()] for s in ("p63", "p34")}
        self.display = {
            s: {r.alias_norm: self._name(t, r.province_code, s)
                for r in t["province_alias"].itertuples() if r.scheme == s}
            for s in ("p63", "p34")}

    @staticmethod
    def _name(t, code, scheme):
        p = t["province"]
        m = p[(p.province_code == code) & (p.scheme == scheme)]
        return m.name_vi.iloc[0] if len(m) else code

    def code(self, value: object, year: int) -> str | None:
        scheme = scheme_for_year(year)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer():
                c = f"{int(value):02d}"
                return c if (c, scheme) in self.codes else None
            return None
        s = str(value).strip()
        if s.isdigit() and len(s) <= 2:
            c = s.zfill(2)
            return c if (c, scheme) in self.codes else None
        return self.alias.get((norm_name(s), scheme))

    def provinces(self, year: int) -> dict[str, str]:
        """code -> name of the provinces in force in `year` (63, or 34 from 2025; Hà Tây only until 2008)."""
        return {c: n for c, n, a, b in self.in_force[scheme_for_year(year)]
                if (pd.isna(a) or a <= year) and (pd.isna(b) or b >= year)}

    def suggest(self, value: object, year: int) -> str:
        hits = closest(str(value), self.display[scheme_for_year(year)])
        return (" — gần giống: " + ", ".join(hits)) if hits else ""


def source_key_for_url(url: str) -> str:
    host = urlparse(url).netloc.replace("www.", "")
    return f"PRESS-{host}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"


def source_table() -> pd.DataFrame:
    """The reference sources (datasets, the province's portal: data/raw/reference/sources.csv); the press pages of
    the published record add theirs in etl/build.py (etl.press.sources)."""
    return refdata.read("sources", dtype=str)


def index_table() -> pd.DataFrame:
    """The four national indices (data/raw/reference/indices.csv)."""
    d = refdata.read("indices", dtype=str)
    return d.assign(higher_is_better=d.higher_is_better.str.lower().eq("true"))


def read_csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def method_break_table() -> pd.DataFrame:
    """Years where an index changed its method (drawn as breaks on trend charts)."""
    return refdata.read("method_breaks", text=("label_vi", "label_en", "note_vi", "note_en"))


def unit_band_table() -> pd.DataFrame:
    """Classification bands for unit rankings (defaults '*' plus any province/level overrides)."""
    return refdata.read("unit_bands", dtype={"province_code": str, "level": str, "band_code": str},
                        text=("name_vi", "name_en"))
