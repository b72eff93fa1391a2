"""Text from loaded files (unit, criterion and agency names, file and source titles) shown as text: one function
per renderer that would otherwise read it as markup. Pages put such text into a sentence, caption, button label,
chart or document only through these:

- `md(text)`: Streamlit Markdown (st.markdown, st.caption, st.info, st.toast, widget labels, metric labels);
- `html_text(text)`: st.html;
- `chart(text)`: plotly text (titles, tick labels, legend names, hover text, annotations), which draws a subset of
  HTML (`<a href>`, `<b>`, `<i>`, `<br>`, `<span style>`) and decodes entities;
- `doc(text)`: PowerPoint and Word runs (plain text, but XML 1.0 refuses control characters);
- `figure(fig)`: every category, label, legend name and trace text of a plotly figure through `chart()`, done once
  by the chart helpers (ui.charts.show, ui.briefing.present.figure) so that no page has to remember it.
"""
from __future__ import annotations

import html
import re

# Every ASCII character CommonMark, GFM (tables, strikethrough), Streamlit's maths ($), directives (:red[..]) and
# icon codes (:material/..:) would read as markup; a backslash before any ASCII punctuation is always literal.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|$:~=&\"'^])")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


# Streamlit turns some text into links and icons after the Markdown is parsed, where backslashes no longer count:
# web addresses and e-mail addresses (GFM autolinks) and icon or emoji codes (:material/home:, :smile:). An
# invisible WORD JOINER (U+2060) inside each keeps them text; the name looks the same (a copy of it holds the
# joiner).
JOINER = "\u2060"
_POST_PARSE = (re.compile(r"(?i)\b(h)(?=ttps?:)"), re.compile(r"(?i)\b(w)(?=ww\.)"), re.compile(r"(@)"),
               re.compile(r"(:)(?=[\w+-][\w+/-]*:)"))


def md(text) -> str:
    """Text into Streamlit Markdown, read exactly as typed (line breaks become spaces: a name is one line)."""
    s = _LINE_BREAKS.sub(" ", str(text))
    for pattern in _POST_PARSE:
        s = pattern.sub(lambda m: m.group(1) + JOINER, s)
    return _MD_SPECIAL.sub(r"\\\1", s)


def chart(text) -> str:
    """Text into a plotly label: `<`, `>` and `&` as entities, which plotly draws as the characters."""
    return html.escape(str(text), quote=False)


def html_text(text) -> str:
    """Text into st.html: every character HTML would read as markup as an entity."""
    return html.escape(str(text))


def doc(text) -> str:
    """Text into a PowerPoint or Word run: characters XML 1.0 cannot hold are dropped (tab and line breaks stay)."""
    return _XML_INVALID.sub("", str(text))


# trace properties that carry data labels (categories, point text, legend names). Hover text the code composes
# (with an intended <br>) goes into customdata and hovertemplate, which are left alone: whoever builds them
# escapes the names they hold with `chart()`.
_TRACE_TEXT = ("x", "y", "text", "hovertext", "name", "labels")


def _escaped(value):
    if isinstance(value, str):
        return chart(value)
    if isinstance(value, (bytes, dict)) or not hasattr(value, "__iter__"):
        return value                        # a number, a date, None
    seq = value.tolist() if hasattr(value, "tolist") else list(value)      # list, tuple, array, Series
    if any(isinstance(v, (str, list, tuple)) for v in seq):
        return [_escaped(v) for v in seq]
    return value


def figure(fig):
    """Every data label of a figure as text (see `chart`); the figure is changed in place and returned. Once only:
    a figure kept in a cache (st.cache_resource) and shown again is not escaped twice."""
    if getattr(fig, "_labels_are_text", False):
        return fig
    for trace in fig.data:
        for prop in _TRACE_TEXT:
            if prop in trace:
                value = trace[prop]
                if value is not None:
                    new = _escaped(value)
                    if new is not value:
                        trace[prop] = new
    fig._labels_are_text = True
    return fig
