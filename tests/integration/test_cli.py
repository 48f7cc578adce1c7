"""The command line: help for every command, clear errors with a non-zero exit, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from signals.cli.main import COMMANDS, main

PROJECT = __file__.rsplit("/tests/", 1)[0]


def _cli(*args: str, env_url: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "signals", *args], capture_output=True,
                          text=True, cwd=PROJECT, env={"DATABASE_URL": env_url, "PATH": ""},
                          input=stdin, timeout=120)


@pytest.mark.parametrize("command", [m.NAME for m in COMMANDS])
def test_every_command_has_help(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert command in capsys.readouterr().out


def test_the_overall_help_lists_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(m.NAME in out for m in COMMANDS) and len(COMMANDS) == 13


@pytest.mark.slow  # loads the whole demo through the command line
def test_init_then_demo_then_import_wijken_end_to_end(tmp_path, db_url) -> None:
    assert _cli("init", env_url=db_url).returncode == 0
    second = _cli("init", env_url=db_url)
    assert second.returncode == 0 and "al actueel" in second.stdout
    demo = _cli("demo", "--seed", "3", env_url=db_url)
    assert demo.returncode == 0, demo.stderr
    assert "12 wijken" in demo.stdout
    csv = tmp_path / "extra.csv"
    csv.write_text("wijk_code;wijk_naam\nWK990113;Havenkwartier\n", encoding="utf-8")
    refused = _cli("import-wijken", str(csv), env_url=db_url)
    assert refused.returncode == 1 and "12 gebied(en) staan niet meer" in refused.stderr
    assert "ontbreekt: WK990101 Centrum" in refused.stdout
    imported = _cli("import-wijken", str(csv), "--ontbrekend", "behouden", env_url=db_url)
    assert imported.returncode == 0 and "1 nieuw" in imported.stdout


def test_errors_are_messages_not_tracebacks(tmp_path, sqlite_url) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("wijk_code,wijk_naam\nWK1,\n", encoding="utf-8")
    result = _cli("import-wijken", str(bad), env_url=sqlite_url)
    assert result.returncode == 1
    assert "rij 2" in result.stderr and "Traceback" not in result.stderr
    missing = _cli("import-wijken", str(tmp_path / "nope.csv"), env_url=sqlite_url)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_commands_refuse_an_uninitialised_database(tmp_path) -> None:
    result = _cli("demo", env_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 1 and "python -m signals init" in result.stderr


def test_unreachable_database_is_a_clear_error() -> None:
    result = _cli("init", env_url="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "database" in result.stderr.lower()


def test_phases_csv_has_exactly_the_documented_columns_and_every_wijk_week(db_url) -> None:
    assert _cli("init", env_url=db_url).returncode == 0
    assert _cli("demo", env_url=db_url).returncode == 0
    result = _cli("phases", "--from", "2026-W30", "--to", "2026-W41", "--format", "csv",
                  env_url=db_url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "wijk_code,week,phase,phase_name,nafase,visibility,score,alarm,reasons"
    assert len(lines) == 1 + 12 * 12
    weeks = {line.split(",")[1] for line in lines[1:]}
    assert weeks == {f"2026-W{n}" for n in range(30, 42)}
    one = _cli("phases", "--wijk", "WK990110", "--format", "json", env_url=db_url)
    assert one.returncode == 0 and '"wijk_code": "WK990110"' in one.stdout


@pytest.mark.parametrize("args", [("--from", "2026-W60"), ("--from", "2026-W40", "--to",
                                                           "2026-W30"), ("--wijk", "WK000000")])
def test_phases_bad_arguments_are_clear_errors(sqlite_url, args) -> None:
    assert _cli("init", env_url=sqlite_url).returncode == 0
    result = _cli("phases", *args, env_url=sqlite_url)
    assert result.returncode == 1 and result.stderr.startswith("Fout")
    assert "Traceback" not in result.stderr
