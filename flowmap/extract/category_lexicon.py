"""Words for kinds of personal data in en/nl/de/fr, mapped to fideslang data-category keys.

Order matters: within a language the first pattern that matches at a position wins, so specific terms
("e-mail address", "first name") come before the bare words they contain ("e-mail", "name"). Bare words
that also mean something else ("name", "adres", "Position", "nom") are *ambiguous*: they count only in a
list of data, after "your", or alone on a list line. Mappings follow the seed files' conventions
(seeds/README.md): call content is ``user.content.private``, call detail records are ``user.telemetry``,
billing data ``user.payment``. A recording of a call is content; only a voiceprint is biometric.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    language: str
    pattern: str  # a regular expression, matched without regard to case
    ambiguous: bool = False


def _terms(language: str, rows: list[tuple[str, str]], ambiguous: bool = False) -> list[Term]:
    return [Term(key, language, pattern, ambiguous) for key, pattern in rows]


_EN = [
    ("user.name.first", r"first names?|given names?|forenames?"),
    ("user.name.last", r"last names?|surnames?|family names?"),
    ("user.name", r"full names?|names? and surnames?"),
    ("user.contact.email", r"e-?mail address(?:es)?|electronic mail address(?:es)?"),
    (
        "user.contact.phone_number",
        r"(?:tele)?phone numbers?|mobile (?:phone )?numbers?|cell(?:phone)? numbers?|caller numbers?",
    ),
    ("user.contact.fax_number", r"fax numbers?"),
    ("user.device.ip_address", r"IP[- ]address(?:es)?|Internet Protocol\s*(?:\([^)]{0,8}\)\s*)?address(?:es)?"),
    (
        "user.device.device_id",
        r"device (?:IDs?|identifiers?)|advertising (?:IDs?|identifiers?)|IDFA|IMEI|MAC address(?:es)?",
    ),
    ("user.device.cookie_id", r"cookie (?:IDs?|identifiers?)|cookies?"),
    ("user.contact.address.postal_code", r"(?:postal|post|ZIP) codes?|postcodes?"),
    (
        "user.contact.address",
        r"(?:postal|home|delivery|billing|mailing|street|residential) address(?:es)?|mail address(?:es)?",
    ),
    ("user.contact", r"contact (?:details|information|data|info)"),
    (
        "user.device",
        r"device (?:information|data|type)|browser types?|browser (?:type )?and settings|operating systems?|"
        r"user agents?",
    ),
    ("user.location.precise", r"precise location|geo-?location(?: data)?|GPS (?:data|location|coordinates)"),
    ("user.location.imprecise", r"approximate location|imprecise location"),
    ("user.location", r"location data"),
    (
        "user.behavior.browsing_history",
        r"mouse movements|browsing (?:history|behaviou?r|data|activity)|pages? (?:you )?(?:visited|viewed)|"
        r"(?:which|the) pages(?:/forms)? you (?:visit|view|interact with)|clickstream",
    ),
    ("user.behavior.search_history", r"search (?:terms|queries|history)"),
    (
        "user.behavior.purchase_history",
        r"purchase history|order history|transaction history|purchase data|order data|order details",
    ),
    ("user.financial.bank_account", r"bank (?:account|details)(?: (?:numbers?|details|information|data))?|IBAN"),
    (
        "user.financial.credit_card",
        r"credit card (?:numbers?|details|information|data)|credit cards?|card numbers?|debit cards?",
    ),
    (
        "user.payment",
        r"payment (?:information|data|details)|billing (?:information|data|details)|invoic(?:e|ing) (?:data|"
        r"details|information)",
    ),
    ("user.financial", r"financial (?:data|information|details)|credit (?:scores?|history|rating)|creditworthiness"),
    ("user.health_and_medical.genetic", r"genetic data"),
    (
        "user.health_and_medical",
        r"X-rays?|medical findings|diagnoses|health (?:data|information|records)|medical (?:data|information|"
        r"records|history)|data concerning health",
    ),
    ("user.biometric.voice", r"voiceprints?|voice ?biometrics?|voice identification"),
    ("user.biometric.fingerprint", r"fingerprints?"),
    ("user.biometric", r"biometric data"),
    (
        "user.content.private",
        r"(?:record|recording) (?:the |your |all )?(?:phone )?calls?|calls (?:are|may be) recorded|"
        r"(?:call|voice|telephone|phone) recordings?|recordings? of (?:your )?(?:phone )?calls|recorded calls|"
        r"call content|chat (?:transcripts|messages|logs|content)|transcripts?|content of (?:your )?"
        r"(?:communications|messages|calls|conversations)|message content|ticket (?:information|content)",
    ),
    (
        "user.telemetry",
        r"call detail (?:records?|information)|\bCDRs?\b|call (?:data|logs)|carrier[- ](?:level )?data|"
        r"telecom(?:munications?)? (?:information|data)|traffic data|connection data",
    ),
    ("user.job_title", r"job (?:level/)?titles?|job (?:roles?|positions?|functions?)"),
    (
        "user.contact.organization",
        r"company (?:names?|information|details)|business (?:names?|information)|organi[sz]ation names?",
    ),
    ("user.workplace", r"employment history|work history|place of work|current employer"),
    ("user.demographic.gender", r"gender"),
    ("user.demographic.date_of_birth", r"dates? of birth|birth ?dates?|birthdays?"),
    ("user.demographic.language", r"(?:preferred|preference) language|language preferences?"),
    ("user.demographic.marital_status", r"marital status|civil status"),
    ("user.account.username", r"usernames?|user names?|login names?|user IDs?"),
    ("user.authorization.password", r"passwords?"),
    ("user.account", r"account (?:information|data|details)|account-related data"),
    ("user.government_id.passport_number", r"passport (?:numbers?|details|data)|passports?"),
    (
        "user.government_id.national_identification_number",
        r"national (?:ID|identity|identification|insurance|registry) (?:numbers?|details|data)|"
        r"social security numbers?|\bSSNs?\b|"
        r"tax (?:ID|identification) numbers?|tax IDs?|national numbers?",
    ),
    ("user.government_id.drivers_license_number", r"driver'?s licen[cs]e(?: numbers?)?|driving licen[cs]es?"),
    ("user.government_id", r"identity cards?|ID cards?|identity documents?"),
    ("user.content.self_image", r"photo(?:graph)?s|profile pictures?|CCTV (?:footage|images)"),
    ("user.criminal_history", r"criminal (?:records?|convictions?|history|offences?)"),
    ("user.demographic.political_opinion", r"political (?:opinions?|views|affiliations?)"),
    ("user.demographic.religious_belief", r"religious (?:or philosophical )?beliefs?"),
    ("user.demographic.race_ethnicity", r"racial or ethnic origin|ethnic origin"),
    ("user.demographic.sexual_orientation", r"sexual orientation|sex life"),
    ("user.social", r"social media (?:profiles?|handles?|accounts?|data)"),
    ("user.behavior", r"usage data"),
]
_EN_AMBIGUOUS = [
    ("user.workplace", r"employers?"),
    ("user.location", r"location"),
    ("user.contact.email", r"e-?mails?"),
    ("user.contact.phone_number", r"(?:tele)?phones?"),
    ("user.contact.address", r"address(?:es)?"),
    ("user.name", r"names?"),
    ("user.job_title", r"titles?|positions?|professions?"),
    ("user.contact.address.country", r"country"),
    ("user.demographic.language", r"languages?"),
]
_NL = [
    ("user.name.first", r"voornamen|voornaam"),
    ("user.name.last", r"achternamen|achternaam|familienaam"),
    ("user.contact.email", r"e-?mailadres(?:sen)?"),
    ("user.contact.phone_number", r"telefoonnummers?|gsm-?nummers?|mobiele? (?:telefoon)?nummers?"),
    ("user.device.ip_address", r"IP-?adres(?:sen)?"),
    ("user.device.cookie_id", r"cookies?"),
    ("user.contact.address.postal_code", r"postcodes?"),
    ("user.contact.address", r"woonadres|postadres|huisadres|factuuradres|afleveradres|bezorgadres"),
    ("user.contact", r"contactgegevens|contactinformatie"),
    ("user.device.device_id", r"apparaat-?ID'?s?|device-?ID'?s?"),
    ("user.device", r"apparaatgegevens|apparaat ?type|besturingssysteem|browsertype"),
    ("user.location.precise", r"GPS-?(?:locatie|gegevens|coördinaten)"),
    ("user.location", r"locatiegegevens"),
    (
        "user.behavior.browsing_history",
        r"muisbewegingen|surfgedrag|klikgedrag|bezochte pagina'?s|pagina'?s (?:die )?(?:u|je) bezoekt",
    ),
    ("user.behavior.search_history", r"zoektermen|zoekopdrachten"),
    ("user.behavior.purchase_history", r"bestelgeschiedenis|aankoopgeschiedenis|bestelgegevens|aankoopgegevens"),
    ("user.financial.bank_account", r"bankrekeningnummers?|rekeningnummers?|IBAN|bankgegevens"),
    ("user.financial.credit_card", r"creditcardgegevens|creditcardnummers?|kredietkaartgegevens"),
    ("user.payment", r"betaalgegevens|betalingsgegevens|facturatiegegevens|factuurgegevens"),
    ("user.financial", r"financiële gegevens|kredietinformatie|kredietscores?|kredietwaardigheid"),
    ("user.health_and_medical.genetic", r"genetische gegevens"),
    (
        "user.health_and_medical",
        r"röntgenfoto'?s|diagnoses|gezondheidsgegevens|medische gegevens|medische voorgeschiedenis|medisch dossier|"
        r"gegevens over (?:uw |je )?gezondheid",
    ),
    ("user.biometric.voice", r"stemafdruk\w*"),
    ("user.biometric.fingerprint", r"vingerafdruk(?:ken)?"),
    ("user.biometric", r"biometrische gegevens"),
    (
        "user.content.private",
        r"gesprekken (?:worden |kunnen worden )?opgenomen|gespreksopnames?|opnames? van (?:telefoon)?gesprekken|"
        r"chatgesprekken|gespreksinhoud",
    ),
    ("user.telemetry", r"belgegevens|CDR'?s?"),
    ("user.job_title", r"functietitels?|functiebenaming"),
    ("user.contact.organization", r"bedrijfsnamen|bedrijfsnaam|organisatienaam|bedrijfsgegevens"),
    ("user.workplace", r"werkgever|tewerkstelling"),
    ("user.demographic.gender", r"geslacht"),
    ("user.demographic.date_of_birth", r"geboortedatum|geboortedag"),
    ("user.demographic.language", r"voorkeurs ?taal"),
    ("user.demographic.marital_status", r"burgerlijke staat"),
    ("user.account.username", r"gebruikersnamen|gebruikersnaam|inlognaam"),
    ("user.authorization.password", r"wachtwoorden|wachtwoord"),
    ("user.account", r"accountgegevens"),
    ("user.government_id.passport_number", r"paspoortnummers?|paspoortgegevens|paspoort"),
    (
        "user.government_id.national_identification_number",
        r"rijksregisternummers?|burgerservicenummers?|\bBSN\b|"
        r"sofinummers?|INSZ-?nummers?|identificatienummers?",
    ),
    ("user.government_id.drivers_license_number", r"rijbewijs(?:nummer)?"),
    ("user.government_id", r"identiteitskaart|ID-kaart|identiteitsbewijs"),
    ("user.content.self_image", r"foto'?s|pasfoto|camerabeelden"),
    ("user.criminal_history", r"strafregister|strafrechtelijke gegevens|justitiële gegevens"),
    ("user.demographic.political_opinion", r"politieke (?:opvattingen|voorkeur)"),
    ("user.demographic.religious_belief", r"religieuze (?:of levensbeschouwelijke )?overtuiging\w*"),
    ("user.demographic.race_ethnicity", r"(?:raciale of )?etnische afkomst"),
    ("user.demographic.sexual_orientation", r"seksuele (?:geaardheid|leven)"),
    ("user.behavior", r"gebruiksgegevens"),
]
_NL_AMBIGUOUS = [
    ("user.location", r"locatie"),
    ("user.name", r"namen|naam"),
    ("user.contact.address", r"adres(?:sen)?"),
    ("user.contact.email", r"e-?mail"),
    ("user.contact.phone_number", r"telefoon"),
    ("user.job_title", r"functie|titel|beroep"),
    ("user.demographic.language", r"taal"),
]
_DE = [
    ("user.name.first", r"Vornamen?|Vor-(?= und Nachnamen?)"),
    ("user.name.last", r"Nachnamen?|Familiennamen?|Zunamen?"),
    ("user.contact.email", r"E-?Mail-?Adressen?|E-Mail Adressen?"),
    ("user.contact.phone_number", r"Telefonnummern?|Handynummern?|Mobil(?:funk)?nummern?|Rufnummern?"),
    ("user.device.ip_address", r"IP-?Adressen?"),
    ("user.device.cookie_id", r"Cookies?"),
    ("user.contact.address.postal_code", r"Postleitzahl\w*|\bPLZ\b"),
    ("user.contact.address", r"(?:Post|Wohn)?[Aa]nschrift(?:en)?|Wohnadressen?|Lieferadressen?|Rechnungsadressen?"),
    ("user.contact", r"Kontaktdaten|Kontaktinformationen|Kontaktangaben"),
    ("user.device.device_id", r"Geräte-?IDs?|Gerätekennung\w*"),
    ("user.device", r"Gerätedaten|Geräteinformationen|Browsertyp\w*|Browserversion\w*|Betriebssystem\w*"),
    ("user.location.precise", r"GPS-?(?:Daten|Standort|Koordinaten)"),
    ("user.location", r"Standortdaten|Geolokalisierung\w*"),
    (
        "user.behavior.browsing_history",
        r"Mausbewegungen|Surfverhalten|Klickverhalten|besuchte[n]? (?:Web)?[Ss]eiten|aufgerufene[n]? Seiten|"
        r"Seitenaufrufe",
    ),
    ("user.behavior.search_history", r"Suchbegriffe|Suchanfragen"),
    ("user.behavior.purchase_history", r"Bestellhistorie|Bestelldaten|Kaufhistorie"),
    ("user.financial.bank_account", r"Bankverbindung(?:en)?|Bankdaten|Kontonummer\w*|IBAN"),
    ("user.financial.credit_card", r"Kreditkarten\w*"),
    ("user.payment", r"Zahlungsdaten|Zahlungsinformationen|Rechnungsdaten|Abrechnungsdaten|Zahlungsangaben"),
    ("user.financial", r"Finanzdaten|Bonitätsdaten|Bonitätsauskunft|Bonität"),
    ("user.health_and_medical.genetic", r"genetische[n]? Daten"),
    (
        "user.health_and_medical",
        r"Befunde|Röntgenbilder|Röntgenaufnahmen|Gesundheitsdaten|Gesundheitsinformationen|medizinische[n]? Daten|"
        r"Diagnosen",
    ),
    ("user.biometric.voice", r"Stimmabdr(?:u|ü)ck\w*|Stimmprofile?"),
    ("user.biometric.fingerprint", r"Fingerabdr(?:u|ü)ck\w*"),
    ("user.biometric", r"biometrische[n]? Daten"),
    (
        "user.content.private",
        r"Gespräche (?:werden )?aufgezeichnet|Gesprächsaufzeichnungen?|Anrufaufzeichnungen?|Aufzeichnungen (?:der|"
        r"von) (?:Telefon)?gespräche\w*|"
        r"Gesprächsinhalte?|Inhalte? des Gesprächs|Inhalte der Kommunikation|Chatverläufe|Chatprotokolle",
    ),
    ("user.telemetry", r"Verbindungsdaten|Verkehrsdaten|Einzelverbindungsnachweis\w*"),
    ("user.job_title", r"Berufsbezeichnung\w*|Jobtitel"),
    ("user.contact.organization", r"Firmennamen?|Unternehmensnamen?"),
    ("user.workplace", r"Arbeitgeber\w*"),
    ("user.demographic.gender", r"Geschlecht"),
    ("user.demographic.date_of_birth", r"Geburtsdatum|Geburtstag"),
    ("user.demographic.language", r"bevorzugte[n]? Sprache|Spracheinstellung\w*"),
    ("user.demographic.marital_status", r"Familienstand"),
    ("user.account.username", r"Benutzernamen?|Nutzernamen?"),
    ("user.authorization.password", r"Passw(?:o|ö)rt(?:er)?|Kennw(?:o|ö)rt(?:er)?"),
    ("user.government_id.passport_number", r"Reisepassnummer|Reisepass\w*|Passnummer"),
    (
        "user.government_id.national_identification_number",
        r"Steuer-?ID|Steueridentifikationsnummer|"
        r"Sozialversicherungsnummer|Rentenversicherungsnummer",
    ),
    ("user.government_id.drivers_license_number", r"Führerschein\w*"),
    ("user.government_id", r"Personalausweis\w*|Ausweisdaten|Ausweisnummer"),
    ("user.content.self_image", r"Fotos|Lichtbild(?:er)?|Videoaufnahmen|Videoaufzeichnungen"),
    ("user.criminal_history", r"Vorstrafen|Strafregister|Führungszeugnis\w*|strafrechtliche[n]? Verurteilungen"),
    ("user.demographic.political_opinion", r"politische[n]? Meinungen?"),
    (
        "user.demographic.religious_belief",
        r"religiöse[n]? (?:oder weltanschauliche[n]? )?Überzeugungen?|Religionszugehörigkeit|Konfession",
    ),
    ("user.demographic.race_ethnicity", r"(?:rassische[n]? (?:und|oder) )?ethnische[n]? Herkunft"),
    ("user.demographic.sexual_orientation", r"sexuelle[n]? Orientierung|Sexualleben"),
    ("user.behavior", r"Nutzungsdaten"),
]
_DE_AMBIGUOUS = [
    ("user.location", r"Standort"),
    ("user.name", r"Namen?"),
    ("user.contact.address", r"Adressen?"),
    ("user.contact.email", r"E-?Mails?"),
    ("user.job_title", r"Position|Funktion|Titel|Beruf"),
    ("user.demographic.language", r"Sprache"),
]
_FR = [
    ("user.name.first", r"prénoms?"),
    ("user.name.last", r"noms? de famille|noms? d'usage"),
    ("user.account.username", r"noms? d'utilisateur|identifiants? de connexion|login"),
    ("user.contact.email", r"adresses? (?:e-?mail|électroniques?|mail|de messagerie|de courriel)"),
    ("user.contact.phone_number", r"numéros? de (?:téléphone|portable|mobile|GSM)"),
    ("user.device.ip_address", r"adresses? IP"),
    ("user.device.cookie_id", r"cookies?"),
    ("user.contact.address.postal_code", r"codes? postaux|code postal"),
    ("user.contact.address", r"adresses? postales?|adresses? de (?:livraison|facturation|domicile)"),
    ("user.financial.bank_account", r"coordonnées bancaires|\bRIB\b|IBAN|numéros? de compte bancaire"),
    (
        "user.payment",
        r"données de paiement|informations de paiement|moyens? de paiement|données de facturation|"
        r"coordonnées de paiement",
    ),
    ("user.contact", r"coordonnées"),
    ("user.device", r"types? de navigateur|système d'exploitation|données de (?:l')?appareil"),
    ("user.location.precise", r"géolocalisation"),
    ("user.location", r"données de localisation"),
    (
        "user.behavior.browsing_history",
        r"mouvements de (?:la )?souris|pages? (?:visitées|consultées)|historique de navigation",
    ),
    ("user.behavior.search_history", r"termes de recherche|recherches effectuées"),
    ("user.behavior.purchase_history", r"historique (?:d'achats?|des commandes)|données de commande"),
    ("user.financial.credit_card", r"numéros? de carte (?:bancaire|de crédit)|cartes? (?:bancaires?|de crédit)"),
    ("user.financial", r"données financières|solvabilité|scores? de crédit"),
    ("user.health_and_medical.genetic", r"données génétiques"),
    (
        "user.health_and_medical",
        r"radiographies|diagnostics médicaux|données de santé|données médicales|dossiers? médica(?:l|ux)|"
        r"informations médicales|état de santé",
    ),
    ("user.biometric.voice", r"empreintes? vocales?"),
    ("user.biometric.fingerprint", r"empreintes? digitales?"),
    ("user.biometric", r"données biométriques"),
    (
        "user.content.private",
        r"appels (?:sont |peuvent être )?enregistrés|enregistrements? (?:des |d')?(?:appels|conversations|"
        r"communications)|enregistrements? vocaux|"
        r"contenu des (?:appels|conversations|échanges|communications)|transcriptions?",
    ),
    ("user.telemetry", r"données de trafic|relevés d'appels|journaux d'appels|données de connexion"),
    ("user.job_title", r"intitulés? de poste"),
    ("user.contact.organization", r"nom de (?:l'entreprise|la société)|raison sociale"),
    ("user.workplace", r"employeurs?|parcours professionnel|expérience professionnelle"),
    ("user.demographic.date_of_birth", r"dates? de naissance"),
    ("user.demographic.language", r"langue préférée"),
    ("user.demographic.marital_status", r"situation (?:familiale|matrimoniale)"),
    ("user.authorization.password", r"mots? de passe"),
    ("user.account", r"données de compte"),
    ("user.government_id.passport_number", r"numéros? de passeport|passeports?"),
    (
        "user.government_id.national_identification_number",
        r"numéros? de sécurité sociale|numéro national|\bNIR\b|"
        r"numéros? fiscal|numéros? d'identification fiscale",
    ),
    ("user.government_id.drivers_license_number", r"permis de conduire"),
    ("user.government_id", r"cartes? d'identité|pièces? d'identité"),
    ("user.content.self_image", r"photos|photographies|images de vidéosurveillance"),
    ("user.criminal_history", r"casier judiciaire|condamnations pénales"),
    ("user.demographic.political_opinion", r"opinions politiques"),
    ("user.demographic.religious_belief", r"convictions religieuses|croyances religieuses"),
    ("user.demographic.race_ethnicity", r"origine (?:raciale|ethnique)"),
    ("user.demographic.sexual_orientation", r"orientation sexuelle|vie sexuelle"),
    ("user.behavior", r"données d'utilisation"),
]
_FR_AMBIGUOUS = [
    ("user.location", r"localisation|position"),
    ("user.name", r"noms?"),
    ("user.contact.address", r"adresses?"),
    ("user.contact.phone_number", r"téléphone"),
    ("user.contact.email", r"e-?mails?|courriels?"),
    ("user.job_title", r"fonction|poste|titre|profession"),
    ("user.demographic.gender", r"sexe|genre"),
    ("user.demographic.language", r"langue"),
]

LEXICON: tuple[Term, ...] = tuple(
    _terms("en", _EN) + _terms("en", _EN_AMBIGUOUS, True)
    + _terms("nl", _NL) + _terms("nl", _NL_AMBIGUOUS, True)
    + _terms("de", _DE) + _terms("de", _DE_AMBIGUOUS, True)
    + _terms("fr", _FR) + _terms("fr", _FR_AMBIGUOUS, True)
)  # fmt: skip
