"""Typed settings and the phase rules override: validated, defensive on read, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signals.db.models import AuditEvent, Setting
from signals.db.uow import read_session, run_write
from signals.domain import Role
from signals.engine.rules import DEFAULT_RULES, RulesError
from signals.errors import PermissionDeniedError, ValidationError
from signals.services import rules_config, settings
from signals.services.actor import SYSTEM_ACTOR
from tests.security.factories import make_user


def _audit(engine) -> list[AuditEvent]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_defaults_apply_until_set(engine) -> None:
    with read_session(engine) as session:
        assert settings.security_settings(session) == settings.SecuritySettings(5, 15, 30)
        assert settings.retention_settings(session).months == 12


def test_update_is_stored_and_audited_with_old_and_new(engine) -> None:
    run_write(engine, lambda s: settings.update_retention(s, SYSTEM_ACTOR, 18))
    run_write(engine, lambda s: settings.update_retention(s, SYSTEM_ACTOR, 24))
    with read_session(engine) as session:
        assert settings.retention_settings(session).months == 24
    last = _audit(engine)[-1]
    assert (last.action, last.object_id) == ("instelling_gewijzigd", "retention")
    assert last.details == {"oud": {"months": 18}, "nieuw": {"months": 24}}


@pytest.mark.parametrize("values", [(2, 15, 30), (5, 0, 30), (5, 15, 1), (5, 15, 100_000)])
def test_out_of_range_security_values_are_refused(engine, values) -> None:
    with pytest.raises(ValidationError):
        run_write(engine, lambda s: settings.update_security(s, SYSTEM_ACTOR, *values))


@pytest.mark.parametrize("stored", [None, "x", [1], {"max_failures": 0, "lock_minutes": True},
                                    {"max_failures": "5", "idle_minutes": -1}])
def test_malformed_stored_values_fall_back_to_safe_defaults(engine, stored) -> None:
    run_write(engine, lambda s: s.add(Setting(key="security", value=stored)))
    with read_session(engine) as session:
        assert settings.security_settings(session) == settings.SecuritySettings()


def test_only_beheerders_change_settings(engine) -> None:
    manager = make_user(engine, "mgr", Role.MANAGER)
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: settings.update_retention(s, manager, 1))
    with pytest.raises(PermissionDeniedError):
        run_write(engine, lambda s: rules_config.save_rules_text(
            s, manager, rules_config.default_rules_text()))


def test_rules_default_to_the_shipped_file(engine) -> None:
    with read_session(engine) as session:
        assert rules_config.load_rules(session) == DEFAULT_RULES
        assert not rules_config.is_overridden(session)


def test_saving_valid_rules_overrides_the_file_and_audits_hashes(engine) -> None:
    text = rules_config.default_rules_text().replace("nafase_weeks = 4", "nafase_weeks = 6")
    assert text != rules_config.default_rules_text()
    result = run_write(engine, lambda s: rules_config.save_rules_text(s, SYSTEM_ACTOR, text))
    assert result.changed and not result.aggregates_affected
    with read_session(engine) as session:
        assert rules_config.load_rules(session).nafase_weeks == 6
        assert rules_config.current_rules_text(session) == text
    last = _audit(engine)[-1]
    assert last.object_id == "phase_rules" and last.details["gewijzigde_regels"] == 2
    assert "nafase" not in str(last.details)  # hashes, not the text
    assert run_write(engine, lambda s: rules_config.reset_to_default(s, SYSTEM_ACTOR))
    with read_session(engine) as session:
        assert rules_config.load_rules(session) == DEFAULT_RULES


def test_score_changes_are_flagged_for_recomputation(engine) -> None:
    text = rules_config.default_rules_text().replace("repeat_weight = 0.5",
                                                     "repeat_weight = 0.25")
    result = run_write(engine, lambda s: rules_config.save_rules_text(s, SYSTEM_ACTOR, text))
    assert result.aggregates_affected


def test_invalid_rules_list_every_problem_and_store_nothing(engine) -> None:
    text = (rules_config.default_rules_text()
            .replace("nafase_weeks = 4", "nafase_weeks = -1")
            .replace("method = \"C2\"", "method = \"C9\""))
    with pytest.raises(RulesError) as error:
        run_write(engine, lambda s: rules_config.save_rules_text(s, SYSTEM_ACTOR, text))
    assert len(error.value.problems) == 2
    with pytest.raises(RulesError, match="geen geldige TOML"):
        run_write(engine, lambda s: rules_config.save_rules_text(s, SYSTEM_ACTOR, "[score"))
    with read_session(engine) as session:
        assert not rules_config.is_overridden(session)
    assert _audit(engine) == []


def test_diff_shows_only_the_changed_lines() -> None:
    old = rules_config.default_rules_text()
    diff = rules_config.rules_diff(old, old.replace("nafase_weeks = 4", "nafase_weeks = 6"))
    changed = [line for line in diff.splitlines() if line[:1] in "+-"
               and not line.startswith(("+++", "---"))]
    assert changed == ["-nafase_weeks = 4", "+nafase_weeks = 6"]
    assert rules_config.rules_diff(old, old) == ""
