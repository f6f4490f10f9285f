"""Tests for bot/privacy.py: personal data masked before storage, user ids hashed."""

from __future__ import annotations

import pytest

from bot.privacy import mask, user_hash


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ring meg på 900 12 345", "ring meg på [telefon]"),
        ("tlf +47 90012345 takk", "tlf [telefon] takk"),
        ("0047 35 01 50 00", "[telefon]"),
        ("nummeret mitt er 35015000.", "nummeret mitt er [telefon]."),
        ("fødselsnummer 01017012345", "fødselsnummer [fødselsnummer]"),
        ("fnr 010170 12345", "fnr [fødselsnummer]"),
        ("kort 4111 1111 1111 1111 utløper", "kort [kortnummer] utløper"),
        ("skriv til ola.nordmann+bot@example.kommune.no!", "skriv til [e-post]!"),
        ("strategi 2019–2030, stiftet 2005", "strategi 2019–2030, stiftet 2005"),
        ("ring 113 eller 116 117", "ring 113 eller 116 117"),
        ("klokka 12.30 den 8.2.", "klokka 12.30 den 8.2."),
    ],
)
def test_mask(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_user_hash_is_keyed_stable_and_not_the_id() -> None:
    first = user_hash(123456789, "secret")
    assert first == user_hash(123456789, "secret")
    assert first != user_hash(123456789, "other secret")
    assert first != user_hash(123456780, "secret")
    assert "123456789" not in (first or "")
    assert len(first or "") == 16
    assert user_hash(None, "secret") is None
