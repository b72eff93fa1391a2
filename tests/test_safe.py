"""ui/safe.py: each renderer gets a name back exactly as typed, and nothing it could read as markup (issue 23).
What the browser finally shows is checked in tests/test_browser_names.py; these check the functions."""
from __future__ import annotations

import html
import io
import re
import string

import pytest
from lxml import etree

from tests.hostile import HOSTILE, SHOWN
from ui import safe

MARKUP = set("\\`*_{}[]()<>#+-.!|$:~&")        # what CommonMark, GFM and Streamlit read as syntax


def _unescape_md(s: str) -> str:
    """What CommonMark shows for text in which every ASCII punctuation is backslash-escaped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s).replace(safe.JOINER, "")


@pytest.mark.parametrize("name", HOSTILE + ["Sở a@b.vn, www.x.vn, :smile:, 10:30", "&lt; đã là thực thể &amp;"])
def test_markdown_reads_as_typed_and_holds_no_markup(name):
    out = safe.md(name)
    assert _unescape_md(out) == " ".join(name.split("\n"))         # as typed, on one line
    assert "\n" not in out
    # every markup character is escaped (a backslash before it), so Markdown reads none as syntax
    plain = out.replace(safe.JOINER, "")
    i = 0
    while i < len(plain):
        if plain[i] == "\\":
            assert plain[i + 1] in string.punctuation
            i += 2
            continue
        assert plain[i] not in MARKUP, (plain, i)
        i += 1
    # what Streamlit links or turns into icons after parsing is broken up
    assert not re.search(r"(?i)https?:|www\.|@\w|:[\w+-][\w+/-]*:", re.sub(r"\\(.)", r"\1", out))


def test_markdown_of_the_old_escaper_cases():
    assert safe.md("**đậm**") == r"\*\*đậm\*\*"
    assert safe.md(":red[đỏ]") == r"\:red\[đỏ\]"
    assert safe.md("Sở Tư pháp") == "Sở Tư pháp"                   # ordinary names unchanged


@pytest.mark.parametrize("name", HOSTILE)
def test_chart_text_round_trips_and_has_no_tag(name):
    out = safe.chart(name)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == name                               # plotly decodes entities: shown as typed


def test_html_text_has_no_tag():
    for name in HOSTILE:
        out = safe.html_text(name)
        assert "<" not in out and '"' not in out and html.unescape(out) == name


def test_doc_text_is_valid_xml():
    odd = "Sở\x01 Tư\x0b pháp\ufffe & <b>\tmới\n"
    out = safe.doc(odd)
    assert out == "Sở Tư pháp & <b>\tmới\n"
    etree.fromstring(f"<t>{html.escape(out)}</t>".encode())          # lxml accepts it


def test_figure_escapes_labels_and_leaves_numbers_and_hover_code():
    import pandas as pd
    import plotly.graph_objects as go
    fig = go.Figure()
    fig.add_bar(y=pd.Series(SHOWN[:3]), x=[1.0, 2.0, 3.0], name=SHOWN[4], text=["1,0", "2,0", "3,0"],
                customdata=["a<br>b"] * 3, hovertemplate="%{y}<br>%{customdata}<extra></extra>")
    fig.add_heatmap(z=[[1, 2]], x=[2023, 2024], y=[SHOWN[2]], text=[[SHOWN[3], "x"]])
    safe.figure(fig)
    assert [html.unescape(v) for v in fig.data[0].y] == SHOWN[:3] and all("<" not in v for v in fig.data[0].y)
    assert html.unescape(fig.data[0].name) == SHOWN[4] and "<" not in fig.data[0].name
    assert list(fig.data[0].x) == [1.0, 2.0, 3.0] and list(fig.data[1].x) == [2023, 2024]
    assert list(fig.data[0].customdata) == ["a<br>b"] * 3                  # written by the code: left as is
    assert fig.data[0].hovertemplate == "%{y}<br>%{customdata}<extra></extra>"
    assert html.unescape(fig.data[1].text[0][0]) == SHOWN[3] and "<" not in fig.data[1].text[0][0]
    safe.figure(fig)                          # shown again (a figure kept by st.cache_resource): escaped once
    assert [html.unescape(v) for v in fig.data[0].y] == SHOWN[:3]


def test_chart_helpers_escape_titles_and_every_shown_figure(app_db):
    from ui import charts
    fig = charts.figure().add_bar(y=[SHOWN[2]], x=[1.0], name=SHOWN[3])
    charts.style(fig, "Tiêu đề " + SHOWN[2])
    assert "<a" not in fig.layout.title.text and html.unescape(fig.layout.title.text) == "Tiêu đề " + SHOWN[2]


def test_pack_keeps_hostile_names_and_control_characters_as_text():
    from pptx import Presentation
    from ui.briefing.model import Chart, PackTexts, Screen
    from ui.briefing.pack import build
    odd = SHOWN[0] + "\x01"
    s = Screen("units", "Đơn vị", f"Thấp nhất: {odd}", Chart("bar", [odd, SHOWN[2]], [("Chỉ số", [50.0, 60.0])], "%"),
               "Nguồn " + SHOWN[1], False)
    prs = Presentation(io.BytesIO(build([s], PackTexts("T", "S", "M", "I", "IN", "N", "C"))))
    slide = list(prs.slides)[1]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    assert f"Thấp nhất: {SHOWN[0]}" in texts
    chart = [sh for sh in slide.shapes if sh.has_chart][0].chart
    assert list(chart.plots[0].categories) == [SHOWN[0], SHOWN[2]]
