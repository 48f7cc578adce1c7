"""`purge [--dry-run]`: apply the retention period (docs/privacy.md); meant for a nightly job."""

from __future__ import annotations

import argparse

from signals.cli.context import engine_with_schema
from signals.db.uow import run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.retention import purge

NAME = "purge"
HELP = ("Verwijder omschrijvingen en koppelingen met melders van signalen ouder dan de "
        "bewaartermijn (standaard 12 maanden). Weekcijfers en fasebesluiten blijven.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true",
                        help="toon alleen wat er opgeschoond zou worden")


def run(args: argparse.Namespace) -> int:
    result = run_write(engine_with_schema(),
                       lambda s: purge(s, SYSTEM_ACTOR, dry_run=args.dry_run))
    verb = "Zou opschonen" if result.dry_run else "Opgeschoond"
    print(f"{verb}: {result.signals} signalen waargenomen vóór "
          f"{result.cutoff:%d-%m-%Y} (bewaartermijn {result.months} maanden).")
    print(f"  omschrijvingen verwijderd: {result.descriptions}")
    print(f"  koppelingen met melders verwijderd: {result.reporter_links}")
    print(f"  historieregels opgeschoond: {result.history_notes}")
    print(f"  auditregels over signalen zonder gebruikersnaam: {result.audit_events}")
    print(f"  acties zonder omschrijving en auteur: {result.actions}")
    print(f"  risicomomenten zonder plaats, onderwerp en auteur: {result.risk_moments}")
    if result.dry_run:
        print("Proefdraai: er is niets gewijzigd.")
    return 0
