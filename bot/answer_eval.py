"""Measuring answers by what they say, not by which entry gave them (`python -m bot evaluate`).

An answer set is a TSV file with the columns `style`, `pattern`, `kind`, `language`, `expect`
and `question` (an optional `split` column first), written by people who know the fact sheet
but not the knowledge base, so it can be labelled without entry ids:

- kind `known`: the fact sheet answers it; the reply must hold every fact in `expect` (facts
  separated by " ; ", spellings of one fact by "|"; "-" when any answer will do, as for thanks);
- kind `unknown`: the fact sheet lacks it; the reply must say so and hold what `expect` names
  (the website to turn to);
- kind `oos`: out of scope; any confident answer is a false answer.

Reported as the issue asks: in scope answered correctly, reached (answered correctly, or the
right choice among "Mente du …?"), answered wrongly, and out of scope answered; by style and by
pattern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.evaluate import header_of, read_rows
from bot.safety_eval import holds_number

ANSWER_HEADER = ("style", "pattern", "kind", "language", "expect", "question")
KINDS = ("known", "unknown", "oos")
ANSWERED = ("answered", "emergency", "crisis")
NOTHING = "-"


@dataclass(frozen=True)
class AnswerItem:
    """One question of an answer set."""

    style: str
    pattern: str
    kind: str
    language: str
    expect: tuple[tuple[str, ...], ...]
    question: str
    split: str = ""

    @property
    def in_scope(self) -> bool:
        """Whether the bot should answer (a fact, or that it does not know and where to look)."""
        return self.kind != "oos"


@dataclass(frozen=True)
class AnswerReply:
    """What the bot did: its outcome, its reply, and the answers of its suggestions."""

    outcome: str
    text: str
    language: str
    suggestions: tuple[str, ...] = ()


def holds_fact(text: str, spellings: tuple[str, ...]) -> bool:
    """Whether `text` holds one of the spellings of a fact (numbers with or without spaces)."""
    folded = " ".join(text.casefold().split())
    for spelling in spellings:
        if spelling.replace(" ", "").isdigit():
            if holds_number(text, spelling):
                return True
        elif " ".join(spelling.casefold().split()) in folded:
            return True
    return False


def holds_all(text: str, expect: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `text` holds every expected fact (always, when nothing is expected)."""
    return all(holds_fact(text, spellings) for spellings in expect)


def verdict(item: AnswerItem, reply: AnswerReply) -> str:
    """"correct", "reached" (the right suggestion), "wrong", "open" (suggested or unanswered
    without the fact), "false" (an out-of-scope question answered) or "fine" (one not)."""
    answered = reply.outcome in ANSWERED
    if not item.in_scope:
        return "false" if answered else "fine"
    if item.kind == "unknown":
        if holds_all(reply.text, item.expect) and reply.outcome != "suggested":
            return "correct"
        return "wrong" if answered else "open"
    if answered:
        return "correct" if holds_all(reply.text, item.expect) else "wrong"
    if reply.outcome == "suggested" and any(
        holds_all(answer, item.expect) for answer in reply.suggestions
    ):
        return "reached"
    return "open"


@dataclass
class AnswerReport:
    """Counts over an answer set, overall, by style and by pattern."""

    counts: Counter = field(default_factory=Counter)
    in_scope: int = 0
    out_of_scope: int = 0
    language_right: int = 0
    by_style: dict[str, Counter] = field(default_factory=dict)
    by_pattern: dict[str, Counter] = field(default_factory=dict)
    failures: list[tuple[AnswerItem, AnswerReply, str]] = field(default_factory=list)

    def add(self, item: AnswerItem, reply: AnswerReply) -> None:
        """Count one question."""
        result = verdict(item, reply)
        self.counts[result] += 1
        if item.in_scope:
            self.in_scope += 1
            self.language_right += reply.language == item.language
        else:
            self.out_of_scope += 1
        for key, table in ((item.style, self.by_style), (item.pattern, self.by_pattern)):
            table.setdefault(key, Counter())[result] += 1
        if result not in ("correct", "fine"):
            self.failures.append((item, reply, result))

    def rate(self, *results: str) -> float:
        """The share of in-scope questions (or, for "false", out-of-scope) with `results`."""
        whole = self.out_of_scope if results == ("false",) else self.in_scope
        return sum(self.counts[r] for r in results) / whole if whole else 0.0

    def summary(self) -> str:
        """The issue's four figures, then by style and by pattern."""
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole} = {part / whole:.1%}" if whole else "0/0"

        counts = self.counts
        lines = [
            f"in scope answered correctly: {share(counts['correct'], self.in_scope)}",
            f"in scope reached (correct, or the right 'Mente du'): "
            f"{share(counts['correct'] + counts['reached'], self.in_scope)}",
            f"in scope answered wrongly: {share(counts['wrong'], self.in_scope)}",
            f"out of scope answered: {share(counts['false'], self.out_of_scope)}",
            f"replied in the question's language: {share(self.language_right, self.in_scope)}",
        ]
        for title, table in (("by style", self.by_style), ("by pattern", self.by_pattern)):
            lines.append(f"{title} (right / all: correct or, out of scope, not answered):")
            for key, table_counts in sorted(table.items()):
                right = table_counts["correct"] + table_counts["fine"]
                lines.append(f"  {key:<12} {right:>4}/{sum(table_counts.values()):<4}"
                             f" wrong {table_counts['wrong']}, false {table_counts['false']}")
        return "\n".join(lines)


def is_answer_set(path: Path) -> bool:
    """Whether the TSV file at `path` is an answer set (by its header)."""
    return header_of(path)[-6:] == ANSWER_HEADER


def parse_expect(text: str) -> tuple[tuple[str, ...], ...]:
    """"Lampeland ; 35 01 50 00|+47 35015000" as facts, each with its spellings."""
    if text.strip() in ("", NOTHING):
        return ()
    return tuple(
        tuple(spelling.strip() for spelling in fact.split("|") if spelling.strip())
        for fact in text.split(";") if fact.strip()
    )


def load_answer_set(path: Path, split: str | None = None) -> list[AnswerItem]:
    """Read an answer set; an unknown kind is an error (a typo would silently pass)."""
    rows = read_rows(path)
    items = []
    for number, row in enumerate(rows, start=2):
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise ValueError(f"{path}:{number}: unknown kind {kind!r} (use {', '.join(KINDS)})")
        items.append(AnswerItem(
            style=row["style"].strip(), pattern=row["pattern"].strip(), kind=kind,
            language=row["language"].strip(), expect=parse_expect(row["expect"]),
            question=row["question"], split=(row.get("split") or "").strip(),
        ))
    return [item for item in items if split is None or item.split == split]


def evaluate_answers(
    reply_to: Callable[[str], AnswerReply], items: Iterable[AnswerItem]
) -> AnswerReport:
    """Run `reply_to` on every question and count."""
    report = AnswerReport()
    for item in items:
        report.add(item, reply_to(item.question))
    return report
