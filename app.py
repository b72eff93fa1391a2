"""Entry point: `streamlit run app.py`. Vietnamese first (?lang=en for English); pages live in pages/."""
import streamlit as st

from ui.i18n import language_switch, t

st.set_page_config(page_title="Chỉ số CCHC · PAR INDEX", page_icon="📊", layout="wide")
language_switch()

pages = {
    t("group_home"): [st.Page("pages/home.py", title=t("home_title"), icon="🗂️", default=True)],
    t("group_units"): [
        st.Page("pages/unit_ranking.py", title=t("ur_title"), icon="🏅", url_path="xep-hang-don-vi"),
        st.Page("pages/criterion_gaps.py", title=t("cg_title"), icon="🧩", url_path="phan-tich-tieu-chi"),
        st.Page("pages/self_vs_appraisal.py", title=t("sa_title"), icon="✂️", url_path="tu-danh-gia-tham-dinh"),
        st.Page("pages/unit_profile.py", title=t("up_title"), icon="🏢", url_path="ho-so-don-vi"),
        st.Page("pages/targets.py", title=t("tg_title"), icon="🎯", url_path="muc-tieu"),
        st.Page("pages/unit_alerts.py", title=t("al_title"), icon="🚨", url_path="canh-bao"),
    ],
}
st.navigation(pages).run()
