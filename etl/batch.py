"""A Batch: clean tables a reader produced, plus what they replace in the database."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Batch:
    kind: str                                   # 'papi', 'pci', 'national', 'framework', 'units', 'unit_scores'
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # (table, where-clause with $params, params): rows deleted before the new rows are inserted
    replaces: list[tuple[str, str, dict]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # what was assumed, shown in check/load reports

    @property
    def rows(self) -> int:
        """The figures the file brings, counted as the preview counts them (and as the history records them): the
        score rows (a unit-year without its own scores counts once, as an annex's total); other tables (units
        created, framework items) only when the file brings no score."""
        scores = {t: df for t, df in self.tables.items()
                  if t in ("province_score", "unit_score", "unit_year") and df is not None and not df.empty}
        if "unit_score" in scores:
            scores.pop("unit_year", None)
        counted = scores or self.tables
        return int(sum(len(t) for t in counted.values() if t is not None))

    def add(self, table: str, df: pd.DataFrame) -> None:
        if table in self.tables:
            self.tables[table] = pd.concat([self.tables[table], df], ignore_index=True)
        else:
            self.tables[table] = df

    def extend(self, other: "Batch") -> None:
        for t, df in other.tables.items():
            self.add(t, df)
        self.replaces += other.replaces
        self.notes += other.notes
