"""Serve the app: `python -m ui.serve [streamlit options]` (what `make run` and the browser tests use).

Same as `streamlit run app.py`, except that Streamlit's legacy `pages/` folder routing is switched off
before the first session: with a folder named pages/ next to app.py, Streamlit otherwise wraps runs in that
routing, and a shared deep link (/xep-hang-toan-quoc?...) opens under a "Page not found" modal
(streamlit/streamlit#9624). app.py switches it off too, but only from its own first run onwards."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def _port(argv: list[str]) -> int:
    for i, a in enumerate(argv):
        if a == "--server.port" and i + 1 < len(argv):
            return int(argv[i + 1])
        if a.startswith("--server.port="):
            return int(a.split("=", 1)[1])
    return int(os.environ.get("STREAMLIT_SERVER_PORT", "8501"))


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    # once the server answers, open the usual pages once: the first visitor after a restart finds the caches full
    # (ui/warm.py; PAR_WARM=0 switches it off)
    from ui.warm import warm_in_background
    warm_in_background(_port(argv))
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
