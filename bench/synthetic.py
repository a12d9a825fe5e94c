"""A deterministic synthetic vendor ecosystem with the real shape: a few vendors used by most, chains of
sub-processors, destinations weighted like real sub-processor lists, and a mix of old and new mechanisms.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from flowmap.domain.models import Document, Engagement, FlowMap, Organization

EVIDENCE = [{"document": "doc.synthetic", "quote": "synthetic"}]
DOC = Document.model_validate(
    {"id": "doc.synthetic", "title": "Synthetic map (generated)", "kind": "other", "language": "en", "fictional": True}
)
CLIENT_COUNTRIES = ["DE", "FR", "NL", "BE", "IE", "IT", "ES", "SE", "PL", "AT", "DK", "FI", "GB", "CH"]
VENDOR_COUNTRIES = {
    "US": 40,
    "IE": 10,
    "DE": 10,
    "NL": 8,
    "GB": 6,
    "IN": 5,
    "FR": 5,
    "CH": 3,
    "CA": 3,
    "JP": 2,
    "CN": 2,
    "BR": 2,
    "SG": 2,
    "IL": 1,
    "AU": 1,
}
CATEGORIES = [
    "user.name",
    "user.contact.email",
    "user.contact.phone_number",
    "user.contact.address",
    "user.account.username",
    "user.authorization.password",
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
]
MECHANISMS: list[tuple[list[dict[str, Any]], int]] = [
    ([{"code": "DPF_EU_US"}, {"code": "SCC_2021", "module": 2, "signed_on": "2023-09-01"}], 20),
    ([{"code": "DPF_EU_US"}], 10),
    ([{"code": "SCC_2021", "module": 2, "signed_on": "2022-03-01"}], 35),
    ([{"code": "SCC_2010", "signed_on": "2018-06-01"}], 10),
    ([{"code": "PRIVACY_SHIELD_EU_US"}, {"code": "SCC_2010", "signed_on": "2019-01-01"}], 10),
    ([{"code": "UNSPECIFIED"}], 10),
    ([], 5),
]


def generate(engagements: int = 10_000, seed: int = 7) -> FlowMap:
    """About ``engagements`` engagements: a fifth client -> vendor, the rest vendor -> sub-processor."""
    rng = random.Random(seed)
    n_clients = max(5, engagements // 50)
    n_vendors = max(20, engagements // 10)
    countries = list(VENDOR_COUNTRIES)
    weights = list(VENDOR_COUNTRIES.values())
    orgs = [
        Organization.model_validate(
            {
                "id": f"c{i}",
                "name": f"Client {i}",
                "country": rng.choice(CLIENT_COUNTRIES),
                "fictional": True,
                "evidence": EVIDENCE,
            }
        )
        for i in range(n_clients)
    ]
    vendor_country = [rng.choices(countries, weights)[0] for _ in range(n_vendors)]
    for v, country in enumerate(vendor_country):
        certs = (
            [{"framework": "DPF_EU_US", "status": "active", "since": "2023-08-01", "evidence": EVIDENCE}]
            if country == "US" and rng.random() < 0.6
            else []
        )
        orgs.append(
            Organization.model_validate(
                {
                    "id": f"v{v}",
                    "name": f"Vendor {v}",
                    "country": country,
                    "certifications": certs,
                    "evidence": EVIDENCE,
                }
            )
        )
    popularity = [1 / (rank + 1) ** 1.1 for rank in range(n_vendors)]  # power law: a few clouds used by most
    out: list[Engagement] = []
    seen: set[tuple[str, str]] = set()

    def add(exporter: str, importer: str, role: str) -> None:
        if (exporter, importer) in seen or exporter == importer:
            return
        seen.add((exporter, importer))
        country = vendor_country[int(importer[1:])]
        mechanisms = rng.choices([m for m, _ in MECHANISMS], [w for _, w in MECHANISMS])[0]
        if role == "P2P":
            mechanisms = [{**m, "module": 3} if m["code"] == "SCC_2021" else m for m in mechanisms]
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3650))
        out.append(
            Engagement.model_validate(
                {
                    "id": f"{exporter}>{importer}",
                    "exporter": exporter,
                    "importer": importer,
                    "role": role,
                    "service": "service",
                    "purpose": "purpose",
                    "categories": rng.sample(CATEGORIES, rng.randint(2, 7)),
                    "countries": [country],
                    "mechanisms": mechanisms,
                    "valid_from": start,
                    "tia_ref": "TIA" if rng.random() < 0.5 else None,
                    "fictional": True,
                    "evidence": EVIDENCE,
                }
            )
        )

    while len(out) < engagements // 5:
        add(f"c{rng.randrange(n_clients)}", f"v{rng.choices(range(n_vendors), popularity)[0]}", "C2P")
    while len(out) < engagements:
        add(f"v{rng.randrange(n_vendors)}", f"v{rng.choices(range(n_vendors), popularity)[0]}", "P2P")
    return FlowMap(organizations=orgs, engagements=out, documents=[DOC])
