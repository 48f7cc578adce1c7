"""Every service use case reloads its actor (signals.services.actor.authorise).

Structural guard for the behaviour tested in test_defence_in_depth.py: a public service
function that takes a session and an actor must call `authorise`, or a use case that does.
Only the write helpers that record what an already authorised use case did are exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "signals" / "services"
# Write helpers called by use cases only (the import's bulk writes record what
# import_signals, an authorised use case, decided).
RECORDERS = {"record", "record_now", "add_history", "add_history_now", "record_confirmation",
             "insert_signals", "update_signals"}


def _functions(public: bool = True) -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name != "authorise" \
                    and not (public and node.name.startswith("_")):
                args = {a.arg for a in node.args.args}
                if {"session", "actor"} <= args:
                    found.append((f"{path.stem}.{node.name}", node))
    return found


def _called(node: ast.FunctionDef) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_no_service_checks_a_role_without_reloading_the_actor() -> None:
    offenders = [path.name for path in SERVICES.rglob("*.py") if path.name != "actor.py"
                 and "actor.require_role(" in path.read_text(encoding="utf-8")]
    assert not offenders, "use `actor = authorise(session, actor, ...)` in " + str(offenders)


def test_every_use_case_reloads_its_actor() -> None:
    direct = {name.split(".")[1] for name, node in _functions(public=False)
              if "authorise" in _called(node)}
    missing = [name for name, node in _functions()
               if name.split(".")[1] not in direct | RECORDERS
               and not _called(node) & direct]
    assert not missing, f"call authorise(session, actor, ...) first in: {missing}"
    assert len(direct) > 40
