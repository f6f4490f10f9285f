"""Matching a question against every alternate question of the knowledge base.

The index holds each alternate question as a set of tokens (see `bot.text`), the entries each
token occurs in, and an inverse-document-frequency weight per token counted over entries, so
that words that point to one entry ("stiftet") weigh more than words many entries share
("kommune").

A message is normalised; a word the knowledge base does not know is first read as a misspelling
of one it does (`Speller`: "Kongsbreg", "brjtt seg inn") and the message normalised again. A
token is then looked up exactly, under an inflection the stemmer left ("nødnummeran"), or as a
compound of two known words ("politinummer"). Words the knowledge base has never seen keep
their weight and count against every candidate: "Hva er været i Notodden?" shares only
"Notodden" with the knowledge base, which is not enough to answer.

Each alternate's score (0-100) combines how much of the question it explains (recall, weighted
RECALL_BETA times more) with how much of the alternate the question covers (precision); an
entry scores by its best alternate, or by a few of its alternates together (`_together`).
"""

from __future__ import annotations

import dataclasses
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import KnowledgeBase
from bot.text import Analysis, Normalizer, WordCache

RECALL_BETA = 1.6
COURTESY_WEIGHT = 0.15
UNKNOWN_WEIGHT_FACTOR = 1.0
UNKNOWN_FULL_LENGTH = 5
ENTRY_FACTOR = 0.9
CONTEXT_FACTOR = 0.9
MIN_SCORE = 0.25
LARGE_BASE = 500
"""Entries from which the best possible values are computed on arrays (`_LargeBounds`)..."""
LARGE_SHARE = 500
"""... for a question whose known tokens stand in at least this many entries in all."""
MIN_FUZZY_LENGTH = 5
MAX_WORD_LENGTH = 40  # longer "words" are not language: no typo, compound or ending search
MIN_COMPOUND_PART = 3
LINKING_LETTERS = ("s", "e")
COMPOUND_HEAD_SIMILARITY = 0.9
COURTESY_FUZZY_LENGTH = 6
STOP_FUZZY_LENGTH = 7
STOP_DELETION_LENGTH = 6
INFLECTION_ENDINGS = ("ane", "ene", "an", "ar", "er", "en", "et", "a", "e")


@dataclass(frozen=True)
class QueryToken:
    """One token of a question: what it matched in the vocabulary, how well, and its weight."""

    token: str
    similarity: float
    weight: float
    known: bool


@dataclass(frozen=True)
class Scored:
    """An entry's best score and the alternate question that gave it."""

    entry_id: str
    score: float
    question: str


def max_typo_distance(length: int) -> int:
    """How many edits a word of `length` letters may be away from a known word."""
    if length < MIN_FUZZY_LENGTH:
        return 0
    if length <= 7:
        return 1
    if length <= 11:
        return 2
    return 3


_NONE = (-1.0, -1)


class _Query:
    """A question's token weights, for scoring sets of its tokens given as bit masks."""

    def __init__(self, tokens: list[QueryToken], context: list[QueryToken]) -> None:
        self.gains = [token.weight * token.similarity for token in tokens]
        self.total = sum(token.weight for token in tokens)
        self.bits = {token.token: 1 << bit for bit, token in enumerate(tokens) if token.known}
        self.known = frozenset(self.bits)
        self.names = 0
        self.context = {token.token: token.weight * token.similarity for token in context}
        self.context_total = sum(self.context.values())
        self._gain_of: dict[int, float] = {}

    def gain(self, mask: int) -> float:
        """The weight of the question's tokens in `mask` (bit i: token i)."""
        found = self._gain_of.get(mask)
        if found is None:
            found = sum(gain for bit, gain in enumerate(self.gains) if mask >> bit & 1)
            self._gain_of[mask] = found
        return found

    def best_possible(self, mask: int, lightest: float) -> float:
        """The best value (0-1) an entry could get that holds the question's tokens in `mask`
        and whose lightest alternate weighs `lightest`: no alternate can be covered better
        than by all those tokens and every context token.
        """
        gain = self.gain(mask)
        return f_score((gain + self.context_total) / lightest, gain / self.total)

    def mask(self, alternate: frozenset[str]) -> int:
        """The question's tokens an alternate holds, as a bit mask."""
        found = 0
        for token in alternate & self.known:
            found |= self.bits[token]
        return found

    def implied(self, alternate: Iterable[str]) -> float:
        """The weight of the context tokens an alternate holds."""
        if not self.context:
            return 0.0
        return sum(self.context.get(token, 0.0) for token in alternate)


def _plausible_typo(word: str, near: str, tier: int) -> bool:
    """Whether `word` is a misspelling of `near`, a name (tier 0), content (1) or courtesy (2)
    word. Short words, short names and courtesy words only by a letter left out or swapped
    ("halo", "rbot", "tnin"): one letter replaced or added turns too many real words into others
    ("kino" - "kind", "read" - "rad", "Norge" - "Nore", "flytt" - "flott").
    """
    if tier == 3 or sorted(word) == sorted(near) or len(near) > len(word):
        return True
    if tier == 0:
        return len(near) >= MIN_FUZZY_LENGTH
    if tier == 2:
        return len(word) >= COURTESY_FUZZY_LENGTH
    return len(word) >= MIN_FUZZY_LENGTH


def _plausible_stop_typo(word: str, stop_word: str) -> bool:
    """Whether `word` is a misspelt stop word rather than a content word near one: long
    enough, the same letters swapped ("abuot"), or one of six letters or more with a letter
    left out ("hvordn", "hvike"); "vaeret" (været) is not "vaert" (vært).
    """
    return (len(word) >= STOP_FUZZY_LENGTH or sorted(word) == sorted(stop_word)
            or len(word) + 1 == len(stop_word) >= STOP_DELETION_LENGTH)


class Speller:
    """Typo-tolerant lookup of a written word in the knowledge base's own vocabulary.

    Candidates come in tiers, and on equal distance the earlier tier wins, then the word the
    alternate questions use most ("kommner" is kommuner, not kommer): member
    municipalities' names ("Rolla" is Rollag, not rolle), words of the alternate questions and
    synonyms, courtesy words, and stop words, which a misspelt stop word ("fortplle", "abuot")
    is corrected to and so dropped. See `_plausible_typo` for short words.
    """

    def __init__(self, normalizer: Normalizer, words: Counter[str]) -> None:
        self.normalizer = normalizer
        self.vocabulary: set[str] = set()
        self._tiers: list[dict[str, list[str]]] = [defaultdict(list) for _ in range(4)]
        self.correct: WordCache[tuple[str, float] | None] = WordCache(self._correct)
        every = {
            *words, *normalizer.variants, *normalizer.phrase_words, *normalizer.stopwords,
            *normalizer.courtesy,
        }
        for word in sorted(every, key=lambda word: (-words[word], word)):
            if word and not word.isdigit():
                self._add(word)

    def _add(self, word: str) -> None:
        normalizer = self.normalizer
        if normalizer.token_for(word) in normalizer.municipality_tokens:
            tier = 0
        elif word in normalizer.stopwords and word not in normalizer.variants:
            tier = 3
        elif word in normalizer.courtesy:
            tier = 2
        else:
            tier = 1
        self.vocabulary.add(word)
        self._tiers[tier][word[0]].append(word)

    def knows(self, word: str) -> bool:
        """Whether a folded word is one of the knowledge base's, as written or misspelt."""
        return word in self.vocabulary or self.correct(word) is not None

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The vocabulary word `word` is a misspelling of, and how similar; None if none
        (`correct`, remembered for the words used most)."""
        return self._nearest(word) if word and word not in self.vocabulary else None

    def _nearest(self, word: str) -> tuple[str, float] | None:
        short = len(word) == MIN_FUZZY_LENGTH - 1
        limit = 1 if short else max_typo_distance(len(word))
        if not limit:
            return None
        best: tuple[str, int] | None = None
        for tier in (0, 1, 2) if short else (0, 1, 2, 3):
            candidates = self._tiers[tier].get(word[0], ())
            found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
            if found is None or (best is not None and found[1] >= best[1]):
                continue
            if tier == 3 and not _plausible_stop_typo(word, found[0]):
                continue
            if not _plausible_typo(word, found[0], tier):
                continue
            best = (found[0], found[1])
        if best is None:
            return None
        near, distance = best
        return near, 1.0 - distance / max(len(near), len(word))


class Index:
    """Alternate questions tokenised and indexed for fast, typo-tolerant lookup."""

    def __init__(self, knowledge: KnowledgeBase, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self.alt_entry: list[str] = []
        self.alt_question: list[str] = []
        self.alt_tokens: list[frozenset[str]] = []
        self.entry_positions: dict[str, range] = {}
        # for each entry, each token's alternates (bit i: the entry's i-th alternate)
        self.holding: dict[str, dict[str, int]] = {}
        words_used: Counter[str] = Counter()
        entries_with: dict[str, set[str]] = defaultdict(set)
        for entry_id in knowledge.entries:
            first = len(self.alt_entry)
            for question in knowledge.questions_for(entry_id):
                words_used.update(normalizer.folded_words(question))
                tokens = frozenset(normalizer.analyse(question).tokens)
                if not tokens:
                    continue
                self.alt_entry.append(entry_id)
                self.alt_question.append(question)
                self.alt_tokens.append(tokens)
                for token in tokens:
                    entries_with[token].add(entry_id)
            self.entry_positions[entry_id] = range(first, len(self.alt_entry))
            holding: dict[str, int] = defaultdict(int)
            for bit, tokens in enumerate(self.alt_tokens[first:]):
                for token in tokens:
                    holding[token] |= 1 << bit
            self.holding[entry_id] = dict(holding)
        self.entries_with = {token: tuple(owners) for token, owners in entries_with.items()}
        entry_count = max(len(knowledge.entries), 1)
        courtesy = normalizer.courtesy_tokens
        self.idf = {
            token: math.log(1 + entry_count / len(owners)) * (
                COURTESY_WEIGHT if token in courtesy else 1.0
            )
            for token, owners in entries_with.items()
        }
        self.unknown_weight = UNKNOWN_WEIGHT_FACTOR * max(self.idf.values(), default=1.0)
        self.alt_weight = array(
            "d", (sum(self.idf[token] for token in tokens) for tokens in self.alt_tokens)
        )
        self.lightest = {
            entry_id: min((self.alt_weight[p] for p in positions), default=math.inf)
            for entry_id, positions in self.entry_positions.items()
        }
        self.speller = Speller(normalizer, words_used)
        self._keyword_entries = self._index_keywords(knowledge)
        self._large = _LargeBounds(self) if len(self.lightest) >= LARGE_BASE else None
        self.lookup: WordCache[tuple[tuple[str, float], ...]] = WordCache(self._lookup)

    def _index_keywords(self, knowledge: KnowledgeBase) -> dict[str, set[str]]:
        keyword_entries: dict[str, set[str]] = defaultdict(set)
        for entry in knowledge.entries.values():
            for keyword in entry.keywords:
                for token in self.normalizer.analyse(keyword).tokens:
                    keyword_entries[token].add(entry.id)
        return dict(keyword_entries)

    # --- query side ---------------------------------------------------------------------------

    def analyse(self, text: str) -> Analysis:
        """`text` normalised, with misspelt words corrected first where the vocabulary knows
        a word close enough, so that "brjtt seg inn" is read as "brutt seg inn" (burglary).
        Tokens that exist only thanks to a correction carry its similarity.
        """
        normalizer = self.normalizer
        written = normalizer.folded_words(text)
        analysis = normalizer.analyse_words(written)
        corrections: dict[str, tuple[str, float]] = {}
        for token in analysis.content:
            word = analysis.spelled.get(token, token)
            if (
                word in corrections or len(word) > MAX_WORD_LENGTH or token.isdigit()
                or self.lookup(token)[0][0] in self.idf
            ):
                continue
            fixed = self.speller.correct(word)
            if fixed is not None:
                corrections[word] = fixed
        if not corrections:
            return analysis
        corrected = normalizer.analyse_words(
            [corrections[word][0] if word in corrections else word for word in written]
        )
        similarity = min(value for _, value in corrections.values())
        before = set(analysis.tokens)
        return dataclasses.replace(
            corrected,
            similarity={token: similarity for token in corrected.tokens if token not in before},
        )

    def query_tokens(self, analysis: Analysis) -> list[QueryToken]:
        """The question's distinct tokens, resolved against the vocabulary."""
        resolved: dict[str, QueryToken] = {}
        for token in analysis.tokens:
            word = analysis.spelled.get(token, token)
            corrected = analysis.similarity.get(token, 1.0)
            for found, found_similarity in self.lookup(token):
                known = found in self.idf
                weight = self.idf[found] if known else self.unknown_weight_of(word)
                if not known and found in self.normalizer.courtesy_tokens:
                    weight *= COURTESY_WEIGHT
                similarity = found_similarity * corrected
                previous = resolved.get(found)
                if previous is None or previous.similarity < similarity:
                    resolved[found] = QueryToken(found, similarity, weight, known)
        return self._courtesy_in_full(list(resolved.values()))

    def _courtesy_in_full(self, tokens: list[QueryToken]) -> list[QueryToken]:
        """Courtesy words at full weight when nothing else known, and no long unknown word, is
        said: "takk ska du ha" is small talk, "hva blir været i morgen" is not.
        """
        courtesy = self.normalizer.courtesy_tokens
        if any(
            (token.known and token.token not in courtesy)
            or (not token.known and token.weight >= self.unknown_weight)
            for token in tokens
        ):
            return tokens
        return [
            dataclasses.replace(token, weight=token.weight / COURTESY_WEIGHT)
            if token.known and token.token in courtesy else token
            for token in tokens
        ]

    def unknown_weight_of(self, word: str) -> float:
        """The weight of a word the knowledge base has never seen, as written.

        Long unknown words are usually the topic ("søppeltømming") and weigh as much as the
        rarest known word; short ones are usually function words of some dialect ("te", "ska")
        and weigh less.
        """
        return self.unknown_weight * min(1.0, len(word) / UNKNOWN_FULL_LENGTH)

    def _lookup(self, token: str) -> tuple[tuple[str, float], ...]:
        """Known tokens for `token`: itself, a known word under an inflection the stemmer left
        on, or a compound's two parts; else the token itself, unknown (`lookup`, remembered
        for the words used most).
        """
        if token in self.idf or token.isdigit() or len(token) > MAX_WORD_LENGTH:
            return ((token, 1.0),)
        base = self._strip_ending(token)
        if base:
            return ((base, 1.0),)
        parts = self._split_compound(token)
        if parts:
            head, tail = parts
            if tail is None:  # "regionrådsgreia" is the council, "greia" only filler
                return ((head, COMPOUND_HEAD_SIMILARITY),)
            return ((head, COMPOUND_HEAD_SIMILARITY), (tail, 1.0))
        return ((token, 1.0),)

    def _strip_ending(self, token: str) -> str | None:
        """A known word under an inflection the stemmer left on: "nødnummeran", "kommunan"."""
        for ending in INFLECTION_ENDINGS:
            base = token[: -len(ending)]
            if token.endswith(ending) and len(base) >= MIN_FUZZY_LENGTH:
                found = self.normalizer.token_for(base)
                if found in self.idf:
                    return found
        return None

    def _is_stop_word_stem(self, tail: str) -> bool:
        """Whether a stemmed compound's tail is a stop word, as it stands or with the ending the
        stemmer took off ("grei" of "regionrådsgreia")."""
        stopwords = self.normalizer.stopwords
        return tail in stopwords or any(tail + ending in stopwords
                                        for ending in INFLECTION_ENDINGS)

    def _split_compound(self, token: str) -> tuple[str, str | None] | None:
        """A compound's two known parts; the tail None when it is a stop word ("greia")."""
        for cut in range(len(token) - MIN_COMPOUND_PART, MIN_COMPOUND_PART - 1, -1):
            head, tail = token[:cut], token[cut:]
            right = self.normalizer.token_for(tail)
            if right not in self.idf:
                continue
            heads = (head, head[:-1]) if head.endswith(LINKING_LETTERS) else (head,)
            for left_word in heads:
                left = self.normalizer.token_for(left_word)
                if left in self.idf:
                    return left, (None if self._is_stop_word_stem(tail) else right)
        return None

    # --- scoring ------------------------------------------------------------------------------

    def score(
        self,
        tokens: list[QueryToken],
        excluded: frozenset[str] = frozenset(),
        context: list[QueryToken] | None = None,
        min_score: float = MIN_SCORE,
        spread: float | None = None,
    ) -> list[Scored]:
        """Every matching entry's best score, best first; entries in `excluded` left out, and
        entries that explain too little of the question to score `min_score` (0-1) even if
        they matched perfectly. With `spread`, also the entries that could not come within
        `spread` of the best: entries are scored best-possible first, so on a large knowledge
        base a question made of common words scores a few entries, not thousands.

        `context` tokens (a municipality named elsewhere in the message) are implied: they
        cover their part of an alternate that the tokens themselves already match, and count
        neither for nor against how much of the question is explained.
        """
        query = _Query(tokens, context or [])
        if not query.total:
            return []
        municipalities = self.normalizer.municipality_tokens
        query.names = sum(bit for token, bit in query.bits.items() if token in municipalities)
        bounds = self._bounds(tokens, query, excluded, min_score)
        scored: list[Scored] = []
        floor = min_score
        for bound, entry_id in bounds:
            if bound < floor:
                break
            found = self._score_entry(entry_id, query)
            scored.append(found)
            if spread is not None:
                floor = max(floor, found.score / 100 - spread)
        return sorted(scored, key=lambda item: item.score, reverse=True)

    def _bounds(
        self, tokens: list[QueryToken], query: _Query, excluded: frozenset[str],
        min_score: float,
    ) -> list[tuple[float, str]]:
        """Every entry holding a known token of the question, with the best value it could
        get, best first (ties: the later entry id first); on a large base the same figures
        from whole arrays at once (`_LargeBounds`), only those reaching `min_score`."""
        known = [token.token for token in tokens if token.known]
        if (self._large is not None and len(tokens) < _LargeBounds.MAX_TOKENS
                and sum(len(self.entries_with[token]) for token in known) >= LARGE_SHARE):
            return self._large.bounds(tokens, query, excluded, min_score)
        entry_mask: dict[str, int] = defaultdict(int)
        for bit, token in enumerate(tokens):
            if token.known:
                for entry_id in self.entries_with[token.token]:
                    entry_mask[entry_id] |= 1 << bit
        return sorted(
            ((query.best_possible(mask, self.lightest[entry_id]), entry_id)
             for entry_id, mask in entry_mask.items() if entry_id not in excluded),
            reverse=True,
        )

    def _score_entry(self, entry_id: str, query: _Query) -> Scored:
        """An entry's score: its best alternate, or a few of its alternates taken together.

        "Which county, how many people, bokmål or nynorsk?" is asked of one municipality's
        card, though no single alternate asks all three: the alternates that together explain
        the question are scored as one, at ENTRY_FACTOR of the value.
        """
        by_mask: dict[int, tuple[float, int]] = {}
        weights, alternates = self.alt_weight, self.alt_tokens
        for position in self._holding_any(entry_id, query):
            mask = query.mask(alternates[position])
            value = self._alternate_value(mask, alternates[position], weights[position], query)
            if value > by_mask.get(mask, _NONE)[0]:
                by_mask[mask] = (value, position)
        best_value, best_mask = max((value, mask) for mask, (value, _) in by_mask.items())
        best = by_mask[best_mask][1]
        if len(by_mask) > 1:
            best_value = max(best_value, self._together(by_mask, best_mask, query))
        return Scored(entry_id, 100.0 * best_value, self.alt_question[best])

    def _holding_any(self, entry_id: str, query: _Query) -> Iterator[int]:
        """The positions of an entry's alternates that hold some known token of the question,
        in order (the others score nothing and are not looked at)."""
        holding = self.holding[entry_id]
        found = 0
        for token in query.known:
            found |= holding.get(token, 0)
        first = self.entry_positions[entry_id].start
        while found:
            lowest = found & -found
            yield first + lowest.bit_length() - 1
            found ^= lowest

    @staticmethod
    def _alternate_value(
        mask: int, alternate: frozenset[str], weight: float, query: _Query
    ) -> float:
        """One alternate's value (0-1) for the question tokens in `mask`.

        A municipality named in another sentence (`query.context`) may complete the
        alternate, but an alternate completed so is worth CONTEXT_FACTOR of its value: the
        question itself did not say it.
        """
        gain = query.gain(mask)
        implied = query.implied(alternate) if query.context else 0.0
        value = f_score((gain + implied) / weight, gain / query.total)
        return value * CONTEXT_FACTOR if implied else value

    def _together(
        self, by_mask: dict[int, tuple[float, int]], start: int, query: _Query
    ) -> float:
        """The value of the alternates that, added greedily to `start`, explain the most.

        Names do not join alternates: "legevakt kongsberg" and "legevakt notodden" do not make
        the legevakt entry the answer to "Kongsberg Notodden". Neither the start nor an added
        alternate may explain only a municipality's name.
        """
        names = query.names
        if not start & ~names:
            return 0.0
        covered_mask = start
        chosen = set(self.alt_tokens[by_mask[start][1]])
        while True:
            extra = max(by_mask, key=lambda mask: query.gain(mask & ~covered_mask & ~names))
            if not extra & ~covered_mask & ~names:
                break
            covered_mask |= extra
            chosen |= self.alt_tokens[by_mask[extra][1]]
        if covered_mask == start:
            return 0.0
        gain = query.gain(covered_mask)
        implied = query.implied(chosen)
        value = f_score((gain + implied) / sum(self.idf[token] for token in chosen),
                        gain / query.total)
        return ENTRY_FACTOR * value * (CONTEXT_FACTOR if implied else 1.0)

    def keyword_entries(self, tokens: list[QueryToken], similarity: float = 1.0) -> set[str]:
        """Entries whose keywords appear among the question's tokens, spelt at least this
        `similarity` to the keyword (by default: spelt right).

        Emergencies count only keywords spelt right: "søknad" is one edit from "skad", and
        must not call an ambulance.
        """
        found: set[str] = set()
        for token in tokens:
            if token.similarity >= similarity:
                found |= self._keyword_entries.get(token.token, set())
        return found


class _LargeBounds:
    """`Index._bounds` for a knowledge base of thousands of entries, where a question made of
    common words touches most of them: the entries' masks and best possible values are
    computed on whole arrays (numpy), in the same floating-point steps as `_Query.gain`,
    `_Query.best_possible` and `f_score`, so the figures and their order are the same."""

    MAX_TOKENS = 63  # a question's tokens are the bits of one 64-bit mask

    def __init__(self, index: Index) -> None:
        import numpy  # only a large base needs it: not read at every start

        self.np = numpy
        self.entry_ids = list(index.lightest)
        place = {entry_id: i for i, entry_id in enumerate(self.entry_ids)}
        self.lightest = numpy.array([index.lightest[e] for e in self.entry_ids], dtype=float)
        order = sorted(range(len(self.entry_ids)), key=self.entry_ids.__getitem__)
        self.id_rank = numpy.empty(len(order), dtype=numpy.int64)
        self.id_rank[order] = numpy.arange(len(order))
        self.place = place
        self.owners = {
            token: numpy.array([place[e] for e in owners], dtype=numpy.int64)
            for token, owners in index.entries_with.items()
        }

    def bounds(
        self, tokens: list[QueryToken], query: _Query, excluded: frozenset[str],
        min_score: float,
    ) -> list[tuple[float, str]]:
        """The entries that could reach `min_score`, with that best value, best first."""
        np = self.np
        masks = np.zeros(len(self.entry_ids), dtype=np.int64)
        for bit, token in enumerate(tokens):
            if token.known:
                masks[self.owners[token.token]] |= 1 << bit
        for entry_id in excluded:
            if entry_id in self.place:
                masks[self.place[entry_id]] = 0
        touched = np.flatnonzero(masks)
        held = masks[touched]
        gain = np.zeros(len(touched))
        for bit, value in enumerate(query.gains):
            gain = gain + np.where((held >> bit) & 1 == 1, value, 0.0)
        precision = np.minimum((gain + query.context_total) / self.lightest[touched], 1.0)
        recall = np.minimum(gain / query.total, 1.0)
        beta2 = RECALL_BETA * RECALL_BETA
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (1 + beta2) * precision * recall / (beta2 * precision + recall)
        value = np.where((precision <= 0) | (recall <= 0), 0.0, value)
        reaching = np.flatnonzero(value >= min_score)
        order = reaching[np.lexsort((self.id_rank[touched[reaching]], value[reaching]))][::-1]
        return [(float(value[i]), self.entry_ids[touched[i]]) for i in order]


def f_score(precision: float, recall: float) -> float:
    """The F-measure with recall weighted RECALL_BETA times as much as precision."""
    precision, recall = min(precision, 1.0), min(recall, 1.0)
    if precision <= 0 or recall <= 0:
        return 0.0
    beta2 = RECALL_BETA * RECALL_BETA
    return (1 + beta2) * precision * recall / (beta2 * precision + recall)
