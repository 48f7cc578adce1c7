"""`export [filters] -o FILE`: signals to CSV (;, UTF-8 with BOM) or XLSX, import's columns."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session, run_write
from signals.services.actor import SYSTEM_ACTOR
from signals.services.signal_export import export_signals
from signals.services.signal_filter import SignalFilter, check_codes, wijk_ids_for_codes

NAME = "export"
HELP = ("Exporteer signalen naar CSV (; en UTF-8 met BOM, opent direct in Excel) of XLSX, met "
        "dezelfde kolommen als de import. Formules in cellen worden onschadelijk gemaakt.")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; gebruik JJJJ-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    many = {"action": "extend", "nargs": "+", "default": []}
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND",
                        help="doelbestand, .csv of .xlsx")
    parser.add_argument("--wijk", metavar="CODE", help="CBS-wijkcode(s)", **many)
    parser.add_argument("--from", dest="date_from", type=_date, metavar="JJJJ-MM-DD",
                        help="waargenomen vanaf (inclusief)")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="JJJJ-MM-DD",
                        help="waargenomen tot en met")
    parser.add_argument("--category", metavar="CODE", help="categoriecode(s)", **many)
    parser.add_argument("--theme", metavar="CODE", help="themacode(s)", **many)
    parser.add_argument("--status", metavar="CODE", help="status(sen)", **many)


def run(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix not in ("csv", "xlsx"):
        print("Fout: het doelbestand moet eindigen op .csv of .xlsx.", file=sys.stderr)
        return 1
    engine = engine_with_schema()
    with read_session(engine) as session:
        flt = SignalFilter(
            wijk_ids=wijk_ids_for_codes(session, args.wijk) if args.wijk else (),
            categories=tuple(args.category), themes=tuple(args.theme),
            statuses=tuple(args.status), date_from=args.date_from, date_to=args.date_to)
        check_codes(session, flt)
    exported = run_write(engine, lambda session: export_signals(
        session, SYSTEM_ACTOR, flt, suffix, args.output.name))  # type: ignore[arg-type]
    args.output.write_bytes(exported.data)
    print(f"{exported.rows} signalen geëxporteerd naar {args.output}.")
    return 0
