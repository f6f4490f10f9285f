"""The safety layer: emergencies and crises recognised before any matching.

Every free-text message meets `SafetyLayer.check` first, in Telegram, the terminal chat and
`ask`. When it recognises an emergency (fire, police, medical, poisoning, a child at risk) or a
person in crisis, its reply is the answer: nothing else decides, no threshold of the matcher,
no municipality, no "Mente du …?". The words it looks for are data, `knowledge/safety.yaml`,
which editors read and extend and `python -m bot check` validates.

How a message is read:

    "Hjelp!! Mannen min pustr ikke, vi er på Rødberg"
    -> folded words:  hjelp mannen min pustr ikke vi er pa rodberg
    -> terms found:   medical "pust* @not" (pustr begins like puster)
    -> reply:         medical (113), in bokmål

A term is one or more words in order, each at most `MAX_GAP` words after the one before
("puster ikke" also finds "puster nesten ikke"), or `WIDE_GAP` after `...`; `a & b` asks for
both parts anywhere. Each word is one or more patterns (`spist|svelget`) or a named group of
them (`@not`: ikke, ikkje, itj, …). A pattern is a word (`blør`), a beginning (`brenn*`:
brenner, brennende), an ending (`*brann`: bilbrann) or a part (`*selvmord*`). Words of six
letters or more (beginnings of five) also match with one letter wrong, ten or more with two,
so misspellings are found. `exceptions` ("brenner for", "røykvarsler") take back what a term
found in the same words. Terms may be limited to English messages (`terms_en`) or to
Norwegian ones (`terms_no`): "fire" is a fire in English and the number four in Norwegian.

When several kinds are found, the one that ranks first answers and the others add their one
line ("Er noen skadet eller alvorlig syk: ring 113."); with three kinds or more the overview of
all numbers answers. A crisis always ranks first. A kind marked `whole` (a bare "HJELP!!")
counts only when the message holds nothing but its terms and `filler` words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import (
    LANGUAGES,
    REQUIRED_LANGUAGES,
    Problem,
    checked_date,
    line_of,
    read_yaml,
)
from bot.text import fold, words

MAX_GAP = 3
WIDE_GAP = 8
MAX_ENDING = 3
FUZZY_MIN_LENGTH = 6
FUZZY_TWO_LENGTH = 10
OUTCOMES = ("emergency", "crisis", "answered")
CATEGORY_KEYS = {
    "id", "outcome", "rank", "reply", "line", "numbers", "terms", "terms_en", "terms_no",
    "exceptions", "whole", "filler", "answer_with", "entry", "source", "checked",
    "several_of",
}
SEVERAL = 3
FILE_KEYS = {"groups", "categories", "exceptions", "ordinary_words"}
CACHE_SIZE = 20_000


# --- Word patterns and terms -------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """One word pattern: `core` folded, and how it must stand in a word."""

    core: str
    kind: str  # "word", "start", "end" or "part"

    @classmethod
    def parse(cls, text: str) -> Pattern | None:
        """`blør` a word, `brenn*` a beginning, `*brann` an ending, `*mord*` a part."""
        starts, ends = text.startswith("*"), text.endswith("*")
        core = "".join(message_words(text.strip("*")))
        if not core:
            return None
        kind = "part" if starts and ends else "end" if starts else "start" if ends else "word"
        return cls(core, kind)

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
    def patterns(self) -> frozenset[Pattern]:
        """Every pattern the term uses."""
        if self.together:
            return frozenset().union(*(part.patterns for part in self.together))
        return frozenset().union(*self.slots)


def parse_term(
    text: str, language: str = "", groups: Mapping[str, frozenset[Pattern]] | None = None
) -> Term | None:
    """A term from its written form, `@name` standing for every word of group `name`, `...`
    for up to WIDE_GAP words and ` & ` joining parts that may stand anywhere; None when one
    of its words holds no letter or names no group, or a part starts or ends with `...`."""
    if " & " in text:
        parts = [parse_term(part, language, groups) for part in text.split(" & ")]
        if any(part is None for part in parts):
            return None
        return Term(text, (), (), language, tuple(part for part in parts if part))
    slots: list[frozenset[Pattern]] = []
    gaps: list[int] = []
    gap = MAX_GAP
    for part in text.split():
        if part == "...":
            if not slots:
                return None
            gap = WIDE_GAP
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
        self._fuzzy_words = [p for p in self.patterns if p.tolerance and p.kind == "word"]
        self._fuzzy_word_cores = [p.core for p in self._fuzzy_words]
        self._fuzzy_starts: dict[int, list[Pattern]] = {}
        for pattern in self.patterns:
            if pattern.tolerance and pattern.kind == "start":
                self._fuzzy_starts.setdefault(len(pattern.core), []).append(pattern)
        self._fuzzy_start_cores = {
            length: [p.core for p in starts] for length, starts in self._fuzzy_starts.items()
        }
        self.match = lru_cache(maxsize=CACHE_SIZE)(self._match)

    def _match(self, word: str) -> frozenset[Pattern]:
        found: set[Pattern] = set(self._words.get(word, ()))
        for length in range(1, len(word) + 1):
            found.update(self._starts.get(word[:length], ()))
            found.update(self._ends.get(word[-length:], ()))
        found.update(p for p in self._parts if p.core in word)
        if not found and len(word) >= FUZZY_MIN_LENGTH - 1 and word not in self.ordinary:
            found.update(self._near(word))
        return frozenset(found)

    def _near(self, word: str) -> set[Pattern]:
        """Patterns `word` fits with up to `tolerance` letters wrong (a word whole; for a
        beginning, the word's first letters (one more or fewer for beginnings of seven letters
        or more), when at most MAX_ENDING letters follow: "brenenr" is a misspelt "brenner",
        but "brannstasjon" is no misspelt "brenn*" and "kampanje" no "kramp*")."""
        found = {
            self._fuzzy_words[index] for index in _close(word, self._fuzzy_word_cores)
            if _distance(word, self._fuzzy_word_cores[index]) <= self._fuzzy_words[index].tolerance
        }
        for length, starts in self._fuzzy_starts.items():
            if not length - 2 <= len(word) <= length + MAX_ENDING:
                continue
            spread = 2 if length >= FUZZY_TWO_LENGTH else 1 if length > FUZZY_MIN_LENGTH else 0
            for size in range(length - spread, length + spread + 1):
                if len(word) < size:
                    continue
                found.update(
                    starts[index] for index in _close(word[:size], self._fuzzy_start_cores[length])
                    if _distance(word[:size], starts[index].core) <= starts[index].tolerance
                )
        return found


def _close(word: str, cores: Sequence[str]) -> list[int]:
    """Indexes of the cores within two letters of `word`."""
    return [index for _, _, index in process.extract(
        word, cores, scorer=OSA.distance, score_cutoff=2, limit=None
    )]


def _distance(first: str, second: str) -> int:
    """Letters wrong, a swap of two neighbours counting as one."""
    return OSA.distance(first, second)


# --- Categories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """One kind of emergency, crisis or help message, and the reply it gets."""

    id: str
    outcome: str
    rank: int
    reply: dict[str, str]
    line: dict[str, str]
    numbers: tuple[str, ...]
    terms: tuple[Term, ...]
    exceptions: tuple[Term, ...] = ()
    whole: bool = False
    filler: frozenset[str] = frozenset()
    answer_with: str | None = None
    entry: str | None = None
    several_of: frozenset[str] = frozenset()
    """For the overview of all numbers: the kinds of which SEVERAL found make it answer."""
    source: str = ""
    checked: dt.date = dt.date.min

    def reply_in(self, language: str) -> str:
        """The reply in `language`, nynorsk falling back to bokmål."""
        return self.reply.get(language) or self.reply.get("nb", "")

    def line_in(self, language: str) -> str:
        """The one line added when another kind answers."""
        return self.line.get(language) or self.line.get("nb", "")


@dataclass(frozen=True)
class SafetyMatch:
    """What the safety layer recognised in one message, and its reply."""

    categories: tuple[Category, ...]
    language: str
    terms: tuple[str, ...]

    @property
    def main(self) -> Category:
        """The kind that answers."""
        return self.categories[0]

    @property
    def outcome(self) -> str:
        """"crisis", "emergency", or "answered" (a bare cry for help, answered by an entry)."""
        return self.main.outcome

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every number the reply gives, in order."""
        return tuple(dict.fromkeys(n for c in self.categories for n in c.numbers))

    @property
    def id(self) -> str:
        """The id logged for this reply: "safety.<kind>"."""
        return f"safety.{self.main.id}"

    def text(self) -> str:
        """The reply as plain text: the main kind's reply, then one line per other kind."""
        lines = [c.line_in(self.language) for c in self.categories[1:] if c.line]
        reply = self.main.reply_in(self.language)
        return "\n\n".join([reply, "\n".join(lines)]) if lines else reply


@dataclass(frozen=True)
class SafetyData:
    """The safety layer's data, as loaded from safety.yaml."""

    categories: tuple[Category, ...] = ()
    exceptions: tuple[Term, ...] = ()
    ordinary_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Found:
    category: Category
    term: Term
    positions: frozenset[int]


class SafetyLayer:
    """Recognises emergencies and crises in messages; built once per knowledge base.

    Terms are indexed by the patterns of their first word, so that a message is tried only
    against the terms its words could begin, not against every term of every category.
    """

    def __init__(self, data: SafetyData, common_words: Iterable[str] = ()) -> None:
        """`common_words` (the stop words) are never read as a misspelt term."""
        self.data = data
        patterns = [
            pattern
            for category in data.categories
            for term in (*category.terms, *category.exceptions)
            for pattern in term.patterns
        ] + [pattern for term in data.exceptions for pattern in term.patterns]
        self._vocabulary = Vocabulary(patterns, data.ordinary_words | frozenset(common_words))
        self._terms = _index((category, term) for category in data.categories
                             for term in category.terms)
        self._exceptions = _index(
            [(None, term) for term in data.exceptions]
            + [(category, term) for category in data.categories for term in category.exceptions]
        )

    def check(self, text: str, language: str) -> SafetyMatch | None:
        """The emergency, crisis or bare cry for help in `text`, or None; `language` is the
        message's ("nb", "nn" or "en"), which decides the reply and the language-bound terms.
        """
        folded = message_words(text)
        if not folded:
            return None
        fits = [self._vocabulary.match(word) for word in folded]
        present = frozenset().union(*fits)
        if not present:
            return None
        excepted = self._excepted(present, fits, language)
        found: list[_Found] = []
        for category, term in _candidates(self._terms, present):
            if not _speaks(term, language):
                continue
            own = excepted.get(None, frozenset()) | excepted.get(category.id, frozenset())
            for positions in occurrences(term, fits):
                if not positions & own:
                    found.append(_Found(category, term, positions))
                    break
        found = [f for f in found if not f.category.whole or _is_whole(f, found, folded)]
        if not found:
            return None
        return _decide(found, language, self.data.categories)

    def _excepted(
        self, present: frozenset[Pattern], fits: list[frozenset[Pattern]], language: str
    ) -> dict[str | None, frozenset[int]]:
        """The word positions that exceptions cover: for every category (key None) and for
        each category's own exceptions (key: its id)."""
        covered: dict[str | None, set[int]] = {}
        for category, term in _candidates(self._exceptions, present):
            if _speaks(term, language):
                key = category.id if category is not None else None
                for positions in occurrences(term, fits):
                    covered.setdefault(key, set()).update(positions)
        return {key: frozenset(positions) for key, positions in covered.items()}


_Indexed = tuple["Category | None", Term]


def _index(items: Iterable[_Indexed]) -> dict[Pattern, list[tuple[int, _Indexed]]]:
    """Terms by the patterns of their first word (of their first part, for `a & b`), each
    with its place in the file, so that candidates keep the file's order."""
    index: dict[Pattern, list[tuple[int, _Indexed]]] = {}
    for order, item in enumerate(items):
        term = item[1]
        first = term.together[0].slots[0] if term.together else term.slots[0]
        for pattern in first:
            index.setdefault(pattern, []).append((order, item))
    return index


def _candidates(
    index: dict[Pattern, list[tuple[int, _Indexed]]], present: frozenset[Pattern]
) -> list[_Indexed]:
    """The terms whose first word some word of the message fits, in the file's order."""
    found: dict[int, _Indexed] = {}
    for pattern in present:
        for order, item in index.get(pattern, ()):
            found[order] = item
    return [found[order] for order in sorted(found)]


_CLITIC = re.compile(r"(?<=\w)['\u2019](?=(?:n|en|a|e|u)\b)")
_LETTER_PREFIX = re.compile(r"\b([a-z])-(?=[a-z])")
_APOSTROPHE = re.compile(r"['\u2019]")


def message_words(text: str) -> list[str]:
    """The folded words of a message: English contractions joined ("can't" is "cant"),
    Norwegian clitics apart ("slår'n" is "slår n"), a letter prefix joined ("e-post")."""
    folded = _LETTER_PREFIX.sub(r"\1", fold(text))  # "e-post" is one word, as written "epost"
    return words(_APOSTROPHE.sub("", _CLITIC.sub(" ", folded)))


def _speaks(term: Term, language: str) -> bool:
    return not term.language or (term.language == "en") == (language == "en")


def occurrences(term: Term, fits: list[frozenset[Pattern]]) -> Iterable[frozenset[int]]:
    """Each place the term's words stand in order, each within its gap of the one before (every
    way, not only the nearest); for `a & b`, the first place of each part together."""
    if term.together:
        found = [next(iter(occurrences(part, fits)), None) for part in term.together]
        if all(positions is not None for positions in found):
            yield frozenset().union(*found)
        return
    for start, fit in enumerate(fits):
        if term.slots[0] & fit:
            yield from _continue(term, fits, [start])


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


def _is_whole(found: _Found, everything: list[_Found], folded: list[str]) -> bool:
    """Whether the message holds nothing but the kind's terms and filler ("hjelp meg!!")."""
    category = found.category
    covered: set[int] = set()
    for other in everything:
        if other.category is category:
            covered |= other.positions
    return all(i in covered or word in category.filler for i, word in enumerate(folded))


def _decide(
    found: list[_Found], language: str, categories: Sequence[Category]
) -> SafetyMatch:
    """The kinds found, the one that answers first: lowest rank, then most terms found; with
    SEVERAL of the kinds an overview lists in `several_of` (not a crisis), that overview."""
    terms: dict[str, list[str]] = {}
    by_id: dict[str, Category] = {}
    for item in found:
        terms.setdefault(item.category.id, []).append(item.term.text)
        by_id[item.category.id] = item.category
    ordered = sorted(by_id.values(), key=lambda c: (c.rank, -len(terms[c.id])))
    overview = next((c for c in categories if c.several_of), None)
    several = [c for c in ordered if overview is not None and c.id in overview.several_of]
    if len(several) >= SEVERAL and overview is not None and ordered[0].outcome != "crisis":
        # "brann, politi og ambulanse": the overview of every number answers.
        ordered = [overview, *(c for c in ordered if c not in several and c is not overview)]
        terms.setdefault(overview.id, [])
    main = ordered[0]
    others = tuple(c for c in ordered[1:] if c.rank < 90 and not c.whole and c.line)
    if main.rank >= 90:
        others = ()
    return SafetyMatch(
        categories=(main, *others),
        language=language,
        terms=tuple(text for c in (main, *others) for text in terms[c.id]),
    )


# --- Loading and validation --------------------------------------------------------------------


def load_safety(path: Path, entry_ids: Iterable[str], problems: list[Problem]) -> SafetyData:
    """Load and validate safety.yaml; every problem is added to `problems` with its line."""
    name = str(path)
    if not path.exists():
        problems.append(Problem(name, 0, "file not found: the safety layer (emergencies and "
                                         "crises) needs it"))
        return SafetyData()
    data = read_yaml(path, problems)
    if data is None:
        return SafetyData()
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        problems.append(Problem(name, 1, "the file must have a top-level list 'categories'"))
        return SafetyData()
    for key in data:
        if key not in FILE_KEYS:
            problems.append(Problem(name, line_of(data, key), f"unknown top-level key '{key}' "
                                    f"(known: {', '.join(sorted(FILE_KEYS))})"))
    known = set(entry_ids)
    groups = _groups(data, name, problems)
    items = data["categories"]
    lines = getattr(items, "item_lines", [0] * len(items))
    categories: list[Category] = []
    for raw, line in zip(items, lines, strict=True):
        category = _category(raw, name, line, known, groups, problems)
        if category is not None:
            if any(c.id == category.id for c in categories):
                problems.append(Problem(name, line, f"duplicate category '{category.id}'"))
            categories.append(category)
    exceptions = _terms(data, "exceptions", "", groups, lambda key, msg: problems.append(
        Problem(name, line_of(data, key), msg)))
    ordinary = frozenset(
        "".join(words(fold(str(word)))) for word in (data.get("ordinary_words") or [])
    )
    return SafetyData(tuple(categories), exceptions, ordinary)


def _groups(data: dict, file: str, problems: list[Problem]) -> dict[str, frozenset[Pattern]]:
    """The named word groups terms may use as `@name` ("@not": ikke, ikkje, itj, not, …)."""
    value = data.get("groups") or {}
    if not isinstance(value, dict):
        problems.append(Problem(file, line_of(data, "groups"), "'groups' must be a mapping of "
                                                               "name to a list of words"))
        return {}
    groups: dict[str, frozenset[Pattern]] = {}
    for name, items in value.items():
        patterns = frozenset(
            p for p in (Pattern.parse(str(item)) for item in items or []) if p
        ) if isinstance(items, list) else frozenset()
        if not patterns:
            problems.append(Problem(file, line_of(value, name),
                                    f"group '{name}' must be a non-empty list of words"))
            continue
        groups[str(name)] = patterns
    return groups


def _category(
    raw: Any, file: str, line: int, entry_ids: set[str],
    groups: Mapping[str, frozenset[Pattern]], problems: list[Problem],
) -> Category | None:
    if not isinstance(raw, dict):
        problems.append(Problem(file, line, "a category must be a mapping with 'id', 'reply', "
                                            "'terms', ..."))
        return None
    before = len(problems)
    label = f"category '{raw.get('id')}'"

    def report(key: str, message: str) -> None:
        problems.append(Problem(file, line_of(raw, key) or line, f"{label}: {message}"))

    for key in raw:
        if key not in CATEGORY_KEYS:
            report(key, f"unknown key '{key}' (known: {', '.join(sorted(CATEGORY_KEYS))})")
    category_id = raw.get("id")
    if not isinstance(category_id, str) or not category_id.isidentifier():
        report("id", f"'id' must be a lower-case word, got {category_id!r}")
    outcome = raw.get("outcome", "emergency")
    if outcome not in OUTCOMES:
        report("outcome", f"'outcome' must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    rank = raw.get("rank")
    if not isinstance(rank, int) or isinstance(rank, bool):
        report("rank", f"'rank' must be a whole number (lower answers first), got {rank!r}")
    answer_with = raw.get("answer_with")
    if answer_with is not None and answer_with not in entry_ids:
        report("answer_with", f"'answer_with' names no entry: {answer_with!r}")
    entry = raw.get("entry")
    if entry is not None and entry not in entry_ids:
        report("entry", f"'entry' names no entry: {entry!r}")
    reply = _texts(raw, "reply", report, required=answer_with is None)
    line_texts = _texts(raw, "line", report, required=False)
    numbers = tuple(str(n) for n in raw.get("numbers") or [])
    for number in numbers:
        if not number.replace(" ", "").isdigit():
            report("numbers", f"'numbers' must be phone numbers, got {number!r}")
        elif reply and any(number not in text for text in reply.values()):
            report("numbers", f"every reply must give the number {number}")
    terms = (
        _terms(raw, "terms", "", groups, report) + _terms(raw, "terms_en", "en", groups, report)
        + _terms(raw, "terms_no", "no", groups, report)
    )
    if not terms:
        report("terms", "no terms: give at least one word or phrase that shows this kind")
    exceptions = _terms(raw, "exceptions", "", groups, report)
    filler = frozenset("".join(words(fold(str(w)))) for w in raw.get("filler") or [])
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        report("source", "'source' is required: where the numbers were read")
    checked = checked_date(raw, label, lambda key, message: problems.append(
        Problem(file, line_of(raw, key) or line, message)))
    if len(problems) > before:
        return None
    return Category(
        id=category_id, outcome=outcome, rank=rank, reply=reply, line=line_texts,
        numbers=numbers, terms=terms, exceptions=exceptions, whole=bool(raw.get("whole")),
        filler=filler, answer_with=answer_with, entry=entry,
        several_of=frozenset(str(kind) for kind in raw.get("several_of") or []),
        source=source.strip(), checked=checked,
    )


def _texts(raw: dict, key: str, report: Any, *, required: bool) -> dict[str, str]:
    value = raw.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        report(key, f"'{key}' must give nb and en text, for example '{key}: {{nb: ..., en: ...}}'")
        return {}
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            report(key, f"'{key}' has unknown language '{language}' (use {', '.join(LANGUAGES)})")
        elif not isinstance(text, str) or not text.strip():
            report(key, f"'{key}.{language}' must be non-empty text")
        else:
            texts[language] = text.strip()
    for language in REQUIRED_LANGUAGES:
        if language not in value:
            report(key, f"missing '{key}.{language}'")
    return texts


def _terms(
    raw: dict, key: str, language: str, groups: Mapping[str, frozenset[Pattern]], report: Any
) -> tuple[Term, ...]:
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
