"""Demo key figures and the one-per-role demo accounts (documented as demo-only)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from signals.domain import Role
from signals.services.demo.municipality import DEMO_WIJKEN

if TYPE_CHECKING:
    from signals.services.demo.scenarios import Town

ROLE_TYPE_MIX = ("jongerenwerker", "wijkagent", "docent", "religieus_leider", "ondernemer",
                 "bewoner", "opbouwwerker", "handhaver")
DEMO_PASSWORDS: dict[str, str] = {
    "sleutelfiguur": "demo-sleutelfiguur-2026",
    "coordinator": "demo-coordinator-2026",
    "coordinator_zuid": "demo-coordinator-2026",
    "manager": "demo-manager-2026",
    "beheerder": "demo-beheerder-2026",
    # Scheldevoorde (`demo --vlaams`): its coordinator sees only that gemeente.
    "coordinator_schelde": "demo-coordinator-2026",
    "sleutelfiguur_schelde": "demo-sleutelfiguur-2026",
}


# The desired network mix per wijk: every wijk wants a wijkagent; the busy and the tense
# wijken want a jongerenwerker, a docent and a religious leader too. Industrieterrein Noord
# has only 2 key figures, fewer than the minimum of 3: the demo's visible netwerkgat.
BASE_MIX = {"wijkagent": 1}
DEMO_MIX: dict[str, dict[str, int]] = {
    w.code: {**BASE_MIX, **({"jongerenwerker": 1, "docent": 1, "religieus_leider": 1}
                            if w.profile in ("druk", "escalatie", "oproep") else {})}
    for w in DEMO_WIJKEN}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    reporter_role: str | None
    wijk_codes: tuple[str, ...]


def key_figures(seed: int, town: Town | None = None) -> list[DemoUser]:
    """The town's key figures (Lindeveen: about 40); its demo account (Lindeveen:
    'sleutelfiguur') is one of the key figures of the wijk with the "oproep" story."""
    from signals.services.demo.scenarios import LINDEVEEN

    town = town or LINDEVEEN
    rng = random.Random(seed)
    users: list[DemoUser] = []
    number = 1
    for wijk in town.wijken:
        for slot in range(wijk.key_figures):
            role_type = "wijkagent" if slot == 0 else rng.choice(ROLE_TYPE_MIX)
            is_demo_account = wijk.profile == "oproep" and slot == 1
            name = town.demo_account if is_demo_account else f"{town.user_prefix}{number:03d}"
            users.append(DemoUser(name, Role.SLEUTELFIGUUR, role_type, (wijk.code,)))
            number += 1
    return users


def staff_accounts() -> list[DemoUser]:
    codes = [w.code for w in DEMO_WIJKEN]
    return [
        DemoUser("coordinator", Role.COORDINATOR, None, tuple(codes[:10])),
        DemoUser("coordinator_zuid", Role.COORDINATOR, None, tuple(codes[8:])),
        DemoUser("manager", Role.MANAGER, None, ()),
        DemoUser("beheerder", Role.BEHEERDER, None, ()),
    ]
