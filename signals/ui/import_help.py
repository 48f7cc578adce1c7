"""The import page's column help: every column of the signals file explained in Dutch.

The column names stay the interchange names (docs/formats.md); this table says what each
one means and which values it takes, so nobody has to guess from an English name.
"""

from __future__ import annotations

import pandas as pd

from signals.services.signal_rows import IMPORT_COLUMNS, REQUIRED_COLUMNS

COLUMN_HELP: dict[str, tuple[str, str]] = {
    "external_id": ("Kenmerk in het bronsysteem", "Tekst, hoogstens 100 tekens. Dezelfde "
                    "waarde opnieuw importeren werkt de melding bij in plaats van een nieuwe."),
    "observed_on": ("Datum waarop het signaal is waargenomen",
                    "JJJJ-MM-DD of DD-MM-JJJJ, niet in de toekomst."),
    "wijk_code": ("Wijk", "CBS-wijkcode, bijvoorbeeld WK036301; een van uw eigen wijken."),
    "reporter": ("Melder (sleutelfiguur)", "Gebruikersnaam. Een onbekende naam wordt als "
                 "nieuwe sleutelfiguur van die wijk aangemaakt, zonder wachtwoord."),
    "reporter_role": ("Functie van een nieuwe melder",
                      "Bijvoorbeeld wijkagent, jongerenwerker, docent (code of naam)."),
    "category": ("Categorie", "Code of naam, bijvoorbeeld onvrede of 'Onvrede / klachten'."),
    "subtype": ("Nadere typering", "Vrije tekst, kort."),
    "themes": ("Thema's", "Een of meer, gescheiden door ; (code of naam, bijvoorbeeld "
               "azc_asiel of 'Azc en asiel')."),
    "severity": ("Ernst", "1 tot en met 5; leeg is de standaard van de categorie; 0 bij een "
                 "nul-melding."),
    "source": ("Bron", "Eigen waarneming, van horen zeggen, online, media of partner."),
    "online": ("Online gezien", "ja of nee (ook true/false, 1/0, x). Leeg: ja als er een "
               "platform is ingevuld."),
    "platform": ("Platform", "Soort (sociale media, besloten groep, videoplatform, forum, "
                 "nieuwssite) of de naam, zoals Telegram, WhatsApp, TikTok, Facebook, "
                 "Instagram, X of Twitter, YouTube, Snapchat of Nextdoor; hoofdletters maken "
                 "niet uit."),
    "platform_name": ("Naam van het platform", "Bijvoorbeeld Telegram; mag leeg blijven als "
                      "de kolom platform al de naam bevat."),
    "reach": ("Bereik", "individu, klein (<10), middel (10-50) of groot (>50)."),
    "reliability": ("Betrouwbaarheid", "hoog, middel, laag of onbekend."),
    "polarisation": ("Polarisatie", "horizontaal (tussen groepen), verticaal (tegen de "
                     "overheid), beide of geen."),
    "action_date": ("Datum van de aangekondigde actie", "Bij een oproep: JJJJ-MM-DD of "
                    "DD-MM-JJJJ."),
    "action_place": ("Plaats van de aangekondigde actie", "Vrije tekst."),
    "status": ("Status", "nieuw, in duiding, geverifieerd, niet bevestigd of gesloten."),
    "description": ("Omschrijving", "Vrije tekst, zonder namen of andere persoonsgegevens; "
                    "die worden gecontroleerd."),
}


def column_labels(columns: list[str]) -> dict[str, str]:
    """Dutch headers for a file's columns ('observed_on' -> 'Datum waarop ...'), for the
    preview of an import; unknown names stay as written."""
    return {c: COLUMN_HELP[c][0] for c in columns if c in COLUMN_HELP}


def column_help() -> pd.DataFrame:
    """One row per column, in file order: name, required, meaning, values."""
    return pd.DataFrame([{
        "kolom": name,
        "verplicht": "ja" if name in REQUIRED_COLUMNS else "nee",
        "betekenis": COLUMN_HELP[name][0],
        "waarden": COLUMN_HELP[name][1],
    } for name in IMPORT_COLUMNS])
