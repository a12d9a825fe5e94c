"""Structured logs with a request id, so one request's lines can be found among many concurrent ones.

Every line is one JSON object (``time``, ``level``, ``logger``, ``message``, ``request_id``, and for the request
line ``method``, ``path``, ``status``, ``duration_ms``, ``role``), or the same as plain text. The request id is
the caller's ``X-Request-ID`` when it is short and plain (so proxies' ids carry through), else a new one; it goes
back in the response header and, through a context variable, into every line logged while the request is handled,
whichever logger writes it. Headers, bodies and query strings are never logged: tokens cannot leak that way.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flowmap.settings import LogFormat

HEADER = "x-request-id"
# What an incoming id may look like: bounded, and nothing that could forge a log line or a header.
_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
# The request-line fields, in the order they are written.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "role")


@dataclass
class RequestInfo:
    """The request being handled; the GraphQL endpoint fills in ``role`` once it knows the caller."""

    id: str
    role: str | None = None


_current: ContextVar[RequestInfo | None] = ContextVar("flowmap_request", default=None)


def note_role(role: str) -> None:
    """Record the caller's role for the request line (never the token or the name)."""
    info = _current.get()
    if info is not None:
        info.role = role


def request_id_from(header: str | None) -> str:
    """The caller's id if it is sane, else a fresh one."""
    if header is not None and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    info = _current.get()
    out: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
        "request_id": info.id if info is not None else None,
    }
    for name in REQUEST_FIELDS:
        if hasattr(record, name):
            out[name] = getattr(record, name)
    return out


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = _fields(record)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        f = _fields(record)
        extra = " ".join(f"{k}={f[k]}" for k in REQUEST_FIELDS if k in f)
        rid = f" [{f['request_id']}]" if f["request_id"] else ""
        line = f"{f['time']} {f['level']:<7} {f['logger']}{rid}: {f['message']}" + (f" {extra}" if extra else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure(log_format: LogFormat, level: str = "INFO") -> None:
    """Route every logger (uvicorn's too) through one stderr handler with the chosen format."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format is LogFormat.JSON else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


log = logging.getLogger("flowmap.http")


class RequestLogging:
    """ASGI middleware: the request id (in, out, and in the context) and one line per HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        info = RequestInfo(request_id_from(incoming))
        token = _current.set(info)
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (HEADER.encode(), info.id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            duration = round((time.perf_counter() - started) * 1000, 2)
            path = _UNPRINTABLE.sub("?", scope["path"][:512])  # a decoded %0A must not start a forged line
            log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": duration,
                    "role": info.role,
                },
            )
            _current.reset(token)
