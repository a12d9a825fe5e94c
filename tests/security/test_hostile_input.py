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

import asyncio
import base64
import csv
import json
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flowmap.cli import app as cli
from flowmap.domain.models import FlowMap
from flowmap.errors import ValidationFailed
from flowmap.ingest.seeds import load_seed_map
from flowmap.settings import Settings, StoreKind, get_settings
from flowmap.store import open_store
from flowmap.store.bulk import write_bulk
from tests.api.conftest import Api, serve
from tests.conftest import MINI_SEEDS
from tests.security.conftest import map_digest, store_digest
from tests.security.hostile import (
    CORPUS,
    LONG_LIST_ITEMS,
    MB,
    SAMPLE,
    Hostile,
    deep_json,
    deep_list,
    expected_stored,
)

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


# -- the loaders ------------------------------------------------------------------------------------------------------

FILE_CORPUS = tuple(h for h in CORPUS if not h.json_only)  # UTF-8 files cannot hold a lone surrogate


def _mini_with_description(directory: Path, value: str) -> Path:
    """The mini seeds with acme's description set to ``value``, written as a YAML double-quoted scalar (JSON's
    escapes are YAML's; DEL must be escaped too, YAML forbids it raw)."""
    seeds = directory / "seeds"
    shutil.copytree(MINI_SEEDS, seeds, dirs_exist_ok=True)
    scalar = json.dumps(value, ensure_ascii=False)
    for raw in ("\x7f", "\x85", "\u2028", "\u2029"):  # YAML forbids DEL raw, and folds its line breaks
        scalar = scalar.replace(raw, f"\\u{ord(raw):04x}")
    text = (seeds / "map.yaml").read_text(encoding="utf-8")
    anchor = "    legal_name: Acme, LLC\n"
    assert anchor in text
    (seeds / "map.yaml").write_text(text.replace(anchor, f"{anchor}    description: {scalar}\n"), encoding="utf-8")
    return seeds


@pytest.mark.parametrize("hostile", FILE_CORPUS, ids=str)
def test_the_seed_loader_keeps_or_refuses_each_value(tmp_path: Path, hostile: Hostile) -> None:
    seeds = _mini_with_description(tmp_path, hostile.value)
    try:
        loaded = load_seed_map(seeds)
    except ValidationFailed as exc:
        (issue,) = exc.issues
        assert (issue.file, issue.path) == ("seeds/map.yaml", "organizations[1].description"), issue
        assert issue.line is not None and len(str(exc)) < 2000
        return
    acme = next(o for o in loaded.organizations if o.id == "acme")
    assert acme.description == expected_stored(hostile.value)


YAML_ATTACKS = {
    "10k-nested-lists": "organizations: " + deep_list(),
    "10k-nested-maps": "organizations: " + deep_json().replace('"a":', "a: "),
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)),
    "self-alias": "organizations: &a [*a]\n",
    "complex-key": "? [a, b]\n: 1\n",
    "duplicate-key": "description: a\ndescription: b\n",
    "python-tag": 'organizations: !!python/object/apply:os.system ["echo owned"]\n',
    "python-scalar-tag": "description: !!python/name:os.system\n",
    "5000-digit-int": "fictional: " + "9" * 5000 + "\n",
    "raw-nul": "description: a\x00b\n",
    "100k-items": "organizations: [" + ", ".join(["x"] * LONG_LIST_ITEMS) + "]\n",
}


@pytest.mark.parametrize("attack", sorted(YAML_ATTACKS))
def test_structural_yaml_attacks_are_refused_with_the_file(tmp_path: Path, attack: str) -> None:
    """Each is a ValidationFailed naming the file, in well under a second: no traceback, no hang, no code run."""
    seeds = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, seeds)
    (seeds / "zz_attack.yaml").write_text(YAML_ATTACKS[attack], encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_seed_map(seeds)
    assert any(i.file == "seeds/zz_attack.yaml" for i in caught.value.issues), caught.value
    assert len(str(caught.value)) < 20_000


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI on a fresh embedded store in tmp_path, seeded with the mini map."""
    monkeypatch.setenv("FLOWMAP_STORE", "embedded")
    monkeypatch.setenv("FLOWMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FLOWMAP_SEEDS_DIR", str(MINI_SEEDS))
    get_settings.cache_clear()
    assert CliRunner().invoke(cli, ["seed"]).exit_code == 0
    yield tmp_path / "data"
    get_settings.cache_clear()


async def _embedded_digest(data: Path) -> tuple[str, FlowMap]:
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=data))
    try:
        flow_map = await store.read_map()
        return await store_digest(store), flow_map
    finally:
        await store.close()


def test_flowmap_seed_stores_or_refuses_hostile_values(cli_env: Path, tmp_path: Path) -> None:
    """Through the CLI into the store: exit 0 and read back verbatim, or exit 2 naming file and line, map untouched."""
    for hostile in SAMPLE:
        if hostile.json_only:
            continue
        before, _ = asyncio.run(_embedded_digest(cli_env))
        seeds = _mini_with_description(tmp_path / hostile.name, hostile.value)
        result = CliRunner().invoke(cli, ["seed", "--seeds-dir", str(seeds)])
        after, flow_map = asyncio.run(_embedded_digest(cli_env))
        if result.exit_code == 0:
            acme = next(o for o in flow_map.organizations if o.id == "acme")
            assert acme.description == expected_stored(hostile.value), hostile.name
        else:
            assert result.exit_code == 2, (hostile.name, result.output[-500:])
            assert "map.yaml:" in result.output and "organizations[1].description" in result.output
            assert after == before, f"a refused seed ({hostile.name}) changed the store"


def _bulk_with_name(directory: Path, flow_map: FlowMap, value: str) -> Path:
    write_bulk(flow_map, directory)
    path = directory / "organizations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    name = table[0].index("name")
    for row in table[1:]:
        if row[0] == "acme":
            row[name] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return directory


def test_flowmap_import_stores_or_refuses_hostile_values(cli_env: Path, tmp_path: Path, mini_map: FlowMap) -> None:
    """The bulk CSV import, all or nothing: the value is imported verbatim, or exit 2 names file, line and column."""
    outcomes = {}
    for hostile in SAMPLE:
        if hostile.json_only:
            continue
        before, _ = asyncio.run(_embedded_digest(cli_env))
        bulk = _bulk_with_name(tmp_path / f"bulk-{hostile.name}", mini_map, hostile.value)
        result = CliRunner().invoke(cli, ["import", str(bulk)])
        after, flow_map = asyncio.run(_embedded_digest(cli_env))
        if result.exit_code == 0:
            acme = next(o for o in flow_map.organizations if o.id == "acme")
            assert acme.name == hostile.value, (hostile.name, acme.name[:80])
            outcomes[hostile.name] = "stored"
        else:
            assert result.exit_code == 2, (hostile.name, result.output[-800:])
            assert "organizations.csv" in result.output and "name" in result.output, result.output[-800:]
            assert len(result.output) < 20_000
            assert after == before, f"a refused import ({hostile.name}) changed the store"
            outcomes[hostile.name] = "refused"
    assert outcomes["nul"] == "refused" and outcomes["rtl-override"] == "stored"


# -- the vendor check (document intake, extraction, the candidate) -------------------------------------------------

VENDOR = """query ($input: VendorCheckInput!) {
  vendorCheck(input: $input) { vendor { name } facts { kind value span { start end quote } } findings { rule } }
}"""
POLICY = "Acme Cloud Ltd hosts customer data with Amazon Web Services in the United States under the SCCs. "


def _vendor_inputs(value: str) -> dict[str, dict[str, Any]]:
    encoded = base64.b64encode(value.encode("utf-8", "surrogatepass")).decode()
    return {
        "input.documents[0].name": {"documents": [{"name": value, "text": POLICY}]},
        "input.documents[0].text": {"documents": [{"name": "policy.txt", "text": POLICY + value}]},
        "input.documents[0].base64": {"documents": [{"name": "policy.txt", "base64": encoded}]},
        "input.facts[0].value": {"facts": [{"kind": "RECIPIENT", "value": value, "quote": "we use them"}]},
        "input.facts[0].quote": {"facts": [{"kind": "ORGANIZATION", "value": "Acme", "quote": value}]},
        "input.facts[0].detail.country": {
            "facts": [{"kind": "ORGANIZATION", "value": "Acme", "quote": "Acme", "detail": {"country": value}}]
        },
        "input.facts[0].detail.purpose": {
            "facts": [{"kind": "RECIPIENT", "value": "Acme", "quote": "Acme", "detail": {"purpose": value}}]
        },
        "input.clientCountry": {
            "facts": [{"kind": "ORGANIZATION", "value": "Acme", "quote": "Acme"}],
            "clientCountry": value,
        },
        "input.clientId": {"facts": [{"kind": "ORGANIZATION", "value": "Acme", "quote": "Acme"}], "clientId": value},
    }


async def test_the_corpus_through_the_vendor_check(mini_api: Api) -> None:
    """Each field of the check: a report whose evidence quotes are the text's own characters, or an error naming the
    field; and never a write (the check only reads the map)."""
    before = await store_digest(mini_api.store)
    outcomes: dict[str, int] = {"report": 0, "refused": 0}
    for hostile in CORPUS:
        for field, data in _vendor_inputs(hostile.value).items():
            if field.startswith("input.documents") and (hostile not in SAMPLE or len(hostile.value) >= MB):
                continue  # each document is read and extracted: one of each kind; a megabyte has its own test below
            response = await mini_api.http.post(
                "/graphql",
                content=json.dumps({"query": VENDOR, "variables": {"input": data}}, ensure_ascii=True),
                headers={"Content-Type": "application/json"},
            )
            assert response.status_code in (200, 400), (hostile.name, field, response.status_code)
            body = response.json()
            if response.status_code == 400:
                assert hostile.json_only and body["errors"][0]["message"].startswith("variables.input"), body
                outcomes["refused"] += 1
                continue
            if "errors" in body:
                (error,) = body["errors"]
                ext = error["extensions"]
                assert ext["code"] in ("VALIDATION_FAILED", "NOT_FOUND", "INTAKE_FAILED"), (hostile.name, field, error)
                named = {ext.get("field"), *(i["field"] for i in ext.get("issues", []))}
                assert ext["code"] == "INTAKE_FAILED" or any(f and field.startswith(f) for f in named), (field, ext)
                assert len(error["message"]) < 4000
                outcomes["refused"] += 1
                continue
            report = body["data"]["vendorCheck"]
            text = POLICY + hostile.value if field == "input.documents[0].text" else None
            for fact in report["facts"]:
                span = fact["span"]
                if text is not None:
                    assert text[span["start"] : span["end"]] == span["quote"], (hostile.name, fact)
            outcomes["report"] += 1
    assert outcomes["report"] > 0 and outcomes["refused"] > 0
    assert await store_digest(mini_api.store) == before


@pytest.mark.parametrize("text", ["x" * MB, "\u202e" * (MB // 3)], ids=["word", "rtl"])
async def test_a_megabyte_document_is_read_in_bounded_time(mini_api: Api, text: str) -> None:
    response = await mini_api.post(VENDOR, {"input": {"documents": [{"name": "big.txt", "text": text}]}})
    assert response.status_code == 200 and "errors" not in response.json(), response.text[:500]


# -- very long lists and deep nesting ------------------------------------------------------------------------------


async def test_a_100k_item_list_is_stored_verbatim_or_refused(mini_api: Api) -> None:
    aliases = [f"alias-{i}" for i in range(LONG_LIST_ITEMS)]
    org = {"id": "long.org", "name": "Long", "aliases": aliases, "evidence": [EVIDENCE]}
    response = await mini_api.post(
        "mutation ($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }", {"input": org}
    )
    body = response.json()
    if "errors" in body:
        assert body["errors"][0]["extensions"]["field"].startswith("input.aliases"), body["errors"][0]
    else:
        stored = await mini_api.store.organization("long.org")
        assert stored is not None and stored.aliases == aliases


async def test_100k_filter_values_and_100k_facts(mini_api: Api) -> None:
    """A 100k-item filter runs; 100k facts are over the body limit (413), not a minute of work."""
    data = await mini_api.data(
        "query ($m: [MechanismCode!]) { transfers(mechanism: $m) { totalCount } }",
        {"m": ["SCC_2021"] * LONG_LIST_ITEMS},
    )
    assert data["transfers"]["totalCount"] >= 0
    facts = [{"kind": "CATEGORY", "value": "user", "quote": "user data"}] * LONG_LIST_ITEMS
    response = await mini_api.post(VENDOR, {"input": {"facts": facts}})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body", [deep_json(), deep_list(), '{"query": "{ version }", "variables": ' + deep_json() + "}"]
)
async def test_json_nested_10k_deep_is_a_400(mini_api: Api, body: str) -> None:
    before = await mini_api.store.revision()
    response = await mini_api.http.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "nested too deeply" in response.json()["errors"][0]["message"]
    assert await mini_api.store.revision() == before


async def test_deep_json_inside_a_json_argument_is_refused_by_field(mini_api: Api) -> None:
    """Nesting JSON can parse (500 levels) in the fact's free-form detail: refused naming the field."""
    detail: Any = "x"
    for _ in range(500):
        detail = {"a": detail}
    response = await mini_api.post(
        VENDOR, {"input": {"facts": [{"kind": "ORGANIZATION", "value": "Acme", "quote": "Acme", "detail": detail}]}}
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["field"] == "input.facts[0].detail", error
