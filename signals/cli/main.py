"""Argument parsing and error handling shared by every command (one module per command)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from signals.cli.commands import (
    backup,
    demo,
    export_signals,
    export_wijken,
    import_signals,
    import_wijken,
    init,
    notify,
    phases,
    purge,
    report,
    terugblik,
    user,
)
from signals.errors import DomainError, ValidationError, first_errors

COMMANDS: tuple[ModuleType, ...] = (init, demo, import_wijken, phases, user, purge, backup,
                                    import_signals, export_signals, export_wijken,
                                    report, terugblik, notify)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m signals",
        description="Wijksignalen: beheer en geplande taken. De database komt uit DATABASE_URL "
                    "(standaard het SQLite-bestand data/wijksignalen.db).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", required=True)
    for module in COMMANDS:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ValidationError as exc:
        print(f"Fout: {len(exc.errors)} probleem/problemen gevonden, niets opgeslagen:",
              file=sys.stderr)
        shown, rest = first_errors(exc.errors)
        for error in shown:
            print(f"  - {error}", file=sys.stderr)
        if rest:
            print(f"  {rest}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0  # the reader (e.g. `| head`) closed the pipe; nothing left to say
    except OSError as exc:
        print(f"Fout: bestand niet te lezen of te schrijven: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        print(f"Fout: de database gaf een fout: {exc.orig}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"Fout: databaseprobleem: {exc}", file=sys.stderr)
        return 2
