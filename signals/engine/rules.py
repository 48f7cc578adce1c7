"""Phase rules: every threshold and weight of docs/phase-rules.md, read from a TOML file.

``data/rules.toml`` is the documented default; :data:`DEFAULT_RULES` equals it (a test checks).
Validation collects every problem before raising, so an administrator fixes a file in one go.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from signals.domain import REACHES, RELIABILITIES
from signals.engine.detection import METHOD_EXTRA_LAG
from signals.engine.rules_labels import label_of

EARS_METHODS = tuple(METHOD_EXTRA_LAG)
MAX_PHASE = 4
# A risk moment is context, not evidence: at most a couple of score points (two reliable
# complaints about an individual), never enough to stand in for a wave of signals.
MAX_RISK_MOMENT_WEIGHT = 2.0


class RulesError(ValueError):
    """Invalid rules; ``problems`` lists every problem, the message shows them all in Dutch."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Ongeldige faseregels:\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class Rules:
    """All phase-rule settings; see ``data/rules.toml`` for what each one means."""

    reliability_weights: Mapping[str, float]
    reach_weights: Mapping[str, float]
    recency_last_week: float
    weerbaarheid_weight: float
    repeat_weight: float
    ignore_niet_bevestigd: bool
    timeliness_days: int
    ears_method: str
    ears_baseline: int
    ears_alpha: float
    ears_min_sigma: float
    ears_dispersion_floor: float
    change_window: int
    change_low_mean: float
    change_low_count: float
    change_large_increase: float
    change_moderate_increase: float
    change_large_decrease: float
    phase1_min_score: float
    phase2_min_reporters: int
    phase2_score_min_reporters: int
    phase2_min_excess: float
    phase2_severe_alpha: float
    phase2_severe_min_sigma: float
    phase2_severe_dispersion_floor: float
    phase2_theme_min_signals: int
    phase2_theme_alpha: float
    phase2_verified_min_severity: int
    call_horizon_days: int
    phase3_min_reporters: int
    phase3_min_offline_reporters: int
    phase4_min_severity: int
    phase4_min_reporters: int
    max_drop_per_week: int
    nafase_weeks: int
    nafase_min_phase: int
    visibility_min_rate: float
    risk_moment_weight: float = 0.0

    @property
    def ears_max_lag(self) -> int:
        """Weeks of history before a week that EARS reads (R's ``maxLag``)."""
        return self.ears_baseline + METHOD_EXTRA_LAG[self.ears_method]

    @property
    def warmup_weeks(self) -> int:
        """Weeks before the first requested week that make its proposed phase exact.

        A raw phase needs the EARS history plus one week (the score of week t mixes in week
        t-1) and the %-change window. The proposed phase then looks back as far as a higher
        phase can still decay into it (rule 8) and as far as the nafase lasts (rule 9).
        """
        history = max(self.ears_max_lag + 1, self.change_window)
        decay_depth = math.ceil(MAX_PHASE / self.max_drop_per_week) - 1
        return history + max(decay_depth, self.nafase_weeks)


# --- schema: (section, key) -> field, with type and range checks -------------------------

Check = Callable[[Any], str | None]


def _at_least(low: float) -> Check:
    return lambda v: None if v >= low else f"moet minstens {_nl(low)} zijn"


def _between(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"moet tussen {_nl(low)} en {_nl(high)} liggen"


def _open_unit(v: float) -> str | None:
    return None if 0 < v < 1 else "moet groter dan 0 en kleiner dan 1 zijn"


def _one_of(options: tuple[str, ...]) -> Check:
    return lambda v: None if v in options else f"moet een van {', '.join(options)} zijn"


def _nl(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class _Setting:
    path: str  # "section.key" in the TOML file
    attr: str  # Rules field, or "reliability_weights.hoog" for an entry of a weight table
    kind: type
    check: Check | None = None
    # Used when the setting is absent: a setting added later keeps older files valid.
    default: Any = None


_NON_NEGATIVE = _at_least(0)
_SETTINGS: tuple[_Setting, ...] = (
    *(_Setting(f"score.reliability.{k}", f"reliability_weights.{k}", float, _NON_NEGATIVE)
      for k in RELIABILITIES),
    *(_Setting(f"score.reach.{k}", f"reach_weights.{k}", float, _NON_NEGATIVE) for k in REACHES),
    _Setting("score.recency_last_week", "recency_last_week", float, _between(0, 1)),
    _Setting("score.weerbaarheid_weight", "weerbaarheid_weight", float, _NON_NEGATIVE),
    _Setting("score.repeat_weight", "repeat_weight", float, _between(0, 1)),
    _Setting("signals.ignore_niet_bevestigd", "ignore_niet_bevestigd", bool),
    _Setting("signals.timeliness_days", "timeliness_days", int, _NON_NEGATIVE),
    _Setting("detection.method", "ears_method", str, _one_of(EARS_METHODS)),
    _Setting("detection.baseline", "ears_baseline", int, _between(3, 104)),
    _Setting("detection.alpha", "ears_alpha", float, _open_unit),
    _Setting("detection.min_sigma", "ears_min_sigma", float, _NON_NEGATIVE),
    _Setting("detection.dispersion_floor", "ears_dispersion_floor", float, _NON_NEGATIVE),
    _Setting("change.window", "change_window", int, _between(1, 104)),
    _Setting("change.low_mean", "change_low_mean", float, _NON_NEGATIVE),
    _Setting("change.low_count", "change_low_count", float, _NON_NEGATIVE),
    _Setting("change.large_increase", "change_large_increase", float),
    _Setting("change.moderate_increase", "change_moderate_increase", float),
    _Setting("change.large_decrease", "change_large_decrease", float),
    _Setting("phase1.min_score", "phase1_min_score", float, _NON_NEGATIVE),
    _Setting("phase2.min_reporters", "phase2_min_reporters", int, _at_least(1)),
    _Setting("phase2.score_min_reporters", "phase2_score_min_reporters", int, _at_least(1)),
    _Setting("phase2.min_excess", "phase2_min_excess", float, _NON_NEGATIVE),
    _Setting("phase2.severe_alpha", "phase2_severe_alpha", float, _open_unit),
    _Setting("phase2.severe_min_sigma", "phase2_severe_min_sigma", float, _NON_NEGATIVE),
    _Setting("phase2.severe_dispersion_floor", "phase2_severe_dispersion_floor", float,
             _NON_NEGATIVE),
    _Setting("phase2.theme_min_signals", "phase2_theme_min_signals", int, _at_least(1)),
    _Setting("phase2.theme_alpha", "phase2_theme_alpha", float, _open_unit),
    _Setting("phase2.verified_min_severity", "phase2_verified_min_severity", int,
             _between(1, 5)),
    _Setting("phase3.call_horizon_days", "call_horizon_days", int, _between(0, 365)),
    _Setting("phase3.min_reporters", "phase3_min_reporters", int, _at_least(1)),
    _Setting("phase3.min_offline_reporters", "phase3_min_offline_reporters", int, _NON_NEGATIVE),
    _Setting("phase4.min_severity", "phase4_min_severity", int, _between(1, 5)),
    _Setting("phase4.min_reporters", "phase4_min_reporters", int, _at_least(1)),
    _Setting("dynamics.max_drop_per_week", "max_drop_per_week", int, _between(1, MAX_PHASE)),
    _Setting("dynamics.nafase_weeks", "nafase_weeks", int, _between(0, 52)),
    _Setting("dynamics.nafase_min_phase", "nafase_min_phase", int, _between(0, MAX_PHASE - 1)),
    _Setting("visibility.min_reporting_rate", "visibility_min_rate", float, _between(0, 1)),
    _Setting("context.risk_moment_weight", "risk_moment_weight", float,
             _between(0, MAX_RISK_MOMENT_WEIGHT), default=0.0),
)
_TABLES = frozenset(
    s.path.rsplit(".", n)[0] for s in _SETTINGS for n in range(1, s.path.count(".") + 1)
)
_TYPE_NAMES = {float: "een getal", int: "een geheel getal", bool: "true of false",
               str: "tekst"}


def _type_ok(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _flatten(m: Mapping[str, Any], prefix: str, out: dict[str, Any], tables: set[str],
             problems: list[str]) -> None:
    """Flatten nested tables to dotted keys, recording which known tables are present."""
    for key, value in m.items():
        path = f"{prefix}{key}"
        if not isinstance(value, Mapping):
            out[path] = value
        elif path in _TABLES:
            tables.add(path)
            _flatten(value, path + ".", out, tables, problems)
        else:
            problems.append(f"onbekende sectie [{path}]")


def _read_settings(m: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    present_tables: set[str] = set()
    _flatten(m, "", flat, present_tables, problems)
    known = {s.path for s in _SETTINGS}
    problems.extend(f"onbekende instelling '{p}'" for p in flat if p not in known)
    values: dict[str, Any] = {}
    for s in _SETTINGS:
        table = s.path.rsplit(".", 1)[0]
        if s.path not in flat:
            if s.default is not None:
                values[s.attr] = s.default
            elif table in present_tables:
                problems.append(f"{label_of(s.path)}: ontbrekende instelling '{s.path}'")
            continue
        value = flat[s.path]
        if not _type_ok(value, s.kind):
            problems.append(f"{label_of(s.path)}: '{s.path}' moet {_TYPE_NAMES[s.kind]} zijn, "
                            f"niet {value!r}")
            continue
        message = s.check(value) if s.check else None
        if message:
            problems.append(f"{label_of(s.path)}: '{s.path}' {message} (nu {value!r})")
            continue
        values[s.attr] = float(value) if s.kind is float else value
    optional = {s.path.rsplit(".", 1)[0] for s in _SETTINGS if s.default is not None} - {
        s.path.rsplit(".", 1)[0] for s in _SETTINGS if s.default is None}
    problems.extend(f"ontbrekende sectie [{t}]"
                    for t in sorted(_TABLES - present_tables - optional))
    return values


def _cross_checks(v: dict[str, Any]) -> list[str]:
    """Checks between settings; only run on values that passed their own checks."""
    problems = []
    bands = ("change_large_decrease", "change_moderate_increase", "change_large_increase")
    if all(b in v for b in bands) and not (
        v[bands[0]] <= 0 <= v[bands[1]] < v[bands[2]]
    ):
        problems.append("Verandering: sterke afname ('change.large_decrease') <= 0 <= matige "
                        "toename ('change.moderate_increase') < sterke toename "
                        "('change.large_increase') is niet waar")
    offline, total = "phase3_min_offline_reporters", "phase3_min_reporters"
    if offline in v and total in v and v[offline] > v[total]:
        problems.append("Fase 3: 'Waarvan offline' ('phase3.min_offline_reporters') mag niet "
                        "groter zijn dan het minimaal aantal sleutelfiguren "
                        "('phase3.min_reporters')")
    return problems


def rules_from_mapping(m: Mapping[str, Any]) -> Rules:
    """Build :class:`Rules` from nested tables as in ``data/rules.toml``; raises RulesError."""
    problems: list[str] = []
    values = _read_settings(m, problems)
    problems.extend(_cross_checks(values))
    if problems:
        raise RulesError(problems)
    kwargs: dict[str, Any] = {"reliability_weights": {}, "reach_weights": {}}
    for attr, value in values.items():
        table, _, key = attr.partition(".")
        if key:
            kwargs[table][key] = value
        else:
            kwargs[attr] = value
    kwargs["reliability_weights"] = MappingProxyType(kwargs["reliability_weights"])
    kwargs["reach_weights"] = MappingProxyType(kwargs["reach_weights"])
    return Rules(**kwargs)


_TOML_POSITION = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)")


def parse_rules(text: str) -> Rules:
    """Parse the TOML text of a rules file; syntax errors become a RulesError with the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        pos = _TOML_POSITION.search(str(exc))
        if pos and pos.group(1):
            where = f"op regel {pos.group(1)}, kolom {pos.group(2)}"
        else:
            where = "aan het einde van het bestand" if pos else "op een onbekende plaats"
        detail = _TOML_POSITION.sub("", str(exc)).strip()
        raise RulesError([f"geen geldige TOML {where} ({detail})"]) from None
    return rules_from_mapping(data)


def rules_to_mapping(rules: Rules) -> dict[str, Any]:
    """Nested tables of a Rules object, the inverse of :func:`rules_from_mapping`."""
    out: dict[str, Any] = {}
    for s in _SETTINGS:
        table, _, key = s.attr.partition(".")
        value = getattr(rules, table)[key] if key else getattr(rules, s.attr)
        *sections, leaf = s.path.split(".")
        node = out
        for section in sections:
            node = node.setdefault(section, {})
        node[leaf] = value
    return out


DEFAULT_RULES = Rules(
    reliability_weights=MappingProxyType(
        {"hoog": 1.0, "middel": 0.8, "laag": 0.5, "onbekend": 0.6}),
    reach_weights=MappingProxyType({"individu": 1.0, "klein": 1.25, "middel": 1.5, "groot": 2.0}),
    recency_last_week=0.5,
    weerbaarheid_weight=1.0,
    repeat_weight=0.5,
    ignore_niet_bevestigd=True,
    timeliness_days=3,
    ears_method="C2",
    ears_baseline=13,
    ears_alpha=0.001,
    ears_min_sigma=1.0,
    ears_dispersion_floor=2.0,
    change_window=4,
    change_low_mean=2.0,
    change_low_count=5.0,
    change_large_increase=25.0,
    change_moderate_increase=10.0,
    change_large_decrease=-25.0,
    phase1_min_score=1.0,
    phase2_min_reporters=2,
    phase2_score_min_reporters=3,
    phase2_min_excess=4.0,
    phase2_severe_alpha=0.001,
    phase2_severe_min_sigma=1.0,
    phase2_severe_dispersion_floor=3.0,
    phase2_theme_min_signals=4,
    phase2_theme_alpha=0.0001,
    phase2_verified_min_severity=4,
    call_horizon_days=14,
    phase3_min_reporters=2,
    phase3_min_offline_reporters=1,
    phase4_min_severity=5,
    phase4_min_reporters=2,
    max_drop_per_week=1,
    nafase_weeks=4,
    nafase_min_phase=1,
    visibility_min_rate=0.5,
    risk_moment_weight=0.0,
)
