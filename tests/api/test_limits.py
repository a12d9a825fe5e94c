"""Query cost limits refuse before anything executes; pages are bounded; unexpected errors are masked."""

from __future__ import annotations

import pytest

from flowmap.api import queries
from tests.api.conftest import Api


async def _refused_before_executing(api: Api, query: str) -> dict:  # type: ignore[type-arg]
    before = api.store.roundtrips
    response = await api.post(query)
    assert response.status_code == 400, response.text
    assert api.store.roundtrips == before  # not even the map's revision was read
    body = response.json()
    assert "data" not in body
    return dict(body["errors"][0])


async def test_too_deep_a_query_is_refused(api: Api) -> None:
    inner = "id"
    for _ in range(8):
        inner = f"engagementsOut {{ edges {{ node {{ importer {{ {inner} }} }} }} }}"
    error = await _refused_before_executing(api, f'{{ organization(id: "demo.client-be") {{ {inner} }} }}')
    assert "exceeds maximum operation depth" in error["message"]


async def test_a_thousand_aliases_are_refused(api: Api) -> None:
    aliases = " ".join(f"a{i}: version" for i in range(1000))
    error = await _refused_before_executing(api, f"{{ {aliases} }}")
    assert "aliases" in error["message"].lower()


async def test_too_many_tokens_are_refused(api: Api) -> None:
    fields = " ".join("version" for _ in range(5000))
    error = await _refused_before_executing(api, f"{{ {fields} }}")
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED" and "token" in error["message"].lower()


async def test_a_realistic_query_fits_the_limits(api: Api) -> None:
    query = """{ transfers(first: 100) { edges { node {
        client { id } importer { id engagementsOut(first: 5) { edges { node { importer { id country { name } } } } } }
        path { engagement { exporter { id } importer { id } } }
    } } } }"""
    assert (await api.data(query))["transfers"]


@pytest.mark.parametrize(
    ("args", "field"), [("first: 101", "first"), ("first: -1", "first"), ('after: "bogus"', "after")]
)
async def test_page_arguments_are_checked(api: Api, args: str, field: str) -> None:
    body = (await api.post(f"{{ transfers({args}) {{ totalCount }} }}")).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert body["errors"][0]["extensions"]["field"] == field


async def test_pages_walk_the_whole_list_once(api: Api) -> None:
    query = "query ($after: String) { transfers(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }"
    seen: list[str] = []
    after = None
    while True:
        page = (await api.data(query, {"after": after}))["transfers"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] > 5


async def test_unexpected_errors_are_masked(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals at /srv/flowmap")

    monkeypatch.setattr(queries, "taxonomy", broken)
    response = await api.post("{ version dataCategories { key } }")
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    assert body["errors"][0]["message"] == "Unexpected error."
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "secret" not in response.text
