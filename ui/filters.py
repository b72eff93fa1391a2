"""Filter widgets whose value lives in the URL (?level=district&year=2023), so a link reproduces a view,
and survives moving between pages (Streamlit drops a widget's state when a page without it runs)."""
from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st

from ui import safe
from ui.i18n import num


def _key(v) -> str:
    """How a value is written in the URL: 3.0 and '3' are the same threshold."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:g}"
    try:
        return f"{float(v):g}"
    except (TypeError, ValueError):
        return str(v)


def _invalid(label: str, value) -> None:
    """A link with a value that does not exist here (a typo, a year not loaded): say so briefly, use the default."""
    from ui.i18n import t
    st.toast(t("url_invalid", value=safe.md(str(value)[:40]), label=label), icon=":material/link_off:")


def url_choice(label: str, options: Sequence, key: str, default=None, format_func: Callable = str,
               kind: str = "select", container=st, help: str | None = None):
    """A selectbox ('select'), horizontal radio ('radio') or select slider ('slider') bound to
    st.query_params[key]."""
    options = list(options)
    by_key = {_key(o): o for o in options}
    wkey = f"w_{key}"
    asked = st.query_params.get(key)
    if asked is not None and asked != st.session_state.get(f"_url_{key}") and _key(asked) in by_key:
        st.session_state[wkey] = by_key[_key(asked)]     # the URL changed from outside (a link, st.switch_page)
    elif asked is not None and asked != st.session_state.get(f"_url_{key}") and options:
        _invalid(label, asked)
        st.session_state[wkey] = default if default in options else options[0]
    elif wkey not in st.session_state or st.session_state[wkey] not in options:
        kept = st.session_state.get(f"_keep_{key}")
        st.session_state[wkey] = next((by_key[_key(c)] for c in (asked, kept) if c is not None and _key(c) in by_key),
                                      default if default in options else (options[0] if options else None))
    else:
        # Set again before the widget: on another page the same key is a new widget (Streamlit's widget ids include
        # the page), which would otherwise start from its first option instead of the value kept in the session.
        st.session_state[wkey] = st.session_state[wkey]
    labels = {o: format_func(o) for o in options}     # fixed now: the language is read while the page runs
    fmt = labels.__getitem__
    if kind == "radio":
        value = container.radio(label, options, key=wkey, format_func=fmt, horizontal=True, help=help)
    elif kind == "slider":
        value = container.select_slider(label, options, key=wkey, format_func=fmt, help=help)
    else:
        value = container.selectbox(label, options, key=wkey, format_func=fmt, help=help)
    st.session_state[f"_keep_{key}"] = value
    if value is not None:
        st.query_params[key] = st.session_state[f"_url_{key}"] = _key(value)
    return value


def url_threshold(label: str, key: str, default: float, options: Sequence[float], decimals: int = 1,
                  container=st, help: str | None = None) -> float:
    """A threshold chosen on a slider of fixed steps, shown in the session's number format (2,5 in VI)."""
    return url_choice(label, list(options), key, default=default, format_func=lambda v: num(v, decimals),
                      kind="slider", container=container, help=help)


def url_multi(label: str, options: Sequence, key: str, default: Sequence = (), format_func: Callable = str,
              container=st, help: str | None = None, placeholder: str | None = None,
              max_selections: int | None = None) -> list:
    """A multiselect bound to the URL as a comma-separated list (?years=2023,2024); values not among the
    options are dropped."""
    options = list(options)
    by_key = {_key(o): o for o in options}
    wkey = f"w_{key}"
    asked = st.query_params.get(key)
    if asked is not None and asked != st.session_state.get(f"_url_{key}"):
        bad = [x for x in asked.split(",") if x and _key(x) not in by_key]
        if bad:
            _invalid(label, ",".join(bad))
        st.session_state[wkey] = [by_key[_key(x)] for x in asked.split(",") if _key(x) in by_key]
    elif wkey not in st.session_state:
        kept = st.session_state.get(f"_keep_{key}")
        st.session_state[wkey] = [o for o in (kept if kept is not None else default) if o in options]
    else:
        st.session_state[wkey] = [o for o in st.session_state[wkey] if o in options]
    labels = {o: format_func(o) for o in options}
    if max_selections:
        st.session_state[wkey] = st.session_state[wkey][:max_selections]
    value = container.multiselect(label, options, key=wkey, format_func=labels.__getitem__, help=help,
                                  placeholder=placeholder, max_selections=max_selections)
    st.session_state[f"_keep_{key}"] = value
    st.query_params[key] = st.session_state[f"_url_{key}"] = ",".join(_key(v) for v in value)
    return value
