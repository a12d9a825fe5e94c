"""FastAPI application factory: GraphQL, health, metrics, and the dashboard's static files at /."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.api.auth import Authenticator, InsecureConfiguration
from flowmap.api.context import Services
from flowmap.api.http import GraphQLEndpoint
from flowmap.api.metrics import CONTENT_TYPE, Metrics
from flowmap.api.schema import build_schema
from flowmap.errors import FlowmapError
from flowmap.law import load_knowledge_base
from flowmap.logs import RequestLogging
from flowmap.service.assessments import Assessor
from flowmap.service.editing import MapEditor
from flowmap.service.snapshot import SnapshotCache
from flowmap.settings import Settings, get_settings
from flowmap.store import GraphStore, open_store

log = logging.getLogger("flowmap.server")


def services_for(settings: Settings, store: GraphStore) -> Services:
    snapshots = SnapshotCache(store)
    kb = load_knowledge_base()
    assessor = Assessor(kb, settings.max_depth)
    snapshots.on_derived.append(assessor.follow)
    return Services(
        settings=settings,
        store=store,
        kb=kb,
        snapshots=snapshots,
        assessor=assessor,
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
        app.state.store, app.state.metrics, app.state.services = current, metrics, services
        app.state.graphql = GraphQLEndpoint(schema, services, metrics)
        app.state.draining = False
        # Ready once the map is in memory: the first request must not pay for reading it.
        app.state.warmup = asyncio.ensure_future(services.snapshots.current())
        log.info("serving: %s store at %s", current.kind, current.executor.location)
        try:
            yield
        finally:
            # uvicorn has stopped taking connections and let in-flight requests finish; now the store.
            app.state.draining = True
            app.state.warmup.cancel()
            await asyncio.gather(app.state.warmup, return_exceptions=True)
            if owned:
                await current.close()
                log.info("shutdown complete: the %s store was flushed and closed", current.kind)

    schema = build_schema(settings)
    app = FastAPI(title="flowmap", version=__version__, description=NOT_LEGAL_ADVICE, lifespan=lifespan)
    _allow_origins(app, settings.cors_allow_list)
    app.add_middleware(RequestLogging)

    @app.api_route("/graphql", methods=["GET", "POST"], include_in_schema=False)
    async def graphql(request: Request) -> Response:
        endpoint: GraphQLEndpoint = request.app.state.graphql
        return await endpoint.handle(request)

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        """Liveness: 200 whenever the process serves, with what it knows of the store (readiness is /readyz)."""
        current: GraphStore = request.app.state.store
        body: dict[str, Any] = {"status": "ok", "store": current.kind, "version": __version__}
        try:
            counts = await current.counts()
            revision = await current.revision()
        except (FlowmapError, RuntimeError, OSError) as exc:
            return JSONResponse(body | {"reachable": False, "error": str(exc)})
        body |= {"reachable": True, "revision": revision, "counts": counts.as_dict(), "total": counts.total}
        return JSONResponse(body)

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: 200 only when the store answers and the map is loaded; 503 with the reason otherwise."""
        state = request.app.state
        reason = await _not_ready(state.draining, state.store, state.services, state.warmup)
        if reason is not None:
            return JSONResponse({"ready": False, "reason": reason}, status_code=503)
        return JSONResponse({"ready": True, "revision": state.services.snapshots.cached_revision})

    @app.get("/metrics")
    async def metrics(request: Request) -> Response:
        return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)

    _mount_dashboard(app, settings.frontend_dir)
    return app


async def _not_ready(
    draining: bool, store: GraphStore, services: Services, warmup: asyncio.Future[object]
) -> str | None:
    if draining:
        return "shutting down"
    try:
        await store.revision()
    except (FlowmapError, RuntimeError, OSError) as exc:
        return f"the store does not answer: {exc}"
    if services.snapshots.cached_revision is None:
        if warmup.done() and not warmup.cancelled() and warmup.exception() is not None:
            return f"the map could not be loaded: {warmup.exception()}"
        return "the map is still loading"
    return None


def _allow_origins(app: FastAPI, origins: list[str]) -> None:
    """CORS stays closed (no Access-Control-* headers at all) unless FLOWMAP_CORS_ORIGINS names the origins.

    A wildcard is refused: every request may carry a bearer token, so each origin must be named.
    """
    if not origins:
        return
    if "*" in origins:
        raise InsecureConfiguration("FLOWMAP_CORS_ORIGINS cannot be '*': name each origin allowed to call the API")
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "Accept"],
        max_age=600,
    )


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
