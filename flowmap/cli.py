"""The ``flowmap`` command line. Errors print one clear message and exit non-zero, never a stack trace."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import Callable, Coroutine
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import assess
from flowmap.domain.countries import check_country_code
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap
from flowmap.domain.scenario import Revocation, Withdrawal, run_scenario
from flowmap.domain.tables import MapTables
from flowmap.errors import FlowmapError
from flowmap.extract.facts import Extraction
from flowmap.files import write_atomic
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from flowmap.reporting import Format, render_assessment, render_scenario
from flowmap.settings import PROJECT_ROOT, Settings, StoreKind, get_settings
from flowmap.store import Counts, open_store
from flowmap.store.executor import Progress
from flowmap.vendor.candidate import Candidate
from flowmap.vendor.render import VendorFormat, render_vendor_report

app = typer.Typer(
    help=f"flowmap: where personal data goes, and on which legal basis. {NOT_LEGAL_ADVICE}",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")

SeedsDir = Annotated[Path | None, typer.Option(help="Seed YAML directory [default: FLOWMAP_SEEDS_DIR].")]


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _emit(data: bytes, output: Path | None) -> None:
    """An export's bytes to stdout, or to ``output`` whole or not at all (``flowmap.files.write_atomic``)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)


def _exit(exc: FlowmapError) -> NoReturn:
    _err(f"error: {exc}")
    raise typer.Exit(exc.exit_code) from None


def _run(work: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(work)
    except FlowmapError as exc:
        _exit(exc)


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
    store = await open_store(settings, rebuild_incompatible=reset)
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


def _steps() -> Callable[[str], None]:
    """Prints each step of a long operation, with the time since it started."""
    started = [time.perf_counter()]

    def step(message: str) -> None:
        now = time.perf_counter()
        _err(f"  [{now - started[0]:6.1f}s] {message} ...")

    return step


async def _import(settings: Settings, path: Path, batch_size: int) -> tuple[int, Counts, float]:
    from flowmap.store.bulk import BulkSource, open_bulk
    from flowmap.store.dump import import_dump, is_dump
    from flowmap.store.graph import Restore

    started = time.perf_counter()
    engagements = [0]

    async def load(source: BulkSource, restore: Restore | None = None, described: dict[str, Any] | None = None) -> int:
        engagements[0] = source.engagements
        _err(
            f"importing {path}: "
            + ", ".join(f"{n:,} rows in {name}" for name, n in source.rows.items())
            + (f", {len(restore.history):,} audit entries" if restore else "")
            + " (replaces the map; all or nothing)"
        )
        if settings.store is StoreKind.NEO4J:
            from flowmap.store.neo4j_bulk import import_neo4j

            store = await open_store(settings)
            try:
                return await import_neo4j(
                    store, source, progress=_steps(), batch_size=batch_size, restore=restore, described=described
                )
            finally:
                await store.close()
        from flowmap.store.bulk_import import import_embedded

        return await import_embedded(
            settings.embedded_path, source, progress=_steps(), restore=restore, described=described
        )

    revision = await (import_dump(path, load) if is_dump(path) else load(open_bulk(path)))
    elapsed = time.perf_counter() - started
    store = await open_store(settings)
    try:
        return revision, await store.counts(), engagements[0] / elapsed if elapsed else 0.0
    finally:
        await store.close()


async def _import_fides(settings: Settings, path: Path) -> tuple[int, Any, Counts]:
    from flowmap.interop.fides import import_manifest

    store = await open_store(settings)
    try:
        revision, imported = await import_manifest(store, path, date.today())
        return revision, imported, await store.counts()
    finally:
        await store.close()


@app.command("import")
def import_(
    directory: Annotated[
        Path,
        typer.Argument(
            help="A `flowmap export --format json` dump, a fideslang manifest (YAML), or a directory with "
            "organizations.csv, engagements.csv and, optionally, the map's other tables (flowmap/store/bulk.py).",
            metavar="DUMP_OR_DIRECTORY",
        ),
    ],
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size", min=1_000, max=10_000, help="Neo4j only: rows per transaction while staging the new map."
        ),
    ] = 5_000,
) -> None:
    """Replace the map with a dump or a bulk directory: checked, audited, all or nothing.

    A dump (docs/backup.md) goes through the same checked path as a directory; restored into a store never
    written, it brings back the map, the audit log and the revision exactly as they were exported.

    The files carry the store's own columns (`python -m bench.ecosystem --size S --out DIR` writes an example);
    a header that differs, or any value the seed files would reject, stops the import with its file, line and
    column, and the store keeps the map it had. The embedded store loads them with the engine's bulk loader into
    a new file swapped in at the end; Neo4j stages the new map in batched transactions beside the old one and
    switches over in one short transaction (docs/scaling.md).

    A fideslang manifest (a .yml/.yaml file of fides systems and organizations) is added to the map instead,
    in one audited transaction: systems become organisations, privacy declarations engagements. What flowmap
    cannot keep is listed as lossy.
    """
    from flowmap.interop.fides import is_fides_manifest

    if is_fides_manifest(directory):
        revision, imported, counts = _run(_import_fides(get_settings(), directory))
        for lost in imported.lossy:
            _err(f"lossy: {lost}")
        fm = imported.flow_map
        _err(
            f"imported fides manifest {directory} as revision {revision}: {len(fm.organizations)} organisations, "
            f"{len(fm.engagements)} engagements (added to the map; audited)"
        )
        _print_counts(counts)
        return
    revision, counts, rate = _run(_import(get_settings(), directory, batch_size))
    _err(f"imported as revision {revision} ({rate:,.0f} engagements/s)")
    _print_counts(counts)


class DumpFormat(StrEnum):
    JSON = "json"
    ROPA_XLSX = "ropa-xlsx"
    ROPA_CSV = "ropa-csv"
    GRAPHML = "graphml"
    GRAPH_JSON = "graph-json"
    CYPHER = "cypher"
    FIDES = "fides"


async def _export(settings: Settings, write: Callable[[Any], Any]) -> tuple[dict[str, int], bool]:
    from flowmap.store.dump import export_dump

    store = await open_store(settings, fallback_read_only=True)
    try:
        counts: dict[str, int] = {}

        async def dump(out: Any) -> None:
            counts.update(await export_dump(store, out))

        await write(dump)
        return counts, store.executor.read_only
    finally:
        await store.close()


def _export_ropa(fmt: DumpFormat, output: Path | None, client: str | None, as_of: str | None) -> None:
    """The Art. 30 record as of a date (flowmap/reports/ropa.py). XLSX is binary: it needs --output, or a
    stdout that is not a terminal (a pipe or a file)."""
    import io

    from flowmap.reports.ropa import build_ropa
    from flowmap.reports.ropa_writers import ropa_csv, write_ropa_xlsx

    if fmt is DumpFormat.ROPA_XLSX and output is None and sys.stdout.isatty():
        _err("error: --format ropa-xlsx writes a binary workbook: give --output FILE, or redirect stdout")
        raise typer.Exit(2)
    day = _day(as_of, "--as-of")
    tables, kb, clients = _map_and_law(client)
    ropa = build_ropa(tables, day, kb, clients=clients, max_depth=get_settings().max_depth)
    if fmt is DumpFormat.ROPA_CSV:
        data = ropa_csv(ropa).encode("utf-8")
    else:
        buffer = io.BytesIO()
        write_ropa_xlsx(ropa, buffer)
        data = buffer.getvalue()
    _emit(data, output)
    where = f" to {output}" if output else ""
    _err(f"exported the ROPA as of {day.isoformat()}: {len(ropa.activities)} activities{where}. {NOT_LEGAL_ADVICE}")


async def _text_export(settings: Settings, fmt: str) -> tuple[Any, bool]:
    from flowmap.interop.exports import EXPORTERS

    store = await open_store(settings, fallback_read_only=True)
    try:
        return await EXPORTERS[fmt](store), store.executor.read_only
    finally:
        await store.close()


def _export_text(fmt: str, output: Path | None) -> None:
    """graphml, graph-json, cypher, fides (flowmap/interop/exports.py): one text, to stdout or renamed into place."""
    exported, snapshot = _run(_text_export(get_settings(), fmt))
    _emit(exported.text.encode("utf-8"), output)
    if snapshot:
        _err("note: another process owns the embedded store; this is the map of its last checkpoint")
    for field in exported.lossy:
        _err(f"lossy: {field}")
    counted = ", ".join(f"{n:,} {name}" for name, n in exported.counts.items())
    _err(f"exported {fmt}: {counted}" + (f" to {output}" if output else ""))


@app.command()
def export(
    fmt: Annotated[DumpFormat, typer.Option("--format", help="Dump format.")] = DumpFormat.JSON,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here [default: stdout].")] = None,
    client: Annotated[str | None, typer.Option("--client", help="ropa-*: only this controller.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ropa-*: the date [default: today].")] = None,
) -> None:
    """Dump the whole map and its audit log (versioned JSON, the same bytes for the same map); `import` reads it.

    With --output the dump is written beside the file and renamed over it when complete. See docs/backup.md.
    ropa-xlsx / ropa-csv: the Art. 30 record of processing activities, with the transfers as of --as-of.
    graphml / graph-json / cypher: the map as a graph for Gephi or yEd, node-link JSON, or a Cypher script.
    fides: a fideslang manifest (organizations and systems); what it cannot carry is listed as lossy.
    """
    if fmt in (DumpFormat.ROPA_XLSX, DumpFormat.ROPA_CSV):
        _export_ropa(fmt, output, client, as_of)
        return
    if fmt not in (DumpFormat.JSON,):
        _export_text(fmt.value, output)
        return
    import io

    async def write(dump: Callable[[Any], Coroutine[Any, Any, None]]) -> None:
        if output is None:
            await dump(sys.stdout)
            return
        buffer = io.StringIO()  # the store is read first; the file is written (and renamed) once it all came back
        await dump(buffer)
        _emit(buffer.getvalue().encode("utf-8"), output)

    counts, snapshot = _run(_export(get_settings(), write))
    if snapshot:
        _err("note: another process owns the embedded store; this is the map of its last checkpoint")
    _err("exported " + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + (f" to {output}" if output else ""))


@app.command()
def validate(seeds_dir: SeedsDir = None) -> None:
    """Validate the seed files without touching any store."""
    settings = get_settings()
    try:
        flow_map = load_seed_map(seeds_dir or settings.seeds_dir)
    except FlowmapError as exc:
        _exit(exc)
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
    """Serve the API (/graphql, /healthz, /readyz, /metrics). In embedded mode this process owns the database file.

    Bound to anything but loopback it needs FLOWMAP_API_TOKENS; on loopback without tokens it is open to you alone.
    Logs go to stderr as JSON lines (FLOWMAP_LOG_FORMAT=text for a terminal). SIGTERM or SIGINT stops taking
    requests, lets those in flight finish (up to FLOWMAP_SHUTDOWN_GRACE_SECONDS), closes the store and exits 0.
    """
    import signal

    import uvicorn

    from flowmap import logs
    from flowmap.api.app import create_app

    settings = get_settings().model_copy(
        update={"host": host or get_settings().host, "port": port or get_settings().port}
    )
    try:
        app = create_app(settings)  # refuses an exposed address without tokens, before touching the store
    except FlowmapError as exc:
        _exit(exc)
    if seed_first:
        _print_counts(_run(_seed(settings, settings.seeds_dir, reset=False)))
    else:
        _run(_preflight(settings))  # a locked or unreachable store fails here, clearly, not in uvicorn's startup
    logs.configure(settings.log_format, settings.log_level)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # ours (flowmap.logs), with the request id
        access_log=False,  # flowmap.logs writes one line per request itself
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )
    server = uvicorn.Server(config)
    # uvicorn handles SIGTERM/SIGINT while it serves, shuts down gracefully, then raises the signal again for the
    # handler it found: with these, a graceful stop ends here, with exit code 0, rather than killed by the signal.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    server.run()
    if not server.started:
        raise typer.Exit(1)  # the lifespan failed (logged): never report a server that did not serve as a success
    logging.getLogger("flowmap.server").info("stopped")


def _day(value: str | None, option: str) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _err(f"error: {option} {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None


async def _read_tables(settings: Settings) -> MapTables:
    store = await open_store(settings, fallback_read_only=True)
    try:
        return await store.read_tables()
    finally:
        await store.close()


def _map_and_law(client: str | None) -> tuple[MapTables, KnowledgeBase, list[str] | None]:
    flow_map = _run(_read_tables(get_settings()))
    try:
        kb = load_knowledge_base()
    except FlowmapError as exc:
        _exit(exc)
    if client is not None and client not in flow_map.organizations:
        _err(f"error: --client {client!r} is not an organisation in the map")
        raise typer.Exit(2)
    return flow_map, kb, [client] if client else None


AsOf = Annotated[str | None, typer.Option("--as-of", help="Judge on this date (YYYY-MM-DD) [default: today].")]
Client = Annotated[str | None, typer.Option("--client", help="Only this client's chains (organisation id).")]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]


@app.command()
def report(as_of: AsOf = None, client: Client = None, fmt: FormatOpt = Format.TABLE) -> None:
    """Every transfer of the map on a date, its basis, status and findings. Not legal advice."""
    day = _day(as_of, "--as-of")
    flow_map, kb, clients = _map_and_law(client)
    result = assess(flow_map, day, kb, clients=clients, max_depth=get_settings().max_depth)
    typer.echo(render_assessment(result, fmt))


@app.command()
def scenario(
    revoke: Annotated[list[MechanismCode], typer.Option("--revoke", help="Mechanism to revoke (repeatable).")] = [],  # noqa: B006
    withdraw: Annotated[list[str], typer.Option("--withdraw", help="Country losing adequacy (repeatable).")] = [],  # noqa: B006
    from_: Annotated[str | None, typer.Option("--from", help="Effective date [default: the as-of date].")] = None,
    as_of: AsOf = None,
    client: Client = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """What-if: revoke mechanisms or withdraw adequacy, and see which flows break or survive on fallbacks."""
    if not revoke and not withdraw:
        _err("error: give at least one --revoke CODE or --withdraw COUNTRY")
        raise typer.Exit(2)
    day = _day(as_of, "--as-of")
    effective = _day(from_, "--from") if from_ else day
    for country in withdraw:
        try:
            check_country_code(country)
        except ValueError as exc:
            _err(f"error: --withdraw: {exc}")
            raise typer.Exit(2) from None
    flow_map, kb, clients = _map_and_law(client)
    result = run_scenario(
        flow_map,
        day,
        kb,
        revoke=[Revocation(code, effective) for code in revoke],
        withdraw=[Withdrawal(country, effective) for country in withdraw],
        clients=clients,
        max_depth=get_settings().max_depth,
    )
    typer.echo(render_scenario(result, fmt))


class AnnexFormat(StrEnum):
    MD = "md"
    DOCX = "docx"


@app.command()
def annex(
    engagement: Annotated[
        str, typer.Argument(help="The engagement id, e.g. 'demo.client-be>interaction-force'.", metavar="ENGAGEMENT_ID")
    ],
    as_of: AsOf = None,
    fmt: Annotated[AnnexFormat, typer.Option("--format", help="Output format.")] = AnnexFormat.MD,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here [default: stdout].")] = None,
) -> None:
    """Annex I (parties, transfer, authority) and Annex III (sub-processors) of the 2021 SCCs for one engagement.

    A draft from the map on the date; what the map lacks reads "not recorded in the map". DOCX is binary: give
    --output or redirect stdout. Not legal advice.
    """
    import io

    from flowmap.reports.annex import build_annex
    from flowmap.reports.annex_writers import annex_markdown, write_annex_docx

    if fmt is AnnexFormat.DOCX and output is None and sys.stdout.isatty():
        _err("error: --format docx writes a binary document: give --output FILE, or redirect stdout")
        raise typer.Exit(2)
    day = _day(as_of, "--as-of")
    tables, kb, _ = _map_and_law(None)
    try:
        built = build_annex(tables, engagement, day, kb, max_depth=get_settings().max_depth)
    except FlowmapError as exc:
        _exit(exc)
    if fmt is AnnexFormat.MD:
        data = annex_markdown(built).encode("utf-8")
    else:
        buffer = io.BytesIO()
        write_annex_docx(built, buffer)
        data = buffer.getvalue()
    _emit(data, output)
    where = f" to {output}" if output else ""
    _err(f"annexes for {built.engagement} as of {day.isoformat()}: {len(built.sub_processors)} sub-processor(s){where}")


def _extractions(files: list[Path]) -> list[Extraction]:
    from flowmap.extract import extract
    from flowmap.intake import IntakeDocument, read
    from flowmap.vendor.tables import table_extraction

    out = []
    for file in files:
        item = read(file)
        if isinstance(item, IntakeDocument):
            out.append(extract(item.text, source=item.name, language=item.language))
        else:
            out.append(table_extraction(item))
    return out


async def _commit_candidate(settings: Settings, candidate: Candidate) -> int:
    store = await open_store(settings)
    try:
        part = FlowMap(
            legal_references=candidate.legal_references,
            documents=candidate.documents,
            organizations=[o for o in candidate.organizations if o.id != candidate.client.id],
            engagements=candidate.engagements,
        )
        return await store.write_map(part, operation="checkVendor --commit")
    finally:
        await store.close()


@app.command("check-vendor")
def check_vendor(
    files: Annotated[list[Path], typer.Argument(help="The vendor's documents: txt, md, html, pdf; csv or xlsx lists.")],
    client: Client = None,
    client_country: Annotated[
        str, typer.Option("--client-country", help="Without --client: where the hypothetical client is established.")
    ] = "BE",
    as_of: AsOf = None,
    fmt: Annotated[VendorFormat, typer.Option("--format", help="Output format.")] = VendorFormat.TABLE,
    commit: Annotated[
        bool, typer.Option("--commit", help="Write the reviewed facts into the map (audited); needs --client.")
    ] = False,
) -> None:
    """Procurement's check of a candidate vendor: draft facts with evidence, the assessment, questions to ask.

    The map is only read, unless --commit. Not legal advice.
    """
    from flowmap.vendor.check import check_vendor as run_check

    day = _day(as_of, "--as-of")
    try:
        check_country_code(client_country)
    except ValueError as exc:
        _err(f"error: --client-country: {exc}")
        raise typer.Exit(2) from None
    if commit and client is None:
        _err("error: --commit needs --client: facts are written as that client's engagement of the vendor")
        raise typer.Exit(2)
    settings = get_settings()
    try:
        extractions = _extractions(files)
        flow_map, kb, _ = _map_and_law(None)
        report = run_check(
            flow_map,
            extractions,
            kb,
            day,
            client_id=client,
            client_country=client_country,
            max_depth=settings.max_depth,
        )
    except FlowmapError as exc:
        _exit(exc)
    typer.echo(render_vendor_report(report, fmt))
    if commit:
        revision = _run(_commit_candidate(settings, report.candidate))
        _err(f"committed the vendor's facts to the map (revision {revision}, audited)")


async def _record_dpf(settings: Settings, org: str, status: Any, frameworks: list[Any], day: date, url: str) -> int:
    import getpass

    from flowmap.service.editing import Actor, MapEditor
    from flowmap.service.evidence import record_dpf_status
    from flowmap.service.snapshot import SnapshotCache

    store = await open_store(settings)
    try:
        editor = MapEditor(store, SnapshotCache(store))
        await record_dpf_status(editor, Actor(f"cli:{getpass.getuser()}", "editor"), org, status, frameworks, day, url)
        return await store.revision()
    finally:
        await store.close()


class DpfState(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


@app.command("dpf-status")
def dpf_status(
    org: Annotated[str, typer.Argument(help="The organisation's id in the map.", metavar="ORG")],
    status: Annotated[DpfState, typer.Option("--status", help="Its status on the official DPF list.")],
    source: Annotated[str, typer.Option("--source", help="The URL of its entry on the DPF list (http/https).")],
    frameworks: Annotated[
        str, typer.Option("--frameworks", help="Comma-separated: DPF_EU_US, DPF_UK_EXT, DPF_SWISS_US.")
    ] = "DPF_EU_US",
    checked_on: Annotated[
        str | None, typer.Option("--checked-on", help="When the list was checked (YYYY-MM-DD) [default: today].")
    ] = None,
) -> None:
    """Record an organisation's DPF listing as checked, with the list entry as evidence (audited, like the
    recordDpfStatus mutation). Replaces its record for each framework given."""
    from flowmap.domain.models import CertificationStatus
    from flowmap.service.evidence import check_source_url, parse_frameworks

    day = _day(checked_on, "--checked-on")
    if day > date.today():
        _err(f"error: --checked-on {day.isoformat()} is in the future")
        raise typer.Exit(2)
    try:
        codes = parse_frameworks(frameworks)
        url = check_source_url(source)
    except FlowmapError as exc:
        _exit(exc)
    revision = _run(_record_dpf(get_settings(), org, CertificationStatus(status.value), codes, day, url))
    names = ", ".join(codes)
    _err(f"recorded {org}: {status.value} on {names} as checked on {day.isoformat()} (revision {revision}, audited)")


@app.command("stale-evidence")
def stale_evidence_(
    days: Annotated[int, typer.Option("--days", min=0, help="Older than this many days is stale.")] = 365,
    as_of: AsOf = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Vendors whose DPF check or documents are older than --days as of --as-of (or were never dated)."""
    from flowmap.reporting import _csv, _table
    from flowmap.service.evidence import stale_evidence

    day = _day(as_of, "--as-of")
    tables = _run(_read_tables(get_settings()))
    rows = stale_evidence(tables, day, days)
    if fmt is Format.JSON:
        body = {"asOf": day.isoformat(), "days": days, "stale": [r.to_json() for r in rows]}
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    header = ["vendor", "kind", "subject", "checked_on", "age_days", "source"]
    cells = [
        [
            r.vendor,
            r.kind,
            r.subject,
            r.checked_on.isoformat() if r.checked_on else "never" if r.kind == "dpf" else "undated",
            "" if r.age_days is None else str(r.age_days),
            r.source or "",
        ]
        for r in rows
    ]
    if fmt is Format.CSV:
        typer.echo(_csv(header, cells), nl=False)
        return
    typer.echo(_table(header, cells) if cells else "no stale evidence")
    typer.echo(f"\nas of {day.isoformat()}: {len(rows)} stale item(s), older than {days} days or undated")


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
