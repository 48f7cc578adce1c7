"""The rules file: data/rules.toml is the default, and bad files are rejected in Dutch."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from signals.engine.rules import (
    _SETTINGS,
    DEFAULT_RULES,
    Rules,
    RulesError,
    parse_rules,
    rules_from_mapping,
    rules_to_mapping,
)

RULES_FILE = Path(__file__).resolve().parents[3] / "data" / "rules.toml"


@pytest.fixture(scope="module")
def text() -> str:
    return RULES_FILE.read_text(encoding="utf-8")


def _problems(text: str) -> str:
    with pytest.raises(RulesError) as info:
        parse_rules(text)
    return str(info.value)


def test_default_file_is_default_rules(text: str) -> None:
    assert parse_rules(text) == DEFAULT_RULES


def test_every_setting_is_in_the_file(text: str) -> None:
    for setting in _SETTINGS:
        key = setting.path.rsplit(".", 1)[1]
        assert f"\n{key} = " in text, setting.path
    fields = {f.name for f in dataclasses.fields(Rules)}
    assert fields == {s.attr.partition(".")[0] for s in _SETTINGS}


def test_round_trip_through_a_mapping() -> None:
    assert rules_from_mapping(rules_to_mapping(DEFAULT_RULES)) == DEFAULT_RULES


def test_warmup_covers_baseline_decay_and_nafase() -> None:
    # C2 with baseline 13 reads 15 weeks back, +1 for last week's score; then 4 weeks of
    # nafase (longer than the 3 weeks a phase 4 needs to decay to 0).
    assert DEFAULT_RULES.warmup_weeks == 16 + 4


def test_syntax_error_names_the_line(text: str) -> None:
    message = _problems(text.replace("[phase1]", "[phase1"))
    assert message.startswith("Ongeldige faseregels:")
    assert "geen geldige TOML op regel" in message


def test_unknown_key_is_named(text: str) -> None:
    message = _problems(text.replace("min_score = 1.0", "min_score = 1.0\nmin_scroe = 2"))
    assert "onbekende instelling 'phase1.min_scroe'" in message


def test_wrong_type_is_named(text: str) -> None:
    message = _problems(text.replace("baseline = 13", 'baseline = "dertien"'))
    assert "'detection.baseline' moet een geheel getal zijn" in message


def test_negative_weight_is_named(text: str) -> None:
    message = _problems(text.replace("groot = 2.0", "groot = -2.0"))
    assert "'score.reach.groot' moet minstens 0 zijn" in message


@pytest.mark.parametrize("alpha", ["0", "1", "1.5", "-0.1"])
def test_alpha_must_lie_strictly_between_0_and_1(text: str, alpha: str) -> None:
    message = _problems(text.replace("alpha = 0.001", f"alpha = {alpha}"))
    assert "'detection.alpha' moet groter dan 0 en kleiner dan 1 zijn" in message


def test_every_problem_is_listed_at_once(text: str) -> None:
    broken = (text.replace("alpha = 0.001", "alpha = 2.0")
              .replace("hoog = 1.0", "hoog = -1.0")
              .replace("ignore_niet_bevestigd = true", "ignore_niet_bevestigd = 1")
              .replace("[visibility]\n", "[zichtbaarheid]\n"))
    with pytest.raises(RulesError) as info:
        parse_rules(broken)
    problems = info.value.problems
    assert any("detection.alpha" in p for p in problems)
    assert any("score.reliability.hoog" in p for p in problems)
    assert any("'signals.ignore_niet_bevestigd' moet true of false zijn" in p for p in problems)
    assert "onbekende sectie [zichtbaarheid]" in problems
    assert "ontbrekende sectie [visibility]" in problems


def test_missing_setting_and_cross_checks(text: str) -> None:
    message = _problems(text.replace("window = 4\n", "")
                        .replace("min_offline_reporters = 1", "min_offline_reporters = 3"))
    assert "ontbrekende instelling 'change.window'" in message
    assert "('phase3.min_offline_reporters') mag niet groter zijn" in message
    assert "Fase 3: 'Waarvan offline'" in message  # cross checks name the settings too


def test_errors_name_the_setting_in_dutch(text: str) -> None:
    message = _problems(text.replace("min_excess = 4.0", "min_excess = -1.0"))
    assert ("Fase 2 · Oplopende spanningen: Minimale stijging (punten): 'phase2.min_excess' "
            "moet minstens 0 zijn"
            in message)


def test_every_setting_has_a_dutch_label_and_range() -> None:
    from signals.engine.rules_labels import LABELS

    assert set(LABELS) == {s.path for s in _SETTINGS}


def test_bool_is_not_a_number(text: str) -> None:
    message = _problems(text.replace("recency_last_week = 0.5", "recency_last_week = true"))
    assert "'score.recency_last_week' moet een getal zijn" in message


def test_rules_error_is_a_value_error() -> None:
    assert issubclass(RulesError, ValueError)


def test_a_file_from_before_the_risk_weight_still_parses(text: str) -> None:
    """An override saved before [context] existed keeps working, with the weight off."""
    older = text[:text.index("[context]")]
    assert parse_rules(older) == DEFAULT_RULES
    assert DEFAULT_RULES.risk_moment_weight == 0.0


def test_risk_weight_range_is_0_to_2(text: str) -> None:
    weighted = text.replace("risk_moment_weight = 0.0", "risk_moment_weight = 1.5")
    assert parse_rules(weighted).risk_moment_weight == 1.5
    message = _problems(text.replace("risk_moment_weight = 0.0", "risk_moment_weight = 2.5"))
    assert "'context.risk_moment_weight' moet tussen 0 en 2 liggen" in message


def test_the_form_adds_the_risk_weight_to_an_older_override(text: str) -> None:
    from signals.services.rules_config import rules_to_toml

    older = text[:text.index("[context]")]
    saved = rules_to_toml(dataclasses.replace(DEFAULT_RULES, risk_moment_weight=1.0), older)
    assert parse_rules(saved).risk_moment_weight == 1.0
    assert parse_rules(rules_to_toml(DEFAULT_RULES, text)) == DEFAULT_RULES
