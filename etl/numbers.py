"""Numbers for people, the one place that writes them: 85,63 and 1.234 in Vietnamese, 85.63 and 1,234 in English,
shares as "85,6 %", changes signed ("+1,25", "-0,80"). The loaders' messages, the pages, the exports and the
documents all call these (etl must not import ui, so the formatter lives here and ui/i18n.num passes the
session's language to it).

Rules, each tested in tests/test_numbers.py:
- a half is rounded away from zero on the number as written (0,125 -> 0,13; 2,5 -> 3), as Excel shows it and as
  people round, not to the nearest even binary value (Python's own format gives 0,12);
- nothing to show (None, NaN, pd.NA, ±inf) is "–";
- a value that rounds to zero is "0,00", never "-0,00", and has no sign."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DASH = "–"
_POW = [10.0 ** k for k in range(10)]


def _float(x) -> float | None:
    """x as a finite float, or None (None, NaN, pd.NA, ±inf, text)."""
    if type(x) is float:                      # the common case first: a table's cells
        return x if math.isfinite(x) else None
    if x is None or isinstance(x, (bool, str)):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):            # pd.NA, pd.NaT and the like
        return None
    return v if math.isfinite(v) else None


def _rounded(v: float, decimals: int) -> float | Decimal:
    """v, near a half at `decimals` places, as it will be written: a half rounded away from zero on the shortest
    decimal form of v (70.695 is stored as 70.69499…: Python's format writes 70.69, Excel and people 70.70)."""
    s = repr(v)
    dot = s.find(".")
    if "e" in s or dot < 0 or len(s) - dot - 1 != decimals + 1 or s[-1] != "5":
        return v                               # not a half as written: the binary value rounds the same way
    return Decimal(s).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def num(x, decimals: int = 2, lang: str = "vi", grouping: bool = True) -> str:
    """85.634 -> '85,63' (vi) / '85.63' (en); 12345 -> '12.345' (vi) / '12,345' (en) with decimals=0;
    grouping=False leaves out the thousands separator (the Vietnamese CSV: '1234,5')."""
    v = x if type(x) is float and math.isfinite(x) else _float(x)      # a table's cells take the first branch
    if v is None:
        return DASH
    scaled = (v if v >= 0 else -v) * (_POW[decimals] if decimals < 10 else 10.0 ** decimals)
    if -1e-6 < scaled % 1.0 - 0.5 < 1e-6 and scaled < 1e15:           # near a half: decide on the written form
        v = _rounded(v, decimals)
    s = f"{v:,.{decimals}f}" if grouping else f"{v:.{decimals}f}"
    if s[0] == "-" and not s.strip("-0.,"):    # -0.001 -> '0,00', not '-0,00'
        s = s[1:]
    return _vi(s) if lang == "vi" else s


def _vi(s: str) -> str:
    """1,234.5 -> 1.234,5 (str.translate is three times slower than this on a 600,000-cell export)."""
    if "," not in s:
        return s.replace(".", ",")
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def separators(lang: str = "vi") -> str:
    """The decimal mark then the thousands separator, as plotly's layout.separators takes them (charts write their
    axis and hover numbers themselves): ',.' in Vietnamese, '.,' in English."""
    return ",." if lang == "vi" else ".,"


def pct(x, decimals: int = 1, lang: str = "vi") -> str:
    """A share already in percent: 85.63 -> '85,6 %' (the space as Vietnamese and English style guides write it)."""
    s = num(x, decimals, lang)
    return s if s == DASH else s + " %"


def signed(x, decimals: int = 2, lang: str = "vi") -> str:
    """A change: '+1,25', '-0,80', and '0,00' with no sign when it rounds to zero (st.metric colours a delta by
    its first character: '-' red, anything else green)."""
    s = num(x, decimals, lang)
    return "+" + s if s != DASH and s[0] != "-" and s.strip("0.,") else s


def as_read(v, lang: str = "vi"):
    """A value as a file held it, for a message about that value: no fixed decimals (8,5 and 0,125), thousands
    grouped only from 10.000 (2026 is a year, not 2.026). Anything not a number is returned as it is."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v
    sep = "," if abs(v) >= 10_000 else ""
    s = f"{v:{sep}}" if isinstance(v, int) else f"{v:{sep}.10g}"
    return _vi(s) if lang == "vi" else s

