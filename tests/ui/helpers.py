"""AppTest helpers: log in through the real login form, then open a page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from signals.config import PROJECT_ROOT
from signals.services.demo.people import DEMO_PASSWORDS

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 30


def logged_in(username: str, password: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password or DEMO_PASSWORDS[username])
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(str(PROJECT_ROOT / page))
    at.run()
    assert not at.exception, at.exception
    return at


def record_media_managers(monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """Keep each AppTest run's media file manager, which AppTest discards after the run."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, storage) -> None:  # type: ignore[no-untyped-def]
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return managers


def download(at: AppTest, managers: list, key: str) -> bytes:  # type: ignore[type-arg]
    """Click a deferred st.download_button as the browser would: run its callable, read bytes."""
    file_id = at.download_button(key=key).proto.deferred_file_id
    manager = next(m for m in reversed(managers) if file_id in m._deferred_callables)
    url = manager.execute_deferred(file_id)
    return manager._storage.get_file(url.rsplit("/", 1)[-1]).content


def run_page_as(at: AppTest, page: str) -> AppTest:
    """Run one page script on its own in the login of `at`: its own guard, not the router
    (which sends a role away from pages it may not open)."""
    from signals.ui.session import TOKEN_KEY

    direct = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=TIMEOUT)
    direct.session_state[TOKEN_KEY] = at.session_state[TOKEN_KEY]
    direct.run()
    assert not direct.exception, direct.exception
    return direct
