"""Measuring answer quality on a labelled set of questions (`python -m bot evaluate`).

The labelled set is a TSV file with the columns `split`, `category`, `expected` and `question`:
`expected` is the entry id that should answer (several separated by `|` when more than one is
right) or `-` for a question the bot should not answer. Categories starting with `oos_` are
out of scope.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

OUT_OF_SCOPE = "-"


@dataclass(frozen=True)
class Labelled:
    """One labelled question."""

    split: str
    category: str
    expected: frozenset[str]
    question: str

    @property
    def in_scope(self) -> bool:
        """Whether some entry should answer it."""
        return bool(self.expected)


@dataclass(frozen=True)
class Decision:
    """What an answering approach did with one question."""

    outcome: str
    entry_id: str | None
    suggestion_ids: tuple[str, ...] = ()


@dataclass
class Report:
    """Counts over a labelled set, overall and per category."""

    in_scope: int = 0
    correct: int = 0
    wrong: int = 0
    suggested: int = 0
    suggested_with_right: int = 0
    unanswered: int = 0
    out_of_scope: int = 0
    out_of_scope_answered: int = 0
    out_of_scope_suggested: int = 0
    by_category: Counter = field(default_factory=Counter)
    totals_by_category: Counter = field(default_factory=Counter)
    failures: list[tuple[Labelled, Decision]] = field(default_factory=list)

    @property
    def correct_rate(self) -> float:
        """Share of in-scope questions answered with a right entry."""
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def wrong_rate(self) -> float:
        """Share of in-scope questions answered with a wrong entry."""
        return self.wrong / self.in_scope if self.in_scope else 0.0

    @property
    def out_of_scope_answered_rate(self) -> float:
        """Share of out-of-scope questions that got an answer."""
        return self.out_of_scope_answered / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def false_answer_rate(self) -> float:
        """Wrong answers to in-scope and any answer to out-of-scope, over all questions."""
        total = self.in_scope + self.out_of_scope
        return (self.wrong + self.out_of_scope_answered) / total if total else 0.0

    def summary(self) -> str:
        """A few lines for people."""
        return "\n".join([
            f"in scope: {self.in_scope}: answered correctly {self.correct_rate:.1%}, "
            f"wrong {self.wrong_rate:.1%}, suggested {self.suggested} "
            f"({self.suggested_with_right} with the right entry), unanswered {self.unanswered}",
            f"out of scope: {self.out_of_scope}: answered {self.out_of_scope_answered_rate:.1%}, "
            f"suggested {self.out_of_scope_suggested}",
        ])


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a labelled TSV file (tab-separated, first line the column names)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def header_of(path: Path) -> tuple[str, ...]:
    """The column names of a labelled TSV file."""
    with path.open(encoding="utf-8") as handle:
        return tuple(handle.readline().rstrip("\r\n").split("\t"))


def load_labelled(path: Path, split: str | None = None) -> list[Labelled]:
    """Read the labelled set, optionally only one split ("tune" or "heldout")."""
    rows = read_rows(path)
    items = [
        Labelled(
            split=row["split"],
            category=row["category"],
            expected=frozenset() if row["expected"] == OUT_OF_SCOPE
            else frozenset(row["expected"].split("|")),
            question=row["question"],
        )
        for row in rows
    ]
    return [item for item in items if split is None or item.split == split]


def evaluate(decide: Callable[[str], Decision], items: Iterable[Labelled]) -> Report:
    """Run `decide` on every question and count what it got right and wrong."""
    report = Report()
    for item in items:
        decision = decide(item.question)
        report.totals_by_category[item.category] += 1
        if item.in_scope:
            _count_in_scope(report, item, decision)
        else:
            _count_out_of_scope(report, item, decision)
    return report


def _count_in_scope(report: Report, item: Labelled, decision: Decision) -> None:
    report.in_scope += 1
    if decision.outcome == "answered" and decision.entry_id in item.expected:
        report.correct += 1
        report.by_category[item.category] += 1
        return
    report.failures.append((item, decision))
    if decision.outcome == "answered":
        report.wrong += 1
    elif decision.outcome == "suggested":
        report.suggested += 1
        if item.expected & set(decision.suggestion_ids):
            report.suggested_with_right += 1
    else:
        report.unanswered += 1


def _count_out_of_scope(report: Report, item: Labelled, decision: Decision) -> None:
    report.out_of_scope += 1
    if decision.outcome == "answered":
        report.out_of_scope_answered += 1
        report.failures.append((item, decision))
    else:
        report.by_category[item.category] += 1
        if decision.outcome == "suggested":
            report.out_of_scope_suggested += 1
