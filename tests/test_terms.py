"""Tests for bot/terms.py: what a word vocabulary reads when it is built."""

from __future__ import annotations

from bot.terms import Pattern, Vocabulary, everyday_words, word_ranks


def patterns(*texts: str) -> list[Pattern]:
    return [pattern for text in texts if (pattern := Pattern.parse(text)) is not None]


def test_a_vocabulary_with_misspellable_terms_reads_the_everyday_words_when_built() -> None:
    """The everyday-word list (wordfreq, a quarter of a second) is read at start, not while
    the first resident waits for an answer."""
    everyday_words.cache_clear()
    vocabulary = Vocabulary(patterns("bevisstløs", "brenn*"), frozenset())
    assert everyday_words.cache_info().currsize == 1
    assert vocabulary.match("bevistløs")  # and a misspelling is still found


def test_a_vocabulary_without_misspellable_terms_does_not_read_them() -> None:
    everyday_words.cache_clear()
    Vocabulary(patterns("sos", "*x*"), frozenset())
    assert everyday_words.cache_info().currsize == 0


def test_word_ranks_put_common_words_first_and_fold_them() -> None:
    ranks = word_ranks()
    assert ranks["ikke"] < ranks["leve"] < ranks["kjelleren"]
    assert "pa" in ranks and "på" not in ranks  # folded as messages are
    assert ranks["the"] < ranks["fire"]
