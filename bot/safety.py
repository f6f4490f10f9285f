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

Terms are written as `bot.terms` reads them (words, beginnings `brenn*`, endings `*brann`,
parts `*selvmord*`, alternatives `a|b`, groups `@not`, gaps `...`, `a & b`, misspellings).
`exceptions` ("brenner for", "røykvarsler") take back what a term found in the same words.
Terms may be limited to English messages (`terms_en`) or to Norwegian ones (`terms_no`):
"fire" is a fire in English and the number four in Norwegian.

When several kinds are found, the one that ranks first answers and the others add their one
line ("Er noen skadet eller alvorlig syk: ring 113."); with three kinds or more the overview of
all numbers answers. A crisis always ranks first. A kind marked `whole` (a bare "HJELP!!")
counts only when the message holds nothing but its terms and `filler` words.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.knowledge import (
    LANGUAGES,
    REQUIRED_LANGUAGES,
    Problem,
    checked_date,
    line_of,
    pick,
    read_yaml,
)
from bot.terms import (
    EVERYDAY_WORDS,
    Pattern,
    Positions,
    Term,
    Vocabulary,
    groups_in,
    message_words,
    occurrences,
    positions_of,
    terms_in,
    word_ranks,
)
from bot.text import fold, words

OUTCOMES = ("emergency", "crisis", "answered")
CATEGORY_KEYS = {
    "id", "outcome", "rank", "reply", "line", "numbers", "terms", "terms_en", "terms_no",
    "exceptions", "whole", "filler", "answer_with", "entry", "source", "checked",
    "several_of",
}
SEVERAL = 3
FILE_KEYS = {"groups", "categories", "exceptions", "ordinary_words"}
REMEMBERED = 256
PART_RANK = 1_000
"""About as common as the 1 000th word: a beginning, ending or part of a word ("brenn*")."""


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
    checked: dt.date | None = dt.date.min
    """The date the source was read; None when it is not recorded."""

    def reply_in(self, language: str) -> str:
        """The reply in `language`, nynorsk falling back to bokmål."""
        return pick(self.reply, language)

    def line_in(self, language: str) -> str:
        """The one line added when another kind answers."""
        return pick(self.line, language)


@dataclass(frozen=True)
class SafetyMatch:
    """What the safety layer recognised in one message, and its reply."""

    categories: tuple[Category, ...]
    language: str

    @property
    def main(self) -> Category:
        """The kind that answers."""
        return self.categories[0]

    @property
    def outcome(self) -> str:
        """"crisis", "emergency", or "answered" (a bare cry for help, answered by an entry)."""
        return self.main.outcome

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

    Terms are indexed by the patterns of their rarest word, so that a message is tried only
    against the terms that word could stand in, not against every term of every category.
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
        self._remembered = lru_cache(maxsize=REMEMBERED)(self._check)
        self._exceptions = _index(
            [(None, term) for term in data.exceptions]
            + [(category, term) for category in data.categories for term in category.exceptions]
        )

    def check(self, text: str, language: str) -> SafetyMatch | None:
        """The emergency, crisis or bare cry for help in `text`, or None; `language` is the
        message's ("nb", "nn" or "en"), which decides the reply and the language-bound terms.

        The last answers are remembered: the flood guard asks about a message first, then the
        engine asks again while answering it.
        """
        return self._remembered(text, language)

    def _check(self, text: str, language: str) -> SafetyMatch | None:
        folded = message_words(text)
        if not folded:
            return None
        fits = [self._vocabulary.match(word) for word in folded]
        present = frozenset().union(*fits)
        if not present:
            return None
        where = positions_of(fits)
        excepted = self._excepted(present, fits, language, where)
        found: list[_Found] = []
        for category, term in _candidates(self._terms, present):
            if not _speaks(term, language):
                continue
            own = excepted.get(None, frozenset()) | excepted.get(category.id, frozenset())
            for positions in occurrences(term, fits, where):
                if not positions & own:
                    found.append(_Found(category, term, positions))
                    break
        found = [f for f in found if not f.category.whole or _is_whole(f, found, folded)]
        if not found:
            return None
        return _decide(found, language, self.data.categories)

    def _excepted(
        self, present: frozenset[Pattern], fits: list[frozenset[Pattern]], language: str,
        where: Positions,
    ) -> dict[str | None, frozenset[int]]:
        """The word positions that exceptions cover: for every category (key None) and for
        each category's own exceptions (key: its id)."""
        covered: dict[str | None, set[int]] = {}
        for category, term in _candidates(self._exceptions, present):
            if _speaks(term, language):
                key = category.id if category is not None else None
                for positions in _every_place(term, fits, where):
                    covered.setdefault(key, set()).update(positions)
        return {key: frozenset(positions) for key, positions in covered.items()}


def _every_place(
    term: Term, fits: list[frozenset[Pattern]], where: Positions
) -> Iterable[frozenset[int]]:
    """Each place an exception covers. For `a & b` that is every place of each part, not only
    the first: "brann & fjor & kommunen" takes back both mentions of the fire told about after
    the fact ("brannen i fjor ... etter brannen ..."), while a term `a & b` needs one of each."""
    if not term.together:
        yield from occurrences(term, fits, where)
        return
    parts = [frozenset().union(*occurrences(part, fits, where)) for part in term.together]
    if all(parts):
        yield frozenset().union(*parts)


_Indexed = tuple["Category | None", Term]


def _index(items: Iterable[_Indexed]) -> dict[Pattern, list[tuple[int, _Indexed]]]:
    """Terms by the patterns of their least common word (`_key_slot`), each with its place in
    the file, so that candidates keep the file's order. A term stands in a message only if
    every one of its words does, so any one word finds the same terms; the rarest finds
    fewest to try ("ikke ... leve" is looked at for "leve", not for every "ikke")."""
    index: dict[Pattern, list[tuple[int, _Indexed]]] = {}
    for order, item in enumerate(items):
        for pattern in _key_slot(item[1]):
            index.setdefault(pattern, []).append((order, item))
    return index


def _key_slot(term: Term) -> frozenset[Pattern]:
    """The word of the term least likely to stand in a message (the first of the rarest)."""
    return min(term.every_slot, key=lambda slot: sum(map(_commonness, slot)))


def _commonness(pattern: Pattern) -> float:
    """A rough share of messages with a word that fits `pattern`, by how common the word is
    in writing (Zipf: the n-th most common word is about 1/n as frequent as the first)."""
    if pattern.kind != "word":
        return 1 / PART_RANK
    rank = word_ranks().get(pattern.core)
    return 1 / (rank + 1) if rank is not None else 1 / EVERYDAY_WORDS


def _candidates(
    index: dict[Pattern, list[tuple[int, _Indexed]]], present: frozenset[Pattern]
) -> list[_Indexed]:
    """The terms each of whose words some word of the message fits, in the file's order."""
    found: dict[int, _Indexed] = {}
    for pattern in present:
        for order, item in index.get(pattern, ()):
            found[order] = item
    return [item for order in sorted(found) if (item := found[order])[1].may_stand_in(present)]


def _speaks(term: Term, language: str) -> bool:
    return not term.language or (term.language == "en") == (language == "en")


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
    SEVERAL of the kinds an overview lists in `several_of` (not a crisis), that overview. The
    others add their line, unless a bare cry for help (`whole`) answers."""
    counts = Counter(item.category.id for item in found)
    by_id = {item.category.id: item.category for item in found}
    ordered = sorted(by_id.values(), key=lambda c: (c.rank, -counts[c.id]))
    overview = next((c for c in categories if c.several_of), None)
    several = [c for c in ordered if overview is not None and c.id in overview.several_of]
    if len(several) >= SEVERAL and overview is not None and ordered[0].outcome != "crisis":
        # "brann, politi og ambulanse": the overview of every number answers.
        ordered = [overview, *(c for c in ordered if c not in several and c is not overview)]
    main = ordered[0]
    others = () if main.whole else tuple(c for c in ordered[1:] if not c.whole and c.line)
    return SafetyMatch(categories=(main, *others), language=language)


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
    groups = groups_in(data, lambda where, key, message: problems.append(
        Problem(name, line_of(where, key), message)))
    items = data["categories"]
    lines = getattr(items, "item_lines", [0] * len(items))
    categories: list[Category] = []
    for raw, line in zip(items, lines, strict=True):
        category = _category(raw, name, line, known, groups, problems)
        if category is not None:
            if any(c.id == category.id for c in categories):
                problems.append(Problem(name, line, f"duplicate category '{category.id}'"))
            categories.append(category)
    exceptions = terms_in(data, "exceptions", "", groups, lambda key, msg: problems.append(
        Problem(name, line_of(data, key), msg)))
    ordinary = frozenset(
        "".join(words(fold(str(word)))) for word in (data.get("ordinary_words") or [])
    )
    return SafetyData(tuple(categories), exceptions, ordinary)


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
        terms_in(raw, "terms", "", groups, report) + terms_in(raw, "terms_en", "en", groups, report)
        + terms_in(raw, "terms_no", "no", groups, report)
    )
    if not terms:
        report("terms", "no terms: give at least one word or phrase that shows this kind")
    exceptions = terms_in(raw, "exceptions", "", groups, report)
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


