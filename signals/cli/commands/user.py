"""`user add|disable|enable|list`: accounts from the command line (runs as the system)."""

from __future__ import annotations

import argparse
import getpass
import sys

from signals.cli.context import engine_with_schema
from signals.db.uow import read_session, run_write
from signals.domain import REPORTER_ROLES, Role
from signals.errors import DomainError
from signals.services import users
from signals.services.actor import SYSTEM_ACTOR

NAME = "user"
HELP = "Gebruikers toevoegen, uit- of inschakelen en tonen."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTIE", required=True)
    add = sub.add_parser("add", help="voeg een gebruiker toe (wachtwoord via prompt of stdin)",
                         description="Voeg een gebruiker toe. Het wachtwoord wordt twee keer "
                                     "gevraagd, of met --password-stdin van stdin gelezen.")
    add.add_argument("username", metavar="GEBRUIKERSNAAM")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--wijk", dest="wijken", action="append", default=[], metavar="CODE",
                     help="wijkcode (herhaalbaar); nodig voor sleutelfiguren en coördinatoren")
    add.add_argument("--reporter-role", choices=list(REPORTER_ROLES), metavar="TYPE",
                     help="rol type van een sleutelfiguur: " + ", ".join(REPORTER_ROLES))
    add.add_argument("--password-stdin", action="store_true",
                     help="lees het wachtwoord van de eerste regel van stdin")
    add.add_argument("--email", help="e-mailadres voor inloggen via de organisatie (OIDC)")
    for name, text in (("disable", "schakel een gebruiker uit"),
                       ("enable", "schakel een gebruiker weer in")):
        action = sub.add_parser(name, help=text, description=text.capitalize() + ".")
        action.add_argument("username", metavar="GEBRUIKERSNAAM")
    sub.add_parser("list", help="toon alle gebruikers", description="Toon alle gebruikers.")


def run(args: argparse.Namespace) -> int:
    engine = engine_with_schema()
    if args.action == "list":
        with read_session(engine) as session:
            table = users.list_users(session, SYSTEM_ACTOR)
        table["laatst_ingelogd"] = table["laatst_ingelogd"].map(
            lambda t: t.strftime("%d-%m-%Y %H:%M") if t is not None else "")
        print(table.to_string(index=False) if not table.empty else "Geen gebruikers.")
        return 0
    if args.action in ("disable", "enable"):
        change = users.disable_user if args.action == "disable" else users.enable_user
        run_write(engine, lambda s: change(s, SYSTEM_ACTOR, args.username))
        state = "uitgeschakeld" if args.action == "disable" else "ingeschakeld"
        print(f"Gebruiker {args.username} is {state}.")
        return 0
    password = _read_password(args.password_stdin)
    run_write(engine, lambda s: users.add_user(
        s, SYSTEM_ACTOR, args.username, args.role, password, args.wijken, args.reporter_role,
        args.email))
    print(f"Gebruiker {args.username} toegevoegd als {args.role}.")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise DomainError("Geen wachtwoord op stdin ontvangen.")
        return password
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Herhaal wachtwoord: ") != first:
        raise DomainError("De wachtwoorden komen niet overeen; er is niets opgeslagen.")
    return first
