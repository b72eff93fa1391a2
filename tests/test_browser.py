"""Real browser (Debian's Chromium via Playwright): the first page renders with Vietnamese text,
at 1280×720 and 1920×1080; screenshots are kept in tests/artifacts for review."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browserkit import ART, CHROMIUM, Server, browser_context, download, open_page, settle, wait_idle

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required for the browser tests in CI (apt-get install chromium)")
    pytest.skip("Chromium not installed on this machine", allow_module_level=True)


@pytest.fixture(scope="module")
def server(built_db):
    with Server() as s:
        yield s.url


@pytest.fixture(scope="module")
def browser_ctx(tmp_path_factory):
    with browser_context(tmp_path_factory.mktemp("chrome")) as ctx:
        yield ctx


def _ready(page):
    wait_idle(page)
    page.wait_for_selector('[data-testid="stMetric"]')


def test_a_shared_deep_link_opens_its_page_on_a_fresh_server(browser_ctx):
    """The first visit to a freshly started server is a shared link: its page opens, with no "Page not found" modal.
    Streamlit's legacy folder routing shows that modal on every run when the pages sit in a folder named pages/
    (streamlit/streamlit#9624); they live in app_pages/ and the app is served with plain `streamlit run app.py`."""
    with Server() as s:
        page = browser_ctx.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, f"{s.url}/xep-hang-toan-quoc?index=PAPI&year=2023")
        text = page.inner_text("body")
        assert "Page not found" not in text and page.locator('[data-testid="stDialog"]').count() == 0
        assert "Xếp hạng toàn quốc" in text and "PAPI" in text and "/xep-hang-toan-quoc" in page.url
        page.close()


@pytest.mark.parametrize("w,h", [(1280, 720), (1920, 1080)])
def test_home_renders_in_vietnamese(server, browser_ctx, w, h):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": w, "height": h})
    page.goto(server + "/")
    _ready(page)
    text = page.inner_text("body")
    assert "Dữ liệu đã nạp" in text and "Đồng Tháp" in text and "63 → 34" in text
    assert "minh họa" in text
    # nothing wider than the viewport
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    ART.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": w, "height": max(h, 1400)})
    page.screenshot(path=str(ART / f"home_{w}x{h}.png"))
    page.close()


def test_language_switch_to_english(server, browser_ctx):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(server + "/")
    _ready(page)
    page.get_by_text("English").click()
    page.wait_for_function("() => document.body.innerText.includes('Loaded data')")
    assert "lang=en" in page.url
    page.close()


def _titled(area: str) -> list[tuple[str, str]]:
    """(address, Vietnamese title) of the registry's pages of one area (ui/registry.py)."""
    from ui import registry
    from ui.i18n import STRINGS
    return [(p.url_path, STRINGS[p.title][0]) for p in registry.PAGES if p.area == area]


UNIT_PAGES = _titled("units")
NO_CHARTS = ("canh-bao", "ke-hoach")


_open = open_page
_download = download


@pytest.mark.parametrize("path,title", UNIT_PAGES)
def test_unit_pages_render(server, browser_ctx, path, title):
    """Each Home Affairs page draws its charts, with Vietnamese text and the illustrative label, and no
    horizontal overflow at 1280×720; a tall screenshot is kept for review."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, f"{server}/{path}?level=department&year=2025", charts=path not in NO_CHARTS)
    text = page.inner_text("body")
    assert title in text
    if path not in NO_CHARTS:
        assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 1
        assert "số liệu minh họa" in text.lower()
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    ART.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 2400})
    settle(page)
    page.screenshot(path=str(ART / f"{path}_1280.png"))
    page.close()


def test_clicking_a_unit_in_the_ranking_opens_its_profile(server, browser_ctx):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 1400})
    _open(page, f"{server}/xep-hang-don-vi?level=department&year=2024")
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the first column of a selectable grid holds the row checkboxes; row 1 sits under the 35 px header
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    page.wait_for_url("**/ho-so-don-vi**")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
    text = page.inner_text("body")
    assert "Hồ sơ đơn vị" in text and "unit=" in page.url
    page.screenshot(path=str(ART / "ho-so-don-vi_after_click.png"))
    page.close()


@pytest.mark.parametrize("w,h", [(1280, 720), (1920, 1080)])
def test_unit_profile_in_english(server, browser_ctx, w, h):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": w, "height": h})
    _open(page, f"{server}/ho-so-don-vi?lang=en&level=commune&year=2025")
    text = page.inner_text("body")
    assert "Unit profile" in text and "illustrative data" in text.lower() and "Formed in 2025 from" in text
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    page.set_viewport_size({"width": w, "height": 2400})
    settle(page)
    page.screenshot(path=str(ART / f"ho-so-don-vi_en_{w}.png"))
    page.close()


NO_NATIONAL_CHART = ("tong-quan", "phuong-phap")
NATIONAL_PAGES = [(path, title, path not in NO_NATIONAL_CHART) for path, title in _titled("national")]


@pytest.mark.parametrize("path,title,has_chart", NATIONAL_PAGES)
def test_national_pages_render(server, browser_ctx, path, title, has_chart):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, f"{server}/{path}?year=2023", charts=has_chart)
    text = page.inner_text("body")
    assert title in text
    if path == "tong-quan":
        page.wait_for_selector('[data-testid="stMetric"]')
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 2400})
    settle(page)
    page.screenshot(path=str(ART / f"{path}_1280.png"))
    page.close()


@pytest.mark.parametrize("year,n", [(2023, 63), (2025, 34)])
def test_the_map_draws_the_shipped_boundaries_offline(server, browser_ctx, year, n):
    """The boundaries come from static/geo and the base layers from static/topojson: no request leaves
    the machine, and every province is drawn (plus the outline of the chosen one)."""
    page = browser_ctx.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) and
            not r.url.startswith("data:") else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/xep-hang-toan-quoc?index=PAR%20INDEX&year={year}")
    page.wait_for_function(f"() => document.querySelectorAll('.choroplethlocation').length >= {n}")
    assert page.locator(".choroplethlocation").count() == n + 1
    assert outside == []
    # Hoàng Sa and Trường Sa: their islands drawn as points and their names on the map
    labels = page.evaluate("() => [...document.querySelectorAll('.geo .scattergeo text')].map(t => t.textContent)")
    assert "Quần đảo Hoàng Sa (Đà Nẵng)" in labels and "Quần đảo Trường Sa (Khánh Hòa)" in labels
    assert page.locator(".geo .scattergeo path").count() >= 17
    page.screenshot(path=str(ART / f"map_{year}.png"))
    page.close()


def test_download_excel_from_the_export_page(server, browser_ctx, tmp_path):
    """A person clicks "Tải Excel" and gets a workbook with the filtered rows and the notes sheet, then "CSV (Excel
    tiếng Việt)" and gets what a Vietnamese Excel opens: ';' between values, decimal commas, shares as %."""
    from openpyxl import load_workbook
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 1000})
    _open(page, f"{server}/xuat-du-lieu?index=PAPI&years=2023&provinces=87,22&depths=total"
                f"&measures=score,share_of_max,rank", charts=False)
    page.wait_for_selector('[data-testid="stDownloadButton"]')
    path = _download(page, "Tải Excel", tmp_path / "export.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "Năm"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} <= {"87", "22"} and len(rows) >= 1
    assert ws["G1"].value == "Điểm (% tối đa)" and ws["G2"].number_format == "0.0%" and 0 < ws["G2"].value <= 1
    assert wb.sheetnames[1] == "Nguồn và ghi chú"
    ART.mkdir(parents=True, exist_ok=True)
    page.locator('[data-testid="stDownloadButton"]').last.scroll_into_view_if_needed()
    page.screenshot(path=str(ART / "export_downloads.png"))
    csv = _download(page, "CSV (Excel tiếng Việt)", tmp_path / "export_vi.csv").read_bytes()
    lines = csv.decode("utf-8-sig").splitlines()
    assert csv.startswith(b"\xef\xbb\xbf") and lines[0].split(";")[:3] == ["Năm", "Mã", "Tỉnh, thành phố"]
    first = dict(zip(lines[0].split(";"), lines[1].split(";")))
    assert re.fullmatch(r"\d+,\d{2}", first["Điểm"]) and re.fullmatch(r"\d+,\d%", first["Điểm (% tối đa)"])
    page.close()


def test_a_link_reproduces_the_view_in_a_fresh_browser_page(server, browser_ctx):
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/xep-hang-toan-quoc")
    page.get_by_text("PAPI", exact=True).first.click()
    page.wait_for_function("() => location.search.includes('index=PAPI')")
    wait_idle(page)
    link = page.url
    page.close()
    fresh = browser_ctx.new_page()
    fresh.set_viewport_size({"width": 1280, "height": 900})
    _open(fresh, link)
    assert "Bản đồ PAPI" in fresh.inner_text("body")
    assert fresh.locator('[data-testid="stMain"] [data-testid="stRadio"] input[type=radio]:checked').first.evaluate(
        "e => e.closest('label').innerText").strip() == "PAPI"
    fresh.close()


def test_a_chart_downloads_as_png_with_its_source(server, browser_ctx, tmp_path):
    """The camera button of a chart saves a PNG; the figure it renders carries the title, the source line
    (subtitle) and the illustrative label."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/xep-hang-don-vi?level=department&year=2024")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    text = chart.inner_text() if chart.count() else ""
    svg_text = page.locator('[data-testid="stPlotlyChart"] .main-svg').first.evaluate(
        "e => e.closest('[data-testid=stPlotlyChart]').querySelector('.infolayer').textContent")
    assert "Nguồn" in svg_text and "số liệu minh họa" in svg_text.lower(), text
    chart.hover()
    with page.expect_download(timeout=60_000) as dl:
        page.locator('[data-testid="stPlotlyChart"] .modebar-btn[data-title*="PNG"]').first.click()
    path = tmp_path / "chart.png"
    dl.value.save_as(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    # the grid's own unescaped CSV export is switched off (.streamlit/config.toml); ours remain
    page.locator('[data-testid="stDataFrame"]').first.hover()
    assert page.get_by_role("button", name="Download as CSV").count() == 0
    assert page.get_by_role("button", name="Tải CSV").count() >= 1
    page.close()


# --- briefing: presentation mode and the PowerPoint pack ---------------------------------------------------

_FITS = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]').getBoundingClientRect();
  const head = document.querySelector('.bf-headline');
  const foot = document.querySelector('.bf-foot').getBoundingClientRect();
  const ticks = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .xtick text, [data-testid="stPlotlyChart"] .ytick text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize));
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {step: document.querySelector('.bf-section').textContent, chartTop: chart.top, chartBottom: chart.bottom,
          chartHeight: chart.height, footBottom: foot.bottom, headClipped: head.scrollWidth > head.clientWidth + 1,
          headBottom: head.getBoundingClientRect().bottom, minTick: Math.min(...ticks), nTicks: ticks.length,
          scrollH: document.scrollingElement.scrollHeight, scrollW: document.scrollingElement.scrollWidth,
          innerH: innerHeight, innerW: innerWidth, sidebar: !!sidebar && sidebar.offsetParent !== null,
          search: location.search};
}"""


def _wait_step(page, i: int) -> None:
    page.wait_for_function(f"() => (document.querySelector('.bf-section') || {{}}).textContent?.startsWith('{i}/')")
    wait_idle(page)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg .xtick')


def _advance(page, i: int, how: str) -> None:
    """Move from step i to i+1 (or i-1 for 'left') by key or button, once the app is idle."""
    wait_idle(page)
    if how == "key":
        page.keyboard.press("ArrowRight")
    elif how == "left":
        page.keyboard.press("ArrowLeft")
    else:
        page.get_by_role("button", name="Tiếp").click()
    _wait_step(page, i - 1 if how == "left" else i + 1)


@pytest.mark.parametrize("w,h", [(1280, 720), (1920, 1080)])
def test_briefing_sequence_fits_the_screen(server, browser_ctx, w, h):
    """Step through the whole sequence with the arrow keys and the Next button: every screen's chart is visible
    without scrolling, nothing is wider than the viewport, the headline is not clipped, axis text ≥ 20 px,
    no sidebar; the step is in the URL. Screenshots are kept for review."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": w, "height": h})
    _open(page, f"{server}/trinh-chieu?present=1&year=2015&province=p63:87")
    _wait_step(page, 1)
    ART.mkdir(parents=True, exist_ok=True)
    n = 7
    for i in range(1, n + 1):
        settle(page)
        m = page.evaluate(_FITS)
        assert m["step"].startswith(f"{i}/{n}"), m
        assert (f"step={i}" in m["search"]) or i == 1, m
        assert m["scrollH"] <= m["innerH"] + 1 and m["scrollW"] <= m["innerW"], m
        assert m["chartBottom"] <= m["innerH"] and m["footBottom"] <= m["innerH"] + 1, m
        assert m["chartHeight"] >= 0.5 * h, m                        # the chart is the screen
        assert not m["headClipped"] and m["headBottom"] <= m["chartTop"] + 1, m
        assert m["nTicks"] > 0 and m["minTick"] >= 20, m
        assert not m["sidebar"], m
        assert page.locator(".demo-badge").is_visible()              # the demo says so on every screen
        page.screenshot(path=str(ART / f"briefing_{w}x{h}_{i}.png"))
        if i < n:
            _advance(page, i, "key" if i % 2 else "button")
    assert page.get_by_role("button", name="Tiếp").is_disabled()
    _advance(page, n, "left")
    assert f"step={n - 1}" in page.url
    page.close()


def test_briefing_pack_downloads_from_the_page(server, browser_ctx, tmp_path):
    from pptx import Presentation
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, f"{server}/trinh-chieu?year=2015&province=p63:87", charts=False)
    page.wait_for_selector('[data-testid="stDownloadButton"]')
    path = _download(page, "Tải bộ slide PowerPoint (.pptx)", tmp_path / "pack.pptx")
    prs = Presentation(str(path))
    assert len(prs.slides) == 9
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.has_chart) == 7
    assert not page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    page.close()


def test_a_page_mixing_detail_levels(server, browser_ctx):
    """A unit's profile draws one history through years known from annexes (domains only: 2015, 2016) and
    detailed years, and on a domain-only year says what is missing while still drawing its domains."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/ho-so-don-vi?level=department&year=2024&unit=SO-TP")
    xs = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(p => (p._fullData || [])
        .flatMap(t => Array.from(t.x || [])).map(Number).filter(x => x > 2000))""")
    assert any(min(x) == 2015 and max(x) == 2024 for x in xs if x), xs
    _open(page, f"{server}/ho-so-don-vi?level=department&year=2016&unit=SO-TP")
    text = page.inner_text("body")
    assert "Năm 2016 chỉ có điểm theo lĩnh vực" in text
    assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 2
    assert page.locator('[data-testid="stException"]').count() == 0
    ART.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ART / "mixed_detail_2016.png"), full_page=True)
    page.close()


# --- real figures and the demo ------------------------------------------------------------------------------

def test_real_figures_first_and_the_demo_one_click_away(real_db, browser_ctx):
    """On the real database the first page says what it holds and shows no demo banner; one click opens the demo,
    whose banner stays on every page a person moves to; one click goes back to real figures."""
    with Server(real_db) as s:
        page = browser_ctx.new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, s.url + "/", charts=False)
        text = page.inner_text("body")
        assert "số liệu thật" in text and "PAR INDEX" in text and "rải rác" in text
        assert page.locator(".demo-banner").count() == 0
        ART.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ART / "real_home_1280.png"))
        page.get_by_role("button", name="Mở bản trình diễn").click()
        page.wait_for_selector(".demo-banner")
        page.wait_for_url("**db=demo**")
        wait_idle(page)
        page.screenshot(path=str(ART / "demo_home_1280.png"))
        page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Xếp hạng toàn quốc").click()
        page.wait_for_url("**/xep-hang-toan-quoc**")
        wait_idle(page)
        page.wait_for_selector(".demo-banner")
        assert "db=demo" in page.url
        page.get_by_role("button", name="Về số liệu thật").click()
        page.wait_for_function("() => !location.search.includes('db=demo')")
        wait_idle(page)
        assert page.locator(".demo-banner").count() == 0
        assert "tỉnh có số liệu công bố" in page.inner_text("body")
        page.screenshot(path=str(ART / "real_ranking_1280.png"))
        page.close()


def test_the_illustrative_badge_never_covers_a_source_line(server, browser_ctx):
    """On the demo every chart carries the badge; on the narrow columns of the league page it ran into the wrapped
    source lines (map and histogram). Their boxes must not meet."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/xep-hang-toan-quoc?index=PAR%20INDEX&year=2023")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 3")
    clashes = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(p => {
        const badge = [...p.querySelectorAll('.annotation')].find(a => a.textContent.includes('⚠'));
        const sub = p.querySelector('.gtitle-subtitle') || p.querySelector('.gtitle');
        if (!badge || !sub) return [];
        const a = badge.getBoundingClientRect(), b = sub.getBoundingClientRect();
        const meet = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        return meet ? [sub.textContent.slice(0, 40)] : [];
    })""")
    n = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot .annotation')]"
                      ".filter(a => a.textContent.includes('⚠')).length")
    assert n >= 3 and clashes == []
    page.close()


def test_the_multiselects_bulk_action_speaks_vietnamese(server, browser_ctx):
    """Streamlit's multiselect offered "Select all" in English inside the Vietnamese interface (issue 19 item 7)."""
    page = browser_ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, f"{server}/xuat-du-lieu?index=PAPI&years=2023&provinces=87&depths=total", charts=False)
    page.locator('[data-testid="stMultiSelect"]').nth(1).click()           # the provinces
    option = page.locator('[role="option"][data-key="__select_all__"] [data-item-hl]')
    option.wait_for()
    shown = option.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]")
    assert shown == ["0px", '"Chọn tất cả"']
    page.keyboard.press("Escape")
    page.close()
