"""PCI 2005–2016 (VCCI/USAID) from the published CSV: headline score and sub-indices."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import refdata
from etl.batch import Batch
from etl.papi import with_ranks
from etl.reference import PUBLISHED

CSV = PUBLISHED / "pci_scores_2005_2016.csv"


def subindices() -> list[tuple[str, str, str, float]]:
    """PCI's sub-indices (data/raw/reference/pci_subindices.csv): code (a column of the CSV), vi, en, maximum."""
    d = refdata.read("pci_subindices", dtype={"measure_code": str, "max_score": float}, text=("name_vi", "name_en"))
    return list(zip(d.measure_code, d.name_vi, d.name_en, d.max_score))


def read_csv(path: Path = CSV) -> Batch:
    d = pd.read_csv(path, dtype=str)
    d["year"] = d.year.astype(int)
    rows, measures = [], []
    for year, g in d.groupby("year"):
        codes = [("total", "pci_score", "Chỉ số PCI (có trọng số)", "PCI (weighted)", 100.0, "total"),
                 ("total_unweighted", "pci_unweighted", "Chỉ số PCI (không có trọng số)", "PCI (unweighted)",
                  None, "total")]
        codes += [(c, c, vi, en, mx, "domain") for c, vi, en, mx in subindices()]
        for i, (code, col, vi, en, mx, depth) in enumerate(codes):
            vals = pd.to_numeric(g[col])
            if vals.isna().all():
                continue
            measures.append(dict(index_name="PCI", year=int(year), measure_code=code, parent_code=None,
                                 depth=depth, name_vi=vi, name_en=en, max_score=mx,
                                 scale="0-100" if code == "total" else "1-10", sort_order=i, note=None))
            for prov, v, note in zip(g.province_code, vals, g.note):
                rows.append(dict(index_name="PCI", year=int(year), province_code=prov, measure_code=code,
                                 score=None if pd.isna(v) else float(v), ci_low=None, ci_high=None,
                                 std_error=None, provenance="published", source_key="PCI-A",
                                 note=None if pd.isna(note) else note))
    b = Batch("pci")
    scores = pd.DataFrame(rows).astype({"ci_low": "float64", "ci_high": "float64", "std_error": "float64"})
    b.add("province_score", with_ranks(scores))
    b.add("measure", pd.DataFrame(measures))
    years = sorted(d.year.unique().tolist())
    b.replaces += [("province_score", "index_name = 'PCI' and year between $y0 and $y1",
                    {"y0": years[0], "y1": years[-1]}),
                   ("measure", "index_name = 'PCI' and year between $y0 and $y1", {"y0": years[0], "y1": years[-1]})]
    return b
