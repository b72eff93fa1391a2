"""A session without a browser: Streamlit's own websocket protocol (protobuf BackMsg / ForwardMsg), used to fill a
fresh server's caches before its first visitor (`ui.serve` does it once the server answers) and by the load
benchmark (`bench/sessions.py`) to drive many sessions at once.

A run is timed from the rerun request to Streamlit's "script finished": the server's share of a click (the
browser's drawing comes after it). An exception shown on the page counts as an error."""
from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field

# the first page and the pages leaders open first (real database): what a restart should not make anyone wait for
WARM_PAGES = ["", "tong-quan", "xep-hang-toan-quoc", "ho-so-tinh", "xu-huong", "xep-hang-don-vi", "trinh-chieu"]


@dataclass
class Run:
    page: str
    seconds: float
    errors: list[str] = field(default_factory=list)
    notices: int = 0          # "the data changed" toasts: the session moved to a new database version


class Session:
    """One websocket session; `await s.open(page, query)` runs a page as a browser's navigation would."""

    def __init__(self, url: str, headers: dict | None = None):
        self.ws_url = url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.headers = headers           # e.g. nginx's affinity cookie (bench/sessions.py --processes 2)

    async def __aenter__(self) -> "Session":
        import websockets
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None, additional_headers=self.headers)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def open(self, page: str, query: str = "", timeout: float = 120) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = Run(page, 0.0)
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout))
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                if el.WhichOneof("type") == "exception":
                    where = " | ".join(x.strip() for x in el.exception.stack_trace[-4:])
                    run.errors.append(f"{el.exception.type}: {el.exception.message} [{where}]"[:900])
                elif el.WhichOneof("type") == "toast" and "cập nhật" in el.toast.body:
                    run.notices += 1
            elif kind == "page_not_found":
                run.errors.append(f"page not found: {page}")
            elif kind == "script_finished" and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run.seconds = time.perf_counter() - t0
                return run


async def warm_pages(url: str, pages: list[str] | None = None) -> list[Run]:
    async with Session(url) as s:
        return [await s.open(p) for p in (pages or WARM_PAGES)]


def _wait_healthy(url: str, limit: float = 300) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def _db_version(path: str) -> str | None:
    """The same identity as ui.data.db_version (inode and modification time) without importing Streamlit's
    session machinery: a load or rollback swaps in a new file, so the identity changes."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_ino}-{st.st_mtime_ns}"


def _warm_once(url: str, why: str) -> None:
    t0 = time.perf_counter()
    try:
        runs = asyncio.run(warm_pages(url))
    except Exception as e:                       # a warm-up is a help: never a reason to stop the server
        print(f"warm-up ({why}) failed: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return
    errors = [f"/{r.page}: {e}" for r in runs for e in r.errors]
    print(f"warm-up ({why}): {len(runs)} pages in {time.perf_counter() - t0:.1f} s, {len(errors)} errors"
          + "".join(f"\n  {e}" for e in errors), file=sys.stderr, flush=True)


def watch_versions(url: str, db: str, stop: threading.Event, every: float = 1.0) -> None:
    """After each load or rollback (a new version of the real database), open the usual pages again on it, so
    that the sessions moving to it find its tables, figures and maps computed once rather than each computing
    them. Checked every `every` seconds; a version that changes again while warming is warmed next."""
    seen = _db_version(db)
    while not stop.wait(every):
        v = _db_version(db)
        if v is not None and v != seen:
            seen = v
            _warm_once(url, "new version")


def warm_in_background(port: int) -> None:
    """Called by ui.serve before the server starts: once it answers, open the usual pages once (caches filled, heavy
    modules imported), and say so in the log; then again after each change of the real database's version (a load
    or a rollback, by this process or another). PAR_WARM=0 switches both off."""
    if os.environ.get("PAR_WARM", "1") == "0":
        return

    def work() -> None:
        from ui.data import DB_PATH              # the real database: the one loads and rollbacks change
        url = f"http://127.0.0.1:{port}"
        if not _wait_healthy(url):
            return
        _warm_once(url, "start")
        watch_versions(url, str(DB_PATH), threading.Event())

    threading.Thread(target=work, name="warm-up", daemon=True).start()
