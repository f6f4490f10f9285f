"""Synthetic knowledge bases and queries for `bench.matching`, deterministic for a given seed.

A synthetic knowledge base of N alternate questions has N / 10 entries of ten alternates each,
written as real YAML files (with `language.yaml` and the safety layer's `safety.yaml` copied
from the shipped knowledge base) so that loading it costs what loading a real one would.

Alternates read like the shipped ones: an optional question word, then 3-10 words drawn
Zipf-like (s = 1) from a vocabulary that mixes the shipped knowledge base's own words
(stop words and synonyms included, most frequent first) with generated Norwegian-looking
words. The vocabulary grows with the knowledge base as Heaps' law says it should
(V ≈ 30·T^0.55 for T running words), so a bigger base also has a bigger, flatter vocabulary
for the typo search. Every entry has two or three topic words of its own, which all its
alternates share, and one entry in ten is about one member municipality, named in its
alternates and set as its `municipality`.

Queries are alternates of the base with typos (swapped, dropped, doubled or replaced
letters) and unrelated words (generated words the base has never seen, or courtesy words)
mixed in; each remembers the entry it came from.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ALTERNATES_PER_ENTRY = 10
ENTRIES_PER_FILE = 500
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 2.7
HEAPS_K = 30.0
HEAPS_BETA = 0.55
MIN_WORDS, MAX_WORDS = 3, 10
MUNICIPALITY_SHARE = 0.1
MAX_GENERATED_LENGTH = 11
CHECKED = dt.date(2025, 1, 1)
KINDS = ("council", "focus_area", "contact", "municipality")
QUESTION_WORDS = (
    "hva", "hvem", "hvor", "når", "hvordan", "hvilken", "kva", "kven", "kor", "korleis",
    "what", "who", "how", "where",
)
COURTESY_WORDS = ("hei", "takk", "hallo", "tusen takk", "hei hei", "mvh")
_ONSETS = (
    "b", "bl", "br", "d", "dr", "f", "fj", "fl", "fr", "g", "gj", "gl", "gr", "h", "hj", "k",
    "kj", "kl", "kr", "kv", "l", "m", "n", "p", "pl", "r", "s", "sk", "skj", "sl", "sm", "sn",
    "sp", "st", "str", "sv", "t", "tr", "v", "",
)
_VOWELS = ("a", "e", "i", "o", "u", "y", "æ", "ø", "å", "ei", "au", "øy", "a", "e", "o")
_CODAS = (
    "n", "r", "l", "s", "t", "k", "m", "nd", "ng", "nn", "ll", "rt", "st", "kk", "tt", "g", "",
)
_SUFFIXES = ("", "", "", "en", "et", "ene", "ing", "het", "lig", "sjon", "skap", "er", "ar", "a")
_LETTERS = "abcdefghijklmnoprstuvyæøå"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class SyntheticEntry:
    """One generated entry: its id, municipality (or None) and alternate questions."""

    id: str
    kind: str
    municipality: str | None
    topic: tuple[str, ...]
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """A benchmark question, with the entry ids that should answer it (empty: none)."""

    text: str
    expected: tuple[str, ...] = ()


def shipped_vocabulary(knowledge_dir: Path) -> list[str]:
    """The words of the shipped alternate questions, most frequent first."""
    counts: Counter[str] = Counter()
    for path in sorted(knowledge_dir.glob("*.yaml")):
        if path.name in ("language.yaml", "learned.yaml", "safety.yaml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("entries") or []:
            for question in entry.get("questions") or []:
                counts.update(_WORD.findall(str(question).lower()))
    return [word for word, _ in counts.most_common()]


def municipality_names(knowledge_dir: Path) -> dict[str, tuple[str, ...]]:
    """Municipality key -> the names people use for it, from the shipped language.yaml."""
    data = yaml.safe_load((knowledge_dir / "language.yaml").read_text(encoding="utf-8")) or {}
    return {
        str(key): tuple(str(name) for name in names)
        for key, names in (data.get("municipalities") or {}).items()
    }


def generated_word(rng: random.Random) -> str:
    """A made-up word that looks Norwegian: 1-3 syllables, perhaps a suffix, at most 11 letters."""
    syllables = rng.choice((1, 1, 2, 2, 2, 3))
    parts = []
    for number in range(syllables):
        last = number == syllables - 1
        coda = rng.choice(_CODAS) if last or rng.random() < 0.4 else ""
        parts.append(rng.choice(_ONSETS) + rng.choice(_VOWELS) + coda)
    return ("".join(parts) + rng.choice(_SUFFIXES))[:MAX_GENERATED_LENGTH]


def heaps_vocabulary_size(running_words: int) -> int:
    """How many distinct words a text of `running_words` words has (Heaps' law)."""
    return int(HEAPS_K * running_words**HEAPS_BETA)


def build_vocabulary(shipped: list[str], size: int, rng: random.Random) -> list[str]:
    """`size` words by rank: shipped words at every other rank up front, generated ones between."""
    seen = set(shipped)
    generated: list[str] = []
    while len(generated) + len(shipped) < size:
        word = generated_word(rng)
        if len(word) >= 3 and word not in seen:
            seen.add(word)
            generated.append(word)
    ranked: list[str] = []
    for own, new in itertools.zip_longest(shipped, generated):
        ranked.extend(word for word in (own, new) if word is not None)
    return ranked[:max(size, len(shipped))]


class ZipfSampler:
    """Draws words by rank r with weight 1 / (r + offset)^s."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        weights = [1.0 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(len(words))]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self) -> str:
        """One word."""
        point = self.rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_right(self.cumulative, point)]


def generate_entries(
    alternates: int, shipped: list[str], municipalities: dict[str, tuple[str, ...]], seed: int
) -> list[SyntheticEntry]:
    """Entries holding `alternates` alternate questions in all, ten per entry."""
    rng = random.Random(f"{seed}:{alternates}:entries")
    running_words = alternates * (MIN_WORDS + MAX_WORDS) // 2
    vocabulary = build_vocabulary(shipped, heaps_vocabulary_size(running_words), rng)
    sampler = ZipfSampler(vocabulary, rng)
    topic_pool = vocabulary[len(vocabulary) // 20:]
    count = max(1, alternates // ALTERNATES_PER_ENTRY)
    entries = []
    for number in range(count):
        remaining = alternates - number * ALTERNATES_PER_ENTRY
        per_entry = remaining if number == count - 1 else ALTERNATES_PER_ENTRY
        entries.append(_entry(number, per_entry, sampler, topic_pool, municipalities, rng))
    return entries


def _entry(
    number: int,
    alternates: int,
    sampler: ZipfSampler,
    topic_pool: list[str],
    municipalities: dict[str, tuple[str, ...]],
    rng: random.Random,
) -> SyntheticEntry:
    municipality = (
        rng.choice(sorted(municipalities))
        if municipalities and rng.random() < MUNICIPALITY_SHARE else None
    )
    topic = tuple(rng.sample(topic_pool, rng.choice((2, 2, 3))))
    questions: list[str] = []
    attempts = 0
    while len(questions) < alternates:
        question = _alternate(topic, municipality, municipalities, sampler, rng)
        attempts += 1
        if question not in questions or attempts > 50:
            questions.append(question)
    return SyntheticEntry(
        id=f"synthetic.e{number:06d}",
        kind="municipality" if municipality else KINDS[number % 3],
        municipality=municipality,
        topic=topic,
        questions=tuple(questions),
    )


def _alternate(
    topic: tuple[str, ...],
    municipality: str | None,
    municipalities: dict[str, tuple[str, ...]],
    sampler: ZipfSampler,
    rng: random.Random,
) -> str:
    length = rng.randint(MIN_WORDS, MAX_WORDS)
    words = list(rng.sample(topic, rng.randint(1, len(topic))))
    if municipality:
        words.append(rng.choice(municipalities[municipality]).lower())
    while len(words) < length - 1:
        words.append(sampler.draw())
    rng.shuffle(words)
    lead = rng.choice(QUESTION_WORDS) if rng.random() < 0.6 else sampler.draw()
    return " ".join([lead, *words])


def write_knowledge_base(
    directory: Path, entries: list[SyntheticEntry], language_file: Path
) -> None:
    """Write `entries` as valid knowledge files, with a copy of `language_file` and of the
    safety layer beside it (without its links to shipped entries, which are not here)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(language_file, directory / "language.yaml")
    safety = yaml.safe_load((language_file.parent / "safety.yaml").read_text(encoding="utf-8"))
    safety["categories"] = [
        {key: value for key, value in category.items() if key != "entry"}
        for category in safety["categories"] if "answer_with" not in category
    ]
    (directory / "safety.yaml").write_text(
        yaml.safe_dump(safety, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for start in range(0, len(entries), ENTRIES_PER_FILE):
        chunk = entries[start:start + ENTRIES_PER_FILE]
        path = directory / f"synthetic_{start // ENTRIES_PER_FILE:04d}.yaml"
        path.write_text(_entries_yaml(chunk), encoding="utf-8")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _entries_yaml(entries: list[SyntheticEntry]) -> str:
    lines = ["# Synthetic entries written by bench/synthetic.py for bench.matching.", "entries:"]
    for entry in entries:
        topic = " ".join(entry.topic)
        lines += [
            f"  - id: {entry.id}",
            f"    kind: {entry.kind}",
            "    title:",
            f"      nb: {_quoted(f'Om {topic}')}",
            f"      en: {_quoted(f'About {topic}')}",
            "    answer:",
            f"      nb: {_quoted(_answer_nb(entry))}",
            f"      en: {_quoted(_answer_en(entry))}",
            "    questions:",
            *(f"      - {_quoted(question)}" for question in entry.questions),
        ]
        if entry.municipality:
            lines.append(f"    municipality: {entry.municipality}")
        lines += [
            f"    source: https://example.invalid/synthetic/{entry.id}",
            f"    checked: {CHECKED.isoformat()}",
        ]
    return "\n".join(lines) + "\n"


def _answer_nb(entry: SyntheticEntry) -> str:
    topic = ", ".join(entry.topic)
    return (
        f"Dette er et syntetisk svar om {topic}. Det står her for å gjøre kunnskapsbasen like "
        "stor som en ekte, og sier ingenting sant.\n\nLes mer på kommunens nettside."
    )


def _answer_en(entry: SyntheticEntry) -> str:
    topic = ", ".join(entry.topic)
    return (
        f"This is a synthetic answer about {topic}. It is here to make the knowledge base as "
        "large as a real one and states nothing true.\n\nRead more on the municipality's website."
    )


def typo(word: str, rng: random.Random) -> str:
    """`word` with one swapped, dropped, doubled or replaced letter (short words unchanged)."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if kind == 1:
        return word[:at] + word[at + 1:]
    if kind == 2:
        return word[:at] + word[at] + word[at:]
    return word[:at] + rng.choice(_LETTERS) + word[at + 1:]


def generate_queries(entries: list[SyntheticEntry], count: int, seed: int) -> list[Query]:
    """`count` questions made from alternates with typos and unrelated words mixed in."""
    rng = random.Random(f"{seed}:{len(entries)}:queries")
    known = {word for entry in entries for q in entry.questions for word in q.split()}
    queries = []
    for _ in range(count):
        entry = rng.choice(entries)
        words = rng.choice(entry.questions).split()
        for _ in range(rng.choice((0, 1, 1, 2))):
            at = rng.randrange(len(words))
            words[at] = typo(words[at], rng)
        for _ in range(rng.choice((0, 0, 1, 2))):
            words.insert(rng.randrange(len(words) + 1), _unrelated_word(known, rng))
        if rng.random() < 0.15:
            words.insert(0, rng.choice(COURTESY_WORDS))
        queries.append(Query(" ".join(words), (entry.id,)))
    return queries


def _unrelated_word(known: set[str], rng: random.Random) -> str:
    while True:
        word = generated_word(rng)
        if len(word) >= 3 and word not in known:
            return word
