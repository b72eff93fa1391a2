"""What every real-browser test needs, in one place, so that a slow or busy machine makes the tests slower,
never red:

- `Server`: the app served on a free loopback port, its output kept in a log file; started when its health
  endpoint answers (or failing at once, with the log, if the process dies); stopped with SIGTERM, a grace
  period, then SIGKILL, so no process or port is left behind.
- `browser_context`: Debian's Chromium through Playwright, with generous default timeouts; every page it opens
  is remembered so that a failing test can leave a screenshot of it (see conftest.py).
- `wait_idle`, `open_page`, `download`: waits on what the test needs (the app's script state staying idle,
  the element attached and enabled), never on fixed sleeps.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ART = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

START_S = 180          # a cold server on a busy machine has taken 20 s; a server that is not up in 3 min is broken
STOP_GRACE_S = 20      # SIGTERM first (Streamlit stops its sessions), SIGKILL after this
ACTION_MS = 60_000     # default wait of any click, fill or selector (Playwright's own default is 30 s)
NAV_MS = 90_000

LIVE_SERVERS: list["Server"] = []
LIVE_PAGES: list = []
STOPPED_LOGS: dict[str, str] = {}      # the last lines of servers stopped lately (a test's own server stops before
                                       # its failure is reported)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` on 127.0.0.1, optionally on another database (PAR_DB) and secrets file; with PAR_WARM=1
    also `python -m ui.warm` beside it, as `make run` and the systemd unit start it (its lines in the same log)."""

    def __init__(self, db: Path | None = None, secrets: Path | None = None, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
                "--server.port", str(self.port), "--browser.gatherUsageStats", "false"]
        if secrets:
            args += ["--secrets.files", str(secrets)]
        # no warm-up (ui/warm.py) unless a test asks for it: it would compete with the test's own first page
        full_env = {**os.environ, "PAR_WARM": "0", **(env or {})}
        if db:
            full_env["PAR_DB"] = str(db)
        fd, name = tempfile.mkstemp(prefix=f"streamlit-{self.port}-", suffix=".log")
        self.log_path = Path(name)
        self._log = os.fdopen(fd, "w")
        # its own process group: a stop reaches any child it started too
        self.proc = subprocess.Popen(args, cwd=ROOT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.warm = None
        if full_env["PAR_WARM"] != "0":
            self.warm = subprocess.Popen([sys.executable, "-m", "ui.warm", "--port", str(self.port)], cwd=ROOT,
                                         env=full_env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        LIVE_SERVERS.append(self)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app server exited with {self.proc.returncode} before it was ready:\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"the app server did not answer on {self.url} within {START_S} s:\n" + self.log_tail())

    def log_tail(self, n: int = 40) -> str:
        try:
            self._log.flush()
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self in LIVE_SERVERS:
            LIVE_SERVERS.remove(self)
        if self.warm is not None and self.warm.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.warm.pid, signal.SIGKILL)
            self.warm.wait(30)
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)
        STOPPED_LOGS[self.url] = self.log_tail()
        while len(STOPPED_LOGS) > 3:
            STOPPED_LOGS.pop(next(iter(STOPPED_LOGS)))
        self._log.close()
        self.log_path.unlink(missing_ok=True)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def browser_context(user_dir: Path, **kw):
    """A persistent Chromium context whose pages wait generously and are remembered for failure reports."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(user_dir), executable_path=CHROMIUM, headless=True,
                                                   args=ARGS, **kw)
        ctx.set_default_timeout(ACTION_MS)
        ctx.set_default_navigation_timeout(NAV_MS)
        ctx.on("page", _track)
        for pg in ctx.pages:
            _track(pg)
        try:
            yield ctx
        finally:
            for pg in list(ctx.pages):
                _untrack(pg)
            ctx.close()


def _track(page) -> None:
    LIVE_PAGES.append(page)
    page.on("close", _untrack)


def _untrack(page) -> None:
    if page in LIVE_PAGES:
        LIVE_PAGES.remove(page)


_IDLE = """(ms) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const ok = !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED';
  const now = performance.now();
  if (!ok) { window.__idleSince = undefined; return false; }
  if (window.__idleSince === undefined) window.__idleSince = now;
  return now - window.__idleSince >= ms;
}"""


def wait_idle(page, timeout: int = NAV_MS, quiet_ms: int = 400) -> None:
    """The app has run its script and stayed idle (connected, not running) for `quiet_ms`: a rerun that a run
    asks for (a URL change, a page switch) has had time to start. Call it after waiting for the effect of an
    action (a URL, a text), not instead of it."""
    page.evaluate("() => { window.__idleSince = undefined; }")
    page.wait_for_function(_IDLE, arg=quiet_ms, timeout=timeout, polling=100)


def open_page(page, url: str, charts: bool = True) -> None:
    """Go to a URL and wait until the app is idle and (if the page draws any) its first chart is drawn."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]'
                           '[data-test-connection-state="CONNECTED"]')
    wait_idle(page)
    if charts:
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')


def download(page, button: str, path: Path) -> Path:
    """Click a download button once the app is idle, and save what it sends. The file is built on click
    (callable data), which can take a while on a busy machine: one click, a generous wait."""
    wait_idle(page)
    target = page.get_by_role("button", name=button)
    target.wait_for(state="visible")
    with page.expect_download(timeout=NAV_MS) as dl:
        target.click()
    dl.value.save_as(path)
    return path


def failure_report(name: str) -> str:
    """Screenshots of every open page and the tail of every live server's log, for a failing test."""
    out = []
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:120]
    for i, page in enumerate(list(LIVE_PAGES)):
        try:
            ART.mkdir(parents=True, exist_ok=True)
            shot = ART / f"FAILED_{safe}_{i}.png"
            page.screenshot(path=str(shot), timeout=10_000)
            out.append(f"page {i}: {page.url}\n  screenshot: {shot}")
        except Exception as e:                       # a closed or crashed page: say so, keep reporting
            out.append(f"page {i}: no screenshot ({type(e).__name__})")
    for s in list(LIVE_SERVERS):
        out.append(f"server {s.url}, last log lines:\n{s.log_tail()}")
    for url, tail in STOPPED_LOGS.items():
        out.append(f"server {url} (stopped), last log lines:\n{tail}")
    return "\n".join(out)


def settle(page) -> None:
    """Idle, then two animation frames: what a resize or a rerun changed is laid out before a screenshot or a
    measurement of the screen."""
    wait_idle(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
