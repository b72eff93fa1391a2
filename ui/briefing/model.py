"""What a briefing screen is, apart from how it is drawn: a headline, one chart described as plain data (categories
and series), its source and notes (`Screen`, `Chart`), the texts of the PowerPoint pack besides the screens
(`PackTexts`), and the palette both renderers use. Built by screens.py; drawn by present.py (plotly, on screen) and
pack.py (PowerPoint)."""
from __future__ import annotations

from dataclasses import dataclass, field

INDEX = "PAR INDEX"           # the sequence is about the provincial PAR INDEX; the overview shows all indices
# Okabe–Ito colours: distinguishable with every common colour-vision deficiency, and dark enough to survive
# a washed-out projector on white.
FOCUS = "#D55E00"      # the province or unit in focus (vermillion)
MAIN = "#0072B2"       # everything else (blue)
REF = "#000000"        # national median, best (black)
GAIN = "#009E73"       # what could be gained (bluish green)
MUTED = "#8C8C8C"


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
