"""The import follows the account rules, on SQLite and PostgreSQL.

A catalogue of hostile reporter names (look-alikes, invisible and direction marks, markup,
formulas) is refused with the file row, the column and a Dutch reason, and nothing is
stored. Staff accounts and key figures of other wijken cannot be named as reporter. Many
new reporters need an explicit confirmation, in the service, on the page and in the CLI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from signals.db.models import Signal, User
from signals.db.uow import read_session, run_write
from signals.errors import ValidationError
from signals.services import settings
from signals.services.actor import SYSTEM_ACTOR
from signals.services.signal_import import preview_import
from signals.services.username_policy import look_alike, normalise_username, username_problems
from signals.services.users import add_user
from tests.integration.signal_world import TODAY, counts, make_world
from tests.integration.test_signal_import import csv_bytes, do_import, row

PROJECT = Path(__file__).resolve().parents[2]

# Each: (kind, name, a word of the Dutch reason).
HOSTILE_REPORTER_NAMES = [
    ("zero-width space", "kf\u200bnieuw", "onzichtbare"),
    ("zero-width joiner", "kf_nieuw\u200d", "onzichtbare"),
    ("right-to-left mark", "kf\u200fnieuw", "tekstrichting"),
    ("bidi override", "\u202ekf_nieuw", "tekstrichting"),
    ("Cyrillic o", "kf_n\u043eord", "buiten a-z"),
    ("Greek alpha", "\u03b1dmin", "buiten a-z"),
    ("HTML markup", "<b>kf</b>", "opmaak"),
    ("markdown link", "[klik](javascript:x)", "opmaak"),
    ("markdown bold", "**vet**", "opmaak"),
    ("formula", "=HYPERLINK(1)", "formule"),
    ("formula with minus", "-kf_nieuw", "formule"),
    ("capitals", "KF_Nieuw", "kleine letters"),
    ("too short", "kf", "3 tot 40"),
    ("too long", "k" * 41, "3 tot 40"),
    ("digit zero for o", "kf_n0ord", "lijkt te veel op"),
    ("dot for underscore", "coord.noord", "lijkt te veel op"),
    ("rn for m", "rnanager1", "lijkt te veel op"),
]


@pytest.mark.parametrize(("kind", "name", "reason"), HOSTILE_REPORTER_NAMES,
                         ids=[k for k, _, _ in HOSTILE_REPORTER_NAMES])
def test_a_hostile_new_reporter_name_is_refused_and_nothing_is_stored(
        engine, kind, name, reason) -> None:
    world = make_world(engine)
    before = counts(engine)
    data = csv_bytes([row(), row(external_id="x-2", reporter=name)])
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, data)
    errors = [(e.row, e.field) for e in caught.value.errors]
    assert errors and set(errors) == {(3, "reporter")}, kind
    # Invisible and direction marks are caught first by the shared control-character check.
    expected = reason if name.isprintable() else "onzichtbaar teken"
    assert any(expected in e.message for e in caught.value.errors), caught.value.errors
    assert name not in str(caught.value)  # the bad value is never echoed
    assert counts(engine) == before


def test_nfkc_maps_full_width_names_to_the_existing_account(engine) -> None:
    world = make_world(engine)
    full_width = "\uff4b\uff46\uff3f\uff4e\uff4f\uff4f\uff52\uff44"  # kf_noord
    summary = do_import(engine, world.coord_a, csv_bytes([row(reporter=full_width)]))
    assert (summary.created, summary.new_reporters) == (1, ())
    with read_session(engine) as session:
        assert session.scalar(select(Signal.reporter_id)) == world.kf_a.user_id
        assert len(session.scalars(select(User)).all()) == 7  # no account added


@pytest.mark.parametrize("staff", ["coord_noord", "manager1", "beheerder1"])
def test_a_staff_account_cannot_be_the_reporter(engine, staff: str) -> None:
    world = make_world(engine)
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, csv_bytes([row(reporter=staff)]))
    [error] = caught.value.errors
    assert (error.row, error.field) == (2, "reporter")
    assert "alleen een sleutelfiguur kan melder zijn" in error.message
    assert counts(engine) == before


def test_a_key_figure_of_another_wijk_cannot_be_the_reporter(engine) -> None:
    world = make_world(engine)
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, csv_bytes([row(), row(external_id="x-2",
                                                               reporter="kf_zuid")]))
    [error] = caught.value.errors
    assert (error.row, error.field) == (3, "reporter")
    assert "geen sleutelfiguur van wijk WK099001" in error.message
    assert counts(engine) == before
    summary = do_import(engine, world.coord_a, csv_bytes([row(reporter="kf_zuid",
                                                              wijk_code="WK099002")]))
    assert summary.created == 1  # in the key figure's own wijk it is fine


def test_two_look_alike_new_names_in_one_file_are_refused(engine) -> None:
    world = make_world(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, csv_bytes([
            row(reporter="jan.smit"), row(external_id="x-2", reporter="jan_smit")]))
    [error] = caught.value.errors
    assert (error.row, error.field) == (3, "reporter") and "jan.smit" in error.message


def test_many_new_reporters_need_a_confirmation_with_the_list(engine) -> None:
    world = make_world(engine)
    run_write(engine, lambda s: settings.update_import(s, SYSTEM_ACTOR, 2))
    names = ["melder_a", "melder_b", "melder_c"]
    data = csv_bytes([row(external_id=f"x-{n}", reporter=n) for n in names])
    with read_session(engine) as session:
        preview = preview_import(session, world.coord_a, "m.csv", data, today=TODAY)
    assert preview.ok and preview.summary.needs_reporter_confirmation
    assert preview.summary.new_reporters == tuple(names)
    assert preview.summary.new_reporter_limit == 2
    before = counts(engine)
    with pytest.raises(ValidationError) as caught:
        do_import(engine, world.coord_a, data)
    assert "3 nieuwe melders" in str(caught.value) and "bevestig" in str(caught.value)
    assert counts(engine) == before
    summary = do_import(engine, world.coord_a, data, confirm_new_reporters=True)
    assert summary.new_reporters == tuple(names) and summary.created == 3


def test_the_default_limit_is_50(engine) -> None:
    world = make_world(engine)
    data = csv_bytes([row(external_id=f"x-{i}", reporter=f"melder_{i:02d}")
                      for i in range(51)])
    with read_session(engine) as session:
        assert settings.import_settings(session).max_new_reporters == 50
        preview = preview_import(session, world.coord_a, "m.csv", data, today=TODAY)
    assert preview.summary.needs_reporter_confirmation
    with read_session(engine) as session:
        fifty = preview_import(session, world.coord_a, "m.csv",
                               csv_bytes([row(external_id=f"x-{i}", reporter=f"melder_{i:02d}")
                                          for i in range(50)]), today=TODAY)
    assert not fifty.summary.needs_reporter_confirmation


def test_the_cli_needs_the_confirmation_flag(engine, db_url, tmp_path) -> None:
    make_world(engine)
    run_write(engine, lambda s: settings.update_import(s, SYSTEM_ACTOR, 1))
    source = tmp_path / "in.csv"
    source.write_bytes(csv_bytes([row(external_id="c-1", reporter="melder_a"),
                                  row(external_id="c-2", reporter="melder_b")]))

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "signals", "import", str(source), *args],
                              capture_output=True, text=True, cwd=PROJECT,
                              env={"DATABASE_URL": db_url, "PATH": ""}, timeout=120)

    checked = cli("--controleer")
    assert checked.returncode == 0 and "--bevestig-nieuwe-melders" in checked.stdout
    refused = cli()
    assert refused.returncode == 1 and "2 nieuwe melders" in refused.stderr
    done = cli("--bevestig-nieuwe-melders")
    assert done.returncode == 0, done.stderr
    assert "melder_a, melder_b" in done.stdout


@pytest.mark.parametrize(("kind", "name", "reason"),
                         [h for h in HOSTILE_REPORTER_NAMES if "lijkt" not in h[2]],
                         ids=[k for k, _, r in HOSTILE_REPORTER_NAMES if "lijkt" not in r])
def test_user_add_uses_the_same_policy(kind, name, reason) -> None:
    problems = username_problems(normalise_username(name))
    assert any(reason in p for p in problems), (kind, problems)


def test_user_add_normalises_and_refuses_look_alikes(engine) -> None:
    make_world(engine)
    user_id = run_write(engine, lambda s: add_user(
        s, SYSTEM_ACTOR, "\uff4a\uff41\uff4e", "manager", "lang-genoeg-wachtwoord-42"))
    with read_session(engine) as session:
        assert session.get(User, user_id).username == "jan"
    with pytest.raises(ValidationError) as caught:
        run_write(engine, lambda s: add_user(s, SYSTEM_ACTOR, "c0ord_noord", "manager", None))
    assert "lijkt te veel op de bestaande gebruikersnaam 'coord_noord'" in str(caught.value)
    assert look_alike("kf-noord", ["kf_noord", "kf_zuid"]) == "kf_noord"
