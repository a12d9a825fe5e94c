"""Prometheus metrics at /metrics: request counts and latency by operation, error codes, store round-trips."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from flowmap.api.context import Services

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _ServiceCollector(Collector):
    """Reads the services' own counters at scrape time, so the hot path only increments integers."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        s = self.services
        yield CounterMetricFamily(
            "flowmap_store_roundtrips", "Reads and transactions sent to the store.", value=s.store.roundtrips
        )
        yield CounterMetricFamily(
            "flowmap_snapshot_loads", "Times the whole map was read into memory.", value=s.snapshots.loads
        )
        yield CounterMetricFamily(
            "flowmap_assessments_computed", "Assessments computed (cache misses).", value=s.assessor.computed
        )
        yield CounterMetricFamily(
            "flowmap_findings_built", "Times the whole map's findings were judged from scratch.", value=s.assessor.built
        )
        yield CounterMetricFamily(
            "flowmap_findings_patched", "Edits patched into the map's findings.", value=s.assessor.patched
        )
        current = s.snapshots.cached_revision
        yield GaugeMetricFamily("flowmap_map_revision", "Revision of the cached map.", value=current or 0)


class Metrics:
    """One registry per app, so apps built in tests never share or clash."""

    def __init__(self, services: Services) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "flowmap_graphql_requests",
            "GraphQL requests by operation type and HTTP status.",
            ["operation", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "flowmap_graphql_request_seconds",
            "GraphQL request latency.",
            ["operation"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.errors = Counter("flowmap_graphql_errors", "GraphQL errors by code.", ["code"], registry=self.registry)
        self.registry.register(_ServiceCollector(services))

    def render(self) -> bytes:
        return generate_latest(self.registry)
