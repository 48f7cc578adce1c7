"""`terugblik`: how the proposed phases compared with decisions and history (all wijken)."""

from __future__ import annotations

import argparse

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session
from signals.services.actor import SYSTEM_ACTOR
from signals.services.terugblik import DEFAULT_WEEKS, Terugblik, period_text, terugblik

NAME = "terugblik"
HELP = ("Terugblik: voorstel tegenover besluiten van coördinatoren, hoe vroeg fase 2 kwam vóór "
        "een escalatie, en weken op fase 2 en 3 per wijk per jaar.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS, metavar="N",
                        help=f"de laatste N weken t/m deze week (standaard {DEFAULT_WEEKS})")
    parser.add_argument("--wijk", nargs="+", action="extend", metavar="CODE",
                        help="alleen deze wijk(en), bijvoorbeeld WK036301")


def run(args: argparse.Namespace) -> int:
    with read_session(engine_with_schema()) as session:
        result = terugblik(session, SYSTEM_ACTOR, max(args.weeks, 1), wijk_codes=args.wijk)
    print(report(result))
    return 0


def report(r: Terugblik) -> str:
    agreement = "—" if r.agreement is None else f"{r.agreement:.0%}"
    lead = "—" if r.median_lead is None else f"{r.median_lead:.0f}"
    lines = [
        f"Terugblik {period_text(r)}, {r.n_wijken} wijken",
        f"Besluiten: {r.decisions}; gelijk aan voorstel: {agreement}; hoger: {r.overrides_up}; "
        f"lager: {r.overrides_down}",
        f"Escalaties (fase 4): {len(r.lead_times)}; mediaan weken fase >= 2 vooraf: {lead}",
        f"Weken per wijk per jaar op fase >= 2: {r.per_year_phase2:.1f}; op fase >= 3: "
        f"{r.per_year_phase3:.1f}".replace(".", ","),
        "",
        "Per voorgestelde fase:",
        r.per_phase.to_string(index=False),
        "",
        "Escalaties:",
        r.lead_times.to_string(index=False) if len(r.lead_times) else "(geen)",
        "",
        "Per wijk:",
        r.per_wijk.to_string(index=False),
    ]
    return "\n".join(lines)
