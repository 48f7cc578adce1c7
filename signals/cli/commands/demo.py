"""`demo`: load the fictitious demo gemeente Lindeveen (deterministic, idempotent)."""

from __future__ import annotations

import argparse

from signals.cli.context import engine_with_schema
from signals.db.uow import run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.demo import load_demo
from signals.services.demo.flemish import load_flemish_demo
from signals.services.wijken import wijk_count

NAME = "demo"
HELP = "Laad de demogemeente Lindeveen (deterministisch per --seed, veilig om te herhalen)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=2026, help="toevalszaad (standaard 2026)")
    parser.add_argument("--if-empty", action="store_true",
                        help="alleen laden als de database nog geen wijken heeft")
    parser.add_argument("--vlaams", action="store_true",
                        help="voeg de Vlaamse demogemeente Scheldevoorde (NIS 46999) toe, met "
                             "eigen gebiedscodes in Belgian Lambert 72")


def run(args: argparse.Namespace) -> int:
    engine = engine_with_schema()
    if args.if_empty and wijk_count(engine) > 0:
        print("De database heeft al wijken; demo niet opnieuw geladen.")
        return 0
    result = load_demo(engine, seed=args.seed)
    print(f"Demo Lindeveen: {result.wijken} wijken, {result.users_created} nieuwe gebruikers, "
          f"{result.signals_created} nieuwe signalen ({result.signals_existing} bestonden al), "
          f"t/m de week van {result.anchor_week:%d-%m-%Y}.")
    if args.vlaams:
        flemish = run_write(engine, lambda s: load_flemish_demo(s, SYSTEM_ACTOR,
                                                                      seed=args.seed))
        print(f"Demo Scheldevoorde: {flemish.areas.created} nieuwe en "
              f"{flemish.areas.unchanged} bestaande gebieden, {flemish.users_created} nieuwe "
              f"gebruikers, {flemish.signals_created} nieuwe signalen. Coördinator alleen "
              "voor Scheldevoorde: coordinator_schelde.")
    return 0
