"""Dutch labels, explanations and allowed ranges of every phase-rule setting (data/rules.toml).

The rules editor shows them as a form; validation errors name the setting by its label.
``low``/``high`` are the allowed range (None: no bound); ``open_range`` means both bounds are
excluded. The checks themselves live in signals/engine/rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingLabel:
    label: str
    help: str
    low: float | None = None
    high: float | None = None
    open_range: bool = False
    step: float = 0.1


SECTION_TITLES = {
    "score": "Score (gewicht van meldingen)",
    "signals": "Meldingen",
    "detection": "Eigen niveau van de wijk (EARS)",
    "change": "Verandering t.o.v. de vorige weken",
    "phase1": "Fase 1 · Sluimerend ongenoegen",
    "phase2": "Fase 2 · Oplopende spanningen",
    "phase3": "Fase 3 · Dreigende escalatie",
    "phase4": "Fase 4 · Escalatie openbare ruimte",
    "dynamics": "Afschalen en nafase",
    "visibility": "Zicht",
    "context": "Context (risicokalender)",
}

_WEIGHT = "Gewicht (minstens 0) waarmee de score van een melding wordt vermenigvuldigd."
LABELS: dict[str, SettingLabel] = {
    "score.reliability.hoog": SettingLabel("Betrouwbaarheid hoog", _WEIGHT, 0),
    "score.reliability.middel": SettingLabel("Betrouwbaarheid middel", _WEIGHT, 0),
    "score.reliability.laag": SettingLabel("Betrouwbaarheid laag", _WEIGHT, 0),
    "score.reliability.onbekend": SettingLabel(
        "Betrouwbaarheid onbekend", _WEIGHT + " Geldt voor imports zonder betrouwbaarheid.", 0),
    "score.reach.individu": SettingLabel("Bereik individu", _WEIGHT, 0),
    "score.reach.klein": SettingLabel("Bereik klein (<10)", _WEIGHT, 0),
    "score.reach.middel": SettingLabel("Bereik middel (10-50)", _WEIGHT, 0),
    "score.reach.groot": SettingLabel("Bereik groot (>50)", _WEIGHT, 0),
    "score.recency_last_week": SettingLabel(
        "Aandeel van vorige week", "Welk deel van de score van vorige week meetelt "
        "(0 = alleen deze week, 1 = beide weken volledig).", 0, 1),
    "score.weerbaarheid_weight": SettingLabel(
        "Aftrek per weerbaarheidsmelding", "Zoveel punten trekt elke positieve melding af van "
        "de score van haar week.", 0),
    "score.repeat_weight": SettingLabel(
        "Gewicht van herhaalde meldingen", "Verdere meldingen van dezelfde sleutelfiguur in "
        "dezelfde week tellen voor dit deel (1 = volledig).", 0, 1),
    "signals.ignore_niet_bevestigd": SettingLabel(
        "Niet-bevestigde meldingen negeren", "Meldingen die een coördinator als 'niet "
        "bevestigd' markeerde tellen nergens mee."),
    "signals.timeliness_days": SettingLabel(
        "Tijdig binnen (dagen)", "Een melding is tijdig als ze binnen zoveel dagen na de "
        "waarneming is vastgelegd.", 0, step=1),
    "detection.method": SettingLabel(
        "Methode", "C1: de vorige weken; C2: idem, maar de 2 recentste weken overgeslagen; "
        "C3: C2 opgeteld over drie weken."),
    "detection.baseline": SettingLabel(
        "Aantal referentieweken", "Met zoveel eerdere weken van dezelfde wijk wordt vergeleken.",
        3, 104, step=1),
    "detection.alpha": SettingLabel(
        "Strengheid (alpha)", "Kans op een vals alarm per week; kleiner is strenger "
        "(0,001 = 3,09 standaardafwijkingen).", 0, 1, open_range=True, step=0.001),
    "detection.min_sigma": SettingLabel(
        "Minimale spreiding (punten)", "Ondergrens voor de spreiding, zodat een stille wijk "
        "niet op ruis alarmeert.", 0),
    "detection.dispersion_floor": SettingLabel(
        "Spreidingsfactor drukke wijken", "De spreiding is minstens deze factor × de wortel "
        "van het gemiddelde; 0 schakelt dit uit.", 0),
    "change.window": SettingLabel(
        "Vergelijkingsweken", "Het aantal meldingen wordt vergeleken met het gemiddelde van "
        "zoveel vorige weken.", 1, 104, step=1),
    "change.low_mean": SettingLabel(
        "Laag gemiddelde", "Bij een gemiddelde tot dit aantal én weinig meldingen heet de "
        "verandering 'beperkt'.", 0),
    "change.low_count": SettingLabel(
        "Weinig meldingen", "Tot zoveel meldingen deze week geldt de bescherming tegen kleine "
        "aantallen.", 0, step=1),
    "change.large_increase": SettingLabel("Sterke toename vanaf (%)", "Grens in procenten.",
                                          step=1),
    "change.moderate_increase": SettingLabel("Matige toename vanaf (%)", "Grens in procenten.",
                                             step=1),
    "change.large_decrease": SettingLabel("Sterke afname vanaf (%)", "Grens in procenten "
                                          "(negatief).", step=1),
    "phase1.min_score": SettingLabel(
        "Minimale score", "Fase 1 vraagt onrustmeldingen en een score boven deze waarde.", 0),
    "phase2.min_reporters": SettingLabel(
        "Minimaal aantal sleutelfiguren", "Zoveel verschillende sleutelfiguren moeten de "
        "ernstige meldingen of het aanhoudende thema hebben gemeld, of de onrust offline "
        "hebben gezien (voor een hoge score).", 1, step=1),
    "phase2.score_min_reporters": SettingLabel(
        "Sleutelfiguren voor de score (online)", "Zagen minder sleutelfiguren dan het minimum "
        "de onrust offline, dan moeten zoveel sleutelfiguren in totaal onrust hebben gemeld "
        "voordat een hoge score fase 2 geeft (wie alleen online iets zag, zag misschien "
        "hetzelfde bericht).", 1, step=1),
    "phase2.severe_dispersion_floor": SettingLabel(
        "Spreidingsfactor ernstige meldingen", "De spreiding van het aantal ernstige meldingen "
        "is minstens deze factor × de wortel van het gebruikelijke aantal; 0 schakelt dit uit.",
        0),
    "phase2.theme_min_signals": SettingLabel(
        "Aanhoudend thema: minimaal aantal meldingen", "Zoveel onrustmeldingen over één thema "
        "in deze en vorige week (in beide weken minstens één) geven fase 2, als dat meer is "
        "dan gebruikelijk voor de wijk.", 1, step=1),
    "phase2.theme_alpha": SettingLabel(
        "Strengheid aanhoudend thema (alpha)", "Hoe duidelijk het aantal meldingen over één "
        "thema boven het gebruikelijke van de wijk moet uitkomen; kleiner is strenger "
        "(0,0001 = 3,72 standaardafwijkingen).", 0, 1, open_range=True, step=0.0001),
    "phase2.min_excess": SettingLabel(
        "Minimale stijging (punten)", "De score moet minstens zoveel punten boven het "
        "gebruikelijke niveau van de wijk liggen.", 0),
    "phase2.severe_alpha": SettingLabel(
        "Strengheid ernstige meldingen (alpha)", "Hoe duidelijk ernstige meldingen boven het "
        "gebruikelijke aantal van de wijk moeten uitkomen; kleiner is strenger.", 0, 1,
        open_range=True, step=0.001),
    "phase2.severe_min_sigma": SettingLabel(
        "Minimale spreiding ernstige meldingen", "Ondergrens voor de spreiding van het aantal "
        "ernstige meldingen (in meldingen).", 0),
    "phase2.verified_min_severity": SettingLabel(
        "Ernst geverifieerde melding", "Eén geverifieerde ernstige melding van minstens deze "
        "ernst geeft fase 2.", 1, 5, step=1),
    "phase3.call_horizon_days": SettingLabel(
        "Horizon oproep (dagen)", "De actiedatum van de oproep valt binnen zoveel dagen na "
        "deze week.", 0, 365, step=1),
    "phase3.min_reporters": SettingLabel(
        "Minimaal aantal sleutelfiguren", "Een niet-geverifieerde oproep moet door zoveel "
        "sleutelfiguren zijn gemeld.", 1, step=1),
    "phase3.min_offline_reporters": SettingLabel(
        "Waarvan offline", "Zoveel van hen moeten de oproep offline hebben gezien.", 0, step=1),
    "phase4.min_severity": SettingLabel(
        "Minimale ernst ordeverstoring", "Ordeverstoring van minstens deze ernst.", 1, 5, step=1),
    "phase4.min_reporters": SettingLabel(
        "Minimaal aantal sleutelfiguren", "Zonder verificatie: gemeld door zoveel "
        "sleutelfiguren in dezelfde week.", 1, step=1),
    "dynamics.max_drop_per_week": SettingLabel(
        "Maximale daling per week", "De voorgestelde fase daalt hoogstens zoveel per week.",
        1, 4, step=1),
    "dynamics.nafase_weeks": SettingLabel(
        "Duur nafase (weken)", "Zo lang na fase 4 draagt de wijk de vlag Nafase.", 0, 52, step=1),
    "dynamics.nafase_min_phase": SettingLabel(
        "Minimale fase in de nafase", "In de nafase is het voorstel minstens deze fase.", 0, 3,
        step=1),
    "visibility.min_reporting_rate": SettingLabel(
        "Minimaal meldingspercentage", "Onder dit deel van de verwachte sleutelfiguren krijgt "
        "de week 'Onvoldoende zicht' (0,5 = 50%).", 0, 1),
    "context.risk_moment_weight": SettingLabel(
        "Gewicht risicomoment (punten)", "Met een risicomoment binnen 14 dagen telt de score "
        "zoveel punten hoger bij de drempels van fase 1 en 2; de eisen aan het aantal "
        "sleutelfiguren blijven. 0 = uit: het moment wordt alleen genoemd. Hoogstens 2.",
        0, 2),
}


def label_of(path: str) -> str:
    """The Dutch label of a setting, with its section: "Fase 2 · Minimale stijging (punten)"."""
    known = LABELS.get(path)
    if known is None:
        return path
    section = SECTION_TITLES.get(path.split(".", 1)[0], "")
    return f"{section.split(' (')[0]}: {known.label}" if section else known.label


def range_text(path: str) -> str:
    spec = LABELS.get(path)
    if spec is None or (spec.low is None and spec.high is None):
        return ""
    low, high = (f"{v:g}".replace(".", ",") if v is not None else None
                 for v in (spec.low, spec.high))
    if spec.open_range:
        return f"groter dan {low} en kleiner dan {high}"
    if high is None:
        return f"minstens {low}"
    return f"{low} tot en met {high}"
