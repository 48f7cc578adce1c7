"""The Streamlit hardening settings are in place and accepted by Streamlit itself."""

from __future__ import annotations

import tomllib

import pytest
from streamlit import config

from signals.config import PROJECT_ROOT
from signals.services.textfiles import MAX_UPLOAD_BYTES

CONFIG_FILE = PROJECT_ROOT / ".streamlit" / "config.toml"
EXPECTED = {
    "client.showErrorDetails": "none",
    "client.toolbarMode": "minimal",  # no Print / Record screen / Made with Streamlit
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.maxUploadSize": MAX_UPLOAD_BYTES // (1024 * 1024),
    "browser.gatherUsageStats": False,
    "runner.magicEnabled": False,
}


@pytest.fixture
def project_config(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(PROJECT_ROOT)
    config.get_config_options(force_reparse=True)
    yield
    config.get_config_options(force_reparse=True)


@pytest.mark.parametrize(("key", "value"), EXPECTED.items())
def test_streamlit_reads_the_hardened_value(project_config, key: str, value: object) -> None:
    assert config.get_option(key) == value
    assert config.get_where_defined(key) == str(CONFIG_FILE)


def test_file_has_no_secrets() -> None:
    parsed = tomllib.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    assert "cookieSecret" not in parsed.get("server", {})
    assert "auth" not in parsed
