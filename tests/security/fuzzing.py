"""Fuzzing with a fixed budget (issue 8), shared by the tests (small budget) and ``bench/fuzz.py`` (large budget).

- ``fuzz_api``: schemathesis generates GraphQL operations from the checked-in schema (a test keeps it equal to the
  code's), valid and invalid, for every root field; each is sent over HTTP to the real app (httpx, ASGI) on a real
  embedded store holding the seed map. A 5xx, a response that is not JSON, or a masked INTERNAL_SERVER_ERROR
  (an unexpected exception inside a resolver) counts as a failure.
- ``fuzz_loaders``: hypothesis drives the seed YAML loader, the bulk CSV import, document intake and the policy
  extractor with arbitrary input; only the project's own clear errors (FlowmapError) may come out of them.

Both are deterministic: hypothesis derandomised from a fixed seed, no example database.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from graphql.language import NameNode, ObjectFieldNode, ObjectValueNode, StringValueNode
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from typer.testing import CliRunner

from flowmap.api.app import create_app
from flowmap.errors import FlowmapError
from flowmap.extract import extract
from flowmap.ingest.seeds import load_seed_map
from flowmap.intake import IntakeDocument, read_bytes
from flowmap.settings import PROJECT_ROOT, Settings, StoreKind, get_settings
from flowmap.store import open_store

SCHEMA = PROJECT_ROOT / "graphql" / "schema.graphql"
SEED = 20_260_808  # fixed: the same examples every run


@dataclass
class FuzzReport:
    """What a run did: how many examples per target, and every failure (none is the target)."""

    examples: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0  # HTTP 5xx
    internal_errors: int = 0  # masked unexpected exceptions (HTTP 200 with INTERNAL_SERVER_ERROR)
    unhandled: int = 0  # loaders: exceptions other than the project's own
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.examples.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "examples": self.total,
            "examples_per_target": dict(sorted(self.examples.items())),
            "server_errors_5xx": self.server_errors,
            "internal_errors": self.internal_errors,
            "unhandled_exceptions": self.unhandled,
            "failures": self.failures[:20],
            "seconds": round(self.seconds, 1),
        }


def _json_value() -> st.SearchStrategy[Any]:
    """The JSON scalar (a fact's free-form detail) as a GraphQL literal: an object of short strings."""
    pairs = st.dictionaries(st.text(max_size=8), st.text(max_size=20), max_size=3)
    return pairs.map(
        lambda d: ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(name=NameNode(value=f"k{i}"), value=StringValueNode(value=v))
                for i, v in enumerate(d.values())
            )
        )
    )


schemathesis.graphql.scalar("JSON", _json_value())


def _settings(budget: int) -> settings:
    return settings(
        max_examples=budget,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def fuzz_api(
    budget: int, *, modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
) -> FuzzReport:
    """``budget`` examples per root field and generation mode, against a fresh store in a temporary directory."""
    report = FuzzReport()
    started = time.perf_counter()
    schema = schemathesis.graphql.from_path(SCHEMA)
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    workdir = Path(tempfile.mkdtemp(prefix="flowmap-fuzz-"))
    runner = asyncio.Runner()
    stack = AsyncExitStack()
    try:

        async def start() -> httpx.AsyncClient:
            store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=workdir / "data"))
            stack.push_async_callback(store.close)
            await store.write_map(load_seed_map(get_settings().seeds_dir), actor="fuzz")
            app = create_app(Settings(), store=store)  # loopback, no tokens: the local user may call everything
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            return await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://fuzz.test"))

        client = runner.run(start())

        def run(operation: Any, mode: GenerationMode) -> None:
            label = f"{operation.label} ({mode.value})"
            report.examples[label] = 0

            @seed(SEED)
            @_settings(budget)
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case: Any) -> None:
                report.examples[label] += 1
                response = runner.run(client.post("/graphql", json={"query": case.body}))
                _judge(report, label, case.body, response)

            check()

        for operation in operations:
            for mode in modes:
                run(operation, mode)
    finally:
        runner.run(stack.aclose())
        runner.close()
        shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def _judge(report: FuzzReport, label: str, query: str, response: httpx.Response) -> None:
    if response.status_code >= 500:
        report.server_errors += 1
        report.failures.append(f"{label}: HTTP {response.status_code} for {query[:300]!r}")
        return
    try:
        body = json.loads(response.content)
    except ValueError:
        report.failures.append(f"{label}: not JSON (HTTP {response.status_code}) for {query[:300]!r}")
        return
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if "INTERNAL_SERVER_ERROR" in codes:
        report.internal_errors += 1
        report.failures.append(f"{label}: INTERNAL_SERVER_ERROR for {query[:300]!r}")


# -- the loaders and the extractor ------------------------------------------------------------------------------------

_YAML_BITS = st.sampled_from(
    [
        "organizations:",
        "engagements:",
        "documents:",
        "  - id: x",
        "    name: ",
        "    evidence: []",
        "- ",
        "  ",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "'",
        '"',
        "\\",
        "\t",
        "\n",
        "NO",
        "yes",
        "2021-01-01",
        "9" * 50,
        "#",
        "---",
        "...",
        "%YAML 1.1",
        "\x00",
        "\ufeff",
        "\u202e",
        "😀",
    ]
)
_YAML = st.one_of(st.text(max_size=300), st.lists(_YAML_BITS, max_size=40).map("".join))


def _expect_own_errors(report: FuzzReport, target: str, work: Callable[[], object]) -> None:
    report.examples[target] = report.examples.get(target, 0) + 1
    try:
        work()
    except FlowmapError:
        pass
    except Exception as exc:
        report.unhandled += 1
        report.failures.append(f"{target}: {type(exc).__name__}: {str(exc)[:200]}")


def _seed_loader(report: FuzzReport, workdir: Path, budget: int) -> None:
    @seed(SEED)
    @_settings(budget)
    @given(text=_YAML)
    def check(text: str) -> None:
        seeds = workdir / "seeds"
        shutil.rmtree(seeds, ignore_errors=True)
        seeds.mkdir(parents=True)
        (seeds / "fuzz.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        _expect_own_errors(report, "seed loader", lambda: load_seed_map(seeds))

    check()


_CSV_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", '"', '""', "\n", "\r\n", ",", "[a,b]", "|x|", "true", "2021-02-30", "\x00", "{}", "null"]),
)


def _bulk_import(report: FuzzReport, workdir: Path, budget: int) -> None:
    """Rows of arbitrary cells under the right headers: the import refuses them (exit 2) or takes them, never crashes."""
    from flowmap.cli import app as cli
    from flowmap.store.bulk import BULK_FILES

    columns = {spec.name: spec.columns for spec in BULK_FILES}

    @seed(SEED)
    @_settings(budget)
    @given(orgs=st.lists(st.lists(_CSV_CELL, min_size=1, max_size=6), max_size=4), raw=st.binary(max_size=200))
    def check(orgs: list[list[str]], raw: bytes) -> None:
        import csv
        import io

        bulk = workdir / "bulk"
        shutil.rmtree(bulk, ignore_errors=True)
        bulk.mkdir(parents=True)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns["organizations.csv"])
        for row in orgs:
            writer.writerow((row * len(columns["organizations.csv"]))[: len(columns["organizations.csv"])])
        (bulk / "organizations.csv").write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
        (bulk / "engagements.csv").write_bytes(",".join(columns["engagements.csv"]).encode() + b"\n" + raw)
        report.examples["bulk import"] = report.examples.get("bulk import", 0) + 1
        env = {"FLOWMAP_STORE": "embedded", "FLOWMAP_DATA_DIR": str(workdir / "data")}  # never the real store
        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["import", str(bulk)], env=env)
        get_settings.cache_clear()
        if result.exit_code not in (0, 2) or (result.exception and not isinstance(result.exception, SystemExit)):
            report.unhandled += 1
            report.failures.append(
                f"bulk import: exit {result.exit_code}: {result.output[-300:]!r} {result.exception!r}"
            )

    check()


_TEXTISH = st.one_of(
    st.text(max_size=400),
    st.lists(
        st.sampled_from(
            [
                "We use ",
                "Acme Ltd",
                " GmbH",
                "Google",
                " in the United States",
                " under the SCCs",
                ". ",
                "\n",
                "- ",
                "| ",
                " | ",
                "Privacy Shield",
                "Standard Contractual Clauses",
                "Directive 95/46/EC",
                " for ",
                "6 months",
                "indefinitely",
                "email address",
                "X'",
                "A.",
                "\u202e",
                "\u200d",
                "😀",
                "\x00",
                "(",
                ")",
                "sub-processor",
                "Auftragsverarbeiter",
                "verwerker",
                "sous-traitant",
                "https://x.example/a",
            ]
        ),
        max_size=60,
    ).map("".join),
)


def _extractor(report: FuzzReport, budget: int) -> None:
    """The extractor never raises, and every fact's quote is the text's own characters at its span."""

    @seed(SEED)
    @_settings(budget)
    @given(text=_TEXTISH, language=st.sampled_from([None, "en", "nl", "de", "fr", "und"]))
    def check(text: str, language: str | None) -> None:
        report.examples["extractor"] = report.examples.get("extractor", 0) + 1
        try:
            result = extract(text, source="fuzz", language=language)
        except Exception as exc:
            report.unhandled += 1
            report.failures.append(f"extractor: {type(exc).__name__}: {str(exc)[:200]} for {text[:200]!r}")
            return
        for fact in result.facts:
            if text[fact.span.start : fact.span.end] != fact.span.quote:
                report.failures.append(f"extractor: span {fact.span} is not the text's own for {text[:200]!r}")

    check()


def _intake(report: FuzzReport, budget: int) -> None:
    """Any bytes under any name: a document, a table, or an IntakeError; then extraction of what was read."""

    @seed(SEED)
    @_settings(budget)
    @given(
        name=st.sampled_from(["p.txt", "p.md", "p.html", "p.pdf", "p.csv", "p.xlsx", "p", "p.exe"]),
        data=st.one_of(
            st.binary(max_size=400),
            _TEXTISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
            _TEXTISH.map(lambda t: t.encode("utf-16")),
            st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td>Acme</td></tr></table>"]),
        ),
    )
    def check(name: str, data: bytes) -> None:
        def work() -> None:
            item = read_bytes(name, data)
            if isinstance(item, IntakeDocument):
                extract(item.text, source=item.name, language=item.language)

        _expect_own_errors(report, "document intake", work)

    check()


def fuzz_loaders(budget: int) -> FuzzReport:
    """``budget`` examples for each loader and the extractor; the bulk import gets a fifth (each runs the CLI)."""
    report = FuzzReport()
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="flowmap-fuzz-loaders-"))
    try:
        _seed_loader(report, workdir, budget)
        _extractor(report, budget)
        _intake(report, budget)
        _bulk_import(report, workdir, max(1, budget // 5))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report
