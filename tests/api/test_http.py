"""GraphQL over HTTP as the spec has it: media types, status codes, GET, and the side endpoints."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import GRAPHQL_RESPONSE, Api

JSON = "application/json"


async def test_graphql_response_json_is_negotiated(api: Api) -> None:
    response = await api.post("{ version }", accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json()["data"]["version"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", JSON),  # no Accept: the legacy default
        ("*/*", JSON),
        ("application/json", JSON),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", JSON),
        (f"text/html, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    ],
)
async def test_accept_header_chooses_the_response_type(api: Api, accept: str, expected: str) -> None:
    response = await api.http.post("/graphql", json={"query": "{ version }"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


async def test_unacceptable_accept_is_406(api: Api) -> None:
    response = await api.http.post("/graphql", json={"query": "{ version }"}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE, 400), (JSON, 200)])
async def test_validation_error_status_depends_on_media_type(api: Api, accept: str, status: int) -> None:
    response = await api.post("{ noSuchField }", accept=accept)
    assert response.status_code == status
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "data" not in body  # it never executed


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE, 400), (JSON, 200)])
async def test_syntax_error_never_executes(api: Api, accept: str, status: int) -> None:
    response = await api.post("{ version ", accept=accept)
    assert response.status_code == status
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_execution_errors_are_200_with_data_and_a_coded_error(api: Api) -> None:
    response = await api.post('{ version transfers(clientId: "nobody") { totalCount } }')
    assert response.status_code == 200  # it executed: the data entry is there (null: transfers is non-null)
    body = response.json()
    assert "data" in body and body["data"] is None
    error = body["errors"][0]
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "clientId"}
    assert error["path"] == ["transfers"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", JSON, 400),
        (json.dumps({"query": 42}).encode(), JSON, 400),
        (json.dumps({"query": "{ version }", "variables": [1]}).encode(), JSON, 400),
        (json.dumps({"query": "{ version }", "operationName": 7}).encode(), JSON, 400),
        (json.dumps([{"query": "{ version }"}]).encode(), JSON, 400),
        (b"query=%7Bversion%7D", "application/x-www-form-urlencoded", 415),
    ],
)
async def test_malformed_requests_are_4xx(api: Api, body: bytes, content_type: str, status: int) -> None:
    response = await api.http.post(
        "/graphql", content=body, headers={"Content-Type": content_type, "Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == status
    assert "data" not in response.json()


async def test_get_runs_queries(api: Api) -> None:
    response = await api.http.get(
        "/graphql",
        params={"query": "query ($id: ID!) { organization(id: $id) { name } }", "variables": '{"id": "voiceking"}'},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.json()["data"]["organization"]["name"]


async def test_get_refuses_mutations_with_405(api: Api) -> None:
    query = 'mutation { recordTia(engagementId: "x", reference: "TIA-1") { id } }'
    response = await api.http.get("/graphql", params={"query": query}, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_operation_name_selects_and_unknown_names_are_400(api: Api) -> None:
    doc = "query A { version } query B { disclaimer }"
    assert "disclaimer" in (await api.data(doc, operation_name="B"))
    response = await api.post(doc, operation_name="C")
    assert response.status_code == 400
    assert (await api.post(doc)).status_code == 400  # ambiguous without a name


async def test_subscriptions_are_a_request_error(api: Api) -> None:
    response = await api.post("subscription { version }")
    assert response.status_code == 400 and "data" not in response.json()


async def test_graphiql_for_browsers(api: Api) -> None:
    response = await api.http.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_oversized_body_is_413(seeded) -> None:
    from tests.api.conftest import serve

    async with serve(seeded, max_body_bytes=2048) as small:
        response = await small.post("{ version }", {"pad": "x" * 4096})
        assert response.status_code == 413


async def test_healthz(api: Api) -> None:
    body = (await api.http.get("/healthz")).json()
    assert body["status"] == "ok" and body["reachable"] is True and body["store"] == "embedded"
    assert body["counts"]["nodes"]["Organization"] == 29 and body["revision"] >= 1


async def test_healthz_reports_an_unreachable_store(api: Api) -> None:
    await api.store.close()
    response = await api.http.get("/healthz")  # liveness: the process is up; /readyz says it cannot serve
    assert response.status_code == 200 and response.json()["reachable"] is False
    assert (await api.http.get("/readyz")).status_code == 503


async def test_metrics_count_requests_and_store_round_trips(api: Api) -> None:
    await api.data("{ transfers(first: 5) { totalCount } }")
    await api.post("{ nope }")
    text = (await api.http.get("/metrics")).text
    assert 'flowmap_graphql_requests_total{operation="query",status="200"}' in text
    assert 'flowmap_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}' in text
    assert "flowmap_store_roundtrips_total" in text and "flowmap_graphql_request_seconds_bucket" in text
