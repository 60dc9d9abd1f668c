"""Hosting a class: the container's configuration, and two replicas behind HAProxy on
loopback with deploy/loopback.sh, where a student whose replica dies gets the same view back, and
a class's answers on both replicas are counted together in PostgreSQL."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path


from playwright.sync_api import expect

from classroom.store import Store
from tests.serve import PRINTED_LINES, ROOT, chromium, chromium_page, free_port, wait_healthy, wait_ready
from tests.test_browser_class import answer, ask_from_the_explorer

DEPLOY = ROOT / "deploy"


def test_no_bind_address_is_pinned_in_the_config():
    """A container must listen on every interface and a laptop on loopback: the command line says which."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert "address" not in config.get("server", {})


def test_the_container_runs_as_a_user_on_every_interface_with_a_health_check():
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")  # continued lines as one
    cmd = re.search(r"^CMD (\[.*\])$", text, re.M)[1]
    assert '"--server.address", "0.0.0.0"' in cmd and '"--server.port", "8501"' in cmd
    assert '"--server.fileWatcherType", "none"' in cmd
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert "requirements.txt" in text and "requirements-dev" not in text


def test_the_proxy_config_is_valid_and_sticky():
    text = (DEPLOY / "haproxy.cfg").read_text()
    assert "cookie REPLICA insert" in text and "option redispatch" in text and "timeout tunnel" in text
    env = {**os.environ, "LISTEN": "127.0.0.1:1", "APP1": "127.0.0.1:2", "APP2": "127.0.0.1:3"}
    checked = subprocess.run([haproxy(), "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env, capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_and_kubernetes_name_the_same_image_health_and_affinity():
    compose = (DEPLOY / "compose.yaml").read_text()
    assert "dockerfile: deploy/Dockerfile" in compose and "haproxy.cfg" in compose
    assert re.search(r"APP1: \"app1:8501\"", compose) and re.search(r"APP2: \"app2:8501\"", compose)
    k8s = (DEPLOY / "kubernetes.yaml").read_text()
    assert k8s.count("path: /_stcore/health") == 2 and "sessionAffinity: ClientIP" in k8s
    assert "runAsNonRoot: true" in k8s and "affinity: cookie" in k8s
    # the replicas share one class database: PostgreSQL, by the same kind of URL
    assert "CLASS_DB: postgresql+psycopg://" in compose and "image: postgres:16" in compose
    assert "name: CLASS_DB" in k8s and "url: postgresql+psycopg://" in k8s and "image: postgres:16" in k8s
    assert "ENV CLASS_DB=sqlite:////home/explorer/" in (DEPLOY / "Dockerfile").read_text()


def haproxy() -> str:
    """Debian's haproxy (./test.sh installs it, as it installs chromium)."""
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        raise RuntimeError("haproxy is missing: install Debian's haproxy package (./test.sh does)")
    return found


def change_epochs(page, tries: int = 3) -> None:
    """One step right on the epochs slider; a press that lands while the page is still settling is
    pressed again."""
    for attempt in range(tries):
        page.locator('.st-key-epochs input[type="range"]').focus()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function("() => location.search.includes('epochs=21')", timeout=10_000)
            break
        except Exception:
            if attempt == tries - 1:
                raise
    wait_ready(page)


def replica_of(page) -> str:
    """The replica HAProxy pinned this browser to (its cookie)."""
    return next(c["value"] for c in page.context.cookies() if c["name"] == "REPLICA")


@contextlib.contextmanager
def loopback(tmp_path, **env):
    """deploy/loopback.sh on free ports, with `env`; yields the proxy's URL, each replica's pid and the env."""
    proxy, app1, app2 = free_port(), free_port(), free_port()
    log = (tmp_path / "loopback.log").open("w+")
    env = {**os.environ, "APP1_PORT": str(app1), "APP2_PORT": str(app2), "HAPROXY": haproxy(),
           "PYTHON": sys.executable, "PG_PORT": str(free_port()), **env}
    loop = subprocess.Popen([str(DEPLOY / "loopback.sh"), str(proxy)], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{proxy}"
        try:
            wait_healthy(url, 90, alive=lambda: loop.poll() is None)
            for port in (app1, app2):
                wait_healthy(f"http://127.0.0.1:{port}")
        except OSError as err:
            log.seek(0)
            raise RuntimeError("deploy/loopback.sh did not start:\n" + log.read()) from err
        log.seek(0)
        pids = {m[1]: int(m[2]) for m in re.finditer(r"replica (app\d) port \d+ pid (\d+)", log.read())}
        assert set(pids) == {"app1", "app2"}
        yield url, pids, env
    finally:
        os.killpg(loop.pid, 15)
        loop.wait(30)
        log.close()


def gzipped_through(url: str, path: str) -> tuple[str | None, int, bytes]:
    """`path` fetched through `url` as a browser asks for it: its Content-Encoding, bytes sent, bytes meant."""
    request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip, deflate, br"})
    with urllib.request.urlopen(request, timeout=30) as response:
        encoding, body = response.headers.get("Content-Encoding"), response.read()
    return encoding, len(body), gzip.decompress(body) if encoding == "gzip" else body


def test_a_student_whose_replica_dies_gets_the_same_view_from_the_other(tmp_path):
    with loopback(tmp_path) as (url, pids, _):
        # the proxy gzips what Streamlit sends uncompressed: Plotly.js, 4.8 MB (the 2D charts' 1.5 MB), to a third
        for name in ("plotly.min.js", "plotly-cartesian.min.js"):
            plotly_js = (ROOT / "static" / name).read_bytes()
            encoding, sent, meant = gzipped_through(url, "/app/static/" + name)
            assert encoding == "gzip" and meant == plotly_js and sent < 0.4 * len(plotly_js), (name, encoding, sent)
            print(f"{name} through the proxy: {sent / 1e6:.2f} MB of {len(plotly_js) / 1e6:.2f} MB")
        with chromium_page(1024, 768) as page:
            page.goto(url + "/?optimizer=momentum&lr=0.6&momentum=0.5")
            wait_ready(page)
            change_epochs(page)  # a student's change: 21 epochs, in the link too
            before = page.locator(PRINTED_LINES).first.inner_text()
            assert before.startswith("epoch 21, ")
            replica = replica_of(page)

            started = time.monotonic()
            os.kill(pids[replica], 9)  # the replica dies mid-lesson
            while (other := replica_of(page)) == replica:  # the page reconnects by itself, through the proxy
                assert time.monotonic() - started < 60, "the page did not reach the other replica"
                page.wait_for_timeout(200)
            wait_ready(page, timeout_ms=60_000)
            recovered = time.monotonic() - started
            assert page.locator(PRINTED_LINES).first.inner_text() == before
            assert "epochs=21" in page.url and other in pids
            print(f"failover: the view was back {recovered:.1f} s after the replica died")


def test_a_class_on_two_replicas_is_counted_once_in_postgresql(tmp_path):
    """Students pinned to either replica answer one question; the teacher's count is all of them."""
    with loopback(tmp_path, CLASS_POSTGRES="1") as (url, _, env), chromium() as browser:
        teacher = browser.new_page(viewport={"width": 1400, "height": 1000})
        link = ask_from_the_explorer(teacher, url)
        students = {"app1": 0, "app2": 0}
        for i in range(4):
            pinned = "app1" if i % 2 else "app2"
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.add_cookies([{"name": "REPLICA", "value": pinned, "url": url}])
            phone = answer(context, link, "diverges")
            students[replica_of(phone)] += 1
        assert students == {"app1": 2, "app2": 2}
        expect(teacher.locator('[data-testid="stMetricValue"]')).to_have_text("4", timeout=10_000)
        # in PostgreSQL, not in a file the replicas happen to share
        code = link.split("ask=")[1].split("&")[0]
        shared = Store(f"postgresql+psycopg://class@127.0.0.1:{env['PG_PORT']}/class")
        assert shared.count(code) == 4
        shared.engine.dispose()  # before loopback.sh stops the cluster
