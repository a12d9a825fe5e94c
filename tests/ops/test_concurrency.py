"""Concurrent changes to one engagement end in a state some serial order of the successful ones gives.

Optimistic versioning: every engagement has a ``version`` (its number of single edits). A change that states
``expectedVersion`` is made only if that is still the version, else it fails with CONFLICT and writes nothing; a
change that states none is serialised after the others. The store checks the version inside the write transaction
(the same statement moves it on), so the check holds whatever the API layer does; these tests fire many changes at
once through the real app, over httpx's ASGI transport (asyncio.gather) and over a socket from threads.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from flowmap.api.app import create_app
from flowmap.domain.audit import AuditRecord
from flowmap.domain.models import FlowMap
from flowmap.errors import Conflict
from flowmap.settings import Settings, StoreKind
from flowmap.store import GraphStore, open_store
from tests.api.conftest import GRAPHQL_RESPONSE, Api

TARGET = "demo.client-be>demo.nimbus-cloud"
DOC = "doc.demo.contract-register"
WRITERS = 24

READ = """{
  organization(id: "demo.client-be") { engagementsOut(first: 100) { edges { node { id version tiaRef evidence { quote } } } } }
  auditLog(first: 1) { totalCount }
}"""
RECORD_TIA = """mutation ($id: ID!, $ref: String!, $v: Int) {
  recordTia(engagementId: $id, reference: $ref, expectedVersion: $v) { version tiaRef }
}"""
ATTACH = """mutation ($id: ID!, $quote: String!, $v: Int) {
  attachEvidence(target: ENGAGEMENT, targetId: $id, expectedVersion: $v,
                 evidence: {document: "doc.demo.contract-register", section: "register", quote: $quote}) {
    ... on Engagement { version }
  }
}"""


async def _engagement(api: Api) -> tuple[dict[str, Any], int]:
    """The target engagement as the API shows it, and the audit log's length."""
    data = await api.data(READ)
    (node,) = [e["node"] for e in data["organization"]["engagementsOut"]["edges"] if e["node"]["id"] == TARGET]
    return dict(node), int(data["auditLog"]["totalCount"])


def _outcome(body: dict[str, Any]) -> tuple[str, Any]:
    """('ok', data) or ('conflict', extensions); anything else fails the test."""
    if "errors" not in body:
        return "ok", body["data"]
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "CONFLICT", body
    return "conflict", error["extensions"]


async def test_same_expected_version_one_wins_the_rest_conflict(api: Api) -> None:
    before, audit_before = await _engagement(api)
    v0 = before["version"]
    assert v0 == 0  # loaded with the map

    async def change(i: int) -> tuple[str, Any]:
        response = await api.post(RECORD_TIA, {"id": TARGET, "ref": f"TIA-{i}", "v": v0})
        assert response.status_code == 200
        return _outcome(response.json())

    outcomes = await asyncio.gather(*(change(i) for i in range(WRITERS)))
    wins = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    conflicts = [extra for kind, extra in outcomes if kind == "conflict"]
    assert len(wins) == 1 and len(conflicts) == WRITERS - 1
    assert all(
        c == {"code": "CONFLICT", "engagement": TARGET, "expectedVersion": v0, "actualVersion": v0 + 1}
        for c in conflicts
    )
    after, audit_after = await _engagement(api)
    # The one serial outcome that fits: only the winner's change, made once.
    assert after["tiaRef"] == f"TIA-{wins[0]}" and after["version"] == v0 + 1
    assert audit_after == audit_before + 1


async def test_unversioned_changes_are_serialised_and_none_is_lost(api: Api) -> None:
    before, audit_before = await _engagement(api)

    async def attach(i: int) -> int:
        response = await api.post(ATTACH, {"id": TARGET, "quote": f"note {i}"})
        kind, data = _outcome(response.json())
        assert kind == "ok"
        return int(data["attachEvidence"]["version"])

    versions = await asyncio.gather(*(attach(i) for i in range(WRITERS)))
    # Each change got its own version: one after the other, in some order.
    assert sorted(versions) == list(range(before["version"] + 1, before["version"] + WRITERS + 1))
    after, audit_after = await _engagement(api)
    quotes = {e["quote"] for e in after["evidence"]}
    assert {f"note {i}" for i in range(WRITERS)} <= quotes  # a lost update would drop one
    assert after["version"] == before["version"] + WRITERS and audit_after == audit_before + WRITERS


async def test_read_modify_write_clients_retry_on_conflict_and_all_land(api: Api) -> None:
    """Clients that always state the version they read: conflicts happen, each retried, every change lands once."""
    before, audit_before = await _engagement(api)
    attempts = {"ok": 0, "conflict": 0}

    async def client(c: int) -> None:
        for n in range(3):
            while True:
                current, _ = await _engagement(api)
                response = await api.post(
                    ATTACH, {"id": TARGET, "quote": f"client {c} note {n}", "v": current["version"]}
                )
                kind, _ = _outcome(response.json())
                attempts[kind] += 1
                if kind == "ok":
                    break

    await asyncio.gather(*(client(c) for c in range(8)))
    after, audit_after = await _engagement(api)
    assert attempts["ok"] == 24 and attempts["conflict"] > 0  # they did collide
    assert after["version"] == before["version"] + attempts["ok"] and audit_after == audit_before + attempts["ok"]
    assert {f"client {c} note {n}" for c in range(8) for n in range(3)} <= {e["quote"] for e in after["evidence"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, seed_map: FlowMap) -> Iterator[str]:
    """``flowmap``'s app under uvicorn in a thread on a loopback port, owning its own seeded store."""
    settings = Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data", host="127.0.0.1", port=_free_port())

    async def seed() -> None:
        store = await open_store(settings)
        await store.write_map(seed_map, actor="test")
        await store.close()

    asyncio.run(seed())
    config = uvicorn.Config(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{settings.port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        threading.Event().wait(0.05)
    else:
        raise AssertionError("the server did not become ready")
    yield url
    running.should_exit = True
    thread.join(timeout=20)
    assert not thread.is_alive()


def test_threads_over_a_socket_one_version_one_winner(server: str) -> None:
    """Real HTTP from 16 threads at once, half stating the version they read, half not."""
    headers = {"Accept": GRAPHQL_RESPONSE}

    def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        with httpx.Client(base_url=server, timeout=30) as http:
            response = http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
            assert response.status_code == 200
            return dict(response.json())

    def state() -> dict[str, Any]:
        data = post(READ, {})["data"]
        (node,) = [e["node"] for e in data["organization"]["engagementsOut"]["edges"] if e["node"]["id"] == TARGET]
        return dict(node)

    v0 = state()["version"]
    barrier = threading.Barrier(16)

    def writer(i: int) -> tuple[str, Any]:
        barrier.wait()
        return _outcome(post(RECORD_TIA, {"id": TARGET, "ref": f"T-{i}", "v": v0 if i % 2 else None}))

    with ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(writer, range(16)))
    ok = [(i, data["recordTia"]["version"]) for i, (kind, data) in enumerate(outcomes) if kind == "ok"]
    versioned_wins = [i for i, _ in ok if i % 2]
    assert all(i % 2 == 0 for i, _ in ok if i not in versioned_wins)
    assert len(versioned_wins) <= 1  # at most one change made on v0 (none if an unversioned one came first)
    assert len(ok) + sum(1 for kind, _ in outcomes if kind == "conflict") == 16
    assert len([i for i, _ in ok if i % 2 == 0]) == 8  # unversioned changes never conflict: they are serialised
    # Serial outcome: versions v0+1.. in commit order; the last committed reference is the one that stays.
    assert sorted(v for _, v in ok) == list(range(v0 + 1, v0 + len(ok) + 1))
    last = max(ok, key=lambda pair: pair[1])[0]
    after = state()
    assert after["version"] == v0 + len(ok) and after["tiaRef"] == f"T-{last}"


async def test_the_store_checks_the_version_inside_the_transaction(store: GraphStore, mini_map: FlowMap) -> None:
    """Below the API: concurrent saves stating the same version, on each backend; one lands, the others conflict
    and leave no trace (no revision, no audit entry)."""
    await store.write_map(mini_map)
    old = next(e for e in mini_map.engagements if e.key == "client-nl>acme")

    def record(i: int) -> AuditRecord:
        return AuditRecord("tester", "editor", "recordTia", f"engagement:{old.key}", None, {"i": i})

    async def save(i: int) -> int | None:
        try:
            saved = await store.save_engagement(
                old.model_copy(update={"tia_ref": f"T{i}"}), old, record(i), expected_version=0
            )
        except Conflict as exc:
            assert (exc.engagement, exc.expected, exc.actual) == (old.key, 0, 1)
            return None
        return saved.version

    revision, audit = await store.revision(), await store.audit_count()
    results = await asyncio.gather(*(save(i) for i in range(10)))
    assert sorted(results, key=lambda v: v or 0)[-1] == 1 and results.count(None) == 9
    assert await store.engagement_versions() == {old.key: 1}
    assert (await store.revision(), await store.audit_count()) == (revision + 1, audit + 1)
    winner = results.index(1)
    assert next(e for e in (await store.read_map()).engagements if e.key == old.key).tia_ref == f"T{winner}"
    # Unversioned saves are serialised: each moves the version on by one.
    for i in range(3):
        await store.save_engagement(old, old, record(100 + i))
    assert await store.engagement_versions() == {old.key: 4}
