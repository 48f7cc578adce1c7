"""What an alert says: the payload stored in the outbox, and the mail or webhook built from it.

A payload holds the wijk, the phase, fixed or rule-generated Dutch reasons and the page to
open; never description text, an action place or a reporter (docs/privacy.md). Managers and
the webhook get the reasons without counts (weekbeeld.manager_reason), like the weekbeeld.
"""

from __future__ import annotations

import hashlib
import os
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import urlencode

from signals.domain import PHASES, Role

BASE_URL_ENV = "WIJKSIGNALEN_BASE_URL"
FOOTER = ("U ontvangt dit bericht omdat u deze melding heeft aangezet of omdat uw rol die "
          "standaard krijgt. Wijzig dit onder Mijn account. De link opent na het inloggen.")


def payload(title: str, wijk_code: str | None, wijk_name: str | None, lines: list[str],
            page: str, params: dict[str, str], phase: int | None = None) -> dict:
    return {"title": title, "wijk_code": wijk_code, "wijk_name": wijk_name, "phase": phase,
            "phase_name": PHASES[phase].name if phase is not None else None,
            "lines": lines, "page": page, "params": params}


def wijk_page(role: Role, wijk_code: str, week: str) -> tuple[str, dict[str, str]]:
    """Coordinators open the wijk profile; managers the weekbeeld (they see no profile)."""
    if role == Role.MANAGER:
        return "weekbeeld", {"week": week}
    return "wijkprofiel", {"wijk": wijk_code}


def link(data: dict) -> str:
    """The deep link; absolute when WIJKSIGNALEN_BASE_URL is set (docs/authentication.md)."""
    base = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    query = f"?{urlencode(data.get('params') or {})}" if data.get("params") else ""
    return f"{base}/{data['page']}{query}"


def message_id(idempotency_key: str) -> str:
    """The same alert always gets the same Message-ID, so a resend is recognisable."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@wijksignalen>"


def email_message(sender: str, recipient: str, items: list[tuple[str, dict]],
                  pdfs: list[tuple[str, bytes]] | None = None) -> EmailMessage:
    """One mail for one alert, or a daily overview of several (key, payload) pairs; `pdfs`
    are attached as (file name, bytes)."""
    message = EmailMessage()
    if len(items) == 1:
        message["Subject"] = f"Wijksignalen: {items[0][1]['title']}"
    else:
        message["Subject"] = f"Wijksignalen: dagelijks overzicht ({len(items)} meldingen)"
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id("|".join(sorted(key for key, _ in items)))
    message.set_content("\n\n".join(body(data) for _, data in items) + f"\n\n-- \n{FOOTER}\n")
    for name, data in pdfs or []:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message


def body(data: dict) -> str:
    return "\n".join([data["title"], *data.get("lines", []), f"Bekijk: {link(data)}"])


def webhook_json(key: str, alert_type: str, data: dict) -> dict:
    return {"id": key, "type": alert_type, "title": data["title"],
            "wijk_code": data.get("wijk_code"), "wijk_name": data.get("wijk_name"),
            "phase": data.get("phase"), "phase_name": data.get("phase_name"),
            "reasons": data.get("lines", []), "link": link(data),
            "text": body(data)}
