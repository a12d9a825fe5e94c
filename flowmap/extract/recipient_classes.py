"""Unnamed classes of recipient ("hosting providers", "hostingpartijen", "Hosting-Dienstleister", "hébergeurs").

Each pattern gives one or more English class labels (a coordinated "hosting and cloud computing service
providers" names two classes). The labels are the vocabulary of the evaluation set. "Service providers"
on their own are too vague to count: the generic class needs "external", "third-party" or "on our behalf".
"""

from __future__ import annotations

import re

CLASS_PURPOSES = {
    "hosting provider": "hosting",
    "cloud provider": "cloud services",
    "IT service provider": "IT services",
    "software provider": "software",
    "payment provider": "payments",
    "analytics provider": "analytics",
    "email service provider": "email",
    "marketing provider": "marketing",
    "advertising partner": "advertising",
    "CRM provider": "CRM",
    "customer support provider": "customer support",
    "telecom provider": "telecommunications",
    "recruitment provider": "recruitment",
    "background check provider": "background checks",
    "payroll provider": "payroll",
    "professional adviser": "professional advice",
    "delivery provider": "delivery",
    "affiliate": "group companies",
    "business partner": "business partnership",
    "service provider": "services",
}

_P = r"(?:service )?(?:providers?|companies|company|vendors?|suppliers?|partners?|platforms?|operators?)"
_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # English
    (rf"(?:web(?:site)? )?hosting and cloud(?: computing)? {_P}", ("hosting provider", "cloud provider")),
    (rf"(?:web(?:site)? )?hosting {_P}|data cent(?:er|re) (?:operators|providers)", ("hosting provider",)),
    (rf"cloud(?: computing)?(?: service)? {_P}|cloud computing services providers", ("cloud provider",)),
    (rf"IT(?: service| support)? {_P}", ("IT service provider",)),
    (r"information technology (?:service|support) providers", ("IT service provider",)),
    (rf"(?:software|SaaS)(?: solutions?)? {_P}", ("software provider",)),
    (r"payment (?:service )?(?:processors?|providers?)|payment service providers|\bPSPs\b", ("payment provider",)),
    (rf"(?:web(?:site)? )?analytics {_P}|analytics service providers", ("analytics provider",)),
    (r"e-?mail(?: marketing)? (?:service )?(?:providers?|platforms?)|(?:e-?)?mailing (?:service )?providers?",
     ("email service provider",)),
    (rf"marketing(?: and sales)?(?: software)?(?: solutions?)? {_P}|marketing agencies", ("marketing provider",)),
    (r"advertising (?:partners|networks|providers)|ad networks", ("advertising partner",)),
    (rf"providers? of CRM|CRM (?:software )?{_P}|customer relationship management (?:software )?{_P}",
     ("CRM provider",)),
    (r"customer (?:support|service) (?:providers|platforms)|call[- ]cent(?:er|re) (?:providers?|partners?|"
     r"operators?|compan(?:y|ies))", ("customer support provider",)),
    (r"telecom(?:munications?)?(?: service)? (?:providers?|operators?|carriers?)|(?:inbound|"
     r"outbound) telecom providers", ("telecom provider",)),
    (r"recruit(?:ment|ing)(?: services?)? (?:providers?|agencies|firms)|providers? of recruit(?:ment|ing) services|"
     r"(?:talent management and )?recruitment services", ("recruitment provider",)),
    (r"providers? of background[- ]check services|background[- ]check (?:service )?providers?",
     ("background check provider",)),
    (r"payroll (?:service )?providers?", ("payroll provider",)),
    (r"professional advis[eo]rs|(?:our )?(?:lawyers|accountants|auditors|tax advis[eo]rs)", ("professional adviser",)),
    (r"delivery (?:companies|services|partners|providers)|couriers|shipping (?:companies|providers|carriers)",
     ("delivery provider",)),
    (r"affiliates and (?:business )?partners", ("affiliate", "business partner")),
    (r"(?:our |its )?affiliates|group companies|(?:our |its )?subsidiaries|members of (?:our|"
     r"the [\w']+) (?:corporate )?group|"
     r"companies (?:in|within|of) (?:our|the) group", ("affiliate",)),
    (r"business partners", ("business partner",)),
    (r"(?:third[- ]party|external|outside) service providers?|service providers acting on our behalf",
     ("service provider",)),
    # Dutch
    (r"hostingpartij(?:en)?|hostingpartners?|hostingproviders?|hostingbedrij(?:f|ven)|webhosters?",
     ("hosting provider",)),
    (r"cloudproviders?|cloudleveranciers?|clouddienstverleners?", ("cloud provider",)),
    (r"IT-?(?:dienstverleners?|leveranciers?|bedrijven)", ("IT service provider",)),
    (r"softwareleveranciers?", ("software provider",)),
    (r"betaal(?:dienst)?(?:providers?|dienstverleners?)|betalingsdienstaanbieders?", ("payment provider",)),
    (r"e-?maildienstverleners?|nieuwsbriefdienst(?:en)?", ("email service provider",)),
    (r"marketingbureaus?|marketingpartners?", ("marketing provider",)),
    (r"advertentiepartners?|advertentienetwerken", ("advertising partner",)),
    (r"CRM-?(?:leveranciers?|systemen)", ("CRM provider",)),
    (r"telecom(?:municatie)?(?:providers?|operatoren|aanbieders?)", ("telecom provider",)),
    (r"wervings-? en selectiebureaus?|recruitmentbureaus?|uitzendbureaus?", ("recruitment provider",)),
    (r"screeningsbureaus?", ("background check provider",)),
    (r"salarisadministratie\w*|sociaal secretariaat|sociale secretariaten", ("payroll provider",)),
    (r"boekhoudkantor?en|boekhoudkantoor|accountants(?:kantoren)?|advocaten(?:kantoren)?|belastingadviseurs?",
     ("professional adviser",)),
    (r"koeriers(?:diensten)?|pakketdiensten|bezorgdiensten|vervoerders", ("delivery provider",)),
    (r"gelieerde ondernemingen|groepsmaatschappijen|dochterondernemingen|zusterondernemingen", ("affiliate",)),
    (r"zakenpartners|zakelijke partners", ("business partner",)),
    (r"externe dienstverleners?|externe leveranciers?", ("service provider",)),
    # German
    (r"Hosting-?(?:Dienstleister|Anbieter|Provider)\w*|Webhoster\w*|Rechenzentrumsbetreiber\w*", ("hosting provider",)),
    (r"Cloud-?(?:Anbieter|Dienstleister|Provider)\w*", ("cloud provider",)),
    (r"IT-?(?:Dienstleister|Dienstleistern|Anbieter|Unternehmen)\w*", ("IT service provider",)),
    (r"Software-?(?:anbieter|Anbieter|hersteller)\w*", ("software provider",)),
    (r"Zahlungs(?:dienstleister|anbieter)\w*|Zahlungsdienste-?Anbieter\w*", ("payment provider",)),
    (r"(?:Web)?[Aa]nalyse-?(?:Dienste|Anbieter|Dienstleister)\w*", ("analytics provider",)),
    (r"(?:E-Mail|Newsletter)-?(?:Dienstleister|Anbieter|Versanddienstleister)\w*", ("email service provider",)),
    (r"Marketing-?(?:Dienstleister|Agenturen|Partner)\w*", ("marketing provider",)),
    (r"Werbepartner\w*|Werbenetzwerke\w*", ("advertising partner",)),
    (r"CRM-?Anbieter\w*", ("CRM provider",)),
    (r"Telekommunikations(?:anbieter|dienstleister|unternehmen)\w*", ("telecom provider",)),
    (r"Personal(?:dienstleister|vermittler|berater)\w*|Recruiting-?Dienstleister\w*", ("recruitment provider",)),
    (r"Lohnabrechnungs(?:dienstleister|anbieter)\w*|Lohnbuchhaltung", ("payroll provider",)),
    (r"Steuerberater\w*|Rechtsanw[äa]lt\w*|Wirtschaftspr[üu]fer\w*", ("professional adviser",)),
    (r"Versanddienstleister\w*|Paketdienst\w*|Logistikdienstleister\w*|Transportunternehmen", ("delivery provider",)),
    (r"verbundene[n]? Unternehmen|Konzerngesellschaften|Konzernunternehmen|Tochtergesellschaften", ("affiliate",)),
    (r"Gesch[äa]ftspartner\w*|Kooperationspartner\w*", ("business partner",)),
    (r"externe[n]? Dienstleister\w*|externe[n]? Anbieter\w*", ("service provider",)),
    # French
    (r"h[ée]bergeurs?|prestataires? d'h[ée]bergement|fournisseurs? d'h[ée]bergement", ("hosting provider",)),
    (r"fournisseurs? (?:de services )?(?:cloud|d'informatique en nuage)|prestataires? cloud", ("cloud provider",)),
    (r"prestataires? (?:de services )?informatiques?", ("IT service provider",)),
    (r"[ée]diteurs? de logiciels?", ("software provider",)),
    (r"prestataires? (?:de services )?de paiement|PSP", ("payment provider",)),
    (r"(?:fournisseurs?|prestataires?|outils?) d'(?:analyse|audience|mesure d'audience)", ("analytics provider",)),
    (r"prestataires? d'e-?mailing|routeurs? d'e-?mails?", ("email service provider",)),
    (r"prestataires? (?:de )?marketing|agences? (?:de )?marketing", ("marketing provider",)),
    (r"partenaires? publicitaires|r[ée]gies? publicitaires", ("advertising partner",)),
    (r"op[ée]rateurs? (?:de )?t[ée]l[ée]com(?:munications?)?|fournisseurs? de t[ée]l[ée]communications?",
     ("telecom provider",)),
    (r"cabinets? de recrutement|agences? de recrutement", ("recruitment provider",)),
    (r"prestataires? de paie|secr[ée]tariats? sociaux|secr[ée]tariat social", ("payroll provider",)),
    (r"experts?-comptables|commissaires? aux comptes|avocats|conseils juridiques", ("professional adviser",)),
    (r"transporteurs|prestataires? de livraison|soci[ée]t[ée]s? de livraison", ("delivery provider",)),
    (r"soci[ée]t[ée]s? (?:du|de notre) groupe|soci[ée]t[ée]s? affili[ée]es|filiales?|entit[ée]s du groupe",
     ("affiliate",)),
    (r"partenaires commerciaux", ("business partner",)),
    (r"prestataires? (?:de services )?(?:externes|tiers)|sous-traitants? externes", ("service provider",)),
)  # fmt: skip

# One pass for all classes, on lower-cased text: group gN is the N-th pattern and, at one position, the first
# listed pattern wins. Patterns starting with "IT" need the capitals in the original ("it" is a pronoun).
CLASS_LABELS: tuple[tuple[str, ...], ...] = tuple(labels for _, labels in _CLASSES)
CLASS_UPPER_IT = frozenset(i for i, (p, _) in enumerate(_CLASSES) if p.startswith("IT"))


def _lowered(pattern: str) -> str:
    return re.sub(r"(\\.)|([^\\]+)", lambda m: m.group(1) or m.group(2).lower(), pattern)


CLASS_PATTERN = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<g{i}>{_lowered(p)})" for i, (p, _) in enumerate(_CLASSES)) + r")(?![\w])"
)
