"""`export-wijken -o FILE.geojson [--week JJJJ-Www]`: the areas for GIS (QGIS), in WGS84."""

from __future__ import annotations

import argparse
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import run_write
from signals.engine.weeks import parse_week
from signals.errors import FieldError, ValidationError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.wijk_export import wijken_geojson_file

NAME = "export-wijken"
HELP = ("Exporteer de actieve gebieden als GeoJSON (WGS84) met code, naam en gemeente, "
        "optioneel met de effectieve fase van een week. Te openen in QGIS.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND.geojson")
    parser.add_argument("--week", metavar="JJJJ-Www", help="voeg de effectieve fase toe")


def run(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() not in (".geojson", ".json"):
        raise ValidationError([FieldError("-o", "het bestand moet eindigen op .geojson")])
    try:
        week = parse_week(args.week).date() if args.week else None
    except ValueError as exc:
        raise ValidationError([FieldError("week", str(exc))]) from exc
    data, count = run_write(engine_with_schema(), lambda session: wijken_geojson_file(
        session, SYSTEM_ACTOR, week))
    args.output.write_bytes(data)
    print(f"{count} gebieden geschreven naar {args.output}.")
    return 0
