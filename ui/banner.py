"""The demo's banner: on every page of the demo database, at the top, in words a leader cannot miss, with the
way back to real figures; in presentation mode a fixed badge on every screen."""
from __future__ import annotations


import streamlit as st

from ui import safe
from ui.i18n import t
from ui.palette import BANNER_BACK, WHITE

_STYLE = (f"background:{BANNER_BACK};color:{WHITE};border-radius:6px;padding:10px 16px;font-weight:600;font-size:1.05rem;"
          "line-height:1.4;margin:0 0 8px 0")
_BADGE = (f"position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:999990;background:{BANNER_BACK};color:{WHITE};border-radius:6px;"
          "padding:4px 12px;font-weight:700;font-size:18px")


def back_to_real() -> None:
    """Button callback: this session reads the real database again (the sidebar switch follows)."""
    st.session_state["db"] = "real"


def open_demo() -> None:
    """Button callback: this session reads the demo (the sidebar switch follows)."""
    st.session_state["db"] = "demo"


def demo_banner(present: bool) -> None:
    if present:
        st.html(f'<div class="demo-badge" style="{_BADGE}">⚠ {safe.html_text(t("demo_mark"))}</div>')
        return
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.html(f'<div class="demo-banner" role="alert" style="{_STYLE}">⚠ {safe.html_text(t("demo_banner"))}</div>')
    right.button(t("demo_back"), on_click=back_to_real, icon=":material/verified:", key="demo_back")


def not_public() -> None:
    """What the address of a page a public server does not serve shows (the admin page, an internal page)."""
    st.title(t("not_public_title"))
    st.info(t("not_public"), icon=":material/public:")
