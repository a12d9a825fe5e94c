"""fideslang manifests in and out: systems and their privacy declarations as organisations and engagements.

Why this mapping: a fides ``system`` is something personal data is handed to, so it becomes an organisation (the
importer), its owning fides ``organization`` the exporter, and each privacy declaration one engagement carrying
the declaration's data categories, with its data use as the purpose. System-to-system ``egress``/``ingress`` flows
become processor-to-processor engagements, which is how a chain reaches a sub-processor.

What flowmap has no field for but fides round-trips is kept beside the facts, never guessed: a system's exact
fides_key, type, responsibility and transfer fields as ``fides:*`` registrations of its organisation; a
declaration's data subjects, name and flow references as the JSON note of its evidence, which quotes the manifest
(itself recorded as a document, with its sha256). Everything else is named in a lossy list, both ways: fides fields
flowmap drops on import, and on export what fideslang cannot say (countries, mechanisms, dates, evidence, depth).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flowmap.interop.fides_common import FidesImport, is_fides_manifest
from flowmap.interop.fides_export import manifest_yaml, map_to_manifest
from flowmap.interop.fides_import import manifest_to_map
from flowmap.store.graph import GraphStore

__all__ = [
    "FidesImport",
    "export_manifest",
    "import_manifest",
    "is_fides_manifest",
    "manifest_to_map",
    "map_to_manifest",
]


async def import_manifest(
    store: GraphStore, path: Path, today: date, actor: str | None = None
) -> tuple[int, FidesImport]:
    """Upsert the manifest into the map in one audited transaction (the store's write path); the map's other
    organisations and engagements stay. Returns the new revision and what was imported and lost."""
    imported = manifest_to_map(path, await store.read_tables(), today)
    revision = await store.write_map(imported.flow_map, actor=actor, operation="importFides")
    return revision, imported


async def export_manifest(store: GraphStore) -> tuple[str, dict[str, int], list[str]]:
    taxonomy, lossy = map_to_manifest(await store.read_tables())
    counts = {
        "organizations": len(taxonomy.organization),
        "systems": len(taxonomy.system),
        "privacy declarations": sum(len(s.privacy_declarations) for s in taxonomy.system),
    }
    return manifest_yaml(taxonomy), counts, lossy
