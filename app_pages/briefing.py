"""Briefing (Trình chiếu và bộ slide): the meeting sequence for one province and PAR INDEX year (overview →
national position → weakest domains → trend → targets and what-if → internal: weakest units and criteria).

Two modes, both in the URL so a link reopens the same screen:
- normal: choose province, year, level and whether to include the internal screens; the sequence's headlines;
  the PowerPoint pack (built only when its button is clicked);
- presentation (?present=1&step=3): no sidebar or Streamlit chrome, one headline and one large chart per
  screen, Previous/Next buttons and the ← → keys."""
import dataclasses

import streamlit as st

from ui import provinces as P, safe, units as U
from ui.briefing import screens as B
from ui.briefing.present import figure
from ui.data import is_demo, run_version
from ui.settings import public
from ui.filters import url_choice
from ui.i18n import lang, t
from ui.briefing.pack import build
from ui.exports.tabular import demo_marked

U.require_db()


@st.cache_data(max_entries=64, show_spinner=False)
def _screens(version: str, code: str, year: int, internal: bool, level: str, unit_year: int | None, lang_code: str):
    screens, texts = B.sequence(code, year, internal, level, unit_year), B.pack_texts(code, year)
    if is_demo():             # every screen and slide of the demo says so, whatever its rows say
        screens = [dataclasses.replace(x, illustrative=True) for x in screens]
    return screens, texts


def _goto(step: int) -> None:
    st.query_params["step"] = str(step)


def _present(on: bool) -> None:
    if on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


present = st.query_params.get("present") == "1"
# the demo's badge is on every screen (app.py); the footer keeps the short label so the screen still fits
ILLUS_LABEL = t("illustrative_chart")
years = P.years_of(B.INDEX)
if not years:
    st.info(t("no_index_year", index=B.INDEX, year="–"))
    st.stop()

if present:
    # No widgets in the way: the province, year, level and internal flag come from the URL (the same keys the
    # other pages use), checked like the widgets would check them.
    asked = st.query_params.get("year")
    year = int(asked) if asked is not None and asked.isdigit() and int(asked) in years else years[-1]
    token = str(st.query_params.get("province") or P.home_token())
    code = P.to_scheme(token, P.scheme_of(year)) if ":" in token else None
    if code is None or code not in set(P.provinces(P.scheme_of(year)).province_code):
        code = P.to_scheme(P.home_token(), P.scheme_of(year))
    level = st.query_params.get("level") if st.query_params.get("level") in U.LEVELS else "department"
    internal = st.query_params.get("internal") != "0" and not public()
    asked = st.query_params.get("uyear")
    unit_year = int(asked) if asked and asked.isdigit() and int(asked) in B.unit_years(code, year, level) else None
else:
    st.title(t("bf_title"))
    st.caption(t("bf_intro"))
    c1, c2, c3 = st.columns([3, 1, 2])
    year = url_choice(t("year"), list(reversed(years)), "year", default=years[-1], container=c2)
    code = P.pick_province(year, c1)
    level = U.pick_level(c3)
    i1, i2 = st.columns([3, 3], vertical_alignment="bottom")
    if public():                 # a public server never shows the internal screens (units, criteria)
        internal = False
    else:
        internal = i1.toggle(t("bf_internal"), value=st.query_params.get("internal") != "0", key="bf_internal")
        if internal:
            st.query_params.pop("internal", None)
        else:
            st.query_params["internal"] = "0"
    unit_year = None
    uyears = B.unit_years(code, year, level) if internal else []
    if uyears:                       # any loaded year of the units (default: the briefing's year or the one before)
        default = year if year in uyears else max([y for y in uyears if y <= year] or uyears)
        unit_year = url_choice(t("bf_unit_year", level=t(level)), list(reversed(uyears)), "uyear", default=default,
                               container=i2)

screens, texts = _screens(run_version(), code, year, internal, level, unit_year, lang())
if not screens:
    st.info(t("bf_none", year=year))
    st.stop()
n = len(screens)
asked_step = st.query_params.get("step", "1")
step = min(max(int(asked_step), 1), n) if asked_step.isdigit() else 1

if not present:
    held, n_all, complete = P.coverage(B.INDEX, "total", year)
    if not complete:
        P.incomplete_notice(B.INDEX, year, held, n_all, t("bf_needs_table"), index_key=None)
    b1, b2 = st.columns([1, 2])
    b1.button(t("bf_start"), type="primary", icon=":material/slideshow:", on_click=_present, args=(True,),
              key="bf_start")
    b2.download_button(t("bf_pack"), data=lambda: build(screens, texts), icon=":material/download:",
                       file_name=demo_marked(f"bo_slide_CCHC_{code}_{year}", [])[0] + ".pptx", help=t("bf_pack_help"), on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="bf_pack")
    st.caption(t("bf_keys"))
    st.subheader(t("bf_outline"))
    for i, s in enumerate(screens, start=1):
        with st.container(border=True, key=f"bf_item_{i}"):
            a, b = st.columns([6, 1], vertical_alignment="center")
            a.markdown(f"**{i}. {s.section}**" + (f" · {t('bf_internal_tag')}" if s.internal else "")
                       + (" · ⚠ " + ILLUS_LABEL if s.illustrative else ""))
            a.markdown(safe.md(s.headline))
            b.button("▶", key=f"bf_go_{i}", help=t("bf_start"), on_click=lambda i=i: (_goto(i), _present(True)))
    st.stop()

# --- presentation mode ---------------------------------------------------------------------------------
st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2rem 0.25rem 2rem !important; max-width: 100% !important; }
.bf-section { font-size: 18px; font-weight: 700; letter-spacing: .04em; color: #404040; text-transform: uppercase; }
.bf-headline { font-size: clamp(26px, 2.3vw, 40px); font-weight: 700; line-height: 1.2; color: #111; margin: 0.1rem 0 0.4rem 0; }
.bf-foot { font-size: 15px; line-height: 1.3; color: #404040; }
.bf-illustrative { display: inline-block; font-size: 16px; font-weight: 700; color: #92400e; background: #fef3c7;
  border: 1px solid #f59e0b; padding: 1px 8px; border-radius: 4px; margin-right: 8px; }
.st-key-bf_chart { flex: none !important; height: calc(100vh - 285px) !important; min-height: 280px; }
.st-key-bf_chart .stElementContainer, .st-key-bf_chart [data-testid="stFullScreenFrame"],
.st-key-bf_chart .stPlotlyChart { height: 100% !important; }
</style>""")
screen = screens[step - 1]
top_l, top_r = st.columns([3, 2], vertical_alignment="center")
top_l.html(f'<div class="bf-section">{step}/{n} · {safe.html_text(screen.section)}'
           + (f" · {safe.html_text(t('bf_internal_tag'))}" if screen.internal else "") + "</div>")
with top_r:
    nav = st.container(horizontal=True, horizontal_alignment="right")
    nav.button(t("bf_prev"), icon=":material/arrow_back:", key="bf_prev", shortcut="Left", disabled=step <= 1,
               on_click=_goto, args=(step - 1,))
    nav.button(t("bf_next"), icon=":material/arrow_forward:", key="bf_next", shortcut="Right", type="primary",
               disabled=step >= n, on_click=_goto, args=(step + 1,))
    nav.button(t("bf_exit"), icon=":material/close:", key="bf_exit", shortcut="Esc", on_click=_present, args=(False,))
st.html(f'<div class="bf-headline">{safe.html_text(screen.headline)}</div>')
with st.container(key="bf_chart"):
    st.plotly_chart(figure(screen.chart), key=f"bf_fig_{step}", width="stretch", height="stretch", theme=None,
                    config={"displaylogo": False, "displayModeBar": False, "responsive": True})
label = f'<span class="bf-illustrative">⚠ {safe.html_text(ILLUS_LABEL)}</span>' if screen.illustrative else ""
note = safe.html_text(screen.note + " " if screen.note else "")
st.html(f'<div class="bf-foot">{label}{note}{safe.html_text(screen.source)}</div>')
