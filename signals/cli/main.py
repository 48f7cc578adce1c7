"""Argument parsing and error handling shared by every command (one module per command)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from signals.errors import DomainError, ValidationError, first_errors

# Command name -> its module under signals/cli/commands, in the order of the help text. Only
# the module of the command that runs is imported (with the services it needs): a `user`
# command then does not load the report, backup and demo stacks, which cost seconds.
_MODULES = {"init": "init", "demo": "demo", "import-wijken": "import_wijken",
            "phases": "phases", "user": "user", "purge": "purge", "backup": "backup",
            "import": "import_signals", "export": "export_signals",
            "export-wijken": "export_wijken", "report": "report", "terugblik": "terugblik",
            "notify": "notify"}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"signals.cli.commands.{_MODULES[name]}")


def __getattr__(name: str) -> tuple[ModuleType, ...]:
    if name == "COMMANDS":  # every command's module, imported on first use
        return tuple(command_module(command) for command in _MODULES)
    raise AttributeError(name)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of just the one `argv` names."""
    parser = argparse.ArgumentParser(
        prog="python -m signals",
        description="Wijksignalen: beheer en geplande taken. De database komt uit DATABASE_URL "
                    "(standaard het SQLite-bestand data/wijksignalen.db).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", required=True)
    chosen = argv[0] if argv and argv[0] in _MODULES else None
    for name in [chosen] if chosen else list(_MODULES):
        module = command_module(name)
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
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
