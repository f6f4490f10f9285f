"""Text normalisation: the same pipeline for the knowledge base and for what people type.

    "Hva er tlf. til Nore og Uvdal kommune?"
    -> fold:    "hva er tlf. til nore og uvdal kommune?"   (case, accents, æ/ø/å, aa/oe)
    -> phrases: "hva er tlf. til noreoguvdal kommune?"     (multi-word names and synonyms)
    -> words:   hva er tlf til noreoguvdal kommune
    -> tokens:  telefon noreoguvdal kommun                   (stop words out, synonyms, stems)

Stop words and courtesy words ("hei", "takk") are kept aside rather than dropped, so that a
message made only of them ("hei!") can still be matched on them. A stop word may be a phrase
("går ut på"): it is joined into one word and set aside like the others. A word listed as a
synonym variant is never a stop word, but a word that merely shares a variant's stem is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Generic, TypeVar

import snowballstemmer

from bot.knowledge import LanguageData

_LETTER_MAP = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss", "ð": "d", "þ": "th"})
_DIGRAPHS = re.compile(r"aa|oe")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
_DOMAIN = re.compile(r"\b([a-z0-9-]{1,63})\.(no|com|org|net)\b")
"""A web address's last label before the top-level domain: at most 63 characters (a DNS
label's limit), which also keeps the search linear ("a-a-a-…" made it quadratic)."""
WEBSITE_WORD = "nettside"
_STEMMER = snowballstemmer.stemmer("norwegian")
_MIN_STEM_LENGTH = 4
WORD_CACHE_SIZE = 20_000
FOLD_CACHE_SIZE = 8_192
MAX_CACHED_WORD_CHARS = 40
"""Words longer than this are worked out each time, never remembered: real words are shorter,
and remembering hostile ones would let a few messages fill memory."""

Answer = TypeVar("Answer")


def longest_first(phrases: Iterable[str]) -> str:
    """A regular expression matching any of `phrases`, the longest one that fits first, written
    as a tree of their letters ("nore(?: og(?: uvdal)?)?"): at each place in a text it follows
    the one branch the next letter allows, where a plain alternation of three hundred phrases
    tries each in turn (five times slower on the labelled questions)."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for letter in phrase:
            node = node.setdefault(letter, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    """The expression for the phrases' endings below one node of the letter tree."""
    branches = [re.escape(letter) + _branches(below)
                for letter, below in sorted(node.items()) if letter]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and "" not in node else (
        "(?:" + "|".join(branches) + ")")
    return body + ("?" if "" in node else "")


class WordCache(Generic[Answer]):
    """A function of one word that remembers its answers for the `maxsize` words used most
    recently, of at most MAX_CACHED_WORD_CHARS characters each.

    Whatever text arrives, the cache holds at most `maxsize` words of at most 40 characters
    with their answers (a few MB), and each look-up stays O(1).
    """

    def __init__(self, function: Callable[[str], Answer], maxsize: int = WORD_CACHE_SIZE) -> None:
        self._function = function
        self._cached = lru_cache(maxsize=maxsize)(function)
        self.maxsize = maxsize

    def __call__(self, word: str) -> Answer:
        if len(word) > MAX_CACHED_WORD_CHARS:
            return self._function(word)
        return self._cached(word)

    def __len__(self) -> int:
        """How many words are remembered now."""
        return self._cached.cache_info().currsize

    def cache_clear(self) -> None:
        """Forget every remembered word (benchmarks measure cold look-ups with it)."""
        self._cached.cache_clear()


@lru_cache(maxsize=FOLD_CACHE_SIZE)
def fold(text: str) -> str:
    """Lower-case, strip accents and write æ/ø/å the way people type them without a keyboard.

    Both "år", "aar" and "ar" fold to "ar"; "møte" and "moete" to "mote"; "være" to "vaere".
    Remembered for the texts folded most: the layers of the engine fold the same message, its
    sentences and its words again and again.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_LETTER_MAP)
    if not text.isascii():
        text = "".join(
            char for char in unicodedata.normalize("NFKD", text)
            if not unicodedata.combining(char)
        )
    return _DIGRAPHS.sub(lambda match: match.group(0)[0], text)


def words(text: str) -> list[str]:
    """The words of already folded text."""
    return _WORD.findall(text)


_WRITTEN_WORD = re.compile(r"\w+")
MIN_APART_PART = 3


def rejoined(text: str, belong_together: Callable[[str, str], bool]) -> str:
    """`text` with a word written in two ("fles berg", "not odden", "tele mark",
    "administrasjons senteret", as dictation and hurried typing split them) written as one,
    where `belong_together` says the two folded halves are one word; left to right, a word
    joined once."""
    folded = words(fold(text))
    if not any(len(first) >= MIN_APART_PART <= len(second) and belong_together(first, second)
               for first, second in pairwise(folded)):
        return text  # the common case, without looking at each written word
    found = list(_WRITTEN_WORD.finditer(text))
    pieces: list[str] = []
    end = 0
    index = 0
    while index < len(found) - 1:
        first, second = found[index], found[index + 1]
        halves = fold(first.group()), fold(second.group())
        after_e = index > 0 and found[index - 1].group() in ("e", "E")  # "e post adresse"
        if (text[first.end():second.start()] == " " and not after_e
                and all(len(half) >= MIN_APART_PART and not half.isdigit() for half in halves)
                and belong_together(*halves)):
            pieces += [text[end:first.end()], second.group()]
            end = second.end()
            index += 2
        else:
            index += 1
    return "".join(pieces) + text[end:] if pieces else text


_TEENS = {
    "ti": 10, "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12, "twelve": 12,
    "tretten": 13, "thirteen": 13, "fjorten": 14, "fourteen": 14, "femten": 15,
    "fifteen": 15, "seksten": 16, "sixteen": 16, "sytten": 17, "seventeen": 17, "atten": 18,
    "eighteen": 18, "nitten": 19, "nineteen": 19,
}
_TENS = {"tjue": 20, "twenty": 20, "tretti": 30, "tredve": 30, "thirty": 30}
_UNITS = {"en": 1, "ein": 1, "one": 1, "to": 2, "two": 2, "tre": 3, "three": 3, "fire": 4,
          "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7,
          "åtte": 8, "atte": 8, "eight": 8, "ni": 9, "nine": 9}
_DIGIT_WORDS = {"null": "0", "zero": "0", "ett": "1", "eitt": "1",
                **{word: str(value) for word, value in _UNITS.items()}}
_TWO_DIGITS = "|".join(sorted(_TEENS, key=len, reverse=True))
_TENS_WORDS = "|".join(_TENS)
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_SPOKEN_YEAR = re.compile(
    rf"\b(?:tjue|twenty|(?:to|two) (?:tusen|thousand)(?: og| and)?) "
    rf"(?P<year>{_TWO_DIGITS}|(?:{_TENS_WORDS})(?:-?(?:{_UNIT_WORDS}))?)\b",
    re.IGNORECASE,
)
_DIGIT_ALTERNATIVES = "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
_SPOKEN_DIGITS = re.compile(
    rf"\b(?:{_DIGIT_ALTERNATIVES})(?:\s+(?:{_DIGIT_ALTERNATIVES})){{3,}}\b", re.IGNORECASE)
MIN_SPOKEN_DIGITS = 4


def _two_digits(spoken: str) -> int:
    """10-39 as dictated: "ti", "nitten", "tjue", "tjuetre", "twenty-three"."""
    spoken = spoken.casefold().replace("-", "")
    if spoken in _TEENS:
        return _TEENS[spoken]
    for tens, value in _TENS.items():
        if spoken.startswith(tens):
            return value + _UNITS.get(spoken[len(tens):], 0)
    raise ValueError(spoken)


def in_digits(text: str) -> str:
    """`text` with years and numbers dictated as words written in digits: "tjue tjuetre" and
    "to tusen og ti" as 2023 and 2010, "tre fem null en fem null null null" as 35015000 (four
    digits or more in a row; fewer are words: "en to tre")."""
    text = _SPOKEN_YEAR.sub(lambda m: str(2000 + _two_digits(m.group("year"))), text)
    spoken = _WRITTEN_WORD.findall(text.casefold())
    if sum(word in _DIGIT_WORDS for word in spoken) < MIN_SPOKEN_DIGITS:
        return text  # most messages: no need to look for a run of them
    return _SPOKEN_DIGITS.sub(lambda m: "".join(
        _DIGIT_WORDS[word.casefold()] for word in m.group().split()), text)


def _stem(word: str) -> str:
    """A light Norwegian stem; short words and numbers stay as they are."""
    if len(word) <= _MIN_STEM_LENGTH or word.isdigit():
        return word
    stemmed = _STEMMER.stemWord(word)
    return stemmed if len(stemmed) >= 3 else word


stem: WordCache[str] = WordCache(_stem)
"""A light Norwegian stem (see `_stem`), remembered for the words used most."""


def canonical_token(phrase: str) -> str:
    """The single token a synonym's canonical word or a municipality key becomes."""
    return _NON_WORD.sub("", fold(phrase))


@dataclass(frozen=True)
class Analysis:
    """A normalised message: content tokens, and the stop and courtesy words set aside."""

    content: tuple[str, ...]
    courtesy: tuple[str, ...]
    stop: tuple[str, ...]
    raw_words: tuple[str, ...]
    spelled: dict[str, str] = field(default_factory=dict, compare=False)
    """The word as written (folded) that each token came from, the first one for a repeat."""
    similarity: dict[str, float] = field(default_factory=dict, compare=False)
    """For tokens that exist only because a misspelt word was corrected: how similar it was."""

    @property
    def tokens(self) -> tuple[str, ...]:
        """The tokens to match on: content and courtesy words, else the stop words."""
        return (self.content + self.courtesy) or self.stop


class Normalizer:
    """Turns text into match tokens using the knowledge base's language data."""

    def __init__(self, language: LanguageData) -> None:
        phrases: dict[str, str] = {}
        self.stopwords = self._stop_words(language.stopwords, phrases)
        self.courtesy = frozenset(fold(word) for word in language.courtesy)
        self.synonyms: dict[str, str] = {}
        self.variants: set[str] = set()
        self.municipality_tokens: dict[str, str] = {}
        for variant, canonical in language.synonyms.items():
            self._add_variant(variant, canonical_token(canonical), phrases)
            self._add_variant(canonical, canonical_token(canonical), phrases)
        for key, names in language.municipalities.items():
            token = canonical_token(key)
            self.municipality_tokens[token] = key
            for name in (*names, key.replace("_", " ")):
                self._add_variant(name, token, phrases)
        self._phrases = phrases
        self._phrase_pattern = (
            re.compile(r"\b(" + longest_first(phrases) + r")\b") if phrases else None
        )
        self.courtesy_tokens = frozenset(self.token_for(word) for word in self.courtesy)
        self.markers = {
            lang: frozenset(fold(word) for word in marker_words)
            for lang, marker_words in language.markers.items()
        }

    @staticmethod
    def _stop_words(stopwords: frozenset[str], phrases: dict[str, str]) -> frozenset[str]:
        """Folded stop words; a phrase becomes one joined word, substituted like a synonym."""
        found: set[str] = set()
        for stopword in stopwords:
            parts = words(fold(stopword))
            joined = "".join(parts)
            if len(parts) > 1:
                phrases[" ".join(parts)] = joined
            if joined:
                found.add(joined)
        return frozenset(found)

    def _add_variant(self, variant: str, token: str, phrases: dict[str, str]) -> None:
        folded = " ".join(words(fold(variant)))
        if not folded:
            return
        if " " in folded:
            phrases[folded] = token
            self.variants.add(token)
        else:
            self.synonyms.setdefault(folded, token)
            self.synonyms.setdefault(stem(folded), token)
            self.variants.add(folded)

    def analyse(self, text: str) -> Analysis:
        """Normalise `text` into tokens (see the module docstring)."""
        return self.analyse_words(self.folded_words(text))

    @staticmethod
    def folded_words(text: str) -> list[str]:
        """The folded words of `text`, before phrases are joined ("nore", "og", "uvdal")."""
        return words(_DOMAIN.sub(rf"\1 {WEBSITE_WORD}", fold(text)))

    @property
    def phrase_words(self) -> set[str]:
        """Every word of a multi-word synonym, name or stop phrase."""
        return {word for phrase in self._phrases for word in phrase.split()}

    def analyse_words(self, folded_words: list[str]) -> Analysis:
        """Normalise already folded words into tokens."""
        folded = " ".join(folded_words)
        if self._phrase_pattern is not None:
            folded = self._phrase_pattern.sub(lambda m: self._phrases[m.group(1)], folded)
        content: list[str] = []
        courtesy: list[str] = []
        stop: list[str] = []
        spelled: dict[str, str] = {}
        raw = words(folded)
        for word in raw:
            token = self.token_for(word)
            spelled.setdefault(token, word)
            if word in self.stopwords and word not in self.variants:
                stop.append(token)
            elif word in self.courtesy:
                courtesy.append(token)
            else:
                content.append(token)
        return Analysis(
            tuple(content), tuple(courtesy), tuple(stop), tuple(folded_words), spelled
        )

    def token_for(self, word: str) -> str:
        """The match token of one folded word: its synonym's canonical form, else its stem."""
        found = self.synonyms.get(word)
        if found is not None:
            return found
        stemmed = stem(word)
        return self.synonyms.get(stemmed, stemmed)

    def language_of(self, raw_words: tuple[str, ...], hint: str | None = None) -> str:
        """Guess nb, nn or en from marker words; bokmål unless the words say otherwise.

        `hint` (a Telegram language_code) only decides when the words say nothing.
        """
        counts = {
            lang: sum(1 for word in raw_words if word in self.markers.get(lang, ()))
            for lang in ("nb", "nn", "en")
        }
        if counts["en"] > max(counts["nb"], counts["nn"]):
            return "en"
        if counts["nn"] > counts["nb"]:
            return "nn"
        if any(counts.values()) or not hint:
            return "nb"
        hint = hint.lower()
        return "en" if hint.startswith("en") else "nn" if hint.startswith("nn") else "nb"
