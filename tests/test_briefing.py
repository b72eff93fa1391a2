"""The briefing: the sequence's headlines against SQL, the PowerPoint pack opened with python-pptx (slides,
titles = headlines, native charts holding the screens' values, footers), and the page in both modes (AppTest)."""
from __future__ import annotations

import io
import logging

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from helpers import run_page
from ui.safe import md

logging.getLogger("streamlit").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def dt2015(built_db):
    from ui.briefing import screens as B
    return B.sequence("87", 2015), B.pack_texts("87", 2015)


def _sql_rank(con, year: int, code: str, index: str = "PAR INDEX") -> tuple[int, int]:
    """Published rank where there is one, else the rank by score: independent of the app's league code."""
    r = con.execute("""
        with y as (select province_code, rank, rank() over (order by score desc) as by_score, count(*) over () as n
                   from province_scores where index_name = $i and measure_code = 'total' and year = $y)
        select coalesce(rank, by_score), n from y where province_code = $c""", {"i": index, "y": year, "c": code}).fetchone()
    return int(r[0]), int(r[1])


def test_sequence_order_and_headlines(dt2015, con):
    screens, _ = dt2015
    assert [s.key for s in screens] == ["overview", "position", "weak", "trend", "target", "units", "criteria"]
    rank, n = _sql_rank(con, 2015, "87")
    prev, _ = _sql_rank(con, 2014, "87")
    assert (rank, n) == (8, 63)                     # Đồng Tháp 8/63 in 2015, as the press reported
    move = f"tăng {prev - rank} bậc" if prev > rank else f"giảm {rank - prev} bậc"
    assert screens[1].headline == f"Đồng Tháp xếp thứ 8/63 về Chỉ số CCHC năm 2015, {move} so với năm 2014."
    assert "PAR INDEX 8/63" in screens[0].headline
    assert all(s.headline and s.chart is not None and s.source for s in screens)
    assert [s.internal for s in screens] == [False] * 5 + [True] * 2
    # every screen here shows illustrative values somewhere, and says so
    assert all(s.illustrative for s in screens)


def test_position_chart_is_the_neighbourhood(dt2015, con):
    pos = dt2015[0][1].chart
    assert len(pos.categories) == 11 and pos.categories[pos.highlight] == "8. Đồng Tháp"
    scores = [v for v in pos.series[0][1]]
    assert scores == sorted(scores, reverse=True)
    want = con.execute("select score from province_scores where index_name = 'PAR INDEX' and measure_code = 'total' "
                       "and year = 2015 and province_code = '87'").fetchone()[0]
    assert scores[pos.highlight] == pytest.approx(float(want))


def test_weakest_units_and_criteria_match_sql(dt2015, con):
    units, criteria = dt2015[0][5], dt2015[0][6]
    low = con.execute("""
        select unit_name, 100 * sum(final_score) / sum(max_points) as pct from unit_scores
        where unit_level = 'department' and year = 2015 and item_depth = 'domain'
        group by unit_name order by pct limit 1""").fetchone()
    assert low[0] in units.headline and low[0][:20] in units.chart.categories[0]
    assert units.chart.series[0][1][0] == pytest.approx(low[1], abs=0.05)
    # 2015 is known from its annex only (domain scores): the criteria come from 2017, the closest year with them
    assert "Năm 2015 chỉ có điểm theo lĩnh vực; tiêu chí lấy từ năm 2017" in criteria.note
    lost = con.execute("""
        select item_code, sum(max_points - final_score) as lost from unit_scores
        where unit_level = 'department' and year = 2017 and item_depth = 'criterion'
        group by item_code order by lost desc limit 1""").fetchone()
    assert criteria.chart.categories[0].startswith(lost[0] + ".")
    assert criteria.chart.series[0][1][0] == pytest.approx(lost[1], abs=0.01)


def test_sequence_after_the_merger_and_without_internal(built_db):
    from ui.briefing import screens as B
    s = B.sequence("82", 2025, internal=False)       # p34 82 = the new Đồng Tháp
    assert s[0].headline.startswith("Đồng Tháp năm 2025") and "/34" in s[0].headline
    assert "34 tỉnh, thành phố mới" in s[1].headline
    assert not any(x.internal for x in s)
    # one year on the 34-province list: the trend runs through the mean of the old provinces before 2025
    assert [x.key for x in s] == ["overview", "position", "weak", "trend", "target"]


def _slide_texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def test_pack_slides_titles_and_native_charts(dt2015):
    from ui.briefing.pack import build
    screens, texts = dt2015
    prs = Presentation(io.BytesIO(build(screens, texts)))
    slides = list(prs.slides)
    assert len(slides) == len(screens) + 2
    assert slides[0].shapes.title.text == texts.title and "Đồng Tháp · năm 2015" in _slide_texts(slides[0])
    assert slides[-1].shapes.title.text == texts.closing_title
    for slide in slides:                                  # no empty placeholder ("Click to add text") left behind
        assert all(sh.text_frame.text for sh in slide.placeholders)
    for slide, screen in zip(slides[1:-1], screens):
        body = _slide_texts(slide)
        # the headline is the slide's title placeholder (PowerPoint's outline and accessibility checker read it)
        assert slide.shapes.title is not None and slide.shapes.title.text == screen.headline
        charts = [sh for sh in slide.shapes if sh.has_chart]
        assert len(charts) == 1 and not any(sh.shape_type == 13 for sh in slide.shapes)   # a chart, not a picture
        chart = charts[0].chart
        assert list(chart.plots[0].categories) == screen.chart.categories
        for got, (name, values) in zip(chart.plots[0].series, screen.chart.series):
            assert got.name == name
            assert list(got.values) == pytest.approx([round(v, 4) for v in values])
        footer = "\n".join(body)
        assert screen.source in footer
        assert ("⚠ " + texts.illustrative_label in footer) == screen.illustrative
    kinds = {s.key: sh.chart.chart_type for s, sl in zip(screens, slides[1:-1]) for sh in sl.shapes if sh.has_chart}
    assert kinds["trend"] == XL_CHART_TYPE.LINE_MARKERS and kinds["position"] == XL_CHART_TYPE.BAR_CLUSTERED
    assert kinds["target"] == XL_CHART_TYPE.BAR_STACKED and kinds["overview"] == XL_CHART_TYPE.COLUMN_CLUSTERED
    closing = "\n".join(_slide_texts(slides[-1]))
    assert texts.closing_title in closing and "PAPI" in closing and "minh họa" in closing.lower()
    for developer_word in ("`", ".py", "provenance", "etl/", "seed", "hạt giống"):    # an official reads this slide
        assert developer_word not in closing, developer_word


def test_pack_escapes_nothing_and_keeps_odd_names_as_text():
    """A unit name with markup or a formula goes into the slide as plain text."""
    from ui.briefing.model import Chart, PackTexts, Screen
    from ui.briefing.pack import build
    odd = '<script>alert(1)</script> =HYPERLINK("x") Sở & "Ban"'
    s = Screen("units", "Đơn vị", f"Thấp nhất: {odd}", Chart("bar", [odd, "B"], [("Chỉ số", [50.0, 60.0])], "%"),
               "Nguồn", False)
    prs = Presentation(io.BytesIO(build([s], PackTexts("T", "S", "M", "I", "IN", "N", "C"))))
    assert f"Thấp nhất: {odd}" in _slide_texts(list(prs.slides)[1])
    chart = [sh for sh in list(prs.slides)[1].shapes if sh.has_chart][0].chart
    assert list(chart.plots[0].categories)[0] == odd


# --- the page --------------------------------------------------------------------------------------------

def _htmls(at) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_page_normal_mode_lists_the_sequence(dt2015):
    at = run_page("briefing", year=2015, province="p63:87")
    text = "\n".join(m.value for m in at.markdown)
    for s in dt2015[0]:
        assert md(s.headline) in text              # as text: Markdown escaped (ui.safe)
    assert at.button(key="bf_start").label == "Bắt đầu trình chiếu"
    assert at.get("download_button")
    at.toggle(key="bf_internal").set_value(False).run()
    assert at.query_params["internal"] == "0"
    text = "\n".join(m.value for m in at.markdown)
    assert md(dt2015[0][4].headline) in text and md(dt2015[0][5].headline) not in text
    at.button(key="bf_go_3").click().run()                  # ▶ on the third screen starts presenting there
    assert at.query_params["present"] == "1" and at.query_params["step"] == "3"
    assert "3/5" in _htmls(at) and dt2015[0][2].headline in _htmls(at)


def test_page_present_mode_steps_with_buttons(dt2015):
    screens = dt2015[0]
    at = run_page("briefing", year=2015, province="p63:87", present=1, step=2)
    assert screens[1].headline in _htmls(at) and "2/7" in _htmls(at)
    assert not at.title                                     # no page title, no controls: one message
    assert at.button(key="bf_next").proto.shortcut.lower() == "right" and at.button(key="bf_prev").proto.shortcut.lower() == "left"
    at.button(key="bf_next").click().run()
    assert at.query_params["step"] == "3" and screens[2].headline in _htmls(at)
    at.button(key="bf_prev").click().run()
    at.button(key="bf_prev").click().run()
    assert at.query_params["step"] == "1" and at.button(key="bf_prev").disabled
    assert screens[0].headline in _htmls(at)
    at.button(key="bf_exit").click().run()
    assert "present" not in at.query_params and at.title[0].value == "Trình chiếu và bộ slide"


@pytest.mark.parametrize("step,shown", [("99", "7/7"), ("0", "1/7"), ("abc", "1/7")])
def test_page_present_mode_bad_step_in_url(step, shown):
    at = run_page("briefing", year=2015, province="p63:87", present=1, step=step)
    assert shown in _htmls(at)


def test_page_present_mode_english_after_merger():
    at = run_page("briefing", "en", year=2025, province="p63:87", present=1, step=2, internal=0)
    html = _htmls(at)
    assert "Dong Thap ranked" in html and "of the 34 new provinces" in html and "2/5" in html
    assert at.button(key="bf_next").label == "Next"


def test_every_quoted_figure_on_a_screen_says_where_it_comes_from(dt2015, con):
    """The province's figures on the overview, position, domain and trend screens carry their source on hover:
    the press article for a published one, the illustrative label for a generated one."""
    from ui.briefing import present
    screens = {s.key: s for s in dt2015[0]}
    pos = screens["position"].chart
    assert len(pos.sources) == len(pos.categories)
    fig = present.figure(pos)
    tips = list(fig.data[0].customdata)
    mine = tips[pos.highlight]                                    # Đồng Tháp 2015: its rank is from its portal
    title = con.execute("select title from source where source_key = 'DT-PORTAL-2016'").fetchone()[0]
    assert mine.startswith("Nguồn: ") and title.replace("&", "&amp;")[:30] in mine
    assert any("minh họa" in x for x in tips)                     # its neighbours are generated in the demo
    for key in ("overview", "weak", "trend"):
        ch = screens[key].chart
        assert ch.sources and len(ch.sources) == len(ch.categories), key
        fig = present.figure(ch)
        assert all(x.startswith("Nguồn: ") for x in fig.data[0].customdata), key
        assert "%{customdata}" in fig.data[0].hovertemplate, key
        assert fig.data[1].customdata is None                      # the national median is computed, not quoted


# --- after the 2025 merger, any unit year, whole names (issue 19) ------------------------------------------

def test_the_trend_screen_survives_the_merger(built_db, con):
    """2025 had no trend screen (one year in the new scheme): the years before show the mean of the old provinces
    that formed the new one, as the trends page does; no rank is compared across the merger."""
    from ui.briefing import screens as B
    screens = {s.key: s for s in B.sequence("82", 2025)}
    tr = screens["trend"]
    cats = tr.chart.categories
    assert cats[0] == "2012" and cats[-1] == "2025"
    members = con.execute("""select old_code from province_crosswalk where new_code = '82' and new_scheme = 'p34'""").fetchall()
    assert sorted(m[0] for m in members) == ["82", "87"]
    mean_2012 = con.execute("""select avg(score) from province_scores where index_name = 'PAR INDEX'
                               and measure_code = 'total' and year = 2012 and province_code in ('82', '87')""").fetchone()[0]
    mx = B._index_max("PAR INDEX", 2012)
    assert tr.chart.series[0][1][0] == pytest.approx(100 * mean_2012 / mx)
    assert "bình quân" in tr.headline and "hạng" not in tr.headline
    assert "không so thứ hạng" in tr.note


def test_any_loaded_unit_year_can_be_briefed(built_db):
    from ui.briefing import screens as B
    years = B.unit_years("87", 2015, "department")
    assert 2024 in years
    screens = {s.key: s for s in B.sequence("87", 2015, level="department", unit_year=2024)}
    assert "năm 2024" in screens["units"].headline
    at = run_page("briefing", year=2015, province="p63:87", uyear=2024)
    assert at.selectbox(key="w_uyear").value == 2024
    assert "năm 2024" in "\n".join(m.value for m in at.markdown)


def test_names_are_whole_in_chart_data_and_wrapped_on_screen(built_db):
    """Names were cut to 22–38 characters with "…" in the charts (and so in the editable PowerPoint charts)."""
    from ui import safe
    from ui.briefing import present, screens as B
    screens = B.sequence("87", 2024)
    cats = [c for s in screens if s.chart for c in s.chart.categories]
    assert not any("…" in c for c in cats)
    longest = max(cats, key=len)
    assert len(longest) > 40
    weak = next(s for s in screens if s.key == "weak")
    fig = present.figure(weak.chart)
    shown = list(fig.data[0].y)
    assert any("<br>" in y for y in shown)
    assert [y.replace("<br>", " ") for y in shown] == [safe.chart(c) for c in weak.chart.categories]


def test_the_plan_screen_tracks_the_home_province_plan(built_db, con):
    """Issue 21: the briefing ends with the province's plan for the year against its results, per lead agency,
    as SQL computes them; it is in the PowerPoint pack; another province's briefing has no such screen."""
    from test_plan import expected_status
    from ui.briefing import screens as B
    from ui.briefing.pack import build
    screens = B.sequence("82", 2025)
    plan = screens[-1]
    assert plan.key == "plan" and plan.internal and plan.illustrative
    status = expected_status(con, 2025)
    agencies = dict(con.execute("select line_no, agency from plan_line where plan_year = 2025").fetchall())
    missed = {}
    for n, (s, _) in status.items():
        missed[agencies[n]] = missed.get(agencies[n], 0) + (s == "missed")
    worst = sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    k = sum(s == "reached" for s, _ in status.values())
    assert plan.headline == (f"Kế hoạch năm 2025: đạt {k}/{len(status)} chỉ tiêu; chưa đạt nhiều nhất: "
                             f"{worst[0]} ({worst[1]} chỉ tiêu).")
    got = dict(zip(plan.chart.categories, plan.chart.series[1][1]))
    assert got == {a: float(m) for a, m in missed.items()}
    prs = Presentation(io.BytesIO(build(screens, B.pack_texts("82", 2025))))
    assert plan.headline in _slide_texts(list(prs.slides)[-2])
    assert "plan" not in [s.key for s in B.sequence("01", 2024)]          # Hà Nội's briefing: not our plan
