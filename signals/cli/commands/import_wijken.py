"""`import-wijken FILE`: wijken from CSV (wijk_code, wijk_naam) or CBS GeoJSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.wijken import import_wijken

NAME = "import-wijken"
HELP = ("Importeer wijken uit CSV (wijk_code, wijk_naam) of GeoJSON van de CBS wijk- en "
        "buurtkaart. Alles of niets; bestaande wijken worden bijgewerkt.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="BESTAND", help=".csv, .geojson of .json")
    parser.add_argument("--gemeente", metavar="GMxxxx",
                        help="alleen wijken van deze gemeentecode (bij een landelijk bestand)")


def run(args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    result = run_write(engine_with_schema(), lambda session: import_wijken(
        session, SYSTEM_ACTOR, args.file.name, data, args.gemeente))
    print(f"Wijken geïmporteerd: {result.created} nieuw, {result.updated} bijgewerkt, "
          f"{result.unchanged} ongewijzigd.")
    return 0
