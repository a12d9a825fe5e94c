"""A synthetic vendor ecosystem at scale (issue 7), streamed to a "bulk directory" of two CSV files.

``write_bulk`` writes ``organizations.csv`` (the columns of ``ORGANIZATION``) and ``engagements.csv`` (``from``,
``to``, then the columns of ``ENGAGES``), each cell exactly what ``organization_row`` / ``engagement_row`` give for a
valid model: JSON for nested facts, ``'|a|b|'`` for categories and countries, ISO dates, ``true``/``false``, an empty
cell for None, ``[]`` for the aliases list. No pydantic model is built per row (1.1M of them would take minutes and
gigabytes): the few distinct JSON values (mechanisms, certifications, evidence) are dumped once from real models, and
per organisation only a few bytes (tier, kind, country, DPF listing) are kept in arrays.

The shape, after real sub-processor lists:

- a dozen named hubs ("Hub cloud 1", "Hub CDN 1", "Hub payments 1", ...) used by most vendors and many clients;
- processors in five tiers: clients engage tier 1 (and hubs), and a processor's P2P engagements go mostly one or two
  tiers deeper or to a hub, a few back up (cycles), so chains run 1-6 deep and more through hubs, capped at 8 by the
  walk; use of each tier follows a power law (Zipf), and out-degrees shrink with depth;
- every processor offers one kind of service (hosting, e-mail, payments, analytics...) with a realistic set of
  fideslang categories; an engagement carries a subset of what its importer handles, and a P2P engagement mostly a
  subset of what both sides handle, so categories narrow along a chain without killing most chains at hop two;
- destinations weighted like real lists (US, then EEA, GB, IN, CH, CA...), hubs with several regions, a few
  engagements with unknown or unnamed locations and a few unnamed recipients;
- mechanisms by destination: DPF (importers listed with an active DPF_EU_US certification, and a few claims
  without one), SCC 2021 with module and signing date, SCC 2010 and Privacy Shield relics, UNSPECIFIED, none;
- start dates spread over 2015-2025 (so on an earlier day some engagements are not active yet), a few ended ones;
- a few processors engage vendors for themselves (C2P: their own data, which must not continue a client's chain)
  and a few return data to a client (P2C); a few clients share data with another controller (C2C).

Sizes (clients / processors / engagements): S 50 / 950 / 11k, M 500 / 9.5k / 110k, L 5k / 95k / 1.1M; any other
counts with ``Size(...)``. The same seed and size always give byte-identical files.

Measured on the ``python`` machine kind (2 cores, Python 3.11.7), ``python -m bench.ecosystem --size X``:
see ``GENERATION`` below for the figures (time and peak RSS of the whole process).

``python -m bench.ecosystem --size M --out DIR [--seed N]`` writes a bulk directory with a progress line.
``load_flowmap`` reads a bulk directory (or generates S/M) into an in-memory ``FlowMap``, for tests and small sizes.
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
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from flowmap.domain.models import Certification, DeclaredMechanism, Document, Evidence, FlowMap
from flowmap.store.queries import Row
from flowmap.store.rows import engagement_from_row, engagement_row, organization_from_row, organization_row
from flowmap.store.schema import ENGAGES, ORGANIZATION

# Measured (median of 2 runs; wall time, peak RSS of the whole `python -m bench.ecosystem` process):
GENERATION = {"S": "filled in below", "M": "filled in below", "L": "filled in below"}

ORGANIZATIONS_CSV = "organizations.csv"
ENGAGEMENTS_CSV = "engagements.csv"
ORG_COLUMNS: tuple[str, ...] = ORGANIZATION.prop_names
ENGAGEMENT_COLUMNS: tuple[str, ...] = ("from", "to", *ENGAGES.prop_names)
PIPE_COLUMNS = frozenset({"categories", "countries"})  # '' is a value there (no countries), not None

DOCUMENT_ID = "doc.synthetic"
DOCUMENT = Document.model_validate(
    {"id": DOCUMENT_ID, "title": "Synthetic ecosystem (generated)", "kind": "other", "language": "en", "fictional": True}
)
_EVIDENCE = [Evidence(document=DOCUMENT_ID, quote="synthetic")]


@dataclass(frozen=True)
class Size:
    clients: int
    processors: int  # including the hubs
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

# ~20 fideslang keys, parents included so that narrowing works across levels (user.contact -> .email).
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
    """A kind of service: what it is called, and which categories it handles."""

    label: str
    recipient_class: str
    service: str
    purpose: str
    categories: tuple[str, ...]


def _kind(label: str, recipient_class: str, service: str, purpose: str, keys: str) -> Kind:
    cats = tuple(c for c in CATEGORIES if c.removeprefix("user.") in keys.split())
    return Kind(label, recipient_class, service, purpose, cats)


KINDS: tuple[Kind, ...] = (
    _kind(
        "Cloud",
        "hosting provider",
        "Cloud hosting",
        "Hosting and storage",
        "name contact account.username device content.private telemetry payment job_title workplace",
    ),
    _kind(
        "CDN",
        "content delivery network",
        "Content delivery",
        "Delivering web content",
        "device.ip_address device.cookie_id telemetry behavior.browsing_history",
    ),
    _kind(
        "Payments",
        "payment provider",
        "Payment processing",
        "Processing payments",
        "name contact.email contact.address payment financial.bank_account device.ip_address",
    ),
    _kind(
        "Email",
        "e-mail service",
        "E-mail delivery",
        "Sending e-mail",
        "name contact.email device.ip_address content.private",
    ),
    _kind(
        "Analytics",
        "analytics provider",
        "Web analytics",
        "Measuring use",
        "device.ip_address device.cookie_id behavior.browsing_history telemetry location.imprecise "
        "demographic.gender",
    ),
    _kind(
        "CRM",
        "CRM provider",
        "Customer relationship management",
        "Managing customer relations",
        "name contact contact.email contact.phone_number job_title workplace",
    ),
    _kind(
        "Support",
        "support desk provider",
        "Customer support desk",
        "Answering support requests",
        "name contact.email contact.phone_number content.private account.username",
    ),
    _kind(
        "Identity",
        "identity provider",
        "Sign-in and identity",
        "Authenticating users",
        "account.username authorization.password contact.email device.ip_address name",
    ),
    _kind(
        "HR",
        "HR and payroll provider",
        "HR and payroll",
        "Paying and managing staff",
        "name contact.address financial.bank_account demographic.gender health_and_medical job_title",
    ),
    _kind(
        "SMS",
        "telephony provider",
        "SMS and voice",
        "Sending text messages",
        "contact.phone_number name content.private",
    ),
    _kind(
        "Security",
        "security provider",
        "Logging and security monitoring",
        "Detecting abuse",
        "device device.ip_address telemetry account.username",
    ),
    _kind(
        "AI",
        "AI provider",
        "AI assistance",
        "Generating answers",
        "content.private name contact.email telemetry",
    ),
    _kind(
        "Marketing",
        "marketing provider",
        "Marketing automation",
        "Sending newsletters and ads",
        "contact.email name device.cookie_id behavior.browsing_history demographic.gender location.imprecise",
    ),
)
_KIND_INDEX = {k.label: i for i, k in enumerate(KINDS)}

# (name, kind, popularity weight, the regions an engagement names). All are US companies listed under the DPF.
HUBS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("Hub cloud 1", "Cloud", 30, ("|IE|", "|DE|", "|US|", "|IE|US|", "|DE|IE|US|IN|")),
    ("Hub cloud 2", "Cloud", 18, ("|NL|", "|IE|", "|US|", "|NL|US|")),
    ("Hub cloud 3", "Cloud", 8, ("|BE|", "|US|", "|FI|US|")),
    ("Hub CDN 1", "CDN", 14, ("|US|", "|US|GB|DE|SG|JP|")),
    ("Hub CDN 2", "CDN", 6, ("|US|", "|US|IE|")),
    ("Hub payments 1", "Payments", 10, ("|US|", "|IE|US|")),
    ("Hub payments 2", "Payments", 5, ("|US|", "|NL|US|")),
    ("Hub email 1", "Email", 9, ("|US|",)),
    ("Hub analytics 1", "Analytics", 12, ("|US|", "|IE|US|")),
    ("Hub support 1", "Support", 5, ("|US|", "|DE|US|")),
    ("Hub identity 1", "Identity", 5, ("|US|", "|DE|US|")),
    ("Hub SMS 1", "SMS", 4, ("|US|", "|US|IE|")),
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
EEA = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split()
)
ADEQUATE = frozenset("GB CH CA JP IL KR NZ UY AR AD FO GG IM JE".split())
EU_NOT_EEA_OK = EEA  # engagements "within_eu" only name EEA countries

# Mechanism variants: a tuple of (code, needs a signing date) per declared mechanism, primary first.
_DPF, _SCC21, _SCC10, _PS, _UNSP, _BCR = "DPF_EU_US", "SCC_2021", "SCC_2010", "PRIVACY_SHIELD_EU_US", "UNSPECIFIED", "BCR"
Variant = tuple[str, ...]
MECHANISMS_BY_DESTINATION: dict[str, tuple[tuple[Variant, int], ...]] = {
    "eea": (((), 80), ((_SCC21,), 8), ((_UNSP,), 12)),
    "us_dpf": (
        ((_DPF,), 25),
        ((_DPF, _SCC21), 35),
        ((_SCC21,), 20),
        ((_PS, _SCC10), 5),
        ((_SCC10,), 5),
        ((_UNSP,), 5),
        ((), 5),
    ),
    "us": (
        ((_SCC21,), 50),
        ((_SCC10,), 12),
        ((_PS, _SCC10), 8),
        ((_PS,), 5),
        ((_DPF,), 5),
        ((_UNSP,), 10),
        ((), 10),
    ),
    "adequate": (((), 60), ((_SCC21,), 25), ((_UNSP,), 15)),
    "third": (((_SCC21,), 55), ((_SCC10,), 15), ((_UNSP,), 15), ((), 10), ((_BCR,), 5)),
    "unknown": (((), 40), ((_UNSP,), 35), ((_SCC21,), 25)),
}
SCC_2021_DATES = ("2021-11-15", "2022-03-01", "2022-09-27", "2022-12-12", "2023-06-01", "2024-02-15", "2025-01-20")
SCC_2010_DATES = ("2012-05-04", "2014-10-01", "2016-03-15", "2017-11-30", "2018-06-01", "2019-01-01", "2020-09-15")
MODULE = {"C2C": 1, "C2P": 2, "P2P": 3, "P2C": 4}

FIRST_DAY = date(2015, 1, 1)
LAST_DAY = date(2025, 12, 31)
ENDED_BEFORE = date(2025, 10, 31)  # ended engagements stop before this day

# Tiers of non-hub processors: share of processors, and mean P2P out-degree before scaling to the budget.
TIER_SHARES = (0.30, 0.28, 0.20, 0.13, 0.09)
TIER_DEGREE = (14.0, 9.0, 5.0, 2.5, 0.8)
HUB_DEGREE = 2.0
CLIENT_SHARE = 0.2  # of all engagements, those made by clients


def _weighted(items: dict[str, int]) -> tuple[list[str], list[float]]:
    names = list(items)
    cum, total = [], 0.0
    for name in names:
        total += items[name]
        cum.append(total)
    return names, cum


def _pick(rng: random.Random, names: Sequence[Any], cum: Sequence[float]) -> Any:
    return names[bisect.bisect(cum, rng.random() * cum[-1])]


def _zipf_cum(n: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights over ranks 1..n: a few used by most, a long tail."""
    cum, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        cum.append(total)
    return cum


class _Subsets:
    """Every non-empty subset of a category set as a pipe string, by size, drawn biased towards larger subsets."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.by_size = [["|" + "|".join(c) + "|" for c in combinations(keys, k)] for k in range(1, len(keys) + 1)]

    def draw(self, rng: random.Random) -> str:
        n = len(self.by_size)
        r = rng.random()
        size = n - int(r * r * n)  # 1..n, larger more often
        options = self.by_size[size - 1]
        return options[int(rng.random() * len(options))]


class _Mechanisms:
    """The JSON of each (variant, module, dates) combination, dumped once from real models."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Variant, int, int], str] = {}

    def json(self, variant: Variant, module: int, date_pick: int) -> str:
        key = (variant, module, date_pick)
        found = self._cache.get(key)
        if found is None:
            declared = []
            for code in variant:
                if code == _SCC21:
                    declared.append(
                        DeclaredMechanism(
                            code=code,  # type: ignore[arg-type]
                            module=module,
                            signed_on=SCC_2021_DATES[date_pick % len(SCC_2021_DATES)],  # type: ignore[arg-type]
                        )
                    )
                elif code == _SCC10:
                    signed = SCC_2010_DATES[date_pick % len(SCC_2010_DATES)]
                    declared.append(DeclaredMechanism(code=code, signed_on=signed))  # type: ignore[arg-type]
                else:
                    declared.append(DeclaredMechanism(code=code))  # type: ignore[arg-type]
            found = self._cache[key] = _json(declared)
        return found


def _certifications() -> dict[str, str]:
    dpf = Certification.model_validate(
        {"framework": _DPF, "status": "active", "since": "2023-07-17", "evidence": _EVIDENCE}
    )
    ps = Certification.model_validate(
        {"framework": _PS, "status": "inactive", "since": "2017-03-01", "until": "2020-07-16", "evidence": _EVIDENCE}
    )
    return {"none": EMPTY_JSON, "dpf": _json([dpf]), "dpf_ps": _json([dpf, ps])}


def _destination(countries: str, dpf: bool) -> str:
    """The mechanism table for an engagement's countries: the worst destination decides."""
    codes = countries.strip("|").split("|") if countries else []
    if not codes:
        return "unknown"
    if "US" in codes:
        return "us_dpf" if dpf else "us"
    if all(c in EEA for c in codes):
        return "eea"
    if all(c in EEA or c in ADEQUATE for c in codes):
        return "adequate"
    return "third"


class _Writer:
    """Streams engagements for one ecosystem: rows go to the CSV writer as soon as they are drawn."""

    def __init__(self, size: Size, seed: int, out: Any, progress: Progress | None) -> None:
        self.rng = random.Random(seed)
        self.size = size
        self.out = out
        self.progress = progress
        self.written = 0
        self.roles: Counter[str] = Counter()
        self.mechanisms = _Mechanisms()
        self.days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range((LAST_DAY - FIRST_DAY).days + 1)]
        self.ended_days = (ENDED_BEFORE - FIRST_DAY).days
        self.subsets: dict[tuple[str, ...], _Subsets] = {}
        self.mech_tables = {
            dest: ([v for v, _ in table], _cum([w for _, w in table]))
            for dest, table in MECHANISMS_BY_DESTINATION.items()
        }

    def categories(self, importer_kind: int, exporter_kind: int | None) -> str:
        """A subset of what the importer handles; for P2P mostly of what both sides handle."""
        keys = KINDS[importer_kind].categories
        if exporter_kind is not None and self.rng.random() < 0.8:
            shared = tuple(c for c in keys if c in KINDS[exporter_kind].categories)
            keys = shared or keys
        subsets = self.subsets.get(keys)
        if subsets is None:
            subsets = self.subsets[keys] = _Subsets(keys)
        return subsets.draw(self.rng)

    def row(self, exporter: str, importer: str, role: str, kind: int, cats: str, countries: str, dpf: bool) -> None:
        rng = self.rng
        r = rng.random()
        scope = "stated"
        if r < 0.03:
            countries, scope = "", "unknown"
        elif r < 0.04:
            countries, scope = "", "third_country_possible"
        elif r < 0.06 and countries and all(c in EEA for c in countries.strip("|").split("|")):
            scope = "within_eu"
        variants, cum = self.mech_tables[_destination(countries, dpf)]
        variant: Variant = variants[bisect.bisect(cum, rng.random() * cum[-1])]
        mechanisms = self.mechanisms.json(variant, MODULE[role], int(rng.random() * 7)) if variant else EMPTY_JSON
        r = rng.random()
        valid_to = ""
        if r < 0.01:
            valid_from = ""
        elif r < 0.04:  # ended: started 2015-2022, ended some months or years later, before ENDED_BEFORE
            start = int(rng.random() * (self.ended_days - 400))
            valid_from = self.days[start]
            valid_to = self.days[start + 90 + int(rng.random() * (self.ended_days - start - 90))]
        else:
            valid_from = self.days[int(rng.random() * len(self.days))]
        third = scope != "stated" or any(c not in EEA for c in countries.strip("|").split("|"))
        tia = "TIA on file" if third and variant and rng.random() < 0.4 else ""
        k = KINDS[kind]
        self.out.writerow(
            (
                exporter,
                importer,
                f"{exporter}>{importer}",
                role,
                k.service,
                k.purpose,
                cats,
                countries,
                scope,
                "",
                mechanisms,
                valid_from,
                valid_to,
                tia,
                "true",
                EVIDENCE_JSON,
            )
        )
        self.roles[role] += 1
        self.written += 1
        if self.progress is not None and self.written % 50_000 == 0:
            self.progress(self.written, self.size.engagements)


def _cum(weights: Iterable[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _degrees(rng: random.Random, means: Sequence[float], budget: int, caps: Sequence[int], sigma: float) -> array[int]:
    """Out-degrees with the given means (log-normal spread), scaled so that they sum to ``budget``."""
    raw = [m * rng.lognormvariate(0.0, sigma) for m in means]
    scale = budget / (sum(raw) or 1.0)
    degrees = array("I", (min(cap, int(x * scale + rng.random())) for x, cap in zip(raw, caps, strict=True)))
    missing = budget - sum(degrees)
    n = len(degrees)
    step = 1 if missing > 0 else -1
    guard = 0
    while missing and guard < 50 * n:  # spread the rounding error over random exporters
        i = int(rng.random() * n)
        if (step > 0 and degrees[i] < caps[i]) or (step < 0 and degrees[i] > 0):
            degrees[i] += step
            missing -= step
        guard += 1
    return degrees


def write_bulk(
    directory: Path | str, size: str | Size = "S", seed: int = 7, progress: Progress | None = None
) -> Summary:
    """Write ``organizations.csv`` and ``engagements.csv`` for an ecosystem of ``size`` into ``directory``."""
    started = time.perf_counter()
    spec = SIZES[size] if isinstance(size, str) else size
    if spec.processors < 4 * N_HUBS or spec.clients < 1:
        raise ValueError(f"an ecosystem needs at least one client and {4 * N_HUBS} processors, not {spec}")
    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    summary = Summary(out_dir, spec, seed)
    n_proc = spec.processors
    n_tiered = n_proc - N_HUBS

    # Per processor: kind, tier (0 = hub), country, DPF listing. Hubs are v0..v11, then tiers 1-5 in blocks.
    tier_start = [N_HUBS]
    for share in TIER_SHARES[:-1]:
        tier_start.append(tier_start[-1] + round(n_tiered * share))
    tier_start.append(n_proc)
    tier_of = array("B", [0] * N_HUBS)
    for t in range(5):
        tier_of.extend([t + 1] * (tier_start[t + 1] - tier_start[t]))
    kind_of = array("B", (_KIND_INDEX[h[1]] for h in HUBS))
    kind_weights = [22, 4, 5, 9, 10, 9, 7, 5, 5, 4, 6, 6, 8]  # hosting-like and analytics vendors are common
    kind_cum = _cum(kind_weights)
    kind_of.extend(bisect.bisect(kind_cum, rng.random() * kind_cum[-1]) for _ in range(n_tiered))
    v_names, v_cum = _weighted(VENDOR_COUNTRIES)
    country_of: list[str] = ["US"] * N_HUBS + [_pick(rng, v_names, v_cum) for _ in range(n_tiered)]
    dpf_of = bytearray(n_proc)
    certs = _certifications()

    with (out_dir / ORGANIZATIONS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ORG_COLUMNS)
        c_names, c_cum = _weighted(CLIENT_COUNTRIES)
        for i in range(spec.clients):
            w.writerow(_org_cells(f"c{i}", f"Client {i}", _pick(rng, c_names, c_cum), False, "", EMPTY_JSON))
        for v in range(n_proc):
            country = country_of[v]
            cert = "none"
            if country == "US" and (v < N_HUBS or rng.random() < 0.55):
                dpf_of[v] = 1
                cert = "dpf_ps" if rng.random() < 0.15 else "dpf"
            kind = KINDS[kind_of[v]]
            if v < N_HUBS:
                w.writerow(_org_cells(f"v{v}", HUBS[v][0], country, False, "", certs[cert]))
            elif tier_of[v] >= 4 and rng.random() < 0.03:  # an unnamed entry of a sub-processor list
                w.writerow(_org_cells(f"v{v}", f"Unnamed {kind.recipient_class}", country, True, kind.recipient_class, certs[cert]))
            else:
                w.writerow(_org_cells(f"v{v}", f"{kind.label} vendor {v}", country, False, "", certs[cert]))
        summary.organizations = spec.clients + n_proc

    hub_cum = _cum(h[2] for h in HUBS)
    tier_cum = [_zipf_cum(tier_start[t + 1] - tier_start[t]) for t in range(5)]

    def hub() -> int:
        return bisect.bisect(hub_cum, rng.random() * hub_cum[-1])

    def in_tier(t: int) -> int:  # t in 1..5
        cum = tier_cum[t - 1]
        return tier_start[t - 1] + bisect.bisect(cum, rng.random() * cum[-1])

    def client_target() -> int:
        r = rng.random()
        return hub() if r < 0.2 else in_tier(1) if r < 0.9 else in_tier(2)

    def processor_target(tier: int) -> int:
        r = rng.random()
        if tier == 0:  # a hub uses other hubs and a few deep-tier specialists
            return hub() if r < 0.6 else in_tier(4 + int(rng.random() * 2))
        if r < 0.22:
            return hub()
        if r < 0.82:
            return in_tier(min(tier + 1, 5))
        if r < 0.94:
            return in_tier(min(tier + 2, 5))
        return in_tier(1 + int(rng.random() * tier))  # same tier or shallower: cycles

    client_budget = round(spec.engagements * CLIENT_SHARE)
    degrees_c = _degrees(rng, [1.0] * spec.clients, client_budget, [n_proc] * spec.clients, 0.9)
    means = [HUB_DEGREE if t == 0 else TIER_DEGREE[t - 1] for t in tier_of]
    degrees_p = _degrees(rng, means, spec.engagements - sum(degrees_c), [n_proc - 1] * n_proc, 0.7)

    with (out_dir / ENGAGEMENTS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ENGAGEMENT_COLUMNS)
        gen = _Writer(spec, seed, w, progress)
        gen.rng = rng

        def countries_of(v: int) -> str:
            if v < N_HUBS:
                regions = HUBS[v][3]
                return regions[int(rng.random() * len(regions))]
            home = country_of[v]
            if home == "US" and rng.random() < 0.15:
                return "|US|" + ("IE", "DE", "IN", "GB")[int(rng.random() * 4)] + "|"
            return f"|{home}|"

        for i in range(spec.clients):
            exporter = f"c{i}"
            for v in _distinct(rng, degrees_c[i], client_target, n_proc, exclude=-1):
                role = "C2C" if rng.random() < 0.04 else "C2P"
                gen.row(exporter, f"v{v}", role, kind_of[v], gen.categories(kind_of[v], None), countries_of(v), bool(dpf_of[v]))
        for p in range(n_proc):
            exporter = f"v{p}"
            tier = tier_of[p]
            own = kind_of[p]
            for v in _distinct(rng, degrees_p[p], lambda: processor_target(tier), n_proc, exclude=p):
                r = rng.random()
                if r < 0.015:  # the processor's own data (its CRM, its hosting): C2P, not part of any client's chain
                    gen.row(exporter, f"v{v}", "C2P", kind_of[v], gen.categories(kind_of[v], None), countries_of(v), bool(dpf_of[v]))
                elif r < 0.02 and spec.clients:  # data handed back to a controller
                    c = int(rng.random() * spec.clients)
                    gen.row(exporter, f"c{c}", "P2C", own, gen.categories(own, None), "|" + "DE" + "|", False)
                else:
                    gen.row(exporter, f"v{v}", "P2P", kind_of[v], gen.categories(kind_of[v], own), countries_of(v), bool(dpf_of[v]))
    summary.engagements = gen.written
    summary.roles = dict(sorted(gen.roles.items()))
    summary.seconds = time.perf_counter() - started
    if progress is not None:
        progress(gen.written, gen.written)
    return summary


def _distinct(rng: random.Random, k: int, draw: Callable[[], int], n: int, exclude: int) -> list[int]:
    """``k`` distinct targets from ``draw`` (popular ones collide, so fall back to uniform after many tries)."""
    chosen: dict[int, None] = {}
    tries = 0
    while len(chosen) < k and tries < 4 * k + 20:
        v = draw()
        if v != exclude:
            chosen[v] = None
        tries += 1
    while len(chosen) < k and len(chosen) < n - 1:
        v = int(rng.random() * n)
        if v != exclude:
            chosen[v] = None
    return list(chosen)


def _org_cells(oid: str, name: str, country: str, unnamed: bool, recipient_class: str, certifications: str) -> tuple[str, ...]:
    # id name legal_name aliases country address website unnamed recipient_class description fictional
    # registrations certifications retention collects transfer_statements evidence
    return (
        oid,
        name,
        "",
        "[]",
        country,
        "",
        "",
        "true" if unnamed else "false",
        recipient_class,
        "",
        "true",
        EMPTY_JSON,
        certifications,
        EMPTY_JSON,
        EMPTY_JSON,
        EMPTY_JSON,
        EVIDENCE_JSON,
    )


# --- reading a bulk directory back ---------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """One row value as a CSV cell: how the bulk files spell None, booleans and the aliases list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def _typed(cells: dict[str, str], props: Iterable[tuple[str, str]]) -> Row:
    """CSV cells back to the Python values the row converters take, by the schema's column types."""
    row: Row = {}
    for name, ty in props:
        value = cells[name]
        if ty == "BOOLEAN":
            if value not in ("true", "false"):
                raise ValueError(f"{name}: {value!r} is not true/false")
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
    row = _typed(cells, ENGAGES.props)
    return {"src": cells["from"], "dst": cells["to"], "exporter": cells["from"], "importer": cells["to"], **row}


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def read_bulk(directory: Path | str) -> FlowMap:
    """A bulk directory as an in-memory FlowMap, through the store's row converters (validates every row)."""
    d = Path(directory)
    orgs = [organization_from_row(organization_cells_to_row(c)) for c in read_csv(d / ORGANIZATIONS_CSV)]
    engagements = [engagement_from_row(engagement_cells_to_row(c)) for c in read_csv(d / ENGAGEMENTS_CSV)]
    return FlowMap(organizations=orgs, engagements=engagements, documents=[DOCUMENT])


def load_flowmap(source: Path | str | Size, seed: int = 7) -> FlowMap:
    """A bulk directory, or a generated S or M ecosystem (L is too big for models), as a FlowMap."""
    if isinstance(source, Path):
        return read_bulk(source)
    spec = SIZES.get(source) if isinstance(source, str) else source
    if spec is None:
        raise ValueError(f"unknown size {source!r}; give S, M, a Size or a bulk directory (a Path)")
    if spec.engagements > SIZES["M"].engagements:
        raise ValueError(f"{spec.engagements} engagements are too many to hold as models; stream the bulk files")
    with tempfile.TemporaryDirectory(prefix="flowmap-eco-") as tmp:
        write_bulk(tmp, spec, seed)
        return read_bulk(tmp)


def write_flowmap_bulk(flowmap: FlowMap, directory: Path | str) -> Path:
    """A FlowMap's organisations and engagements as a bulk directory (hand-made maps for the baselines' tests).

    Aliases are written as ``[a,b]``; an alias with a comma would not read back.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    with (d / ORGANIZATIONS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ORG_COLUMNS)
        for org in flowmap.organizations:
            row = organization_row(org)
            w.writerow([_cell(row[c]) for c in ORG_COLUMNS])
    with (d / ENGAGEMENTS_CSV).open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ENGAGEMENT_COLUMNS)
        for eng in flowmap.engagements:
            row = engagement_row(eng)
            w.writerow([_cell(row["src"]), _cell(row["dst"]), *(_cell(row[c]) for c in ENGAGES.prop_names)])
    return d


# --- command line --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ecosystem", description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="S", choices=sorted(SIZES), help="S, M or L (default S)")
    parser.add_argument("--out", required=True, type=Path, help="the bulk directory to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, help="custom count (overrides the size's)")
    parser.add_argument("--processors", type=int, help="custom count, hubs included")
    parser.add_argument("--engagements", type=int, help="custom count")
    args = parser.parse_args(argv)
    base = SIZES[args.size]
    spec = Size(
        args.clients or base.clients, args.processors or base.processors, args.engagements or base.engagements
    )
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"\rengagements {done:>9,} / {total:,} ({100 * done // max(total, 1)}%) {elapsed:6.1f} s", end="",
              file=sys.stderr, flush=True)  # fmt: skip

    summary = write_bulk(args.out, spec, args.seed, progress)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(file=sys.stderr)
    size_mb = sum(p.stat().st_size for p in args.out.iterdir() if p.suffix == ".csv") / 1e6
    print(
        f"{summary.directory}: {summary.organizations:,} organisations, {summary.engagements:,} engagements "
        f"{summary.roles}, {size_mb:,.0f} MB, {summary.seconds:.1f} s, peak RSS {rss_mb:,.0f} MB"
    )


if __name__ == "__main__":
    main()
