"""Words people write in a signals file for the coded fields, mapped to the codes.

The import accepts a code, its Dutch label (signals/domain.py) or one of these synonyms, in
any case and with spaces, hyphens or underscores alike (`In behandeling`, `in_behandeling`).
Platform names map to their platform type; the name itself is kept (`PLATFORM_NAMES`).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s_\-]+")


def word_key(value: str) -> str:
    """The lookup form of a cell: lower case, separators as one space, trimmed."""
    return _SEPARATORS.sub(" ", value.strip().lower()).strip()


# name as written -> (platform type, the name as we show it)
PLATFORM_NAMES: dict[str, tuple[str, str]] = {
    "telegram": ("besloten_groep", "Telegram"),
    "whatsapp": ("besloten_groep", "WhatsApp"),
    "whats app": ("besloten_groep", "WhatsApp"),
    "signal": ("besloten_groep", "Signal"),
    "snapchat": ("besloten_groep", "Snapchat"),
    "discord": ("besloten_groep", "Discord"),
    "messenger": ("besloten_groep", "Messenger"),
    "facebook": ("sociale_media", "Facebook"),
    "instagram": ("sociale_media", "Instagram"),
    "x": ("sociale_media", "X"),
    "twitter": ("sociale_media", "X"),
    "x twitter": ("sociale_media", "X"),
    "x (twitter)": ("sociale_media", "X"),
    "twitter/x": ("sociale_media", "X"),
    "x/twitter": ("sociale_media", "X"),
    "linkedin": ("sociale_media", "LinkedIn"),
    "threads": ("sociale_media", "Threads"),
    "bluesky": ("sociale_media", "Bluesky"),
    "mastodon": ("sociale_media", "Mastodon"),
    "tiktok": ("video", "TikTok"),
    "tik tok": ("video", "TikTok"),
    "youtube": ("video", "YouTube"),
    "you tube": ("video", "YouTube"),
    "twitch": ("video", "Twitch"),
    "rumble": ("video", "Rumble"),
    "nextdoor": ("forum", "Nextdoor"),
    "next door": ("forum", "Nextdoor"),
    "reddit": ("forum", "Reddit"),
    "4chan": ("forum", "4chan"),
    "nu.nl": ("nieuwssite", "NU.nl"),
    "geenstijl": ("nieuwssite", "GeenStijl"),
}

SYNONYMS: dict[str, dict[str, str]] = {
    "platform": {name: kind for name, (kind, _) in PLATFORM_NAMES.items()} | {
        "sociale media": "sociale_media", "social media": "sociale_media",
        "chat": "besloten_groep", "groepsapp": "besloten_groep", "app groep": "besloten_groep",
        "besloten groep": "besloten_groep", "video": "video", "nieuws": "nieuwssite",
        "website": "overig", "anders": "overig"},
    "source": {
        "eigen": "eigen_waarneming", "zelf gezien": "eigen_waarneming",
        "waarneming": "eigen_waarneming", "gezien": "eigen_waarneming",
        "gehoord": "horen_zeggen", "horen zeggen": "horen_zeggen", "via via": "horen_zeggen",
        "internet": "online", "sociale media": "online", "social media": "online",
        "krant": "media", "nieuws": "media", "tv": "media", "televisie": "media",
        "radio": "media", "politie": "partner", "instantie": "partner",
        "samenwerkingspartner": "partner"},
    "reach": {
        "persoon": "individu", "een persoon": "individu",
        "<10": "klein", "< 10": "klein", "10 50": "middel", "10 tot 50": "middel",
        ">50": "groot", "> 50": "groot", "50+": "groot"},
    "reliability": {
        "?": "onbekend", "weet niet": "onbekend", "onzeker": "onbekend",
        "gemiddeld": "middel", "redelijk": "middel", "hoog betrouwbaar": "hoog",
        "laag betrouwbaar": "laag"},
    "polarisation": {
        "tussen groepen": "horizontaal", "tegen overheid": "verticaal",
        "tegen de overheid": "verticaal", "allebei": "beide", "nee": "geen",
        "geen polarisatie": "geen"},
    "status": {
        "open": "nieuw", "in behandeling": "in_duiding", "bevestigd": "geverifieerd",
        "onbevestigd": "niet_bevestigd", "afgesloten": "gesloten", "klaar": "gesloten"},
    "reporter_role": {
        "agent": "wijkagent", "politie": "wijkagent", "boa": "handhaver",
        "leraar": "docent", "jongerenwerk": "jongerenwerker", "opbouwwerk": "opbouwwerker",
        "vrijwilliger": "bewoner", "winkelier": "ondernemer"},
    "category": {
        "klachten": "onvrede", "klacht": "onvrede", "geruchten": "geruchten_desinformatie",
        "desinformatie": "geruchten_desinformatie", "nepnieuws": "geruchten_desinformatie",
        "discriminatie": "haat_discriminatie", "haat": "haat_discriminatie",
        "bedreiging": "bedreiging_intimidatie", "intimidatie": "bedreiging_intimidatie",
        "oproep": "oproep_mobilisatie", "mobilisatie": "oproep_mobilisatie",
        "demonstratie": "collectieve_actie", "protest": "collectieve_actie",
        "rellen": "ordeverstoring", "vernieling": "ordeverstoring",
        "trigger": "aanleiding", "nul melding": "geen_bijzonderheden",
        "nulmelding": "geen_bijzonderheden", "geen bijzonderheden": "geen_bijzonderheden",
        "niets": "geen_bijzonderheden"},
}


def platform_name(value: str) -> str | None:
    """'telegram' -> 'Telegram'; None when the cell is a type, not a named platform."""
    found = PLATFORM_NAMES.get(word_key(value))
    return found[1] if found else None
