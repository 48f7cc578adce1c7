"""The phase rules in force: the administrator's override in `settings`, else data/rules.toml.

The override is stored as the TOML text itself (comments included), so what the
administrator saw and validated is exactly what the engine reads.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signals.config import DEFAULT_RULES_FILE
from signals.db.models import Setting
from signals.domain import Role
from signals.engine import rules_labels
from signals.engine.reasons import rules_summary
from signals.engine.rules import (
    Rules,
    RulesError,
    parse_rules,
    rules_from_mapping,
    rules_to_mapping,
)
from signals.services import settings
from signals.services.actor import Actor, authorise
from signals.services.indicators import rebuild_indicators

# The rules form labels its fields with these; pages reach the engine only through services.
LABELS = rules_labels.LABELS
SECTION_TITLES = rules_labels.SECTION_TITLES
label_of = rules_labels.label_of
range_text = rules_labels.range_text
RULES_SETTING = settings.PHASE_RULES
MAX_RULES_CHARS = 100_000
# Parsed rules per database, with the updated_at of the override they were parsed from (None:
# the defaults): every save reads the rules, and parsing the TOML costs more than the save.
_parsed: dict[str, tuple[object, Rules]] = {}
# Changing these sections changes the stored weekly aggregates (see data/rules.toml).
AGGREGATE_SECTIONS = ("score", "signals")


@dataclass(frozen=True)
class RulesSaveResult:
    rules: Rules
    changed: bool
    aggregates_affected: bool  # weekly aggregates must be recomputed


def default_rules_text() -> str:
    return DEFAULT_RULES_FILE.read_text(encoding="utf-8")


def current_rules_text(session: Session) -> str:
    stored = settings.get_value(session, settings.PHASE_RULES)
    return stored if isinstance(stored, str) and stored.strip() else default_rules_text()


def is_overridden(session: Session) -> bool:
    stored = settings.get_value(session, settings.PHASE_RULES)
    return isinstance(stored, str) and bool(stored.strip())


def load_rules(session: Session) -> Rules:
    """The rules in force. A stored override was validated when saved; if it no longer
    parses (e.g. after an upgrade added a setting), the error says so instead of silently
    falling back to the defaults."""
    stamp = session.scalar(select(Setting.updated_at).where(Setting.key == RULES_SETTING))
    return rules_at(session, stamp)


def rules_at(session: Session, stamp: object) -> Rules:
    """``load_rules`` for a caller that read the override's ``updated_at`` (None: no
    override) in this transaction already."""
    database = str(session.get_bind().url)
    cached = _parsed.get(database)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rules = parse_rules(current_rules_text(session))
    _parsed[database] = (stamp, rules)
    return rules


def validate_rules_text(text: str) -> Rules:
    """Parse and check; raises RulesError listing every problem (Dutch)."""
    if len(text) > MAX_RULES_CHARS:
        raise RulesError([f"het bestand is te groot (meer dan {MAX_RULES_CHARS} tekens)"])
    return parse_rules(text)


def rules_diff(old: str, new: str) -> str:
    """A unified diff from the rules in force to the proposed text ('' when identical)."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile="huidige regels", tofile="nieuwe regels")
    return "".join(lines)


def save_rules_text(session: Session, actor: Actor, text: str) -> RulesSaveResult:
    """Validate and store the new rules (beheerder only); audited with hashes, not text."""
    actor = authorise(session, actor, Role.BEHEERDER)
    new_rules = validate_rules_text(text)
    old_text = current_rules_text(session)
    if text == old_text:
        return RulesSaveResult(new_rules, False, False)
    old_rules = _parse_or_none(old_text)
    affected = old_rules is None or _sections_differ(old_rules, new_rules, AGGREGATE_SECTIONS) \
        or old_rules.call_horizon_days != new_rules.call_horizon_days \
        or old_rules.phase4_min_severity != new_rules.phase4_min_severity \
        or old_rules.phase2_verified_min_severity != new_rules.phase2_verified_min_severity
    settings.put(session, actor, settings.PHASE_RULES, text, details={
        "oud_sha256": _sha256(old_text), "nieuw_sha256": _sha256(text),
        "gewijzigde_regels": _changed_line_count(old_text, text),
        "aggregaten_herberekenen": affected,
    })
    if affected:
        _recompute_aggregates(session, new_rules)
    return RulesSaveResult(new_rules, True, affected)


def _recompute_aggregates(session: Session, rules: Rules) -> None:
    """The stored weekly aggregates depend on these rules: rebuild them in this transaction."""
    rebuild_indicators(session, rules=rules)


def reset_to_default(session: Session, actor: Actor) -> bool:
    """Drop the override so data/rules.toml applies again (aggregates rebuilt); audited."""
    removed = settings.delete(session, actor, settings.PHASE_RULES)
    if removed:
        _recompute_aggregates(session, parse_rules(default_rules_text()))
    return removed


def _parse_or_none(text: str) -> Rules | None:
    try:
        return parse_rules(text)
    except RulesError:
        return None


def _sections_differ(old: Rules, new: Rules, sections: tuple[str, ...]) -> bool:
    old_map, new_map = rules_to_mapping(old), rules_to_mapping(new)
    return any(old_map.get(s) != new_map.get(s) for s in sections)


def _changed_line_count(old: str, new: str) -> int:
    return sum(1 for line in difflib.ndiff(old.splitlines(), new.splitlines())
               if line.startswith(("+ ", "- ")))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rules_explanation(session: Session) -> list[str]:
    """The rules in force in plain Dutch, for "Hoe is dit berekend?"."""
    return rules_summary(load_rules(session))


# --- the form editor: settings by their dotted path ----------------------------------------

_ASSIGNMENT = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)([^#\n]*?)(\s*(?:#.*)?)$")
_TABLE = re.compile(r"^\s*\[([A-Za-z0-9_.]+)\]\s*(?:#.*)?$")


def form_values(rules: Rules) -> dict[str, Any]:
    """Every setting of ``rules`` by its dotted path ("phase2.min_excess"), in file order."""
    out: dict[str, Any] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                out[f"{prefix}{key}"] = value

    walk(rules_to_mapping(rules), "")
    return out


def rules_from_form(values: dict[str, Any]) -> Rules:
    """Rules from dotted-path values; raises RulesError naming each bad setting in Dutch."""
    mapping: dict[str, Any] = {}
    for path, value in values.items():
        *sections, leaf = path.split(".")
        node = mapping
        for section in sections:
            node = node.setdefault(section, {})
        node[leaf] = value
    return rules_from_mapping(mapping)


def changed_settings(old: Rules, new: Rules) -> list[tuple[str, Any, Any]]:
    """(path, old value, new value) of every setting that differs."""
    before, after = form_values(old), form_values(new)
    return [(path, before[path], after[path]) for path in after if before[path] != after[path]]


def rules_to_toml(rules: Rules, template: str) -> str:
    """``template`` (a valid rules file) with every value replaced by those of ``rules``.

    Comments and layout stay, so the stored text still explains itself.
    """
    values = form_values(rules)
    table, lines = "", []
    written: set[str | None] = set()
    for line in template.splitlines(keepends=True):
        body = line.rstrip("\n")
        header = _TABLE.match(body)
        if header:
            table = header.group(1)
        match = _ASSIGNMENT.match(body)
        path = f"{table}.{match.group(2)}" if match and table else None
        if match and path in values:
            indent, key, eq, _, comment = match.groups()
            body = f"{indent}{key}{eq}{_toml_value(values[path])}{comment}"
            line = body + ("\n" if line.endswith("\n") else "")
        lines.append(line)
        written.add(path)
    return "".join(lines) + _missing_settings(values, written)


def _missing_settings(values: dict[str, Any], written: set[str | None]) -> str:
    """Settings the template lacks (an override saved before they existed), as new tables."""
    missing: dict[str, list[str]] = {}
    for path, value in values.items():
        if path not in written:
            table, _, key = path.rpartition(".")
            missing.setdefault(table, []).append(f"{key} = {_toml_value(value)}\n")
    return "".join(f"\n[{table}]\n" + "".join(keys) for table, keys in missing.items())


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def save_rules(session: Session, actor: Actor, rules: Rules) -> RulesSaveResult:
    """Store ``rules`` from the form: the current text with the new values (beheerder only)."""
    return save_rules_text(session, actor, rules_to_toml(rules, current_rules_text(session)))
