"""AppTest: the optional OIDC login. Offered only when `[auth]` is configured; the verified
e-mail maps to our user, whose role comes from our table; unknown e-mails get nothing."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from signals.db.engine import default_engine
from signals.db.uow import run_write
from signals.services import users
from signals.services.actor import SYSTEM_ACTOR
from signals.ui import session as ui_session
from tests.ui.helpers import APP, TIMEOUT

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                 "cookie_secret": "test-secret-test-secret-test-secret",
                 "client_id": "wijksignalen", "client_secret": "x",
                 "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}}
SSO_BUTTON = "Inloggen met uw organisatie-account"


def _app(user: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    return at.run()


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_no_sso_button_without_auth_secrets(demo_database) -> None:
    assert SSO_BUTTON not in _labels(_app())


def test_sso_button_when_auth_is_configured(demo_database) -> None:
    assert SSO_BUTTON in _labels(_app({"is_logged_in": False}, AUTH))


def test_verified_email_maps_to_our_user_and_role(demo_database) -> None:
    run_write(default_engine(), lambda s: users.set_email(s, SYSTEM_ACTOR, "manager",
                                                          "manager@lindeveen.nl"))
    identity = {"is_logged_in": True, "email": "Manager@Lindeveen.nl", "email_verified": True,
                "role": "beheerder"}  # a provider claim never sets our role
    at = _app(identity, AUTH)
    assert "Manager@Lindeveen.nl" in at.markdown[0].value.replace("\\", "").replace("\u2060", "")
    [b for b in at.button if b.label == "Doorgaan naar Wijksignalen"][0].click()
    at.run()
    token = at.session_state[ui_session.TOKEN_KEY]
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.session_state[ui_session.TOKEN_KEY] = token
    fresh.run()
    assert "Manager" in fresh.sidebar.text[0].value


def test_unknown_or_unverified_email_gets_nothing(demo_database) -> None:
    at = _app({"is_logged_in": True, "email": "onbekend@elders.nl", "email_verified": True},
              AUTH)
    [b for b in at.button if b.label == "Doorgaan naar Wijksignalen"][0].click()
    at.run()
    assert "geen actief account" in at.error[0].value
    assert ui_session.TOKEN_KEY not in at.session_state
    unverified = _app({"is_logged_in": True, "email": "manager@lindeveen.nl",
                       "email_verified": False}, AUTH)
    assert "Doorgaan naar Wijksignalen" not in _labels(unverified)
