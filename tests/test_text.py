"""Tests for bot/text.py: folding, phrases, synonyms, stop and courtesy words, language."""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge import LanguageData, load_knowledge
from bot.text import (
    MAX_CACHED_WORD_CHARS,
    WORD_CACHE_SIZE,
    Normalizer,
    fold,
    in_digits,
    rejoined,
    stem,
    words,
)


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    """The normaliser with the shipped knowledge base's language data."""
    return Normalizer(load_knowledge(PROJECT_ROOT / "knowledge").language)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Æ Ø Å", "ae o a"),
        ("Kåre møter Ærlig", "kare moter aerlig"),
        ("aar", "ar"),
        ("moete", "mote"),
        ("år og aar", "ar og ar"),
        ("Café naïve", "cafe naive"),
        ("HJARTDAL", "hjartdal"),
    ],
)
def test_fold_lowercases_and_writes_æøå_as_people_type_them(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_of_ascii_and_of_the_same_text_with_æøå_meet() -> None:
    assert words(fold("Hvor mange bor på Notodden?")) == words(fold("Hvor mange bor paa Notodden"))


def test_multi_word_names_and_synonyms_become_one_token(normalizer: Normalizer) -> None:
    analysis = normalizer.analyse("Hva er tlf til Nore og Uvdal kommune?")
    assert analysis.content == ("telefon", "noreoguvdal", "kommune")
    assert "og" not in analysis.content
    assert normalizer.analyse("hvem er daglig leder").content == (
        normalizer.analyse("hvem er dagleg leiar").content
    )


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [("tlf", "telefon"), ("e-post", "epost"), ("e-postadressa", "epost"),
     ("hjemmesiden", "nettside"), ("phone number", "telefon"), ("kommunane", "kommune")],
)
def test_synonyms_and_spelling_variants_share_a_token(
    normalizer: Normalizer, variant: str, canonical: str
) -> None:
    assert normalizer.analyse(variant).content == normalizer.analyse(canonical).content


def test_a_phrase_synonym_is_read_as_its_word(normalizer: Normalizer) -> None:
    contact = normalizer.analyse("kontakt").content
    assert normalizer.analyse("hvordan får jeg tak i dere").content == contact
    assert normalizer.analyse("noen har brutt seg inn").content == (
        normalizer.analyse("innbrudd").content
    )


def test_a_stop_phrase_is_set_aside(normalizer: Normalizer) -> None:
    analysis = normalizer.analyse("kunnskapsutvikling, hva går det ut på")
    assert analysis.content == normalizer.analyse("kunnskapsutvikling").content
    assert analysis.stop


def test_stop_and_courtesy_words_are_kept_aside(normalizer: Normalizer) -> None:
    analysis = normalizer.analyse("Hei! Hva er tlf til Notodden? Takk")
    assert analysis.content == ("telefon", "notodden")
    assert set(analysis.courtesy) == {"hei", "takk"}
    assert "hva" in analysis.stop and "er" in analysis.stop
    assert analysis.tokens == analysis.content + analysis.courtesy


def test_a_message_of_courtesy_or_stop_words_only_still_has_tokens(
    normalizer: Normalizer,
) -> None:
    assert normalizer.analyse("hei!").tokens == ("hei",)
    assert normalizer.analyse("hvem er du").tokens == normalizer.analyse("hvem er du").stop


def test_dialect_words_are_stop_words(normalizer: Normalizer) -> None:
    assert normalizer.analyse("ka e nummeret").content == ("telefon",)
    assert normalizer.analyse("kem e dokker").content == ()
    assert normalizer.analyse("koss får æ tak i notodden kommune").content == (
        normalizer.analyse("kontakt notodden kommune").content
    )


def test_a_word_listed_as_a_variant_is_no_stop_word_but_one_sharing_its_stem_is(
    normalizer: Normalizer,
) -> None:
    assert normalizer.analyse("jobben").content == normalizer.analyse("rolle").content
    assert normalizer.analyse("jobber").content == ()


def test_a_domain_name_is_read_as_a_website(normalizer: Normalizer) -> None:
    assert "nettside" in normalizer.analyse("kongsbergregionen.no").content


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hva er telefonnummeret til Notodden kommune?", "nb"),
        ("Kva er telefonnummeret til Hjartdal kommune?", "nn"),
        ("Korleis kontaktar eg regionrådet?", "nn"),
        ("What is the phone number of Tinn municipality?", "en"),
        ("Who are the members of the council?", "en"),
        ("Notodden", "nb"),
        ("Kvar er kommunesenteret i Flesberg?", "nn"),
        ("Kor mange innbyggjarar har Notodden?", "nn"),
        ("Good morning!", "en"),
        ("Tinn admin centre", "en"),
        ("Hvor mange innbyggere har Notodden?", "nb"),
    ],
)
def test_the_language_follows_the_words(
    normalizer: Normalizer, text: str, language: str
) -> None:
    assert normalizer.language_of(normalizer.analyse(text).raw_words) == language


def test_the_telegram_language_only_decides_when_the_words_say_nothing(
    normalizer: Normalizer,
) -> None:
    def language(text: str, hint: str) -> str:
        return normalizer.language_of(normalizer.analyse(text).raw_words, hint)

    assert language("Notodden", "en") == "en"
    assert language("Notodden", "nn-NO") == "nn"
    assert language("Hva er nødnummeret?", "en") == "nb"
    assert language("What is the emergency number?", "nb") == "en"


def test_an_empty_language_leaves_words_as_stems() -> None:
    normalizer = Normalizer(LanguageData())
    assert normalizer.analyse("kommunene").content == normalizer.analyse("kommuner").content
    assert normalizer.analyse("").tokens == ()


def test_stems_are_remembered_within_a_bound_and_long_words_never() -> None:
    """The stem cache once kept 200 000 words of any length: hostile text could fill it with
    about 200 MB of long words."""
    stem.cache_clear()
    words = [f"ord{number}ene" for number in range(WORD_CACHE_SIZE + 2_000)]
    assert [stem(word) for word in words] == [stem(word) for word in words]
    assert len(stem) == WORD_CACHE_SIZE
    stem.cache_clear()
    long_word = "kommunesammenslåingsutredning" * 3
    assert len(long_word) > MAX_CACHED_WORD_CHARS
    assert stem(long_word) == stem(long_word) and len(stem) == 0


def _one_of(*together: str):
    return lambda first, second: first + second in together


def test_a_word_written_in_two_is_joined_where_the_halves_make_one() -> None:
    joins = _one_of("flesberg", "telefon")
    assert rejoined("adm senter i fles berg kommune?", joins) == "adm senter i flesberg kommune?"
    assert rejoined("tele fon til Fles berg", joins) == "telefon til Flesberg"
    assert rejoined("hva er telefon nummeret", joins) == "hva er telefon nummeret"


def test_halves_apart_over_punctuation_or_after_an_e_stay_apart() -> None:
    joins = _one_of("postadresse", "flesberg")
    assert rejoined("fles, berg", joins) == "fles, berg"
    assert rejoined("e post adresse", joins) == "e post adresse"
    assert rejoined("ny post adresse", joins) == "ny postadresse"


@pytest.mark.parametrize(
    ("dictated", "written"),
    [("mellom tjue tjue og tjue tjuetre", "mellom 2020 og 2023"),
     ("strategien for to tusen og ti", "strategien for 2010"),
     ("from twenty nineteen to twenty thirty", "from 2019 to 2030"),
     ("er nummeret tre fem null en fem null null null", "er nummeret 35015000"),
     ("en to tre", "en to tre"),
     ("Fire kommuner er med, to av dem i Telemark", "Fire kommuner er med, to av dem i Telemark"),
     ("twenty one members", "twenty one members")],
)
def test_years_and_numbers_dictated_as_words_are_read_in_digits(
    dictated: str, written: str
) -> None:
    assert in_digits(dictated) == written


def test_phrases_are_found_longest_first_as_an_alternation_would() -> None:
    from bot.text import longest_first

    phrases = ["nore og uvdal", "nore", "og", "regionrådet", "region", "regionen", "e-post"]
    tree = re.compile(r"\b(" + longest_first(phrases) + r")\b")
    plain = re.compile(r"\b(" + "|".join(
        re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b")
    text = "nore og uvdal og nore og regionen regionrådet regions e-post nore og uvdalen"
    assert tree.findall(text) == plain.findall(text)
    assert tree.findall(text)[:2] == ["nore og uvdal", "og"]
