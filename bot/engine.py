"""The answer engine: normalise a question, match it, and decide what to do with it.

Every question gets exactly one of three outcomes:

- answered: one entry is clearly the best and scores at least `answer_threshold`;
- suggested: up to `max_suggestions` entries score at least `suggest_threshold` ("Mente du …?");
- unanswered: nothing is close enough; the bot says so honestly and the question is logged.

A wrong answer is worse than no answer, so when the two best entries are within
`ambiguity_margin` of each other the engine asks rather than guesses. A message naming one
member municipality is never answered with an entry about another. Emergency keywords ("brann",
"ambulanse") always reach their emergency entry.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from bot.config import MatchingConfig
from bot.knowledge import Entry, KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.matcher import Index, QueryToken, Scored
from bot.text import Normalizer

SUGGESTION_SPREAD = 25.0


class Outcome(enum.StrEnum):
    """What the engine decided."""

    ANSWERED = "answered"
    SUGGESTED = "suggested"
    UNANSWERED = "unanswered"


@dataclass(frozen=True)
class Candidate:
    """An entry and how well it matched (0-100)."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Result:
    """The engine's decision for one question."""

    question: str
    outcome: Outcome
    language: str
    best: Candidate | None
    suggestions: tuple[Candidate, ...]
    municipality: str | None

    @property
    def entry(self) -> Entry | None:
        """The entry answered with, if the outcome is answered."""
        return self.best.entry if self.outcome is Outcome.ANSWERED and self.best else None

    @property
    def score(self) -> float:
        """The best entry's score, 0 when nothing matched."""
        return round(self.best.score, 1) if self.best else 0.0


class Engine:
    """Answers questions from one knowledge base; `reload` swaps it for a new one atomically."""

    def __init__(self, knowledge: KnowledgeBase, matching: MatchingConfig) -> None:
        self.matching = matching
        self._knowledge = knowledge
        self._normalizer = Normalizer(knowledge.language)
        self._index = Index(knowledge, self._normalizer)

    @classmethod
    def from_directory(cls, directory: Path, matching: MatchingConfig) -> Engine:
        """Load, validate and index a knowledge directory (raises KnowledgeError)."""
        return cls(load_knowledge(directory), matching)

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge base in use."""
        return self._knowledge

    def reload(self, directory: Path | None = None) -> list[Problem]:
        """Load the knowledge base again; on problems keep the current one and return them."""
        try:
            knowledge = load_knowledge(directory or self._knowledge.directory)
        except KnowledgeError as error:
            return error.problems
        normalizer = Normalizer(knowledge.language)
        index = Index(knowledge, normalizer)
        self._knowledge, self._normalizer, self._index = knowledge, normalizer, index
        return []

    def ask(self, question: str, language_hint: str | None = None) -> Result:
        """Decide how to answer `question` (any text; never raises on odd input)."""
        text = question[: self.matching.max_question_chars]
        knowledge, index = self._knowledge, self._index
        analysis = self._normalizer.analyse(text)
        language = self._normalizer.language_of(analysis.raw_words, language_hint)
        tokens = index.query_tokens(analysis)
        named = self._named(tokens)
        excluded = frozenset(
            entry.id
            for entry in knowledge.entries.values()
            if named and entry.municipality is not None and entry.municipality not in named
        )
        ranked = index.score(tokens, excluded)
        ranked = self._apply_keywords(ranked, index.keyword_entries(tokens) - excluded)
        candidates = [Candidate(knowledge.entries[s.entry_id], s.score) for s in ranked]
        outcome, suggestions = self._decide(candidates)
        return Result(
            question=question,
            outcome=outcome,
            language=language,
            best=candidates[0] if candidates else None,
            suggestions=suggestions,
            municipality=named[0] if len(named) == 1 else None,
        )

    def _apply_keywords(self, ranked: list[Scored], keyword_hits: set[str]) -> list[Scored]:
        """Lift entries whose keywords were used: emergencies to answered, others to suggested."""
        if not keyword_hits:
            return ranked
        by_id = {scored.entry_id: scored for scored in ranked}
        for entry_id in keyword_hits:
            emergency = self._knowledge.entries[entry_id].kind == "emergency"
            floor = self.matching.answer_threshold if emergency else self.matching.suggest_threshold
            current = by_id.get(entry_id)
            if current is None or current.score < floor:
                by_id[entry_id] = Scored(entry_id, floor, current.question if current else "")
        return sorted(by_id.values(), key=lambda scored: scored.score, reverse=True)

    def _decide(self, candidates: list[Candidate]) -> tuple[Outcome, tuple[Candidate, ...]]:
        matching = self.matching
        if not candidates or candidates[0].score < matching.suggest_threshold:
            return Outcome.UNANSWERED, ()
        top = candidates[0].score
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        clear = top - runner_up >= matching.ambiguity_margin or (top >= 99.9 > runner_up)
        if top >= matching.answer_threshold and clear:
            return Outcome.ANSWERED, ()
        floor = max(matching.suggest_threshold, top - SUGGESTION_SPREAD)
        shown = tuple(c for c in candidates if c.score >= floor)[: matching.max_suggestions]
        return Outcome.SUGGESTED, shown

    def municipalities_named(self, text: str) -> list[str]:
        """The member municipalities `text` names, misspellings included, in order."""
        return self._named(self._index.query_tokens(self._normalizer.analyse(text)))

    def _named(self, tokens: list[QueryToken]) -> list[str]:
        names = self._normalizer.municipality_tokens
        return list(dict.fromkeys(names[t.token] for t in tokens if t.token in names))

    def search(self, text: str, limit: int = 10) -> list[Candidate]:
        """Entries matching `text` from the suggestion threshold up, best first (inline mode)."""
        tokens = self._index.query_tokens(self._normalizer.analyse(text))
        ranked = self._index.score(tokens)
        return [
            Candidate(self._knowledge.entries[s.entry_id], s.score)
            for s in ranked[:limit]
            if s.score >= self.matching.suggest_threshold
        ]
