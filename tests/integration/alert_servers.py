"""Real local receivers for the alert tests: an SMTP server (aiosmtpd, STARTTLS and login
required) and an HTTP server that checks the webhook's HMAC signature."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER, SMTP_PASSWORD = "wijkmail", "geheim-wachtwoord"
WEBHOOK_SECRET = "webhook-geheim"


@dataclass
class Inbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)
    on_message: Callable[[int], str | None] | None = None  # may refuse with an SMTP reply
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd)
        with self.lock:
            if self.on_message is not None:
                refusal = self.on_message(len(self.messages) + 1)
                if refusal:
                    return refusal
            self.messages.append((list(envelope.rcpt_tos),
                                  email.message_from_bytes(envelope.content)))
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for _, m in self.messages]


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
          and auth_data.password == SMTP_PASSWORD.encode())
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


def start_smtp(cert: Path, key: Path, monkeypatch: pytest.MonkeyPatch
               ) -> tuple[Inbox, Controller, dict[str, str]]:
    inbox = Inbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=_authenticate,
                            auth_required=True)
    controller.start()
    env = {"WIJKSIGNALEN_SMTP_HOST": "127.0.0.1", "WIJKSIGNALEN_SMTP_PORT": str(port),
           "WIJKSIGNALEN_SMTP_USER": SMTP_USER, "WIJKSIGNALEN_SMTP_PASSWORD": SMTP_PASSWORD,
           "WIJKSIGNALEN_SMTP_FROM": "wijksignalen@gemeente.test",
           "WIJKSIGNALEN_SMTP_CA_FILE": str(cert),
           "WIJKSIGNALEN_BASE_URL": "https://wijksignalen.gemeente.test"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return inbox, controller, env


@dataclass
class Hooks:
    received: list[dict] = field(default_factory=list)
    bad_signatures: int = 0


def start_webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hooks]:
    hooks = Hooks()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers["X-Wijksignalen-Timestamp"]
            expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), stamp.encode() + b"."
                                            + body, hashlib.sha256).hexdigest()
            if hmac.compare_digest(expected, self.headers["X-Wijksignalen-Signature"] or ""):
                hooks.received.append(json.loads(body))
                self.send_response(204)
            else:
                hooks.bad_signatures += 1
                self.send_response(401)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("WIJKSIGNALEN_WEBHOOK_URL",
                       f"http://127.0.0.1:{server.server_address[1]}/hook")
    monkeypatch.setenv("WIJKSIGNALEN_WEBHOOK_SECRET", WEBHOOK_SECRET)
    yield hooks
    server.shutdown()
    server.server_close()
