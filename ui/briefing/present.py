"""The presentation renderer: a briefing `Chart` as a plotly figure for a projector (large type, the colour-blind-safe
palette, values on the bars, whole names wrapped)."""
from __future__ import annotations

import textwrap

from ui import charts, safe
from ui.briefing.model import FOCUS, MAIN, Chart
from ui.i18n import lang, num
from ui.provinces import hover_source


def wrapped(s: str, width: int) -> str:
    """A whole name on a projector, as text: escaped for plotly (ui.safe.chart), then broken into lines of about
    `width` characters (plotly draws <br>), never cut short with "…"."""
    text = safe.chart(s)
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)) or text


def figure(chart: Chart, height: int | None = None, font_size: int = 22):
    """The chart for a projector: large type (axis labels and ticks ≥ 20 px), the colour-blind-safe palette,
    values printed on the bars, no gridline clutter."""
    fig = charts.figure()
    fmt = "%{y:.1f}" if chart.decimals == 1 else "%{y:.2f}"
    # whole names, wrapped: bar labels sit left of the bars (wider and 20 px when many, so that most keep to one
    # line in its band on a 720-pixel screen), column labels under the columns
    many = chart.kind == "bar" and len(chart.categories) > 6
    width = (56 if many else 30) if chart.kind == "bar" else 14
    shown = [wrapped(c, width) for c in chart.categories]
    for si, (name, values) in enumerate(chart.series):
        color = chart.colors[si] if si < len(chart.colors) else MAIN
        # the first series' figures say where each comes from (medians and units are computed, not quoted)
        src = dict(customdata=hover_source(chart.sources)) if si == 0 and chart.sources else {}
        tip = "<br>%{customdata}" if src else ""
        if chart.kind == "line":
            fig.add_scatter(x=shown, y=values, name=safe.chart(name), mode="lines+markers",
                            line=dict(width=6 if si == 0 else 4, color=color, dash="solid" if si == 0 else "dot"),
                            marker=dict(size=12 if si == 0 else 8), **src,
                            hovertemplate=f"%{{x}}: {fmt}{tip}<extra>{safe.chart(name)}</extra>")
            continue
        colors = [color] * len(chart.categories)
        if chart.highlight is not None and si == 0 and len(chart.series) == 1:
            colors[chart.highlight] = FOCUS
        text = ["" if v is None or (chart.stacked and abs(v) < 1e-9) else num(v, chart.decimals) for v in values]
        if chart.kind == "bar":
            fig.add_bar(y=shown, x=values, name=safe.chart(name), orientation="h", marker_color=colors, text=text,
                        textposition="inside" if chart.stacked else "outside", textfont=dict(size=font_size - 2),
                        constraintext="none", cliponaxis=False, **src,
                        hovertemplate=f"%{{y}}: {fmt.replace('y', 'x')}{tip}<extra>{safe.chart(name)}</extra>")
        else:
            fig.add_bar(x=shown, y=values, name=safe.chart(name), marker_color=colors, text=text,
                        textposition="inside" if chart.stacked else "outside", textfont=dict(size=font_size - 2),
                        constraintext="none", cliponaxis=False, **src,
                        hovertemplate=f"%{{x}}: {fmt}{tip}<extra>{safe.chart(name)}</extra>")
    if height:
        fig.update_layout(height=height)
    fig.update_layout(barmode="stack" if chart.stacked else "group", template="plotly_white",
                      font=dict(family=charts.FONT["family"], size=font_size, color="#111111"),
                      separators=",." if lang() == "vi" else ".,", showlegend=len(chart.series) > 1,
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, traceorder="normal",
                                  font=dict(size=font_size, color="#111111")),
                      margin=dict(l=10, r=30, t=50 if len(chart.series) > 1 else 16, b=10), bargap=0.25)
    value_axis = fig.update_xaxes if chart.kind == "bar" else fig.update_yaxes
    cat_axis = fig.update_yaxes if chart.kind == "bar" else fig.update_xaxes
    ink = dict(size=font_size, color="#111111")
    value_axis(title=dict(text=chart.axis_title, font=ink, standoff=8), tickfont=ink, gridcolor="#d4d4d4",
               zeroline=True, zerolinecolor="#111111", automargin=True)
    if chart.kind == "line":
        fig.update_xaxes(type="category")        # years as labels, not 2012.5
    cat_axis(tickfont=dict(ink, size=font_size - 2) if many else ink, automargin=True)   # ≥ 20 px: the back of the room
    if chart.value_max:
        value_axis(range=[0, chart.value_max * (1.12 if chart.kind == "bar" else 1.0)])
    elif chart.kind != "line":
        top = max((sum(v or 0 for v in vals) if chart.stacked else max((v or 0) for v in vals))
                  for vals in ([list(x) for x in zip(*[s[1] for s in chart.series])] if chart.stacked
                               else [s[1] for s in chart.series]))
        value_axis(range=[0, top * 1.15])
    if chart.kind == "bar":
        fig.update_yaxes(autorange="reversed")      # categories read top-down, as listed
    fig._labels_are_text = True     # categories (wrapped) and series names were escaped above (ui.safe.figure: once)
    return fig
