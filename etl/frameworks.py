"""Scoring frameworks (the provincial internal index): frameworks.csv lists them, one CSV or YAML per
framework holds its tree domain → criterion → sub-criterion with maximum points and the agency
responsible. Checks: codes unique and well-formed, parents exist, children sum to their parent."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.batch import Batch
from etl.problems import Collector
from etl.reference import RAW

DIR = RAW / "frameworks"
DEPTHS = {1: "domain", 2: "criterion", 3: "sub_criterion"}
COLUMNS = ["code", "parent_code", "depth", "name_vi", "name_en", "max_points", "is_survey", "agency_vi",
           "agency_en", "sort_order"]


def _read_items(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml  # optional: only for frameworks written as YAML
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = []

        def walk(items, parent=None):
            for it in items or []:
                rows.append(dict(code=str(it["code"]), parent_code=parent, name_vi=it["name_vi"],
                                 name_en=it.get("name_en", it["name_vi"]), max_points=it["max_points"],
                                 is_survey=int(bool(it.get("is_survey"))), agency_vi=it.get("agency_vi"),
                                 agency_en=it.get("agency_en")))
                walk(it.get("children"), str(it["code"]))
        walk(data.get("items"))
        d = pd.DataFrame(rows)
        d["depth"] = d.code.str.count(r"\.").add(1).map(DEPTHS)
        d["sort_order"] = range(1, len(d) + 1)
        return d
    return pd.read_csv(path, dtype={"code": str, "parent_code": str}, encoding="utf-8-sig")


def read_framework(framework_id: str, level: str, year_from: int, year_to: int, name_vi: str, name_en: str,
                   path: Path, decision: str | None = None, provenance: str = "illustrative") -> Batch:
    c = Collector(path.name)
    d = _read_items(path)
    for col in ("code", "name_vi", "max_points"):
        if col not in d.columns:
            c.add("column_missing", expected=col)
    c.check()
    d["code"] = d.code.astype(str).str.strip()
    seen = {}
    for i, r in enumerate(d.itertuples(), start=2):
        depth_n = r.code.count(".") + 1
        if depth_n not in DEPTHS or not all(p.isdigit() for p in r.code.split(".")):
            c.add("unknown_code", row=i, column="code", value=r.code, expected=framework_id,
                  detail=" (cần dạng 1, 1.2, 1.2.3)")
        if r.code in seen:
            c.add("duplicate", row=i, column="code", value=r.code, detail=seen[r.code])
        seen[r.code] = i
        try:
            mx = float(str(r.max_points).replace(",", "."))
            if mx < 0:
                c.add("negative", row=i, column="max_points", value=r.max_points)
        except ValueError:
            c.add("not_number", row=i, column="max_points", value=r.max_points)
    c.check()
    d["max_points"] = d.max_points.astype(str).str.replace(",", ".").astype(float)
    d["parent_code"] = d.code.map(lambda s: s.rsplit(".", 1)[0] if "." in s else None)
    d["depth"] = d.code.str.count(r"\.").add(1).map(DEPTHS)
    kids = d.groupby("parent_code").max_points.sum()
    for r in d.itertuples():
        if isinstance(r.parent_code, str) and r.parent_code not in seen:
            c.add("unknown_code", row=seen[r.code], column="code", value=r.parent_code, expected=framework_id,
                  detail=" (thiếu mục cha)")
        if r.code in kids.index and abs(kids[r.code] - r.max_points) > 1e-6:
            c.add("sum_mismatch", row=seen[r.code], column="max_points", value=kids[r.code], expected=r.max_points)
    c.check()
    d["is_survey"] = d.get("is_survey", 0).fillna(0).astype(int).astype(bool)
    for col in ("name_en", "agency_vi", "agency_en"):
        if col not in d.columns:
            d[col] = None
    d["name_en"] = d.name_en.fillna(d.name_vi)
    if "sort_order" not in d.columns:
        d["sort_order"] = range(1, len(d) + 1)
    items = d[COLUMNS].assign(framework_id=framework_id)
    fw = pd.DataFrame([dict(framework_id=framework_id, level=level, year_from=year_from, year_to=year_to,
                            name_vi=name_vi, name_en=name_en, decision=decision, provenance=provenance,
                            source_key="ILLUSTRATIVE" if provenance == "illustrative" else None)])
    b = Batch("framework")
    b.add("framework", fw)
    b.add("framework_item", items)
    b.replaces += [("framework", "framework_id = $f", {"f": framework_id}),
                   ("framework_item", "framework_id = $f", {"f": framework_id})]
    return b


def read_all(directory: Path = DIR) -> Batch:
    idx = pd.read_csv(directory / "frameworks.csv", dtype=str)
    b = Batch("framework")
    for r in idx.itertuples():
        path = next(p for p in (directory / f"{r.framework_id}.csv", directory / f"{r.framework_id}.yaml")
                    if p.exists())
        b.extend(read_framework(r.framework_id, r.level, int(r.year_from),
                                None if pd.isna(r.year_to) else int(r.year_to), r.name_vi, r.name_en,
                                path, r.decision))
    return b
