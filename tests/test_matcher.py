"""Tests for bot/matcher.py: typo-tolerant lookup, compounds, scoring and keywords."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge import load_knowledge
from bot.matcher import Index, QueryToken, _plausible_stop_typo, f_score, max_typo_distance
from bot.text import Normalizer


@pytest.fixture(scope="module")
def index() -> Index:
    """The index of the shipped knowledge base."""
    knowledge = load_knowledge(PROJECT_ROOT / "knowledge")
    return Index(knowledge, Normalizer(knowledge.language))


def tokens_of(index: Index, text: str) -> dict[str, QueryToken]:
    return {token.token: token for token in index.query_tokens(index.analyse(text))}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("Kongsbreg", "kongsberg"), ("Notoden", "notodden"), ("Flesbreg", "flesberg"),
     ("Tnin", "tinn"), ("Hjartdla", "hjartdal"), ("Rolag", "rollag")],
)
def test_misspelt_municipality_names_are_found(index: Index, typed: str, meant: str) -> None:
    found = tokens_of(index, typed)
    assert meant in found
    assert 0.7 <= found[meant].similarity < 1.0


def test_a_misspelt_word_is_corrected_before_phrases_apply(index: Index) -> None:
    assert "innbrudd" in tokens_of(index, "noen har brjtt seg inn")
    assert "telefon" in tokens_of(index, "telefonnumer til rollag")


def test_a_misspelt_stop_word_is_dropped(index: Index) -> None:
    assert set(tokens_of(index, "fortplle om kongsberg")) == {"kongsberg"}


def test_a_content_word_near_a_stop_word_is_not_dropped(index: Index) -> None:
    assert len(tokens_of(index, "hvordan blir været")) == 1


def test_short_words_are_not_bent_into_other_words(index: Index) -> None:
    assert set(tokens_of(index, "kino")) == {"kino"}
    assert not tokens_of(index, "kino")["kino"].known


def test_a_compound_of_two_known_words_is_split(index: Index) -> None:
    found = tokens_of(index, "politinummer")
    assert {"politi", "telefon"} <= set(found)
    assert found["telefon"].similarity == 1.0
    assert found["politi"].similarity < 1.0  # the first part is not the compound's meaning


def test_a_known_word_under_a_dialect_ending_is_found(index: Index) -> None:
    assert "nodnummer" in tokens_of(index, "nødnummeran")


def test_an_unknown_word_keeps_weight_and_a_short_one_weighs_less(index: Index) -> None:
    found = tokens_of(index, "søppeltømming te")
    assert not found["soppeltomming"].known
    assert found["soppeltomming"].weight == pytest.approx(index.unknown_weight)
    assert found["te"].weight < found["soppeltomming"].weight


def test_typo_distance_grows_with_length() -> None:
    assert max_typo_distance(3) == 0
    assert max_typo_distance(5) == 1
    assert max_typo_distance(9) == 2
    assert max_typo_distance(14) == 3


def test_keywords_count_only_when_spelt_right(index: Index) -> None:
    exact = QueryToken("ambulanse", 1.0, 1.0, True)
    misspelt = QueryToken("ambulanse", 0.9, 1.0, True)
    assert index.keyword_entries([exact]) == {"emergency.ambulance"}
    assert index.keyword_entries([misspelt]) == set()
    assert index.keyword_entries([misspelt], similarity=0.8) == {"emergency.ambulance"}


def test_a_word_one_edit_from_a_keyword_is_no_keyword(index: Index) -> None:
    tokens = index.query_tokens(index.analyse("søknad om barnehageplass"))
    assert not index.keyword_entries(tokens) & {"emergency.ambulance", "emergency.fire"}


def test_an_exact_alternate_scores_100_and_unrelated_entries_nothing(index: Index) -> None:
    scored = index.score(index.query_tokens(index.analyse("når ble regionrådet stiftet")))
    assert scored[0].entry_id == "council.founded"
    assert scored[0].score == pytest.approx(100.0)
    assert all(item.entry_id != "emergency.fire" for item in scored)


def test_excluded_entries_are_left_out(index: Index) -> None:
    tokens = index.query_tokens(index.analyse("tlf notodden"))
    assert all(
        item.entry_id != "contact.notodden"
        for item in index.score(tokens, frozenset({"contact.notodden"}))
    )


def test_an_entrys_alternates_may_explain_a_question_together(index: Index) -> None:
    tokens = index.query_tokens(index.analyse("innbyggertall, fylke og målform i Kongsberg"))
    assert index.score(tokens)[0].entry_id == "municipality.kongsberg"


def test_f_score_weighs_recall_more_than_precision() -> None:
    assert f_score(1.0, 1.0) == pytest.approx(1.0)
    assert f_score(0.0, 1.0) == 0.0
    assert f_score(0.5, 1.0) > f_score(1.0, 0.5)


def test_a_six_letter_stop_word_with_a_letter_left_out_is_that_stop_word() -> None:
    assert _plausible_stop_typo("hvike", "hvilke")
    assert not _plausible_stop_typo("hva", "hvem")


def test_a_large_base_finds_the_same_bounds_on_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    """On thousands of entries the best possible values are computed on arrays; they must be
    the same figures, in the same order, as entry by entry (here forced on the shipped base)."""
    import bot.matcher as matcher
    from bot.evaluate import load_labelled

    monkeypatch.setattr(matcher, "LARGE_BASE", 1)
    monkeypatch.setattr(matcher, "LARGE_SHARE", 0)
    knowledge = load_knowledge(PROJECT_ROOT / "knowledge")
    large = Index(knowledge, Normalizer(knowledge.language))
    assert large._large is not None
    questions = [item.question for item in
                 load_labelled(PROJECT_ROOT / "tests" / "labelled" / "questions.tsv")]
    excluded = frozenset({"council.members"})
    for question in questions:
        tokens = large.query_tokens(large.analyse(question))
        arrays = large.score(tokens, excluded=excluded, spread=0.3)
        kept, large._large = large._large, None
        one_by_one = large.score(tokens, excluded=excluded, spread=0.3)
        large._large = kept
        assert arrays == one_by_one, question
