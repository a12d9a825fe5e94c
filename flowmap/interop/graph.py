"""The map as a graph file for Gephi, yEd or a script: GraphML and node-link JSON.

Nodes are the store's organisations and countries, edges its engagements (ENGAGES) and parent links (PART_OF), so
the counts match `flowmap stats` one for one. List attributes (categories, countries, mechanisms) are joined with
'|' in GraphML, which has no list type; the JSON keeps them as lists.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flowmap.store.graph import GraphStore
from flowmap.store.rows import pipe_split
from flowmap.store.schema import COUNTRY, ENGAGES, ORGANIZATION, PART_OF

Attrs = dict[str, Any]
# (name, GraphML type) of every attribute, nodes then edges: declared up front, as GraphML wants its keys.
NODE_KEYS = (
    ("label", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("alpha3", "string"),
    ("fictional", "boolean"),
    ("unnamed", "boolean"),
)
EDGE_KEYS = (
    ("label", "string"),
    ("type", "string"),
    ("role", "string"),
    ("service", "string"),
    ("purpose", "string"),
    ("categories", "string"),
    ("countries", "string"),
    ("mechanisms", "string"),
    ("location_scope", "string"),
    ("valid_from", "string"),
    ("valid_to", "string"),
    ("fictional", "boolean"),
)


@dataclass
class Graph:
    nodes: list[tuple[str, Attrs]] = field(default_factory=list)
    edges: list[tuple[str, str, str, Attrs]] = field(default_factory=list)  # (id, source, target, attributes)


def org_node(org_id: str) -> str:
    return f"organization:{org_id}"


def country_node(code: str) -> str:
    return f"country:{code}"


def _mechanisms(text: str | None) -> list[str]:
    return [m["code"] + (f"/module {m['module']}" if m.get("module") else "") for m in json.loads(text or "[]")]


async def read_graph(store: GraphStore) -> Graph:
    """The graph as the store holds it, in a stable order (the store's key order)."""
    graph = Graph()
    orgs = await store.table_columns(ORGANIZATION)
    for i, org_id in enumerate(orgs["id"]):
        attrs = {
            "label": orgs["name"][i],
            "kind": "organization",
            "country": orgs["country"][i],
            "fictional": bool(orgs["fictional"][i]),
            "unnamed": bool(orgs["unnamed"][i]),
        }
        graph.nodes.append((org_node(org_id), {k: v for k, v in attrs.items() if v is not None}))
    countries = await store.table_columns(COUNTRY)
    for i, code in enumerate(countries["code"]):
        attrs = {"label": countries["name"][i], "kind": "country", "country": code, "alpha3": countries["alpha3"][i]}
        graph.nodes.append((country_node(code), {k: v for k, v in attrs.items() if v is not None}))
    rels = await store.table_columns(ENGAGES)
    for i, rel_id in enumerate(rels["id"]):
        attrs = {
            "label": rels["service"][i],
            "type": ENGAGES.name,
            "role": rels["role"][i],
            "service": rels["service"][i],
            "purpose": rels["purpose"][i],
            "categories": pipe_split(rels["categories"][i]),
            "countries": pipe_split(rels["countries"][i]),
            "mechanisms": _mechanisms(rels["mechanisms"][i]),
            "location_scope": rels["location_scope"][i],
            "valid_from": rels["valid_from"][i].isoformat() if rels["valid_from"][i] else None,
            "valid_to": rels["valid_to"][i].isoformat() if rels["valid_to"][i] else None,
            "fictional": bool(rels["fictional"][i]),
        }
        edge = (rel_id, org_node(rels["src"][i]), org_node(rels["dst"][i]), attrs)
        graph.edges.append((edge[0], edge[1], edge[2], {k: v for k, v in attrs.items() if v is not None}))
    parents = await store.table_columns(PART_OF)
    for i, rel_id in enumerate(parents["id"]):
        src, dst = org_node(parents["src"][i]), org_node(parents["dst"][i])
        graph.edges.append((f"part_of:{rel_id}", src, dst, {"label": "part of", "type": PART_OF.name}))
    return graph


def _graphml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return str(value)


# Characters XML 1.0 cannot hold at all, not even as references: the map stores them verbatim, a file cannot.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    """Escaped element text; a carriage return as a character reference, or XML parsers turn it into a newline;
    characters XML cannot hold become U+FFFD."""
    return escape(_NOT_XML.sub("\ufffd", _graphml_value(value)), {"\r": "&#13;"})


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value), {"\r": "&#13;"})


def to_graphml(graph: Graph) -> str:
    """GraphML 1.0 with typed keys (Gephi and yEd map them to labels, colours and filters)."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for scope, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys:
            out.append(f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>')
    out.append('  <graph id="flowmap" edgedefault="directed">')

    def data(scope: str, attrs: Attrs) -> list[str]:
        return [f'      <data key="{scope}_{k}">{_text(v)}</data>' for k, v in attrs.items()]

    for node_id, attrs in graph.nodes:
        out += [f"    <node id={_attr(node_id)}>", *data("n", attrs), "    </node>"]
    for edge_id, src, dst, attrs in graph.edges:
        out += [f"    <edge id={_attr(edge_id)} source={_attr(src)} target={_attr(dst)}>"]
        out += [*data("e", attrs), "    </edge>"]
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def to_node_link_json(graph: Graph) -> str:
    """networkx's node-link layout (``nodes`` and ``links``), which D3 and most graph tools read as is."""
    body = {
        "directed": True,
        "multigraph": True,
        "graph": {"name": "flowmap"},
        "nodes": [{"id": node_id, **attrs} for node_id, attrs in graph.nodes],
        "links": [{"key": e, "source": s, "target": t, **attrs} for e, s, t, attrs in graph.edges],
    }
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"
