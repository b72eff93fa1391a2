"""How this server is deployed, from its environment (read on every run, so a test can change it):

- `PAR_PUBLIC=1`: the public face (results before citizens): the real database only (no demo switch, `?db=demo`
  ignored), no administration page, no sign-in, no links to either, no internal briefing screens, and the pages
  the province marks as internal left out of the app altogether (their links open the first page).
- `PAR_BEHIND_PROXY=1`: the app is served on loopback behind the province's nginx (deploy/), which passes the
  visitor's address in X-Real-IP: sign-in lockouts then count per visitor, not for everyone at once.
- `PAR_PUBLIC_HIDE`: those pages, as a comma-separated list of their URL paths; by default the working tools
  `muc-tieu,canh-bao` (targets and alerts); `PAR_PUBLIC_HIDE=` (empty) shows every results page.
"""
from __future__ import annotations

import os

DEFAULT_HIDDEN = "muc-tieu,canh-bao"


def public() -> bool:
    return os.environ.get("PAR_PUBLIC", "").strip().lower() in ("1", "true", "yes")


def hidden_pages() -> set[str]:
    """URL paths of the pages a public server does not serve (the admin page is never served in public)."""
    if not public():
        return set()
    listed = os.environ.get("PAR_PUBLIC_HIDE", DEFAULT_HIDDEN)
    return {p.strip().strip("/") for p in listed.split(",") if p.strip()} | {"quan-tri"}


def behind_proxy() -> bool:
    return os.environ.get("PAR_BEHIND_PROXY", "").strip().lower() in ("1", "true", "yes")
