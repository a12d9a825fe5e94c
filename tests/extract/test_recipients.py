"""RECIPIENT: named vendors (lexicon and phrasing), unnamed classes, and the contexts that are not recipients."""

from __future__ import annotations

import pytest

from flowmap.extract import FactKind
from flowmap.extract.vendors import NOT_RECIPIENTS, VENDORS
from tests.extract.helpers import classes, facts, named


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Our platform is hosted on Amazon Web Services.", "en", {"Amazon Web Services"}),
        ("We use Zendesk to answer tickets and AWS for hosting.", "en", {"Zendesk", "Amazon Web Services"}),
        ("Payments are processed by Stripe or PayPal.", "en", {"Stripe", "PayPal"}),
        ("Betalingen verlopen via Mollie; de nieuwsbrief versturen wij met Mailchimp.", "nl", {"Mollie", "Mailchimp"}),
        ("Wir nutzen Google Analytics und HubSpot für Auswertungen.", "de", {"Google Analytics", "HubSpot"}),
        ("Nous utilisons Brevo pour notre lettre d'information.", "fr", {"Brevo"}),
        # names outside the lexicon, from phrasing alone
        ("Om het gebruik te meten, gebruiken wij de dienst Leadinfo uit Rotterdam.", "nl", {"Leadinfo"}),
        ("Nixxis, our contact centre solution provider.\nVoxbone, our telecom provider.", "en", {"Nixxis", "Voxbone"}),
        ("We also rely on Segmentor, a small start-up, for dashboards.", "en", {"Segmentor"}),
        ("Les cotisations sont payées via HelloAsso.", "fr", {"HelloAsso"}),
        ("Nos conseillers travaillent chez notre prestataire Webhelp au Maroc.", "fr", {"Webhelp"}),
        # a legal form marks a company in any language, once the sentence says data goes there
        (
            'Acme B.V. ("we") runs this shop.\nBackups are stored with Kestrel Storage Ltd in Ireland.',
            "en",
            {"Kestrel Storage"},
        ),
        ("Die Abrechnung übernimmt die Verrechnungsstelle PVS Nord.", "de", {"PVS Nord"}),
        ("Vos dossiers sont gérés par la société Gestalys, située à Lyon.", "fr", {"Gestalys"}),
        (
            "La Maison Bleue SAS (\"nous\") vend des meubles.\nL'impression est confiée à L'Atelier Graphique SARL.",
            "fr",
            {"Atelier Graphique"},
        ),
        # product names from the lexicon need no cue word; list rows with dashes, en dashes or a brand and a colon
        ("Les candidatures sont gérées dans Recruitee (Pays-Bas).", "fr", {"Recruitee"}),
        (
            "Sous-traitants ultérieurs :\n- Pennylane – facturation, France ;\n- Qonto – paiements, France.",
            "fr",
            {"Pennylane", "Qonto"},
        ),
        (
            "Subverwerkers:\n- Twilio Inc.: sms-notificaties, Verenigde Staten;\n- Hosting: in Duitsland.",
            "nl",
            {"Twilio"},
        ),
        # a maker in brackets or after "service de" is the product's provider, not a second recipient
        (
            "| Name | Location |\n|---|---|\n| Postmark (ActiveCampaign, LLC) | USA |\n| Auth0 (by Okta) | Germany |",
            "en",
            {"Postmark", "Auth0"},
        ),
        (
            "Mit Ihrer Einwilligung nutzen wir Matomo Cloud, einen Dienst der InnoCraft Ltd. aus Neuseeland.",
            "de",
            {"Matomo"},
        ),
    ],
)
def test_named_recipients(text: str, language: str, expected: set[str]) -> None:
    assert set(named(text, language)) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Our website contains links to Facebook, LinkedIn and YouTube.", "en"),
        ("Use any browser, such as Google Chrome, Mozilla Firefox or Safari.", "en"),
        ("We do not use Google Analytics or Facebook pixels.", "en"),
        ("Wij gebruiken geen Google Analytics.", "nl"),
        ("Nous n'utilisons pas Google Analytics.", "fr"),
        ("Die Google Fonts sind lokal auf unserem Server eingebunden.", "de"),
        ("Eine Verbindung zu Servern von Google findet dabei nicht statt.", "de"),
        ("We share aggregated, anonymised statistics with Salesforce partners.", "en"),
        ("Analysegegevens verzamelen wij met Matomo op onze eigen server.", "nl"),
        ("We rely on the International Data Transfer Agreement.", "en"),
        ("Your data is obtained from the following third parties:\n\nSalesforce;\nOur clients.", "en"),
    ],
)
def test_not_recipients(text: str, language: str) -> None:
    assert named(text, language) == {}


def test_the_provider_of_a_product_is_folded_and_gives_the_country() -> None:
    text = (
        "In particular, we use cookies from Google Analytics, a web analytics service provided by Google Inc. "
        "The information collected by Google will be stored by Google on servers in the United States."
    )
    got = named(text, "en")
    assert set(got) == {"Google Analytics"}
    assert got["Google Analytics"].detail["provider"] == "Google"
    assert got["Google Analytics"].detail["country"] == "US"
    start, end = map(int, got["Google Analytics"].detail["country_span"].split(":"))
    assert text[start:end] == "United States"


def test_a_later_name_is_not_folded_into_an_earlier_one() -> None:
    text = "Messages are delivered by SendGrid, and chat support is provided by Crisp."
    assert set(named(text, "en")) == {"SendGrid", "Crisp"}


def test_table_rows_give_role_purpose_and_country() -> None:
    text = (
        "Sub-processors\n\n"
        "Hetzner Online GmbH – hosting of the application – Germany\n"
        "Tallyframe Ltd – invoicing and payments – United Kingdom\n"
    )
    got = named(text, "en")
    assert set(got) == {"Hetzner", "Tallyframe"}
    assert got["Hetzner"].detail["role"] == "processor" and got["Hetzner"].detail["country"] == "DE"
    assert got["Tallyframe"].detail["purpose"] == "payments" and got["Tallyframe"].detail["country"] == "GB"


def test_markdown_table_rows() -> None:
    text = "| Sub-processor | Purpose | Location |\n| Okta, Inc. | Single sign-on | United States |\n"
    got = named(text, "en")
    assert set(got) == {"Okta"} and got["Okta"].detail["country"] == "US"


def test_role_from_the_sentence() -> None:
    text = "We use Stripe, which acts as an independent controller for payments."
    assert named(text, "en")["Stripe"].detail["role"] == "controller"
    assert named("Zendesk processes tickets on our behalf.", "en")["Zendesk"].detail["role"] == "processor"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Data is shared with hosting and cloud computing service providers.",
            "en",
            {"hosting provider", "cloud provider"},
        ),
        (
            "We work with IT service providers and payment processors.",
            "en",
            {"IT service provider", "payment provider"},
        ),
        ("third-party service providers may access the data", "en", {"service provider"}),
        ("Ons dossier staat bij een hostingpartij.", "nl", {"hosting provider"}),
        ("Uw gegevens worden doorgegeven aan externe dienstverleners.", "nl", {"service provider"}),
        (
            "Die Website wird bei einem Hosting-Dienstleister betrieben; unser Steuerberater erhält Daten.",
            "de",
            {"hosting provider", "professional adviser"},
        ),
        (
            "Nos hébergeurs sont situés en France ; nous faisons appel à des cabinets de recrutement.",
            "fr",
            {"hosting provider", "recruitment provider"},
        ),
        ("Les données peuvent être partagées avec les sociétés du groupe.", "fr", {"affiliate"}),
    ],
)
def test_unnamed_classes(text: str, language: str, expected: set[str]) -> None:
    assert classes(text, language) == expected


def test_unnamed_classes_are_marked_and_placed() -> None:
    (fact,) = facts("Nos hébergeurs sont situés en France.", FactKind.RECIPIENT, "fr")
    assert fact.detail["unnamed"] == "true" and fact.detail["country"] == "FR" and fact.span.quote == "hébergeurs"


@pytest.mark.parametrize(
    "text",
    [
        "It will share it with service providers.",  # "it service providers" is not IT
        "We are a DPO service provider.",  # the organisation's own trade, not a recipient
        "Our website may link to sites of our partners and affiliates.",
        "Eine Weitergabe an Werbepartner erfolgt nicht.",
        "Les données sont hébergées par OVHcloud, hébergeur certifié HDS.",
    ],
)
def test_not_unnamed_classes(text: str) -> None:
    assert not classes(text)


def test_lexicon_is_consistent() -> None:
    names = {v.name for v in VENDORS}
    assert len(names) == len(VENDORS), "one entry per canonical name"
    aliases = [a for v in VENDORS for a in v.aliases]
    assert len(aliases) == len(set(aliases)), "an alias belongs to one vendor"
    assert not set(aliases) & set(NOT_RECIPIENTS)
    for v in VENDORS:
        assert v.provider is None or v.provider in names or v.provider == "La Poste" or v.provider in {"Genesys"}, v


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Anbieter der Plattform ist die Lernwerk Bildung GmbH. Wir speichern Daten in Leipzig.", "de"),
        ("Kestrel Storage Ltd processes your data to run the service.", "en"),
        ("Kestrel Storage Ltd was founded in 2009 in a garage.", "en"),  # no cue: nothing says data goes there
    ],
)
def test_a_company_with_a_legal_form_is_not_always_a_recipient(text: str, language: str) -> None:
    assert not named(text, language)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Mailgun was removed as a sub-processor; email moved to Postmark.", "en", {"Postmark"}),
        ("We evaluated Zendesk for support but decided not to use it.", "en", set()),
        ("Einen Einsatz von Microsoft Azure hat der Auftragnehmer ausgeschlossen.", "de", set()),
        ("Statistieken meten we met Matomo, dat op onze eigen server draait. Matomo plaatst één cookie.", "nl", set()),
        ("Sous-traitants :\nArticle 4 – Cadre légal, droit belge ;\nArticle 5 – Données, catégories.", "fr", set()),
    ],
)
def test_vendors_not_used_are_not_recipients(text: str, language: str, expected: set[str]) -> None:
    assert set(named(text, language)) == expected
