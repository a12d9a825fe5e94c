"""Store round-trips per request do not grow with the page: organisations, hops and countries come batched."""

from __future__ import annotations

from pathlib import Path

from bench.ecosystem import Size, load_flowmap
from flowmap.settings import Settings, StoreKind
from flowmap.store import open_store
from tests.api.conftest import Api, serve

PAGE = """query ($n: Int!) {
  transfers(first: $n) {
    totalCount
    edges { node {
      id status
      client { id name roles locations { code } }
      importer { id name country { name } dpfCertified }
      destination { code name }
      basis { code name }
      path { engagement { id service exporter { id } importer { id } } exporter { name } importer { name } }
      dataCategories { key parent { key } }
      findings { rule }
    } }
  }
}"""
SMALL_ECOSYSTEM = Size(clients=5, processors=60, engagements=400)  # ~1,700 transfers on any recent day
WARM_LIMIT = 2  # the revision check, and nothing per item
COLD_LIMIT = 8  # plus reading the map once


async def _cost(api: Api, n: int) -> tuple[int, int]:
    before = api.store.roundtrips
    data = await api.data(PAGE, {"n": n})
    return api.store.roundtrips - before, len(data["transfers"]["edges"])


async def test_a_page_of_100_transfers_costs_a_fixed_small_number_of_round_trips(tmp_path: Path) -> None:
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path))
    try:
        await store.write_map(load_flowmap(SMALL_ECOSYSTEM, seed=11), actor="test")
        async with serve(store) as api:
            cold, _ = await _cost(api, 100)
            warm_100, items = await _cost(api, 100)
            warm_1, _ = await _cost(api, 1)
        print(f"round-trips: cold {cold}, warm page of 100 {warm_100}, warm page of 1 {warm_1}")
        assert items == 100
        assert cold <= COLD_LIMIT, cold
        assert warm_100 == warm_1 <= WARM_LIMIT, (warm_100, warm_1)
    finally:
        await store.close()
