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


def read_annex(path: Path, ctx: Context, level: str | None = None, year: int | None = None,
               create_units: bool = False, province: str | None = None) -> Batch:
    """`province` (a 63-province code): the annex is another province's; its names are matched against that
    province's units only, and the units it creates belong to it."""
    path = Path(path)
    if province:
        ctx = ctx.for_province(province)
    sheets = open_table_file(path)
    c = Collector(path.name)
    out_scores, out_years, new_units, notes = [], [], [], []
    used = False
    seen: dict[tuple[str, int], tuple[str, int]] = {}
    for sheet in sheets:
        if not sheet.rows:
            continue
        hdr = find_header(sheet)
        if not hdr:
            continue
        used = True
        h, first, fields, domains, units = hdr
        y = year or _year_of(sheet, h, path.name)
        if y is None:
            c.add("bad_year", sheet=sheet.name, row=h + 1, value="", expected="tiêu đề có 'năm 2018' hoặc tên trang tính là năm")
            continue
        lvl_hint = level or _level_of(sheet, h)
        rows = _rows(sheet, first, fields, c)
        # the level: given, in the title, or that of the units the names match
        if lvl_hint is None:
            levels = [ctx._unit[ids[0]].level for raw, _ in rows if (ids := ctx.resolve_unit(raw))]
            lvl_hint = max(set(levels), key=levels.count) if levels else None
        if lvl_hint is None:
            c.add("no_table", sheet=sheet.name, row=h + 1,
                  detail="không xác định được cấp (sở, ban, ngành / cấp huyện / cấp xã): hãy ghi trong tiêu đề")
            continue
        fw = ctx.framework_for(lvl_hint, y)
        if fw is None:
            ranges = ctx.frameworks[ctx.frameworks.level == lvl_hint]
            rng = ", ".join(f"{a}–{'nay' if pd.isna(b) else int(b)}" for a, b in zip(ranges.year_from, ranges.year_to))
            c.add("year_out_of_framework", sheet=sheet.name, row=h + 1, value=y, expected=rng or "—")
            continue
        fw_domains = ctx.items[(ctx.items.framework_id == fw.framework_id) & (ctx.items.depth == "domain")]
        fw_domains = fw_domains.sort_values("sort_order")
        codes = list(fw_domains.code)
        maxima = dict(zip(fw_domains.code, fw_domains.max_points.astype(float)))
        max_total = float(sum(maxima.values()))
        for k, j in sorted(domains.items()):
            if k > len(codes):
                c.add("unknown_code", sheet=sheet.name, row=h + 1, column=_col(j), value=f"Lĩnh vực {k}",
                      expected=fw.framework_id, detail=f" (bộ tiêu chí có {len(codes)} lĩnh vực)")
        if c.problems:
            continue
        # points or percent of each domain's maximum
        marked = {units.get(j) for j in domains.values()} - {None}
        values = [(k, v) for _, row in rows for k, j in domains.items() if j < len(row)
                  for v in [parse_number(row[j])[0]] if v is not None and k <= len(codes)]
        over = sum(1 for k, v in values if maxima[codes[k - 1]] + 1e-9 < v <= 100)
        if len(marked) == 1:
            scale, why = marked.pop(), "header"
        elif values and over >= 0.8 * len(values):       # percents: nearly every value is above its domain's maximum
            scale, why = "percent", "values"
        else:                                            # points, with a few typos above the maximum reported as such
            scale, why = "points", "values"
        if domains:
            notes.append(_scale_note(sheet.name, y, scale, why))
        for r0, row in rows:
            raw = row[fields["unit"]]
            ids = ctx.resolve_unit(raw)
            valid = ctx.valid_units(ids, y, raw)
            if not ids and create_units:
                unit_id = _new_unit(new_units, raw, lvl_hint, y, province, taken=set(ctx.all_unit_ids))
            elif not ids:
                c.add("unknown_unit", sheet=sheet.name, row=r0 + 1, column=_col(fields["unit"]), value=nfc(raw),
                      detail=ctx.suggest_unit(raw))
                continue
            elif not valid:
                c.add("unit_not_valid_year", sheet=sheet.name, row=r0 + 1, column=_col(fields["unit"]), value=nfc(raw),
                      expected=y)
                continue
            else:
                unit_id = valid[0].unit_id
                if valid[0].level != lvl_hint:
                    c.add("unknown_value", sheet=sheet.name, row=r0 + 1, column=_col(fields["unit"]), value=nfc(raw),
                          expected=f"một đơn vị cấp {lvl_hint}")
                    continue
            if (unit_id, y) in seen:
                s0, r_first = seen[(unit_id, y)]
                c.add("duplicate", sheet=sheet.name, row=r0 + 1, value=nfc(raw),
                      detail=str(r_first) if s0 == sheet.name else f"{r_first}, trang '{s0}'")
                continue
            seen[(unit_id, y)] = (sheet.name, r0 + 1)
            pts = {}
            for k, j in sorted(domains.items()):
                v = _number(c, sheet, r0, j, row)
                if v is None:
                    continue
                code = codes[k - 1]
                mx = maxima[code]
                if scale == "percent":
                    if v < 0 or v > 100 + 1e-9:
                        c.add("out_of_range", sheet=sheet.name, row=r0 + 1, column=_col(j), value=v, expected="0–100 %")
                        continue
                    v = round(v * mx / 100, 4)
                if v < 0:
                    c.add("negative", sheet=sheet.name, row=r0 + 1, column=_col(j), value=v)
                elif v > mx + 1e-9:
                    c.add("over_max", sheet=sheet.name, row=r0 + 1, column=_col(j), value=v, expected=mx)
                else:
                    pts[code] = v
            total = _number(c, sheet, r0, fields["total"], row) if "total" in fields else None
            pct = _number(c, sheet, r0, fields["pct"], row) if "pct" in fields else None
            if total is not None and not 0 <= total <= max_total + 1e-9:
                c.add("out_of_range", sheet=sheet.name, row=r0 + 1, column=_col(fields["total"]), value=total,
                      expected=f"0–{max_total:g}")
            if total is not None and domains and len(pts) == len(domains) == len(codes):
                s = round(sum(pts.values()), 2)
                if abs(s - total) > 0.051 * max(1, len(codes) / 4):
                    c.add("total_mismatch", sheet=sheet.name, row=r0 + 1, column=_col(fields["total"]), value=s,
                          expected=total)
            if pct is not None and total is not None and abs(pct - 100 * total / max_total) > 0.15:
                c.add("pct_mismatch", sheet=sheet.name, row=r0 + 1, column=_col(fields["pct"]), value=pct,
                      expected=round(100 * total / max_total, 2))
            if total is None and pct is not None:
                total = round(pct * max_total / 100, 4)
            rank = None
            if "rank" in fields:
                rv = _number(c, sheet, r0, fields["rank"], row)
                if rv is not None:
                    if not float(rv).is_integer() or rv < 1 or rv > len(rows):
                        c.add("rank_invalid", sheet=sheet.name, row=r0 + 1, column=_col(fields["rank"]), value=rv,
                              detail=f"1–{len(rows)}")
                    else:
                        rank = int(rv)
            band = nfc(row[fields["band"]]) if "band" in fields and fields["band"] < len(row) and row[fields["band"]] else None
            if not pts and total is None:
                c.add("empty_score", sheet=sheet.name, row=r0 + 1, column=_col(fields.get("total", fields["unit"])))
                continue
            for code, v in pts.items():
                out_scores.append(dict(year=y, unit_id=unit_id, framework_id=fw.framework_id, item_code=code,
                                       self_score=None, appraised_score=v, survey_score=None))
            out_years.append(dict(year=y, unit_id=unit_id, framework_id=fw.framework_id,
                                  detail_level="domain" if pts else "total",
                                  total_score=None if pts else total, rank=rank, band=band))
    if not used and not c.problems:
        c.add("no_table", sheet=sheets[0].name if sheets else "",
              detail="cần cột Tên đơn vị và Tổng điểm / Chỉ số (%) / Lĩnh vực 1…")
    if used and not out_years and not c.problems:
        c.add("nothing")
    c.check()
    return _batch(out_scores, out_years, new_units, path.name, notes, ctx)


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
