"""National PAR INDEX and SIPAS results: the documented template (CSV or Excel) and the press facts.

Template columns (Vietnamese or English headers; one row per index, year and province):
  chi_so/index, nam/year, ma_tinh/province_code or tinh/province, tong_diem/total, xep_hang/rank,
  d1 … d8 (PAR domains in points, SIPAS components in %). A loaded (index, year) replaces all
  rows of that index and year, including illustrative ones."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.annex import _bare, _unit_of   # header words without "(%)" / "(điểm)", and that unit marker
from etl import refdata
from etl.batch import Batch
from etl.files import Sheet, cell_number, open_table_file, parse_number
from etl.problems import Collector
from etl.reference import ProvinceResolver
from etl.text import norm_name

INDEX_NAMES = {"par index": "PAR INDEX", "par": "PAR INDEX", "par_index": "PAR INDEX", "chi so cchc": "PAR INDEX",
               "chi so cai cach hanh chinh": "PAR INDEX", "sipas": "SIPAS", "chi so hai long": "SIPAS"}
HEADERS = {  # normalised header -> field
    "chi so": "index", "index": "index", "ten chi so": "index",
    "nam": "year", "year": "year",
    "ma tinh": "province_code", "province code": "province_code", "province_code": "province_code",
    "tinh": "province", "tinh thanh pho": "province", "ten tinh": "province", "province": "province",
    "tong diem": "total", "diem": "total", "total": "total",
    "xep hang": "rank", "rank": "rank", "thu hang": "rank",
}
for i in range(1, 9):
    for h in (f"d{i}", f"linh vuc {i}", f"domain {i}", f"thanh phan {i}", f"yeu to {i}", f"component {i}"):
        HEADERS[h] = f"d{i}"

TEMPLATE_COLUMNS = ["chi_so", "nam", "ma_tinh", "tinh", "tong_diem", "xep_hang"] + [f"d{i}" for i in range(1, 9)]


@lru_cache(maxsize=1)
def _measure_defs() -> pd.DataFrame:
    return refdata.read("par_measures", dtype={"measure_code": str})


def measures_for(index_name: str, year: int) -> pd.DataFrame:
    d = _measure_defs()
    d = d[(d.index_name == index_name) & (d.year_from <= year) & (d.year_to >= year)]
    total = dict(index_name=index_name, year=year, measure_code="total", parent_code=None, depth="total",
                 name_vi="Tổng (chỉ số)" if index_name == "PAR INDEX" else "SIPAS chung",
                 name_en="Total (index)" if index_name == "PAR INDEX" else "SIPAS overall",
                 max_score=100.0, scale="0-100 (%)", sort_order=0, note=None)
    rows = [total] + [dict(index_name=index_name, year=year, measure_code=r.measure_code, parent_code=None,
                           depth="domain", name_vi=r.name_vi, name_en=r.name_en, max_score=float(r.max_score),
                           scale="điểm/points" if index_name == "PAR INDEX" else "%", sort_order=i + 1,
                           note=None if pd.isna(r.note) else r.note)
                      for i, r in enumerate(d.itertuples())]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ template

def _header_map(sheet: Sheet, c: Collector) -> tuple[int, dict[str, int]] | None:
    for r0, row in enumerate(sheet.rows[:10]):
        m = {}
        for j, v in enumerate(row):
            f = HEADERS.get(_bare(v)) if v is not None else None
            if f and f not in m:
                m[f] = j
        if "year" in m and ("province" in m or "province_code" in m):
            return r0, m
    return None


def _domain_scale(sheet: Sheet, h: int, cols: dict[str, int], default_index: str | None) -> tuple[str, str]:
    """PAR INDEX domain columns in points (as the Ministry's tables print them) or in percent of each domain's
    maximum (as some reports do): the header says so ('(%)', '(điểm)'), or the values do (a value above its
    domain's maximum but not above 100). Returns (scale, how it was decided)."""
    header = sheet.rows[h]
    marks = {_unit_of(header[j]) for f, j in cols.items() if f.startswith("d") and j < len(header)} - {None}
    if len(marks) == 1:
        return marks.pop(), "header"
    n_values = n_over = 0
    for row in sheet.rows[h + 1:]:
        idx_raw = row[cols["index"]] if "index" in cols and cols["index"] < len(row) else default_index
        if INDEX_NAMES.get(norm_name(idx_raw, False)) != "PAR INDEX":
            continue
        try:
            year = int(float(str(row[cols["year"]]).strip()))
        except (ValueError, TypeError):
            continue
        mx = measures_for("PAR INDEX", year).set_index("measure_code").max_score
        for i in range(1, 9):
            j = cols.get(f"d{i}")
            if j is None or j >= len(row):
                continue
            v, err = parse_number(row[j])
            if v is not None and not err and str(i) in mx:
                n_values += 1
                n_over += mx[str(i)] + 1e-9 < v <= 100
    # percents: nearly every value above its domain's maximum; else points, a few typos reported as over maximum
    return ("percent", "values") if n_values and n_over >= 0.8 * n_values else ("points", "values")


def read_template(path: Path, default_index: str | None = None) -> Batch:
    path = Path(path)
    sheets = open_table_file(path)
    c = Collector(path.name)
    res = ProvinceResolver()
    rows, seen, notes = [], {}, []
    for sheet in sheets:
        hm = _header_map(sheet, c) if sheet.rows else None
        if not hm:
            continue
        h, cols = hm
        _need_columns(c, sheet, h, cols, default_index)
        if c.problems:
            break
        scale = _sheet_scale(sheet, h, cols, default_index, notes)
        t = _TemplateSheet(sheet, cols, scale, default_index, c, res, seen)
        rows += [r for r in map(t.row, range(h + 1, len(sheet.rows))) if r is not None]
    if not rows and not c.problems:
        c.add("no_table", detail="cần các cột: " + ", ".join(TEMPLATE_COLUMNS))
    _check_ranks(rows, c)
    c.check()
    b = _template_batch(rows, path.name)
    b.notes += notes
    return b


def _need_columns(c: Collector, sheet: Sheet, h: int, cols: dict[str, int], default_index: str | None) -> None:
    if "total" not in cols:
        c.add("column_missing", sheet=sheet.name, row=h + 1, expected="'tong_diem' (total)")
    if "index" not in cols and not default_index:
        c.add("column_missing", sheet=sheet.name, row=h + 1, expected="'chi_so' (PAR INDEX / SIPAS)")


def _sheet_scale(sheet: Sheet, h: int, cols: dict[str, int], default_index: str | None, notes: list[str]) -> str:
    """The PAR INDEX domain columns' scale (points or percent), said in the notes when the sheet has domains."""
    if not any(f"d{i}" in cols for i in range(1, 9)):
        return "points"
    scale, how = _domain_scale(sheet, h, cols, default_index)
    notes.append(f"Trang '{sheet.name}': các cột lĩnh vực PAR INDEX được hiểu là "
                 + ("điểm" if scale == "points" else "% điểm tối đa của lĩnh vực (đã đổi ra điểm)")
                 + (" (theo tiêu đề cột)." if how == "header" else " (tiêu đề không ghi rõ, suy ra từ giá trị)."))
    return scale


@dataclass
class _TemplateSheet:
    """One sheet of the template being read: its columns and domain scale, where problems go, the rows seen."""
    sheet: Sheet
    cols: dict[str, int]
    scale: str
    default_index: str | None
    c: Collector
    res: ProvinceResolver
    seen: dict[tuple[str, int, str], int]          # (index, year, province) -> first row

    def get(self, row: tuple, f: str):
        return row[self.cols[f]] if f in self.cols and self.cols[f] < len(row) else None

    def row(self, r0: int) -> dict | None:
        """One province's row (index, year, province, total, rank, domains), checked; None if empty or refused."""
        row = self.sheet.rows[r0]
        if all(v is None for v in row):
            return None
        key = self._key(r0, row)
        if key is None:
            return None
        index_name, year, prov = key
        total = cell_number(self.sheet, self.c, r0, self.cols["total"], column_name="tong_diem")
        if total is not None and not 0 <= total <= 100:
            self.c.add("out_of_range", sheet=self.sheet.name, row=r0 + 1, column="tong_diem", value=total,
                       expected="0–100")
        rank = self._rank(r0)
        defs = measures_for(index_name, year).set_index("measure_code")
        domains = self._domains(r0, index_name, year, defs)
        if index_name == "PAR INDEX" and total is not None and len(domains) == len(defs) - 1:
            s = round(sum(domains.values()), 2)
            if abs(s - total) > 0.051:
                self.c.add("sum_mismatch", sheet=self.sheet.name, row=r0 + 1, column="d1…d8", value=s,
                           expected=total)
        return dict(index_name=index_name, year=year, province_code=prov, total=total, rank=rank, domains=domains)

    def _key(self, r0: int, row: tuple) -> tuple[str, int, str] | None:
        """(index, year, province code) of the row, each recognised and the three not seen before."""
        c, where = self.c, dict(sheet=self.sheet.name, row=r0 + 1)
        idx_raw = self.get(row, "index") if "index" in self.cols else self.default_index
        index_name = INDEX_NAMES.get(norm_name(idx_raw, False)) if idx_raw else None
        if not index_name:
            c.add("unknown_value", **where, column="chi_so", value=idx_raw, expected="PAR INDEX, SIPAS")
            return None
        yv = self.get(row, "year")
        try:
            year = int(float(str(yv).strip()))
            assert 2005 <= year <= 2100
        except (ValueError, TypeError, AssertionError):
            c.add("bad_year", **where, column="nam", value=yv, expected="2012–2100")
            return None
        by_code = self.get(row, "province_code") is not None
        pv = self.get(row, "province_code") if by_code else self.get(row, "province")
        prov = self.res.code(pv, year)
        if not prov:
            c.add("unknown_province", **where, column="ma_tinh" if by_code else "tinh", value=pv,
                  detail=self.res.suggest(pv, year))
            return None
        key = (index_name, year, prov)
        if key in self.seen:
            c.add("duplicate", **where, value=pv, detail=self.seen[key])
            return None
        self.seen[key] = r0 + 1
        return key

    def _rank(self, r0: int) -> int | None:
        if "rank" not in self.cols:
            return None
        rv = cell_number(self.sheet, self.c, r0, self.cols["rank"], column_name="xep_hang", required=False)
        if rv is None:
            return None
        if not float(rv).is_integer() or rv < 1 or rv > 63:
            self.c.add("rank_invalid", sheet=self.sheet.name, row=r0 + 1, column="xep_hang", value=rv, detail="1–63")
            return None
        return int(rv)

    def _domains(self, r0: int, index_name: str, year: int, defs: pd.DataFrame) -> dict[str, float]:
        """Domain number -> points (PAR INDEX percents turned into points), each within 0 … its maximum."""
        c, where = self.c, dict(sheet=self.sheet.name, row=r0 + 1)
        domains = {}
        for i in range(1, 9):
            f = f"d{i}"
            v = cell_number(self.sheet, c, r0, self.cols[f], column_name=f, required=False) if f in self.cols else None
            if v is None:
                continue
            mx = defs.max_score.get(str(i))
            if mx is not None and index_name == "PAR INDEX" and self.scale == "percent":
                if not 0 <= v <= 100:
                    c.add("out_of_range", **where, column=f, value=v, expected="0–100 %")
                    continue
                v = round(v * mx / 100, 4)
            if mx is None:
                c.add("unknown_code", **where, column=f, value=str(i), expected=f"{index_name} {year}", detail="")
            elif v < 0:
                c.add("negative", **where, column=f, value=v)
            elif v > mx + 1e-9:
                c.add("over_max", **where, column=f, value=v, expected=mx)
            else:
                domains[str(i)] = v
        return domains


def _check_ranks(rows: list[dict], c: Collector) -> None:
    by = {}
    for r in rows:
        if r["rank"] is not None:
            by.setdefault((r["index_name"], r["year"]), []).append(r["rank"])
    for (idx, year), ranks in by.items():
        if len(set(ranks)) != len(ranks):
            dup = sorted({x for x in ranks if ranks.count(x) > 1})
            c.add("rank_invalid", sheet="", value=", ".join(map(str, dup)), detail=f"{idx} {year}: trùng hạng")


def _template_batch(rows: list[dict], file_name: str) -> Batch:
    b = Batch("national")
    out = []
    for r in rows:
        base = dict(index_name=r["index_name"], year=r["year"], province_code=r["province_code"],
                    ci_low=None, ci_high=None, std_error=None, provenance="published", source_key=f"FILE:{file_name}",
                    note=None)
        out.append(dict(base, measure_code="total", score=r["total"], rank=r["rank"],
                        rank_provenance="published" if r["rank"] else None))
        for code, v in r["domains"].items():
            out.append(dict(base, measure_code=code, score=v, rank=None, rank_provenance=None))
    df = pd.DataFrame(out)
    df = _fill_domain_ranks(df)
    b.add("province_score", df)
    for idx, year in sorted({(r["index_name"], r["year"]) for r in rows}):
        b.add("measure", measures_for(idx, year))
        b.replaces += [("province_score", "index_name = $i and year = $y", {"i": idx, "y": year}),
                       ("measure", "index_name = $i and year = $y", {"i": idx, "y": year}),
                       ("national_stat", "index_name = $i and year = $y and provenance <> 'published'",
                        {"i": idx, "y": year})]
    b.add("source", pd.DataFrame([dict(source_key=f"FILE:{file_name}", title=file_name,
                                       citation=f"Tệp tải lên / loaded file {file_name}", url=None,
                                       licence=None, note=None)]))
    b.replaces.append(("source", "source_key = $k", {"k": f"FILE:{file_name}"}))
    return b


def _fill_domain_ranks(df: pd.DataFrame) -> pd.DataFrame:
    """Totals without a printed rank, and domains, get a rank derived from the scores."""
    df = df.copy()
    derived = df.groupby(["index_name", "year", "measure_code"])["score"].rank(ascending=False, method="min")
    missing = df["rank"].isna() & df.score.notna()
    full = df[df.measure_code == "total"].groupby(["index_name", "year"])["rank"].apply(lambda x: x.isna().all())
    for i in df.index[missing]:
        key = (df.at[i, "index_name"], df.at[i, "year"])
        if df.at[i, "measure_code"] != "total" or full.get(key, True):
            df.at[i, "rank"] = derived[i]
            df.at[i, "rank_provenance"] = "derived"
    df["rank"] = df["rank"].astype("Int64")
    return df


# ------------------------------------------------------------------------------ press facts
# (the published record itself: etl/press.py; here, what the demo's generator needs of it)

def fact_constraints(facts: pd.DataFrame, index_name: str, year: int, n: int):
    """The published figures of one index-year, conflicts resolved (the last source listed wins): values and
    ranks by province, rank ranges of published groups (top/bottom), value bands, the national mean, and the
    fact behind each province."""
    f = facts[(facts.index_name == index_name) & (facts.year == year)]
    values, ranks, ranges, mean, notes = {}, {}, {}, None, {}
    groups: dict[str, list[str]] = {}
    for r in f.itertuples():
        if pd.isna(r.province_code):
            if not pd.isna(r.value):
                mean = float(r.value)
            continue
        p = r.province_code
        notes[p] = r
        if not pd.isna(r.value):
            values[p] = float(r.value)
        if not pd.isna(r.rank):
            ranks[p] = int(r.rank)
        elif isinstance(r.rank_note, str):
            groups.setdefault(r.rank_note, []).append(p)
    value_ranges = {}
    for note, provs in groups.items():
        low = note.lower()
        m = re.search(r"ranks (\d+)-(\d+)", low)
        vm = re.search(r"\((\d+\.?\d*)-(\d+\.?\d*)%\)", low)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
        elif re.search(r"highest|top", low):
            lo, hi = 1, len(provs)
        elif re.search(r"bottom|lowest|last", low):
            lo, hi = n - len(provs) + 1, n
        else:
            continue
        if vm:
            for p in provs:
                value_ranges[p] = (float(vm.group(1)), float(vm.group(2)))
        for p in provs:
            if p not in ranks:
                ranges[p] = (lo, hi)
    return values, ranks, ranges, value_ranges, mean, notes
