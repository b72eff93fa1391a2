"""Every colour the app draws with, in one place: the pages' charts (plotly), the briefing screens and their
PowerPoint pack, the Word report's pictures, the maps, the banner and the highlighted rows. Other modules import
these names; none writes a colour of its own (tests/test_palette.py checks).

Scales are read by red–green colour-blind viewers too (about 1 man in 12): red (low) to blue (high), never red to
green."""
from __future__ import annotations

# ---------------------------------------------------------------- the pages' charts (ui/charts.py)
HOME = "#c2410c"        # the unit or province in focus
BASE = "#2563eb"        # everything else
PEER = "#94a3b8"        # peers, medians, error bars
GOOD, BAD = "#15803d", "#b91c1c"
WARN = "#d97706"        # band C
SEQUENTIAL = "RdYlBu"   # share of maximum, scores on a map: red (low) to blue (full marks)
DIVERGING = "RdBu"      # correlations, −1 (red) to +1 (blue)
# PAPI's four quartile groups, best to worst: dark blue, light blue, light orange, dark red (RdYlBu's ends)
PAPI_QUARTILES = {"q1": "#2c7bb6", "q2": "#abd9e9", "q3": "#fdae61", "q4": "#d7191c"}
# PAR INDEX bands (analysis.provinces.par_band) and unit bands: A green, B blue, C amber, D red
BANDS = {"A": GOOD, "B": BASE, "C": WARN, "D": BAD}

# ink on the pages' charts: marks, reference lines, notes
INK = "#0f172a"         # a reference mark (best, target, the province's outline on a map)
INK_SOFT = "#475569"    # a secondary mark, a break's label, the archipelagos
INK_LABEL = "#334155"   # a place name on a map
NOTE = "#64748b"        # a source line, a break or threshold line
LABEL_BACK = "rgba(255,255,255,0.85)"   # behind a label drawn over a chart
LEGEND_BACK = "rgba(255,255,255,0.8)"
CLEAR = "rgba(0,0,0,0)"
WHITE = "#ffffff"

# the "illustrative data" label (on every chart of the demo, and on the briefing's screens)
ILLUSTRATIVE_INK, ILLUSTRATIVE_BACK, ILLUSTRATIVE_EDGE = "#92400e", "#fef3c7", "#f59e0b"
# the demo's banner and badge
BANNER_BACK = "#7a1f00"
# the row in focus in a table
FOCUS_ROW = "#ffedd5"

# ---------------------------------------------------------------- the briefing, its PowerPoint pack, the Word pictures
# Okabe–Ito colours: distinguishable with every common colour-vision deficiency, and dark enough to survive
# a washed-out projector on white.
FOCUS = "#D55E00"      # the province or unit in focus (vermillion)
MAIN = "#0072B2"       # everything else (blue)
REF = "#000000"        # national median, best (black)
GAIN = "#009E73"       # what could be gained (bluish green)
MUTED = "#8C8C8C"
OTHER = "#999999"      # the national median on the Word report's pictures
SCREEN_INK = "#111111"     # the briefing's text and axes
SCREEN_GRID = "#d4d4d4"    # its grid lines (also the PowerPoint charts')
SCREEN_SECTION = "#404040"  # its section titles and foot lines
SLIDE_GREY = "#555555"      # the PowerPoint pack's small print (sources, page numbers, section labels)
SLIDE_SUBTITLE = "#333333"  # its title slide's subtitle
SLIDE_BODY = "#222222"      # its method notes
DEMO_MARK_INK = "#B45309"   # the Word report's "illustrative" line
# the Excel exports' fills (ui/xlsx.py): the row in focus is FOCUS_ROW, then these
ILLUSTRATIVE_ROW = "#fef9c3"   # an illustrative row, pale yellow
HEADER_BACK = "#e2e8f0"        # the notes sheet's header cells
