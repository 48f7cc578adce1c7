"""`phases`: the proposed phase per wijk per ISO week, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session
from signals.engine.weeks import parse_week, week_label
from signals.errors import FieldError, ValidationError
from signals.services.actor import SYSTEM_ACTOR
from signals.services.phases import default_period, phase_table

NAME = "phases"
HELP = ("Toon de voorgestelde fase per wijk per ISO-week (standaard de laatste 12 weken "
        "t/m deze week).")
CSV_COLUMNS = ["wijk_code", "week", "phase", "phase_name", "nafase", "visibility", "score",
               "alarm", "reasons"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", metavar="JJJJ-Www", help="eerste week")
    parser.add_argument("--to", dest="last", metavar="JJJJ-Www", help="laatste week")
    parser.add_argument("--wijk", nargs="+", action="extend", metavar="CODE",
                        help="alleen deze wijk(en), bijvoorbeeld WK036301")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument("--effective", action="store_true",
                        help="de effectieve fase (besluit van de coördinator waar dat er is) "
                             "in plaats van het voorstel")


def run(args: argparse.Namespace) -> int:
    first, last = _period(args.first, args.last)
    with read_session(engine_with_schema()) as session:
        table = phase_table(session, SYSTEM_ACTOR, first, last, args.wijk)
    out = _output_frame(table, args.effective)
    if args.format == "csv":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        json.dump(out.to_dict("records"), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        _print_table(out)
    return 0


def _period(first: str | None, last: str | None):  # type: ignore[no-untyped-def]
    default_first, default_last = default_period()
    try:
        end = parse_week(last).date() if last else default_last
        start = parse_week(first).date() if first else (
            default_first if not last else end - (default_last - default_first))
    except ValueError as exc:
        raise ValidationError([FieldError("week", str(exc))]) from exc
    if start > end:
        raise ValidationError([FieldError("week", f"--from {week_label(start)} ligt na --to "
                                                  f"{week_label(end)}")])
    return start, end


def _output_frame(table: pd.DataFrame, effective: bool) -> pd.DataFrame:
    out = table.copy()
    if effective:
        out["phase"], out["phase_name"] = out["effective_phase"], out["effective_name"]
    out["score"] = out["score"].round(2)
    out["nafase"] = out["nafase"].map({True: "true", False: "false"})
    out["alarm"] = out["alarm"].map({True: "true", False: "false"})
    return out[CSV_COLUMNS]


def _print_table(out: pd.DataFrame) -> None:
    view = out.drop(columns=["reasons"]).assign(reasons=out["reasons"].str.slice(0, 90))
    print(view.to_string(index=False))
