"""`import-wijken FILE`: areas from GeoJSON, TopoJSON, a zipped Shapefile, a GeoPackage or CSV.

The changes are shown first (new, renamed, changed shape, missing). Missing areas are kept or
retired as asked; without a choice the command refuses and lists them. All or nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session, run_write
from signals.errors import DomainError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.area_codes import ColumnChoice
from signals.services.wijken import (
    ImportOptions,
    WijkImportPlan,
    import_wijken,
    plan_wijk_import,
)

NAME = "import-wijken"
HELP = ("Importeer gebieden (wijken, buurten, sectoren of eigen gebieden) uit GeoJSON, "
        "TopoJSON, een shapefile-zip, een GeoPackage of CSV (alleen namen). Toont eerst de "
        "wijzigingen; alles of niets.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="BESTAND",
                        help=".geojson, .json, .topojson, .zip, .gpkg of .csv")
    parser.add_argument("--gemeente", metavar="CODE",
                        help="alleen gebieden van deze gemeente (GMxxxx of NIS-code); noemt "
                             "het bestand geen gemeente, dan horen alle gebieden erbij")
    parser.add_argument("--code-kolom", metavar="KOLOM", help="kolom met de gebiedscode")
    parser.add_argument("--naam-kolom", metavar="KOLOM", help="kolom met de naam")
    parser.add_argument("--gemeente-kolom", metavar="KOLOM", help="kolom met de gemeentecode")
    parser.add_argument("--laag", metavar="LAAG", help="laag in een GeoPackage of TopoJSON")
    parser.add_argument("--crs", metavar="EPSG:xxxx",
                        help="coördinatenstelsel als het bestand er geen noemt")
    parser.add_argument("--controleer", action="store_true",
                        help="alleen de wijzigingen tonen, niets opslaan")
    parser.add_argument("--ontbrekend", choices=("behouden", "intrekken"),
                        help="wat met gebieden die niet meer in het bestand staan")
    parser.add_argument("--intrekken", metavar="CODE", action="append", default=[],
                        help="trek dit ontbrekende gebied in (herhaalbaar); andere blijven")


def run(args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    options = ImportOptions(
        columns=ColumnChoice(args.code_kolom, args.naam_kolom, args.gemeente_kolom),
        gemeente=args.gemeente, layer=args.laag, crs=args.crs)
    engine = engine_with_schema()
    with read_session(engine) as session:
        plan = plan_wijk_import(session, SYSTEM_ACTOR, args.file.name, data, options)
    print_plan(plan)
    if args.controleer:
        return 0
    missing = [code for code, _ in plan.missing]
    if args.ontbrekend == "intrekken":
        retire = missing
    elif args.ontbrekend == "behouden" or args.intrekken:
        retire = args.intrekken
    elif missing:
        raise DomainError(f"{len(missing)} gebied(en) staan niet meer in het bestand. Kies "
                          "--ontbrekend behouden, --ontbrekend intrekken of --intrekken CODE; "
                          "er is niets opgeslagen.")
    else:
        retire = []
    result = run_write(engine, lambda session: import_wijken(
        session, SYSTEM_ACTOR, args.file.name, data, options, retire))
    print(f"Gebieden geïmporteerd: {result.created} nieuw, {result.updated} bijgewerkt, "
          f"{result.unchanged} ongewijzigd, {result.retired} ingetrokken.")
    return 0


def print_plan(plan: WijkImportPlan) -> None:
    for note in plan.notes:
        print(note)
    print(f"Wijzigingen: {len(plan.new)} nieuw, {len(plan.renamed)} hernoemd, "
          f"{len(plan.reshaped)} andere grens, {len(plan.returning)} terug, "
          f"{plan.unchanged} ongewijzigd, {len(plan.missing)} ontbreken.")
    for code, old, new in plan.renamed[:50]:
        print(f"  hernoemd: {code} {old} -> {new}")
    for code, name in plan.missing:
        print(f"  ontbreekt: {code} {name}")
