"""One JupyterLab server and one headless Chromium for the browser tests (issue 9).

The server runs on 127.0.0.1, a free port and a random token, over a temporary copy of
notebooks/ (the stored notebooks are never touched) and with its own Jupyter config, data and
runtime directories (a learner's settings cannot change what the tests see). The browser is
Debian's Chromium driven by Playwright, never a browser that a test tool downloads. Without
them the tests are skipped with the reason shown in the summary; under CI=true that is a failure.
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
START_TIMEOUT = 90  # seconds for JupyterLab to answer /api/status

# Filled by the tests, printed in the terminal summary (pytest hides print() without -s).
LATENCIES: dict[str, list[float]] = {}
FLOOR: list[float] = []  # the same timer on a trivial widget in an empty notebook: this machine's Jupyter round trip
PAGE_FLOORS: dict[str, list[float]] = {}  # figure → the trivial widget's latencies between that figure's presses
UNTIMED: dict[str, int] = {}  # figure → its presses that changed only the readout (no new picture, so not timed)
SUMMARY_LINES: list[str] = []  # other measured facts, printed after the latencies
SKIPPED: list[str] = []


def unavailable(reason: str) -> None:
    """Skip the browser tests with `reason`, or fail under CI=true, where they must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires the browser tests to run", pytrace=False)
    SKIPPED.append(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: its base url, token, served directory and process."""

    url: str
    port: int
    token: str
    root: Path
    process: subprocess.Popen
    log: Path
    _closed: bool = field(default=False, repr=False)

    def request(self, method: str, path: str, *, token: bool = True) -> tuple[int, dict, bytes]:
        """One HTTP request to the server (no redirects followed); with the token unless token=False."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": f"token {self.token}"} if token else {}
        try:
            conn.request(method, path, headers=headers)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def page_url(self, notebook: str) -> str:
        """The JupyterLab url that opens `notebook` in a fresh workspace."""
        return f"{self.url}/lab/tree/{quote(notebook)}?reset&token={self.token}"

    def shutdown_kernels(self, notebook: str) -> None:
        """Shut down the kernel of every session on `notebook`, and wait until it is gone."""
        status, _, body = self.request("GET", "/api/sessions")
        assert status == 200, f"GET /api/sessions: {status}"
        sessions = [s for s in json.loads(body) if s["path"].endswith(notebook)]
        ids = {s["kernel"]["id"] for s in sessions}
        for s in sessions:
            self.request("DELETE", f"/api/sessions/{s['id']}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            _, _, body = self.request("GET", "/api/kernels")
            if not {k["id"] for k in json.loads(body)} & ids:
                return
            time.sleep(0.1)
        raise AssertionError(f"the kernel of {notebook} did not shut down")

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _lab_settings(config_dir: Path) -> None:
    """Quiet, deterministic JupyterLab: no news prompt, and the notebook windowing a learner gets by
    default (every cell in the page, off-screen cells skipped by the browser's content-visibility),
    written out so that a change of JupyterLab's default cannot change what the tests measure."""
    page_config = config_dir / "labconfig" / "page_config.json"
    page_config.parent.mkdir(parents=True)
    page_config.write_text(json.dumps({"disabledExtensions": {
        "@jupyterlab/apputils-extension:announcements": True}}))
    tracker = config_dir / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "contentVisibility"}))


# Module scope: every browser test lives in test_notebooks_in_browser.py, so this is one server and
# one browser per test session; and Playwright's sync API marks its asyncio loop as running between
# calls, which would break the later tests that look for a running loop (helpers.live), so it must
# be stopped as soon as the browser tests are done.
@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Lab:
    """JupyterLab on a copy of notebooks/, started once for the browser tests and killed after them."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "notebooks"
    shutil.copytree(REPO / "notebooks", root,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    env = dict(os.environ)
    for name in ("config", "data", "runtime"):
        (base / name).mkdir()
        env[f"JUPYTER_{name.upper()}_DIR"] = str(base / name)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    _lab_settings(base / "config")
    port, token = free_port(), secrets.token_hex(24)
    jupyter_lab = Path(sys.executable).parent / "jupyter-lab"
    cmd = [str(jupyter_lab)] if jupyter_lab.exists() else [sys.executable, "-m", "jupyterlab"]
    cmd += ["--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    log = base / "jupyter.log"
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Lab(f"http://127.0.0.1:{port}", port, token, root, process, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                if server.request("GET", "/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT} s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def latencies() -> dict[str, list[float]]:
    """Where the tests put their measured latencies (ms) for the terminal summary."""
    return LATENCIES


@pytest.fixture(scope="session")
def floor() -> list[float]:
    """Where the floor test puts the trivial widget's latencies (ms)."""
    return FLOOR


@pytest.fixture(scope="session")
def page_floors() -> dict[str, list[float]]:
    """Where the notebook tests put, for each figure, the floor timed between its presses in its own page."""
    return PAGE_FLOORS


@pytest.fixture(scope="session")
def untimed() -> dict[str, int]:
    """Where the notebook tests put, for each figure, how many presses changed only its readout."""
    return UNTIMED


@pytest.fixture(scope="session")
def summary_lines() -> list[str]:
    """Where the tests put other lines for the terminal summary."""
    return SUMMARY_LINES


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium under Playwright (fresh contexts, no profile of the machine's)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -r requirements.txt)")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _context_fixture(scale: int, doc: str):
    """A module-scoped fixture: a fresh page context with device scale factor `scale`."""
    def fixture(chromium):
        context = chromium.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=scale)
        try:
            yield context
        finally:
            context.close()
    fixture.__doc__ = doc
    return pytest.fixture(scope="module")(fixture)


browser = _context_fixture(2, "A page context like a HiDPI laptop's (device scale factor 2), where blur would show.")
browser_1x = _context_fixture(1, "A page context like a plain screen's (device scale factor 1).")


def pytest_terminal_summary(terminalreporter):
    """Show each figure's slider → repainted-figure latency beside the floor (a trivial widget timed
    the same way, in the figure's own page, between the figure's presses), the floor in an empty
    notebook, the other measured facts, and last the figure furthest above its floor."""
    tr = terminalreporter
    if LATENCIES or FLOOR:
        tr.section("browser latency: slider key press -> repainted figure")
    empty = median(FLOOR) if FLOOR else None
    if FLOOR:
        tr.write_line(f"floor in an empty notebook (a slider swapping a tiny image): median {empty:.0f} ms "
                      f"over {len(FLOOR)} moves")
    over: dict[str, tuple[float, float]] = {}  # figure → (its median, its page's floor)
    for name, samples in LATENCIES.items():
        floor = PAGE_FLOORS[name]  # recorded together with the figure's latencies
        over[name] = (median(samples), median(floor))
        same = UNTIMED.get(name, 0)
        tr.write_line(f"{name}: median {over[name][0]:.0f} ms; floor {over[name][1]:.0f} ms; over {len(samples)} moves "
                      f"(min {min(samples):.0f}, max {max(samples):.0f}; the floor between them over {len(floor)} moves"
                      + (f"; {same} more moves changed only the readout, the picture being the same, and are not timed"
                         if same else "") + ")")
    for line in SUMMARY_LINES:
        tr.write_line(line)
    for reason in dict.fromkeys(SKIPPED):
        tr.write_line(f"browser tests skipped: {reason}")
    if over:
        if empty is not None:
            highest, alone = round(max(m for m, _ in over.values())), round(empty)
            tr.write_line(f"against the empty notebook's floor: highest figure median {highest} ms; "
                          f"floor {alone} ms; difference {highest - alone} ms")
        name = max(over, key=lambda n: over[n][0] - over[n][1])
        worst, floor = (round(t) for t in over[name])  # the overhead printed is the difference of the two printed
        tr.write_line(f"furthest above its floor: {name}")
        tr.write_line(f"browser: worst figure median {worst} ms; floor {floor} ms; overhead {worst - floor} ms")
