"""The ``flowmap`` command line. Errors print one clear message and exit non-zero, never a stack trace."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from flowmap import NOT_LEGAL_ADVICE
from flowmap.errors import FlowmapError
from flowmap.ingest.seeds import load_seed_map
from flowmap.settings import PROJECT_ROOT, Settings, get_settings
from flowmap.store import Counts, open_store
from flowmap.store.executor import Progress

app = typer.Typer(
    help=f"flowmap: where personal data goes, and on which legal basis. {NOT_LEGAL_ADVICE}",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

SeedsDir = Annotated[Path | None, typer.Option(help="Seed YAML directory [default: FLOWMAP_SEEDS_DIR].")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _run(work: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(work)
    except FlowmapError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None


def _progress(label: str) -> Progress:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if interactive:
            _err(f"\r  {label} {done}/{total}" + ("\n" if done == total else ""))
        elif done == total or done % 50 == 0:
            _err(f"  {label} {done}/{total}")

    return report


def _print_counts(counts: Counts) -> None:
    width = max(len(k) for k in [*counts.nodes, *counts.relationships])
    typer.echo("nodes:")
    for name, n in counts.nodes.items():
        typer.echo(f"  {name:<{width}}  {n:>8}")
    typer.echo("relationships:")
    for name, n in counts.relationships.items():
        typer.echo(f"  {name:<{width}}  {n:>8}")


async def _seed(settings: Settings, seeds_dir: Path, reset: bool) -> Counts:
    _err(f"validating seed files in {seeds_dir} ...")
    flow_map = load_seed_map(seeds_dir)
    _err(
        f"  ok: {len(flow_map.organizations)} organisations, {len(flow_map.engagements)} engagements, "
        f"{len(flow_map.documents)} documents, {len(flow_map.legal_references)} legal references"
    )
    store = await open_store(settings)
    try:
        _err(f"writing to the {store.kind} store ({store.executor.location}) in one transaction ...")
        await store.write_map(flow_map, reset=reset, progress=_progress("statements"))
        return await store.counts()
    finally:
        await store.close()


@app.command()
def seed(
    reset: Annotated[bool, typer.Option("--reset", help="Remove the current map first.")] = False,
    seeds_dir: SeedsDir = None,
) -> None:
    """Validate every seed file, then write the seed map in one transaction (all or nothing)."""
    settings = get_settings()
    counts = _run(_seed(settings, seeds_dir or settings.seeds_dir, reset))
    _print_counts(counts)


@app.command()
def validate(seeds_dir: SeedsDir = None) -> None:
    """Validate the seed files without touching any store."""
    settings = get_settings()
    try:
        flow_map = load_seed_map(seeds_dir or settings.seeds_dir)
    except FlowmapError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None
    typer.echo(f"ok: {len(flow_map.organizations)} organisations, {len(flow_map.engagements)} engagements")


async def _stats(settings: Settings) -> tuple[str, Counts, bool]:
    store = await open_store(settings, fallback_read_only=True)
    try:
        return store.kind, await store.counts(), store.executor.read_only
    finally:
        await store.close()


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts by node label and relationship type."""
    kind, counts, snapshot = _run(_stats(get_settings()))
    if snapshot:
        _err("note: another process owns the embedded store; these are the counts of its last checkpoint")
    if as_json:
        typer.echo(json.dumps({"store": kind, **counts.as_dict()}, indent=2, sort_keys=True))
    else:
        typer.echo(f"store: {kind}")
        _print_counts(counts)


async def _preflight(settings: Settings) -> None:
    store = await open_store(settings)
    await store.close()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [default: FLOWMAP_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: FLOWMAP_PORT].")] = None,
    seed_first: Annotated[bool, typer.Option("--seed", help="Load the seed map before serving.")] = False,
) -> None:
    """Serve the API (/graphql, /healthz). In embedded mode this process owns the database file."""
    import uvicorn

    from flowmap.api.app import create_app

    settings = get_settings()
    if seed_first:
        _print_counts(_run(_seed(settings, settings.seeds_dir, reset=False)))
    else:
        _run(_preflight(settings))  # a locked or unreachable store fails here, clearly, not in uvicorn's startup
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)


@app.command("export-schema")
def export_schema(
    output: Annotated[Path, typer.Option(help="Where to write the SDL.")] = PROJECT_ROOT / "graphql" / "schema.graphql",
) -> None:
    """Write the GraphQL schema as SDL (checked in; a test fails if it drifts)."""
    from flowmap.api.schema import sdl

    output.write_text(sdl(), encoding="utf-8")
    typer.echo(f"wrote {output}")


if __name__ == "__main__":
    app()
