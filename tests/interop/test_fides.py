"""fideslang manifests: built with fideslang's own models, imported, exported, and validated by fideslang again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fideslang.models import DataFlow, Organization, PrivacyDeclaration, System, Taxonomy
from typer.testing import CliRunner

from flowmap.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).parent / "fixtures" / "acme-fides.yml"


def _manifest() -> Taxonomy:
    crm = System(
        fides_key="acme_crm",
        organization_fides_key="acme_corp",
        name="Acme CRM (SaaS)",
        description="Customer records, hosted by a vendor.",
        system_type="Third Party",
        responsibility=["Processor"],
        legal_name="CRM Vendor Inc.",
        legal_address="1 Market St, San Francisco",
        does_international_transfers=True,
        legal_basis_for_transfers=["SCCs", "Supplementary Measures"],
        egress=[DataFlow(fides_key="mail_relay", type="system", data_categories=["user.contact.email"])],
        privacy_declarations=[
            PrivacyDeclaration(
                name="Customer support",
                data_use="essential.service.operations.support",
                data_categories=["user.contact.email", "user.name"],
                data_subjects=["customer"],
                egress=["mail_relay"],
            ),
            PrivacyDeclaration(
                name="Newsletter",
                data_use="marketing.communications.email",
                data_categories=["user.contact.email"],
                data_subjects=["customer", "prospect"],
                retention_period="2 years",
                flexible_legal_basis_for_processing=False,
            ),
        ],
    )
    relay = System(
        fides_key="mail_relay",
        organization_fides_key="acme_corp",
        name="Mail relay",
        system_type="Service",
        responsibility=["Sub-Processor"],
        ingress=[DataFlow(fides_key="acme_crm", type="system")],
        privacy_declarations=[
            PrivacyDeclaration(
                name="Sending mail", data_use="essential.service.notifications.email",
                data_categories=["user.contact.email"], data_subjects=["customer"],
            )
        ],
        uses_cookies=True,
    )  # fmt: skip
    org = Organization(fides_key="acme_corp", name="Acme Corp", description="The controller.")
    return Taxonomy(organization=[org], system=[crm, relay])


def _write(taxonomy: Taxonomy, path: Path | None) -> Any:
    """As fides writes manifests: a list per resource type (the text itself without a path)."""
    body = {
        "organization": [o.model_dump(mode="json") for o in taxonomy.organization],
        "system": [s.model_dump(mode="json") for s in taxonomy.system],
    }
    text = yaml.safe_dump(body, sort_keys=False)
    if path is None:
        return text
    path.write_text(text, encoding="utf-8")
    return path


SYSTEM_FIELDS = ("name", "description", "organization_fides_key", "system_type", "responsibility", "legal_name",
                 "legal_address", "does_international_transfers", "legal_basis_for_transfers", "egress", "ingress")  # fmt: skip
DECLARATION_FIELDS = ("name", "data_use", "data_categories", "data_subjects", "egress", "ingress")


def _dumped(model: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: json.loads(json.dumps(model.model_dump(mode="json")[f])) for f in fields}


def test_a_fideslang_manifest_round_trips_field_by_field(seeded: Path, tmp_path: Path) -> None:
    original = _manifest()
    imported = runner.invoke(app, ["import", str(_write(original, tmp_path / "fides.yml"))])
    assert imported.exit_code == 0, imported.output
    assert "lossy: system[0].privacy_declarations[1].retention_period" in imported.stderr
    assert "lossy: system[1].uses_cookies" in imported.stderr
    assert "lossy: system[0].privacy_declarations[1].flexible_legal_basis_for_processing" in imported.stderr
    out = tmp_path / "export.yml"
    exported = runner.invoke(app, ["export", "--format", "fides", "--output", str(out)])
    assert exported.exit_code == 0, exported.output
    assert "lossy: engagement.countries" in exported.stderr  # the seed map's countries cannot go to fides
    again = Taxonomy.model_validate(yaml.safe_load(out.read_text()))  # fideslang validates the re-export
    systems = {s.fides_key: s for s in again.system}
    for system in original.system:
        back = systems[system.fides_key]
        assert _dumped(back, SYSTEM_FIELDS) == _dumped(system, SYSTEM_FIELDS), system.fides_key
        key = lambda d: (d.data_use, d.name or "")  # noqa: E731
        assert [_dumped(d, DECLARATION_FIELDS) for d in sorted(back.privacy_declarations, key=key)] == [
            _dumped(d, DECLARATION_FIELDS) for d in sorted(system.privacy_declarations, key=key)
        ]
    orgs = {o.fides_key: o for o in again.organization}
    assert _dumped(orgs["acme_corp"], ("name", "description")) == {
        "name": "Acme Corp",
        "description": "The controller.",
    }
    # the seed map went out too, as systems fideslang accepts
    assert len(again.system) > len(original.system)


def test_the_checked_in_example_is_what_fideslang_writes() -> None:
    """README's example manifest: fideslang's models, dumped as fides writes manifests (regenerate: run this file)."""
    assert EXAMPLE.read_text(encoding="utf-8") == _write(_manifest(), None)


def test_the_import_is_one_audited_change_that_adds_to_the_map(seeded: Path, tmp_path: Path) -> None:
    manifest = EXAMPLE
    assert runner.invoke(app, ["import", str(manifest)]).exit_code == 0
    again = runner.invoke(app, ["import", str(manifest)])  # the same manifest again changes nothing but the log
    assert again.exit_code == 0 and "5 engagements" in again.stderr
    lines = runner.invoke(app, ["export"]).stdout.splitlines()
    dump = [json.loads(line.rstrip(",")) for line in lines if line.startswith("{") and line.rstrip(",").endswith("}")]
    audit = [r for r in dump if r.get("operation") == "importFides"]
    assert len(audit) == 2 and audit[0]["after"]["engagements"] == 5  # 3 declarations, the egress and the ingress
    engagements = {r["id"]: r for r in dump if "from" in r and "role" in r}
    relay = engagements["acme-crm>mail-relay:fides-egress"]
    assert (relay["role"], relay["categories"]) == ("P2P", ["user.contact.email"])  # the chain reaches the relay
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["nodes"]["Organization"] == 29 + 3  # the seed map stays; the manifest adds to it
    assert stats["relationships"]["ENGAGES"] == 29 + 5  # importing it twice added them once
    assert stats["nodes"]["Document"] == 6 + 1  # the manifest itself, as the evidence's document


def test_a_manifest_with_an_unknown_category_writes_nothing(seeded: Path, tmp_path: Path) -> None:
    bad = _manifest()
    bad.system[1].privacy_declarations[0].data_categories = ["user.not_a_category"]
    before = runner.invoke(app, ["stats", "--json"]).stdout
    result = runner.invoke(app, ["import", str(_write(bad, tmp_path / "bad.yml"))])
    assert result.exit_code == 2 and "user.not_a_category" in result.stderr
    assert "system[1].privacy_declarations[0]" in result.stderr
    assert runner.invoke(app, ["stats", "--json"]).stdout == before


def test_a_name_the_map_refuses_is_named_not_a_crash(seeded: Path, tmp_path: Path) -> None:
    body = {"system": [s.model_dump(mode="json") for s in _manifest().system]}
    body["system"][1]["name"] = "Mail\x00relay"
    path = tmp_path / "nul.yml"
    path.write_text(yaml.safe_dump(body))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2 and "system[1]" in result.stderr and "U+0000" in result.stderr, result.output


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b["system"][0].update(privacy_declarations="nope"), "privacy_declarations"),
        (lambda b: b["system"][0].update(fides_key="bad key!"), "FidesKeys must only contain"),
    ],
)
def test_fideslang_itself_refuses_a_bad_manifest(seeded: Path, tmp_path: Path, mutate: Any, message: str) -> None:
    body = {"system": [s.model_dump(mode="json") for s in _manifest().system]}
    mutate(body)
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(body))
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2 and message in result.stderr, result.output


if __name__ == "__main__":
    EXAMPLE.write_text(_write(_manifest(), None), encoding="utf-8")
