"""CLI: user add/disable/enable/list, purge, and backup, as an administrator runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from signals.cli.main import main
from signals.db.engine import make_engine
from signals.db.models import Credential, User
from signals.db.uow import read_session
from signals.services.auth import login

PROJECT = str(Path(__file__).resolve().parents[2])
PASSWORD = "nieuw-cli-wachtwoord-2026"


def _cli(*args: str, url: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signals", *args], capture_output=True,
                          text=True, cwd=PROJECT, env={"DATABASE_URL": url, "PATH": ""},
                          input=stdin, timeout=120)


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


def test_user_add_from_stdin_then_login_list_and_disable(db_url, tmp_path) -> None:
    csv = tmp_path / "wijken.csv"
    csv.write_text("wijk_code,wijk_naam\nWK000101,Noord\n", encoding="utf-8")
    assert _cli("import-wijken", str(csv), url=db_url).returncode == 0
    added = _cli("user", "add", "coord.noord", "--role", "coordinator", "--wijk", "WK000101",
                 "--password-stdin", url=db_url, stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    engine = make_engine(db_url)
    try:
        actor = login(engine, "coord.noord", PASSWORD)
        assert actor.role == "coordinator" and len(actor.wijk_ids) == 1
        with read_session(engine) as session:
            stored = session.scalar(select(Credential.password_hash).join(User).where(
                User.username == "coord.noord"))
        assert PASSWORD not in stored and stored.startswith("$argon2id$")
    finally:
        engine.dispose()
    listed = _cli("user", "list", url=db_url)
    assert "coord.noord" in listed.stdout and "WK000101" in listed.stdout
    assert PASSWORD not in listed.stdout and "argon2" not in listed.stdout
    assert _cli("user", "disable", "coord.noord", url=db_url).returncode == 0
    assert "False" in _cli("user", "list", url=db_url).stdout
    assert _cli("user", "enable", "coord.noord", url=db_url).returncode == 0


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("user", "add", "x", "--role", "manager"), "lang-genoeg-wachtwoord\n", "Gebruikersnaam"),
    (("user", "add", "mgr2", "--role", "manager"), "kort\n", "12 tekens"),
    (("user", "add", "mgr2", "--role", "manager"), "", "Geen wachtwoord"),
    (("user", "add", "sf9", "--role", "sleutelfiguur", "--wijk", "WK990101"),
     "lang-genoeg-wachtwoord\n", "Functie"),
    (("user", "disable", "niemand"), None, "bestaat niet"),
    (("user", "disable", "beheerder"), None, "laatste actieve beheerder"),
])
def test_user_errors_are_dutch_messages_without_traceback(demo_url, args, stdin,
                                                          message) -> None:
    result = _cli(*args, url=demo_url, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_user_add_prompts_twice_on_a_terminal(demo_url, monkeypatch, capsys) -> None:
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    from signals.db.engine import default_engine

    default_engine.cache_clear()
    try:
        assert main(["user", "add", "mgr2", "--role", "manager"]) == 1
        assert "komen niet overeen" in capsys.readouterr().err
        answers = iter([PASSWORD, PASSWORD])
        monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
        assert main(["user", "add", "mgr2", "--role", "manager"]) == 0
    finally:
        default_engine().dispose()
        default_engine.cache_clear()


def test_purge_dry_run_then_purge(demo_url) -> None:
    dry = _cli("purge", "--dry-run", url=demo_url)
    assert dry.returncode == 0, dry.stderr
    assert "Zou opschonen" in dry.stdout and "niets gewijzigd" in dry.stdout
    count = int(dry.stdout.split(": ", 1)[1].split(" ", 1)[0])
    assert count > 0
    real = _cli("purge", url=demo_url)
    assert f"Opgeschoond: {count} signalen" in real.stdout
    assert "Opgeschoond: 0 signalen" in _cli("purge", url=demo_url).stdout


def test_backup_command_for_sqlite_and_postgresql(demo_url, tmp_path) -> None:
    made = _cli("backup", str(tmp_path / "b.db"), url=demo_url)
    assert made.returncode == 0 and "Back-up gemaakt" in made.stdout
    again = _cli("backup", str(tmp_path / "b.db"), url=demo_url)
    assert again.returncode == 1 and "--force" in again.stderr
    assert _cli("backup", "--force", str(tmp_path / "b.db"), url=demo_url).returncode == 0


@pytest.mark.postgres
def test_backup_on_postgresql_prints_pg_dump_without_password(pg_session_url) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_session_url).set(password="GeheimPw99")
    result = _cli("backup", "/tmp/x.dump", url=url.render_as_string(hide_password=False))
    # The test server trusts local connections, so a password in the URL is harmless.
    assert result.returncode == 0, result.stderr
    assert "pg_dump --format=custom" in result.stdout and "pg_restore" in result.stdout
    assert "GeheimPw99" not in result.stdout + result.stderr
