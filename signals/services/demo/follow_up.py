"""What the demo's coordinator did after the warnings: Molenwijk's actions around its
escalation and the evaluation of its nafase, and Spoorzone's call on the risicokalender.

Offsets are weeks (and days) relative to the anchor week A, like the stories in
scenarios.py; everything goes through the services, except the Molenwijk evaluation,
which the coordinator writes in the nafase's last week (A), before the service would ask.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from signals.db.models import NafaseEvaluation, User
from signals.domain import CALL_TO_ACTION
from signals.services.actions import ActionInput, log_action
from signals.services.auth import actor_from_user
from signals.services.demo.scenarios import DemoSignal
from signals.services.evaluations import nafase_context
from signals.services.risk_calendar import MomentInput, add_moment

MOLEN, SPOOR = "WK990103", "WK990105"

# (weeks before A, day in that week, type, status, description, decision offset or None)
MOLEN_ACTIONS = (
    (7, 2, "netwerkgesprek", "uitgevoerd", "Netwerkgesprek met jongerenwerk, wijkagent en "
     "opbouwwerk over de geruchten rond het azc.", None),
    (6, 1, "kernteam_bob", "uitgevoerd", "Kernteam bijeen: beeld van de dreigementen, "
     "oordeel oplopend, besluit fase 2.", 6),
    (6, 3, "feitelijke_communicatie", "uitgevoerd", "Feitelijke informatie over het "
     "azc-besluit op de website en via de sleutelfiguren gedeeld.", 6),
    (5, 1, "driehoeksoverleg", "uitgevoerd", "Driehoek geïnformeerd over de geverifieerde "
     "oproep tot demonstratie bij het azc.", 5),
    (5, 2, "contact_initiatiefnemer", "uitgevoerd", "Contact met de organisatie van de "
     "oproep: afspraken over plek, tijd en route.", 5),
    (5, 4, "tegenboodschap", "uitgevoerd", "Sleutelfiguren en verenigingen brengen een "
     "tegenboodschap over het azc in de buurtapps.", 5),
    (4, 5, "zichtbare_aanwezigheid", "uitgevoerd", "Extra zichtbare aanwezigheid van "
     "politie en handhaving rond het azc in het weekend.", 4),
    (3, 2, "nazorg", "uitgevoerd", "Herstelgesprekken met omwonenden en ondernemers na de "
     "ongeregeldheden.", 3),
    (1, 3, "netwerkgesprek", "uitgevoerd", "Netwerkgesprek: hoe staat het met de onvrede "
     "na de nafase?", None),
)
MOLEN_EVALUATION = {
    "first_signal": "Onvrede en geruchten over het azc bij jongerenwerk en opbouwwerk, "
                    "weken voor de eerste dreigementen.",
    "keep": "Vroeg kernteam en het directe contact met de organisatie van de oproep.",
    "change": "Eerder feitelijk communiceren over het azc-besluit; de geruchten liepen "
              "weken voor.",
}


def record_follow_up(session: Session, coordinator: User, anchor: date, today: date,
                     decisions: dict[tuple[str, int], int], signals: list[DemoSignal]) -> None:
    actor = actor_from_user(coordinator)
    for weeks, day, kind, status, text, decided in MOLEN_ACTIONS:
        log_action(session, actor, ActionInput(
            MOLEN, kind, anchor - timedelta(weeks=weeks) + timedelta(days=day), status, text,
            decisions.get((MOLEN, decided)) if decided is not None else None), today=today)
    context = nafase_context(session, actor, MOLEN, anchor)
    session.add(NafaseEvaluation(wijk_id=_wijk_id(coordinator, MOLEN),
                                 nafase_end=anchor, escalation_week=context.escalation_week,
                                 lead_weeks=context.lead_weeks, created_by_id=coordinator.id,
                                 **MOLEN_EVALUATION))
    _spoorzone(session, actor, anchor, today, signals)


def _wijk_id(coordinator: User, code: str) -> int:
    return next(w.id for w in coordinator.wijken if w.code == code)


def _spoorzone(session: Session, actor, anchor: date, today: date,  # type: ignore[no-untyped-def]
               signals: list[DemoSignal]) -> None:
    calls = sorted((s.action_date, s.action_place or "") for s in signals
                   if s.wijk_code == SPOOR and s.category == CALL_TO_ACTION and s.action_date
                   and s.observed_on >= anchor)
    if calls:
        day, place = calls[0]
        add_moment(session, actor, MomentInput(
            day, "actiedatum_oproep", SPOOR, "jeugdgroepen", place,
            "Actiedatum van de oproep (nog niet geverifieerd)"), today=today)
        log_action(session, actor, ActionInput(
            SPOOR, "zichtbare_aanwezigheid", day, "gepland",
            "Zichtbare aanwezigheid op de actiedatum van de oproep."), today=today)
    add_moment(session, actor, MomentInput(
        anchor + timedelta(days=8), "raadsbesluit", None, "azc_asiel", "Raadzaal",
        "Raadsvergadering over de tweede opvanglocatie"), today=today)
