"""README's first command, `make lab`, reaches a running JupyterLab, also where the user is root
(containers, cloud VMs, CI machines), where JupyterLab refuses to start without --allow-root."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """End make and the server it started (its whole process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def test_make_lab_starts_a_server_that_answers(tmp_path):
    if not (REPO / ".venv" / ".installed").exists():
        pytest.skip("make lab would first build .venv; run through `make test`, which builds it")
    port, token = free_port(), "course-test-token"
    args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.token={token} --ServerApp.port_retries=0"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                             headers={"Authorization": f"token {token}"})
                with urllib.request.urlopen(req, timeout=2) as r:
                    status = json.load(r)
                    break
            except OSError:
                time.sleep(0.5)
        if status is None:
            stop(proc)
            pytest.fail(f"JupyterLab did not answer on /api/status:\n{proc.communicate()[0][-2000:]}")
        assert "started" in status
        with pytest.raises(urllib.error.HTTPError):  # and without the token it refuses
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=5)
    finally:
        stop(proc)
        out, _ = proc.communicate()
    if os.geteuid() == 0:
        assert "running as root, so JupyterLab is started with --allow-root" in out
        assert "Running as root is not recommended" not in out
