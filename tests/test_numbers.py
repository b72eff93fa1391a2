"""The one number formatter (etl/numbers.py), used by the loaders' messages, the pages, the exports and the
documents: each rule on a case worked out by hand."""
import math

import pandas as pd
import pytest

from etl import numbers as N


def test_vietnamese_and_english_separators():
    assert N.num(85.634) == "85,63"
    assert N.num(85.634, lang="en") == "85.63"
    assert N.num(1234567.891, 2) == "1.234.567,89"
    assert N.num(1234567.891, 2, "en") == "1,234,567.89"
    assert N.num(27198, 0) == "27.198" and N.num(27198, 0, "en") == "27,198"
    assert N.num(1234.5, 1, grouping=False) == "1234,5"          # the Vietnamese CSV


def test_a_half_is_rounded_away_from_zero_as_written():
    # 0.125 is exact in binary and Python's format rounds it to even (0.12); 70.695 is stored as 70.69499…
    # (Python writes 70.69). Excel shows 0,13 and 70,70, and so do we.
    assert f"{0.125:.2f}" == "0.12" and N.num(0.125) == "0,13"
    assert f"{70.695:.2f}" == "70.69" and N.num(70.695) == "70,70"
    assert f"{2.675:.2f}" == "2.67" and N.num(2.675) == "2,68"
    assert N.num(-70.695) == "-70,70"
    assert N.num(2.5, 0) == "3" and N.num(3.5, 0) == "4" and N.num(-2.5, 0) == "-3"
    assert N.num(85.6349, 2) == "85,63"                           # not a tie: ordinary rounding
    assert N.num(1234.565, 2) == "1.234,57"                       # grouping kept on the tie path


def test_nothing_to_show_is_a_dash():
    for x in (None, float("nan"), pd.NA, math.inf, -math.inf, "85", True):
        assert N.num(x) == "–", x
    assert N.pct(None) == "–" and N.signed(float("nan")) == "–"


def test_no_negative_zero():
    assert N.num(-0.0) == "0,00"
    assert N.num(-0.004) == "0,00"
    assert N.num(-0.4, 0) == "0"
    assert N.signed(-0.004) == "0,00" and N.signed(0.004) == "0,00" and N.signed(0) == "0,00"


def test_signed_changes_and_shares():
    assert N.signed(1.254) == "+1,25"
    assert N.signed(-0.8) == "-0,80"
    assert N.signed(1234.5, 1, "en") == "+1,234.5"
    assert N.pct(85.63) == "85,6 %" and N.pct(85.63, 1, "en") == "85.6 %"
    assert N.pct(100, 0) == "100 %"
    assert N.signed(3, 0) == "+3" and N.signed(-2, 0) == "-2"                  # places
    assert N.separators("vi") == ",." and N.separators("en") == ".,"


def test_numpy_and_pandas_numbers():
    import numpy as np
    assert N.num(np.float64(1.345)) == "1,35"                   # 1.345 is stored as 1.34499…: a tie as written
    assert N.num(np.int64(12345), 0) == "12.345"
    assert N.num(pd.array([1.5], dtype="Float64")[0], 1) == "1,5"


@pytest.mark.parametrize("v, vi, en", [(8.5, "8,5", "8.5"), (2026, "2026", "2026"), (1000001, "1.000.001", "1,000,001"),
                                       (0.125, "0,125", "0.125"), ("abc", "abc", "abc"), (None, None, None)])
def test_a_value_as_read_from_a_file(v, vi, en):
    assert N.as_read(v, "vi") == vi and N.as_read(v, "en") == en


def test_the_callers_use_it():
    """The loaders' messages, file sizes, the Vietnamese CSV and the pages' num() are this formatter."""
    from etl.files import mb
    from etl.problems import Problem, count_text
    from ui.i18n import num
    from ui.exports.tabular import _vi_number
    assert count_text(11680800) == "11.680.800" and count_text(27.55, "vi", 1) == "27,6"
    assert mb(25 * 1024 * 1024) == "25 MB" and mb(int(1.5 * 1024 * 1024)) == "1,5 MB"
    assert _vi_number(-0.001, 2) == "0,00" and _vi_number(1234.565, 2) == "1234,57"
    assert num(0.125, 2, "vi") == "0,13" and num(0.125, 2, "en") == "0.13"
    p = Problem("out_of_range", file="a.xlsx", value=12.5, expected="0–10")
    assert "12,5" in p.message("vi") and "12.5" in p.message("en")
