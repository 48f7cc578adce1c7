"""Every cross-role and cross-wijk attempt through the services is refused (docs/domain.md).

The world: wijken A and B; key figures sf_a and sf_a2 (A) and sf_b (B); coordinators of A
and of B; a manager; a beheerder; one signal per key figure. Each attack calls a service
directly, as a page would after a tampered request, and must raise PermissionDeniedError
or NotFoundError (a key figure asking for someone else's signal by id). Positive controls
show the same calls succeed for the right person, so the refusals are not accidental.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from signals.db.models import PhaseDecision, SignalLink
from signals.db.uow import run_write
from signals.domain import Role
from signals.errors import NotFoundError, PermissionDeniedError
from signals.services import (
    audit_log,
    categories,
    intake,
    phases,
    retention,
    review,
    rules_config,
    settings,
    users,
    wijk_admin,
)
from signals.services.actor import Actor
from signals.services.signal_draft import SignalDraft
from signals.services.signal_export import export_signals
from signals.services.signal_filter import SignalFilter
from signals.services.signal_import import import_signals, preview_import
from signals.services.wijken import import_wijken
from tests.security.factories import make_signal, make_user, make_wijken

OBSERVED = date.today() - timedelta(days=3)
CSV = b"wijk_code,wijk_naam\nWK000109,Nieuw\n"
SIGNALS_CSV = b"observed_on,wijk_code,reporter,category\n2026-01-05,WK000102,sf_x,onvrede\n"


@dataclass
class World:
    actors: dict[str, Actor]
    wijk: dict[str, int]
    signal: dict[str, int]


@pytest.fixture
def world(engine) -> World:
    wijk = make_wijken(engine, "WK000101", "WK000102")
    people = [("sf_a", Role.SLEUTELFIGUUR, ("WK000101",)),
              ("sf_a2", Role.SLEUTELFIGUUR, ("WK000101",)),
              ("sf_b", Role.SLEUTELFIGUUR, ("WK000102",)),
              ("coord_a", Role.COORDINATOR, ("WK000101",)),
              ("coord_b", Role.COORDINATOR, ("WK000102",)),
              ("manager", Role.MANAGER, ()), ("beheerder", Role.BEHEERDER, ())]
    # No passwords: these accounts never log in, and argon2 would only slow the test.
    actors = {name: make_user(engine, name, role, scope, password=None)
              for name, role, scope in people}
    signal = {name: make_signal(engine, wijk[code], actors[name], OBSERVED)
              for name, code in (("sf_a", "WK000101"), ("sf_a2", "WK000101"),
                                 ("sf_b", "WK000102"))}
    return World(actors, wijk, signal)


Attack = Callable[[object, World], object]


def _draft(w: World, code: str) -> SignalDraft:
    return SignalDraft(wijk_id=w.wijk[code], observed_on=OBSERVED, category="onvrede",
                       description="Spanning op het plein bij de school")


def _week() -> date:
    return OBSERVED - timedelta(days=OBSERVED.weekday())


# (name, who, attack) - each must be refused.
ATTACKS: list[tuple[str, str, Attack]] = [
    # A key figure reads or edits another key figure's signal by id.
    ("sf reads a colleague's signal by id", "sf_a",
     lambda s, w: intake.own_signal(s, w.actors["sf_a"], w.signal["sf_a2"])),
    ("sf reads another wijk's signal by id", "sf_a",
     lambda s, w: intake.own_signal(s, w.actors["sf_a"], w.signal["sf_b"])),
    ("sf edits a colleague's signal", "sf_a",
     lambda s, w: intake.update_own_signal(s, w.actors["sf_a"], w.signal["sf_a2"],
                                           _draft(w, "WK000101"), 1)),
    ("sf reports in a wijk not assigned", "sf_a",
     lambda s, w: intake.create_signal(s, w.actors["sf_a"], _draft(w, "WK000102"))),
    ("sf moves own signal to another wijk", "sf_a",
     lambda s, w: intake.update_own_signal(s, w.actors["sf_a"], w.signal["sf_a"],
                                           _draft(w, "WK000102"), 1)),
    ("sf sends a nul-melding for another wijk", "sf_a",
     lambda s, w: intake.record_nul_melding(s, w.actors["sf_a"], w.wijk["WK000102"])),
    ("sf opens the review detail", "sf_a",
     lambda s, w: review.signal_detail(s, w.actors["sf_a"], w.signal["sf_a2"])),
    ("sf opens the review queue", "sf_a",
     lambda s, w: review.review_queue(s, w.actors["sf_a"], SignalFilter())),
    ("sf assesses a signal", "sf_a",
     lambda s, w: review.assess(s, w.actors["sf_a"], w.signal["sf_a"], 1, review.Assessment(
         status="geverifieerd"))),
    ("sf exports signals", "sf_a",
     lambda s, w: export_signals(s, w.actors["sf_a"], SignalFilter(), "csv")),
    ("sf imports signals", "sf_a",
     lambda s, w: import_signals(s, w.actors["sf_a"], "s.csv", SIGNALS_CSV)),
    ("sf reads phases", "sf_a",
     lambda s, w: phases.phase_table(s, w.actors["sf_a"], _week(), _week())),
    ("sf decides a phase", "sf_a",
     lambda s, w: phases.record_decision(s, w.actors["sf_a"], "WK000101", _week(), 2,
                                         "Poging tot besluit door melder")),
    # A coordinator reads or decides outside their wijken.
    ("coordinator opens a signal outside scope", "coord_a",
     lambda s, w: review.signal_detail(s, w.actors["coord_a"], w.signal["sf_b"])),
    ("coordinator assesses outside scope", "coord_a",
     lambda s, w: review.assess(s, w.actors["coord_a"], w.signal["sf_b"], 1,
                                review.Assessment(status="geverifieerd"))),
    ("coordinator links to a signal outside scope", "coord_a",
     lambda s, w: review.link_signals(s, w.actors["coord_a"], w.signal["sf_a"],
                                      w.signal["sf_b"])),
    ("coordinator lists link candidates outside scope", "coord_a",
     lambda s, w: review.link_candidates(s, w.actors["coord_a"], w.signal["sf_b"])),
    ("coordinator decides a phase outside scope", "coord_a",
     lambda s, w: phases.record_decision(s, w.actors["coord_a"], "WK000102", _week(), 2,
                                         "Besluit buiten eigen wijken")),
    ("coordinator reads phases outside scope", "coord_a",
     lambda s, w: phases.phase_table(s, w.actors["coord_a"], _week(), _week(), ["WK000102"])),
    ("coordinator reads decision history outside scope", "coord_a",
     lambda s, w: phases.decision_history(s, w.actors["coord_a"], "WK000102")),
    ("coordinator reports in a wijk outside scope", "coord_a",
     lambda s, w: intake.create_signal(s, w.actors["coord_a"], _draft(w, "WK000102"))),
    ("coordinator imports wijken", "coord_a",
     lambda s, w: import_wijken(s, w.actors["coord_a"], "w.csv", CSV)),
    ("coordinator reads a key figure's signal as own", "coord_a",
     lambda s, w: intake.own_signal(s, w.actors["coord_a"], w.signal["sf_a"])),
    # A manager gets aggregates only.
    ("manager opens a signal", "manager",
     lambda s, w: review.signal_detail(s, w.actors["manager"], w.signal["sf_a"])),
    ("manager opens the review queue", "manager",
     lambda s, w: review.review_queue(s, w.actors["manager"], SignalFilter())),
    ("manager exports signals", "manager",
     lambda s, w: export_signals(s, w.actors["manager"], SignalFilter(), "csv")),
    ("manager previews an import", "manager",
     lambda s, w: preview_import(s, w.actors["manager"], "s.csv", SIGNALS_CSV)),
    ("manager reports a signal", "manager",
     lambda s, w: intake.create_signal(s, w.actors["manager"], _draft(w, "WK000101"))),
    ("manager reads the phase table with reasons", "manager",
     lambda s, w: phases.phase_table(s, w.actors["manager"], _week(), _week())),
    ("manager decides a phase", "manager",
     lambda s, w: phases.record_decision(s, w.actors["manager"], "WK000101", _week(), 1,
                                         "Besluit door de manager")),
    ("manager reads the audit log", "manager",
     lambda s, w: audit_log.query_audit(s, w.actors["manager"])),
    # Administration is for the beheerder only.
    ("coordinator lists users", "coord_a", lambda s, w: users.list_users(s, w.actors["coord_a"])),
    ("coordinator makes themself beheerder", "coord_a",
     lambda s, w: users.add_user(s, w.actors["coord_a"], "nieuwe.beheerder", Role.BEHEERDER,
                                 "lang-genoeg-wachtwoord-9")),
    ("coordinator widens own scope", "coord_a",
     lambda s, w: users.assign_wijken(s, w.actors["coord_a"], "coord_a",
                                      ["WK000101", "WK000102"])),
    ("coordinator resets a password", "coord_a",
     lambda s, w: users.reset_password(s, w.actors["coord_a"], "beheerder",
                                       "overgenomen-account-2026")),
    ("manager disables the beheerder", "manager",
     lambda s, w: users.disable_user(s, w.actors["manager"], "beheerder")),
    ("coordinator changes the lockout", "coord_a",
     lambda s, w: settings.update_security(s, w.actors["coord_a"], 20, 1, 720)),
    ("coordinator shortens retention", "coord_a",
     lambda s, w: settings.update_retention(s, w.actors["coord_a"], 1)),
    ("coordinator purges", "coord_a",
     lambda s, w: retention.purge(s, w.actors["coord_a"])),
    ("coordinator changes phase rules", "coord_a",
     lambda s, w: rules_config.save_rules_text(s, w.actors["coord_a"],
                                               rules_config.default_rules_text())),
    ("coordinator renames a wijk", "coord_a",
     lambda s, w: wijk_admin.rename_wijk(s, w.actors["coord_a"], "WK000102", "x")),
    ("coordinator changes a category", "coord_a",
     lambda s, w: categories.update_category(s, w.actors["coord_a"], "onvrede", "x", 5)),
    ("sf exports the audit log", "sf_a",
     lambda s, w: audit_log.export_audit_csv(s, w.actors["sf_a"])),
]


@pytest.mark.parametrize(("name", "who", "attack"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_is_refused(engine, world: World, name: str, who: str, attack: Attack) -> None:
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        run_write(engine, lambda s: attack(s, world))


def test_a_forged_actor_object_does_not_survive_the_next_request(engine, world) -> None:
    """Scope lives in the database: an Actor with extra wijken is rebuilt from the user row
    on the next run (load_actor), so widening it in memory does not persist anywhere."""
    from signals.db.uow import read_session
    from signals.services.auth import load_actor

    forged = Actor(world.actors["sf_a"].user_id, "sf_a", Role.BEHEERDER,
                   frozenset(world.wijk.values()))
    with read_session(engine) as session:
        reloaded = load_actor(session, forged.user_id)
    assert reloaded.role is Role.SLEUTELFIGUUR
    assert reloaded.wijk_ids == frozenset({world.wijk["WK000101"]})


def _link_in_scope(s, w: World) -> bool:  # type: ignore[no-untyped-def]
    review.link_signals(s, w.actors["coord_a"], w.signal["sf_a"], w.signal["sf_a2"])
    pair = tuple(sorted((w.signal["sf_a"], w.signal["sf_a2"])))
    return s.get(SignalLink, pair) is not None


def _decide_in_scope(s, w: World) -> bool:  # type: ignore[no-untyped-def]
    result = phases.record_decision(s, w.actors["coord_a"], "WK000101", _week(), 1,
                                    "Bevestigd na gesprek")
    stored = s.scalar(select(PhaseDecision.decided_phase).where(
        PhaseDecision.wijk_id == w.wijk["WK000101"], PhaseDecision.week_start == _week()))
    return result.decided_phase == stored == 1


# Positive controls: the right person gets through the same doors, and the call does its work
# (each control returns whether the effect is there).
CONTROLS: list[tuple[str, Attack]] = [
    ("sf reads own signal", lambda s, w: intake.own_signal(
        s, w.actors["sf_a"], w.signal["sf_a"]).id == w.signal["sf_a"]),
    ("coordinator opens a signal in scope", lambda s, w: review.signal_detail(
        s, w.actors["coord_a"], w.signal["sf_a"]).id == w.signal["sf_a"]),
    ("coordinator links two signals in scope", _link_in_scope),
    ("coordinator decides in scope", _decide_in_scope),
    ("beheerder opens any signal", lambda s, w: review.signal_detail(
        s, w.actors["beheerder"], w.signal["sf_b"]).id == w.signal["sf_b"]),
]


@pytest.mark.parametrize(("name", "allowed"), CONTROLS, ids=[c[0] for c in CONTROLS])
def test_control_is_allowed(engine, world: World, name: str, allowed: Attack) -> None:
    assert run_write(engine, lambda s: allowed(s, world)) is True


def test_coordinator_queue_and_export_contain_only_their_wijken(engine, world) -> None:
    coord = world.actors["coord_a"]
    outside = SignalFilter(wijk_ids=(world.wijk["WK000102"],))
    page = run_write(engine, lambda s: review.review_queue(s, coord, outside))
    assert page.total == 0
    everything = run_write(engine, lambda s: review.review_queue(s, coord, SignalFilter()))
    assert set(everything.rows["id"]) == {world.signal["sf_a"], world.signal["sf_a2"]}
    exported = run_write(engine, lambda s: export_signals(s, coord, outside, "csv"))
    assert exported.rows == 0


def test_manager_gets_no_raw_counts_from_the_wijken_service(engine, world) -> None:
    from signals.services.wijken import wijk_signal_counts

    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: wijk_signal_counts(s, world.actors["manager"], weeks=2))
