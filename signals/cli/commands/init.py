"""`init`: create or upgrade the schema; safe to run any number of times."""

from __future__ import annotations

import argparse

from signals.db.engine import default_engine
from signals.services.schema import current_revision, upgrade_schema

NAME = "init"
HELP = "Maak het databaseschema aan of werk het bij (veilig om te herhalen)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    engine = default_engine()
    before = current_revision(engine)
    upgrade_schema(engine)
    after = current_revision(engine)
    if before == after:
        print(f"Schema is al actueel (revisie {after}).")
    else:
        print(f"Schema bijgewerkt van {before or 'leeg'} naar revisie {after}.")
    return 0
