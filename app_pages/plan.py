"""The province's plan (Kế hoạch và theo dõi): any plan year's lines with Excel and the Word plan, its tracking
against that year's results by agency, and for a signed-in user the editor (also reachable without unit scores:
a plan on PAR INDEX, SIPAS or PAPI alone). The targets page drafts next year's plan from the weakest criteria."""
import pandas as pd
import streamlit as st

from ui import plan as P
from ui.data import q
from ui.filters import url_choice
from ui.i18n import t
from ui.units import require_db

require_db()
st.title(t("pn_title"))
st.caption(t("pn_intro"))
saved = [int(y) for y in q("plan_years").plan_year]
latest = max([int(y) for y in q("index_years").year] + [0])        # the latest results: plan the year after
years = sorted(set(saved) | {latest + 1}, reverse=True)
plan_year = int(url_choice(t("pl_year"), years, "plan_year", default=saved[0] if saved else latest + 1))
P.tracking_section(plan_year)
st.subheader(t("pl_title", year=plan_year))
done = st.session_state.pop("pl_done", None)
if done:
    st.success(done, icon=":material/check_circle:")
P.show(plan_year)
P.editor(plan_year, pd.DataFrame(), "department")
st.page_link("app_pages/targets.py", label=t("pn_to_targets"), icon=":material/flag:")
