"""More than one process (issue 22 item 2): two app processes on loopback behind nginx configured with deploy/'s own
files (the upstream, the affinity cookie, the websocket and upload locations). An admin signed in with an account on
one process loads a file; a reader whose session lives on the other process moves to the new data at its next click,
with no error in either; every browser's requests stay on one process. Needs Debian's nginx (nginx-light) and
Chromium: skipped without them on a developer's machine, failing in CI."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_browser import ART, _open          # noqa: F401  (skips or fails the module without Chromium)
from tests.browserkit import Server, browser_context, wait_idle
from tests.nginxkit import DEPLOY, NGINX, Nginx, get

if not Path(NGINX).exists():
    if os.environ.get("CI"):
        raise RuntimeError("nginx is required for the deployment test in CI (apt-get install nginx-light)")
    pytest.skip("nginx not installed on this machine", allow_module_level=True)

PW = "mật-khẩu-triển-khai-2026"


@pytest.fixture()
def two_processes(built_db, tmp_path):
    from etl import accounts as acc
    data = tmp_path / "data"
    data.mkdir()
    db = data / "index.duckdb"
    shutil.copyfile(built_db, db)
    acc.add(db, "lan.nguyen", "editor", PW)
    env = {"PAR_BEHIND_PROXY": "1"}
    with Server(db, env=env) as a, Server(db, env=env) as b:
        (tmp_path / "nginx").mkdir()
        nginx = Nginx(tmp_path / "nginx", (a.port, b.port))
        try:
            yield db, nginx, (a.port, b.port)
        finally:
            nginx.stop()


def test_a_load_through_one_process_is_served_by_both(two_processes, tmp_path):
    from tests.helpers import LONG_HEADER, long_rows, write_long
    db, nginx, ports = two_processes
    # a new browser gets its affinity cookie once; a browser that has one keeps it
    status, cookies = get(nginx.url + "/")
    assert status == 200 and len(cookies) == 1 and re.match(r"chiso_node=\w+; Path=/; HttpOnly", cookies[0])
    assert get(nginx.url + "/", "abc")[1] == []
    keys = nginx.key_per_process(ports)

    fixed = write_long(tmp_path / "diem_2025.xlsx", long_rows(db, unit="Sở Tư pháp", share=0.9), header=LONG_HEADER)
    # two "browsers": one Chromium, two host names, so two cookie jars (one Playwright per test process)
    with browser_context(tmp_path / "chrome", viewport={"width": 1280, "height": 900}) as ctx:
        ctx.add_cookies([{"name": "chiso_node", "value": keys[ports[0]], "url": nginx.url},
                         {"name": "chiso_node", "value": keys[ports[1]], "url": nginx.url2}])
        reader = ctx.new_page()
        _open(reader, f"{nginx.url2}/xep-hang-don-vi?level=department&year=2025")

        page = ctx.new_page()
        _open(page, f"{nginx.url}/quan-tri", charts=False)
        page.get_by_label("Tên tài khoản").fill("lan.nguyen")
        page.get_by_label("Mật khẩu").fill(PW)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_selector("text=Đã đăng nhập: lan.nguyen")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fixed))
        page.wait_for_selector("text=hợp lệ")
        wait_idle(page)
        page.get_by_role("button", name="Xác nhận nạp").click()
        page.wait_for_selector("text=Đã nạp diem_2025.xlsx")

        # the reader's session lives in the other process: it moves to the new data at its next click
        reader.get_by_text("UBND cấp xã").click()
        reader.wait_for_selector("text=Dữ liệu vừa được cập nhật")
        wait_idle(reader)
        ART.mkdir(parents=True, exist_ok=True)
        reader.screenshot(path=str(ART / "deploy_reader_after_load.png"))
        for p in (page, reader):
            assert p.locator('[data-testid="stException"]').count() == 0
            assert "Traceback" not in p.inner_text("body")
        page.close()
        reader.close()

    log = [r for r in nginx.requests() if "probe=" not in r[3]]
    by_key: dict[str, set[str]] = {}
    for upstream, key, _, _ in log:
        by_key.setdefault(key, set()).add(upstream)
    assert by_key[keys[ports[0]]] == {f"127.0.0.1:{ports[0]}"}          # every request of a browser: one process
    assert by_key[keys[ports[1]]] == {f"127.0.0.1:{ports[1]}"}
    assert any("/_stcore/upload_file" in r[3] and r[0].endswith(f":{ports[0]}") for r in log)  # the load went via one
    assert not [r for r in log if r[2].startswith("5")], [r for r in log if r[2].startswith("5")]
    from etl import db as dbmod
    con_log = dbmod.version_info(db)
    assert con_log["last_file"] == "diem_2025.xlsx"


def test_the_installed_configuration_is_valid(tmp_path):
    """nginx -t on deploy/nginx-chiso.conf as IT staff install it (both servers, HTTPS), with a throwaway certificate
    where the province's goes."""
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=chiso.example.gov.vn", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    site = (DEPLOY / "nginx-chiso.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/chiso/fullchain.pem", str(cert)).replace("/etc/ssl/chiso/privkey.pem", str(key))
    site = site.replace("/etc/nginx/chiso-app.conf", str(DEPLOY / "chiso-app.conf"))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
                    f"http {{\naccess_log off;\n{site}\n}}\n", encoding="utf-8")
    out = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
