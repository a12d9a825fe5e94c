"""`flowmap export --format graphml|graph-json|cypher`: what Gephi, yEd, D3 and Neo4j get from the map."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.domain.models import Document, Engagement, Evidence, FlowMap, Organization
from flowmap.interop.cypher import cypher_string, export_cypher
from flowmap.settings import Settings, StoreKind
from flowmap.store import open_store
from flowmap.store.queries import Query
from flowmap.store.schema import NODE_TABLES

runner = CliRunner()
HOSTILE = "O'Brien \\ \"Ltd\"\nline two\r\t`x`}) MATCH (n) DETACH DELETE n // ' \\' \u2028 end"


def _stats() -> dict[str, dict[str, int]]:
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_graphml_opens_in_networkx_and_matches_stats(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "--output", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    stats = _stats()
    assert graph.number_of_nodes() == stats["nodes"]["Organization"] + stats["nodes"]["Country"]
    assert graph.number_of_edges() == stats["relationships"]["ENGAGES"] + stats["relationships"]["PART_OF"]
    edges = list(graph.edges(data=True))
    engages = [a for _, _, a in edges if a["type"] == "ENGAGES"]
    assert all(a["role"] in {"C2C", "C2P", "P2P", "P2C"} and a["categories"] for a in engages)
    assert any("PRIVACY_SHIELD_EU_US" in a.get("mechanisms", "") for a in engages)
    assert graph.nodes["country:US"]["label"] == "United States"
    assert graph.nodes["organization:demo.client-be"]["fictional"] is True


def test_node_link_json_on_stdout_reads_back_in_networkx(seeded: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "graph-json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    graph = nx.node_link_graph(data, edges="links")
    stats = _stats()
    assert graph.number_of_nodes() == stats["nodes"]["Organization"] + stats["nodes"]["Country"]
    assert graph.number_of_edges() == stats["relationships"]["ENGAGES"]
    link = next(x for x in data["links"] if x["type"] == "ENGAGES" and x["countries"])
    assert isinstance(link["categories"], list) and isinstance(link["countries"], list)


def _decode(script: str) -> tuple[list[str], list[str]]:
    """Split a Cypher script into statements and decode its string literals, as Cypher's lexer does (single and
    double quotes, backslash escapes, // comments). Fails on an unterminated literal."""
    escapes = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
    statements, strings, current, i = [], [], "", 0
    while i < len(script):
        ch = script[i]
        if ch in "'\"":
            quote, i, value = ch, i + 1, ""
            while script[i] != quote:
                if script[i] == "\\":
                    if script[i + 1] == "u":
                        value += chr(int(script[i + 2 : i + 6], 16))
                        i += 6
                        continue
                    value += escapes[script[i + 1]]
                    i += 2
                    continue
                assert script[i] != "\n", "a raw newline inside a string literal"
                value += script[i]
                i += 1
            strings.append(value)
            current += "<s>"
        elif script.startswith("//", i):
            i = script.index("\n", i)
            continue
        elif ch == ";":
            statements.append(current.strip())
            current = ""
        else:
            current += ch
        i += 1
    assert not current.strip(), f"text after the last statement: {current[:80]!r}"
    return statements, strings


def test_cypher_string_reads_back_exactly() -> None:
    for value in [HOSTILE, "", "\\", "'", "\\'", "a\x00b\x1f\x7f", "emoji 🙂 and RTL \u202e"]:
        statements, strings = _decode(f"RETURN {cypher_string(value)};")
        assert statements == ["RETURN <s>"] and strings == [value]


def _hostile_map() -> FlowMap:
    doc = Document(id="doc.hostile", title=HOSTILE, kind="other", language="en")
    ev = [Evidence(document="doc.hostile", quote="it's a \\ quote")]
    orgs = [
        Organization(id="evil", name=HOSTILE, description=HOSTILE, evidence=ev),
        Organization(id="target", name="Target", evidence=ev),
    ]
    engagement = Engagement(
        exporter="evil", importer="target", role="C2P", service=HOSTILE, purpose="p", categories=["user.contact"],
        countries=["US"], valid_from=date(2021, 1, 1), evidence=ev,
    )  # fmt: skip
    return FlowMap(documents=[doc], organizations=orgs, engagements=[engagement])


async def _hostile_script(tmp_path: Path) -> tuple[str, dict[str, int]]:
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data"))
    try:
        await store.write_map(_hostile_map())
        return await export_cypher(store)
    finally:
        await store.close()


async def test_cypher_script_with_hostile_names_parses_statement_by_statement(tmp_path: Path) -> None:
    script, counts = await _hostile_script(tmp_path)
    statements, strings = _decode(script)
    lines = [x for x in script.splitlines() if x and not x.startswith("//")]
    assert len(statements) == len(lines)  # one statement per line: no quote or newline leaked out of a literal
    assert strings.count(HOSTILE) >= 4  # the org's name and description, the document title, the service
    assert counts["Organization"] == 2 and counts["ENGAGES"] == 1
    assert "date('2021-01-01')" in script


async def test_graphml_and_json_keep_hostile_names_exactly(tmp_path: Path) -> None:
    from flowmap.interop.graph import read_graph, to_graphml, to_node_link_json

    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data"))
    try:
        await store.write_map(_hostile_map())
        graph = await read_graph(store)
    finally:
        await store.close()
    (tmp_path / "h.graphml").write_text(to_graphml(graph), encoding="utf-8")
    read = nx.read_graphml(tmp_path / "h.graphml")
    assert read.nodes["organization:evil"]["label"] == HOSTILE
    assert next(iter(read.edges(data=True)))[2]["service"] == HOSTILE
    linked = nx.node_link_graph(json.loads(to_node_link_json(graph)), edges="links")
    assert linked.nodes["organization:evil"]["label"] == HOSTILE


def test_graphml_replaces_what_xml_cannot_hold(tmp_path: Path) -> None:
    """The map stores a NUL verbatim; XML 1.0 cannot hold it even as a reference, so GraphML says U+FFFD."""
    from flowmap.interop.graph import Graph, to_graphml

    graph = Graph(nodes=[("organization:a\x00b", {"label": "x\x00y\x1fz\ufffe"})])
    (tmp_path / "c.graphml").write_text(to_graphml(graph), encoding="utf-8")
    read = nx.read_graphml(tmp_path / "c.graphml")
    assert read.nodes["organization:a\ufffdb"]["label"] == "x\ufffdy\ufffdz\ufffd"


@pytest.mark.neo4j
async def test_cypher_script_recreates_the_map_in_neo4j(tmp_path: Path, neo4j_target) -> None:
    if neo4j_target.settings is None:
        pytest.skip(neo4j_target.skip_reason)
    script, _ = await _hostile_script(tmp_path)
    target = await open_store(neo4j_target.settings)
    try:
        await target.executor.write([Query(f"MATCH (n:{t.name}) DETACH DELETE n") for t in NODE_TABLES])
        statements = [x for x in script.splitlines() if x and not x.startswith("//")]
        await target.executor.run_schema([s.removesuffix(";") for s in statements if s.startswith("CREATE")])
        await target.executor.write([Query(s.removesuffix(";")) for s in statements if not s.startswith("CREATE")])
        rows = await target.executor.read(
            Query(
                "MATCH (o:Organization {id: 'evil'})-[e:ENGAGES]->(t) RETURN o.name AS n, e.service AS s, e.valid_from AS d"
            )
        )
        assert [(r["n"], r["s"]) for r in rows] == [(HOSTILE, HOSTILE)]
        tables = await target.read_tables()
        assert tables.organizations["evil"].name == HOSTILE
    finally:
        await target.close()
