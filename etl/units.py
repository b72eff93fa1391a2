"""The home province's own index: the unit list and the unit-score workbooks.

Two layouts are accepted (`read_scores`):
- long: one sheet, one row per unit, year and sub-criterion: Đơn vị | Năm | Mã tiêu chí | Tự chấm |
  Thẩm định | Điều tra (optional);
- appraisal tables: one sheet per unit (sheet name or a title cell names the unit, a title cell holds
  "năm 2024"), rows of criteria numbered 1, 1.1, 1.1.1 with columns Điểm tối đa | Tự chấm | Thẩm định.
Rows for domains and criteria in appraisal tables are checked against the sum of their sub-criteria."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import queries
from etl.batch import Batch
from etl.files import Sheet, cell_number, col_letter, open_table_file
from etl.problems import Collector
from etl.reference import RAW
from etl.text import closest, nfc, norm_name

UNITS_CSV = RAW / "units" / "units.csv"
LEVELS = {"department", "district", "commune"}

LONG_HEADERS = {
    "don vi": "unit", "ten don vi": "unit", "unit": "unit", "ma don vi": "unit_id", "unit id": "unit_id",
    "nam": "year", "year": "year",
    "ma tieu chi": "code", "ma": "code", "tieu chi": "code", "code": "code", "item code": "code",
    "tu cham": "self", "diem tu cham": "self", "tu danh gia": "self", "diem tu danh gia": "self", "self": "self",
    "self score": "self",
    "tham dinh": "appraised", "diem tham dinh": "appraised", "appraised": "appraised",
    "appraised score": "appraised",
    "dieu tra": "survey", "diem dieu tra": "survey", "survey": "survey", "survey score": "survey",
    "diem toi da": "max", "toi da": "max", "max": "max", "max points": "max",
}
TABLE_CODE_HEADERS = {"stt", "ma", "ma tieu chi", "tt", "code"}


def read_units(path: Path = UNITS_CSV) -> Batch:
    d = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    c = Collector(Path(path).name)
    for i, r in enumerate(d.itertuples(), start=2):
        if r.level not in LEVELS:
            c.add("unknown_value", row=i, column="level", value=r.level, expected=", ".join(sorted(LEVELS)))
    dup = d[d.unit_id.duplicated()]
    for i in dup.index:
        c.add("duplicate", row=i + 2, column="unit_id", value=d.unit_id[i])
    c.check()
    units = pd.DataFrame(dict(
        unit_id=d.unit_id, province_code=d.province_code, level=d.level, name_vi=d.name_vi.map(nfc),
        name_en=d.name_en, parent_unit_id=d.parent_unit_id.where(d.parent_unit_id.notna(), None),
        valid_from_year=d.valid_from_year.astype(int),
        valid_to_year=pd.to_numeric(d.valid_to_year).astype("Int64"),
        successor_id=d.successor_id.where(d.successor_id.notna(), None), provenance="illustrative"))
    aliases = set()
    for r in units.itertuples():
        for a in (r.name_vi, r.name_en, r.unit_id):
            aliases.add((norm_name(a), r.unit_id))
    b = Batch("units")
    b.add("unit", units)
    b.add("unit_alias", pd.DataFrame(sorted(aliases), columns=["alias_norm", "unit_id"]))
    b.replaces += [("unit", "true", {}), ("unit_alias", "true", {})]
    return b


@dataclass
class Context:
    """What a unit-score file is checked against: units, aliases, frameworks and their items."""
    units: pd.DataFrame
    aliases: pd.DataFrame
    frameworks: pd.DataFrame
    items: pd.DataFrame

    @classmethod
    def from_db(cls, con, province: str | None = None) -> "Context":
        """The units a file is matched against: those of `province` (a 63-province code: another province's
        annex), else the home province's and those merged with it in 2025, never another province's (Hòa Bình's
        "Sở Tư pháp" is not Đồng Tháp's)."""
        q = lambda sql: con.execute(sql).df()  # noqa: E731
        ctx = cls(q("select * from unit"), q("select * from unit_alias"), q("select * from framework"),
                  q("select * from framework_item"))
        if province:
            return ctx.for_province(province)
        home = queries.run(con, "home_unit_codes").province_code.tolist()
        return ctx.for_province(*home, None) if home else ctx      # a unit without a province is the home's

    def __post_init__(self):
        # Lookups by dictionary, built once: a yearly file has thousands of rows, and a pandas filter per row
        # cost ~20 ms each (a 1,500-row file took 30 s).
        self._by_alias: dict[str, list[str]] = {}
        for a, u in zip(self.aliases.alias_norm, self.aliases.unit_id):
            self._by_alias.setdefault(a, []).append(u)
        self._by_alias = {a: sorted(set(v)) for a, v in self._by_alias.items()}
        self._by_full: dict[str, list[str]] | None = None     # built on first use (see full_name_ids)
        # rows as named tuples: reading a field of a pandas row costs ~40 µs, which was most of reading a
        # 50,000-row workbook
        self._unit = {r.unit_id: r for r in self.units.itertuples(index=False)}
        self._item = {(r.framework_id, r.code): r for r in self.items.itertuples(index=False)}
        self._fw: dict[tuple[str, int], tuple | None] = {}
        self._names: dict[str, str] | None = None
        self._suggested: dict[str, str] = {}
        self._resolved: dict[object, list[str]] = {}
        self.all_unit_ids: list[str] = list(self.units.unit_id)   # kept through for_province: new ids never collide

    def framework_for(self, level: str, year: int) -> tuple | None:
        key = (level, year)
        if key not in self._fw:
            f = self.frameworks[(self.frameworks.level == level) & (self.frameworks.year_from <= year)
                                & (self.frameworks.year_to.isna() | (self.frameworks.year_to >= year))]
            self._fw[key] = next(f.itertuples(index=False)) if len(f) else None
        return self._fw[key]

    def for_province(self, *codes: str) -> "Context":
        """The same, with only the units of these provinces (63-province codes): another province's file matches
        its own "Sở Nội vụ", never the home province's."""
        units = self.units[self.units.province_code.isin([c for c in codes if c])
                           | (self.units.province_code.isna() & (None in codes))]
        out = Context(units, self.aliases[self.aliases.unit_id.isin(units.unit_id)], self.frameworks, self.items)
        out.all_unit_ids = self.all_unit_ids
        return out

    def resolve_unit(self, value) -> list[str]:
        key = value if isinstance(value, (str, int, float)) else str(value)
        if key not in self._resolved:                 # a unit's name repeats on each of its ~100 rows
            self._resolved[key] = self._by_alias.get(norm_name(value), [])
        return self._resolved[key]

    def valid_units(self, ids: list[str], year: int, value=None) -> list[tuple]:
        """The units among `ids` in force in `year`. When several are (names that differ only by their prefix,
        "Thành phố Cao Lãnh" / "Huyện Cao Lãnh"), the one whose full name is `value` comes first."""
        out = []
        for i in ids:
            u = self._unit.get(i)
            if u is not None and u.valid_from_year <= year and (pd.isna(u.valid_to_year) or u.valid_to_year >= year):
                out.append(u)
        if len(out) > 1 and value is not None:
            exact = set(self.full_name_ids(value))
            out.sort(key=lambda u: u.unit_id not in exact)
        return out

    def full_name_ids(self, value) -> list[str]:
        """Units whose full name (prefix included) is `value`: names that only differ by their prefix ("Thành phố
        Cao Lãnh" / "Huyện Cao Lãnh") share an alias, and the full name tells them apart. Built on first use:
        normalising 16,000 names of a national database cost 0.2 s of every check, and most files never ask."""
        if self._by_full is None:
            self._by_full = {}
            for u, n in zip(self.units.unit_id, self.units.name_vi):
                self._by_full.setdefault(norm_name(n, False), []).append(u)
        return self._by_full.get(norm_name(value, False), [])

    def item(self, fw_id: str, code: str):
        return self._item.get((fw_id, code))

    def suggest_unit(self, value) -> str:
        """' — gần giống: …' (the closest unit names), computed once per value: a file naming thousands of unknown
        units (a wrong column, another province's file) used to rebuild the name list and compare every row."""
        if self._names is None:
            self._names = dict(zip(self.aliases.alias_norm, self.aliases.unit_id.map(
                dict(zip(self.units.unit_id, self.units.name_vi)))))
        key = str(value)
        if key not in self._suggested:
            hits = closest(key, self._names)
            self._suggested[key] = (" — gần giống: " + ", ".join(hits)) if hits else ""
        return self._suggested[key]


def _norm_header(v) -> str:
    return norm_name(v, False).replace("_", " ") if v is not None else ""


def _find_long_header(sheet: Sheet):
    for r0, row in enumerate(sheet.rows[:10]):
        m = {}
        for j, v in enumerate(row):
            f = LONG_HEADERS.get(_norm_header(v))
            if f and f not in m:
                m[f] = j
        if {"year", "code"} <= set(m) and ("unit" in m or "unit_id" in m):
            return r0, m
    return None


def _find_table_header(sheet: Sheet):
    for r0, row in enumerate(sheet.rows[:15]):
        m = {}
        for j, v in enumerate(row):
            h = _norm_header(v)
            if h in TABLE_CODE_HEADERS and "code" not in m:
                m["code"] = j
            elif LONG_HEADERS.get(h) in ("self", "appraised", "survey", "max") and LONG_HEADERS[h] not in m:
                m[LONG_HEADERS[h]] = j
        if "code" in m and "appraised" in m:
            return r0, m
    return None


def _title_year(sheet: Sheet, upto: int) -> int | None:
    for row in sheet.rows[:upto]:
        for v in row:
            if isinstance(v, str):
                m = re.search(r"n[ăa]m\s*:?\s*(20\d\d)", v, re.I) or re.search(r"year\s*:?\s*(20\d\d)", v, re.I)
                if m:
                    return int(m.group(1))
    m = re.search(r"(20\d\d)", sheet.name)
    return int(m.group(1)) if m else None


def _title_unit(sheet: Sheet, upto: int) -> tuple[str | None, str]:
    for row in sheet.rows[:upto]:
        for v in row:
            if isinstance(v, str):
                m = re.search(r"(?:đơn vị|don vi|unit)\s*:\s*(.+)", v, re.I)
                if m:
                    return m.group(1).strip(), "title"
    return sheet.name, "sheet"


class _Rows:
    def __init__(self):
        self.out: list[dict] = []
        self.seen: dict[tuple, str] = {}


def read_scores(path: Path, ctx: Context, default_year: int | None = None) -> Batch:
    path = Path(path)
    sheets = open_table_file(path)
    c = Collector(path.name)
    acc = _Rows()
    used = False
    for sheet in sheets:
        if not sheet.rows:
            continue
        lh = _find_long_header(sheet)
        if lh:
            used = True
            _read_long(sheet, lh, ctx, c, acc)
            continue
        th = _find_table_header(sheet)
        if th:
            used = True
            _read_table(sheet, th, ctx, c, acc, default_year)
    if not used and not c.problems:
        empty = all(not s.rows for s in sheets)
        c.add("sheet_empty" if empty else "no_table", sheet=sheets[0].name if sheets else "",
              detail="cần cột Đơn vị, Năm, Mã tiêu chí, Tự chấm, Thẩm định; hoặc bảng thẩm định từng đơn vị")
    if used and not acc.out and not c.problems:
        c.add("nothing")
    _check_missing(acc, ctx, c)
    _check_copies(acc.out, c)
    c.check()
    return _batch(acc.out, path.name, ctx)


def _locate(ctx: Context, c: Collector, sheet: Sheet, r0: int, col: str, unit_raw, year) -> tuple[str, pd.Series] | None:
    ids = ctx.resolve_unit(unit_raw)
    valid = ctx.valid_units(ids, year, unit_raw)
    if not ids:
        c.add("unknown_unit", sheet=sheet.name, row=r0 + 1 if r0 is not None else None, column=col,
              value=unit_raw, detail=ctx.suggest_unit(unit_raw) if not c.full else "")
        return None
    if not valid:
        c.add("unit_not_valid_year", sheet=sheet.name, row=r0 + 1 if r0 is not None else None, column=col,
              value=unit_raw, expected=year)
        return None
    unit = valid[0]
    fw = ctx.framework_for(unit.level, year)
    if fw is None:
        ranges = ctx.frameworks[ctx.frameworks.level == unit.level]
        rng = ", ".join(f"{a}–{'nay' if pd.isna(b) else int(b)}" for a, b in zip(ranges.year_from, ranges.year_to)) or "—"
        c.add("year_out_of_framework", sheet=sheet.name, row=r0 + 1 if r0 is not None else None, column=col,
              value=year, expected=rng)
        return None
    return unit.unit_id, fw


def _item(ctx: Context, fw_id: str, code: str):
    return ctx.item(fw_id, code)


def _code_str(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip().rstrip(".") if v is not None else ""


def _score_cells(sheet, c, r0, cols, item, names) -> dict | None:
    vals = {}
    for f in ("self", "appraised", "survey"):
        if f not in cols:
            continue
        required = (f == "survey") if bool(item.is_survey) else (f == "appraised")
        v = cell_number(sheet, c, r0, cols[f], column_name=names[f], required=required)
        if v is None:
            continue
        if v < 0:
            c.add("negative", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols[f], names[f]), value=v)
        elif v > item.max_points + 1e-9:
            c.add("over_max", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols[f], names[f]), value=v,
                  expected=item.max_points)
        vals[f] = v
    return vals


def _col(sheet, j, name):
    return f"{col_letter(j)} ({name})" if sheet.name else name


def _add(acc: _Rows, c: Collector, sheet, r0, unit_id, year, fw, code, vals) -> None:
    key = (unit_id, year, code)
    if key in acc.seen:
        first_sheet, first_row = acc.seen[key]
        where = str(first_row) if first_sheet == sheet.name else f"{first_row}, trang '{first_sheet}'"
        c.add("duplicate", sheet=sheet.name, row=r0 + 1, value=f"{unit_id} {year} {code}", detail=where)
        return
    acc.seen[key] = (sheet.name, r0 + 1)
    acc.out.append(dict(year=year, unit_id=unit_id, framework_id=fw.framework_id, item_code=code,
                        self_score=vals.get("self"), appraised_score=vals.get("appraised"),
                        survey_score=vals.get("survey")))


def unit_rows_for_new(new_units: list[dict], ctx: "Context") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows for units a user confirmed as new (from an annex): in the province of the other units of that
    level and year, valid from that year on, provenance 'published' (the annex printed them)."""
    rows, aliases = [], set()
    for u in new_units:
        y = u["valid_from_year"]
        same = [r.province_code for r in ctx._unit.values() if r.level == u["level"] and r.valid_from_year <= y
                and (pd.isna(r.valid_to_year) or r.valid_to_year >= y)]
        prov = u.get("province_code") or (max(set(same), key=same.count) if same
                                          else str(ctx.units.province_code.mode().iloc[0]))
        rows.append(dict(unit_id=u["unit_id"], province_code=prov, level=u["level"], name_vi=u["name_vi"],
                         name_en=u["name_en"], parent_unit_id=None, valid_from_year=y, valid_to_year=None,
                         successor_id=None, provenance="published"))
        for a in (u["name_vi"], u["unit_id"]):
            aliases.add((norm_name(a), u["unit_id"]))
    units = pd.DataFrame(rows)
    units["valid_to_year"] = units.valid_to_year.astype("Int64")
    return units, pd.DataFrame(sorted(aliases), columns=["alias_norm", "unit_id"])


def _merged_near(sheet: Sheet, row: int) -> list[str]:
    """Merged ranges in or just above the header row: the usual reason a header is not found."""
    from openpyxl.utils import range_boundaries
    out = []
    for r in sheet.merged:
        _, r1, _, r2 = range_boundaries(r)
        if r1 <= row and r2 >= row - 1:
            out.append(r)
    return out


def _read_long(sheet: Sheet, lh, ctx: Context, c: Collector, acc: _Rows) -> None:
    h, cols = lh
    names = {"self": "Tự chấm", "appraised": "Thẩm định", "survey": "Điều tra"}
    if "appraised" not in cols:
        merged = _merged_near(sheet, h + 1)
        if merged:
            c.add("merged_header", sheet=sheet.name, row=h + 1, value=", ".join(merged))
        else:
            c.add("column_missing", sheet=sheet.name, row=h + 1, expected="'Thẩm định' (appraised)")
        return
    for r0 in range(h + 1, len(sheet.rows)):
        row = sheet.rows[r0]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        get = lambda f: row[cols[f]] if f in cols and cols[f] < len(row) else None  # noqa: E731
        ucol = "unit_id" if get("unit_id") is not None else "unit"
        unit_raw = get(ucol)
        yv = get("year")
        try:
            year = int(float(str(yv).strip()))
            assert 2000 <= year <= 2100
        except (ValueError, TypeError, AssertionError):
            c.add("bad_year", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols["year"], "Năm"), value=yv,
                  expected="2000–2100")
            continue
        loc = _locate(ctx, c, sheet, r0, _col(sheet, cols[ucol], "Đơn vị"), unit_raw, year)
        if not loc:
            continue
        unit_id, fw = loc
        code = _code_str(get("code"))
        item = _item(ctx, fw.framework_id, code)
        if item is None:
            codes = ctx.items[ctx.items.framework_id == fw.framework_id].code
            hits = closest(code, {x: x for x in codes})
            c.add("unknown_code", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols["code"], "Mã tiêu chí"),
                  value=code, expected=fw.framework_id, detail=(" — gần giống: " + ", ".join(hits)) if hits else "")
            continue
        if item.depth != "sub_criterion":
            continue  # parent rows in a long sheet are informational; the view sums children
        vals = _score_cells(sheet, c, r0, cols, item, names)
        _add(acc, c, sheet, r0, unit_id, year, fw, code, vals)


def _read_table(sheet: Sheet, th, ctx: Context, c: Collector, acc: _Rows, default_year) -> None:
    h, cols = th
    names = {"self": "Tự chấm", "appraised": "Thẩm định", "survey": "Điều tra"}
    year = _title_year(sheet, h + 1) or default_year
    if year is None:
        c.add("bad_year", sheet=sheet.name, row=1, value="", expected="dòng tiêu đề ghi 'Năm 2024'")
        return
    unit_raw, where = _title_unit(sheet, h + 1)
    loc = _locate(ctx, c, sheet, None, "tên trang" if where == "sheet" else "tiêu đề", unit_raw, year)
    if not loc:
        return
    unit_id, fw = loc
    given_parents: dict[str, tuple[int, float]] = {}
    leaves: dict[str, float] = {}
    for r0 in range(h + 1, len(sheet.rows)):
        row = sheet.rows[r0]
        raw = row[cols["code"]] if cols["code"] < len(row) else None
        code = _code_str(raw)
        if not code or not re.match(r"^\d+(\.\d+)*$", code):
            continue
        item = _item(ctx, fw.framework_id, code)
        if item is None:
            codes = ctx.items[ctx.items.framework_id == fw.framework_id].code
            hits = closest(code, {x: x for x in codes})
            c.add("unknown_code", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols["code"], "Mã"), value=code,
                  expected=fw.framework_id, detail=(" — gần giống: " + ", ".join(hits)) if hits else "")
            continue
        if item.depth != "sub_criterion":
            v = cell_number(sheet, c, r0, cols["appraised"], column_name="Thẩm định", required=False)
            if v is not None:
                given_parents[code] = (r0, v)
            continue
        vals = _score_cells(sheet, c, r0, cols, item, names)
        leaves[code] = (vals.get("appraised") or 0) + (vals.get("survey") or 0)
        _add(acc, c, sheet, r0, unit_id, year, fw, code, vals)
    for code, (r0, v) in given_parents.items():
        prefix = code + "."
        kids = [s for k, s in leaves.items() if k.startswith(prefix)]
        if kids and abs(sum(kids) - v) > 0.01:
            c.add("sum_mismatch", sheet=sheet.name, row=r0 + 1, column=_col(sheet, cols["appraised"], "Thẩm định"),
                  value=round(sum(kids), 2), expected=v)


def _check_missing(acc: _Rows, ctx: Context, c: Collector) -> None:
    """A unit-year must hold every sub-criterion of its framework: a missing one would silently lower the
    unit's total and rank. Located at the unit-year's first row."""
    have: dict[tuple, set] = {}
    first: dict[tuple, tuple] = {}
    for (unit, year, code), where in acc.seen.items():
        first.setdefault((unit, year), where)
    for r in acc.out:
        have.setdefault((r["unit_id"], r["year"], r["framework_id"]), set()).add(r["item_code"])
    leaves: dict[str, list[str]] = {}
    for (f, k), it in ctx._item.items():
        if it.depth == "sub_criterion":
            leaves.setdefault(f, []).append(k)
    for (unit, year, fw), codes in have.items():
        missing = [k for k in leaves.get(fw, []) if k not in codes]
        if missing and not c.full:
            sheet, row = first[(unit, year)]
            shown = ", ".join(missing[:8]) + (f" … (+{len(missing) - 8})" if len(missing) > 8 else "")
            c.add("missing_items", sheet=sheet, row=row, value=ctx._unit[unit].name_vi, expected=year, detail=shown)


def _check_copies(rows: list[dict], c: Collector) -> None:
    by: dict[tuple, dict] = {}
    for r in rows:
        by.setdefault((r["unit_id"], r["year"]), {})[r["item_code"]] = (r["self_score"], r["appraised_score"],
                                                                         r["survey_score"])
    sig: dict[tuple, tuple] = {}
    for (unit, year), vals in sorted(by.items()):
        if len(vals) < 5:
            continue
        key = (unit, tuple(sorted(vals.items())))
        if key in sig:
            c.add("copied_year", value=f"{year} ({unit})", expected=sig[key][1])
        else:
            sig[key] = (unit, year)


def _batch(rows: list[dict], file_name: str, ctx: Context, provenance: str = "published") -> Batch:
    df = pd.DataFrame(rows)
    for col in ("self_score", "appraised_score", "survey_score"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    df["provenance"] = provenance
    df["source_key"] = f"FILE:{file_name}"
    uy = df.groupby(["year", "unit_id", "framework_id"]).size().reset_index()[["year", "unit_id", "framework_id"]]
    uy = uy.assign(detail_level="sub_criterion", total_score=None, rank=None, band=None, provenance=provenance,
                   source_key=f"FILE:{file_name}")
    b = Batch("unit_scores")
    b.add("unit_score", df)
    b.add("unit_year", uy)
    for year, g in uy.groupby("year"):
        ids = sorted(g.unit_id)
        b.replaces += [("unit_score", "year = $y and list_contains($ids, unit_id)", {"y": int(year), "ids": ids}),
                       ("unit_year", "year = $y and list_contains($ids, unit_id)", {"y": int(year), "ids": ids})]
    b.add("source", pd.DataFrame([dict(source_key=f"FILE:{file_name}", title=file_name,
                                       citation=f"Tệp tải lên / loaded file {file_name}", url=None, licence=None,
                                       note=None)]))
    b.replaces.append(("source", "source_key = $k", {"k": f"FILE:{file_name}"}))
    return b
