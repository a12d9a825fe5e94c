"""Who may do what (issue 8): every operation of the API, for every kind of caller, over HTTP on a real store.

The matrix below is the specification: one row per root query and mutation field, introspection and HTTP endpoint,
one column per caller. A test derives the operations from the live schema and the app's routes and fails when one
is missing from the table, so a new operation cannot ship without a decision about who may use it. Each cell is
then exercised: an allowed call must succeed; a refused one gets 401 (no or unknown token) or 403 (the role lacks the
permission), carries no data, and leaves the map, its revision and the audit log exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr
from starlette.routing import Mount, Route

from flowmap.api.app import create_app
from flowmap.settings import Settings
from tests.api.conftest import EDITOR, NEW_ENGAGEMENT, PROCUREMENT, TOKENS, VIEWER, Api
from tests.security.conftest import store_digest

ALLOW, UNAUTHENTICATED, FORBIDDEN = "allow", 401, 403
A, U, F = ALLOW, UNAUTHENTICATED, FORBIDDEN
ROLES = ("anonymous", "viewer", "procurement", "editor")
TOKEN = {"anonymous": None, "viewer": VIEWER, "procurement": PROCUREMENT, "editor": EDITOR}

# fmt: off
MATRIX: dict[str, tuple[Any, Any, Any, Any]] = {
    # operation                     anonymous  viewer  procurement  editor
    "query.version":                (U,        A,      A,           A),
    "query.disclaimer":             (U,        A,      A,           A),
    "query.stats":                  (U,        A,      A,           A),
    "query.organization":           (U,        A,      A,           A),
    "query.organizations":          (U,        A,      A,           A),
    "query.countries":              (U,        A,      A,           A),
    "query.country":                (U,        A,      A,           A),
    "query.regimes":                (U,        A,      A,           A),
    "query.dataCategories":         (U,        A,      A,           A),
    "query.mechanisms":             (U,        A,      A,           A),
    "query.transfers":              (U,        A,      A,           A),
    "query.exposure":               (U,        A,      A,           A),
    "query.findings":               (U,        A,      A,           A),
    "query.scenario":               (U,        A,      A,           A),
    "query.chain":                  (U,        A,      A,           A),
    "query.auditLog":               (U,        A,      A,           A),
    "query.vendorCheck":            (U,        F,      A,           A),  # procurement's check; writes nothing
    "introspection.__schema":       (U,        A,      A,           A),
    "introspection.__type":         (U,        A,      A,           A),
    "mutation.upsertOrganization":  (U,        F,      F,           A),
    "mutation.upsertEngagement":    (U,        F,      F,           A),
    "mutation.retireEngagement":    (U,        F,      F,           A),
    "mutation.recordTia":           (U,        F,      F,           A),
    "mutation.recordDpfStatus":     (U,        F,      F,           A),
    "mutation.attachEvidence":      (U,        F,      F,           A),
    # HTTP endpoints outside GraphQL: probes and scrapes carry no token, and none of them reads the map's content
    "http.GET /healthz":            (A,        A,      A,           A),  # store kind, counts, revision
    "http.GET /readyz":             (A,        A,      A,           A),
    "http.GET /metrics":            (A,        A,      A,           A),  # counters only; keep it off the internet
    "http.GET /":                   (A,        A,      A,           A),  # the dashboard's static files
    "http.GET /openapi.json":       (A,        A,      A,           A),  # FastAPI's description of these endpoints
    "http.GET /docs":               (A,        A,      A,           A),
    "http.GET /docs/oauth2-redirect": (A,      A,      A,           A),
    "http.GET /redoc":              (A,        A,      A,           A),
}
# fmt: on

EVIDENCE = {"document": "doc.demo.contract-register", "section": "register", "quote": "entry added by the matrix"}
ENGAGEMENT = "demo.client-nl>demo.nimbus-cloud"


@dataclass(frozen=True)
class Call:
    query: str
    variables: dict[str, Any] | None = None


CALLS: dict[str, Call] = {
    "query.version": Call("{ version }"),
    "query.disclaimer": Call("{ disclaimer }"),
    "query.stats": Call("{ stats { store revision nodes { name count } } }"),
    "query.organization": Call('{ organization(id: "google") { id name } }'),
    "query.organizations": Call('{ organizations(search: "google", first: 5) { totalCount } }'),
    "query.countries": Call('{ countries(search: "BE") { code } }'),
    "query.country": Call('{ country(code: "US") { code name } }'),
    "query.regimes": Call("{ regimes { code } }"),
    "query.dataCategories": Call("{ dataCategories { key } }"),
    "query.mechanisms": Call("{ mechanisms { code } }"),
    "query.transfers": Call("{ transfers(first: 2) { totalCount edges { node { id status } } } }"),
    "query.exposure": Call("{ exposure { destination { code } worstStatus } }"),
    "query.findings": Call("{ findings(first: 2) { totalCount } }"),
    "query.scenario": Call("{ scenario(revoke: [DPF_EU_US]) { broken fallback unaffected } }"),
    "query.chain": Call('{ chain(clientId: "demo.client-be") { nodes { id } } }'),
    "query.auditLog": Call("{ auditLog(first: 1) { totalCount } }"),
    "query.vendorCheck": Call(
        "query ($input: VendorCheckInput!) { vendorCheck(input: $input) { vendor { name } findings { rule } } }",
        {"input": {"facts": [{"kind": "ORGANIZATION", "value": "Acme Cloud Ltd", "quote": "Acme Cloud Ltd"}]}},
    ),
    "introspection.__schema": Call("{ __schema { queryType { name } } }"),
    "introspection.__type": Call('{ __type(name: "Organization") { name } }'),
    "mutation.upsertOrganization": Call(
        "mutation ($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }",
        {"input": {"id": "matrix.org", "name": "Matrix Org", "evidence": [EVIDENCE]}},
    ),
    "mutation.upsertEngagement": Call(
        "mutation ($input: EngagementInput!) { upsertEngagement(input: $input) { id } }",
        {"input": NEW_ENGAGEMENT},
    ),
    "mutation.retireEngagement": Call(
        'mutation ($id: ID!) { retireEngagement(id: $id, validTo: "2030-12-31") { id validTo } }', {"id": ENGAGEMENT}
    ),
    "mutation.recordTia": Call(
        'mutation ($id: ID!) { recordTia(engagementId: $id, reference: "TIA-MATRIX") { tiaRef } }', {"id": ENGAGEMENT}
    ),
    "mutation.recordDpfStatus": Call(
        'mutation ($input: DpfStatusInput!) { recordDpfStatus(organizationId: "demo.nimbus-cloud", input: $input) '
        "{ id } }",
        {"input": {"status": "INACTIVE", "checkedOn": "2026-01-02", "evidence": [EVIDENCE]}},
    ),
    "mutation.attachEvidence": Call(
        'mutation ($e: EvidenceInput!) { attachEvidence(target: ORGANIZATION, targetId: "google", evidence: $e) '
        "{ __typename } }",
        {"e": EVIDENCE},
    ),
}


async def _live_operations(api: Api) -> set[str]:
    """The operations the running API offers: its root fields (introspected) and its HTTP routes."""
    body = await api.data(
        "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }", token=EDITOR
    )
    schema = body["__schema"]
    found = {f"query.{f['name']}" for f in schema["queryType"]["fields"]}
    found |= {f"mutation.{f['name']}" for f in schema["mutationType"]["fields"]}
    found |= {"introspection.__schema", "introspection.__type"}
    app = create_app(Settings(host="0.0.0.0", api_tokens=SecretStr(TOKENS)))
    for route in app.routes:
        if isinstance(route, Route) and route.path != "/graphql":
            found |= {f"http.{method} {route.path}" for method in sorted(route.methods or ()) if method != "HEAD"}
        elif isinstance(route, Mount):
            found.add(f"http.GET {route.path or '/'}")
    return found


async def test_the_role_matrix_is_complete(secured: Api) -> None:
    """Every operation the live API offers has a row, and every row names a real operation."""
    live = await _live_operations(secured)
    assert sorted(live - MATRIX.keys()) == [], "operations missing from the role matrix"
    assert sorted(MATRIX.keys() - live) == [], "rows for operations the API does not have"
    assert sorted(k for k in MATRIX if not k.startswith("http.")) == sorted(CALLS)


async def _http_cell(api: Api, operation: str, role: str) -> int:
    method, path = operation.removeprefix("http.").split(" ", 1)
    token = TOKEN[role]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.http.request(method, path, headers=headers)
    return response.status_code


@pytest.mark.parametrize("operation", sorted(MATRIX))
async def test_each_cell_of_the_matrix(secured: Api, operation: str) -> None:
    """Every role in turn: refused cells change nothing and return no data; allowed cells succeed."""
    expected = dict(zip(ROLES, MATRIX[operation], strict=True))
    if operation.startswith("http."):
        for role, outcome in expected.items():
            status = await _http_cell(secured, operation, role)
            assert status not in (401, 403) if outcome == ALLOW else status == outcome, (role, status)
        return
    call = CALLS[operation]
    field = operation.split(".", 1)[1]
    for role, outcome in expected.items():  # anonymous, viewer, procurement first: the editor's call changes things
        before = await store_digest(secured.store)
        response = await secured.post(call.query, call.variables, token=TOKEN[role])
        body = response.json()
        if outcome == ALLOW:
            assert response.status_code == 200 and "errors" not in body, (role, body)
            assert body["data"][field] is not None, (role, body)
            changed = await store_digest(secured.store) != before
            assert changed == operation.startswith("mutation."), (role, "a read changed the map, or a write did not")
        else:
            assert response.status_code == outcome, (role, response.status_code, body)
            assert "data" not in body, (role, body)
            code = "UNAUTHENTICATED" if outcome == UNAUTHENTICATED else "FORBIDDEN"
            assert [e["extensions"]["code"] for e in body["errors"]] == [code], (role, body)
            assert await store_digest(secured.store) == before, (role, "a refused call changed the map")


@pytest.mark.parametrize("token", ["not-a-real-token-at-all-0000", f"{EDITOR}x", EDITOR[:-1], "Bearer", EDITOR.upper()])
async def test_an_unknown_token_is_anonymous_nowhere(secured: Api, token: str) -> None:
    """A near-miss token is refused (401), for a read and for a mutation alike, and the mutation changes nothing."""
    before = await store_digest(secured.store)
    for operation in ("query.version", "mutation.recordTia"):
        call = CALLS[operation]
        response = await secured.post(call.query, call.variables, token=token)
        assert response.status_code == 401 and "data" not in response.json()
    assert await store_digest(secured.store) == before


@pytest.mark.parametrize("scheme", ["Basic", "Token", "bearer", "BEARER"])
async def test_only_the_bearer_scheme_is_accepted(secured: Api, scheme: str) -> None:
    response = await secured.http.post(
        "/graphql", json={"query": "{ version }"}, headers={"Authorization": f"{scheme} {VIEWER}"}
    )
    assert response.status_code == (200 if scheme.lower() == "bearer" else 401)
