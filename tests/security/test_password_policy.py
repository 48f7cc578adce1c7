"""Password policy: minimum length, common passwords (also disguised), the username."""

from __future__ import annotations

import pytest

from signals.services.users import common_passwords, password_problems


@pytest.mark.parametrize("password", [
    "wachtwoord12", "Wachtwoord2026!", "P@ssw0rd123456", "123456789012", "qwertyuiop12",
    "welkomwelkomwelkom", "abcabcabcabc", "aaaaaaaaaaaaaaaa", "Beheerder123456",
    "!!Geheim2026!!", "W3lk0m123456",
])
def test_common_or_disguised_common_passwords_are_refused(password: str) -> None:
    assert any("voorspelbaar" in p or "verschillende" in p for p in password_problems(password))


@pytest.mark.parametrize("password", [
    "Correct-Paard-Nietje-2026", "zomer in lindeveen", "fiets-regen-tulp-42", "x7#kQ9!vL2@p",
])
def test_long_uncommon_passwords_pass(password: str) -> None:
    assert password_problems(password, "coordinator") == []


def test_short_and_username_passwords_are_refused() -> None:
    assert password_problems("Kort-1") == ["moet minstens 12 tekens lang zijn"]
    assert "mag de gebruikersnaam niet bevatten" in password_problems(
        "jan.devries-2026-x", "jan.devries")
    assert password_problems("x" * 300)


def test_the_list_is_loaded_and_lower_case() -> None:
    listed = common_passwords()
    assert len(listed) > 200
    assert "wachtwoord" in listed and all(p == p.lower() for p in listed)
