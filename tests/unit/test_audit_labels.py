"""Every audit action and object the services record has a Dutch label for the Auditlog page."""

from __future__ import annotations

import ast

from signals.config import PROJECT_ROOT
from signals.ui.audit_labels import ACTION_LABELS, OBJECT_LABELS, action_label, object_label

RECORDERS = {"record", "record_now"}  # audit.record and its Core twin on the save path


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _recorded() -> tuple[set[str], set[str]]:
    """String actions and object types passed to audit.record(_now), plus `action=` defaults."""
    actions: set[str] = set()
    objects: set[str] = set()
    for path in (PROJECT_ROOT / "signals" / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in RECORDERS:
                if len(node.args) > 2:
                    actions.update(_strings(node.args[2]))
                if len(node.args) > 3:
                    objects.update(_strings(node.args[3]))
            if isinstance(node, ast.arguments):
                names = [a.arg for a in node.args + node.kwonlyargs]
                defaults = [None] * (len(node.args) - len(node.defaults)) + list(node.defaults)
                defaults += list(node.kw_defaults)
                for name, default in zip(names, defaults, strict=True):
                    if name == "action" and default is not None:
                        actions.update(_strings(default))
            if isinstance(node, ast.keyword) and node.arg == "action":
                actions.update(_strings(node.value))
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", "").endswith("_ACTION")):
                actions.update(_strings(node.value))
    return actions, objects


def test_every_recorded_action_and_object_has_a_dutch_label() -> None:
    actions, objects = _recorded()
    assert {"login", "signaal_gemeld", "pii_bevestigd", "login_mislukt"} <= actions
    assert actions - set(ACTION_LABELS) == set()
    assert objects - set(OBJECT_LABELS) == set()


def test_labels_are_words_never_codes() -> None:
    assert action_label("login") == "Ingelogd"
    assert object_label("user") == "Gebruiker"
    assert action_label("iets_nieuws_gedaan") == "Iets nieuws gedaan"
