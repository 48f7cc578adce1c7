"""Delivery channels: SMTP (STARTTLS and login) and an optional HMAC-signed JSON webhook.

Settings come from environment variables, else from the [smtp] and [webhook] tables of
.streamlit/secrets.toml; never from the database, so no password is stored in clear text
there. Without a mail server the app works as before and alerts wait in the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any

from signals.config import PROJECT_ROOT

SECRETS_FILES = (PROJECT_ROOT / ".streamlit" / "secrets.toml",
                 Path.home() / ".streamlit" / "secrets.toml")
SIGNATURE_HEADER = "X-Wijksignalen-Signature"
TIMESTAMP_HEADER = "X-Wijksignalen-Timestamp"
ID_HEADER = "X-Wijksignalen-Id"
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    username: str | None
    password: str | None
    starttls: bool
    ca_file: str | None  # a private CA (or a test server's certificate)


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret: str


def smtp_settings() -> SmtpSettings | None:
    """None when no mail server is configured."""
    host = _setting("smtp", "host")
    if not host:
        return None
    return SmtpSettings(host=host, port=int(_setting("smtp", "port") or 587),
                        sender=_setting("smtp", "from") or "wijksignalen@localhost",
                        username=_setting("smtp", "user"), password=_setting("smtp", "password"),
                        starttls=(_setting("smtp", "starttls") or "true").lower() != "false",
                        ca_file=_setting("smtp", "ca_file"))


def webhook_settings() -> WebhookSettings | None:
    url, secret = _setting("webhook", "url"), _setting("webhook", "secret")
    return WebhookSettings(url, secret) if url and secret else None


def webhook_configured() -> bool:
    return webhook_settings() is not None


class Mailer:
    """One SMTP connection for a batch of mails, opened on the first and dropped on an error
    (the next mail reconnects); close() at the end of the batch."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.smtp = smtp
        self._client: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Raises OSError or smtplib.SMTPException when the server does not accept it."""
        try:
            if self._client is None:
                self._client = self._connect()
            self._client.send_message(message)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def _connect(self) -> smtplib.SMTP:
        client = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=TIMEOUT_SECONDS)
        try:
            client.ehlo()
            if self.smtp.starttls:
                client.starttls(context=ssl.create_default_context(cafile=self.smtp.ca_file))
                client.ehlo()
            if self.smtp.username:
                client.login(self.smtp.username, self.smtp.password or "")
        except BaseException:
            client.close()
            raise
        return client


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex: what a receiver recomputes."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def send_webhook(hook: WebhookSettings, key: str, data: dict[str, Any]) -> None:
    """POST the JSON; raises OSError (urllib's errors are OSErrors) on a non-2xx answer."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(hook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", TIMESTAMP_HEADER: stamp, ID_HEADER: key,
        SIGNATURE_HEADER: sign(hook.secret, stamp, body)})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
        if not 200 <= answer.status < 300:
            raise OSError(f"webhook antwoordde met status {answer.status}")


def _setting(table: str, name: str) -> str | None:
    value = os.environ.get(f"WIJKSIGNALEN_{table}_{name}".upper(), "").strip()
    if value:
        return value
    stored = _secrets().get(table, {})
    value = stored.get(name) if isinstance(stored, dict) else None
    return str(value).strip() or None if value is not None else None


@cache  # read once per process, like Streamlit's own secrets
def _secrets() -> dict[str, Any]:
    for path in SECRETS_FILES:
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return {}
