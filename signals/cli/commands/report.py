"""`report`: the weekly report as PDF or XLSX, for scheduled mailing to managers."""

from __future__ import annotations

import argparse
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.uow import run_write
from signals.engine.weeks import parse_week
from signals.errors import FieldError, ValidationError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.report import export_report, report_format
from signals.services.weekbeeld import PERIODS

NAME = "report"
HELP = ("Maak het weekrapport (PDF of XLSX) zoals managers het zien: alleen totalen, "
        "aantallen onder 5 als <5. Standaard de huidige week.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--week", metavar="JJJJ-Www", help="de week, bijvoorbeeld 2026-W47")
    parser.add_argument("--weeks", type=int, choices=PERIODS, default=12,
                        help="aantal weken in de faseheatmap (standaard 12)")
    parser.add_argument("-o", "--output", required=True, metavar="BESTAND",
                        help="uitvoerbestand, eindigend op .pdf of .xlsx")


def run(args: argparse.Namespace) -> int:
    fmt = report_format(args.output)
    try:
        week = parse_week(args.week).date() if args.week else None
    except ValueError as exc:
        raise ValidationError([FieldError("week", str(exc))]) from exc
    report = run_write(engine_with_schema(), lambda session: export_report(
        session, SYSTEM_ACTOR, fmt, week, args.weeks))
    Path(args.output).write_bytes(report.data)
    print(f"Weekrapport {report.filename.removeprefix('weekrapport-').split('.')[0]} "
          f"geschreven naar {args.output} ({len(report.data) // 1024 + 1} kB).")
    return 0
