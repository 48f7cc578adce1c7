"""HTTP routes and middleware that give the browser its session cookie (see server.py).

A Streamlit run talks over a WebSocket and cannot set a cookie, so the login form sends the
browser to `START_PATH` with a one-time code; this route spends the code, sets the
HttpOnly session cookie and redirects to the page the user wanted. No page script ever
sees or sets the token (docs/architecture.md, "Sessions").

Login CSRF: a code is bound to the browser's binding cookie, set by `BindingCookieMiddleware`
on the first page load, so a code made for another browser is refused; a cross-site request
(Sec-Fetch-Site) is refused as well.
"""

from __future__ import annotations

import re
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from signals.config import secure_cookie_setting
from signals.db.engine import default_engine
from signals.db.uow import run_write
from signals.services import user_sessions

SESSION_COOKIE = "wijksignalen_sessie"
BINDING_COOKIE = "wijksignalen_browser"
START_PATH = "/api/sessie/start"
END_PATH = "/api/sessie/einde"
STREAMLIT_LOGOUT_PATH = "/auth/logout"
# A page key and its query string; nothing that could leave this site ("//", scheme, "\").
SAFE_TARGET = re.compile(r"^[a-z0-9_]*(\?[A-Za-z0-9_.~%=&+-]*)?$")


def safe_target(target: str) -> str:
    """`target` if it is a page of this app (relative to its root), else the start page."""
    return target if SAFE_TARGET.fullmatch(target) else ""


def start_session(request: Request) -> Response:
    code = request.query_params.get("code", "")
    binding = request.cookies.get(BINDING_COOKIE, "")
    result = None
    if code and binding and not _cross_site(request):
        result = run_write(default_engine(), lambda session: user_sessions.redeem(
            session, code, binding, request.cookies.get(SESSION_COOKIE)))
    if result is None:
        return _redirect(request, "")
    token, target = result
    response = _redirect(request, safe_target(target))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=_secure(request), path=_base(request) or "/")
    return response


def end_session(request: Request) -> Response:
    """Drop the cookie (the page already revoked the session) and go to the start page, or
    on to Streamlit's OIDC logout when the user came in through the identity provider."""
    if _cross_site(request):
        return _redirect(request, "")
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        run_write(default_engine(), lambda session: user_sessions.revoke(session, token))
    after = STREAMLIT_LOGOUT_PATH.lstrip("/") if request.query_params.get("sso") else ""
    response = _redirect(request, after)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax",
                           secure=_secure(request), path=_base(request) or "/")
    return response


ROUTES = [Route(START_PATH, start_session, methods=["GET"]),
          Route(END_PATH, end_session, methods=["GET"])]


class BindingCookieMiddleware:
    """Give every browser a random binding cookie on its first page load (HttpOnly)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or BINDING_COOKIE in Request(scope).cookies:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        header = _cookie_header(BINDING_COOKIE, secrets.token_urlsafe(32), _secure(request),
                                _base(request) or "/")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"set-cookie", header)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie_header(name: str, value: str, secure: bool, path: str) -> bytes:
    response = Response()
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, path=path)
    return response.headers["set-cookie"].encode("latin-1")


def _cross_site(request: Request) -> bool:
    return request.headers.get("sec-fetch-site", "") == "cross-site"


def _secure(request: Request) -> bool:
    setting = secure_cookie_setting()
    if setting != "auto":
        return setting == "true"
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip()
    return request.url.scheme == "https" or forwarded == "https"


def _base(request: Request) -> str:
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _redirect(request: Request, target: str) -> RedirectResponse:
    response = RedirectResponse(f"{_base(request)}/{target}", status_code=303)
    response.headers["cache-control"] = "no-store"
    return response
