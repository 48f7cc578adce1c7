"""`import FILE`: signals from CSV or XLSX (docs/formats.md), all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session, run_write
from signals.errors import first_errors
from signals.services.actor import SYSTEM_ACTOR
from signals.services.signal_import import import_signals, preview_import

NAME = "import"
HELP = ("Importeer signalen uit CSV (; of ,, UTF-8 of Windows-1252) of XLSX met de kolommen "
        "van de export. Alles of niets; opnieuw importeren met hetzelfde external_id werkt "
        "bestaande signalen bij.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="BESTAND", help=".csv of .xlsx")
    parser.add_argument("--controleer", action="store_true",
                        help="alleen controleren en de samenvatting tonen; niets opslaan")
    parser.add_argument("--bevestig-persoonsgegevens", metavar="REDEN", dest="reason",
                        help="persoonsgegevens in vrije tekst bewust importeren, met deze "
                             "reden (wordt vastgelegd)")
    parser.add_argument("--bevestig-nieuwe-melders", action="store_true",
                        dest="confirm_reporters",
                        help="meer nieuwe melders registreren dan de ingestelde grens "
                             "(standaard 50); bekijk de lijst eerst met --controleer")


def run(args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    engine = engine_with_schema()
    if args.controleer:
        with read_session(engine) as session:
            preview = preview_import(session, SYSTEM_ACTOR, args.file.name, data)
        if not preview.ok:
            _print_errors(preview.errors_frame())
            return 1
        _print_summary("Controle geslaagd, er is niets opgeslagen", preview.summary)
        if not preview.personal_data.empty:
            print(f"Let op: {len(preview.personal_data)} mogelijke persoonsgegevens; importeer "
                  "met --bevestig-persoonsgegevens REDEN of haal ze weg.")
        if preview.summary.needs_reporter_confirmation:
            print(f"Let op: meer dan {preview.summary.new_reporter_limit} nieuwe melders; "
                  "importeer met --bevestig-nieuwe-melders als de lijst klopt.")
        return 0
    summary = run_write(engine, lambda session: import_signals(
        session, SYSTEM_ACTOR, args.file.name, data, args.reason, _progress,
        confirm_new_reporters=args.confirm_reporters))
    _print_summary("Signalen geïmporteerd", summary)
    return 0


def _progress(fraction: float, text: str) -> None:
    print(f"  {fraction:4.0%} {text}", file=sys.stderr)


def _print_errors(errors) -> None:  # type: ignore[no-untyped-def]
    print(f"Fout: {len(errors)} probleem/problemen gevonden, niets opgeslagen:", file=sys.stderr)
    listed, rest = first_errors(list(errors.itertuples()))
    for error in listed:
        where = f"rij {int(error.rij)}, " if error.rij == error.rij and error.rij else ""
        print(f"  - {where}{error.kolom}: {error.melding}", file=sys.stderr)
    if rest:
        print(f"  {rest}", file=sys.stderr)


def _print_summary(title: str, summary) -> None:  # type: ignore[no-untyped-def]
    print(f"{title}: {summary.rows} rijen; {summary.created} nieuw, {summary.updated} "
          f"bijgewerkt, {summary.unchanged} ongewijzigd.")
    if summary.new_reporters:
        shown = len(summary.new_reporters) if summary.needs_reporter_confirmation else 20
        names = ", ".join(summary.new_reporters[:shown])
        more = f" en {len(summary.new_reporters) - shown} meer" \
            if len(summary.new_reporters) > shown else ""
        print(f"Nieuwe sleutelfiguren geregistreerd (zonder wachtwoord): "
              f"{len(summary.new_reporters)}: {names}{more}")
    if summary.purged_message():
        print(summary.purged_message())
    if summary.without_external_id:
        print(f"Let op: {summary.without_external_id} rijen zonder external_id; opnieuw "
              "importeren maakt die dubbel aan.")
