"""Entry point: `streamlit run app.py`. Vietnamese first (?lang=en for English); pages live in app_pages/
(not pages/: Streamlit's legacy folder navigation would then wrap every run, and a shared deep link would open
under a "Page not found" modal, streamlit/streamlit#9624)."""
import streamlit as st

from ui.data import choose_database, is_demo, pin
from ui.settings import hidden_pages, public
from ui.i18n import database_switch, language_switch, streamlit_words, t
from ui.banner import demo_banner, not_public
from ui import registry

st.set_page_config(page_title="Chỉ số CCHC · PAR INDEX", page_icon="📊", layout="wide")
language_switch()
streamlit_words()      # Streamlit's own English words, in Vietnamese
if public():           # the public face (PAR_PUBLIC=1): the real database only
    st.query_params.pop("db", None)
    choose_database(False)
else:
    database_switch()      # the real database, or the demo (?db=demo); never both on one screen
pin()          # every query of this run reads one database version, even if a load swaps the file meanwhile

# the pages, listed once in ui/registry.py; a public server leaves out the admin page and the pages the province
# marks internal (ui/settings.py): their addresses stay, unlisted, saying so in words (Streamlit's own "Page not
# found" is in English)
hidden = hidden_pages()
pages = registry.navigation(t, hidden)
if hidden:
    pages[""] = [st.Page(not_public, title=t("not_public_title"), url_path=u, visibility="hidden") for u in sorted(hidden)]
# presentation mode (?present=1, app_pages/briefing.py) hides the navigation with the rest of the chrome
present = st.query_params.get("present") == "1"
if is_demo():
    demo_banner(present)
st.navigation(pages, expanded=True, position="hidden" if present else "sidebar").run()
