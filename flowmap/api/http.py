"""GraphQL over HTTP, following the GraphQL-over-HTTP spec rather than Strawberry's router.

Why our own: the spec's ``application/graphql-response+json`` needs status codes that reflect the
outcome (400 for a request that never executed), and authorisation must run after the document is
parsed but before anything executes. The flow per request:

1. negotiate the response type (406 if neither JSON type is acceptable; no Accept means JSON);
2. read the parameters (GET query string, or a JSON POST body; 415/400 otherwise);
3. authenticate the bearer token (401), parse with the token limit, pick the operation;
4. refuse mutations over GET (405) and root fields the caller may not use (401/403);
5. execute with the schema's limits and masking, and map the result to a status.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import strawberry
from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types.graphql import OperationType as StrawberryOperation

from flowmap.api.auth import Authenticator, AuthError, Permission, Principal, denial
from flowmap.api.context import Context, Services
from flowmap.api.errors import formatted
from flowmap.api.metrics import Metrics
from flowmap.api.schema import root_permissions
from flowmap.logs import note_role
from flowmap.settings import Settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
    parse,
)

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Params:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


class RequestError(Exception):
    """The request is not a well-formed GraphQL-over-HTTP request; it never reaches GraphQL."""

    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST", headers: Mapping[str, str] = {}) -> None:
        super().__init__(message)
        self.status, self.code, self.headers = status, code, dict(headers)


def negotiate(accept: str | None) -> str | None:
    """The response media type, honouring q-values; None when neither JSON type is acceptable."""
    if not accept or not accept.strip():
        return JSON  # the spec's legacy default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, index, media.lower()))
    for _, _, media in sorted(ranked):
        if media in (GRAPHQL_RESPONSE, JSON):
            return media
        if media in ("*/*", "application/*"):
            return JSON
    return None


def lone_surrogate(value: Any, where: str) -> str | None:
    """Where in a parsed JSON value a string holds a lone surrogate (JSON allows ``"\\ud800"``; UTF-8 does not).

    Such a string can be neither stored nor sent back, so the request is refused up front, naming the place.
    Iterative, so a deeply nested (but parsable) body cannot exhaust the stack.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                at = f"U+{ord(found.group()):04X} at position {found.start()}"
                return f"{path}: a lone surrogate {at}; strings must be valid Unicode"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if _SURROGATE.search(key):
                    return f"{path}: a key holds a lone surrogate; strings must be valid Unicode"
                stack.append((child, f"{path}.{key}"))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in reversed(list(enumerate(item))))
    return None


def _params(data: Any) -> Params:
    if not isinstance(data, dict):
        raise RequestError(400, "the request must be a JSON object with a 'query'")
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise RequestError(400, "'query' must be a non-empty string")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(400, "'variables' must be an object")
    if name is not None and not isinstance(name, str):
        raise RequestError(400, "'operationName' must be a string")
    for value, where in ((query, "query"), (variables, "variables"), (name, "operationName")):
        found = lone_surrogate(value, where)
        if found is not None:
            raise RequestError(400, found)
    return Params(query, variables, name)


async def _read_params(request: Request, max_body: int) -> Params:
    if request.method == "GET":
        raw = dict(request.query_params)
        if "variables" in raw:
            try:
                raw["variables"] = json.loads(raw["variables"])
            except json.JSONDecodeError:
                raise RequestError(400, "'variables' is not valid JSON") from None
            except RecursionError:
                raise RequestError(400, "'variables' is nested too deeply") from None
        return _params(raw)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != JSON:
        raise RequestError(415, "POST a JSON body with Content-Type: application/json", "UNSUPPORTED_MEDIA_TYPE")
    body = bytearray()
    async for chunk in request.stream():  # a chunked body has no Content-Length: count as it arrives
        body += chunk
        if len(body) > max_body:
            raise RequestError(413, f"the request body is over {max_body} bytes", "PAYLOAD_TOO_LARGE")
    try:
        return _params(json.loads(body.decode("utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RequestError(400, "the body is not valid UTF-8 JSON") from None
    except RecursionError:  # e.g. 10k nested arrays: the decoder gives up; the caller gets a 400, not a 500
        raise RequestError(400, "the body is nested too deeply to read") from None


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> list[str]:
    names: list[str] = []
    for node in selections.selections:
        if isinstance(node, FieldNode):
            names.append(node.name.value)
        elif isinstance(node, InlineFragmentNode):
            names += _root_fields(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            seen.add(node.name.value)
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                names += _root_fields(fragment.selection_set, fragments, seen)
    return names


class GraphQLEndpoint:
    def __init__(self, schema: strawberry.Schema, services: Services, metrics: Metrics) -> None:
        self.schema = schema
        self.services = services
        self.settings: Settings = services.settings
        self.metrics = metrics
        self.auth = Authenticator(self.settings)
        self.permissions = root_permissions(schema)

    def _authorise(self, principal: Principal, document: DocumentNode, operation: OperationDefinitionNode) -> None:
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        for name in _root_fields(operation.selection_set, fragments, set()):
            if name == "__typename":
                continue
            # Introspection reads the schema: it needs what any query needs.
            needed = self.permissions.get((operation.operation, name), [Permission.READ])
            for permission in needed:
                refused = denial(principal, permission, name)
                if refused is not None:
                    raise refused

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        operation = "unknown"
        media = negotiate(request.headers.get("accept"))
        if request.method == "GET" and self.settings.graphiql and _wants_html(request):
            return HTMLResponse(get_graphql_ide_html("graphiql"))
        try:
            if media is None:
                raise RequestError(406, f"Accept must allow {GRAPHQL_RESPONSE} or {JSON}", "NOT_ACCEPTABLE")
            params = await _read_params(request, self.settings.max_body_bytes)
            principal = self.auth.principal(request.headers.get("authorization"))
            note_role(principal.role.value if principal.role else "anonymous")  # for the request's log line
            try:
                document = parse(params.query, max_tokens=self.settings.max_query_tokens)
            except GraphQLError as exc:
                return self._respond(media, {"errors": [_coded(exc, "GRAPHQL_PARSE_FAILED")]}, request_error=True)
            chosen = get_operation_ast(document, params.operation_name)
            if chosen is None:
                what = (
                    f"no operation named {params.operation_name!r}"
                    if params.operation_name
                    else ("several operations: give operationName")
                )
                raise RequestError(400, f"the document has {what}", "GRAPHQL_VALIDATION_FAILED")
            operation = chosen.operation.value
            if chosen.operation is OperationType.SUBSCRIPTION:
                raise RequestError(400, "this API has no subscriptions", "GRAPHQL_VALIDATION_FAILED")
            if request.method == "GET" and chosen.operation is not OperationType.QUERY:
                raise RequestError(
                    405, f"a {operation} must be sent with POST", "METHOD_NOT_ALLOWED", {"Allow": "POST"}
                )
            self._authorise(principal, document, chosen)
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=Context(self.services, principal),
                operation_name=params.operation_name,
                allowed_operation_types=[StrawberryOperation.QUERY, StrawberryOperation.MUTATION],
            )
            errors = [formatted(e) for e in result.errors or []]
            for e in errors:
                self.metrics.errors.labels(e.get("extensions", {}).get("code", "")).inc()
            # A result without data and without any located error never executed: a request error.
            request_error = result.data is None and all(e.path is None for e in result.errors or [])
            body: dict[str, Any] = {} if request_error else {"data": result.data}
            if errors:
                body["errors"] = errors
            response = self._respond(media, body, request_error=request_error)
        except AuthError as exc:
            headers = {"WWW-Authenticate": 'Bearer realm="flowmap"'} if exc.status == 401 else {}
            response = self._error(media, exc.status, str(exc), exc.code, headers)
        except RequestError as exc:
            response = self._error(media, exc.status, str(exc), exc.code, exc.headers)
        self.metrics.requests.labels(operation, str(response.status_code)).inc()
        self.metrics.latency.labels(operation).observe(time.perf_counter() - started)
        return response

    def _respond(self, media: str, body: dict[str, Any], *, request_error: bool) -> Response:
        status = 400 if request_error and media == GRAPHQL_RESPONSE else 200
        return _json(media, status, body)

    def _error(self, media: str | None, status: int, message: str, code: str, headers: Mapping[str, str]) -> Response:
        self.metrics.errors.labels(code).inc()
        return _json(media or JSON, status, {"errors": [{"message": message, "extensions": {"code": code}}]}, headers)


def _coded(error: GraphQLError, code: str) -> dict[str, Any]:
    out = dict(error.formatted)
    out["extensions"] = {"code": code}
    return out


def _wants_html(request: Request) -> bool:
    return "query" not in request.query_params and "text/html" in request.headers.get("accept", "")


def _json(media: str, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status_code=status, media_type=f"{media}; charset=utf-8", headers=dict(headers or {}))
