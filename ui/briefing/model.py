"""What a briefing screen is, apart from how it is drawn: a headline, one chart described as plain data (categories
and series), its source and notes (`Screen`, `Chart`), the texts of the PowerPoint pack besides the screens
(`PackTexts`), and the palette both renderers use. Built by screens.py; drawn by present.py (plotly, on screen) and
pack.py (PowerPoint)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ui.palette import FOCUS, GAIN, MAIN, MUTED, REF  # noqa: F401  (the briefing's Okabe–Ito colours, named for its modules)

INDEX = "PAR INDEX"           # the sequence is about the provincial PAR INDEX; the overview shows all indices


@dataclass
class Chart:
    kind: str                                    # "bar" (horizontal), "column" or "line"
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    axis_title: str
    colors: list[str] = field(default_factory=list)       # one per series
    highlight: int | None = None                 # category drawn in the focus colour (first series)
    stacked: bool = False
    decimals: int = 1
    value_max: float | None = None               # fixed value axis maximum (e.g. 100 for % of maximum)
    reverse_values: bool = False                 # ranks: 1 at the top
    sources: list | None = None                  # the first series' source key per category (shown on hover)


@dataclass
class Screen:
    key: str
    section: str
    headline: str
    chart: Chart | None
    source: str
    illustrative: bool
    internal: bool = False
    note: str = ""


@dataclass
class PackTexts:
    """Everything the pack says besides the screens, in the session's language (computed before the click)."""
    title: str
    subtitle: str
    made: str
    illustrative_label: str
    illustrative_note: str
    internal_tag: str
    closing_title: str
    sources: list[str] = field(default_factory=list)
    method_notes: list[str] = field(default_factory=list)
    decimal_comma: bool = True
