"""Serve the app: `python -m ui.serve [streamlit options]` (what `make run` and the browser tests use).

Same as `streamlit run app.py`, except that Streamlit's legacy `pages/` folder routing is switched off
before the first session: with a folder named pages/ next to app.py, Streamlit otherwise wraps runs in that
routing, and a shared deep link (/xep-hang-toan-quoc?...) opens under a "Page not found" modal
(streamlit/streamlit#9624). app.py switches it off too, but only from its own first run onwards."""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str]) -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
