"""Every chart goes through `style()`: one font and size readable on a projector, Vietnamese or English
number separators, and the "illustrative data" label drawn on the chart itself when it shows any."""
from __future__ import annotations

import os
import textwrap

import plotly.graph_objects as go
import streamlit as st

from etl import numbers
from ui import safe
from ui.palette import (BAD, BANDS, BASE, DIVERGING, GOOD, HOME, ILLUSTRATIVE_BACK, ILLUSTRATIVE_EDGE,  # noqa: F401
                        ILLUSTRATIVE_INK, INK, INK_LABEL, INK_SOFT, LABEL_BACK, NOTE, PAPI_QUARTILES, PEER,
                        SEQUENTIAL)
from ui.data import is_demo, national_version, run_version
from ui.i18n import lang, t

FONT = dict(family="'Source Sans 3', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif", size=15)
# the colours (HOME, BASE, PEER, GOOD, BAD, SEQUENTIAL, PAPI_QUARTILES…) are ui/palette.py's; pages read them here
# Plotly checks every value it is given; that costs 3–4× the build time of a figure. Property names are
# always checked; values are checked in the tests (conftest sets PAR_VALIDATE_CHARTS=1), not on every rerun.
VALIDATE = os.environ.get("PAR_VALIDATE_CHARTS") == "1"


def figure() -> go.Figure:
    """An empty figure; add traces with fig.add_bar(...), fig.add_scatter(...), fig.add_heatmap(...)."""
    return go.Figure(_validate=VALIDATE)


def style(fig: go.Figure, title: str | None = None, illustrative: bool = False, height: int = 420) -> go.Figure:
    # top band, from the top: title (left) and the illustrative label (right), then the legend.
    # Every chart of the demo carries the demo's mark, whatever its rows say.
    demo = is_demo()
    illustrative = illustrative or demo
    n_legend = sum(1 for tr in fig.data if tr.showlegend is not False)
    has_legend = n_legend > 1
    top = (44 if title or illustrative else 12) + (30 if has_legend else 0) + (22 if n_legend > 2 else 0)
    if title:      # never title=None: with validation off (the app), plotly then fails on a later title update
        fig.update_layout(title=dict(text=safe.chart(title), font=dict(size=18), x=0, xanchor="left", y=1, yref="container",
                                     yanchor="top", pad=dict(t=10)))
    fig.update_layout(
        template="plotly_white", font=FONT, height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        separators=numbers.separators(lang()),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        hoverlabel=dict(font_size=14))
    if illustrative:
        fig.add_annotation(text="⚠ " + t("demo_mark" if demo else "illustrative_chart"), xref="paper", yref="paper", x=1, y=1.0,
                           yshift=34 if has_legend else 4,
                           yanchor="bottom", xanchor="right", showarrow=False,
                           font=dict(size=13, color=ILLUSTRATIVE_INK), bgcolor=ILLUSTRATIVE_BACK, bordercolor=ILLUSTRATIVE_EDGE,
                           borderwidth=1, borderpad=3)
    return fig


def with_source(fig: go.Figure, caption: str, width: int = 100) -> go.Figure:
    """The source line goes inside the figure, under the title, so a downloaded PNG carries its title, its
    source and the illustrative label together."""
    lines = textwrap.wrap(caption, width)
    text = "<br>".join(safe.chart(x) for x in lines)     # plotly renders HTML; a source is text
    font = dict(size=12, color=NOTE)
    # a 12 px line takes 17–18 px in the browser: counted at 15 the last lines ran into the illustrative badge
    # the illustrative label sits `yshift` px above the plot (over a top legend): kept clear below the source
    badge = [a for a in fig.layout.annotations if "⚠" in str(a.text)]
    room = 22 + (badge[0].yshift or 0) if badge else 0
    top = (fig.layout.margin.t or 20) + 18 * len(lines) + (0 if fig.layout.title.text else 30) + room
    if fig.layout.title.text:
        fig.update_layout(title_subtitle=dict(text=text, font=font), margin_t=top)
    else:
        fig.update_layout(title=dict(text=text, font=font, x=0, xanchor="left", y=1, yref="container", yanchor="top",
                                     pad=dict(t=8)), margin_t=top)
    return fig


def show(fig: go.Figure, key: str, caption: str | None = None, filename: str | None = None, wrap: int = 100) -> None:
    """Draw a chart: the source inside it (see with_source), and the camera button saves a 2× PNG."""
    if caption:
        with_source(fig, caption, wrap)
    safe.figure(fig)                    # categories, legend names and point text from files are text
    _plot(fig, key, filename)


@st.cache_resource(max_entries=256, show_spinner=False)
def _finished(_build, key: tuple, caption: str | None, wrap: int) -> go.Figure:
    fig = _build()
    if caption:
        with_source(fig, caption, wrap)
    return safe.figure(fig)


def show_built(build, key: str, on: tuple, caption: str | None = None, filename: str | None = None,
               wrap: int = 100, national: bool = False) -> None:
    """`show` for a figure built once per database version, language and `on` (every choice `build` reads:
    index, year, province, ...) and then kept for every session: a rerun or another session with the same view only
    sends it (a page run of the league table spent most of its time building its three figures). `build()` returns
    a new figure; the kept one is never changed afterwards (its source line is added once, before it is kept).
    `national`: the figure reads only national results (ui.data.national_version), so it outlives a unit load."""
    version = national_version() if national else run_version()
    _plot(_finished(build, (version, lang(), key, on), caption, wrap), key, filename)


def _plot(fig: go.Figure, key: str, filename: str | None) -> None:
    """topojsonURL: plotly's geo maps fetch base layers from a CDN; ours are empty files served locally
    (static/topojson), since every map here draws the shipped province boundaries and nothing else."""
    st.plotly_chart(fig, width="stretch", key=key, config={
        "displaylogo": False, "topojsonURL": "app/static/topojson/",
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": filename or key}})


def break_line(fig: go.Figure, x: float, label: str, nth: int = 0) -> None:
    """A dashed vertical line marking a method break (a framework change, the 2025 restructuring); labels of
    successive breaks step down so that close breaks stay readable."""
    fig.add_vline(x=x, line_dash="dash", line_color=NOTE, line_width=1.5)
    fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=label, showarrow=False, yanchor="top",
                       xanchor="right", yshift=-20 * nth, font=dict(size=12, color=INK_SOFT),
                       bgcolor=LABEL_BACK)


def breaks(fig: go.Figure, marks: list[tuple[float, str]], lo: float, hi: float) -> None:
    """Draw the breaks that fall inside (lo, hi)."""
    for i, (x, label) in enumerate(m for m in marks if lo < m[0] < hi):
        break_line(fig, x, label, i)


# Viet Nam's archipelagos, on every map of the country: a few of their islands and reefs (approximate positions),
# and the name of each with the province it belongs to.
HOANG_SA = [(112.33, 16.83), (111.61, 16.53), (111.70, 16.45), (112.73, 16.67), (111.20, 15.78), (111.50, 17.10),
            (112.20, 16.98)]
TRUONG_SA = [(111.92, 8.64), (114.33, 11.43), (114.33, 9.88), (114.36, 10.18), (114.48, 10.38), (112.91, 7.89),
             (113.30, 8.18), (112.20, 8.85), (115.50, 9.90), (114.08, 10.82)]
MAP_LON = [101.8, 117.2]          # the mainland (102.1–109.5° E) and both archipelagos (to 115.5° E)
MAP_LAT = [7.3, 23.6]


def add_archipelagos(fig: go.Figure) -> go.Figure:
    """Hoàng Sa (Đà Nẵng) and Trường Sa (Khánh Hòa) drawn and named on a map of Viet Nam, and the view widened to
    hold them: a map without them cannot be shown in a government meeting."""
    for pts, key in ((HOANG_SA, "map_hoang_sa"), (TRUONG_SA, "map_truong_sa")):
        fig.add_scattergeo(lon=[p[0] for p in pts], lat=[p[1] for p in pts], mode="markers",
                           marker=dict(size=4, color=INK_SOFT), hoverinfo="text", text=[t(key)] * len(pts),
                           showlegend=False, name=t(key))
        lon = sum(p[0] for p in pts) / len(pts)
        lat = max(p[1] for p in pts) + 0.9
        fig.add_scattergeo(lon=[lon], lat=[lat], mode="text", text=[t(key)], textfont=dict(size=12, color=INK_LABEL),
                           hoverinfo="skip", showlegend=False, name=t(key))
    fig.update_geos(fitbounds=False, lonaxis_range=MAP_LON, lataxis_range=MAP_LAT)
    return fig
