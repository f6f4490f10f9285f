"""Tests for bot/privacy.py: personal data masked before storage, user ids hashed.

The numbers below are made up; the national ids and account numbers among them carry valid
check digits (that is what tells them from dates and other numbers), the ones marked "fails
the checksum" do not.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.config import Config
from bot.privacy import MAX_STORED_CHARS, PLACEHOLDERS, mask, user_hash
from tests import updates
from tests.conftest import OfflineBot

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

MASKED = [
    # phone numbers
    ("ring meg på 900 12 345", "ring meg på [telefon]"),
    ("tlf +47 90012345 takk", "tlf [telefon] takk"),
    ("0047 35 01 50 00", "[telefon]"),
    ("nummeret mitt er 35015000.", "nummeret mitt er [telefon]."),
    (f"ring 900{NBSP}12{NBSP}345 nå", "ring [telefon] nå"),
    (f"ring 35{NARROW_NBSP}01{NARROW_NBSP}50{NARROW_NBSP}00", "ring [telefon]"),
    ("ring 900  12  345 nå", "ring [telefon] nå"),
    ("ring 35/01/50/00 nå", "ring [telefon] nå"),
    ("ring 350 15/000", "ring [telefon]"),
    ("ring 900-12-345", "ring [telefon]"),
    ("ring 35.01.50.00", "ring [telefon]"),
    ("tlf:90012345", "tlf:[telefon]"),
    ("+47 900 12 345 eller 35 01 50 00 / 90 12 34 56",
     "[telefon] eller [telefon] / [telefon]"),
    ("4790012345", "[telefon]"),
    ("+46 70 123 45 67", "[telefon]"),
    # fødselsnummer and D-nummer (two mod-11 check digits)
    ("fødselsnummer 01019010046", "fødselsnummer [fødselsnummer]"),
    ("fnr 010190 10046", "fnr [fødselsnummer]"),
    ("fnr 010190 100 46", "fnr [fødselsnummer]"),
    ("fnr 01 01 90 10046", "fnr [fødselsnummer]"),
    ("fnr 01.01.90 10046", "fnr [fødselsnummer]"),
    ("fnr 010190-10046", "fnr [fødselsnummer]"),
    ("d-nummer 41019010110", "d-nummer [fødselsnummer]"),
    # eleven digits that fail every checksum: still masked, as a possible number
    ("fnr 01017012345", "fnr [nummer]"),
    ("fnr 010190 123 45", "fnr [nummer]"),
    # bank account numbers (mod-11)
    ("konto 12345678903", "konto [kontonummer]"),
    ("konto 1234.56.78903", "konto [kontonummer]"),
    ("konto 1234 56 78903", "konto [kontonummer]"),
    # card numbers (Luhn) and other long digit runs
    ("kort 4111 1111 1111 1111 utløper", "kort [kortnummer] utløper"),
    ("kort 4111-1111-1111-1111", "kort [kortnummer]"),
    ("kort 4111 1111 1111 1112", "kort [nummer]"),
    ("1234/5678/9012/3456", "[nummer]"),
    ("ref 123456789012345678901234", "ref [nummer]"),
    ("12 000 000 og 900 12 345", "[telefon] og [telefon]"),
    # e-mail addresses
    ("skriv til ola.nordmann+bot@example.kommune.no!", "skriv til [e-post]!"),
    ("kari (at) example.no svarer ikke", "[e-post] svarer ikke"),
    ("kari(at)example.no", "[e-post]"),
    ("kari [at] example [dot] no", "[e-post]"),
    ("KARI (AT) EXAMPLE.NO", "[e-post]"),
    # names
    ("jeg heter Kari Nordmann og lurer på noe", "jeg heter [navn] og lurer på noe"),
    ("jeg heter kari nordmann og lurer på noe", "jeg heter [navn] og lurer på noe"),
    ("Jeg heter Kari. Hva er tlf til Tinn?", "Jeg heter [navn]. Hva er tlf til Tinn?"),
    ("Hei, jeg heter Anne-Lise Berg Hansen", "Hei, jeg heter [navn]"),
    ("mitt navn er Ola", "mitt navn er [navn]"),
    ("navnet mitt er Ola Nordmann, hva gjør regionrådet?",
     "navnet mitt er [navn], hva gjør regionrådet?"),
    ("eg heiter Kari Nordmann", "eg heiter [navn]"),
    ("namnet mitt er Kari", "namnet mitt er [navn]"),
    ("my name is Kari Nordmann, what is the number", "my name is [navn], what is the number"),
    ("hi, I'm called Kari", "hi, I'm called [navn]"),
    # addresses
    ("jeg bor i Storgata 12 og søppelet er ikke hentet",
     "jeg bor i [adresse] og søppelet er ikke hentet"),
    ("eg bur i Kirkevegen 3b", "eg bur i [adresse]"),
    ("adressen min er Storgata 12, 3616 Kongsberg. Hva nå?", "adressen min er [adresse]. Hva nå?"),
    ("adressen min er Lampeland", "adressen min er [adresse]"),
    ("adressa mi er Sandvin 4", "adressa mi er [adresse]"),
    ("I live at 12 Main Street", "I live at [adresse]"),
    ("my address is Storgata 12", "my address is [adresse]"),
    ("søppel i Kong Haralds gate 5 ikke hentet", "søppel i [adresse] ikke hentet"),
    ("bor på Tinnvegen 101, kan dere hjelpe?", "bor på [adresse], kan dere hjelpe?"),
    # several kinds in one message
    ("jeg heter Kari, bor i Storgata 12, tlf 900 12 345, kari@example.no",
     "jeg heter [navn], bor i [adresse], tlf [telefon], [e-post]"),
]

KEPT = [
    "strategi 2019–2030, stiftet 2005",
    "ring 113 eller 116 117",
    "ring 02800 eller 1412",
    "klokka 12.30 den 8.2.",
    "åpent 08.00-15.30 i dag",
    "åpent 08.00 - 15.30",
    "åpent 0800-1530",
    "møte 12.03.2024 kl 10",
    "møte 12.3.24",
    "møte 12/03/2024",
    "frist 2024-03-12",
    "fra 12.03.2024 til 14.03.2024",
    "12.03.2024-14.03.2024",
    "skoleåret 2024-2025",
    "budsjett 2024/2025",
    "2019-2020-2021",
    "postnummer 3616 Kongsberg",
    "org.nr 940 565 005",
    "folketall 27 845 i 2023",
    "bor i Kongsberg",
    "jeg bor på Notodden og lurer på bussen",
    "bur i Kongsberg 3 år",
    "alle 12 kommunene",
    "riksvei 40 er stengt",
    "fylkesveg 37 ved Gransherad",
    "Notodden ligger 40 km fra Kongsberg",
    "budsjettet er 12 000 000 kroner",
    "tilskudd på kr 12 500 000",
    "12.500.000,- til næringsutvikling",
    "minst 12 personer",
    "jeg heter ikke det",
    "hva heter ordføreren i Tinn",
    "I live in Kongsberg",
    "adressen er ikke kjent",
    "kommunens e-post",
    "send e-post til postmottak",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_dates_times_short_numbers_and_ordinary_words_stay(text: str) -> None:
    assert mask(text) == text


def test_masking_happens_before_the_cut() -> None:
    """A number across the cut is masked whole, never stored in part."""
    for shift in range(-12, 3):
        text = "x" * (MAX_STORED_CHARS + shift) + " 900 12 345 og 01019010046"
        stored = mask(text)
        assert len(stored) <= MAX_STORED_CHARS
        assert not re.search(r"\d", stored), (shift, stored[-20:])


def test_the_cut_never_splits_a_placeholder() -> None:
    for shift in range(-20, 1):
        stored = mask("x" * (MAX_STORED_CHARS + shift) + " [telefon] 900 12 345")
        tail = stored[stored.rfind("["):].rstrip() if "[" in stored else ""
        assert not tail or tail in PLACEHOLDERS, tail


def test_no_limit_keeps_everything() -> None:
    text = "tlf 900 12 345 " * 200
    assert mask(text, limit=None) == "tlf [telefon] " * 200


async def test_a_number_at_the_matching_cut_reaches_the_log_masked_whole(
    offline_bot: OfflineBot, config: Config
) -> None:
    """The bot once cut a message to 1 000 characters before the log masked it: a phone
    number across the cut was stored in part ("… 900 12")."""
    for shift in (-8, -5, -3):
        text = "hva gjør regionrådet " + "x" * (995 + shift - 21) + " 900 12 345 takk"
        await offline_bot.send(updates.message(text, user_id=77))
    question_log = offline_bot.application.bot_data["services"].question_log
    assert await question_log.flush()
    rows = await question_log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert len(rows) == 3
    for row in rows:
        assert not re.search(r"\d", row.text), row.text[-30:]
    data = Path(config.database.path).read_bytes()
    assert b"900 12" not in data and b"900 1" not in data


def test_user_hash_is_keyed_stable_and_not_the_id() -> None:
    first = user_hash(123456789, "secret")
    assert first == user_hash(123456789, "secret")
    assert first != user_hash(123456789, "other secret")
    assert first != user_hash(123456780, "secret")
    assert "123456789" not in (first or "")
    assert len(first or "") == 16
    assert user_hash(None, "secret") is None
