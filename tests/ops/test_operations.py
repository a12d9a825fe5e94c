"""Running flowmap: structured logs with a request id, liveness and readiness, graceful shutdown and restarts."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from flowmap.logs import JsonFormatter, TextFormatter, request_id_from
from flowmap.store import GraphStore
from tests.api.conftest import EDITOR, GRAPHQL_RESPONSE, TOKENS, Api, serve
from tests.conftest import MINI_SEEDS

TIA = 'mutation { recordTia(engagementId: "demo.client-be>demo.nimbus-cloud", reference: "TIA-log") { version } }'


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, logging.Handler]]:
    """Every log line, as `flowmap serve` writes them (JSON), into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield buffer, handler
    root.removeHandler(handler)
    root.setLevel(level)


def _lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]  # each line must be one JSON object


async def test_request_id_is_kept_returned_and_on_every_line(
    seeded: GraphStore, captured: tuple[io.StringIO, logging.Handler]
) -> None:
    buffer, _ = captured
    async with serve(seeded, host="0.0.0.0", api_tokens=SecretStr(TOKENS)) as api:
        headers = {"X-Request-ID": "req-42.a", "Authorization": f"Bearer {EDITOR}", "Accept": GRAPHQL_RESPONSE}
        response = await api.http.post("/graphql", json={"query": TIA}, headers=headers)
        assert response.status_code == 200 and response.headers["x-request-id"] == "req-42.a"
    lines = _lines(buffer)
    mine = [line for line in lines if line["request_id"] == "req-42.a"]
    # The edit's own line and the request line, both with the id; nothing else in the buffer claims it.
    assert [line["logger"] for line in mine] == ["flowmap.editing", "flowmap.http"]
    assert "recordTia on engagement" in mine[0]["message"]
    request = mine[1]
    assert {k: request[k] for k in ("method", "path", "status", "role", "level")} == {
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "role": "editor",
        "level": "INFO",
    }
    assert isinstance(request["duration_ms"], float) and request["time"].endswith("Z")
    assert all(set(line) >= {"time", "level", "logger", "message", "request_id"} for line in lines)
    assert EDITOR not in buffer.getvalue() and "Bearer" not in buffer.getvalue()  # never a token


@pytest.mark.parametrize("incoming", ["", "x" * 129, "two words", "line\nbreak", "é", '{"json": 1}'])
def test_an_insane_request_id_is_replaced(incoming: str) -> None:
    made = request_id_from(incoming)
    assert made != incoming and len(made) == 32 and made.isalnum()
    assert request_id_from("A-b_c.1:2@x/y+z=") == "A-b_c.1:2@x/y+z="


async def test_each_request_gets_its_own_id_even_concurrently(
    api: Api, captured: tuple[io.StringIO, logging.Handler]
) -> None:
    buffer, _ = captured
    responses = await asyncio.gather(*(api.http.get("/healthz") for _ in range(20)))
    ids = {r.headers["x-request-id"] for r in responses}
    assert len(ids) == 20
    logged = {line["request_id"] for line in _lines(buffer) if line["logger"] == "flowmap.http"}
    assert ids <= logged


def test_text_format_carries_the_same_fields() -> None:
    record = logging.LogRecord("flowmap.http", logging.INFO, __file__, 1, "GET /healthz 200", None, None)
    record.status, record.method = 200, "GET"
    line = TextFormatter().format(record)
    assert " INFO    flowmap.http: GET /healthz 200 " in line and "method=GET status=200" in line


async def test_liveness_and_readiness(seeded: GraphStore) -> None:
    async with serve(seeded) as api:
        state = api.http._transport.app.state  # type: ignore[attr-defined]
        await state.warmup
        ready = await api.http.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"ready": True, "revision": await seeded.revision()}
        assert (await api.http.get("/healthz")).status_code == 200
        state.draining = True  # what shutdown sets first
        assert (await api.http.get("/readyz")).json() == {"ready": False, "reason": "shutting down"}
        state.draining = False
        await seeded.close()
        not_ready = await api.http.get("/readyz")
        assert not_ready.status_code == 503 and not_ready.json()["reason"].startswith("the store does not answer")
        live = await api.http.get("/healthz")  # the process is still up
        assert live.status_code == 200 and live.json()["reachable"] is False


async def test_not_ready_until_the_map_is_loaded(seeded: GraphStore) -> None:
    async with serve(seeded) as api:
        state = api.http._transport.app.state  # type: ignore[attr-defined]
        snapshots = state.services.snapshots
        async with snapshots._lock:  # the warm-up cannot finish loading the map meanwhile
            loading = await api.http.get("/readyz")
            assert loading.status_code == 503 and loading.json() == {
                "ready": False,
                "reason": "the map is still loading",
            }
        await state.warmup
        assert (await api.http.get("/readyz")).status_code == 200


# --- a real process: SIGTERM, in-flight requests, restarts ---------------------------------------------------

CYCLES = 5
ENGAGEMENT = "client-nl>acme"
READ = '{ organization(id: "client-nl") { engagementsOut { edges { node { id version tiaRef } } } } }'
RECORD = 'mutation ($ref: String!, $v: Int) { recordTia(engagementId: "client-nl>acme", reference: $ref, expectedVersion: $v) { version tiaRef } }'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`flowmap serve` as a subprocess on a loopback port, its stderr (the JSON log) collected."""

    def __init__(self, data: Path, *, seed: bool) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "FLOWMAP_DATA_DIR": str(data),
            "FLOWMAP_SEEDS_DIR": str(MINI_SEEDS),
            "FLOWMAP_STORE": "embedded",
            "FLOWMAP_API_TOKENS": "",
            "FLOWMAP_LOG_FORMAT": "json",
        }
        exe = Path(sys.executable).parent / "flowmap"
        args = [str(exe), "serve", "--port", str(self.port), *(["--seed"] if seed else [])]
        self.proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.stderr: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def wait_ready(self, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = httpx.get(f"{self.url}/readyz", timeout=2)
                if response.status_code == 200:
                    return dict(response.json())
            except httpx.TransportError:
                pass
            assert self.proc.poll() is None, "".join(self.stderr)
            assert time.monotonic() < deadline, "not ready in time:\n" + "".join(self.stderr)
            time.sleep(0.05)

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"query": query, "variables": variables or {}}
        response = httpx.post(f"{self.url}/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE}, timeout=10)
        data = response.json()
        assert response.status_code == 200 and "errors" not in data, data
        return dict(data["data"])

    def stop(self, timeout: float = 20) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def log(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stderr if line.startswith("{")]


def _slow_body(request: str, pause: float) -> Iterator[bytes]:
    """A request body that takes ``pause`` seconds to arrive: the request is in flight for that long."""
    payload = json.dumps({"query": request}).encode()
    yield payload[:5]
    time.sleep(pause)
    yield payload[5:]


def test_sigterm_finishes_in_flight_requests_closes_the_store_and_survives_restarts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    previous: str | None = None
    for cycle in range(CYCLES):
        server = Server(data, seed=cycle == 0)
        try:
            ready = server.wait_ready()
            (node,) = [
                e["node"]
                for e in server.post(READ)["organization"]["engagementsOut"]["edges"]
                if e["node"]["id"] == ENGAGEMENT
            ]
            # Everything the earlier cycles wrote is there: the last reference, one version per cycle.
            assert node == {"id": ENGAGEMENT, "version": cycle, "tiaRef": previous if cycle else node["tiaRef"]}
            saved = server.post(RECORD, {"ref": f"TIA-{cycle}", "v": cycle})["recordTia"]
            assert saved == {"version": cycle + 1, "tiaRef": f"TIA-{cycle}"}
            previous = f"TIA-{cycle}"
            assert ready["revision"] >= 1

            in_flight: dict[str, Any] = {}

            def slow(server: Server = server, in_flight: dict[str, Any] = in_flight) -> None:
                with httpx.Client(timeout=20) as http:
                    response = http.post(
                        f"{server.url}/graphql",
                        content=_slow_body("{ version }", 0.9),
                        headers={"Accept": GRAPHQL_RESPONSE, "Content-Type": "application/json"},
                    )
                    in_flight["status"], in_flight["body"] = response.status_code, response.json()

            client = threading.Thread(target=slow)
            client.start()
            time.sleep(0.3)  # the request has started; its body is still on the way
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.25)
            with pytest.raises(httpx.ConnectError):  # no new requests are taken...
                httpx.get(f"{server.url}/healthz", timeout=2)
            client.join(timeout=20)
            assert (
                in_flight.get("status") == 200 and "version" in in_flight["body"]["data"]
            )  # ...the one in flight ends
            code = server.proc.wait(timeout=20)
            server._reader.join(timeout=5)
        finally:
            if server.proc.poll() is None:
                server.proc.kill()
                server.proc.wait()
        assert code == 0, "".join(server.stderr)
        messages = [line["message"] for line in server.log()]
        assert any(m.startswith("shutdown complete: the embedded store was flushed and closed") for m in messages)
        assert messages[-1] == "stopped"
        assert not list(data.glob("*.wal")), "a clean close leaves no write-ahead log behind"
