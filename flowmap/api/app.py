"""FastAPI application factory: GraphQL, health, metrics, and (issue 5) the dashboard's static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.api.auth import Authenticator
from flowmap.api.context import Services
from flowmap.api.http import GraphQLEndpoint, graphql_router
from flowmap.api.metrics import CONTENT_TYPE, Metrics
from flowmap.api.schema import build_schema
from flowmap.errors import FlowmapError
from flowmap.law import load_knowledge_base
from flowmap.service.assessments import Assessor
from flowmap.service.editing import MapEditor
from flowmap.service.snapshot import SnapshotCache
from flowmap.settings import Settings, get_settings
from flowmap.store import GraphStore, open_store


def services_for(settings: Settings, store: GraphStore) -> Services:
    snapshots = SnapshotCache(store)
    kb = load_knowledge_base()
    return Services(
        settings=settings,
        store=store,
        kb=kb,
        snapshots=snapshots,
        assessor=Assessor(kb, settings.max_depth),
        editor=MapEditor(store, snapshots),
    )


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. Pass ``store`` to share an open one (tests); otherwise the app opens and owns it.

    Refuses (InsecureConfiguration) to build a server bound beyond loopback without API tokens.
    """
    settings = settings or get_settings()
    Authenticator(settings)  # fail now, not on the first request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        current = store or await open_store(settings)
        services = services_for(settings, current)
        metrics = Metrics(services)
        app.state.store, app.state.metrics = current, metrics
        app.include_router(graphql_router(GraphQLEndpoint(build_schema(settings), services, metrics)))
        try:
            yield
        finally:
            if owned:
                await current.close()

    app = FastAPI(title="flowmap", version=__version__, description=NOT_LEGAL_ADVICE, lifespan=lifespan)

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        current: GraphStore = request.app.state.store
        body: dict[str, Any] = {"store": current.kind, "version": __version__}
        try:
            counts = await current.counts()
            revision = await current.revision()
        except (FlowmapError, RuntimeError, OSError) as exc:
            body |= {"status": "unavailable", "reachable": False, "error": str(exc)}
            return JSONResponse(body, status_code=503)
        body |= {
            "status": "ok",
            "reachable": True,
            "revision": revision,
            "counts": counts.as_dict(),
            "total": counts.total,
        }
        return JSONResponse(body)

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)

    return app
