"""A session without a browser: Streamlit's own websocket protocol (protobuf BackMsg / ForwardMsg), used to fill a
fresh server's caches before its first visitor (`python -m ui.warm --port 8501`, started beside the server by `make
run` and by the systemd unit: it waits until the server answers, then opens the usual pages once) and by the load
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

# the first page, the pages leaders open first and the Home Affairs pages (real database): what a restart or a load
# should not make anyone wait for (after a unit load the national pages are still warm: ui.data.national_version)
WARM_PAGES = ["", "tong-quan", "xep-hang-toan-quoc", "ho-so-tinh", "xu-huong", "xep-hang-don-vi", "trinh-chieu",
              "phan-tich-tieu-chi", "tu-danh-gia-tham-dinh", "ho-so-don-vi", "muc-tieu", "canh-bao"]


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


def warm(port: int, limit: float = 480) -> int:
    """Once the server on `port` answers, open the usual pages once (caches filled, heavy modules imported) and say so
    on stderr (the server's log beside it). Returns the number of errors. PAR_WARM=0 switches it off.

    A process of its own rather than a thread in the server's: Streamlit runs no app code before the first visitor,
    and starting it from a patched launcher is what this replaces."""
    if os.environ.get("PAR_WARM", "1") == "0":
        return 0
    url = f"http://127.0.0.1:{port}"
    if not _wait_healthy(url):
        print(f"warm-up: no server answered on {url}", file=sys.stderr, flush=True)
        return 1
    t0 = time.perf_counter()
    try:
        runs = asyncio.run(asyncio.wait_for(warm_pages(url), limit))
    except Exception as e:                       # a warm-up is a help: never a reason to stop the server
        print(f"warm-up failed: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return 1
    errors = [f"/{r.page}: {e}" for r in runs for e in r.errors]
    print(f"warm-up: {len(runs)} pages in {time.perf_counter() - t0:.1f} s, {len(errors)} errors"
          + "".join(f"\n  {e}" for e in errors), file=sys.stderr, flush=True)
    return len(errors)


def _db_version(path: str) -> str | None:
    """The same identity as ui.data.db_version (inode and modification time): a load or rollback swaps in a new
    file, so the identity changes."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_ino}-{st.st_mtime_ns}"


def _warm_again(url: str) -> None:
    t0 = time.perf_counter()
    try:
        runs = asyncio.run(warm_pages(url))
    except Exception as e:                       # a warm-up is a help: never a reason to stop anything
        print(f"warm-up (new version) failed: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return
    errors = [f"/{r.page}: {e}" for r in runs for e in r.errors]
    print(f"warm-up (new version): {len(runs)} pages in {time.perf_counter() - t0:.1f} s, {len(errors)} errors"
          + "".join(f"\n  {e}" for e in errors), file=sys.stderr, flush=True)


def watch_versions(url: str, db: str, stop: threading.Event, every: float = 1.0, health_every: float = 30.0,
                   warm_again=None, seen: str | None = None) -> None:
    """After each load or rollback (a new version of the real database, by any process), open the usual pages
    again on it, so that the sessions moving to it find its tables, figures and maps computed once rather than each
    computing them. Checked every `every` seconds; ends when the server no longer answers (checked every
    `health_every` seconds), so a warm-up left behind by a stopped server does not linger."""
    warm_again = warm_again or _warm_again
    seen, last_health = seen or _db_version(db), time.monotonic()
    while not stop.wait(every):
        if time.monotonic() - last_health > health_every:
            if not _wait_healthy(url, limit=health_every):
                return
            last_health = time.monotonic()
        v = _db_version(db)
        if v is not None and v != seen:
            seen = v
            warm_again(url)


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m ui.warm", description="open the usual pages once on a fresh server, "
                                 "then again after each load or rollback")
    ap.add_argument("--port", type=int, default=int(os.environ.get("STREAMLIT_SERVER_PORT", "8501")))
    ap.add_argument("--once", action="store_true", help="warm at start only; do not watch for new versions")
    a = ap.parse_args(argv)
    from ui.data import DB_PATH                  # the real database (PAR_DB): the one loads and rollbacks change
    seen = _db_version(str(DB_PATH))             # before warming: a load during the first warm-up is warmed next
    warm(a.port)
    if not a.once and os.environ.get("PAR_WARM", "1") != "0":
        watch_versions(f"http://127.0.0.1:{a.port}", str(DB_PATH), threading.Event(), seen=seen)
    return 0                                     # never a failure for whoever started it (make, systemd)


if __name__ == "__main__":
    sys.exit(main())
