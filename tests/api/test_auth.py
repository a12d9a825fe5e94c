"""Roles from bearer tokens, open loopback mode, refusal to run exposed without tokens, and the schema walk."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from flowmap.api.app import create_app
from flowmap.api.auth import InsecureConfiguration, Permission, parse_tokens
from flowmap.api.schema import build_schema, root_permissions
from flowmap.settings import Settings
from flowmap.store import GraphStore
from graphql import OperationType
from tests.api.conftest import EDITOR, PROCUREMENT, TOKENS, VIEWER, Api, serve

MUTATION = """mutation ($id: ID!) {
  recordTia(engagementId: $id, reference: "TIA-2026-001") { id tiaRef }
}"""
ENGAGEMENT = "demo.client-nl>demo.nimbus-cloud"


def test_every_root_field_declares_a_permission() -> None:
    """Walks the whole schema: a mutation (or query) nobody guarded fails here."""
    permissions = root_permissions(build_schema(Settings()))
    assert any(op is OperationType.MUTATION for op, _ in permissions)
    unguarded = [name for (_, name), needed in permissions.items() if not needed]
    assert unguarded == []
    for (op, name), needed in permissions.items():
        if op is OperationType.MUTATION:
            assert Permission.EDIT in needed, name


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "flowmap.example.org"])
def test_refuses_to_start_exposed_without_tokens(host: str) -> None:
    with pytest.raises(InsecureConfiguration, match="FLOWMAP_API_TOKENS"):
        create_app(Settings(host=host))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("alice:editor", "not 'name:role:token'"),
        ("alice:admin:0123456789abcdef0", "role 'admin'"),
        ("alice:editor:short", "at least 16"),
        ("a:editor:0123456789abcdef0,b:viewer:0123456789abcdef0", "repeats"),
    ],
)
def test_bad_token_settings_are_named_without_echoing_tokens(raw: str, message: str) -> None:
    with pytest.raises(InsecureConfiguration, match=message) as caught:
        parse_tokens(raw)
    assert "0123456789abcdef0" not in str(caught.value)


async def test_unauthenticated_mutation_to_an_exposed_server_is_401_and_changes_nothing(secured: Api) -> None:
    before = await secured.state()
    response = await secured.post(MUTATION, {"id": ENGAGEMENT})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in response.json()
    assert await secured.state() == before


@pytest.mark.parametrize("token", [VIEWER, PROCUREMENT])
async def test_read_only_roles_get_403_for_mutations(secured: Api, token: str) -> None:
    before = await secured.state()
    response = await secured.post(MUTATION, {"id": ENGAGEMENT}, token=token)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await secured.state() == before


async def test_unknown_token_is_401(secured: Api) -> None:
    response = await secured.post("{ version }", token="not-a-real-token-at-all")
    assert response.status_code == 401


async def test_anonymous_reads_are_refused_when_exposed(secured: Api) -> None:
    assert (await secured.post("{ transfers { totalCount } }")).status_code == 401
    assert (await secured.post("{ __schema { queryType { name } } }")).status_code == 401


async def test_fragments_do_not_smuggle_a_mutation_past_the_check(secured: Api) -> None:
    query = 'mutation { ...M } fragment M on Mutation { recordTia(engagementId: "x", reference: "r") { id } }'
    assert (await secured.post(query, token=VIEWER)).status_code == 403


@pytest.mark.parametrize("token", [VIEWER, PROCUREMENT, EDITOR])
async def test_every_role_reads(secured: Api, token: str) -> None:
    data = await secured.data("{ transfers(first: 1) { totalCount } }", token=token)
    assert data["transfers"]["totalCount"] > 0


async def test_editor_mutates_and_is_audited_by_name(secured: Api) -> None:
    data = await secured.data(MUTATION, {"id": ENGAGEMENT}, token=EDITOR)
    assert data["recordTia"]["tiaRef"] == "TIA-2026-001"
    log = await secured.data("{ auditLog(first: 1) { edges { node { actor role operation target } } } }", token=VIEWER)
    assert log["auditLog"]["edges"][0]["node"] == {
        "actor": "alice",
        "role": "editor",
        "operation": "recordTia",
        "target": f"engagement:{ENGAGEMENT}",
    }


async def test_loopback_without_tokens_is_open_to_its_local_user(api: Api) -> None:
    data = await api.data(MUTATION, {"id": ENGAGEMENT})
    assert data["recordTia"]["tiaRef"] == "TIA-2026-001"


async def test_loopback_with_tokens_still_requires_them(seeded: GraphStore) -> None:
    async with serve(seeded, api_tokens=SecretStr(TOKENS)) as api:
        assert (await api.post(MUTATION, {"id": ENGAGEMENT})).status_code == 401
