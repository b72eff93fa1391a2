"""PAPI: the official Excel workbooks (both layouts) and the tidy published CSV.

Layout A: one row per province (PAPI 2011–2016 file; also the 2015–2017 sheets of the 2015–2023 file).
Layout B: provinces as columns, indicators as rows, with 95% CI bounds and standard errors (2018+).
Labels come from the curated reference (papi_scores_long.csv) where it knows the year, otherwise
from the workbook. Derived sums are made only for measures the source does not print at all."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.batch import Batch
from etl.files import Sheet, col_letter, open_workbook, parse_number, MISSING_MARKERS
from etl.problems import Collector
from etl.reference import PUBLISHED, ProvinceResolver
from etl.text import nfc, norm_name

LONG_CSV = PUBLISHED / "papi_scores_long.csv"
SKIP_ROWS = {"highest", "diem cao nhat", "trung binh", "average", "mean", "national average"}


@lru_cache(maxsize=1)
def reference_labels() -> dict[tuple[int, str], dict]:
    d = pd.read_csv(LONG_CSV, dtype=str)
    d = d.drop_duplicates(["year", "level", "dimension_no", "subdimension_no"])
    out = {}
    for r in d.itertuples():
        code = _code(r.level, r.dimension_no, r.subdimension_no)
        out[(int(r.year), code)] = dict(name_vi=nfc(r.indicator_vi), name_en=nfc(r.indicator_en),
                                        scale=None if pd.isna(r.scale) else r.scale)
    return out


@lru_cache(maxsize=1)
def dimension_lexicon() -> dict[str, str]:
    """Normalised dimension names (EN and VI, all years) -> dimension number."""
    d = pd.read_csv(LONG_CSV, dtype=str)
    d = d[d.level == "dimension"].drop_duplicates(["indicator_en", "indicator_vi", "dimension_no"])
    lex = {}
    for r in d.itertuples():
        lex[norm_name(r.indicator_en, False)] = r.dimension_no
        lex[norm_name(r.indicator_vi, False)] = r.dimension_no
    return lex


def _code(level: str, dim, sub) -> str:
    if level == "total_unweighted":
        return "total"
    if level == "total_weighted":
        return "total_weighted"
    if level == "dimension":
        return str(int(float(dim)))
    return f"{int(float(dim))}.{int(float(sub))}"


def _depth(code: str) -> str:
    return "total" if code.startswith("total") else ("domain" if "." not in code else "sub")


def measure_rows(year: int, codes: dict[str, str], source_labels: dict[str, tuple[str, str]]) -> pd.DataFrame:
    ref = reference_labels()
    rows = []
    for i, code in enumerate(sorted(codes, key=_sort_key)):
        lab = ref.get((year, code))
        vi, en = source_labels.get(code, (code, code))
        scale = codes[code]
        if lab:
            vi, en, scale = lab["name_vi"], lab["name_en"], lab["scale"] or scale
        n_dims = 8 if year >= 2018 else 6
        max_score = 10.0 if _depth(code) == "domain" else (10.0 * n_dims if code.startswith("total") else None)
        rows.append(dict(index_name="PAPI", year=year, measure_code=code,
                         parent_code=None if _depth(code) != "sub" else code.split(".")[0],
                         depth=_depth(code), name_vi=vi, name_en=en, max_score=max_score, scale=scale,
                         sort_order=i, note=None))
    return pd.DataFrame(rows)


def _sort_key(code: str):
    if code == "total":
        return (0, 0, 0)
    if code == "total_weighted":
        return (0, 1, 0)
    parts = [int(p) for p in code.split(".")]
    return (1, parts[0], parts[1] if len(parts) > 1 else 0)


# ---------------------------------------------------------------------------------- labels

def classify_label(label: str) -> tuple[str, str | None]:
    """('total'|'total_weighted'|'dim'|'sub'|'ci_low'|'ci_high'|'se'|'var'|'other', code)."""
    low = label.lower()
    if re.search(r"ci low|điểm tối thiểu", low):
        return "ci_low", None
    if re.search(r"ci high|điểm tối đa", low):
        return "ci_high", None
    if re.search(r"standard error|sai số", low):
        return "se", None
    m = re.search(r"phương sai.*?(\d)", low)
    if m:
        return "var", m.group(1)
    if re.search(r"không có trọng số|un-?weighted", low):
        return "total", "total"
    if re.search(r"có trọng số|weighted papi", low):
        return "total_weighted", "total_weighted"
    m = re.search(r"(chỉ số nội dung|dimension)\s*(\d)\b", low)
    if m:
        return "dim", m.group(2)
    m = re.search(r"(?:^|\|)\s*(\d)\.(\d)\s*:", label)
    if m:
        return "sub", f"{m.group(1)}.{m.group(2)}"
    m = re.search(r"(?:^|\|)\s*(\d)\s*:", label)
    if m:
        return "dim", m.group(1)
    first = norm_name(label.split("|")[0], False)
    lex = dimension_lexicon()
    d = lex.get(first) or next((v for k, v in lex.items() if first and k.startswith(first + " ")), None)
    if d:
        return "dim", d
    return "other", None


def _year_of(sheet: Sheet) -> int | None:
    m = re.search(r"(20\d\d)", sheet.name)
    return int(m.group(1)) if m else None


def _is_code_cell(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and 1 <= v <= 96


# ---------------------------------------------------------------------------------- reading

class _Acc:
    """Accumulates (province, code) -> value/ci/se for one sheet."""

    def __init__(self):
        self.values: dict[tuple[str, str], dict] = {}
        self.printed: set[str] = set()
        self.scales: dict[str, str] = {}
        self.labels: dict[str, tuple[str, str]] = {}

    def put(self, prov: str, code: str, field: str, value: float | None, note: str | None = None) -> None:
        rec = self.values.setdefault((prov, code), {})
        rec[field] = value
        if note:
            rec["note"] = note


def _value(sheet: Sheet, c: Collector, r0: int, c0: int) -> tuple[float | None, str | None]:
    v = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else None
    if isinstance(v, str) and v.strip().lower() in MISSING_MARKERS:
        return None, f"not published in source ({v.strip()})"
    num, err = parse_number(v)
    if err:
        c.add("not_number", sheet=sheet.name, row=r0 + 1, column=col_letter(c0), value=v)
        return None, None
    if num is None:
        f = sheet.formula_at(r0 + 1, c0 + 1)
        if f:
            c.add("formula_no_value", sheet=sheet.name, row=r0 + 1, column=col_letter(c0), value=f)
        return None, None
    if num == 0:
        return None, "published as 0 in source (no valid data); set to empty"
    if num < 0 or num > 80:
        c.add("out_of_range", sheet=sheet.name, row=r0 + 1, column=col_letter(c0), value=v, expected="0–80")
        return None, None
    return num, None


def _find_province_row(sheet: Sheet, res: ProvinceResolver, year: int) -> tuple[int, dict[int, str]] | None:
    for r0, row in enumerate(sheet.rows[:6]):
        cols = {}
        for j, v in enumerate(row):
            if j == 0:
                continue
            code = res.code(v, year) if (_is_code_cell(v) or isinstance(v, str)) else None
            if code:
                cols[j] = code
        if len(cols) >= 30:
            return r0, cols
    return None


def _find_province_col(sheet: Sheet, res: ProvinceResolver, year: int) -> tuple[int, int] | None:
    for j in range(min(3, max(len(r) for r in sheet.rows))):
        hits = [i for i, row in enumerate(sheet.rows) if j < len(row) and res.code(row[j], year)]
        if len(hits) >= 30:
            return j, hits[0]
    return None


def _read_columns_layout(sheet, c, res, year, prow, pcols, acc: _Acc) -> None:
    first = min(pcols)
    last_measure: str | None = None
    since = 99
    for r0 in range(prow + 1, len(sheet.rows)):
        row = sheet.rows[r0]
        label = " | ".join(str(v).strip() for v in row[:first] if isinstance(v, str) and v.strip())
        if not label:
            continue
        kind, code = classify_label(label)
        since += 1
        if kind in ("total", "total_weighted", "dim", "sub"):
            last_measure, since = code, 0
            acc.printed.add(code)
            scale = next((str(v) for v in row[:first] if isinstance(v, str) and "điểm" in v), None)
            acc.scales[code] = scale
            parts = [p.strip() for p in label.split("|")]
            vi = next((p for p in parts if re.search(r"[à-ỹđ]", p.lower())), parts[-1])
            acc.labels[code] = (re.sub(r"^(chỉ số nội dung \d:|\d\.\d:)\s*", "", vi, flags=re.I), parts[0])
            for j, prov in pcols.items():
                val, note = _value(sheet, c, r0, j)
                acc.put(prov, code, "score", val, note)
        elif kind in ("ci_low", "ci_high", "se") and last_measure and since <= 3:
            for j, prov in pcols.items():
                val, _ = _value(sheet, c, r0, j)
                acc.put(prov, last_measure, kind, val)
        elif kind == "var":
            for j, prov in pcols.items():
                val, _ = _value(sheet, c, r0, j)
                acc.put(prov, code, "se", math.sqrt(val) if val else None,
                        "standard error = square root of the published variance")


def _read_rows_layout(sheet, c, res, year, pcol, first_row, acc: _Acc) -> None:
    header = sheet.rows[:first_row]
    ncols = max(len(r) for r in sheet.rows)
    current_dim, sub_no = None, 0
    colmap: dict[int, str] = {}
    for j in range(ncols):
        if j == pcol:
            continue
        cells = [str(h[j]).strip() for h in header if j < len(h) and h[j] is not None and str(h[j]).strip()]
        if not cells:
            continue
        label = " | ".join(cells)
        if re.search(r"tinhid|tentinh|tên tỉnh|mã tỉnh|province", label.lower()):
            continue
        kind, code = classify_label(label)
        if kind == "dim":
            current_dim, sub_no = code, 0
        elif kind == "other" and current_dim:
            sub_no += 1
            kind, code = "sub", f"{current_dim}.{sub_no}"
        elif kind == "sub":
            current_dim = code.split(".")[0]
        if kind in ("total", "total_weighted", "dim", "sub"):
            colmap[j] = code
            acc.printed.add(code)
            vi = next((x for x in cells if re.search(r"[à-ỹđ]", x.lower())), cells[-1])
            acc.labels[code] = (re.sub(r"^\s*(\d\.\d|\d)\s*:\s*", "", vi), cells[0])
    for r0 in range(first_row, len(sheet.rows)):
        row = sheet.rows[r0]
        v = row[pcol] if pcol < len(row) else None
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        prov = res.code(v, year)
        if not prov:
            names = [norm_name(x) for x in row[: pcol + 3] if isinstance(x, str)]
            if (_is_code_cell(v) and v == 999) or any(n in SKIP_ROWS for n in names):
                continue
            c.add("unknown_province", sheet=sheet.name, row=r0 + 1, column=col_letter(pcol), value=v,
                  detail=res.suggest(v, year))
            continue
        for j, code in colmap.items():
            val, note = _value(sheet, c, r0, j)
            acc.put(prov, code, "score", val, note)


def _derive(acc: _Acc, year: int) -> None:
    """Sums for measures the sheet does not print at all (PAPI's rule: dimension = sum of subs,
    aggregate = sum of dimensions)."""
    provs = {p for p, _ in acc.values}
    dims = sorted({code.split(".")[0] for _, code in acc.values if code[0].isdigit()})
    for p in provs:
        for d in dims:
            if d in acc.printed:
                continue
            subs = [acc.values.get((p, code), {}).get("score") for code in acc.printed if code.startswith(d + ".")]
            if subs and all(s is not None for s in subs):
                acc.put(p, d, "score", sum(subs), "sum of published sub-dimension scores (PAPI method)")
                acc.values[(p, d)]["derived"] = True
        if "total" not in acc.printed:
            vals = [acc.values.get((p, d), {}).get("score") for d in dims]
            if len(dims) in (6, 8) and all(v is not None for v in vals):
                acc.put(p, "total", "score", sum(vals),
                        f"sum of the {len(dims)} dimension scores (PAPI method); not printed in the source file")
                acc.values[(p, "total")]["derived"] = True
    for d in dims:
        acc.printed.add(d)
    if "total" not in acc.printed and dims:
        acc.printed.add("total")


def read_workbook(path: Path, years: list[int] | None = None, source_key: str = "PAPI-B") -> Batch:
    path = Path(path)
    sheets = open_workbook(path)
    c = Collector(path.name)
    res = ProvinceResolver()
    batch = Batch("papi")
    found: dict[int, _Acc] = {}
    for sheet in sheets:
        year = _year_of(sheet)
        if year is None or "process" in sheet.name.lower() or (years and year not in years):
            continue
        if not sheet.rows:
            c.add("sheet_empty", sheet=sheet.name)
            continue
        if any(re.match(r"^[A-Z]+[12]:", m) for m in sheet.merged):
            c.add("merged_header", sheet=sheet.name, row=1)
            continue
        acc = _Acc()
        hdr = _find_province_row(sheet, res, year)
        if hdr:
            _read_columns_layout(sheet, c, res, year, hdr[0], hdr[1], acc)
        else:
            pc = _find_province_col(sheet, res, year)
            if not pc:
                c.add("no_table", sheet=sheet.name, detail="không tìm thấy cột hoặc dòng tên/mã tỉnh")
                continue
            _read_rows_layout(sheet, c, res, year, pc[0], pc[1], acc)
        if not acc.printed:
            c.add("no_table", sheet=sheet.name, detail="không có chỉ số nội dung PAPI")
            continue
        _derive(acc, year)
        found[year] = acc
    if not found and not c.problems:
        c.add("no_table", detail="không có trang tính nào mang tên năm (ví dụ 2023)")
    _check_copies(found, c)
    c.check()
    for year, acc in sorted(found.items()):
        batch.extend(_to_batch(year, acc, source_key))
    return batch


def _check_copies(found: dict[int, _Acc], c: Collector) -> None:
    sig = {}
    for year, acc in found.items():
        key = tuple(sorted((k, round(v.get("score") or 0, 9)) for k, v in acc.values.items()))
        if key in sig:
            c.add("copied_year", sheet=str(year), value=year, expected=sig[key])
        else:
            sig[key] = year


def _to_batch(year: int, acc: _Acc, source_key: str) -> Batch:
    rows = []
    for (prov, code), rec in acc.values.items():
        derived = rec.get("derived", False)
        rows.append(dict(index_name="PAPI", year=year, province_code=prov, measure_code=code,
                         score=rec.get("score"), ci_low=rec.get("ci_low"), ci_high=rec.get("ci_high"),
                         std_error=rec.get("se"),
                         provenance="derived" if derived else "published", source_key=source_key,
                         note=rec.get("note")))
    scores = pd.DataFrame(rows)
    empty = scores.groupby("measure_code")["score"].apply(lambda x: x.isna().all())
    dropped = set(empty[empty].index)          # e.g. 2022's weighted aggregate row, printed empty
    scores = with_ranks(scores[~scores.measure_code.isin(dropped)])
    acc.printed -= dropped
    b = Batch("papi")
    b.add("province_score", scores)
    b.add("measure", measure_rows(year, {k: acc.scales.get(k) for k in acc.printed}, acc.labels))
    b.replaces += [("province_score", "index_name = 'PAPI' and year = $year", {"year": year}),
                   ("measure", "index_name = 'PAPI' and year = $year", {"year": year})]
    return b


def with_ranks(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank within (index, year, measure), best = 1; ties share the best rank; derived, not published."""
    s = scores.copy()
    s["rank"] = (s.groupby(["index_name", "year", "measure_code"])["score"]
                 .rank(ascending=False, method="min"))
    s["rank"] = s["rank"].astype("Int64")
    s["rank_provenance"] = s["rank"].map(lambda r: None if pd.isna(r) else "derived")
    return s


def read_long_csv(path: Path = LONG_CSV, years: list[int] | None = None) -> Batch:
    """The tidy published CSV (used for the years no official workbook covers: 2020, 2021, 2024)."""
    d = pd.read_csv(path, dtype=str)
    d["year"] = d.year.astype(int)
    if years:
        d = d[d.year.isin(years)]
    batch = Batch("papi")
    for year, g in d.groupby("year"):
        g = g.assign(measure_code=[_code(r.level, r.dimension_no, r.subdimension_no) for r in g.itertuples()])
        scores = pd.DataFrame(dict(
            index_name="PAPI", year=int(year), province_code=g.province_code, measure_code=g.measure_code,
            score=pd.to_numeric(g.value), ci_low=None, ci_high=None, std_error=None,
            provenance=g.value_status.map({"published": "published", "derived_sum": "derived"}),
            source_key=g.source, note=g.note))
        scores = scores.astype({"ci_low": "float64", "ci_high": "float64", "std_error": "float64"})
        b = Batch("papi")
        b.add("province_score", with_ranks(scores))
        scales = dict(zip(g.measure_code, g.scale.where(g.scale.notna(), None)))
        b.add("measure", measure_rows(int(year), scales, {}))
        b.replaces += [("province_score", "index_name = 'PAPI' and year = $year", {"year": int(year)}),
                       ("measure", "index_name = 'PAPI' and year = $year", {"year": int(year)})]
        batch.extend(b)
    return batch
