"""Terms: how editors write the words to look for in a message, and how they are found.

The safety layer (`safety.yaml`) and the precise answers (`facts.yaml`) both write terms:

    brann       the word itself
    brenn*      words that begin so (brenner, brennende)
    *brann      words that end so (bilbrann, not brannstasjon)
    *selvmord*  words that hold it (selvmordstanker)
    a|b         either word in that place ("spist|svelget piller*")
    @not        any word of a named group (ikke, ikkje, itj, not, …)
    ...         up to WIDE_GAP other words before the next word
    +           no other word before the next ("fire + extinguisher", not "fire and the
                extinguisher")
    a & b       both parts anywhere in the message

The words of a term come in order, each at most `MAX_GAP` words after the one before
("puster ikke" also finds "puster nesten ikke"). Words are compared folded (no case, æøå as
people type them without them). Words of six letters or more (beginnings of five) also match
with one letter wrong, ten or more with two, so misspellings are found ("bevistløs"), but
not compounds ("brannstasjon" is no misspelt "brenn*").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import wordfreq
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.text import WordCache, fold, words

MAX_GAP = 3
WIDE_GAP = 8
MAX_ENDING = 3
FUZZY_MIN_LENGTH = 6
FUZZY_TWO_LENGTH = 10
CACHE_SIZE = 20_000
MESSAGE_WORDS_CACHE_SIZE = 1_024
EVERYDAY_LANGUAGES = ("nb", "en")
EVERYDAY_WORDS = 30_000
"""The most frequent words per language that are never read as a misspelt term."""


_PATTERNS: dict[tuple[str, str], Pattern] = {}
"""Every pattern parsed, by core and kind (a few thousand; the same on every reload)."""


@dataclass(frozen=True)
class Pattern:
    """One word pattern: `core` folded, and how it must stand in a word."""

    core: str
    kind: str  # "word", "start", "end" or "part"
    _hash: int = field(init=False, repr=False, compare=False)
    """The hash of (core, kind), worked out once: sets of patterns are intersected for every
    message."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.core, self.kind)))

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def parse(cls, text: str) -> Pattern | None:
        """`blør` a word, `brenn*` a beginning, `*brann` an ending, `*mord*` a part."""
        starts, ends = text.startswith("*"), text.endswith("*")
        core = "".join(message_words(text.strip("*")))
        if not core:
            return None
        kind = "part" if starts and ends else "end" if starts else "start" if ends else "word"
        # one object per pattern: sets of patterns then meet by identity, without comparing
        return _PATTERNS.setdefault((core, kind), cls(core, kind))

    def matches(self, word: str) -> bool:
        """Whether `word` (folded) fits this pattern exactly."""
        if self.kind == "word":
            return word == self.core
        if self.kind == "start":
            return word.startswith(self.core)
        if self.kind == "end":
            return word.endswith(self.core)
        return self.core in word

    @property
    def tolerance(self) -> int:
        """How many letters may be wrong: none for short cores, one, or two for long ones."""
        if self.core.isdigit():
            return 0
        if len(self.core) >= FUZZY_TWO_LENGTH:
            return 2
        shortest = FUZZY_MIN_LENGTH - 1 if self.kind == "start" else FUZZY_MIN_LENGTH
        return 1 if len(self.core) >= shortest else 0


@dataclass(frozen=True)
class Term:
    """Words in order, as written in safety.yaml, each word one or more patterns (`a|b*`),
    with how many other words may stand before each (`gaps`, one fewer than `slots`);
    `language` "en", "no" or "" (any)."""

    text: str
    slots: tuple[frozenset[Pattern], ...]
    gaps: tuple[int, ...] = ()
    language: str = ""
    together: tuple[Term, ...] = ()
    """For `a & b`: the parts, each of which must stand somewhere in the message."""

    @property
    def first(self) -> frozenset[Pattern]:
        """The patterns the term can begin with (of its first part, for `a & b`)."""
        return self.together[0].slots[0] if self.together else self.slots[0]

    def may_stand_in(self, present: frozenset[Pattern]) -> bool:
        """Whether each word of the term fits some word of a message, whose words fit the
        patterns `present`; if not, the term stands nowhere in it."""
        return not any(map(present.isdisjoint, self.every_slot))

    @cached_property
    def every_slot(self) -> tuple[frozenset[Pattern], ...]:
        """The slots of the term, of every part for `a & b`."""
        if self.together:
            return tuple(slot for part in self.together for slot in part.every_slot)
        return self.slots

    @property
    def patterns(self) -> frozenset[Pattern]:
        """Every pattern the term uses."""
        if self.together:
            return frozenset().union(*(part.patterns for part in self.together))
        return frozenset().union(*self.slots)


def parse_term(
    text: str, language: str = "", groups: Mapping[str, frozenset[Pattern]] | None = None
) -> Term | None:
    """A term from its written form, `@name` standing for every word of group `name`, `...`
    for up to WIDE_GAP words, `+` for none, and ` & ` joining parts that may stand anywhere;
    None when one of its words holds no letter or names no group, or a part starts or ends
    with `...`."""
    if " & " in text:
        parts = [parse_term(part, language, groups) for part in text.split(" & ")]
        if any(part is None for part in parts):
            return None
        return Term(text, (), (), language, tuple(part for part in parts if part))
    slots: list[frozenset[Pattern]] = []
    gaps: list[int] = []
    gap = MAX_GAP
    for part in text.split():
        if part in ("...", "+"):
            if not slots:
                return None
            gap = WIDE_GAP if part == "..." else 0
            continue
        alternatives: set[Pattern] = set()
        for option in part.split("|"):
            if option.startswith("@"):
                group = (groups or {}).get(option[1:])
                if group is None:
                    return None
                alternatives |= group
            elif (pattern := Pattern.parse(option)) is not None:
                alternatives.add(pattern)
        if not alternatives:
            return None
        if slots:
            gaps.append(gap)
        slots.append(frozenset(alternatives))
        gap = MAX_GAP
    if not slots or gap != MAX_GAP:
        return None
    return Term(text, tuple(slots), tuple(gaps), language)


class Vocabulary:
    """Finds, for one folded word, every pattern it fits, exactly or with a letter or two
    wrong; answers are cached per word (bounded)."""

    def __init__(self, patterns: Iterable[Pattern], ordinary: frozenset[str]) -> None:
        self.patterns = sorted(set(patterns), key=lambda p: (p.kind, p.core))
        self.ordinary = ordinary
        self._words: dict[str, list[Pattern]] = {}
        self._starts: dict[str, list[Pattern]] = {}
        self._ends: dict[str, list[Pattern]] = {}
        self._parts: list[Pattern] = []
        for pattern in self.patterns:
            if pattern.kind == "word":
                self._words.setdefault(pattern.core, []).append(pattern)
            elif pattern.kind == "start":
                self._starts.setdefault(pattern.core, []).append(pattern)
            elif pattern.kind == "end":
                self._ends.setdefault(pattern.core, []).append(pattern)
            else:
                self._parts.append(pattern)
        self._fuzzy_words: dict[int, list[Pattern]] = {}  # by length: two letters apart at most
        for pattern in self.patterns:
            if pattern.tolerance and pattern.kind == "word":
                self._fuzzy_words.setdefault(len(pattern.core), []).append(pattern)
        self._fuzzy_word_cores = {
            length: [p.core for p in words] for length, words in self._fuzzy_words.items()}
        self._fuzzy_starts: dict[int, list[Pattern]] = {}
        for pattern in self.patterns:
            if pattern.tolerance and pattern.kind == "start":
                self._fuzzy_starts.setdefault(len(pattern.core), []).append(pattern)
        self._fuzzy_start_cores = {
            length: [p.core for p in starts] for length, starts in self._fuzzy_starts.items()
        }
        self._most_wrong = {  # the most letters wrong any word (w) or beginning (s) may have
            (kind, length): max(p.tolerance for p in found)
            for kind, by_length in (("w", self._fuzzy_words), ("s", self._fuzzy_starts))
            for length, found in by_length.items()
        }
        self._start_lengths = sorted({len(core) for core in self._starts})
        self._end_lengths = sorted({len(core) for core in self._ends})
        self.match: WordCache[frozenset[Pattern]] = WordCache(self._match, CACHE_SIZE)
        if self._fuzzy_words or self._fuzzy_starts:
            everyday_words()  # read now (a quarter of a second), not on the first question

    def written_words(self, endings: frozenset[str]) -> frozenset[str]:
        """Every folded word that is a pattern's word, beginning or ending as it stands, or a
        beginning with one of `endings`; no misspelling."""
        return frozenset({*self._words, *self._starts, *self._ends}
                         | {core + ending for core in self._starts for ending in endings})

    def _match(self, word: str) -> frozenset[Pattern]:
        found: set[Pattern] = set(self._words.get(word, ()))
        starts, ends, size = self._starts, self._ends, len(word)
        for length in self._start_lengths:
            if length > size:
                break
            if (hit := starts.get(word[:length])) is not None:
                found.update(hit)
        for length in self._end_lengths:
            if length > size:
                break
            if (hit := ends.get(word[-length:])) is not None:
                found.update(hit)
        found.update([p for p in self._parts if p.core in word])
        if (
            not found and len(word) >= FUZZY_MIN_LENGTH - 1
            and word not in self.ordinary and word not in everyday_words()
        ):
            found.update(self._near(word))
        return frozenset(found)

    def _near(self, word: str) -> set[Pattern]:
        """Patterns `word` fits with up to `tolerance` letters wrong (a word whole; for a
        beginning, the word's first letters (one more or fewer for beginnings of seven letters
        or more), when at most MAX_ENDING letters follow: "brenenr" is a misspelt "brenner",
        but "brannstasjon" is no misspelt "brenn*" and "kampanje" no "kramp*")."""
        found: set[Pattern] = set()
        for length in range(len(word) - 2, len(word) + 3):  # a core two letters off is as long
            cores = self._fuzzy_word_cores.get(length)
            most = self._most_wrong.get(("w", length), 0)
            if cores and abs(length - len(word)) <= most:
                patterns = self._fuzzy_words[length]
                found.update(patterns[index] for index in _close(word, cores, most)
                             if _distance(word, cores[index]) <= patterns[index].tolerance)
        for length, starts in self._fuzzy_starts.items():
            if not length - 2 <= len(word) <= length + MAX_ENDING:
                continue
            spread = 2 if length >= FUZZY_TWO_LENGTH else 1 if length > FUZZY_MIN_LENGTH else 0
            most = self._most_wrong[("s", length)]
            for size in range(length - spread, length + spread + 1):
                if len(word) < size or abs(size - length) > most:
                    continue
                found.update(
                    starts[index]
                    for index in _close(word[:size], self._fuzzy_start_cores[length], most)
                    if _distance(word[:size], starts[index].core) <= starts[index].tolerance
                )
        return found


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """The most frequent written words of Norwegian bokmål and English (wordfreq), folded.

    A word that is itself an everyday word is what its writer meant, not a misspelt term:
    "hiring" is no "hiding", "bringe" no "brinn*", "drukket" no "drukne*".
    """
    return frozenset(word for word in word_ranks() if len(word) >= FUZZY_MIN_LENGTH - 1)


@lru_cache(maxsize=1)
def word_ranks() -> Mapping[str, int]:
    """How common each of the most frequent written words of bokmål and English is, folded:
    0 for the most frequent, the better of the two languages' places."""
    ranks: dict[str, int] = {}
    for language in EVERYDAY_LANGUAGES:
        for rank, word in enumerate(wordfreq.top_n_list(language, EVERYDAY_WORDS)):
            for folded in message_words(word)[:1]:
                ranks[folded] = min(rank, ranks.get(folded, rank))
    _forget_frequency_tables()
    return ranks


def _forget_frequency_tables() -> None:
    """Let go of wordfreq's whole frequency tables, cached by the package once read: only the
    set above is needed (about 30 MB of a running bot's memory)."""
    for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list):
        cache_clear = getattr(cached, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def _close(word: str, cores: Sequence[str], most: int = 2) -> list[int]:
    """Indexes of the cores within `most` letters of `word`."""
    return [index for _, _, index in process.extract(
        word, cores, scorer=OSA.distance, score_cutoff=most, limit=None
    )]


def _distance(first: str, second: str) -> int:
    """Letters wrong, a swap of two neighbours counting as one."""
    return OSA.distance(first, second)


_CLITIC = re.compile(r"(?<=\w)['\u2019](?=(?:n|en|a|e|u)\b)")
_LETTER_PREFIX = re.compile(r"\b([a-z])-(?=[a-z])")
_APOSTROPHE = re.compile(r"['\u2019]")


def message_words(text: str) -> list[str]:
    """The folded words of a message: English contractions joined ("can't" is "cant"),
    Norwegian clitics apart ("slår'n" is "slår n"), a letter prefix joined ("e-post").
    Remembered for the texts seen last (the layers read one message's sentences many times);
    each caller gets a list of its own."""
    return list(_message_words(text))


@lru_cache(maxsize=MESSAGE_WORDS_CACHE_SIZE)
def _message_words(text: str) -> tuple[str, ...]:
    folded = _LETTER_PREFIX.sub(r"\1", fold(text))  # "e-post" is one word, as written "epost"
    return tuple(words(_APOSTROPHE.sub("", _CLITIC.sub(" ", folded))))


def occurrences(
    term: Term, fits: list[frozenset[Pattern]],
    where: Positions | None = None,
) -> Iterable[frozenset[int]]:
    """Each place the term's words stand in order, each within its gap of the one before (every
    way, not only the nearest); for `a & b`, the first place of each part together. `where`
    (`positions_of(fits)`) finds the term's first words without going through every word."""
    if term.together:
        found = [next(iter(occurrences(part, fits, where)), None) for part in term.together]
        if all(positions is not None for positions in found):
            yield frozenset().union(*found)
        return
    if where is None:
        starts: Iterable[int] = (i for i, fit in enumerate(fits) if term.slots[0] & fit)
    else:
        first = term.slots[0] & where.patterns
        if not first or any(slot.isdisjoint(where.patterns) for slot in term.slots[1:]):
            return  # a word of the term stands nowhere in the message
        starts = sorted({i for pattern in first for i in where[pattern]})
    for start in starts:
        yield from _continue(term, fits, [start])


class Positions(dict[Pattern, list[int]]):
    """Places by pattern: where each pattern stands among a message's words, or which terms of
    a list can begin with it; `patterns` are the keys as a set, to intersect in one step."""

    patterns: frozenset[Pattern]


def positions_of(fits: list[frozenset[Pattern]]) -> Positions:
    """For a message's words (the patterns each fits), where each pattern stands."""
    where = Positions()
    for position, fit in enumerate(fits):
        for pattern in fit:
            where.setdefault(pattern, []).append(position)
    where.patterns = frozenset(where)
    return where


def _continue(
    term: Term, fits: list[frozenset[Pattern]], positions: list[int]
) -> Iterable[frozenset[int]]:
    """The places that complete `term` from the words found so far at `positions`."""
    done = len(positions)
    if done == len(term.slots):
        yield frozenset(positions)
        return
    last, slot, gap = positions[-1], term.slots[done], term.gaps[done - 1]
    for position in range(last + 1, min(last + 2 + gap, len(fits))):
        if slot & fits[position]:
            yield from _continue(term, fits, [*positions, position])


def terms_in(
    raw: Mapping[str, Any], key: str, language: str,
    groups: Mapping[str, frozenset[Pattern]], report: Callable[[str, str], None],
) -> tuple[Term, ...]:
    """The terms a data file lists under `key` (safety.yaml, followup.yaml), each parsed;
    `report(key, message)` for an item that is no term, with its line."""
    value = raw.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        report(key, f"'{key}' must be a list of words or phrases")
        return ()
    terms: list[Term] = []
    item_lines = getattr(value, "item_lines", [0] * len(value))
    for item, item_line in zip(value, item_lines, strict=True):
        term = parse_term(str(item), language, groups) if isinstance(item, str | int) else None
        if term is None:
            report(key, f"'{key}' item {item!r} (line {item_line}) holds no word, or names "
                        "a group that does not exist")
        else:
            terms.append(term)
    return tuple(terms)


def groups_in(
    raw: Mapping[str, Any], report: Callable[[Any, str, str], None]
) -> dict[str, frozenset[Pattern]]:
    """The named word groups a data file's terms may use as `@name` ("@not": ikke, ikkje,
    itj, not, …); `report(mapping, key, message)` for what is wrong, at that key's line."""
    value = raw.get("groups") or {}
    if not isinstance(value, Mapping):
        report(raw, "groups", "'groups' must be a mapping of name to a list of words")
        return {}
    groups: dict[str, frozenset[Pattern]] = {}
    for name, items in value.items():
        patterns = frozenset(
            p for p in (Pattern.parse(str(item)) for item in items or []) if p
        ) if isinstance(items, list) else frozenset()
        if not patterns:
            report(value, name, f"group '{name}' must be a non-empty list of words")
            continue
        groups[str(name)] = patterns
    return groups
