"""The text exports of `flowmap export --format ...` other than the dump, one entry per format."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from flowmap.store.graph import GraphStore


@dataclass(frozen=True)
class Exported:
    text: str
    counts: dict[str, int]
    lossy: list[str] = field(default_factory=list)  # what the format could not carry, for the user to read


async def _graphml(store: GraphStore) -> Exported:
    from flowmap.interop.graph import read_graph, to_graphml

    graph = await read_graph(store)
    return Exported(to_graphml(graph), {"nodes": len(graph.nodes), "edges": len(graph.edges)})


async def _graph_json(store: GraphStore) -> Exported:
    from flowmap.interop.graph import read_graph, to_node_link_json

    graph = await read_graph(store)
    return Exported(to_node_link_json(graph), {"nodes": len(graph.nodes), "links": len(graph.edges)})


async def _cypher(store: GraphStore) -> Exported:
    from flowmap.interop.cypher import export_cypher

    text, counts = await export_cypher(store)
    return Exported(text, counts)


async def _fides(store: GraphStore) -> Exported:
    from flowmap.interop.fides import export_manifest

    text, counts, lossy = await export_manifest(store)
    return Exported(text, counts, lossy)


EXPORTERS: dict[str, Callable[[GraphStore], Awaitable[Exported]]] = {
    "graphml": _graphml,
    "graph-json": _graph_json,
    "cypher": _cypher,
    "fides": _fides,
}
