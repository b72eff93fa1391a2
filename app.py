"""Entry point: `streamlit run app.py`. Vietnamese first (?lang=en for English); pages live in pages/."""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ui.data import choose_database, is_demo, pin
from ui.settings import hidden_pages, public
from ui.i18n import database_switch, language_switch, streamlit_words, t
from ui.banner import demo_banner, not_public

# With a folder named pages/ next to app.py, Streamlit wraps every run in its legacy folder navigation
# before ours runs: a shared deep link (/xep-hang-toan-quoc?...) then opens under a "Page not found" modal
# (streamlit/streamlit#9624). This app navigates only with st.navigation below, so switch the legacy
# path off for every later run in this process (it is a process-wide class attribute).
PagesManager.uses_pages_directory = False

st.set_page_config(page_title="Chỉ số CCHC · PAR INDEX", page_icon="📊", layout="wide")
language_switch()
streamlit_words()      # Streamlit's own English words, in Vietnamese
if public():           # the public face (PAR_PUBLIC=1): the real database only
    st.query_params.pop("db", None)
    choose_database(False)
else:
    database_switch()      # the real database, or the demo (?db=demo); never both on one screen
pin()          # every query of this run reads one database version, even if a load swaps the file meanwhile

pages = {
    t("group_home"): [st.Page("pages/home.py", title=t("home_title"), icon=":material/database:", default=True),
                      st.Page("pages/briefing.py", title=t("bf_title"), icon=":material/slideshow:", url_path="trinh-chieu"),
                      st.Page("pages/export.py", title=t("ex_title"), icon=":material/download:", url_path="xuat-du-lieu")],
    t("group_national"): [
        st.Page("pages/overview.py", title=t("ov_title"), icon=":material/dashboard:", url_path="tong-quan"),
        st.Page("pages/national_ranking.py", title=t("nr_title"), icon=":material/public:", url_path="xep-hang-toan-quoc"),
        st.Page("pages/province_profile.py", title=t("pp_title"), icon=":material/compare:", url_path="ho-so-tinh"),
        st.Page("pages/trends.py", title=t("tr_title"), icon=":material/trending_up:", url_path="xu-huong"),
        st.Page("pages/cross_index.py", title=t("cx_title"), icon=":material/scatter_plot:", url_path="doi-chieu"),
        st.Page("pages/what_if.py", title=t("wi_title"), icon=":material/moving:", url_path="mo-phong"),
        st.Page("pages/methodology.py", title=t("me_title"), icon=":material/menu_book:", url_path="phuong-phap"),
    ],
    t("group_units"): [
        st.Page("pages/unit_ranking.py", title=t("ur_title"), icon=":material/leaderboard:", url_path="xep-hang-don-vi"),
        st.Page("pages/criterion_gaps.py", title=t("cg_title"), icon=":material/grid_view:", url_path="phan-tich-tieu-chi"),
        st.Page("pages/self_vs_appraisal.py", title=t("sa_title"), icon=":material/content_cut:", url_path="tu-danh-gia-tham-dinh"),
        st.Page("pages/unit_profile.py", title=t("up_title"), icon=":material/apartment:", url_path="ho-so-don-vi"),
        st.Page("pages/targets.py", title=t("tg_title"), icon=":material/flag:", url_path="muc-tieu"),
        st.Page("pages/unit_alerts.py", title=t("al_title"), icon=":material/notifications:", url_path="canh-bao"),
        st.Page("pages/plan.py", title=t("pn_title"), icon=":material/event_note:", url_path="ke-hoach"),
    ],
    t("group_admin"): [
        st.Page("pages/admin.py", title=t("ad_title"), icon=":material/admin_panel_settings:", url_path="quan-tri"),
    ],
}
# a public server leaves out the admin page and the pages the province marks internal (ui/settings.py); their
# addresses stay, unlisted, saying so in words (Streamlit's own "Page not found" is in English)
hidden = hidden_pages()
pages = {group: kept for group, ps in pages.items() if (kept := [p for p in ps if p.url_path not in hidden])}
if hidden:
    pages[""] = [st.Page(not_public, title=t("not_public_title"), url_path=u, visibility="hidden") for u in sorted(hidden)]
# presentation mode (?present=1, pages/briefing.py) hides the navigation with the rest of the chrome
present = st.query_params.get("present") == "1"
if is_demo():
    demo_banner(present)
st.navigation(pages, expanded=True, position="hidden" if present else "sidebar").run()
