"""The public face (issue 22 item 6): with PAR_PUBLIC=1 the app serves the real database only, with no admin page,
no sign-in, no demo switch or link, no internal briefing screens, and without the pages the province marks internal
(PAR_PUBLIC_HIDE)."""
from __future__ import annotations

import pytest

from tests.helpers import run_page


@pytest.fixture()
def public(on_real, monkeypatch):
    monkeypatch.setenv("PAR_PUBLIC", "1")
    monkeypatch.delenv("PAR_PUBLIC_HIDE", raising=False)
    return on_real


def _texts(at) -> str:
    parts = []
    for kind in ("title", "markdown", "caption", "text", "error", "warning", "success", "info", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [str(b.label) for b in at.button] + [str(getattr(e, "label", "")) for e in at.get("radio")]
    return "\n".join(parts)


def _page_links(at) -> list[str]:
    return [e.proto.page for e in at.get("page_link")]


def test_the_public_home_has_no_demo_no_admin_and_no_templates(public):
    at = run_page("home", db="demo")                     # a link asking for the demo gets the real figures
    assert at.session_state["_db"] == "real"
    assert "db" not in at.query_params
    assert not [r for r in at.radio if r.key == "db"]     # no switch to the demo
    text = _texts(at)
    assert "Bản trình diễn · số liệu minh họa" not in text and "Xem bản trình diễn" not in text
    assert not [b for b in at.button if b.key == "home_demo"]
    assert not any("admin" in p for p in _page_links(at))
    assert not at.get("expander") or all("Mẫu" not in str(e.label) for e in at.get("expander"))


def _served(page: str) -> bool:
    """Whether app.py registers the page (AppTest refuses to switch to a page the navigation does not hold)."""
    try:
        run_page(page)
    except ValueError as e:
        assert "Could not find a navigation page" in str(e)
        return False
    return True


def test_the_admin_page_and_internal_pages_are_not_served(public):
    assert not _served("admin") and not _served("targets") and not _served("unit_alerts")
    assert _served("unit_ranking") and _served("national_ranking")
    at = run_page("home")
    assert not at.text_input and "Đăng nhập" not in _texts(at)          # no sign-in anywhere


def test_the_province_chooses_which_pages_are_internal(public, monkeypatch):
    monkeypatch.setenv("PAR_PUBLIC_HIDE", "")
    assert _served("targets") and _served("unit_alerts")
    monkeypatch.setenv("PAR_PUBLIC_HIDE", "tu-danh-gia-tham-dinh, /ho-so-don-vi")
    assert not _served("self_vs_appraisal") and not _served("unit_profile") and _served("targets")
    assert not _served("admin")                       # the admin page never, whatever the list says


def test_the_public_briefing_has_no_internal_screens(public):
    at = run_page("briefing", level="department")
    assert not [w for w in at.toggle if w.key == "bf_internal"]
    assert "nội bộ" not in _texts(at).lower()


def test_without_the_setting_everything_is_there(on_real, monkeypatch):
    monkeypatch.delenv("PAR_PUBLIC", raising=False)
    at = run_page("home")
    assert [r for r in at.radio if r.key == "db"] and [b for b in at.button if b.key == "home_demo"]
    assert run_page("briefing").toggle(key="bf_internal")
