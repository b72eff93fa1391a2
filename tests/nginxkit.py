"""nginx in front of app processes on loopback, configured with deploy/'s own files: used by the deployment test
(tests/test_deploy.py) and the many-sessions benchmark with two processes (bench/sessions.py --processes 2)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.browserkit import free_port

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Nginx:
    """nginx in the foreground on a loopback port, with deploy/nginx-chiso.conf's maps and upstream (pointed at the
    test's app ports) and deploy/chiso-app.conf's locations; its access log names the process of every request."""

    def __init__(self, folder: Path, ports: tuple[int, int]):
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.url2 = f"http://127.0.0.2:{self.port}"
        text = (DEPLOY / "nginx-chiso.conf").read_text(encoding="utf-8")
        head = text[: text.index("server {")]                 # the maps and the staff's upstream, as installed
        head = head.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8502", f"127.0.0.1:{ports[1]}")
        temps = "\n".join(f"{k}_temp_path {folder}/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = folder / "nginx.conf"
        conf.write_text(f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes 1;
error_log {folder}/error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    log_format chiso '$upstream_addr $cookie_chiso_node $status $request_uri';
    access_log {folder}/access.log chiso;
    {temps}
    {head}
    server {{
        listen 127.0.0.1:{self.port};
        listen 127.0.0.2:{self.port};           # a second host name for a second browser (its own cookies)
        set $chiso_upstream chiso_app;
        include {DEPLOY}/chiso-app.conf;
    }}
}}
""", encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("nginx did not start: " + self.error_log())
                time.sleep(0.1)

    def error_log(self) -> str:
        p = self.folder / "error.log"
        return p.read_text(encoding="utf-8", errors="replace")[-2000:] if p.exists() else ""

    def requests(self) -> list[tuple[str, str, str, str]]:
        """(upstream address, affinity cookie, status, URI) of every request so far."""
        p = self.folder / "access.log"
        return [tuple(line.split(" ", 3)) for line in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []

    def logged_after(self, before: int, wait: float = 10) -> tuple[str, str, str, str]:
        """The first request logged after the first `before` lines: nginx writes its access log line after the
        response has gone, so a client can read the log before the line is there."""
        deadline = time.monotonic() + wait
        while len(lines := self.requests()) <= before:
            if time.monotonic() > deadline:
                raise AssertionError(f"nginx logged no request within {wait:g} s")
            time.sleep(0.02)
        return lines[before]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)          # graceful: open websockets are closed
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def key_per_process(self, ports: tuple[int, ...]) -> dict[int, str]:
        """An affinity cookie value that nginx sends to each process (its consistent hash decides; we ask it)."""
        found: dict[int, str] = {}
        for i in range(64):
            key = f"k{i:02d}"
            before = len(self.requests())
            get(self.url + f"/_stcore/health?probe={key}", key)
            port = int(self.logged_after(before)[0].rsplit(":", 1)[1])
            found.setdefault(port, key)
            if len(found) == len(ports):
                return found
        raise AssertionError(f"64 cookies did not reach every process: {found}")


def get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": f"chiso_node={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers.get_all("Set-Cookie") or []
