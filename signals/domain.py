"""The domain vocabulary of docs/domain.md: roles, phases, categories and codes.

Pure data, no I/O, shared by the engine, the services, the CLI and the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SLEUTELFIGUUR = "sleutelfiguur"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    BEHEERDER = "beheerder"


ROLE_LABELS: dict[Role, str] = {
    Role.SLEUTELFIGUUR: "Sleutelfiguur",
    Role.COORDINATOR: "Coördinator",
    Role.MANAGER: "Manager",
    Role.BEHEERDER: "Beheerder",
}

# Role types of key figures; the UI shows these instead of names (privacy, docs/privacy.md).
REPORTER_ROLES: dict[str, str] = {
    "jongerenwerker": "Jongerenwerker",
    "wijkagent": "Wijkagent",
    "docent": "Docent",
    "religieus_leider": "Religieus leider",
    "ondernemer": "Ondernemer",
    "bewoner": "Bewoner (vrijwilliger)",
    "opbouwwerker": "Opbouwwerker",
    "handhaver": "Handhaver (boa)",
    "overig": "Overig",
}


@dataclass(frozen=True)
class Phase:
    level: int
    name: str
    colour: str
    actions: str


PHASES: tuple[Phase, ...] = (
    Phase(0, "Rust", "#2e7d32",
          "Onderhoud het netwerk van sleutelfiguren; werk aan weerbaarheid."),
    Phase(1, "Sluimerend ongenoegen", "#f9c80e",
          "Luister naar en beantwoord onvrede; netwerkgesprekken; vroege feitelijke "
          "communicatie; versterk het stille midden."),
    Phase(2, "Oplopende spanningen", "#f57c00",
          "Kernteam met de BOB-routine (beeldvorming, oordeelsvorming, besluitvorming); "
          "breng risicoplekken en beïnvloeders als fenomeen in kaart; de-escalerende "
          "dialoog; informeer de driehoek (burgemeester, politie, OM)."),
    Phase(3, "Dreigende escalatie", "#d32f2f",
          "Driehoeksoverleg; interventies tegen online aangejaagde ordeverstoring "
          "(contact met initiatiefnemer, bevelen van de burgemeester); zichtbare "
          "aanwezigheid; tegenboodschappen; sleutelfiguren spreken jongeren aan."),
    Phase(4, "Escalatie openbare ruimte", "#7f0000",
          "Crisisbeheersing en crisiscommunicatie; bescherm ambtenaren en "
          "hulpverleners; bereid de nafase voor."),
)
NAFASE_LABEL = "Nafase"
NAFASE_COLOUR = "#6a1b9a"
NAFASE_ACTIONS = "Nazorg, herstel, dialoog en evaluatie; de onvrede blijft."
ONVOLDOENDE_ZICHT_LABEL = "Onvoldoende zicht"


def phase_name(level: int) -> str:
    return PHASES[level].name


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    default_severity: int
    unrest: bool  # counts as an unrest signal for phase 1 and corroboration


CATEGORIES: tuple[Category, ...] = (
    Category("onvrede", "Onvrede / klachten", 1, True),
    Category("geruchten_desinformatie", "Geruchten en desinformatie", 2, True),
    Category("anti_overheid", "Anti-overheidssentiment", 2, True),
    Category("spanning_groepen", "Spanning tussen groepen", 2, True),
    Category("symbolen", "Symbolen en leuzen", 2, True),
    Category("haat_discriminatie", "Haat en discriminatie", 3, True),
    Category("collectieve_actie", "Collectieve actie", 3, True),
    Category("oproep_mobilisatie", "Oproep / mobilisatie", 4, True),
    Category("bedreiging_intimidatie", "Bedreiging en intimidatie", 4, True),
    Category("ordeverstoring", "Ordeverstoring en schade", 5, True),
    Category("aanleiding", "Aanleiding / trigger", 1, False),
    Category("weerbaarheid", "Weerbaarheid (positief)", 1, False),
    Category("geen_bijzonderheden", "Niets bijzonders", 0, False),
)
CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
NUL_MELDING = "geen_bijzonderheden"
WEERBAARHEID = "weerbaarheid"
CALL_TO_ACTION = "oproep_mobilisatie"
DISORDER = "ordeverstoring"
# Severe categories for phase 2 (docs/phase-rules.md, rule 5): hate, threats, confrontation.
SEVERE_CATEGORIES: frozenset[str] = frozenset(
    {"haat_discriminatie", "bedreiging_intimidatie", "spanning_groepen"}
)

THEMES: dict[str, str] = {
    "azc_asiel": "Azc en asiel",
    "corona_vaccinatie": "Corona en vaccinatie",
    "5g_complot": "5G-complot",
    "boeren_stikstof": "Boeren en stikstof",
    "klimaat_energie": "Klimaat en energie",
    "israel_gaza": "Israël en Gaza",
    "oekraine": "Oekraïne",
    "zwarte_piet": "Zwarte Piet",
    "jaarwisseling": "Jaarwisseling",
    "wonen": "Wonen",
    "bestaanszekerheid": "Bestaanszekerheid",
    "jeugdgroepen": "Jeugdgroepen",
    "voetbal": "Voetbal",
    "lhbti": "Lhbti",
    "religie": "Religie",
    "black_lives_matter": "Black Lives Matter",
    "overig": "Overig",
}

SOURCES: dict[str, str] = {
    "eigen_waarneming": "Eigen waarneming",
    "horen_zeggen": "Van horen zeggen",
    "online": "Online",
    "media": "Media",
    "partner": "Partner",
}
REACHES: dict[str, str] = {
    "individu": "Individu",
    "klein": "Klein (<10)",
    "middel": "Middel (10-50)",
    "groot": "Groot (>50)",
}
RELIABILITIES: dict[str, str] = {
    "hoog": "Hoog",
    "middel": "Middel",
    "laag": "Laag",
    "onbekend": "Onbekend",
}
POLARISATIONS: dict[str, str] = {
    "horizontaal": "Horizontaal (tussen groepen)",
    "verticaal": "Verticaal (tegen overheid)",
    "beide": "Beide",
    "geen": "Geen",
}
PLATFORMS: dict[str, str] = {
    "sociale_media": "Sociale media (open)",
    "besloten_groep": "Besloten groep / chat",
    "video": "Videoplatform",
    "forum": "Forum",
    "nieuwssite": "Nieuwssite",
    "overig": "Overig",
}


class Status(StrEnum):
    NIEUW = "nieuw"
    IN_DUIDING = "in_duiding"
    GEVERIFIEERD = "geverifieerd"
    NIET_BEVESTIGD = "niet_bevestigd"
    GESLOTEN = "gesloten"


STATUS_LABELS: dict[Status, str] = {
    Status.NIEUW: "Nieuw",
    Status.IN_DUIDING: "In duiding",
    Status.GEVERIFIEERD: "Geverifieerd",
    Status.NIET_BEVESTIGD: "Niet bevestigd",
    Status.GESLOTEN: "Gesloten",
}
# What a reporter reads about their own signal (Mijn meldingen): plain words, no jargon.
REPORTER_STATUS_LABELS: dict[Status, str] = {
    Status.NIEUW: "in behandeling",
    Status.IN_DUIDING: "in behandeling",
    Status.GEVERIFIEERD: "bevestigd",
    Status.NIET_BEVESTIGD: "niet bevestigd",
    Status.GESLOTEN: "afgesloten",
}
# Allowed status transitions (docs/domain.md); a coordinator may also reopen a signal.
STATUS_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NIEUW: frozenset({Status.IN_DUIDING, Status.GEVERIFIEERD,
                             Status.NIET_BEVESTIGD, Status.GESLOTEN}),
    Status.IN_DUIDING: frozenset({Status.GEVERIFIEERD, Status.NIET_BEVESTIGD, Status.GESLOTEN}),
    Status.GEVERIFIEERD: frozenset({Status.GESLOTEN, Status.IN_DUIDING}),
    Status.NIET_BEVESTIGD: frozenset({Status.GESLOTEN, Status.IN_DUIDING}),
    Status.GESLOTEN: frozenset({Status.IN_DUIDING}),
}

# Defaults for optional import/intake fields (documented in docs/formats.md).
DEFAULT_SOURCE = "eigen_waarneming"
DEFAULT_REACH = "individu"
DEFAULT_RELIABILITY = "onbekend"
DEFAULT_POLARISATION = "geen"


# Action types seeded from the handelingsperspectief of each phase; the beheerder can rename
# them and add more (signals.services.action_types). The levels say in which phases a type
# is typical; any type may be logged in any phase.
ACTION_TYPES: dict[str, str] = {
    "netwerkgesprek": "Netwerkgesprek",
    "kernteam_bob": "Kernteam / BOB-overleg",
    "driehoeksoverleg": "Driehoeksoverleg",
    "feitelijke_communicatie": "Feitelijke communicatie",
    "contact_initiatiefnemer": "Contact met initiatiefnemer",
    "zichtbare_aanwezigheid": "Zichtbare aanwezigheid",
    "tegenboodschap": "Tegenboodschap",
    "nazorg": "Nazorg",
    "evaluatie": "Evaluatie",
}
ACTION_STATUSES: dict[str, str] = {"gepland": "Gepland", "uitgevoerd": "Uitgevoerd"}

# Kinds of moments on the risicokalender (docs/domain.md).
RISK_KINDS: dict[str, str] = {
    "raadsbesluit": "Raadsbesluit",
    "informatieavond": "Informatieavond",
    "demonstratie": "Aangekondigde demonstratie",
    "kalendermoment": "Kalendermoment",
    "actiedatum_oproep": "Actiedatum oproep",
}

# What to communicate per phase, to whom (BZK guidance on misinformation, ESS advice per
# phase); the beheerder can change the texts (signals.services.phase_communication).
AUDIENCES: dict[str, str] = {
    "bewoners": "Bewoners",
    "netwerk": "Netwerk van sleutelfiguren",
    "politiek": "Lokale politiek",
}
PHASE_COMMUNICATION: dict[int, dict[str, str]] = {
    0: {"bewoners": "Houd de gewone kanalen actief en vertel wat de gemeente in de wijk doet.",
        "netwerk": "Onderhoud het contact, vraag actief naar signalen en geef terugkoppeling.",
        "politiek": "Geen bijzondere informatie nodig; het beeld staat in de gewone "
                    "rapportage."},
    1: {"bewoners": "Luister en beantwoord vragen; geef vroeg feitelijke informatie over "
                    "besluiten die spelen.",
        "netwerk": "Netwerkgesprekken: deel de feiten, vraag naar geruchten en geef "
                   "sleutelfiguren een lijn om uit te dragen.",
        "politiek": "Informeer de portefeuillehouder over het ongenoegen en de aanpak."},
    2: {"bewoners": "Communiceer feitelijk en op tijd; weerleg geruchten zonder ze te "
                    "herhalen en spreek het stille midden aan.",
        "netwerk": "Stem boodschappen af in het kernteam; vraag sleutelfiguren feiten te "
                   "delen en signalen direct te melden.",
        "politiek": "Informeer burgemeester en raad vertrouwelijk over het beeld en de "
                    "besluiten van het kernteam."},
    3: {"bewoners": "Wees duidelijk over wat wel en niet mag en waarom; verwijs naar één "
                    "betrouwbare bron; laat vertrouwde stemmen de tegenboodschap brengen.",
        "netwerk": "Vraag sleutelfiguren jongeren aan te spreken en tegengeluid te geven; "
                   "houd korte lijnen met de wijkagent.",
        "politiek": "Informeer driehoek en raad; één woordvoeringslijn en geen uitspraken "
                    "die escaleren."},
    4: {"bewoners": "Crisiscommunicatie: feiten, wat bewoners kunnen doen en hun veiligheid; "
                    "regelmatige updates.",
        "netwerk": "Zet sleutelfiguren in voor de-escalatie en voor informatie uit de wijk.",
        "politiek": "Informeer college en raad direct en doorlopend vanuit het crisisoverleg."},
}
