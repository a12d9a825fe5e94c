"""Hostile input (issue 8): the corpus in ``hostile.py`` through every mutation, the loaders and the vendor check.

The contract, checked for every value: it is stored verbatim (read back from the store and compared; surrounding
whitespace is trimmed, the seed files' rule) or refused with an error naming the field (GraphQL), or the file and
line (loaders, CLI exit code 2), and nothing else in the map changes. A refused mutation leaves the revision and the
audit log alone; after each field's run the whole map's digest is compared too. An accepted one changes its target
and nothing else.

The string fields come from the live schema (introspection), so a new one is covered, or fails the coverage test,
without editing this file. Each (input type, field) is run once per mutation, at its shallowest place: EvidenceInput's
quote at ``input.evidence[0].quote``, not again in every nested evidence list of the same type.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flowmap.domain.models import FlowMap
from flowmap.settings import Settings, StoreKind
from flowmap.store import open_store
from tests.api.conftest import Api, serve
from tests.security.conftest import map_digest
from tests.security.hostile import CORPUS, SAMPLE, Hostile, expected_stored

DOC = "doc.acme.policy"  # the mini map (tests/fixtures/mini_seeds): each write reloads less
EVIDENCE = {"document": DOC, "section": "register", "quote": "entry added by the test", "note": "a reviewer's note"}
ENGAGEMENT = "client-nl>acme"
REFUSED = ("VALIDATION_FAILED", "NOT_FOUND")


@dataclass(frozen=True)
class MutationCase:
    """A mutation with every optional string-bearing input filled in, and what it changes.

    Upserts write a new entity per corpus value (``id_path`` gets a suffix), and appended evidence stays: both are
    checked once per field, after its run. A value that replaces the last one (``overwrites``) is read back at once.
    """

    document: str
    variables: dict[str, Any]
    kind: str  # organization | engagement
    target: str  # the id it changes
    id_path: tuple[str, ...] | None = None
    overwrites: frozenset[str] = frozenset()

    def target_of(self, i: int) -> str:
        return f"{self.target}-{i}" if self.id_path else self.target

    def variables_of(self, i: int, path: tuple[str | int, ...], value: str) -> dict[str, Any]:
        variables = _set(self.variables, self.id_path, self.target_of(i)) if self.id_path else self.variables
        return _set(variables, path, value)

    def entity(self, flow_map: FlowMap, target: str) -> dict[str, Any] | None:
        if self.kind == "organization":
            found: Any = next((o for o in flow_map.organizations if o.id == target), None)
        else:
            found = next((e for e in flow_map.engagements if e.key == target), None)
        return dict(found.model_dump(mode="json")) if found is not None else None

    def without(self, flow_map: FlowMap, targets: set[str]) -> str:
        """The map's digest with ``targets`` left out: an accepted change may touch nothing else."""
        if self.kind == "organization":
            rest = flow_map.model_copy(
                update={"organizations": [o for o in flow_map.organizations if o.id not in targets]}
            )
        else:
            rest = flow_map.model_copy(
                update={"engagements": [e for e in flow_map.engagements if e.key not in targets]}
            )
        return map_digest(rest)


MUTATIONS: dict[str, MutationCase] = {
    "upsertOrganization": MutationCase(
        "mutation ($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }",
        {
            "input": {
                "id": "hostile.org",
                "name": "Hostile Test Org",
                "legalName": "Hostile Test Org Ltd",
                "aliases": ["HTO"],
                "country": "BE",
                "registrations": [{"scheme": "BE-KBO", "value": "0123.456.789"}],
                "address": "Rue de la Loi 1, Brussels",
                "website": "https://hostile.example",
                "parent": "acme",
                "recipientClass": "hosting provider",
                "description": "an organisation the hostile corpus rewrites",
                "retention": [
                    {
                        "scope": "accounts",
                        "basis": "FIXED",
                        "period": "P6M",
                        "trigger": "account closure",
                        "categories": ["user.contact"],
                        "evidence": [EVIDENCE],
                    }
                ],
                "collects": [
                    {
                        "categories": ["user.contact"],
                        "purposes": ["billing"],
                        "source": "the client",
                        "evidence": [EVIDENCE],
                    }
                ],
                "transferStatements": [
                    {"scope": "all data", "outsideEea": "POSSIBLE", "countries": ["US"], "evidence": [EVIDENCE]}
                ],
                "evidence": [EVIDENCE],
            }
        },
        "organization",
        "hostile.org",
        id_path=("input", "id"),
    ),
    "upsertEngagement": MutationCase(
        "mutation ($input: EngagementInput!) { upsertEngagement(input: $input) { id } }",
        {
            "input": {
                "id": "client-nl>norway-co:hostile",
                "exporter": "client-nl",
                "importer": "norway-co",
                "role": "C2P",
                "service": "web analytics",
                "purpose": "site statistics",
                "categories": ["user.device.cookie_id"],
                "countries": ["US"],
                "mechanisms": [{"code": "SCC_2021", "module": 2, "evidence": [EVIDENCE]}],
                "tiaRef": "TIA-1",
                "evidence": [EVIDENCE],
            }
        },
        "engagement",
        "client-nl>norway-co:hostile",
        id_path=("input", "id"),
    ),
    "retireEngagement": MutationCase(
        "mutation ($id: ID!, $validTo: Date!, $evidence: EvidenceInput) "
        "{ retireEngagement(id: $id, validTo: $validTo, evidence: $evidence) { id } }",
        {"id": ENGAGEMENT, "validTo": "2030-12-31", "evidence": EVIDENCE},
        "engagement",
        ENGAGEMENT,
    ),
    "recordTia": MutationCase(
        "mutation ($id: ID!, $reference: String!, $evidence: EvidenceInput) "
        "{ recordTia(engagementId: $id, reference: $reference, evidence: $evidence) { id } }",
        {"id": ENGAGEMENT, "reference": "TIA-2", "evidence": EVIDENCE},
        "engagement",
        ENGAGEMENT,
        overwrites=frozenset({"reference"}),
    ),
    "recordDpfStatus": MutationCase(
        "mutation ($id: ID!, $input: DpfStatusInput!) { recordDpfStatus(organizationId: $id, input: $input) { id } }",
        {"id": "acme", "input": {"status": "ACTIVE", "checkedOn": "2026-01-02", "evidence": [EVIDENCE]}},
        "organization",
        "acme",
        overwrites=frozenset({"input"}),
    ),
    "attachEvidence": MutationCase(
        "mutation ($id: ID!, $evidence: EvidenceInput!) "
        "{ attachEvidence(target: ORGANIZATION, targetId: $id, evidence: $evidence) { __typename } }",
        {"id": "acme", "evidence": EVIDENCE},
        "organization",
        "acme",
    ),
}
# Variables named differently from the arguments they feed ($id), and where each argument's value is stored:
# '*' matches any item (evidence is appended; the DPF record replaces the framework's).
ARGUMENT_VARIABLE = {
    ("retireEngagement", "id"): "id",
    ("recordTia", "engagementId"): "id",
    ("recordDpfStatus", "organizationId"): "id",
    ("attachEvidence", "targetId"): "id",
}
STORED_AT: dict[str, dict[str, tuple[str | int, ...]]] = {
    "upsertOrganization": {"input": ()},
    "upsertEngagement": {"input": ()},
    "retireEngagement": {"evidence": ("evidence", "*")},
    "recordTia": {"reference": ("tia_ref",), "evidence": ("evidence", "*")},
    "recordDpfStatus": {"input": ("certifications", "*")},
    "attachEvidence": {"evidence": ("evidence", "*")},
}

INTROSPECT = """{ __schema {
  mutationType { fields { name args { name type { ...T } } } }
  types { name kind inputFields { name type { ...T } } }
} }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"""


@dataclass(frozen=True)
class Slot:
    """One string field of one mutation: where it is in the variables and in the arguments (the error names it)."""

    mutation: str
    argument: str  # as the API names it: input.registrations[0].scheme
    variables_path: tuple[str | int, ...]
    first_of_its_type: bool  # False: the same (input type, field) took the whole corpus in an earlier mutation

    @property
    def corpus(self) -> tuple[Hostile, ...]:
        return CORPUS if self.first_of_its_type else SAMPLE

    def __str__(self) -> str:
        return f"{self.mutation}:{self.argument}"


def _unwrap(t: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    listed = False
    while t["kind"] in ("NON_NULL", "LIST"):
        listed = listed or t["kind"] == "LIST"
        t = t["ofType"]
    return t, listed


def string_slots(schema: dict[str, Any]) -> list[Slot]:
    """Every String/ID field reachable from each mutation's arguments, breadth first, once per (type, field)."""
    inputs = {t["name"]: t["inputFields"] for t in schema["types"] if t["kind"] == "INPUT_OBJECT"}
    slots: list[Slot] = []
    covered: set[tuple[str, str]] = set()
    for field in schema["mutationType"]["fields"]:
        mutation, seen = field["name"], set()
        queue: list[tuple[str, str, tuple[str | int, ...], dict[str, Any]]] = []
        for arg in field["args"]:
            variable = ARGUMENT_VARIABLE.get((mutation, arg["name"]), arg["name"])
            queue.append(("Mutation", arg["name"], (variable,), arg))
        while queue:
            owner, shown, path, node = queue.pop(0)
            t, listed = _unwrap(node["type"])
            if listed:
                shown, path = f"{shown}[0]", (*path, 0)
            if (owner, node["name"]) in seen:
                continue
            seen.add((owner, node["name"]))
            if t["kind"] == "SCALAR" and t["name"] in ("String", "ID"):
                key = (owner if owner != "Mutation" else mutation, node["name"])
                slots.append(Slot(mutation, shown, path, key not in covered))
                covered.add(key)
            elif t["kind"] == "INPUT_OBJECT":
                queue += [(t["name"], f"{shown}.{f['name']}", (*path, f["name"]), f) for f in inputs[t["name"]]]
    return slots


def _set(variables: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(
        json.dumps(variables)
    )  # not deepcopy: it keeps the base's shared EVIDENCE dicts shared
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def _has(variables: dict[str, Any], path: tuple[str | int, ...]) -> bool:
    node: Any = variables
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or len(node) <= key:
                return False
        elif not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _snake(name: str | int) -> str | int:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower() if isinstance(name, str) else name


def _stored_values(slot: Slot, entity: dict[str, Any]) -> list[Any]:
    """The values stored where ``slot``'s argument goes (several when the place is any item of a list)."""
    argument = re.split(r"[.\[]", slot.argument, maxsplit=1)[0]
    base = STORED_AT[slot.mutation].get(argument)
    if base is None:
        return []  # an id argument picks the target; it is never stored
    nodes: list[Any] = [entity]
    for key in (*base, *(_snake(k) for k in slot.variables_path[1:])):
        found: list[Any] = []
        for node in nodes:
            if key == "*":
                found += node if isinstance(node, list) else []
            elif isinstance(key, int):
                found += [node[key]] if isinstance(node, list) and len(node) > key else []
            elif isinstance(node, dict) and key in node:
                found.append(node[key])
        nodes = found
    return nodes


def _json_path(path: tuple[str | int, ...]) -> str:
    return "variables" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path)


@pytest.fixture(scope="module")
def live_slots() -> list[Slot]:
    """The string slots of the schema as served (built once; the schema does not depend on the store)."""
    from flowmap.api.schema import build_schema
    from flowmap.settings import Settings

    result = build_schema(Settings()).execute_sync(INTROSPECT)
    assert result.errors is None and result.data is not None
    return string_slots(result.data["__schema"])


def test_every_string_field_of_every_mutation_is_covered(live_slots: list[Slot]) -> None:
    """Each slot exists in its mutation's base variables, so the corpus reaches it (a new field must be added)."""
    assert {s.mutation for s in live_slots} == set(MUTATIONS)
    missing = [str(s) for s in live_slots if not _has(MUTATIONS[s.mutation].variables, s.variables_path)]
    assert missing == []
    assert len(live_slots) >= 50


def _named(error: dict[str, Any], slot: Slot) -> bool:
    ext = error.get("extensions", {})
    fields = {ext.get("field"), *(i["field"] for i in ext.get("issues", []))}
    return slot.argument in fields


def _argument(slot: Slot) -> str:
    return re.split(r"[.\\[]", slot.argument, maxsplit=1)[0]


def _check_stored(case: MutationCase, slot: Slot, flow_map: FlowMap, target: str, hostile: Hostile) -> None:
    entity = case.entity(flow_map, target)
    assert entity is not None, (hostile.name, slot.argument, f"{target} was not stored")
    stored = _stored_values(slot, entity)
    assert expected_stored(hostile.value) in stored, (hostile.name, slot.argument, [str(v)[:80] for v in stored])


async def _run_slot(api: Api, slot: Slot, values: tuple[Hostile, ...]) -> dict[str, int]:
    """Each value in turn. A refusal must not move the revision (every write moves it); at the end the revision has
    moved once per stored value, the audit log grew as much, each stored value reads back verbatim, and the map
    outside the entities written is exactly as it was."""
    case, store = MUTATIONS[slot.mutation], api.store
    immediate = _argument(slot) in case.overwrites
    tally = {"stored": 0, "refused": 0}
    start = await store.read_map()
    revision, audits = await store.revision(), await store.audit_count()
    written: list[tuple[str, Hostile]] = []
    for i, hostile in enumerate(values):
        variables = case.variables_of(i, slot.variables_path, hostile.value)
        response = await api.http.post(
            "/graphql",
            content=json.dumps({"query": case.document, "variables": variables}, ensure_ascii=True),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code in (200, 400), (hostile.name, response.status_code)
        body = response.json()
        if response.status_code == 400:  # refused before GraphQL ran: only a lone surrogate gets here
            assert hostile.json_only, (hostile.name, body)
            assert body["errors"][0]["message"].startswith(_json_path(slot.variables_path)), body
        elif "errors" in body:
            (error,) = body["errors"]
            assert error["extensions"]["code"] in REFUSED, (hostile.name, error)
            assert _named(error, slot), (hostile.name, slot.argument, error["extensions"])
            assert len(error["message"]) < 4000, "a refused 1 MB value must be named, not echoed"
        else:
            assert not hostile.json_only, "a lone surrogate was accepted"
            revision += 1
            written.append((case.target_of(i), hostile))
            if immediate:  # the next value replaces this one: read it back now
                _check_stored(case, slot, await store.read_map(), case.target_of(i), hostile)
            tally["stored"] += 1
            continue
        assert await store.revision() == revision, f"refusing {hostile.name} at {slot} wrote something"
        tally["refused"] += 1
    assert (await store.revision(), await store.audit_count()) == (revision, audits + tally["stored"])
    end = await store.read_map()
    if not immediate:
        for target, hostile in written:
            _check_stored(case, slot, end, target, hostile)
    targets = {t for t, _ in written}
    assert case.without(end, targets) == case.without(start, targets), f"{slot} changed more than it wrote"
    return tally


@pytest.fixture
async def mini_api(tmp_path: Path, mini_map: FlowMap) -> AsyncIterator[Api]:
    """The mini map on a real embedded store, served open (its local user is an editor): small, so writes are quick."""
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data"))
    await store.write_map(mini_map, actor="test")
    try:
        async with serve(store) as api:
            yield api
    finally:
        await store.close()


async def test_the_corpus_through_every_mutation_field(mini_api: Api, live_slots: list[Slot]) -> None:
    """Every corpus entry through every string slot; each stored verbatim or refused naming the slot."""
    totals: dict[str, dict[str, int]] = {}
    for slot in live_slots:
        totals[str(slot)] = await _run_slot(mini_api, slot, slot.corpus)
    stored = sum(t["stored"] for t in totals.values())
    refused = sum(t["refused"] for t in totals.values())
    assert stored + refused == sum(len(slot.corpus) for slot in live_slots)
    assert stored > 0 and refused > 0
    # free text takes the injection strings verbatim; ids and codes refuse them
    assert totals["upsertOrganization:input.name"]["stored"] >= 20
    assert totals["upsertOrganization:input.id"]["stored"] == 0
