"""Yearly results annexes: the table attached to each year's People's Committee decision approving the
internal PAR index (one row per unit: points per domain, total, index %, rank, sometimes band), as printed.

What the reader copes with: title rows above the table ("PHỤ LỤC … NĂM 2018", "Kết quả Chỉ số CCHC các sở, ban,
ngành"), a header on one row or two (a merged "Điểm các lĩnh vực" over columns 1 … 8), a numbering row
("(1) (2) (3)…"), one sheet per year or one file per year, unit names as printed (matched with the same alias
rules as provinces: diacritics, case, NFC/NFD, prefixes), domain columns in points or in percent of the domain's
maximum (the header says which, or the values do; the report says what was assumed).

It writes domain scores (unit_score at the framework's domain codes, as final points) and one unit_year row per
unit with detail_level 'domain' (or 'total' when the annex has no domain columns), the printed total, rank and
band. Units not in the list are refused with the closest names; `create_units=True` (the user confirmed) adds
them instead."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from etl.batch import Batch
from etl.files import Sheet, open_table_file, parse_number
from etl.problems import Collector
from etl.text import nfc, norm_name
from etl.units import Context

LEVEL_WORDS = [("department", ("so ban nganh", "cac so", "co quan chuyen mon", "so, ban")),
               ("district", ("cap huyen", "huyen thi xa thanh pho", "ubnd huyen", "cac huyen")),
               ("commune", ("cap xa", "xa phuong thi tran", "ubnd xa", "cac xa"))]
FIELDS = {
    "stt": "no", "so tt": "no", "tt": "no",
    "ten don vi": "unit", "don vi": "unit", "co quan don vi": "unit", "ten co quan don vi": "unit",
    "ten co quan": "unit", "co quan": "unit", "dia phuong": "unit", "ten dia phuong": "unit",
    "tong diem": "total", "tong diem dat duoc": "total", "diem dat duoc": "total", "tong": "total",
    "chi so": "pct", "chi so cchc": "pct", "chi so %": "pct", "ty le": "pct", "ket qua chi so": "pct",
    "xep hang": "rank", "thu hang": "rank", "thu tu xep hang": "rank",
    "xep loai": "band", "phan loai": "band", "muc xep loai": "band",
}
GROUP_WORDS = ("linh vuc", "diem cac linh vuc", "diem thanh phan", "ket qua cac linh vuc")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def _h(v) -> str:
    return norm_name(v, False).replace("_", " ") if v is not None else ""


def _unit_of(v) -> str | None:
    """'(%)' / '%' / 'tỷ lệ' / 'phần trăm' → percent; '(điểm)' → points; else None ('Điểm các lĩnh vực' says
    nothing about the unit)."""
    if v is None:
        return None
    raw, n = str(v), _h(v)
    if "%" in raw or "phan tram" in n or "ty le" in n:
        return "percent"
    if any(_h(seg) == "diem" for seg in re.findall(r"\((.*?)\)", raw)):
        return "points"
    return None


def _bare(v) -> str:
    """The header text without its bracketed parts and % signs, normalised."""
    return re.sub(r"\s+", " ", _h(re.sub(r"\(.*?\)|%", " ", str(v)))).strip()


def _domain_no(v) -> int | None:
    """'Lĩnh vực 3', 'LV3', 'LV 3', '3', 'III', 'Lĩnh vực III (%)' → 3."""
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 1 <= v <= 12:
        return int(v)
    if str(v).strip().startswith("("):            # a numbering row "(1) (2) (3)…", not domain numbers
        return None
    n = _bare(v)
    m = re.fullmatch(r"(?:linh vuc|lv|domain|d)\s*(\d{1,2}|[ivx]+)", n) or re.fullmatch(r"(\d{1,2}|[ivx]+)", n)
    if not m:
        return None
    g = m.group(1)
    k = int(g) if g.isdigit() else ROMAN.get(g)
    return k if k and 1 <= k <= 12 else None


def _field(v) -> str | None:
    return FIELDS.get(_bare(v)) if v is not None else None


def find_header(sheet: Sheet) -> tuple[int, int, dict[str, int], dict[int, int], dict[int, str]] | None:
    """(header row, first data row, field → column, domain no → column, column → unit marker)."""
    for r0, row in enumerate(sheet.rows[:20]):
        fields, domains, units = {}, {}, {}
        group_cols = []
        for j, v in enumerate(row):
            f = _field(v)
            if f and f not in fields:
                fields[f] = j
                units[j] = _unit_of(v)
                continue
            k = _domain_no(v)
            if k and not isinstance(v, (int, float)) and k not in domains:
                domains[k] = j
                units[j] = _unit_of(v)
            elif v is not None and any(w in _h(v) for w in GROUP_WORDS):
                group_cols.append((j, _unit_of(v)))
        if "unit" not in fields or not ({"total", "pct"} & set(fields) or domains or group_cols):
            continue
        first = r0 + 1
        if not domains and r0 + 1 < len(sheet.rows):
            # a two-row header: the group title merged over the domain columns, their numbers below
            below = sheet.rows[r0 + 1]
            group_unit = group_cols[0][1] if group_cols else None
            for j, v in enumerate(below):
                k = _domain_no(v)
                if k and j not in fields.values() and k not in domains:
                    domains[k] = j
                    units[j] = _unit_of(v) or group_unit
            for j, v in enumerate(below):                  # "Tổng điểm" etc. may sit on the second row too
                f = _field(v)
                if f and f not in fields:
                    fields[f] = j
                    units[j] = _unit_of(v)
            if domains or any(_field(v) for v in below):
                first = r0 + 2
        return r0, first, fields, domains, units
    return None


def _numbering_row(row: tuple) -> bool:
    vals = [v for v in row if v is not None and str(v).strip()]
    return bool(vals) and all(re.fullmatch(r"\(?\d{1,2}\)?|[a-zA-Z]|\(\w\)", str(v).strip()) for v in vals)


def _year_of(sheet: Sheet, header_row: int, file_name: str) -> int | None:
    for row in sheet.rows[:header_row + 1]:
        for v in row:
            if isinstance(v, str):
                m = re.search(r"n[ăa]m\s*:?\s*(20\d\d)", v, re.I) or re.search(r"\b(20\d\d)\b", v)
                if m:
                    return int(m.group(1))
    for text in (sheet.name, Path(file_name).stem):
        m = re.search(r"(20\d\d)", text)
        if m:
            return int(m.group(1))
    return None


def _level_of(sheet: Sheet, header_row: int) -> str | None:
    text = " ".join(_h(v) for row in sheet.rows[:header_row] for v in row if isinstance(v, str))
    text += " " + _h(sheet.name)
    for level, words in LEVEL_WORDS:
        if any(w in text for w in words):
            return level
    return None


@dataclass
class _Reading:
    """One annex being read: what its names are matched against, where its problems go, what it gave so far."""
    ctx: Context
    c: Collector
    file_name: str
    create_units: bool = False
    province: str | None = None
    scores: list[dict] = field(default_factory=list)
    years: list[dict] = field(default_factory=list)
    new_units: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seen: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)   # (unit, year) -> (sheet, row)


@dataclass
class _Table:
    """One sheet's table as located: its header, data rows, year, level, framework, domains and their scale."""
    sheet: Sheet
    header_row: int
    fields: dict[str, int]
    domains: dict[int, int]              # domain number -> column
    rows: list[tuple[int, tuple]]
    year: int
    level: str
    framework_id: str
    codes: list[str]                     # the framework's domain codes, in order: domain number k is codes[k - 1]
    maxima: dict[str, float]
    scale: str = "points"                # or "percent" of each domain's maximum

    @cached_property
    def max_total(self) -> float:
        return float(sum(self.maxima.values()))

    def at(self, r0: int, j: int) -> dict:
        return dict(sheet=self.sheet.name, row=r0 + 1, column=_col(j))


def read_annex(path: Path, ctx: Context, level: str | None = None, year: int | None = None,
               create_units: bool = False, province: str | None = None) -> Batch:
    """`province` (a 63-province code): the annex is another province's; its names are matched against that
    province's units only, and the units it creates belong to it."""
    path = Path(path)
    if province:
        ctx = ctx.for_province(province)
    sheets = open_table_file(path)
    r = _Reading(ctx, Collector(path.name), path.name, create_units, province)
    used = False
    for sheet in sheets:
        hdr = find_header(sheet) if sheet.rows else None
        if not hdr:
            continue
        used = True
        t = _table(r, sheet, hdr, level, year)
        for r0, row in t.rows if t else []:
            _read_row(r, t, r0, row)
    if not used and not r.c.problems:
        r.c.add("no_table", sheet=sheets[0].name if sheets else "",
                detail="cần cột Tên đơn vị và Tổng điểm / Chỉ số (%) / Lĩnh vực 1…")
    if used and not r.years and not r.c.problems:
        r.c.add("nothing")
    r.c.check()
    return _batch(r.scores, r.years, r.new_units, path.name, r.notes, ctx)


def _table(r: _Reading, sheet: Sheet, hdr: tuple, level: str | None, year: int | None) -> _Table | None:
    """The sheet's table: its year, level and framework found (else the problem is reported and None)."""
    h, first, fields, domains, units = hdr
    c = r.c
    y = year or _year_of(sheet, h, r.file_name)
    if y is None:
        c.add("bad_year", sheet=sheet.name, row=h + 1, value="", expected="tiêu đề có 'năm 2018' hoặc tên trang tính là năm")
        return None
    lvl = level or _level_of(sheet, h)
    rows = _rows(sheet, first, fields, c)
    if lvl is None:                      # the level: given, in the title, or that of the units the names match
        uc = fields["unit"]
        levels = [r.ctx._unit[ids[0]].level for _, row in rows if (ids := r.ctx.resolve_unit(row[uc]))]
        lvl = max(set(levels), key=levels.count) if levels else None
    if lvl is None:
        c.add("no_table", sheet=sheet.name, row=h + 1,
              detail="không xác định được cấp (sở, ban, ngành / cấp huyện / cấp xã): hãy ghi trong tiêu đề")
        return None
    fw = _framework(r, sheet, h, lvl, y)
    if fw is None:
        return None
    doms = r.ctx.items[(r.ctx.items.framework_id == fw.framework_id) & (r.ctx.items.depth == "domain")]
    doms = doms.sort_values("sort_order")
    t = _Table(sheet, h, fields, domains, rows, y, lvl, fw.framework_id, list(doms.code),
               dict(zip(doms.code, doms.max_points.astype(float))))
    for k, j in sorted(domains.items()):
        if k > len(t.codes):
            c.add("unknown_code", sheet=sheet.name, row=h + 1, column=_col(j), value=f"Lĩnh vực {k}",
                  expected=fw.framework_id, detail=f" (bộ tiêu chí có {len(t.codes)} lĩnh vực)")
    if c.problems:
        return None
    t.scale, why = _scale(t, units)
    if domains:
        r.notes.append(_scale_note(sheet.name, y, t.scale, why))
    return t


def _framework(r: _Reading, sheet: Sheet, h: int, level: str, year: int):
    """The level's framework in force in `year`, else the problem (with the years the level has frameworks for)."""
    fw = r.ctx.framework_for(level, year)
    if fw is None:
        ranges = r.ctx.frameworks[r.ctx.frameworks.level == level]
        rng = ", ".join(f"{a}–{'nay' if pd.isna(b) else int(b)}" for a, b in zip(ranges.year_from, ranges.year_to))
        r.c.add("year_out_of_framework", sheet=sheet.name, row=h + 1, value=year, expected=rng or "—")
    return fw


def _scale(t: _Table, units: dict[int, str | None]) -> tuple[str, str]:
    """Domain columns in points or in percent of each domain's maximum, and how that was decided: the header
    says so, or the values do."""
    marked = {units.get(j) for j in t.domains.values()} - {None}
    if len(marked) == 1:
        return marked.pop(), "header"
    values = [(k, v) for _, row in t.rows for k, j in t.domains.items() if j < len(row)
              for v in [parse_number(row[j])[0]] if v is not None and k <= len(t.codes)]
    over = sum(1 for k, v in values if t.maxima[t.codes[k - 1]] + 1e-9 < v <= 100)
    if values and over >= 0.8 * len(values):        # percents: nearly every value is above its domain's maximum
        return "percent", "values"
    return "points", "values"                        # points, with a few typos above the maximum reported as such


def _read_row(r: _Reading, t: _Table, r0: int, row: tuple) -> None:
    """One unit's row: its unit, domain points, total, rank and band, checked; kept unless refused."""
    unit_id = _unit_id(r, t, r0, row)
    if unit_id is None or _repeated(r, t, r0, row, unit_id):
        return
    pts = _domain_points(r.c, t, r0, row)
    total = _total(r.c, t, r0, row, pts)
    rank = _rank(r.c, t, r0, row)
    fields = t.fields
    band = nfc(row[fields["band"]]) if "band" in fields and fields["band"] < len(row) and row[fields["band"]] else None
    if not pts and total is None:
        r.c.add("empty_score", sheet=t.sheet.name, row=r0 + 1, column=_col(fields.get("total", fields["unit"])))
        return
    for code, v in pts.items():
        r.scores.append(dict(year=t.year, unit_id=unit_id, framework_id=t.framework_id, item_code=code,
                             self_score=None, appraised_score=v, survey_score=None))
    r.years.append(dict(year=t.year, unit_id=unit_id, framework_id=t.framework_id,
                        detail_level="domain" if pts else "total",
                        total_score=None if pts else total, rank=rank, band=band))


def _unit_id(r: _Reading, t: _Table, r0: int, row: tuple) -> str | None:
    """The unit the row names (or a new one, when the user confirmed creating them), else the problem."""
    ctx, uc = r.ctx, t.fields["unit"]
    raw = row[uc]
    ids = ctx.resolve_unit(raw)
    valid = ctx.valid_units(ids, t.year, raw)
    if not ids and r.create_units:
        return _new_unit(r.new_units, raw, t.level, t.year, r.province, taken=set(ctx.all_unit_ids))
    if not ids:
        r.c.add("unknown_unit", **t.at(r0, uc), value=nfc(raw), detail=ctx.suggest_unit(raw))
    elif not valid:
        r.c.add("unit_not_valid_year", **t.at(r0, uc), value=nfc(raw), expected=t.year)
    elif valid[0].level != t.level:
        r.c.add("unknown_value", **t.at(r0, uc), value=nfc(raw), expected=f"một đơn vị cấp {t.level}")
    else:
        return valid[0].unit_id
    return None


def _repeated(r: _Reading, t: _Table, r0: int, row: tuple, unit_id: str) -> bool:
    """A unit-year met before (on this sheet or another) is reported; the first one is remembered."""
    if (unit_id, t.year) in r.seen:
        s0, r_first = r.seen[(unit_id, t.year)]
        r.c.add("duplicate", sheet=t.sheet.name, row=r0 + 1, value=nfc(row[t.fields["unit"]]),
                detail=str(r_first) if s0 == t.sheet.name else f"{r_first}, trang '{s0}'")
        return True
    r.seen[(unit_id, t.year)] = (t.sheet.name, r0 + 1)
    return False


def _domain_points(c: Collector, t: _Table, r0: int, row: tuple) -> dict[str, float]:
    """Domain code -> points (percents turned into points), each within 0 … the domain's maximum."""
    pts = {}
    for k, j in sorted(t.domains.items()):
        v = _number(c, t.sheet, r0, j, row)
        if v is None:
            continue
        code = t.codes[k - 1]
        mx = t.maxima[code]
        if t.scale == "percent":
            if v < 0 or v > 100 + 1e-9:
                c.add("out_of_range", **t.at(r0, j), value=v, expected="0–100 %")
                continue
            v = round(v * mx / 100, 4)
        if v < 0:
            c.add("negative", **t.at(r0, j), value=v)
        elif v > mx + 1e-9:
            c.add("over_max", **t.at(r0, j), value=v, expected=mx)
        else:
            pts[code] = v
    return pts


def _total(c: Collector, t: _Table, r0: int, row: tuple, pts: dict[str, float]) -> float | None:
    """The printed total (or the index % turned into points), checked against the maximum, the domains and the %."""
    fields, max_total = t.fields, t.max_total
    total = _number(c, t.sheet, r0, fields["total"], row) if "total" in fields else None
    pct = _number(c, t.sheet, r0, fields["pct"], row) if "pct" in fields else None
    if total is not None and not 0 <= total <= max_total + 1e-9:
        c.add("out_of_range", **t.at(r0, fields["total"]), value=total, expected=f"0–{max_total:g}")
    if total is not None and t.domains and len(pts) == len(t.domains) == len(t.codes):
        s = round(sum(pts.values()), 2)
        if abs(s - total) > 0.051 * max(1, len(t.codes) / 4):
            c.add("total_mismatch", **t.at(r0, fields["total"]), value=s, expected=total)
    if pct is not None and total is not None and abs(pct - 100 * total / max_total) > 0.15:
        c.add("pct_mismatch", **t.at(r0, fields["pct"]), value=pct, expected=round(100 * total / max_total, 2))
    if total is None and pct is not None:
        total = round(pct * max_total / 100, 4)
    return total


def _rank(c: Collector, t: _Table, r0: int, row: tuple) -> int | None:
    """The printed rank: a whole number from 1 to the number of rows."""
    if "rank" not in t.fields:
        return None
    rv = _number(c, t.sheet, r0, t.fields["rank"], row)
    if rv is None:
        return None
    if not float(rv).is_integer() or rv < 1 or rv > len(t.rows):
        c.add("rank_invalid", **t.at(r0, t.fields["rank"]), value=rv, detail=f"1–{len(t.rows)}")
        return None
    return int(rv)


def _rows(sheet: Sheet, first: int, fields: dict[str, int], c: Collector | None = None) -> list[tuple[int, tuple]]:
    out = []
    uc = fields["unit"]
    for r0 in range(first, len(sheet.rows)):
        row = sheet.rows[r0]
        # a cell whose formula has no computed value reads as empty: a unit's name lost that way must not drop
        # its row silently (the rest of the year would still be replaced)
        blank = [j for j in range(len(row)) if row[j] is None]
        lost = [j for j in blank if sheet.formula_at(r0 + 1, j + 1)] if c is not None and blank else []
        for j in lost:
            c.add("formula_no_value", sheet=sheet.name, row=r0 + 1, column=_col(j), value=sheet.formula_at(r0 + 1, j + 1))
        if lost:
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row) or _numbering_row(row):
            continue
        name = row[uc] if uc < len(row) else None
        if name is None or not str(name).strip():
            continue
        n = _h(name)
        if n.startswith(("tong cong", "cong", "trung binh", "binh quan", "ghi chu", "nguoi lap", "noi nhan")):
            continue                                     # footer rows of printed tables
        if re.fullmatch(r"[ivx]+|[a-z]", n):            # group headings inside the table ("I", "A")
            continue
        out.append((r0, row))
    return out


def _number(c: Collector, sheet: Sheet, r0: int, j: int, row: tuple) -> float | None:
    v = row[j] if j < len(row) else None
    x, err = parse_number(v)
    if err:
        c.add("not_number", sheet=sheet.name, row=r0 + 1, column=_col(j), value=v)
    return x


def _col(j: int) -> str:
    from etl.files import col_letter
    return col_letter(j)


def _scale_note(sheet: str, year: int, scale: str, why: str) -> str:
    what = "điểm" if scale == "points" else "% điểm tối đa của lĩnh vực"
    how = "theo tiêu đề cột" if why == "header" else "tiêu đề không ghi rõ, suy ra từ giá trị"
    return f"Trang '{sheet}' năm {year}: các cột lĩnh vực được hiểu là {what} ({how})."


def _new_unit(new_units: list[dict], raw, level: str, year: int, province: str | None = None,
              taken: set[str] | None = None) -> str:
    name = nfc(raw)
    for u in new_units:
        if u["name_vi"] == name:
            return u["unit_id"]
    slug = re.sub(r"[^A-Z0-9]+", "-", norm_name(name).upper()).strip("-")[:24] or "DV"
    base = f"P{province}-{slug}-{year}" if province else f"NEW-{slug}-{year}"
    # never an id already in the database or in this file: two names can share a slug (cut at 24 letters, or
    # differing only in marks), and a second annex creating the same id ended in a database error
    used = (taken or set()) | {u["unit_id"] for u in new_units}
    unit_id, k = base, 1
    while unit_id in used:
        k += 1
        unit_id = f"{base}-{k}"
    new_units.append(dict(unit_id=unit_id, level=level, name_vi=name, name_en=name, valid_from_year=year, raw=raw,
                          province_code=province))
    return unit_id


def _batch(scores: list[dict], years: list[dict], new_units: list[dict], file_name: str, notes: list[str],
           ctx: Context) -> Batch:
    src = f"FILE:{file_name}"
    b = Batch("annex")
    if scores:
        s = pd.DataFrame(scores)
        for col in ("self_score", "appraised_score", "survey_score"):
            s[col] = pd.to_numeric(s[col]).astype("float64")
        b.add("unit_score", s.assign(provenance="published", source_key=src))
    uy = pd.DataFrame(years).assign(provenance="published", source_key=src)
    uy["rank"] = uy["rank"].astype("Int64")
    b.add("unit_year", uy)
    if new_units:
        from etl.units import unit_rows_for_new
        units, aliases = unit_rows_for_new(new_units, ctx)
        b.add("unit", units)
        b.add("unit_alias", aliases)
        notes.append(f"Tạo {len(new_units)} đơn vị mới: " + ", ".join(u["name_vi"] for u in new_units))
    for year, g in uy.groupby("year"):
        ids = sorted(g.unit_id)
        b.replaces += [("unit_score", "year = $y and list_contains($ids, unit_id)", {"y": int(year), "ids": ids}),
                       ("unit_year", "year = $y and list_contains($ids, unit_id)", {"y": int(year), "ids": ids})]
    b.add("source", pd.DataFrame([dict(source_key=src, title=file_name,
                                       citation=f"Phụ lục kết quả / results annex {file_name}", url=None, licence=None,
                                       note=None)]))
    b.replaces.append(("source", "source_key = $k", {"k": src}))
    b.notes += notes
    return b
