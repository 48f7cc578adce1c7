"""Defence in depth, on SQLite and PostgreSQL.

Services reload the actor from the database in their own transaction (one query), so a
forged or stale Actor object cannot act; a signal outside one's scope answers exactly like
a missing one; and a per-source throttle keeps one attacker from locking an account forever.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event

from signals.db.models import utcnow
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.errors import NotFoundError, PermissionDeniedError
from signals.services import intake, review, users
from signals.services.actor import SYSTEM_ACTOR, Actor, authorise
from signals.services.auth import LoginFailedError, login
from signals.services.signal_draft import reference
from signals.services.signal_filter import SignalFilter
from tests.integration.signal_world import draft, make_world
from tests.security.factories import PASSWORD, make_user, make_wijken


def test_a_forged_role_is_replaced_by_the_stored_one(engine) -> None:
    world = make_world(engine)
    forged = Actor(world.kf_a.user_id, "kf_noord", Role.BEHEERDER,
                   frozenset({world.wijk_a, world.wijk_b, world.wijk_c}))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: users.list_users(s, forged))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: review.review_queue(s, forged, SignalFilter()))
    with read_session(engine) as session:
        fresh = authorise(session, forged)
    assert (fresh.role, fresh.wijk_ids) == (Role.SLEUTELFIGUUR, frozenset({world.wijk_a}))


@pytest.mark.parametrize("forged", [
    Actor(None, "beheerder", Role.BEHEERDER),
    Actor(None, "systeem", Role.BEHEERDER, is_system=True),  # not the CLI's own actor
    Actor(987654, "spook", Role.BEHEERDER),  # no such account
], ids=["no account", "fake system", "unknown id"])
def test_an_actor_without_a_real_account_is_refused(engine, forged: Actor) -> None:
    make_world(engine)
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: users.list_users(s, forged))
    run_write(engine, lambda s: users.list_users(s, SYSTEM_ACTOR))  # the CLI still works


def test_a_disabled_account_cannot_act_with_its_old_actor(engine) -> None:
    world = make_world(engine)
    saved = run_write(engine, lambda s: intake.create_signal(s, world.kf_a, draft(world.wijk_a)))
    run_write(engine, lambda s: users.disable_user(s, SYSTEM_ACTOR, "kf_noord"))
    for use_case in (lambda s: intake.own_signals(s, world.kf_a),
                     lambda s: intake.own_signal(s, world.kf_a, saved.id),
                     lambda s: intake.create_signal(s, world.kf_a, draft(world.wijk_a))):
        with pytest.raises(PermissionDeniedError, match="niet \\(meer\\) actief"):
            run_write(engine, use_case)


def test_a_removed_wijk_is_gone_at_once_for_the_old_actor(engine) -> None:
    world = make_world(engine)
    stale = world.coord_a  # still holds Noord and Zuid
    saved = run_write(engine, lambda s: intake.create_signal(s, world.kf_a, draft(world.wijk_a)))
    run_write(engine, lambda s: users.assign_wijken(s, SYSTEM_ACTOR, "coord_noord",
                                                    ["WK099002"]))
    with pytest.raises(NotFoundError):
        run_write(engine, lambda s: review.signal_detail(s, stale, saved.id))
    page = run_write(engine, lambda s: review.review_queue(s, stale, SignalFilter()))
    assert page.total == 0


def test_the_reload_is_one_query_per_session(engine) -> None:
    world = make_world(engine)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):  # not the connection set-up
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with read_session(engine) as session:
            authorise(session, world.coord_a, Role.COORDINATOR)
            first = len(statements)
            authorise(session, world.coord_a)
            again = len(statements) - first
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (first, again) == (1, 0)


def test_not_found_and_not_yours_answer_alike(engine) -> None:
    world = make_world(engine)
    saved = run_write(engine, lambda s: intake.create_signal(s, world.kf_a, draft(world.wijk_a)))
    missing = saved.id + 1000

    def refusal(use_case) -> tuple[type, str]:  # type: ignore[no-untyped-def]
        with pytest.raises(Exception) as caught:  # noqa: PT011 - the type is compared below
            run_write(engine, use_case)
        text = str(caught.value).replace(reference(saved.id), "REF")
        return type(caught.value), text.replace(reference(missing), "REF")

    pairs = [
        (lambda s: review.signal_detail(s, world.coord_b, saved.id),
         lambda s: review.signal_detail(s, world.coord_b, missing)),
        (lambda s: review.assess(s, world.coord_b, saved.id, 1,
                                 review.Assessment(status="in_duiding")),
         lambda s: review.assess(s, world.coord_b, missing, 1,
                                 review.Assessment(status="in_duiding"))),
        (lambda s: review.link_candidates(s, world.coord_b, saved.id),
         lambda s: review.link_candidates(s, world.coord_b, missing)),
        (lambda s: intake.own_signal(s, world.kf_a2, saved.id),
         lambda s: intake.own_signal(s, world.kf_a2, missing)),
    ]
    for not_yours, not_found in pairs:
        yours, absent = refusal(not_yours), refusal(not_found)
        assert yours == absent and yours[0] is NotFoundError


def test_one_source_cannot_keep_an_account_locked(engine) -> None:
    make_wijken(engine, "WK000101")
    make_user(engine, "coord", Role.MANAGER)
    attacker, user = f"ip:{uuid.uuid4()}", f"ip:{uuid.uuid4()}"
    start = utcnow()
    minute = 0
    for minute in range(5):  # the lockout still works: five failures lock the account
        with pytest.raises(LoginFailedError):
            login(engine, "coord", "fout", now=start + timedelta(minutes=minute),
                  source=attacker)
    with pytest.raises(LoginFailedError):
        login(engine, "coord", PASSWORD, now=start + timedelta(minutes=5), source=user)
    for minute in range(6, 60):  # the attacker keeps trying, every minute
        with pytest.raises(LoginFailedError):
            login(engine, "coord", "fout", now=start + timedelta(minutes=minute),
                  source=attacker)
    actor = login(engine, "coord", PASSWORD, now=start + timedelta(minutes=minute),
                  source=user)
    assert actor.username == "coord"  # the lock ended and was never renewed
    with pytest.raises(LoginFailedError):  # the throttled source is refused before checking
        login(engine, "coord", PASSWORD, now=start + timedelta(minutes=minute),
              source=attacker)
