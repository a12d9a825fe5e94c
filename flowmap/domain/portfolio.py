"""Questions over every client at once, answered without assessing every transfer of every client."""

from __future__ import annotations

from datetime import date

from flowmap.domain.assess import Engine, destinations
from flowmap.domain.chains import DEFAULT_MAX_DEPTH
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.tables import MapTables, is_active


def clients_reaching(
    tables: MapTables, day: date, kb: KnowledgeBase, country: str, max_depth: int = DEFAULT_MAX_DEPTH
) -> list[str]:
    """Clients with at least one transfer to ``country`` on ``day`` (as ``assess`` would list it).

    Each client's walk stops at its first engagement in the country. (Pruning the walks to engagements
    that can lead there, as what-ifs do, costs more than it saves here: 0.13 s against 0.04 s at M.)
    """
    targets = frozenset(e for e in tables.edges if country in e.countries and is_active(e, day))
    engine = Engine(tables, day, kb, max_depth)
    return [
        client
        for client in engine.clients()
        if any(
            edge in targets and country in destinations(edge, engine.areas[regime])
            for regime, walk in engine.walks(client)
            for edge in walk  # stops at the first arrival in the country
        )
    ]
