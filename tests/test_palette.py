"""One palette: every colour the app draws with is named in ui/palette.py; charts, the briefing, its PowerPoint pack,
the Word pictures, the Excel fills, the banner and the pages import it and write no colour of their own."""
from __future__ import annotations

import re
from pathlib import Path

from ui import charts, palette
from ui.briefing import model as briefing, pack
from ui.exports import word_charts, xlsx

ROOT = Path(__file__).resolve().parent.parent
# '#c2410c', '#fff', 'rgba(…)', and the bare 'D4D4D4' python-pptx and python-docx take
COLOUR = re.compile(r"""#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\brgba?\(|["'](?:FF)?[0-9A-F]{6}["']""")


def test_no_module_but_the_palette_writes_a_colour():
    files = [*sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "app_pages").glob("*.py")), ROOT / "app.py"]
    hits = []
    for f in files:
        if f.name in ("palette.py", "i18n.py"):
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if COLOUR.search(line):
                hits.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert hits == []


def test_the_writers_draw_with_the_palette():
    assert charts.PAPI_QUARTILES is palette.PAPI_QUARTILES and charts.SEQUENTIAL == palette.SEQUENTIAL
    assert (briefing.FOCUS, briefing.MAIN) == (palette.FOCUS, palette.MAIN)
    assert (pack.AMBER, pack.AMBER_BG) == (palette.ILLUSTRATIVE_INK, palette.ILLUSTRATIVE_BACK)
    assert (word_charts.HOME, word_charts.BAD) == (palette.MAIN, palette.FOCUS)
    for c in (palette.FOCUS_ROW, palette.ILLUSTRATIVE_ROW, palette.HEADER_BACK):
        assert f'rgb="FF{c.lstrip("#").upper()}"' in xlsx.STYLES


def test_the_colours_are_those_of_before():
    """Moved, not changed (tests/test_defects.py checks what colour-blind viewers see of the PAPI groups)."""
    assert (palette.HOME, palette.BASE, palette.PEER, palette.GOOD, palette.BAD) == (
        "#c2410c", "#2563eb", "#94a3b8", "#15803d", "#b91c1c")
    assert palette.BANDS == {"A": "#15803d", "B": "#2563eb", "C": "#d97706", "D": "#b91c1c"}
    assert palette.PAPI_QUARTILES == {"q1": "#2c7bb6", "q2": "#abd9e9", "q3": "#fdae61", "q4": "#d7191c"}
    assert (palette.FOCUS, palette.MAIN, palette.REF, palette.GAIN, palette.MUTED) == (
        "#D55E00", "#0072B2", "#000000", "#009E73", "#8C8C8C")
