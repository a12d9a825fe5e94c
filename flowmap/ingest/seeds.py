"""Reads and validates the seed map (``seeds/*.yaml``) as one unit before anything is written.

Every problem in every file is collected, so one run shows them all, each with file, line,
path and the bad value.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from flowmap.domain.models import Engagement, FlowMap, SeedFile, evidence_paths
from flowmap.errors import Issue, PathKey, ValidationFailed
from flowmap.ingest.yaml_source import LocatedDocument, load_yaml, pydantic_issues


class _Located:
    """Remembers which file and path defined each entity, to point cross-file errors at it."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.seen: dict[tuple[str, str], Issue] = {}

    def define(self, kind: str, key: str, doc: LocatedDocument, path: PathKey) -> bool:
        here = doc.issue(path, "")
        first = self.seen.get((kind, key))
        if first is not None:
            self.issues.append(
                doc.issue(path, f"duplicate {kind} id {key!r}; first defined at {first.file}:{first.line}")
            )
            return False
        self.seen[(kind, key)] = here
        return True

    def require(self, kind: str, key: str | None, doc: LocatedDocument, path: PathKey, field: str) -> None:
        if key is not None and (kind, key) not in self.seen:
            self.issues.append(doc.issue(path, f"{field} {key!r} is not a known {kind} id"))


def _parse(files: list[Path], root: Path) -> tuple[list[tuple[LocatedDocument, SeedFile]], list[Issue]]:
    parsed, issues = [], []
    for file in files:
        try:
            doc = load_yaml(file, display_name=f"{root.name}/{file.name}")
        except ValidationFailed as exc:
            issues.extend(exc.issues)
            continue
        if doc.data is None:
            continue
        try:
            parsed.append((doc, SeedFile.model_validate(doc.data)))
        except ValidationError as exc:
            issues.extend(pydantic_issues(doc, exc.errors()))
    return parsed, issues


def _cross_check(parsed: list[tuple[LocatedDocument, SeedFile]]) -> tuple[FlowMap, list[Issue]]:
    loc = _Located()
    for doc, seed in parsed:
        for i, ref in enumerate(seed.legal_references):
            loc.define("legal reference", ref.id, doc, ("legal_references", i, "id"))
        for i, d in enumerate(seed.documents):
            loc.define("document", d.id, doc, ("documents", i, "id"))
        for i, org in enumerate(seed.organizations):
            loc.define("organization", org.id, doc, ("organizations", i, "id"))
    engagements: list[Engagement] = []
    for doc, seed in parsed:
        for i, d in enumerate(seed.documents):
            loc.require("organization", d.publisher, doc, ("documents", i, "publisher"), "publisher")
            for j, c in enumerate(d.citations):
                loc.require("legal reference", c.ref, doc, ("documents", i, "citations", j, "ref"), "ref")
        for i, org in enumerate(seed.organizations):
            loc.require("organization", org.parent, doc, ("organizations", i, "parent"), "parent")
        for i, eng in enumerate(seed.engagements):
            base = ("engagements", i)
            if loc.define("engagement", eng.key, doc, (*base, "id")):
                engagements.append(eng)
            loc.require("organization", eng.exporter, doc, (*base, "exporter"), "exporter")
            loc.require("organization", eng.importer, doc, (*base, "importer"), "importer")
        for path, ev in evidence_paths(seed):
            loc.require("document", ev.document, doc, (*path, "document"), "evidence document")
    flow_map = FlowMap(
        legal_references=[r for _, s in parsed for r in s.legal_references],
        documents=[d for _, s in parsed for d in s.documents],
        organizations=[o for _, s in parsed for o in s.organizations],
        engagements=engagements,
    )
    return flow_map, loc.issues


def load_seed_map(seeds_dir: Path) -> FlowMap:
    """Validate every ``*.yaml`` under ``seeds_dir`` together; raise ValidationFailed listing all problems."""
    if not seeds_dir.is_dir():
        raise ValidationFailed([Issue(file=str(seeds_dir), path="", message="seed directory does not exist")])
    files = sorted(seeds_dir.glob("*.yaml"))
    if not files:
        raise ValidationFailed([Issue(file=str(seeds_dir), path="", message="no *.yaml seed files found")])
    parsed, issues = _parse(files, seeds_dir)
    if issues:  # cross-file checks on a partial parse would only add misleading noise
        raise ValidationFailed(issues)
    flow_map, issues = _cross_check(parsed)
    if issues:
        raise ValidationFailed(issues)
    return flow_map
