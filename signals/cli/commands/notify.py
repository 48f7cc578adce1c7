"""`notify [--loop]`: send the alerts waiting in the outbox (cron, or a service with --loop).

Run exactly one worker per deployment (README); a second one by mistake sends nothing twice.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from datetime import timedelta

from signals.cli.context import engine_with_schema
from signals.services.alert_worker import WorkerResult, run_loop, run_once

NAME = "notify"
HELP = ("Verstuur de meldingen uit de wachtrij (e-mail en webhook) en controleer dagelijks "
        "op onvoldoende zicht. Eenmalig voor cron, of blijvend met --loop.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--loop", action="store_true",
                        help="blijf draaien en kijk elke --interval seconden opnieuw")
    parser.add_argument("--interval", type=float, default=15.0,
                        help="seconden tussen twee rondes met --loop (standaard 15)")
    parser.add_argument("--lease-seconds", type=int, default=300,
                        help="hoe lang een worker een melding vasthoudt (standaard 300)")


def run(args: argparse.Namespace) -> int:
    engine = engine_with_schema()
    if args.interval <= 0 or args.lease_seconds <= 0:
        print("Fout: --interval en --lease-seconds moeten groter dan 0 zijn.", file=sys.stderr)
        return 1
    lease = timedelta(seconds=args.lease_seconds)
    if args.loop:
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        print(f"Meldingen-worker gestart; elke {args.interval:g} s. Stoppen met Ctrl+C.",
              flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            run_loop(engine, args.interval, lease, stop=lambda: bool(stopping), report=_report)
        return 0
    result = run_once(engine, lease=lease)
    if not result.email_configured:
        print("E-mail is niet ingesteld (WIJKSIGNALEN_SMTP_HOST of [smtp] in "
              ".streamlit/secrets.toml); e-mails blijven in de wachtrij.")
    print(f"Verzonden: {result.sent}. Mislukt (wordt later opnieuw geprobeerd): "
          f"{result.failed}.")
    for error in result.errors[:5]:
        print(f"  - {error}", file=sys.stderr)
    return 3 if result.failed else 0


def _report(result: WorkerResult) -> None:
    if result.sent:
        print(f"Verzonden: {result.sent}.", flush=True)
    for error in result.errors:
        print(f"Fout bij verzenden: {error}", file=sys.stderr, flush=True)
