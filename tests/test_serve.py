"""`flowmap serve --seed` as `make run` starts it: a real process on a real port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import MINI_SEEDS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_seeds_and_reports_health(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "FLOWMAP_DATA_DIR": str(tmp_path),
        "FLOWMAP_SEEDS_DIR": str(MINI_SEEDS),
        "FLOWMAP_STORE": "embedded",
    }
    exe = Path(sys.executable).parent / "flowmap"
    proc = subprocess.Popen(
        [str(exe), "serve", "--seed", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else "server exited"
                assert time.monotonic() < deadline, "server did not come up within 60 s"
                time.sleep(0.2)
        assert body["store"] == "embedded" and body["reachable"] is True
        assert body["counts"]["nodes"]["Organization"] == 4
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_refuses_an_exposed_address_without_tokens(tmp_path: Path) -> None:
    env = {**os.environ, "FLOWMAP_DATA_DIR": str(tmp_path), "FLOWMAP_STORE": "embedded", "FLOWMAP_API_TOKENS": ""}
    exe = Path(sys.executable).parent / "flowmap"
    done = subprocess.run(
        [str(exe), "serve", "--host", "0.0.0.0"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "FLOWMAP_API_TOKENS" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "flowmap.lbug").exists()  # refused before touching the store
