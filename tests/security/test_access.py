"""The rest of access control (issue 8): constant-time tokens, no secret in any log or error, CORS closed by
default, body size limits (also for a chunked body), introspection off in production."""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from flowmap.api.app import create_app
from flowmap.api.auth import Authenticator, AuthError, InsecureConfiguration
from flowmap.cli import app as cli
from flowmap.settings import Settings, get_settings
from flowmap.store import GraphStore
from tests.api.conftest import EDITOR, GRAPHQL_RESPONSE, PROCUREMENT, TOKENS, VIEWER, Api, serve

NEO4J_PASSWORD = "neo4j-password-never-printed-7f3a"
SECRETS = (EDITOR, VIEWER, PROCUREMENT, NEO4J_PASSWORD)


# -- tokens in constant time ------------------------------------------------------------------------------------------


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, bytes]]:
    """Every call of hmac.compare_digest the authenticator makes, with its arguments."""
    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)  # the module auth.py calls it through
    return seen


@pytest.mark.parametrize(
    "presented",
    [EDITOR, PROCUREMENT, "unknown-token-0123456789", EDITOR[:-1], "x", "y" * 10_000],
    ids=["first-token", "last-token", "unknown", "one-char-short", "one-char", "10k-chars"],
)
def test_every_configured_token_is_compared_in_constant_time(
    comparisons: list[tuple[bytes, bytes]], presented: str
) -> None:
    """compare_digest on fixed-size digests, once per configured token, whatever was sent and whether it matched."""
    authenticator = Authenticator(Settings(host="0.0.0.0", api_tokens=SecretStr(TOKENS)))
    with contextlib.suppress(AuthError):
        authenticator.principal(f"Bearer {presented}")
    assert len(comparisons) == len(authenticator.tokens) == 3  # no early exit on the first (or any) match
    assert {(len(a), len(b)) for a, b in comparisons} == {(32, 32)}  # SHA-256: the length sent does not show


async def test_the_http_path_uses_the_constant_time_comparison(
    secured: Api, comparisons: list[tuple[bytes, bytes]]
) -> None:
    assert (await secured.post("{ version }", token=VIEWER)).status_code == 200
    assert (await secured.post("{ version }", token="wrong-token-0123456789abc")).status_code == 401
    assert len(comparisons) == 6


# -- no secret in logs or error messages ------------------------------------------------------------------------------


def _leaks(*texts: str) -> list[str]:
    return [s for s in SECRETS if any(s in t for t in texts)]


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens and the Neo4j password configured the way production does it: in the environment."""
    monkeypatch.setenv("FLOWMAP_API_TOKENS", TOKENS)
    monkeypatch.setenv("FLOWMAP_NEO4J_PASSWORD", NEO4J_PASSWORD)
    monkeypatch.setenv("FLOWMAP_HOST", "0.0.0.0")
    get_settings.cache_clear()


async def test_no_secret_in_responses_or_logs(
    secret_env: None, seeded: GraphStore, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    """Bad tokens, bad queries, a refused mutation, a failing store: the answers and the logs name no secret."""
    caplog.set_level(logging.DEBUG)
    settings = Settings()
    assert settings.api_tokens.get_secret_value() == TOKENS  # the environment was read
    texts = [repr(settings), str(settings.model_dump()), settings.model_dump_json()]
    async with serve(seeded, **{k: getattr(settings, k) for k in ("host", "api_tokens", "neo4j_password")}) as api:
        for token in (f"{EDITOR}x", EDITOR[:-1], f"{VIEWER} {EDITOR}", "short"):
            texts.append((await api.post("{ version }", token=token)).text)
        texts.append(
            (await api.http.post("/graphql", json={"query": "{ version }"}, headers={"Authorization": EDITOR})).text
        )
        texts.append((await api.post("{ version", token=VIEWER)).text)  # unparsable
        texts.append((await api.post("{ nosuchfield }", token=VIEWER)).text)  # invalid
        texts.append(
            (await api.post('mutation { recordTia(engagementId: "x", reference: "r") { id } }', token=VIEWER)).text
        )
        texts.append(
            (
                await api.post('mutation { recordTia(engagementId: "no>such", reference: "r") { id } }', token=EDITOR)
            ).text
        )
        texts.append((await api.post("{ auditLog(first: 5) { edges { node { actor role } } } }", token=VIEWER)).text)
        await seeded.close()  # the store fails under the running app
        for query in ("{ stats { revision } }", "{ transfers { totalCount } }"):
            failed = await api.post(query, token=VIEWER)
            assert failed.status_code < 500 or failed.status_code == 503
            texts.append(failed.text)
        texts.append((await api.http.get("/healthz")).text)
        texts.append((await api.http.get("/metrics")).text)
    captured = capfd.readouterr()
    texts += [caplog.text, captured.out, captured.err]
    assert any("Unexpected error." in t or "unavailable" in t.lower() for t in texts)  # the store did fail
    assert _leaks(*texts) == []


def test_no_secret_from_the_cli_when_neo4j_is_misconfigured(
    secret_env: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A Neo4j URI with credentials in it is refused without printing them; the password never shows."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("FLOWMAP_STORE", "neo4j")
    monkeypatch.setenv("FLOWMAP_NEO4J_URI", f"bolt://neo4j:{NEO4J_PASSWORD}@127.0.0.1:1")
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["stats"])
    get_settings.cache_clear()
    assert result.exit_code == 4, result.output  # StoreUnavailable
    assert "bolt://***@127.0.0.1:1" in result.output
    assert _leaks(result.output, caplog.text) == []


def test_bad_token_configuration_names_the_entry_not_the_token() -> None:
    leaked = f"alice:admin:{EDITOR},bob:viewer:{VIEWER}"
    with pytest.raises(InsecureConfiguration) as caught:
        create_app(Settings(host="0.0.0.0", api_tokens=SecretStr(leaked)))
    assert "entry 1 (alice)" in str(caught.value) and _leaks(str(caught.value)) == []


# -- CORS -------------------------------------------------------------------------------------------------------------

FOREIGN = "https://evil.example"
ALLOWED = "https://privacy.example.org"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


async def _cors(api: Api, origin: str) -> tuple[httpx.Response, httpx.Response]:
    preflight = await api.http.options("/graphql", headers={"Origin": origin, **PREFLIGHT})
    simple = await api.http.post(
        "/graphql", json={"query": "{ version }"}, headers={"Origin": origin, "Authorization": f"Bearer {VIEWER}"}
    )
    return preflight, simple


async def test_cors_is_closed_by_default(secured: Api) -> None:
    for origin in (FOREIGN, ALLOWED, "null"):
        preflight, simple = await _cors(secured, origin)
        assert preflight.status_code >= 400
        for response in (preflight, simple):
            assert not [h for h in response.headers if h.lower().startswith("access-control-")], response.headers


async def test_cors_allows_only_the_configured_origins(seeded: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWMAP_CORS_ORIGINS", f"{ALLOWED}/, https://legal.example.org")
    settings = Settings(host="0.0.0.0", api_tokens=SecretStr(TOKENS))
    assert settings.cors_allow_list == [ALLOWED, "https://legal.example.org"]
    async with serve(seeded, **{k: getattr(settings, k) for k in ("host", "api_tokens", "cors_origins")}) as api:
        preflight, simple = await _cors(api, ALLOWED)
        assert preflight.status_code == 200 and simple.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ALLOWED
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        assert simple.headers["access-control-allow-origin"] == ALLOWED
        preflight, simple = await _cors(api, FOREIGN)
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        assert "access-control-allow-origin" not in simple.headers


def test_a_cors_wildcard_is_refused() -> None:
    with pytest.raises(InsecureConfiguration, match="cannot be"):
        create_app(Settings(cors_origins="https://a.example, *"))


# -- body size --------------------------------------------------------------------------------------------------------

LIMIT = 4096


@pytest.fixture
async def small_bodies(seeded: GraphStore) -> AsyncIterator[Api]:
    async with serve(seeded, max_body_bytes=LIMIT) as opened:
        yield opened


def _body(size: int) -> bytes:
    """A valid GraphQL request of exactly ``size`` bytes (padded with insignificant spaces inside the query)."""
    head, tail = b'{"query": "{ version', b' }"}'
    return head + b" " * (size - len(head) - len(tail)) + tail


async def test_a_body_at_the_limit_is_read(small_bodies: Api) -> None:
    response = await small_bodies.http.post(
        "/graphql", content=_body(LIMIT), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200 and response.json()["data"]["version"]


async def test_a_body_over_the_limit_is_413(small_bodies: Api) -> None:
    response = await small_bodies.http.post(
        "/graphql", content=_body(LIMIT + 1), headers={"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_chunked_body_is_cut_off_at_the_limit(small_bodies: Api) -> None:
    """No Content-Length: the server counts as the chunks arrive and stops reading; it never buffers 64 MB."""
    sent = 0
    chunk = b" " * 1024

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ version'
        for _ in range(64 * 1024):
            sent += 1
            yield chunk

    request = small_bodies.http.build_request(
        "POST", "/graphql", content=endless(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in request.headers and request.headers["transfer-encoding"] == "chunked"
    response = await small_bodies.http.send(request)
    assert response.status_code == 413
    assert sent <= LIMIT // len(chunk) + 2, f"the server read {sent} KB of a {LIMIT} byte limit"


async def test_the_default_limit_is_four_megabytes(seeded: GraphStore) -> None:
    assert Settings().max_body_bytes == 4 * 1024 * 1024
    async with serve(seeded) as api:
        response = await api.http.post(
            "/graphql", content=_body(4 * 1024 * 1024 + 1), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413


# -- introspection in production --------------------------------------------------------------------------------------

INTROSPECTION = ["{ __schema { types { name } } }", '{ __type(name: "Organization") { fields { name } } }']


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_can_be_disabled(seeded: GraphStore, monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    monkeypatch.setenv("FLOWMAP_INTROSPECTION", "false")
    monkeypatch.setenv("FLOWMAP_GRAPHIQL", "false")
    settings = Settings()
    assert settings.introspection is False and settings.graphiql is False
    async with serve(seeded, introspection=False, graphiql=False) as api:
        refused = await api.post(query)
        assert refused.status_code == 400 and "data" not in refused.json()
        assert refused.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection" in refused.json()["errors"][0]["message"].lower()
        assert (await api.data("{ __typename version }"))["version"]  # ordinary queries still run
        ide = await api.http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in ide.text.lower()


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_is_on_by_default_for_development(api_default: Api, query: str) -> None:
    assert "errors" not in (await api_default.post(query)).json()


@pytest.fixture
async def api_default(seeded: GraphStore) -> AsyncIterator[Api]:
    async with serve(seeded) as opened:
        yield opened
