"""Where a figure comes from, the one definition: published (as a publisher printed it), derived (computed here from
published figures: a rank filled in, a mean of the provinces merged in 2025) or illustrative (the demo's seeded fill,
never in the real database). Labels for people are in ui/labels.py."""
from __future__ import annotations

import pandas as pd

PUBLISHED, DERIVED, ILLUSTRATIVE = "published", "derived", "illustrative"
KINDS = (PUBLISHED, DERIVED, ILLUSTRATIVE)
ILLUSTRATIVE_SOURCE = "ILLUSTRATIVE"      # the source key of every illustrative figure (etl/illustrative.py)


def is_illustrative(df: pd.DataFrame, column: str = "provenance") -> bool:
    """True when any row of df is illustrative: whatever shows it says "Bản trình diễn · số liệu minh họa"."""
    return bool(len(df)) and column in df and bool((df[column] == ILLUSTRATIVE).any())
