"""Entry point: `streamlit run app.py`. Vietnamese first (?lang=en for English); pages live in pages/."""
import streamlit as st

from ui.i18n import language_switch, t

st.set_page_config(page_title="Chỉ số CCHC · PAR INDEX", page_icon="📊", layout="wide")
language_switch()

home = st.Page("pages/home.py", title=t("home_title"), icon="🗂️", default=True)
st.navigation([home]).run()
