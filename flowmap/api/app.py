"""FastAPI application factory: health, GraphQL, and (issue 5) the dashboard's static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.api.schema import Context, schema
from flowmap.errors import FlowmapError
from flowmap.settings import Settings, get_settings
from flowmap.store import GraphStore, open_store


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. Pass ``store`` to share an open one (tests); otherwise the app opens and owns it."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store or await open_store(settings)
        try:
            yield
        finally:
            if owned:
                await app.state.store.close()

    app = FastAPI(title="flowmap", version=__version__, description=NOT_LEGAL_ADVICE, lifespan=lifespan)

    async def context(request: Request) -> Context:
        return Context(request.app.state.store)

    app.include_router(GraphQLRouter(schema, context_getter=context), prefix="/graphql")

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        current: GraphStore = request.app.state.store
        body: dict[str, Any] = {"store": current.kind, "version": __version__}
        try:
            counts = await current.counts()
        except (FlowmapError, RuntimeError, OSError) as exc:
            body |= {"status": "unavailable", "reachable": False, "error": str(exc)}
            return JSONResponse(body, status_code=503)
        body |= {"status": "ok", "reachable": True, "counts": counts.as_dict(), "total": counts.total}
        return JSONResponse(body)

    return app
