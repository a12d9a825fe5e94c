"""The questions: every root query field, each readable by any authenticated role."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.api.auth import CanCheckVendors, CanRead
from flowmap.api.context import Context
from flowmap.api.pagination import Connection, connection, paginate, window
from flowmap.api.types.assessment import Chain, CountryExposure, Finding, Scenario, Transfer, chain_of, exposure
from flowmap.api.types.audit import AuditEntry
from flowmap.api.types.law import Country, DataCategory, Mechanism, Regime, today
from flowmap.api.types.organizations import Organization, country
from flowmap.api.types.vendor import VendorCheck, VendorCheckInput
from flowmap.api.vendor_check import run_vendor_check
from flowmap.domain import results
from flowmap.domain.categories import check_category_key, taxonomy
from flowmap.domain.chains import flow, narrow
from flowmap.domain.countries import all_countries, check_country_code
from flowmap.domain.law import MechanismKind
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.scenario import Change, Revocation, Withdrawal
from flowmap.errors import Issue, NotFound, ValidationFailed
from flowmap.service.assessments import AssessmentKey
from flowmap.service.snapshot import MapSnapshot, OrganizationRole

Ctx = Info[Context, Any]


def _org_id(snapshot: MapSnapshot, value: strawberry.ID | None, field: str) -> str | None:
    if value is None:
        return None
    if str(value) not in snapshot.organizations:
        raise NotFound(field, f"{field}: no organisation {str(value)[:200]!r} in the map")
    return str(value)


def _checked(check: Any, value: str | None, field: str) -> str | None:
    if value is None:
        return None
    try:
        return str(check(value))
    except ValueError as exc:
        raise ValidationFailed([Issue(field, "", str(exc))]) from None


async def _assessment(info: Ctx, as_of: date | None, client: str | None) -> results.Assessment:
    return await info.context.assessments.load(AssessmentKey(today(as_of), client))


def _sent(t: results.Transfer, codes: set[MechanismCode]) -> bool:
    """Relied on, or declared on the last hop (a relic the transfer no longer rests on still matters)."""
    return (t.basis in codes) or any(m in codes for m in t.path[-1].mechanisms)


@strawberry.type
class Count:
    name: str
    count: int


@strawberry.type
class Stats:
    store: str
    revision: int
    nodes: list[Count]
    relationships: list[Count]


@strawberry.type
class Query:
    @strawberry.field(description="flowmap's version.", permission_classes=[CanRead])
    def version(self) -> str:
        return __version__

    @strawberry.field(description="Shown with every assessment.", permission_classes=[CanRead])
    def disclaimer(self) -> str:
        return NOT_LEGAL_ADVICE

    @strawberry.field(description="Node and relationship counts of the map.", permission_classes=[CanRead])
    async def stats(self, info: Ctx) -> Stats:
        store = info.context.services.store
        counts = await store.counts()
        snapshot = await info.context.snapshot()
        return Stats(
            store=store.kind,
            revision=snapshot.revision,
            nodes=[Count(name=k, count=v) for k, v in counts.nodes.items()],
            relationships=[Count(name=k, count=v) for k, v in counts.relationships.items()],
        )

    @strawberry.field(description="One organisation by id.", permission_classes=[CanRead])
    async def organization(self, info: Ctx, id: strawberry.ID) -> Organization | None:
        found = await info.context.organizations.load(str(id))
        return Organization(model=found) if found else None

    @strawberry.field(
        description="Organisations by name, alias or id (search), country of establishment and role.",
        permission_classes=[CanRead],
    )
    async def organizations(
        self,
        info: Ctx,
        search: str | None = None,
        country: str | None = None,
        role: OrganizationRole | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Organization]:
        code = _checked(check_country_code, country, "country")
        snapshot = await info.context.snapshot()
        needle = search.casefold().strip() if search else None
        chosen = [
            o
            for o in snapshot.organizations.values()
            if (code is None or o.country == code)
            and (role is None or role in snapshot.roles.get(o.id, frozenset()))
            and (
                not needle or any(needle in text.casefold() for text in (o.id, o.name, o.legal_name or "", *o.aliases))
            )
        ]
        return paginate(chosen, first, after, info.context.settings.max_page_size, lambda o: Organization(model=o))

    @strawberry.field(description="ISO 3166-1 countries; search by code or name.", permission_classes=[CanRead])
    def countries(self, search: str | None = None) -> list[Country]:
        needle = search.casefold().strip() if search else ""
        return [
            Country.of(c)
            for c in all_countries().values()
            if not needle or needle == c.code.casefold() or needle in c.name.casefold()
        ]

    @strawberry.field(description="One country by ISO 3166-1 alpha-2 code.", permission_classes=[CanRead])
    def country(self, code: str) -> Country:
        checked = _checked(check_country_code, code, "code")
        found = country(checked)
        assert found is not None
        return found

    @strawberry.field(description="The regimes flowmap applies.", permission_classes=[CanRead])
    def regimes(self, info: Ctx) -> list[Regime]:
        return [Regime.of(r) for r in info.context.kb.regimes]

    @strawberry.field(
        description="The fideslang taxonomy: its roots (navigate by children), or every category with flat: true.",
        permission_classes=[CanRead],
    )
    def data_categories(self, flat: bool = False) -> list[DataCategory]:
        return [DataCategory.of(c) for c in taxonomy().values() if flat or c.parent_key is None]

    @strawberry.field(
        description="Transfer mechanisms with validity windows and sources.", permission_classes=[CanRead]
    )
    def mechanisms(self, info: Ctx, kind: MechanismKind | None = None) -> list[Mechanism]:
        return [Mechanism.of(m) for m in info.context.kb.mechanisms if kind is None or m.kind is kind]

    @strawberry.field(
        description="Personal data reaching destinations outside each client's regime area, judged on asOf "
        "(default today). mechanism matches the basis relied on or one declared on the last hop; category "
        "matches that category and everything under it. Not legal advice.",
        permission_classes=[CanRead],
    )
    async def transfers(
        self,
        info: Ctx,
        as_of: date | None = None,
        client_id: strawberry.ID | None = None,
        importer_id: strawberry.ID | None = None,
        destination_country: str | None = None,
        mechanism: list[MechanismCode] | None = None,
        status: list[results.Status] | None = None,
        category: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Transfer]:
        snapshot = await info.context.snapshot()
        client = _org_id(snapshot, client_id, "clientId")
        importer = _org_id(snapshot, importer_id, "importerId")
        destination = _checked(check_country_code, destination_country, "destinationCountry")
        key = _checked(check_category_key, category, "category")
        codes = set(mechanism or ())
        day = today(as_of)
        chosen = [
            t
            for t in (await _assessment(info, day, client)).transfers
            if (importer is None or t.importer == importer)
            and (destination is None or t.destination == destination)
            and (not codes or _sent(t, codes))
            and (not status or t.status in status)
            and (key is None or narrow([key], t.data_categories))
        ]
        return paginate(
            chosen, first, after, info.context.settings.max_page_size, lambda t: Transfer(model=t, as_of=day)
        )

    @strawberry.field(
        description="Per destination: categories, importers, mechanisms and the worst status (the dashboard map).",
        permission_classes=[CanRead],
    )
    async def exposure(
        self, info: Ctx, as_of: date | None = None, client_id: strawberry.ID | None = None
    ) -> list[CountryExposure]:
        snapshot = await info.context.snapshot()
        client = _org_id(snapshot, client_id, "clientId")
        return exposure(list((await _assessment(info, as_of, client)).transfers), info)

    @strawberry.field(
        description="Findings on asOf (default today), most severe first; organizationId matches findings on the "
        "organisation, its engagements and its documents.",
        permission_classes=[CanRead],
    )
    async def findings(
        self,
        info: Ctx,
        as_of: date | None = None,
        severity: list[results.Severity] | None = None,
        rule: list[results.Rule] | None = None,
        organization_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Finding]:
        snapshot = await info.context.snapshot()
        org = _org_id(snapshot, organization_id, "organizationId")
        subjects: set[str] = set()
        if org is not None:
            subjects.add(f"organization:{org}")
            subjects.update(
                f"engagement:{e.key}"
                for e in [*snapshot.tables.outgoing.get(org, []), *snapshot.tables.incoming.get(org, [])]
            )
            subjects.update(f"document:{d.id}" for d in snapshot.documents.values() if d.publisher == org)
        view = await info.context.services.assessor.findings(snapshot, today(as_of))
        found = view.all if org is None else view.about(subjects)
        chosen = [f for f in found if (not severity or f.severity in severity) and (not rule or f.rule in rule)]
        return paginate(chosen, first, after, info.context.settings.max_page_size, Finding.of)

    @strawberry.field(
        description="What-if: revoke mechanisms and/or withdraw adequacy from countries from `effective` (default "
        "asOf), and see which transfers break, survive on a fallback, or rely on what changes yet keep their basis "
        "(unaffected). Transfers the scenario cannot touch are not listed. Not legal advice.",
        permission_classes=[CanRead],
    )
    async def scenario(
        self,
        info: Ctx,
        as_of: date | None = None,
        revoke: list[MechanismCode] | None = None,
        withdraw_adequacy: list[str] | None = None,
        effective: date | None = None,
        client_id: strawberry.ID | None = None,
    ) -> Scenario:
        if not revoke and not withdraw_adequacy:
            raise ValidationFailed(
                [Issue("revoke", "", "give at least one mechanism to revoke or country to withdraw")]
            )
        countries = [
            str(_checked(check_country_code, c, f"withdrawAdequacy[{i}]"))
            for i, c in enumerate(withdraw_adequacy or [])
        ]
        snapshot = await info.context.snapshot()
        client = _org_id(snapshot, client_id, "clientId")
        day = today(as_of)
        start = effective or day
        result = await info.context.services.assessor.scenario(
            snapshot,
            day,
            [Revocation(code, start) for code in revoke or []],
            [Withdrawal(c, start) for c in countries],
            client,
        )
        counts = {c: result.count(c) for c in Change}
        return Scenario(
            as_of=day,
            effective=start,
            revoked=list(revoke or []),
            withdrawn=countries,
            broken=counts[Change.BROKEN],
            fallback=counts[Change.FALLBACK],
            unaffected=counts[Change.UNAFFECTED],
            result=result,
        )

    @strawberry.field(description="One client's subgraph on asOf, to draw it.", permission_classes=[CanRead])
    async def chain(
        self, info: Ctx, client_id: strawberry.ID, as_of: date | None = None, max_depth: int | None = None
    ) -> Chain:
        snapshot = await info.context.snapshot()
        client = _org_id(snapshot, client_id, "clientId")
        assert client is not None
        limit = info.context.settings.max_depth
        depth = limit if max_depth is None else max_depth
        if not 1 <= depth <= limit:
            raise ValidationFailed([Issue("maxDepth", "", f"maxDepth must be between 1 and {limit}, got {depth}")])
        day = today(as_of)
        view = snapshot.tables.on(day)
        reaches = flow(view, client, view.first_hops(client), depth)
        transfers = [t for t in (await _assessment(info, day, client)).transfers if len(t.path) <= depth]
        names = {o.id: o.name for o in snapshot.organizations.values()}
        return chain_of(client, day, depth, reaches, transfers, names)

    @strawberry.field(
        description="Procurement's pre-onboarding check: a candidate's documents (or facts) judged as if the client "
        "engaged it, with draft facts, transfers, findings and questions for the vendor. Writes nothing. "
        "Not legal advice.",
        permission_classes=[CanCheckVendors],
    )
    async def vendor_check(self, info: Ctx, input: VendorCheckInput) -> VendorCheck:
        return await run_vendor_check(info.context, input)

    @strawberry.field(description="Every committed change, newest first.", permission_classes=[CanRead])
    async def audit_log(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[AuditEntry]:
        store = info.context.services.store
        offset, limit = window(first, after, info.context.settings.max_page_size)
        entries = await store.audit_log(offset, limit)
        return connection([AuditEntry.of(e) for e in entries], offset, await store.audit_count())
