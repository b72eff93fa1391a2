"""The words written once for what many screens say: a change of rank ("▲ 3 bậc" in a table, "tăng 3 bậc" in a
sentence, "giữ nguyên") and where a figure comes from ("Công bố", "Tính toán", "Minh họa"). Texts are in
ui/i18n.py; the provenance kinds in analysis/provenance.py."""
from __future__ import annotations

import pandas as pd

from analysis.provenance import KINDS
from ui.i18n import t


def places(rank_change, sentence: bool = False) -> str:
    """A change of rank (+ = up): '▲ 3 bậc', '▼ 2 bậc', 'giữ nguyên' in a table; 'tăng 3 bậc', 'giảm 2 bậc',
    'giữ nguyên thứ hạng' in a sentence; '–' when there is none."""
    if rank_change is None or pd.isna(rank_change):
        return "–"
    n = int(rank_change)
    if sentence:
        return t("places_up_short", n=n) if n > 0 else t("places_down_short", n=-n) if n < 0 else t("places_same_short")
    return t("places_up", n=n) if n > 0 else t("places_down", n=-n) if n < 0 else t("places_same")


def unit_places(rank_change, basis, first_year: bool) -> str:
    """A unit's change of rank in the ranking table; a unit formed in a merger is compared with its predecessors'
    mean ('so với bình quân đơn vị tiền thân'), a unit with nothing to compare with is new ('đơn vị mới', or '–' in
    the first year held)."""
    if basis == "predecessors":
        return t("vs_predecessors")
    if not isinstance(basis, str):
        return "–" if first_year else t("new_unit")
    return places(rank_change)


def province_places(rank_change, basis) -> str:
    """A province's change of rank in the league table; in 2025 a merged province has no earlier place
    ('so với bình quân các tỉnh hợp nhất')."""
    return t("vs_members_short") if basis == "members" else places(rank_change)


def provenance(p) -> str:
    """'Công bố', 'Tính toán', 'Minh họa'; '–' for anything else."""
    return t(p) if isinstance(p, str) and p in KINDS else "–"


def provenances(s: pd.Series) -> pd.Series:
    """provenance() for a column, translated once per value (t() per row cost 1 s on 30,000 export rows)."""
    return s.map({p: t(p) for p in KINDS}).fillna("–")
