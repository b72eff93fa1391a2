"""Filter widgets whose value lives in the URL (?level=district&year=2023), so a link reproduces a view,
and survives moving between pages (Streamlit drops a widget's state when a page without it runs)."""
from __future__ import annotations

from typing import Callable, Sequence

import streamlit as st


def _restore(key: str, options: Sequence, default):
    by_text = {str(o): o for o in options}
    for candidate in (st.query_params.get(key), st.session_state.get(f"_keep_{key}")):
        if candidate is not None and str(candidate) in by_text:
            return by_text[str(candidate)]
    return default if default in options else (options[0] if options else None)


def url_choice(label: str, options: Sequence, key: str, default=None, format_func: Callable = str,
               kind: str = "select", container=st, help: str | None = None):
    """A selectbox (kind='select') or horizontal radio (kind='radio') bound to st.query_params[key]."""
    options = list(options)
    wkey = f"w_{key}"
    if wkey not in st.session_state or st.session_state[wkey] not in options:
        st.session_state[wkey] = _restore(key, options, default)
    labels = {o: format_func(o) for o in options}     # fixed now: the language is read while the page runs
    format_func = labels.__getitem__
    if kind == "radio":
        value = container.radio(label, options, key=wkey, format_func=format_func, horizontal=True, help=help)
    else:
        value = container.selectbox(label, options, key=wkey, format_func=format_func, help=help)
    st.session_state[f"_keep_{key}"] = value
    if value is not None:
        st.query_params[key] = str(value)
    return value


def url_number(label: str, key: str, default: float, min_value: float, max_value: float, step: float,
               container=st, help: str | None = None) -> float:
    """A number input bound to the URL."""
    wkey = f"w_{key}"
    if wkey not in st.session_state:
        raw = st.query_params.get(key, st.session_state.get(f"_keep_{key}"))
        try:
            value = float(raw) if raw is not None else default
        except ValueError:
            value = default
        st.session_state[wkey] = type(default)(min(max(value, min_value), max_value))
    value = container.number_input(label, min_value=min_value, max_value=max_value, step=step, key=wkey, help=help)
    st.session_state[f"_keep_{key}"] = value
    st.query_params[key] = str(value)
    return value
