"""`backup FILE`: a consistent online copy (SQLite), or the pg_dump command (PostgreSQL)."""

from __future__ import annotations

import argparse
from pathlib import Path

from signals.cli.context import engine_with_schema
from signals.db.engine import default_engine, is_sqlite
from signals.services.backup import backup_sqlite, pg_dump_command, pg_restore_command

NAME = "backup"
HELP = ("Maak een consistente back-up terwijl de app draait (SQLite), of toon het pg_dump-"
        "commando (PostgreSQL).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="BESTAND", help="het back-upbestand")
    parser.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")


def run(args: argparse.Namespace) -> int:
    engine = default_engine()
    if not is_sqlite(engine):  # only prints a command: no connection needed
        url = engine.url.render_as_string(hide_password=True)
        print("PostgreSQL: maak de back-up met pg_dump (het wachtwoord staat hier niet in; "
              "geef het via PGPASSWORD of ~/.pgpass):")
        print(f"  {pg_dump_command(url, args.file)}")
        print("Terugzetten in een lege database:")
        print(f"  {pg_restore_command(url, args.file)}")
        return 0
    result = backup_sqlite(engine_with_schema(), args.file, overwrite=args.force)
    print(f"Back-up gemaakt: {result.path} ({result.size_bytes / 1_048_576:.1f} MB, "
          f"{result.rows.get('signals', 0)} signalen, {result.rows.get('users', 0)} "
          "gebruikers). Alleen leesbaar voor de eigenaar; bewaar hem even veilig als de "
          "database.")
    return 0
