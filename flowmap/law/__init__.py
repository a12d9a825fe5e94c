"""The knowledge base as data: ``flowmap/law/*.yaml``, validated as a whole when loaded.

Legal updates dates here, never in code. Each file holds one or more top-level sections of
``KnowledgeBase`` (regimes, adequacy, mechanisms, legacy_references, country_risks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from flowmap.domain.law import Dated, KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.errors import Issue, PathKey, ValidationFailed
from flowmap.ingest.yaml_source import LocatedDocument, load_yaml, pydantic_issues

LAW_DIR = Path(__file__).parent
_NOT_LOADED = "the knowledge base was not loaded"


def _overlaps(
    doc_of: dict[PathKey, LocatedDocument], groups: dict[Any, list[tuple[PathKey, Dated]]], what: str
) -> list[Issue]:
    issues = []
    for key, entries in groups.items():
        for i, (path_a, a) in enumerate(entries):
            for path_b, b in entries[i + 1 :]:
                if a.overlaps(b):
                    doc = doc_of[path_b]
                    issues.append(doc.issue(path_b, f"{what} {key} overlaps the window at {doc_of[path_a].name}:"
                                                    f"{doc_of[path_a].line_of(path_a)}"))  # fmt: skip
    return issues


def _check(kb: KnowledgeBase, origin: dict[str, LocatedDocument]) -> list[Issue]:
    """Checks across entries: one open window per fact, unique ids, every mechanism code known."""
    doc_of: dict[PathKey, LocatedDocument] = {}

    def at(section: str, index: int, *rest: str | int) -> PathKey:
        path: PathKey = (section, index, *rest)
        doc_of[path] = origin[section]
        return path

    adequacy: dict[Any, list[tuple[PathKey, Dated]]] = defaultdict(list)
    for i, a in enumerate(kb.adequacy):
        adequacy[(a.regime.value, a.country)].append((at("adequacy", i), a))
    area: dict[Any, list[tuple[PathKey, Dated]]] = defaultdict(list)
    for i, r in enumerate(kb.regimes):
        for j, m in enumerate(r.area):
            area[(r.code.value, m.country)].append((at("regimes", i, "area", j), m))
    windows: dict[Any, list[tuple[PathKey, Dated]]] = defaultdict(list)
    for i, mech in enumerate(kb.mechanisms):
        for j, w in enumerate(mech.windows):
            windows[(mech.code.value, w.regime.value)].append((at("mechanisms", i, "windows", j), w))
    issues = _overlaps(doc_of, adequacy, "adequacy for")
    issues += _overlaps(doc_of, area, "area membership of")
    issues += _overlaps(doc_of, windows, "mechanism window")

    seen: dict[str, PathKey] = {}
    ids = [(f"adequacy {a.id}", at("adequacy", i, "id")) for i, a in enumerate(kb.adequacy)]
    ids += [(f"mechanism {m.code.value}", at("mechanisms", i, "code")) for i, m in enumerate(kb.mechanisms)]
    ids += [(f"regime {r.code.value}", at("regimes", i, "code")) for i, r in enumerate(kb.regimes)]
    ids += [(f"legacy reference {x.id}", at("legacy_references", i, "id")) for i, x in enumerate(kb.legacy_references)]
    ids += [(f"country risk {x.id}", at("country_risks", i, "id")) for i, x in enumerate(kb.country_risks)]
    for name, path in ids:
        if name in seen:
            issues.append(doc_of[path].issue(path, f"duplicate {name}"))
        seen[name] = path
    missing = sorted(set(MechanismCode) - {m.code for m in kb.mechanisms})
    if missing and kb.mechanisms:
        issues.append(
            origin["mechanisms"].issue(("mechanisms",), f"mechanism codes without an entry: {', '.join(missing)}")
        )
    return issues


def load_knowledge_base_from(files: Sequence[Path]) -> KnowledgeBase:
    """Each section lives in exactly one file, so every error maps onto one file's paths."""
    merged: dict[str, Any] = {}
    origin: dict[str, LocatedDocument] = {}
    issues: list[Issue] = []
    for file in files:
        doc = load_yaml(file, display_name=f"law/{file.name}")
        if not isinstance(doc.data, dict):
            issues.append(doc.issue((), "expected a mapping of knowledge-base sections"))
            continue
        for section, entries in doc.data.items():
            if section not in KnowledgeBase.model_fields:
                issues.append(doc.issue((section,), f"unknown section {section!r}"))
                continue
            if section in origin:
                issues.append(doc.issue((section,), f"section {section!r} is already in {origin[section].name}"))
                continue
            origin[section] = doc
            merged[section] = entries or []
    if issues:
        raise ValidationFailed(issues, _NOT_LOADED)
    try:
        kb = KnowledgeBase.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            section = str(err["loc"][0])
            if section in origin:
                issues += pydantic_issues(origin[section], [err])
            else:
                issues.append(Issue(file="law/", path=section, message=err["msg"]))
        raise ValidationFailed(issues, _NOT_LOADED) from None
    issues = _check(kb, origin)
    if issues:
        raise ValidationFailed(issues, _NOT_LOADED)
    return kb


@lru_cache(maxsize=1)
def load_knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base (cached: it is immutable data)."""
    return load_knowledge_base_from(sorted(LAW_DIR.glob("*.yaml")))
