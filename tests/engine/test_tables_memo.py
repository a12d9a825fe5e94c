"""The map's memo keeps what is used: day-independent values must survive a run of new days."""

from __future__ import annotations

from flowmap.domain.models import FlowMap
from flowmap.domain.tables import MapTables


def test_a_value_in_use_outlives_newer_ones() -> None:
    tables = MapTables.from_map(FlowMap())
    computed: list[object] = []

    def compute(key: object) -> object:
        computed.append(key)
        return key

    tables.memo("every day", None, lambda: compute("every day"))
    for day in range(20):
        tables.memo(("per day", day), None, lambda day=day: compute(("per day", day)))  # type: ignore[misc]
        tables.memo("every day", None, lambda: compute("every day"))
    assert computed.count("every day") == 1
    tables.memo(("per day", 0), None, lambda: compute(("per day", 0)))  # long evicted
    assert computed.count(("per day", 0)) == 2
    law = object()
    tables.memo("every day", law, lambda: compute("every day"))  # another knowledge base: its own entry
    assert computed.count("every day") == 2
