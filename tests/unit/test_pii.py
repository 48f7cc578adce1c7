"""The personal-data check: valid numbers are found, invalid look-alikes are not."""

from __future__ import annotations

import pytest

from signals.errors import ValidationError
from signals.services.pii import (
    PersonalDataError,
    PiiConfirmation,
    require_confirmed,
    scan,
    scan_fields,
)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.value) for m in scan(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("mail jan.jansen@example.nl", [("email", "jan.jansen@example.nl")]),
    ("bel 06-12345678", [("telefoon", "06-12345678")]),
    ("bel 0612345678.", [("telefoon", "0612345678")]),
    ("bel +31 6 12345678", [("telefoon", "+31 6 12345678")]),
    ("bel 0031612345678", [("telefoon", "0031612345678")]),
    ("vast 020-1234567", [("telefoon", "020-1234567")]),
    ("vast 010 123 4567", [("telefoon", "010 123 4567")]),
    ("vast +31 20 123 4567", [("telefoon", "+31 20 123 4567")]),
    ("bsn 111222333", [("bsn", "111222333")]),
    ("bsn 123456782", [("bsn", "123456782")]),
    ("bsn 1112.22.333", [("bsn", "1112.22.333")]),
    ("iban NL91ABNA0417164300", [("iban", "NL91ABNA0417164300")]),
    ("iban NL91 ABNA 0417 1643 00 is van hem", [("iban", "NL91 ABNA 0417 1643 00")]),
    ("kenteken AB-12-CD", [("kenteken", "AB-12-CD")]),
    ("kenteken 12-ABC-3", [("kenteken", "12-ABC-3")]),
    ("kenteken 1-KBB-23", [("kenteken", "1-KBB-23")]),
    ("kenteken GZ-123-X", [("kenteken", "GZ-123-X")]),
    ("kenteken GZ123X", [("kenteken", "GZ123X")]),
    ("kenteken xx-99-99", [("kenteken", "xx-99-99")]),
    ("adres 1234 AB 12", [("adres", "1234 AB 12")]),
    ("adres 1234AB, nr. 7a", [("adres", "1234AB, nr. 7a")]),
    ("Dorpsstraat 5a, 3511 LN Utrecht", [("adres", "5a, 3511 LN")]),
    ("account @jantje_01 riep op", [("handle", "@jantje_01")]),
    ("zie https://www.instagram.com/jantje_01/.", [("profiel",
                                                    "https://www.instagram.com/jantje_01/")]),
    ("groep t.me/actiegroep", [("profiel", "t.me/actiegroep")]),
    ("filmpje youtube.com/watch?v=abc", [("profiel", "youtube.com/watch?v=abc")]),
    ("op x.com/piet en twitter.com/piet", [("profiel", "x.com/piet"),
                                           ("profiel", "twitter.com/piet")]),
    ("fb facebook.com/piet.p", [("profiel", "facebook.com/piet.p")]),
    ("tiktok https://tiktok.com/@piet", [("profiel", "https://tiktok.com/@piet")]),
])
def test_personal_data_is_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "zaak 123456789",  # fails the 11-test: no BSN
    "iban NL91ABNA0417164301",  # fails mod-97
    "bel 06-1234",  # too short for a phone number
    "bel 0800-1234 of 0900-8844",  # service numbers are not personal
    "datum 12-03-2026 en 2026-03-12 om 12:30",
    "150 mensen, 0,5 km, 20 tot 30 jongeren",
    "postcode 1234 AB zonder huisnummer",
    "postcode 1234 SA 5 bestaat niet",
    "kijk op box.com/abc of www.lindeveen.nl/nieuws",
    "COVID19 en A380 en MH17",
    "",
])
def test_look_alikes_are_not_flagged(text: str) -> None:
    assert scan(text) == []


def test_an_email_address_is_not_also_a_handle() -> None:
    assert kinds("piet@voorbeeld.nl") == [("email", "piet@voorbeeld.nl")]


def test_matches_are_reported_per_field_in_reading_order() -> None:
    found = scan_fields({"description": "bel 06-12345678 of mail a@b.nl", "subtype": "",
                         "action_place": "Marktplein"})
    assert list(found) == ["description"]
    assert [m.kind for m in found["description"]] == ["telefoon", "email"]


def test_unconfirmed_matches_raise_with_a_dutch_message() -> None:
    with pytest.raises(PersonalDataError) as caught:
        require_confirmed({"description": "bsn 111222333"}, None)
    message = str(caught.value)
    assert "description" in message and "BSN (burgerservicenummer) '111222333'" in message
    assert "Haal ze weg, of bevestig met een reden" in message


def test_a_confirmation_must_cover_every_match_and_carry_a_reason() -> None:
    fields = {"description": "bsn 111222333, bel 06-12345678"}
    with pytest.raises(PersonalDataError):
        require_confirmed(fields, PiiConfirmation("Nodig voor de melding", frozenset({"x"})))
    with pytest.raises(ValidationError, match="minimaal 10 tekens"):
        require_confirmed(fields, PiiConfirmation("kort"))
    found = require_confirmed(fields, PiiConfirmation("Nodig voor de melding"))
    assert {m.kind for m in found["description"]} == {"bsn", "telefoon"}


def test_values_confirmed_earlier_need_no_new_confirmation() -> None:
    assert require_confirmed({"description": "bsn 111222333"}, None,
                             already=frozenset({"111222333"})) == {}
