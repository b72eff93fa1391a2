"""The words written once (ui/labels.py, analysis/provenance.py): rank change and provenance, in both languages."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.provenance import is_illustrative
from ui import i18n, labels


@pytest.fixture
def lang():
    def use(code):
        i18n._RUN.lang = code
    yield use
    i18n._RUN.lang = None


def test_rank_change_in_a_table_and_in_a_sentence(lang):
    lang("vi")
    assert [labels.places(x) for x in (3, -2, 0, None, pd.NA)] == ["▲ 3 bậc", "▼ 2 bậc", "giữ nguyên", "–", "–"]
    assert [labels.places(x, sentence=True) for x in (3, -2, 0)] == ["tăng 3 bậc", "giảm 2 bậc", "giữ nguyên thứ hạng"]
    lang("en")
    assert [labels.places(x) for x in (3, -2, 0)] == ["▲ 3 places", "▼ 2 places", "unchanged"]
    assert labels.places(1, sentence=True) == "up 1 place(s)"


def test_rank_change_of_a_merged_unit_or_province(lang):
    lang("vi")
    assert labels.unit_places(2, "same", False) == "▲ 2 bậc"
    assert labels.unit_places(pd.NA, "predecessors", False) == "so với bình quân đơn vị tiền thân"
    assert labels.unit_places(pd.NA, None, False) == "đơn vị mới"
    assert labels.unit_places(pd.NA, None, True) == "–"                  # the first year held: nothing to compare
    assert labels.province_places(pd.NA, "members") == "so với bình quân tỉnh cũ"
    assert labels.province_places(-4, "same") == "▼ 4 bậc"


def test_provenance_labels(lang):
    lang("vi")
    s = pd.Series(["published", "derived", "illustrative", None, "other"])
    assert list(labels.provenances(s)) == ["Công bố", "Tính toán", "Minh họa", "–", "–"]
    assert [labels.provenance(p) for p in s] == list(labels.provenances(s))
    lang("en")
    assert list(labels.provenances(s[:3])) == ["Published", "Derived", "Illustrative"]


def test_is_illustrative_is_any_row():
    assert is_illustrative(pd.DataFrame(dict(provenance=["published", "illustrative"])))
    assert not is_illustrative(pd.DataFrame(dict(provenance=["published", "derived"])))
    assert not is_illustrative(pd.DataFrame(dict(provenance=[])))
    assert not is_illustrative(pd.DataFrame(dict(score=[1.0])))          # no provenance column
    assert is_illustrative(pd.DataFrame(dict(provenance_y=["illustrative"])), "provenance_y")
