"""Dutch labels for the audit log's action and object codes (the codes stay in the CSV).

An action without a label (one added later) still reads as words, never as a raw code:
`iets_gedaan` -> "Iets gedaan". tests/unit/test_audit_labels.py checks that every action the
services record has a label here.
"""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    "login": "Ingelogd",
    "login_mislukt": "Inloggen mislukt",
    "wachtwoord_wijzigen_mislukt": "Wachtwoord wijzigen mislukt (verkeerd huidig wachtwoord)",
    "wachtwoord_gewijzigd": "Eigen wachtwoord gewijzigd",
    "wachtwoord_gereset": "Wachtwoord gereset",
    "gebruiker_toegevoegd": "Gebruiker toegevoegd",
    "gebruiker_ingeschakeld": "Gebruiker ingeschakeld",
    "gebruiker_uitgeschakeld": "Gebruiker uitgeschakeld",
    "rol_gewijzigd": "Rol gewijzigd",
    "wijken_toegewezen": "Wijken toegewezen",
    "sso_gekoppeld": "SSO-account gekoppeld",
    "sso_ontkoppeld": "SSO-account ontkoppeld",
    "signaal_gemeld": "Signaal gemeld",
    "signaal_bewerkt": "Signaal bewerkt",
    "signaal_bekeken": "Signaal ingezien",
    "signaal_beoordeeld": "Signaal beoordeeld",
    "signalen_gekoppeld": "Signalen gekoppeld",
    "signalen_ontkoppeld": "Signalen ontkoppeld",
    "signalen_import": "Signalen geïmporteerd",
    "nul_melding_ingetrokken": "Nul-melding ingetrokken",
    "pii_bevestigd": "Persoonsgegevens-waarschuwing bevestigd",
    "export": "Export gemaakt",
    "fasebesluit": "Fasebesluit genomen",
    "categorie_gewijzigd": "Categorie gewijzigd",
    "thema_toegevoegd": "Thema toegevoegd",
    "thema_geactiveerd": "Thema aangezet",
    "thema_gedeactiveerd": "Thema uitgezet",
    "instelling_gewijzigd": "Instelling gewijzigd",
    "instelling_verwijderd": "Instelling teruggezet naar standaard",
    "bewaartermijn_opgeschoond": "Opgeschoond na bewaartermijn",
    "wijk_hernoemd": "Wijk hernoemd",
    "wijken_import": "Wijken geïmporteerd",
    "wijken_export": "Wijken geëxporteerd",
    "dossier_gemaakt": "Wijkdossier gemaakt",
    "filter_opgeslagen": "Filter opgeslagen",
    "filter_verwijderd": "Filter verwijderd",
    "meldingen_ingesteld": "Meldingskeuzes ingesteld",
    "melding_verzonden": "Melding verzonden",
    "melding_opnieuw": "Melding opnieuw in de wachtrij gezet",
    "actie_vastgelegd": "Actie vastgelegd",
    "actie_status_gewijzigd": "Status van actie gewijzigd",
    "evaluatie_vastgelegd": "Evaluatie na de nafase vastgelegd",
    "risicomoment_toegevoegd": "Risicomoment toegevoegd",
    "risicomoment_verwijderd": "Risicomoment verwijderd",
    "sleutelfiguur_toegevoegd": "Sleutelfiguur toegevoegd",
    "sleutelfiguur_gedeactiveerd": "Sleutelfiguur gestopt",
    "sleutelfiguur_verplaatst": "Sleutelfiguur verplaatst",
    "activatiecode_uitgegeven": "Activatiecode uitgegeven",
    "account_geactiveerd": "Account geactiveerd",
    "netwerkmix_gewijzigd": "Gewenste mix van het netwerk gewijzigd",
    "terugkoppeling_opgeslagen": "Terugkoppeling aan melder opgeslagen",
    "terugkoppeling_verwijderd": "Terugkoppeling aan melder verwijderd",
}

OBJECT_LABELS: dict[str, str] = {
    "user": "Gebruiker",
    "signal": "Signaal",
    "wijk": "Wijk",
    "category": "Categorie",
    "theme": "Thema",
    "setting": "Instelling",
    "audit_events": "Auditlog",
    "weekrapport": "Weekrapport",
    "alert_outbox": "Melding (outbox)",
    "risicomoment": "Risicomoment",
    "saved_filter": "Opgeslagen filter",
    "wijk_actie": "Actie in wijk",
}


def _words(code: str) -> str:
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code) or _words(code)


def object_label(code: str) -> str:
    return OBJECT_LABELS.get(code) or _words(code)
