"""The PowerPoint briefing pack (python-pptx): a title slide, one slide per briefing screen (the headline as
title, the chart as a native PowerPoint chart that stays editable, the source, note and any illustrative label
in the footer) and a closing slide with sources and methodology notes.

Pure: it takes the screens and texts already computed (ui/briefing/screens.py) and returns bytes, so it can run in the
download button's own thread, only when clicked."""
from __future__ import annotations

import io
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from ui import safe
from ui.briefing.model import FOCUS, MAIN, Chart, PackTexts, Screen

FONT = "Arial"          # every Vietnamese glyph on Windows and macOS; LibreOffice maps it to Liberation Sans
DARK, GREY, AMBER_BG, AMBER = "111111", "555555", "FEF3C7", "92400E"
W, H = Inches(13.333), Inches(7.5)       # 16:9


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_.lstrip("#").upper())


def _text(slide, left, top, width, height, text: str, size: int, bold: bool = False, color: str = DARK,
          align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, fill: str | None = None):
    box = slide.shapes.add_textbox(left, top, width, height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.08)
    for i, line in enumerate(safe.doc(text).split("\n")):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = _rgb(color)
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb(fill)
    return box


def _title(slide, left, top, width, height, text: str, size: int, color: str = DARK):
    """The slide's own title placeholder (PowerPoint's outline, navigation and accessibility checker read it),
    placed and styled like the rest of the pack."""
    ph = slide.shapes.title
    ph.left, ph.top, ph.width, ph.height = left, top, width, height
    tf = ph.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.margin_left = tf.margin_right = Inches(0.08)
    tf.text = safe.doc(text)
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for run in p.runs:
            run.font.size, run.font.bold, run.font.name = Pt(size), True, FONT
            run.font.color.rgb = _rgb(color)


def _chart_type(c: Chart):
    if c.kind == "line":
        return XL_CHART_TYPE.LINE_MARKERS
    if c.kind == "bar":
        return XL_CHART_TYPE.BAR_STACKED if c.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    return XL_CHART_TYPE.COLUMN_STACKED if c.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED


def add_chart(slide, c: Chart, left, top, width, height):
    data = CategoryChartData(number_format="0.0" if c.decimals == 1 else "0.00")
    data.categories = [safe.doc(x) for x in c.categories]
    for name, values in c.series:
        data.add_series(safe.doc(name), [None if v is None else round(float(v), 4) for v in values])
    frame = slide.shapes.add_chart(_chart_type(c), left, top, width, height, data)
    chart = frame.chart
    chart.font.size, chart.font.name = Pt(16), FONT
    chart.has_title = False                 # the slide title is the headline
    chart.has_legend = len(c.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(16)
    plot = chart.plots[0]
    if c.kind != "line":
        plot.gap_width = 60
        if not c.stacked and len(c.series) > 1:
            plot.overlap = -10
    for si, series in enumerate(plot.series):
        color = _rgb(c.colors[si] if si < len(c.colors) else MAIN)
        if c.kind == "line":
            series.format.line.color.rgb = color
            series.format.line.width = Pt(4.5 if si == 0 else 3)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
            if c.highlight is not None and si == 0 and len(c.series) == 1:
                pt = series.points[c.highlight]
                pt.format.fill.solid()
                pt.format.fill.fore_color.rgb = _rgb(FOCUS)
        if c.kind != "line" and not (c.stacked and si > 0):
            series.data_labels.show_value = True
            series.data_labels.number_format = "0.0" if c.decimals == 1 else "0.00"
            series.data_labels.number_format_is_linked = False
            series.data_labels.font.size = Pt(14)
            series.data_labels.position = XL_LABEL_POSITION.INSIDE_END if c.stacked else XL_LABEL_POSITION.OUTSIDE_END
            if c.stacked:
                series.data_labels.font.color.rgb = _rgb("FFFFFF")
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = _rgb("D4D4D4")
    va.tick_labels.font.size = Pt(16)
    va.has_title = True
    va.axis_title.text_frame.text = safe.doc(c.axis_title)
    va.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(16)
    va.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    if c.value_max:
        va.minimum_scale, va.maximum_scale = 0, c.value_max
    elif c.kind != "line":
        va.minimum_scale = 0
    ca = chart.category_axis
    ca.tick_labels.font.size = Pt(16 if len(c.categories) <= 6 else 14 if len(c.categories) <= 8 else 12)
    if c.kind == "bar":
        ca.reverse_order = True        # categories read top-down, as listed (the value axis moves to the top)
    _label_every_category(ca)
    if c.kind == "bar":
        _inner_plot_area(chart, x=0.34, y=0.2 if chart.has_legend else 0.1, w=0.62, h=0.72 if chart.has_legend else 0.8)
    return chart


def _inner_plot_area(chart, x: float, y: float, w: float, h: float) -> None:
    """Fix the plot area (fractions of the chart), leaving the left third to the category labels: left to
    itself, LibreOffice gives long labels too little room, wraps one and then hides every other label."""
    from lxml import etree
    from pptx.oxml.ns import qn
    plot_area = chart._chartSpace.chart.plotArea
    old = plot_area.find(qn("c:layout"))
    if old is not None:
        plot_area.remove(old)
    layout = etree.SubElement(plot_area, qn("c:layout"))
    plot_area.remove(layout)
    plot_area.insert(0, layout)
    ml = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, val in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge"), ("x", x), ("y", y),
                     ("w", w), ("h", h)):
        etree.SubElement(ml, qn(f"c:{tag}")).set("val", str(val))


def _label_every_category(axis) -> None:
    """Without tickLblSkip, LibreOffice drops every other label once one of them wraps to two lines."""
    from pptx.oxml.ns import qn
    from lxml import etree
    ax = axis._element
    if ax.find(qn("c:tickLblSkip")) is not None:
        return
    skip = etree.SubElement(ax, qn("c:tickLblSkip"))
    skip.set("val", "1")
    after = ax.find(qn("c:noMultiLvlLbl"))
    if after is not None:
        after.addprevious(skip)


def _footer(slide, screen: Screen, texts: PackTexts, page: str):
    y = H - Inches(0.95)
    parts = [screen.note] if screen.note else []
    parts.append(screen.source)
    _text(slide, Inches(0.5), y, W - Inches(3.6), Inches(0.85), "\n".join(parts), 11, color=GREY)
    _text(slide, W - Inches(1.1), y + Inches(0.45), Inches(0.8), Inches(0.35), page, 12, color=GREY, align=PP_ALIGN.RIGHT)
    if screen.illustrative:
        _text(slide, W - Inches(3.0), y, Inches(2.5), Inches(0.4), "⚠ " + texts.illustrative_label, 13, bold=True,
              color=AMBER, fill=AMBER_BG, align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def build(screens: list[Screen], texts: PackTexts) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    title_only = prs.slide_layouts[5]            # a title placeholder and nothing else
    n = len(screens) + 2

    s = prs.slides.add_slide(title_only)
    _title(s, Inches(0.8), Inches(2.2), W - Inches(1.6), Inches(1.2), texts.title, 40)
    _text(s, Inches(0.8), Inches(3.4), W - Inches(1.6), Inches(0.8), texts.subtitle, 28, color="333333")
    _text(s, Inches(0.8), Inches(4.4), W - Inches(1.6), Inches(0.5), texts.made, 14, color=GREY)
    if any(x.illustrative for x in screens):
        _text(s, Inches(0.8), Inches(5.2), W - Inches(1.6), Inches(0.7), "⚠ " + texts.illustrative_note, 16,
              color=AMBER, fill=AMBER_BG, anchor=MSO_ANCHOR.MIDDLE)

    for i, screen in enumerate(screens, start=2):
        s = prs.slides.add_slide(title_only)
        label = screen.section + (f" · {texts.internal_tag}" if screen.internal else "")
        long = len(screen.headline) > 100            # three lines at 26 pt: a smaller title, the chart keeps its room
        _title(s, Inches(0.5), Inches(0.6), W - Inches(1), Inches(1.1), screen.headline, 22 if long else 26)
        _text(s, Inches(0.5), Inches(0.25), W - Inches(1), Inches(0.4), label.upper(), 13, bold=True, color=GREY)
        if screen.chart is not None:
            add_chart(s, screen.chart, Inches(0.5), Inches(1.8), W - Inches(1), H - Inches(2.9))
        _footer(s, screen, texts, f"{i}/{n}")

    s = prs.slides.add_slide(title_only)
    _title(s, Inches(0.5), Inches(0.4), W - Inches(1), Inches(0.8), texts.closing_title, 30)
    body = "\n".join(texts.method_notes + [""] + ["• " + x for x in texts.sources])
    _text(s, Inches(0.5), Inches(1.3), W - Inches(1), H - Inches(1.9), body, 13, color="222222")
    _text(s, W - Inches(1.1), H - Inches(0.5), Inches(0.8), Inches(0.35), f"{n}/{n}", 12, color=GREY, align=PP_ALIGN.RIGHT)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()



