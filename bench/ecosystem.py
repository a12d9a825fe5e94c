"""A synthetic vendor ecosystem at scale (issue 7), streamed to a bulk directory that `flowmap import` reads.

``write_bulk`` writes ``organizations.csv`` (the columns of ``ORGANIZATION``), ``engagements.csv`` (``from``, ``to``,
then the columns of ``ENGAGES``) and ``documents.csv`` (the one document all evidence cites). Each cell is exactly
what ``organization_row`` / ``engagement_row`` give for a valid model: JSON for nested facts, ``'|a|b|'`` for
categories and countries, ISO dates, ``true``/``false``, an empty cell for None, ``[]`` for the aliases list. No
pydantic model is built per row (1.1M of them would take minutes and gigabytes): the few distinct JSON values
(mechanisms, certifications, evidence) are dumped once from real models, and per organisation only a few bytes
(tier, kind, country, DPF listing) are kept.

The shape, after real sub-processor lists:

- a dozen named hubs ("Hub cloud 1", "Hub CDN 1", "Hub payments 1", ...): every client and most vendors use one;
- other processors in five tiers: clients engage tier 1 (and hubs, and some tier 2); a processor's P2P engagements
  go to a hub or one or two tiers deeper, a few to its own tier or the one above (cycles), so chains run 1-6 deep,
  a few longer through cycles and hubs (the walk stops at 8); within a tier use follows a power law (Zipf), and
  out-degrees shrink with depth;
- each processor offers one kind of service (hosting, e-mail, payments, analytics...) that handles a realistic set
  of ~20 fideslang categories; an engagement carries a subset of what its importer handles, a P2P engagement often
  of what both sides handle, so categories narrow along a chain without ending most chains at the second hop;
- destinations weighted like real lists (US, then EEA, GB, IN, CH, CA...), hubs naming several regions, a few
  engagements with no stated location ("unknown", "third_country_possible") and a few unnamed recipients;
- mechanisms by destination: DPF (importers listed with an active DPF_EU_US certification, and a few claims
  without one), SCC 2021 with module and signing date, SCC 2010 and Privacy Shield relics, BCR, UNSPECIFIED, none;
- start dates spread over 2015-2025 (so on an earlier day some are not active yet), a few ended, a few undated;
- a few processors engage vendors for their own data (C2P, which must not continue a client's chain), a few hand
  data back to a client (P2C), and a few clients share data with another controller (C2C).

Sizes (clients / processors / engagements): S 50 / 950 / 11k, M 500 / 9.5k / 110k, L 5k / 95k / 1.1M; any other
counts with ``Size(...)``. The same size and seed give byte-identical files.

Measured on the ``python`` machine kind (2 cores, Python 3.11.7) on 2026-11-22, whole
``python -m bench.ecosystem --size X`` processes (wall time, peak RSS, size of the files):

- S: 0.8 s (0.2 s of it generating), 55 MB, 3 MB
- M: 1.9 s, 73 MB, 30 MB
- L: 13.7 s, 79 MB, 306 MB (``flowmap import`` of it passed every check)

What a walk finds on 2025-06-01 (seed 7). "Clients" are the organisations with an active C2P/C2C engagement, so
they include the processors that engage vendors for their own data: two in three clients are such processors, with
short walks; the c* columns are the generated clients.

| size | clients (c*) | paths, all clients | paths per c* client: median / p95 / max |
| --- | ---: | ---: | ---: |
| S | 148 (50) | 139k | 1.7k / 7.9k / 20k |
| M | 1,582 (500) | 2.0M | 2.8k / 12.7k / 40k |
| L | 15,515 (5,000) | 24.7M | 3.5k / 14.5k / 46k |

Most paths run 2-5 hops (the count peaks at 3-4). The knobs below (``TIER_DEGREE``, ``TO_HUB``, ``BACK``,
``SHARED``) set how many there are; cycles matter most: while tuning, doubling BACK to 0.03 more than doubled the
paths at S and pushed most of them to 6-8 hops.

``python -m bench.ecosystem --size M --out DIR [--seed N]`` writes a bulk directory with a progress line.
``load_flowmap`` reads a bulk directory (or generates S or M) into an in-memory ``FlowMap``: tests and small sizes.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import random
import resource
import sys
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from flowmap.domain.models import Certification, DeclaredMechanism, Document, Evidence, FlowMap
from flowmap.store.bulk import BULK_FILES, write_rows
from flowmap.store.bulk import write_bulk as write_map_bulk
from flowmap.store.queries import Row
from flowmap.store.rows import (
    document_from_row,
    document_row,
    engagement_from_row,
    organization_from_row,
)
from flowmap.store.schema import DOCUMENT, ENGAGES, ORGANIZATION

# What `flowmap import` reads (the other bulk files, parents, publishers, citations, legal references, are optional).
_WRITTEN = [next(spec for spec in BULK_FILES if spec.table is table) for table in (ORGANIZATION, DOCUMENT, ENGAGES)]
ORGANIZATIONS_CSV, DOCUMENTS_CSV, ENGAGEMENTS_CSV = (spec.name for spec in _WRITTEN)
ORG_COLUMNS, DOCUMENT_COLUMNS, ENGAGEMENT_COLUMNS = (spec.columns for spec in _WRITTEN)
# The order ``_Ecosystem.engagement`` writes its cells in: a schema change must fail here, not shift columns.
_ENGAGEMENT_ORDER = (
    "from", "to", "id", "role", "service", "purpose", "categories", "countries", "location_scope", "regime",
    "mechanisms", "valid_from", "valid_to", "tia_ref", "fictional", "evidence",
)  # fmt: skip
if _ENGAGEMENT_ORDER != ENGAGEMENT_COLUMNS:
    raise RuntimeError(f"ENGAGES changed to {ENGAGEMENT_COLUMNS}: update bench.ecosystem._Ecosystem.engagement")
PIPE_COLUMNS = frozenset({"categories", "countries"})  # '' is a value there (no countries), not None

SYNTHETIC_DOCUMENT = Document.model_validate(
    {"id": "doc.synthetic", "title": "Synthetic ecosystem (generated)", "kind": "other", "language": "en",
     "fictional": True}
)  # fmt: skip
_EVIDENCE = [Evidence(document=SYNTHETIC_DOCUMENT.id, quote="synthetic")]


@dataclass(frozen=True)
class Size:
    clients: int
    processors: int  # the hubs included
    engagements: int


SIZES: dict[str, Size] = {
    "S": Size(50, 950, 11_000),
    "M": Size(500, 9_500, 110_000),
    "L": Size(5_000, 95_000, 1_100_000),
}


@dataclass
class Summary:
    """What a bulk directory holds; ``roles`` counts engagements by role."""

    directory: Path
    size: Size
    seed: int
    organizations: int = 0
    engagements: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


Progress = Callable[[int, int], None]  # (engagements written, engagements planned)


def _json(items: Sequence[BaseModel]) -> str:
    """As ``flowmap.store.rows`` dumps nested facts (the round-trip test keeps the two in step)."""
    return json.dumps([i.model_dump(mode="json", exclude_defaults=True) for i in items], ensure_ascii=False)


EVIDENCE_JSON = _json(_EVIDENCE)
EMPTY_JSON = "[]"

# ~20 fideslang keys; parents among them, so narrowing also works across levels (user.contact -> .email).
CATEGORIES: tuple[str, ...] = (
    "user.name",
    "user.contact",
    "user.contact.email",
    "user.contact.phone_number",
    "user.contact.address",
    "user.account.username",
    "user.authorization.password",
    "user.device",
    "user.device.ip_address",
    "user.device.cookie_id",
    "user.behavior.browsing_history",
    "user.payment",
    "user.financial.bank_account",
    "user.content.private",
    "user.telemetry",
    "user.location.imprecise",
    "user.demographic.gender",
    "user.job_title",
    "user.health_and_medical",
    "user.workplace",
)


@dataclass(frozen=True)
class Kind:
    """A kind of service: what its engagements are called, and which categories it handles."""

    label: str
    recipient_class: str
    service: str
    purpose: str
    categories: tuple[str, ...]
    weight: int  # how common among processors


def _kind(label: str, recipient_class: str, service: str, purpose: str, keys: str, weight: int) -> Kind:
    wanted = {f"user.{k}" for k in keys.split()}
    return Kind(label, recipient_class, service, purpose, tuple(c for c in CATEGORIES if c in wanted), weight)


KINDS: tuple[Kind, ...] = (
    _kind("Cloud", "hosting provider", "Cloud hosting", "Hosting and storage",
          "name contact account.username device content.private telemetry payment job_title workplace", 22),
    _kind("CDN", "content delivery network", "Content delivery", "Delivering web content",
          "device.ip_address device.cookie_id telemetry behavior.browsing_history", 4),
    _kind("Payments", "payment provider", "Payment processing", "Processing payments",
          "name contact.email contact.address payment financial.bank_account device.ip_address", 5),
    _kind("Email", "e-mail service", "E-mail delivery", "Sending e-mail",
          "name contact.email device.ip_address content.private", 9),
    _kind("Analytics", "analytics provider", "Web analytics", "Measuring use",
          "device.ip_address device.cookie_id behavior.browsing_history telemetry location.imprecise "
          "demographic.gender", 10),
    _kind("CRM", "CRM provider", "Customer relationship management", "Managing customer relations",
          "name contact contact.email contact.phone_number job_title workplace", 9),
    _kind("Support", "support desk provider", "Customer support desk", "Answering support requests",
          "name contact.email contact.phone_number content.private account.username", 7),
    _kind("Identity", "identity provider", "Sign-in and identity", "Authenticating users",
          "account.username authorization.password contact.email device.ip_address name", 5),
    _kind("HR", "HR and payroll provider", "HR and payroll", "Paying and managing staff",
          "name contact.address financial.bank_account demographic.gender health_and_medical job_title", 5),
    _kind("SMS", "telephony provider", "SMS and voice", "Sending text messages",
          "contact.phone_number name content.private", 4),
    _kind("Security", "security provider", "Logging and security monitoring", "Detecting abuse",
          "device device.ip_address telemetry account.username", 6),
    _kind("AI", "AI provider", "AI assistance", "Generating answers",
          "content.private name contact.email telemetry", 6),
    _kind("Marketing", "marketing provider", "Marketing automation", "Sending newsletters and ads",
          "contact.email name device.cookie_id behavior.browsing_history demographic.gender location.imprecise", 8),
)  # fmt: skip
_KIND_INDEX = {k.label: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Hub:
    name: str
    kind: str
    weight: int  # popularity among the hubs
    regions: tuple[str, ...]  # the country lists its engagements name, one drawn per engagement


# US companies, all listed under the DPF: v0..v11.
HUBS: tuple[Hub, ...] = (
    Hub("Hub cloud 1", "Cloud", 30, ("|IE|", "|DE|", "|US|", "|IE|US|", "|DE|IE|US|IN|")),
    Hub("Hub cloud 2", "Cloud", 18, ("|NL|", "|IE|", "|US|", "|NL|US|")),
    Hub("Hub cloud 3", "Cloud", 8, ("|BE|", "|US|", "|FI|US|")),
    Hub("Hub CDN 1", "CDN", 14, ("|US|", "|US|GB|DE|SG|JP|")),
    Hub("Hub CDN 2", "CDN", 6, ("|US|", "|US|IE|")),
    Hub("Hub payments 1", "Payments", 10, ("|US|", "|IE|US|")),
    Hub("Hub payments 2", "Payments", 5, ("|US|", "|NL|US|")),
    Hub("Hub email 1", "Email", 9, ("|US|",)),
    Hub("Hub analytics 1", "Analytics", 12, ("|US|", "|IE|US|")),
    Hub("Hub support 1", "Support", 5, ("|US|", "|DE|US|")),
    Hub("Hub identity 1", "Identity", 5, ("|US|", "|DE|US|")),
    Hub("Hub SMS 1", "SMS", 4, ("|US|", "|US|IE|")),
)
N_HUBS = len(HUBS)

CLIENT_COUNTRIES: dict[str, int] = {
    "DE": 18, "FR": 13, "NL": 10, "IT": 9, "ES": 8, "BE": 6, "IE": 5, "SE": 5, "PL": 5, "AT": 4, "DK": 3,
    "FI": 3, "PT": 2, "CZ": 2, "GB": 5, "CH": 2,
}  # fmt: skip
# Where processors are established, weighted like real sub-processor lists.
VENDOR_COUNTRIES: dict[str, int] = {
    "US": 38, "IE": 7, "DE": 9, "NL": 6, "FR": 5, "GB": 6, "IN": 5, "CH": 2, "CA": 2, "SE": 2, "ES": 2, "IT": 2,
    "PL": 2, "BE": 1, "DK": 1, "FI": 1, "AU": 1, "JP": 1, "SG": 1, "IL": 1, "BR": 1, "CN": 1, "PH": 1, "UA": 1,
    "RS": 1, "KR": 1,
}  # fmt: skip
US_SECOND_REGIONS = ("IE", "DE", "IN", "GB")  # a US vendor's engagement sometimes names a second country
EU = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
     "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)  # fmt: skip
EEA = EU | {"IS", "LI", "NO"}
ADEQUATE = frozenset({"GB", "CH", "CA", "JP", "IL", "KR", "NZ", "UY", "AR", "AD", "FO", "GG", "IM", "JE"})

# Declared mechanisms (codes, primary first) by destination, with weights. SCC dates are drawn from the lists below.
_DPF, _SCC21, _SCC10, _PS = "DPF_EU_US", "SCC_2021", "SCC_2010", "PRIVACY_SHIELD_EU_US"
_UNSPEC, _BCR = "UNSPECIFIED", "BCR"
Variant = tuple[str, ...]
MECHANISMS_BY_DESTINATION: dict[str, tuple[tuple[Variant, int], ...]] = {
    "eea": (((), 80), ((_SCC21,), 8), ((_UNSPEC,), 12)),
    "us_dpf": (((_DPF,), 25), ((_DPF, _SCC21), 35), ((_SCC21,), 20), ((_PS, _SCC10), 5), ((_SCC10,), 5),
               ((_UNSPEC,), 5), ((), 5)),
    "us": (((_SCC21,), 50), ((_SCC10,), 12), ((_PS, _SCC10), 8), ((_PS,), 5), ((_DPF,), 5), ((_UNSPEC,), 10),
           ((), 10)),
    "adequate": (((), 60), ((_SCC21,), 25), ((_UNSPEC,), 15)),
    "third": (((_SCC21,), 55), ((_SCC10,), 15), ((_UNSPEC,), 15), ((), 10), ((_BCR,), 5)),
    "unknown": (((), 40), ((_UNSPEC,), 35), ((_SCC21,), 25)),
}  # fmt: skip
SCC_2021_DATES = ("2021-11-15", "2022-03-01", "2022-09-27", "2022-12-12", "2023-06-01", "2024-02-15", "2025-01-20")
SCC_2010_DATES = ("2012-05-04", "2014-10-01", "2016-03-15", "2017-11-30", "2018-06-01", "2019-01-01", "2020-09-15")
MODULE = {"C2C": 1, "C2P": 2, "P2P": 3, "P2C": 4}

FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2025, 12, 31)
ENDED_BEFORE = date(2025, 10, 31)  # the ended engagements ended before this day

# The shape's knobs, tuned so that a client's paths stay in the thousands (see the docstring's walk figures).
TIER_SHARES = (0.30, 0.28, 0.20, 0.13, 0.09)  # of the non-hub processors, tiers 1-5
TIER_DEGREE = (16.0, 8.0, 3.0, 1.2, 0.5)  # relative mean out-degree per tier (scaled to the engagement budget)
HUB_DEGREE = 2.0
CLIENT_SHARE = 0.2  # of all engagements, those made by clients (a mean of 44 per client)
CLIENT_SIGMA = 0.8  # log-normal spread of clients' vendor counts
CLIENT_DEGREE_CAP = 8.0  # the biggest client uses at most this many times the mean
PROCESSOR_SIGMA = 0.7
CLIENT_TO_HUB, CLIENT_TO_TIER1 = 0.2, 0.7  # the rest to tier 2
TO_HUB = 0.3  # of a tiered processor's P2P engagements, those to a hub
BACK = 0.015  # ... to its own tier or the one above (cycles)
ONE_DEEPER = 0.85  # ... up to this share: one tier deeper; the rest two tiers deeper
HUB_TO_HUB = 0.2  # of a hub's engagements, those to another hub (the rest to tier-5 specialists)
SHARED = 0.5  # P2P categories drawn from what both sides handle (else from what the importer handles)
OWN_C2P, P2C, C2C = 0.015, 0.005, 0.04  # shares of processors' own C2P, their P2C, and clients' C2C
DPF_LISTED = 0.55  # of US processors (hubs always)
UNNAMED = 0.03  # of tier 4-5 processors


def _cum(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, items: Sequence[Any], cum: Sequence[float]) -> Any:
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _zipf_cum(n: int) -> list[float]:
    """Cumulative Zipf weights (exponent 1) over ranks 1..n: a few used by most, a long tail."""
    return _cum(1.0 / rank for rank in range(1, n + 1))


class _Subsets:
    """Every non-empty subset of a category set as a pipe string, by size; a draw picks the size uniformly."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.by_size = [["|" + "|".join(c) + "|" for c in combinations(keys, k)] for k in range(1, len(keys) + 1)]

    def draw(self, rng: random.Random) -> str:
        options = self.by_size[int(rng.random() * len(self.by_size))]
        return options[int(rng.random() * len(options))]


class _Mechanisms:
    """The JSON of each (variant, module, date) combination, dumped once from real models."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Variant, int, int], str] = {}

    def json(self, variant: Variant, module: int, pick: int) -> str:
        key = (variant, module, pick)
        found = self._cache.get(key)
        if found is None:
            declared: list[dict[str, Any]] = []
            for code in variant:
                if code == _SCC21:
                    declared.append({"code": code, "module": module, "signed_on": SCC_2021_DATES[pick]})
                elif code == _SCC10:
                    declared.append({"code": code, "signed_on": SCC_2010_DATES[pick]})
                else:
                    declared.append({"code": code})
            found = self._cache[key] = _json([DeclaredMechanism.model_validate(d) for d in declared])
        return found


def _certifications() -> dict[str, str]:
    dpf = {"framework": _DPF, "status": "active", "since": "2023-07-17", "evidence": _EVIDENCE}
    ps = {"framework": _PS, "status": "inactive", "since": "2017-03-01", "until": "2020-07-16", "evidence": _EVIDENCE}
    dump = [Certification.model_validate(c) for c in (dpf, ps)]
    return {"none": EMPTY_JSON, "dpf": _json(dump[:1]), "dpf_ps": _json(dump)}


def _destination(codes: Sequence[str], dpf: bool) -> str:
    """Which mechanism table applies to an engagement's countries: the least protected one decides."""
    if not codes:
        return "unknown"
    if "US" in codes:
        return "us_dpf" if dpf else "us"
    if all(c in EEA for c in codes):
        return "eea"
    if all(c in EEA or c in ADEQUATE for c in codes):
        return "adequate"
    return "third"


_ORG_DEFAULTS = {
    "legal_name": "",
    "aliases": "[]",
    "address": "",
    "website": "",
    "unnamed": "false",
    "recipient_class": "",
    "description": "",
    "fictional": "true",
    "registrations": EMPTY_JSON,
    "certifications": EMPTY_JSON,
    "retention": EMPTY_JSON,
    "collects": EMPTY_JSON,
    "transfer_statements": EMPTY_JSON,
    "evidence": EVIDENCE_JSON,
}


def _org_cells(**cells: str) -> list[str]:
    merged = {**_ORG_DEFAULTS, **cells}
    return [merged[c] for c in ORG_COLUMNS]  # KeyError if the schema gains a column this generator does not know


def _degrees(rng: random.Random, means: Sequence[float], budget: int, cap: int, sigma: float) -> array[int]:
    """Out-degrees around ``means`` (log-normal spread), at most ``cap``, scaled to sum to ``budget``."""
    raw = [m * rng.lognormvariate(0.0, sigma) for m in means]
    scale = budget / (sum(raw) or 1.0)
    degrees = array("I", (min(cap, int(x * scale + rng.random())) for x in raw))
    missing, n, guard = budget - sum(degrees), len(degrees), 0
    step = 1 if missing > 0 else -1
    while missing and guard < 50 * n:  # spread the rounding error over random exporters
        i = int(rng.random() * n)
        if (step > 0 and degrees[i] < cap) or (step < 0 and degrees[i] > 0):
            degrees[i] += step
            missing -= step
        guard += 1
    return degrees


def _distinct(rng: random.Random, k: int, draw: Callable[[], int], n: int, exclude: int) -> list[int]:
    """``k`` distinct targets from ``draw``; popular ones collide, so after many tries fall back to uniform."""
    chosen: dict[int, None] = {}
    tries = 0
    while len(chosen) < k and tries < 4 * k + 20:
        v = draw()
        if v != exclude:
            chosen[v] = None
        tries += 1
    while len(chosen) < min(k, n - 1):
        v = int(rng.random() * n)
        if v != exclude:
            chosen[v] = None
    return list(chosen)


class _Ecosystem:
    """One ecosystem being written: per-organisation facts in compact arrays, rows streamed as they are drawn."""

    def __init__(self, spec: Size, seed: int) -> None:
        self.spec = spec
        self.rng = rng = random.Random(seed)
        n_proc, n_tiered = spec.processors, spec.processors - N_HUBS
        # Hubs are v0..v11, then tiers 1-5 in consecutive blocks (tier_start[t - 1] .. tier_start[t]).
        self.tier_start = [N_HUBS]
        for share in TIER_SHARES[:-1]:
            self.tier_start.append(self.tier_start[-1] + round(n_tiered * share))
        self.tier_start.append(n_proc)
        self.tier_of = array("B", [0] * N_HUBS)
        for t in range(5):
            self.tier_of.extend([t + 1] * (self.tier_start[t + 1] - self.tier_start[t]))
        kind_cum = _cum(k.weight for k in KINDS)
        self.kind_of = array("B", (_KIND_INDEX[h.kind] for h in HUBS))
        self.kind_of.extend(bisect.bisect(kind_cum, rng.random() * kind_cum[-1]) for _ in range(n_tiered))
        names, cum = list(VENDOR_COUNTRIES), _cum(VENDOR_COUNTRIES.values())
        self.country_of = ["US"] * N_HUBS + [_pick(rng, names, cum) for _ in range(n_tiered)]
        names, cum = list(CLIENT_COUNTRIES), _cum(CLIENT_COUNTRIES.values())
        self.client_country = [_pick(rng, names, cum) for _ in range(spec.clients)]
        self.dpf_of = bytearray(n_proc)
        self.hub_cum = _cum(h.weight for h in HUBS)
        self.tier_cum = [_zipf_cum(self.tier_start[t + 1] - self.tier_start[t]) for t in range(5)]
        self.days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range((LAST_DAY - FIRST_DAY).days + 1)]
        self.ended_days = (ENDED_BEFORE - FIRST_DAY).days
        self.subsets: dict[tuple[str, ...], _Subsets] = {}
        self.mechanisms = _Mechanisms()
        self.mechanism_tables = {
            dest: ([v for v, _ in table], _cum(w for _, w in table))
            for dest, table in MECHANISMS_BY_DESTINATION.items()
        }
        self.roles: Counter[str] = Counter()
        self.written = 0

    # --- organisations

    def organizations(self) -> Iterator[list[str]]:
        rng, certs = self.rng, _certifications()
        for i, country in enumerate(self.client_country):
            yield _org_cells(id=f"c{i}", name=f"Client {i}", country=country)
        for v in range(self.spec.processors):
            country, kind = self.country_of[v], KINDS[self.kind_of[v]]
            cert = "none"
            if country == "US" and (v < N_HUBS or rng.random() < DPF_LISTED):
                self.dpf_of[v] = 1
                cert = "dpf_ps" if rng.random() < 0.15 else "dpf"
            cells = {"id": f"v{v}", "country": country, "certifications": certs[cert]}
            if v < N_HUBS:
                yield _org_cells(name=HUBS[v].name, **cells)
            elif self.tier_of[v] >= 4 and rng.random() < UNNAMED:  # "other hosting providers" in a list
                yield _org_cells(name=f"Unnamed {kind.recipient_class}", unnamed="true",
                                 recipient_class=kind.recipient_class, **cells)  # fmt: skip
            else:
                yield _org_cells(name=f"{kind.label} vendor {v}", **cells)

    # --- whom an exporter engages

    def hub(self) -> int:
        return bisect.bisect(self.hub_cum, self.rng.random() * self.hub_cum[-1])

    def in_tier(self, t: int) -> int:
        cum = self.tier_cum[t - 1]
        return self.tier_start[t - 1] + bisect.bisect(cum, self.rng.random() * cum[-1])

    def client_target(self) -> int:
        r = self.rng.random()
        return (
            self.hub()
            if r < CLIENT_TO_HUB
            else self.in_tier(1)
            if r < CLIENT_TO_HUB + CLIENT_TO_TIER1
            else self.in_tier(2)
        )

    def processor_target(self, tier: int) -> int:
        r = self.rng.random()
        if tier == 0:  # a hub uses a few other hubs and tier-5 specialists (affiliates, a support desk)
            return self.hub() if r < HUB_TO_HUB else self.in_tier(5)
        if r < TO_HUB:
            return self.hub()
        if r < TO_HUB + BACK:
            return self.in_tier(max(1, tier - int(self.rng.random() * 2)))
        if r < ONE_DEEPER:
            return self.in_tier(min(tier + 1, 5))
        return self.in_tier(min(tier + 2, 5))

    # --- engagements

    def countries_of(self, v: int) -> str:
        rng = self.rng
        if v < N_HUBS:
            regions = HUBS[v].regions
            return regions[int(rng.random() * len(regions))]
        home = self.country_of[v]
        if home == "US" and rng.random() < 0.15:
            return f"|US|{US_SECOND_REGIONS[int(rng.random() * len(US_SECOND_REGIONS))]}|"
        return f"|{home}|"

    def categories(self, importer_kind: int, exporter_kind: int | None = None) -> str:
        """A subset of what the importer handles; for P2P often of what both sides handle."""
        keys = KINDS[importer_kind].categories
        if exporter_kind is not None and self.rng.random() < SHARED:
            keys = tuple(c for c in keys if c in KINDS[exporter_kind].categories) or keys
        subsets = self.subsets.get(keys)
        if subsets is None:
            subsets = self.subsets[keys] = _Subsets(keys)
        return subsets.draw(self.rng)

    def engagement(
        self, exporter: str, importer: str, role: str, kind: int, cats: str, countries: str, dpf: bool
    ) -> list[str]:
        rng = self.rng
        codes = countries.strip("|").split("|") if countries else []
        r, scope = rng.random(), "stated"
        if r < 0.03:
            countries, codes, scope = "", [], "unknown"
        elif r < 0.04:
            countries, codes, scope = "", [], "third_country_possible"
        elif r < 0.06 and all(c in EU for c in codes):
            scope = "within_eu"
        variants, cum = self.mechanism_tables[_destination(codes, dpf)]
        variant: Variant = variants[bisect.bisect(cum, rng.random() * cum[-1])]
        pick = int(rng.random() * len(SCC_2021_DATES))
        mechanisms = self.mechanisms.json(variant, MODULE[role], pick) if variant else EMPTY_JSON
        r, valid_to = rng.random(), ""
        if r < 0.01:  # undated
            valid_from = ""
        elif r < 0.04:  # ended: started 2015-2024, ended months or years later, before ENDED_BEFORE
            start = int(rng.random() * (self.ended_days - 400))
            valid_from = self.days[start]
            valid_to = self.days[start + 90 + int(rng.random() * (self.ended_days - start - 90))]
        else:
            valid_from = self.days[int(rng.random() * len(self.days))]
        leaves_eea = scope != "stated" or any(c not in EEA for c in codes)
        tia = "TIA on file" if leaves_eea and variant and rng.random() < 0.4 else ""
        k = KINDS[kind]
        self.roles[role] += 1
        self.written += 1
        return [exporter, importer, f"{exporter}>{importer}", role, k.service, k.purpose, cats, countries, scope, "",
                mechanisms, valid_from, valid_to, tia, "true", EVIDENCE_JSON]  # fmt: skip

    def engagements(self) -> Iterator[list[str]]:
        spec, rng, kind_of, dpf_of = self.spec, self.rng, self.kind_of, self.dpf_of
        n_proc = spec.processors
        client_budget = round(spec.engagements * CLIENT_SHARE)
        client_cap = min(n_proc, round(CLIENT_DEGREE_CAP * client_budget / spec.clients))
        by_client = _degrees(rng, [1.0] * spec.clients, client_budget, client_cap, CLIENT_SIGMA)
        means = [HUB_DEGREE if t == 0 else TIER_DEGREE[t - 1] for t in self.tier_of]
        by_processor = _degrees(rng, means, spec.engagements - sum(by_client), n_proc - 1, PROCESSOR_SIGMA)
        for i in range(spec.clients):
            for v in _distinct(rng, by_client[i], self.client_target, n_proc, exclude=-1):
                role = "C2C" if rng.random() < C2C else "C2P"
                yield self.engagement(f"c{i}", f"v{v}", role, kind_of[v], self.categories(kind_of[v]),
                                      self.countries_of(v), bool(dpf_of[v]))  # fmt: skip
        for p in range(n_proc):
            tier, own = self.tier_of[p], kind_of[p]
            handed_back: set[int] = set()
            for v in _distinct(rng, by_processor[p], partial(self.processor_target, tier), n_proc, exclude=p):
                r = rng.random()
                if r < OWN_C2P:  # the processor's own data (its CRM, its hosting): not part of a client's chain
                    yield self.engagement(f"v{p}", f"v{v}", "C2P", kind_of[v], self.categories(kind_of[v]),
                                          self.countries_of(v), bool(dpf_of[v]))  # fmt: skip
                    continue
                if r < OWN_C2P + P2C:  # data handed back to a controller (else, if that one was drawn: P2P)
                    c = int(rng.random() * spec.clients)
                    if c not in handed_back:
                        handed_back.add(c)
                        yield self.engagement(f"v{p}", f"c{c}", "P2C", own, self.categories(own),
                                              f"|{self.client_country[c]}|", False)  # fmt: skip
                        continue
                yield self.engagement(f"v{p}", f"v{v}", "P2P", kind_of[v], self.categories(kind_of[v], own),
                                      self.countries_of(v), bool(dpf_of[v]))  # fmt: skip


def write_bulk(
    directory: Path | str, size: str | Size = "S", seed: int = 7, progress: Progress | None = None
) -> Summary:
    """Write the bulk files of an ecosystem of ``size`` (a name in SIZES or custom counts) into ``directory``."""
    started = time.perf_counter()
    spec = SIZES[size] if isinstance(size, str) else size
    if spec.processors < 4 * N_HUBS or spec.clients < 1:
        raise ValueError(f"an ecosystem needs at least one client and {4 * N_HUBS} processors, not {spec}")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    eco = _Ecosystem(spec, seed)
    write_rows(out / DOCUMENTS_CSV, DOCUMENT_COLUMNS, [document_row(SYNTHETIC_DOCUMENT)])
    with (out / ORGANIZATIONS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ORG_COLUMNS)
        w.writerows(eco.organizations())
    with (out / ENGAGEMENTS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ENGAGEMENT_COLUMNS)
        batch: list[list[str]] = []
        for row in eco.engagements():
            batch.append(row)
            if len(batch) == 50_000:
                w.writerows(batch)
                batch.clear()
                if progress is not None:
                    progress(eco.written, spec.engagements)
        w.writerows(batch)
    if progress is not None:
        progress(eco.written, eco.written)
    return Summary(out, spec, seed, spec.clients + spec.processors, eco.written, dict(sorted(eco.roles.items())),
                   time.perf_counter() - started)  # fmt: skip


# --- reading a bulk directory back ---------------------------------------------------------------------------


def _typed(cells: dict[str, str], props: Iterable[tuple[str, str]]) -> Row:
    """Bulk cells back to the Python values the row converters take, by the schema's column types."""
    row: Row = {}
    for name, ty in props:
        value = cells[name]
        if ty == "BOOLEAN":
            if value not in ("true", "false"):
                raise ValueError(f"{name}: {value!r} is not true or false")
            row[name] = value == "true"
        elif ty == "STRING[]":
            inner = value.removeprefix("[").removesuffix("]")
            row[name] = inner.split(",") if inner else []
        elif name in PIPE_COLUMNS:
            row[name] = value
        else:
            row[name] = value or None
    return row


def organization_cells_to_row(cells: dict[str, str]) -> Row:
    """A line of organizations.csv as ``organization_row`` gives it (and ``organization_from_row`` takes it)."""
    return _typed(cells, ORGANIZATION.props)


def engagement_cells_to_row(cells: dict[str, str]) -> Row:
    """A line of engagements.csv as ``engagement_row`` gives it, plus exporter/importer for ``engagement_from_row``."""
    return {"src": cells["from"], "dst": cells["to"], "exporter": cells["from"], "importer": cells["to"],
            **_typed(cells, ENGAGES.props)}  # fmt: skip


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def read_bulk(directory: Path | str) -> FlowMap:
    """A bulk directory as an in-memory FlowMap, through the store's row converters (validates every row)."""
    d = Path(directory)
    orgs = [organization_from_row(organization_cells_to_row(c)) for c in read_csv(d / ORGANIZATIONS_CSV)]
    engagements = [engagement_from_row(engagement_cells_to_row(c)) for c in read_csv(d / ENGAGEMENTS_CSV)]
    documents = (
        [document_from_row(_typed(c, DOCUMENT.props), []) for c in read_csv(d / DOCUMENTS_CSV)]
        if (d / DOCUMENTS_CSV).is_file()
        else [SYNTHETIC_DOCUMENT]
    )
    return FlowMap(organizations=orgs, engagements=engagements, documents=documents)


def load_flowmap(source: Path | str | Size, seed: int = 7) -> FlowMap:
    """A bulk directory (a Path), or a generated ecosystem of S, M or custom counts up to M's, as a FlowMap."""
    if isinstance(source, Path):
        return read_bulk(source)
    spec = SIZES.get(source) if isinstance(source, str) else source
    if spec is None:
        raise ValueError(f"unknown size {source!r}: give S, M, a Size or a bulk directory (a Path)")
    if spec.engagements > SIZES["M"].engagements:
        raise ValueError(f"{spec.engagements:,} engagements are too many to hold as models: stream the bulk files")
    with tempfile.TemporaryDirectory(prefix="flowmap-ecosystem-") as tmp:
        write_bulk(tmp, spec, seed)
        return read_bulk(tmp)


def write_flowmap_bulk(flow_map: FlowMap, directory: Path | str) -> Path:
    """A FlowMap as a bulk directory, as `flowmap import` reads it (for hand-made maps in the baselines' tests)."""
    write_map_bulk(flow_map, Path(directory))
    return Path(directory)


# --- command line --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ecosystem", description="Write a synthetic bulk directory.")
    parser.add_argument("--size", default="S", choices=sorted(SIZES), help="S, M or L (default S)")
    parser.add_argument("--out", required=True, type=Path, help="the bulk directory to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, help="a custom count (instead of the size's)")
    parser.add_argument("--processors", type=int, help="a custom count, hubs included")
    parser.add_argument("--engagements", type=int, help="a custom count")
    args = parser.parse_args(argv)
    base = SIZES[args.size]
    spec = Size(args.clients or base.clients, args.processors or base.processors, args.engagements or base.engagements)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        line = f"\rengagements {done:>9,} / {total:,} ({100 * done // max(total, 1)}%) {elapsed:6.1f} s"
        print(line, end="", file=sys.stderr, flush=True)

    summary = write_bulk(args.out, spec, args.seed, progress)
    print(file=sys.stderr)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = sum(p.stat().st_size for p in args.out.glob("*.csv")) / 1e6
    print(
        f"{summary.directory}: {summary.organizations:,} organisations, {summary.engagements:,} engagements "
        f"{summary.roles}, {size_mb:,.0f} MB in {summary.seconds:.1f} s, peak RSS {rss_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()
