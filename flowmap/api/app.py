"""FastAPI application factory: GraphQL, health, metrics, and the dashboard's static files at /."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.api.auth import Authenticator
from flowmap.api.context import Services
from flowmap.api.http import GraphQLEndpoint
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
        app.state.graphql = GraphQLEndpoint(schema, services, metrics)
        try:
            yield
        finally:
            if owned:
                await current.close()

    schema = build_schema(settings)
    app = FastAPI(title="flowmap", version=__version__, description=NOT_LEGAL_ADVICE, lifespan=lifespan)

    @app.api_route("/graphql", methods=["GET", "POST"], include_in_schema=False)
    async def graphql(request: Request) -> Response:
        endpoint: GraphQLEndpoint = request.app.state.graphql
        return await endpoint.handle(request)

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

    _mount_dashboard(app, settings.frontend_dir)
    return app


def _mount_dashboard(app: FastAPI, dist: Path) -> None:
    """The built dashboard at / (hash routing, so static files suffice); a pointer to the build when it is missing."""
    if (dist / "index.html").is_file():
        app.mount("/", StaticFiles(directory=dist, html=True), name="dashboard")
        return

    @app.get("/", include_in_schema=False)
    async def not_built() -> HTMLResponse:
        return HTMLResponse(
            "<!doctype html><title>flowmap</title><p>The dashboard is not built: run <code>make run</code> "
            f"(or <code>npm --prefix frontend run build</code>). Expected it in {html.escape(str(dist))}.</p>"
            '<p>The API is at <a href="/graphql">/graphql</a>.</p>',
            status_code=503,
        )
