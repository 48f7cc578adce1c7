"""The OIDC example configurations in docs/examples/ are valid Streamlit `[auth]` secrets:
the login page offers the organisation login, and the checks st.login runs before it
redirects to the provider (Authlib installed, credentials complete) accept them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import auth_util
from streamlit.runtime.secrets import AttrDict
from streamlit.testing.v1 import AppTest

from signals.config import PROJECT_ROOT
from tests.ui.helpers import APP, TIMEOUT

EXAMPLES = sorted((PROJECT_ROOT / "docs" / "examples").glob("oidc-*.toml"))
SSO_BUTTON = "Inloggen met uw organisatie-account"
REQUIRED = {"redirect_uri", "cookie_secret", "client_id", "client_secret",
            "server_metadata_url"}


class _ExampleSecrets:
    def __init__(self, values: dict) -> None:
        self.values = AttrDict(values)

    def load_if_toml_exists(self) -> bool:
        return True

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


def test_there_is_an_example_for_entra_id_keycloak_and_adfs() -> None:
    assert [p.stem for p in EXAMPLES] == ["oidc-adfs", "oidc-entra-id", "oidc-keycloak"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_example_is_accepted_by_st_login(demo_database, example: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = tomllib.loads(example.read_text(encoding="utf-8"))
    assert set(secrets["auth"]) >= REQUIRED
    assert secrets["auth"]["redirect_uri"].endswith("/oauth2callback")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets.update(secrets)
    at.user = {"is_logged_in": False}
    at.run()
    assert SSO_BUTTON in [b.label for b in at.button]

    # st.login reads the secrets file; hand it this example instead.
    monkeypatch.setattr(auth_util, "secrets_singleton", _ExampleSecrets(secrets))
    assert auth_util.is_authlib_installed()
    auth_util.validate_auth_credentials("default")  # raises StreamlitAuthError if incomplete
