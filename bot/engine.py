"""The answer engine: normalise a question, match it, and decide what to do with it.

Before anything else, the safety layer (`bot.safety`) reads the message: an emergency or a
person in crisis gets its reply at once (outcome "emergency" or "crisis"), whatever the
matcher would have said. Every other question gets exactly one of three outcomes:

- answered: one entry is clearly the best and scores at least `answer_threshold`;
- suggested: up to `max_suggestions` entries score at least `suggest_threshold` ("Mente du …?");
- unanswered: nothing is close enough; the bot says so honestly and the question is logged.

A wrong answer is worse than no answer, so when the two best entries are within
`ambiguity_margin` of each other the engine asks rather than guesses. A message naming one
member municipality is never answered with an entry about another. Emergency keywords ("brann",
"ambulanse"), spelt right, always reach their emergency entry; other keywords add
KEYWORD_BONUS. Long messages are scored sentence by sentence too (`_score_sentences`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.config import MatchingConfig
from bot.facts import (
    MAX_PARTS,
    QUESTION_WORDS,
    FactAnswer,
    FactData,
    FactLayer,
    Topic,
    after_a_colon,
    after_what_is_known,
    asked_part,
    asks_something,
    asks_what_to_answer,
    only_confirms,
    only_points_back,
    pointed_to,
    points_back,
    question_parts,
    wants_to_know,
)
from bot.knowledge import Entry, KnowledgeBase, KnowledgeError, Problem, load_knowledge
from bot.matcher import MIN_SCORE, Index, QueryToken, Scored
from bot.person_request import PersonRequestData, PersonRequests
from bot.safety import SafetyData, SafetyLayer, SafetyMatch
from bot.text import Normalizer, fold, in_digits, rejoined, words

SUGGESTION_SPREAD = 25.0
EMERGENCY_OVERVIEW = "emergency.overview"
KEYWORD_BONUS = 10.0
STATEMENT_WEIGHT = 0.85
GENERIC_WEIGHT = 1.5
UNNAMED_WEIGHT = 0.8
NAMED_CERTAIN = 85.0
FUZZY_KEYWORD = 0.8
LOCAL_ANSWER_EXTRA = 5.0
MAX_SENTENCES = 12
MIN_WINDOW_WORDS = 10
ABOUT_THE_BOT = frozenset({"smalltalk.capabilities", "smalltalk.identity"})
"""The small talk that answers a question about the bot itself, however long the message."""
RUN_ON_WORDS = 16
"""The shortest message without punctuation that is read as several sentences."""
_ANY_PUNCTUATION = re.compile(r"[.!?]")
RUN_ON_BACKGROUND = 4
"""How many words a message without punctuation has before its question can begin."""
_THANKS = frozenset({"takk", "tusen", "tkk", "thanks", "thank", "thx", "tnx", "cheers"})
_CLOSINGS = _THANKS | {"hilsen", "hilsn", "helsing", "mvh", "regards"}
_THANKS_OR_FAREWELL = _THANKS | {"takker", "bye", "hade", "adjo"}
_WANTING = frozenset({"trenger", "treng", "need", "needs"})
MAX_OPENING_THANKS = 2
"""A message of one sentence thanks when it begins so ("Thanks, that was really helpful!")."""
_QUOTED = re.compile(r"[\"'«“‘][^\"'«»“”‘’]*[\"'»”’]")
"""Words quoted, not said ("Translate 'thank you' into Norwegian")."""
_ASKING_VERBS = frozenset({"kan", "kunne", "can", "could", "vet", "veit"})
_ADDRESSED = frozenset({"du", "dere", "dokk", "dykk", "you"})
PART_REACH = 15.0
"""How far below the suggestion threshold an entry may score on the whole message and still
answer one part of it."""
PART_CERTAIN = 95.0
"""A part of a question that scores this on its own is answered even when the whole message
did not bring its entry within PART_REACH ("Kan du kort forklare hva Regionrådet er, og hvem
som er medlemmer av selve rådet?" after a paragraph about oneself)."""
_SIGN_OFF = re.compile(
    r"(?:(?<=[.!?,\n])|^)\s*(?:med\s+)?(?:vennlig|venleg|beste|mange|kind|best|warm)?\s*"
    r"(?:hilsen|helsing|hilsn|mvh|m\.v\.h\.?|regards|wishes|greetings)\b(?P<who>[^.?!\n]{0,60})$",
    re.IGNORECASE,
)
_THANKS_SIGN_OFF = re.compile(
    r"(?<=[.!?])\s*(?i:thanks|thank\s+you|many\s+thanks|cheers|takk|tusen\s+takk)"
    r"(?:\s+(?i:so\s+much|a\s+lot|again|igjen|for\s+hjelpa?|for\s+hjelpen))?\s*[,!]*\s*"
    r"(?P<who>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)?)\s*[.!]*\s*$"
)
"""Thanks and a name at the end of a message ("… Thanks, Dan"): who wrote, not a question."""
_BARE_SIGN_OFF = re.compile(
    r"\s(?i:hilsen|helsing|hilsn|mvh)\s+(?!(?i:til|to|fra|frå|from)\b)"
    r"(?P<who>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)?)\s*[.!]*\s*$"
)
"""A greeting and a name after the last word of a message without punctuation ("… HVA ER
NUMMERET TIL KOMMUNEN HILSEN ASLAUG")."""
MAX_SIGN_OFF_WORDS = 5
_RELAY = re.compile(
    r"(?<=[.!?])\s*(?:[\w'-]+\s+){1,4}?(?:lurer|lurar|lure|lurte|spør|spor|spurte|spurde|"
    r"asks|asked|wonders|wondered|vil vite|wants to know|"
    r"(?:trenger|treng|needs|wants|vil ha) (?:det|den|dei|dem|it|them|lenken|lenka|"
    r"nummeret|adressa|adressen|svaret|the link|the number|the address))"
    r"(?:\s+(?:på|om)\s+det|\s+it)?"
    r"\s*[.!]*\s*$",
    re.IGNORECASE,
)
MAX_RELAY_WORDS = 7
_RELAYER = re.compile(
    r"(?P<before>(?:^|(?<=[.!?])\s+)(?:(?:hey|hi|hei|hallo)[,!]?\s+)?)"
    r"(?:my|min|mi|mitt|our|vår|vårt)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:needs|asks me to find|asks for|wants|trenger|treng|spør etter|ber om|vil ha)\s+",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"(?:(?<=[.?!])|\s[–—-])\s+(?:(?:nei|no|sorry|beklager|orsak|unnskyld|oops|oi|wait|vent|"
    r"forresten)"
    r"\W+)*(?:jeg|eg|æ|i)\s+(?:mente|meinte|meant|mean|mener|meiner)\s+(?P<meant>[^.?!]+)"
    r"[.!]*\s*$", re.IGNORECASE)
"""A closing sentence that corrects what was asked ("Nei vent, jeg mente Flesberg.")."""
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,2}\.$")
"""A day of the month before its month ("etter 1. januar 2024"), which ends no sentence."""
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")
ABBREVIATIONS = frozenset({
    "nr", "org.nr", "orgnr", "tlf", "tlf.nr", "ca", "f.eks", "feks", "adm", "evt", "bl.a",
    "mht", "iht", "ang", "vedr", "jf", "dvs", "osv", "pga", "etc", "e.g", "i.e", "approx",
})
"""Words whose full stop ends no sentence ("Finnes det et org.nr. jeg kan bruke?")."""


class Outcome(enum.StrEnum):
    """What the engine decided."""

    ANSWERED = "answered"
    SUGGESTED = "suggested"
    UNANSWERED = "unanswered"
    EMERGENCY = "emergency"
    CRISIS = "crisis"


@dataclass(frozen=True)
class Candidate:
    """An entry and how well it matched (0-100)."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Ranking:
    """Every matching entry, best first, with the question's language and municipality."""

    candidates: list[Candidate]
    language: str
    municipality: str | None


@dataclass(frozen=True)
class Result:
    """The engine's decision for one question."""

    question: str
    outcome: Outcome
    language: str
    best: Candidate | None
    suggestions: tuple[Candidate, ...]
    municipality: str | None
    safety: SafetyMatch | None = None
    """What the safety layer recognised; for outcomes emergency and crisis, the reply."""
    fact: FactAnswer | None = None
    """A precise answer about the member municipalities (facts.yaml), when there is one."""
    wants_person: bool = False
    """The message asks for a person (followup.yaml): outcome unanswered, for the editors."""
    also: tuple[Candidate, ...] = ()
    """For a message that asks two things ("Når vart regionrådet skipa, og kva er
    føremålet?"), the entries that answer its other parts, after `best`."""

    @property
    def entry(self) -> Entry | None:
        """The entry answered with, if the outcome is answered."""
        return self.best.entry if self.outcome is Outcome.ANSWERED and self.best else None

    @property
    def is_safety_reply(self) -> bool:
        """Whether the reply is the safety layer's (an emergency or a crisis)."""
        return self.outcome in (Outcome.EMERGENCY, Outcome.CRISIS)

    @property
    def logged_id(self) -> str | None:
        """What the question log records as answering: the entry, or "safety.<kind>"."""
        if self.is_safety_reply and self.safety is not None:
            return self.safety.id
        return self.entry.id if self.entry else None

    @property
    def score(self) -> float:
        """The best entry's score, 0 when nothing matched."""
        return round(self.best.score, 1) if self.best else 0.0


@dataclass(frozen=True)
class _Limits:
    """Which entries are worth scoring: none that could not reach `floor` (0-1), nor any that
    could not come within `spread` of the best; everything scorable when `spread` is None.
    """

    floor: float = MIN_SCORE
    spread: float | None = None


@dataclass(frozen=True)
class _State:
    """Everything derived from one knowledge base, swapped as one on reload: the emergency
    entries, and the entries about each municipality (`local`).
    """

    knowledge: KnowledgeBase
    normalizer: Normalizer
    index: Index
    emergencies: frozenset[str]
    local: dict[str, tuple[str, ...]]
    safety: SafetyLayer
    facts: FactLayer
    person_requests: PersonRequests
    loose_facts: FactLayer
    joinable: frozenset[str]
    """Every word two halves written apart may make: the knowledge base's and the facts'."""

    @classmethod
    def build(cls, knowledge: KnowledgeBase) -> _State:
        language = knowledge.language
        stop_words = _folded(language.stopwords)
        normalizer = Normalizer(language)
        emergencies = frozenset(
            entry.id for entry in knowledge.entries.values() if entry.kind == "emergency"
        )
        local: dict[str, list[str]] = {}
        for entry in knowledge.entries.values():
            if entry.municipality is not None:
                local.setdefault(entry.municipality, []).append(entry.id)
        index = Index(knowledge, normalizer)
        facts = FactLayer(
            knowledge.facts or FactData(),
            {word: key for key, names in language.municipalities.items()
             for name in (*names, key.replace("_", " ")) for word in words(fold(name))},
            stop_words | _folded(language.courtesy),
            knowledge.entries,
        )
        return cls(
            knowledge,
            normalizer,
            index,
            emergencies,
            {municipality: tuple(ids) for municipality, ids in local.items()},
            # a word the knowledge base itself writes is what its writer meant, never a
            # misspelt emergency term ("strategiplanen", "kongsbergregion"), as everyday words
            SafetyLayer(knowledge.safety or SafetyData(),
                        stop_words | index.speller.vocabulary),
            facts,
            PersonRequests(knowledge.person_requests or PersonRequestData()),
            facts.loosely(index.speller.knows),
            frozenset(index.speller.vocabulary) | facts.whole_words(),
        )

    def written_apart(self, first: str, second: str) -> bool:
        """Whether two folded words are one word written in two: together a member's name
        ("not odden", "hjart dal"), or together a word the knowledge base or the facts know
        when one half is no word of theirs ("tele fon", "administrasjons senteret") or the facts
        know the whole ("mål form"); never with a stop word ("stå der", "for mål")."""
        whole = first + second
        if whole not in self.joinable:
            return False
        if self.facts.is_member_name(whole):
            return True
        stop_words = self.normalizer.stopwords
        if whole in stop_words or first in stop_words or second in stop_words:
            return False  # "stå der" is no "ståder"
        facts = self.facts  # the whole is a word of theirs or of the knowledge base (joinable)
        vocabulary = self.index.speller.vocabulary
        return facts.knows(whole) or not all(
            half in vocabulary or facts.knows(half) for half in (first, second))


def _folded(phrases: Iterable[str]) -> frozenset[str]:
    """Every folded word of `phrases` (stop words, courtesy words)."""
    return frozenset(word for phrase in phrases for word in words(fold(phrase)))


def sentence_windows(text: str) -> list[str]:
    """The sentences of a message (at most MAX_SENTENCES); [] for a single sentence or a short
    message, whose every word is part of the question ("Fire! What number do I call").

    A question spread over two sentences is still scored as a whole with the full message,
    where an entry's alternates may explain it together.
    """
    if len(text.split()) < MIN_WINDOW_WORDS:
        return []
    sentences = sentences_of(text)
    if len(sentences) < 2:
        return []
    # "… a strategy with certain focus areas. What are they?" asks about the focus areas,
    # not who the bot is, and "… hvor mye skatt jeg må betale … Kan du forklare?" about tax,
    # not what the bot can do: a question that only points back is read with the sentence
    # before it
    return [f"{sentences[i - 1]} {sentence}" if i and _points_back_only(sentence) else sentence
            for i, sentence in enumerate(sentences)]


def _points_back_only(sentence: str) -> bool:
    """Whether a sentence is nothing but what it points back to ("What are they?"), or a
    question that only points back ("Kan du forklare?", "Stemmer det?")."""
    return only_points_back(sentence) or ("?" in sentence and points_back(sentence))


def without_sign_off(text: str) -> str:
    """The message without a closing signature ("… Mvh Kari", "Best regards, Marieke"): a name
    or a workplace after "hilsen" says who wrote, not what is asked. A message that is nothing
    but a greeting keeps it."""
    found = (_SIGN_OFF.search(text) or _THANKS_SIGN_OFF.search(text)
             or _BARE_SIGN_OFF.search(text))
    if found is None or len(found.group("who").split()) > MAX_SIGN_OFF_WORDS:
        return text
    rest = text[: found.start()].rstrip(" ,;-–")
    return rest if rest.strip() else text


def without_relayer(text: str) -> str:
    """The message without whom a question is passed on for, where a sentence begins with it
    ("My Ukrainian neighbour needs the postal address of Rollag kommune", "min kollega spør
    etter …"): what follows is asked as it stands."""
    return _RELAYER.sub(lambda found: found.group("before"), text)


def without_relay(text: str) -> str:
    """The message without a short closing sentence that says who the question is for
    ("… Tinn kommune? sjefen min lurer", "Sjefen min spør.", "My editor asks."): who asks,
    not what."""
    found = _RELAY.search(text)
    if found is None or len(found.group(0).split()) > MAX_RELAY_WORDS:
        return text
    rest = text[: found.start()].rstrip()
    return rest if rest.strip() else text


def sentences_of(text: str) -> list[str]:
    """Every sentence of a message (at most MAX_SENTENCES), however short ("hvor ligger
    rådhuset? skal levere noe")."""
    sentences: list[str] = []
    for part in (part.strip() for part in _SENTENCE_BREAK.split(text)):
        if not part:
            continue
        if sentences and (_ends_in_an_abbreviation(sentences[-1]) or (
                _ORDINAL_END.search(sentences[-1]) and part[:1].islower())):
            # "Finnes det et org.nr. jeg kan bruke?", "… etter 1. januar 2024?"
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return sentences[:MAX_SENTENCES]


def corrected(text: str, municipalities: Mapping[str, Sequence[str]]) -> str:
    """A question whose writer corrects the municipality in a closing sentence, asked about
    the one meant ("Hva er administrasjonssenteret i Nore og Uvdal? Nei vent, jeg mente
    Flesberg." asks about Flesberg; "… of Flesberg? Sorry, I meant Nore og Uvdal, not
    Flesberg."); any other text as it is."""
    found = _CORRECTION.search(text)
    if found is None:
        return text
    meant_key, meant = _member_named(found.group("meant"), municipalities)
    if meant_key is None:
        return text
    question = text[: found.start()].rstrip()
    replaced = question
    for key, names in municipalities.items():
        if key == meant_key:
            continue
        for name in sorted(names, key=len, reverse=True):
            replaced = re.sub(rf"\b{re.escape(name)}\b", meant, replaced, flags=re.IGNORECASE)
    return replaced if replaced != question else text


def _member_named(
    text: str, municipalities: Mapping[str, Sequence[str]]
) -> tuple[str | None, str]:
    """The member municipality `text` begins with, and its name as written there."""
    for key, names in municipalities.items():
        for name in sorted(names, key=len, reverse=True):
            if re.match(rf"\s*{re.escape(name)}\b", text, flags=re.IGNORECASE):
                return key, name
    return None, ""


def punctuated(text: str) -> str:
    """A long message written without punctuation as its background and its question, which
    begins at the first question word, "kan du" or "trenger" after the background, without
    a closing thanks or greeting ("hei jeg heter tone og jobber i resepsjonen … kan du gi meg
    nummeret til kommunen takk" is "hei jeg heter tone … resepsjonen. kan du gi meg nummeret
    til kommunen?"); any other text as it is."""
    written = text.split()
    if len(written) < RUN_ON_WORDS or _ANY_PUNCTUATION.search(text):
        return text
    folded = [(words(fold(word)) or [""])[0] for word in written]
    end = next((i for i in range(RUN_ON_BACKGROUND, len(folded)) if folded[i] in _CLOSINGS),
               len(folded))
    start = next((i for i in range(RUN_ON_BACKGROUND, end) if folded[i] in QUESTION_WORDS
                  or folded[i] in _WANTING or (folded[i] in _ASKING_VERBS and i + 1 < end
                                               and folded[i + 1] in _ADDRESSED)), None)
    if start is None:
        return " ".join(written[:end])
    return f"{' '.join(written[:start])}. {' '.join(written[start:end])}?"


def _without_what_to_answer(text: str) -> tuple[str, list[str]]:
    """A message without a closing "Hva svarer jeg?" after the question it passes on
    ("Innringer lurer på om Sigdal er medlem. Hva svarer jeg?"), and its sentences."""
    sentences = sentences_of(text)
    if len(sentences) > 1 and asks_what_to_answer(sentences[-1]):
        text = " ".join(sentences[:-1])
        return text, sentences_of(text)
    return text, sentences


def _ends_in_an_abbreviation(sentence: str) -> bool:
    """Whether a sentence split at a full stop ends in an abbreviation, not a sentence."""
    last = sentence.rsplit(maxsplit=1)[-1].lower()
    return last.endswith(".") and last.rstrip(".") in ABBREVIATIONS


def _asking_part(sentences: list[str], text: str) -> str:
    """The sentences of a message that ask ("?"), or the whole message when none does: "We
    are a council in Sweden … on a study trip to Norway. Which municipalities take part?" asks
    about the region, the places in its background are not the question's."""
    asking = [sentence for sentence in sentences if "?" in sentence]
    return " ".join(asking) if asking else text


def _said_before(sentences: Sequence[str], asking: list[str], part: str) -> str:
    """The sentence before the asking sentence that `part` (a request to confirm) stands in:
    what is to be confirmed; the part itself when there is none."""
    for sentence in asking:
        if part in sentence and sentence in sentences:
            position = list(sentences).index(sentence)
            if position > 0:
                return sentences[position - 1]
    return part


def _asked_sentences(sentences: list[str]) -> list[str]:
    """The sentences that ask, a short one that only points back ("Kan du hjelpe meg med
    det?", "Could you list them?") standing for the sentence before it; all of them when
    none asks."""
    chosen: list[str] = []
    for i, sentence in enumerate(sentences):
        if "?" not in sentence:
            continue
        chosen.append(sentences[pointed_to(sentences, i)] if points_back(sentence) and i > 0
                      else sentence)
    if not chosen:
        chosen = [sentence for sentence in sentences if asks_something(sentence)]
    return list(dict.fromkeys(chosen)) or sentences


def _with_asked_parts(windows: list[str]) -> list[str]:
    """The sentence windows, each followed by the part of it that asks, as a question, when
    that is less than the sentence (`asked_part`): "… og jeg vil gjerne vite hvilke andre
    satsingsområder rådet har" asks about the focus areas, not about the one named before."""
    expanded: list[str] = []
    for window in windows:
        expanded.append(window)
        if (part := asked_part(window)) != window:
            # The part asks, whether or not the sentence ends in "?" ("I just wanted to know
            # what kind of things you can help me with.")
            expanded.append(part if "?" in part else f"{part.rstrip(' .!')}?")
    return expanded


def _is_about(entry: Entry, places: list[str]) -> bool:
    """Whether an entry is about one of `places` (folded): one of its keywords names it, as
    council.sigdal's "sigdal" does."""
    return any(fold(keyword) in places for keyword in entry.keywords)


def _has_topic(
    tokens: list[QueryToken], places: Mapping[str, str], courtesy: frozenset[str], asks: bool
) -> bool:
    """Whether a sentence's tokens hold a known word other than a name or a courtesy, and,
    for a sentence that asks nothing, other than words most entries share ("Jeg er ny i
    regionen." is background, "Hva er Kongsbergregionen?" a question).
    """
    return any(
        token.known and token.token not in places and token.token not in courtesy
        and (asks or token.weight >= GENERIC_WEIGHT)
        for token in tokens
    )


def _best_of(
    ranked: list[Scored], window: list[Scored], knowledge: KnowledgeBase, asks: bool
) -> list[Scored]:
    """Each entry's best score over the whole message and one sentence window.

    A sentence that asks nothing never brings in small talk: "Takk!" at the end of a question
    is courtesy, while "Er du en robot?" is a question about the bot.
    """
    best = {scored.entry_id: scored for scored in ranked}
    for scored in window:
        if knowledge.entries[scored.entry_id].kind == "smalltalk" and not asks:
            continue
        current = best.get(scored.entry_id)
        if current is None or scored.score > current.score:
            best[scored.entry_id] = scored
    return sorted(best.values(), key=lambda scored: scored.score, reverse=True)


def emergency_focus(
    hits: set[str], scores: dict[str, Scored], emergencies: frozenset[str]
) -> str | None:
    """The one emergency entry to answer when the keywords of emergency entries `hits` were
    used, if any; `emergencies` are all emergency entries, `scores` the candidates so far.

    One specific emergency (fire, police, ...) wins over the overview ("nødnummer for døve" is
    about the deaf); two or more specific ones ("brann, politi og ambulanse") are answered by
    the overview of all numbers. When only the overview's keywords were used, a specific
    emergency that matched better still wins ("nødnummer for hørselshemede", misspelt).
    """
    specific = sorted(hits - {EMERGENCY_OVERVIEW})
    if len(specific) == 1:
        return specific[0]
    if specific:
        return EMERGENCY_OVERVIEW
    if EMERGENCY_OVERVIEW not in hits:
        return None
    overview = scores[EMERGENCY_OVERVIEW].score
    better = [
        scored for entry_id, scored in scores.items()
        if entry_id in emergencies and scored.score > overview
    ]
    return max(better, key=lambda scored: scored.score).entry_id if better else EMERGENCY_OVERVIEW


def _discount_local(ranked: list[Scored], knowledge: KnowledgeBase) -> list[Scored]:
    """Scores of entries about one municipality, when the message names none, at UNNAMED_WEIGHT.

    "Hvilket fylke ligger kommunene i?" is not about Kongsberg, though Kongsberg's card
    answers "hvilket fylke ligger Kongsberg i"; such entries can still be suggested.
    """
    discounted = [
        Scored(scored.entry_id, scored.score * UNNAMED_WEIGHT, scored.question)
        if knowledge.entries[scored.entry_id].municipality is not None else scored
        for scored in ranked
    ]
    return sorted(discounted, key=lambda scored: scored.score, reverse=True)


class Engine:
    """Answers questions from one knowledge base; `reload` swaps it for a new one atomically."""

    def __init__(self, knowledge: KnowledgeBase, matching: MatchingConfig) -> None:
        self.matching = matching
        self._state = _State.build(knowledge)

    @classmethod
    def from_directory(cls, directory: Path, matching: MatchingConfig) -> Engine:
        """Load, validate and index a knowledge directory (raises KnowledgeError)."""
        return cls(load_knowledge(directory), matching)

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge base in use."""
        return self._state.knowledge

    @property
    def normalizer(self) -> Normalizer:
        """The normaliser of the knowledge base in use (its language data)."""
        return self._state.normalizer

    def reload(self, directory: Path | None = None) -> list[Problem]:
        """Load the knowledge base again; on problems keep the current one and return them."""
        try:
            knowledge = load_knowledge(directory or self._state.knowledge.directory)
        except KnowledgeError as error:
            return error.problems
        self._state = _State.build(knowledge)
        return []

    def ask(
        self, question: str, language_hint: str | None = None, topic: Topic | None = None
    ) -> Result:
        """Decide how to answer `question` (any text; never raises on odd input): the safety
        layer first, then precise facts (with the conversation's `topic` for follow-ups), then
        a request for a person (followup.yaml), then the matcher."""
        state = self._state
        text = question[: self.matching.max_question_chars]
        analysis = state.index.analyse(text)
        language = state.normalizer.language_of(analysis.raw_words, language_hint)
        safety = state.safety.check(text, language)
        if safety is not None:
            return self._safety_result(question, safety)
        text = corrected(punctuated(rejoined(in_digits(text), state.written_apart)),
                         state.knowledge.language.municipalities)
        asked, sentences = _without_what_to_answer(
            without_relayer(without_relay(without_sign_off(text))))
        if asked != text:
            text, analysis = asked, state.index.analyse(asked)
        tokens = state.index.query_tokens(analysis)
        named = self._named(state, tokens)
        fact = state.facts.answer(text, language, named, sentences, topic)
        if fact is not None:  # "… må snakke med noen i kommunen. Har du telefonnummeret?"
            return self._fact_result(question, language, named, fact)
        asking = _asking_part(sentences, text)
        # the places the question names ("i Norge" is the whole country, not one of them)
        outside = state.facts.other_places_in(asking, countries=False)
        if outside and not any(
                _is_about(entry, outside) for entry in state.knowledge.entries.values()) and (
                absent := state.facts.not_a_member(asking, language)) is not None:
            return self._fact_result(question, language, named, absent)
        if state.person_requests.asks_for_person(text):
            return Result(question, Outcome.UNANSWERED, language, None, (),
                          named[0] if len(named) == 1 else None, wants_person=True)
        ranking = self._rank(state, text, tokens, language)
        outcome, suggestions = self._decide(ranking.candidates)
        whole_answered = outcome is Outcome.ANSWERED
        asked = _asked_sentences(sentences)
        if outcome is Outcome.ANSWERED and not named and (
                state.facts.asks_a_fact_elsewhere(" ".join(asked)) or (
                    state.facts.asks_a_fact_elsewhere(text)
                    and state.facts.asks_a_fact_of_no_one(" ".join(asked)))):
            return Result(question, Outcome.SUGGESTED, ranking.language,
                          ranking.candidates[0], self._suggestions(ranking.candidates),
                          ranking.municipality)
        if (outcome is Outcome.ANSWERED and outside
                and not (named and self.municipalities_named(asking))
                and not _is_about(ranking.candidates[0].entry, outside)):
            # Still answered in parts when each is ("… hvilke satsingsområder regionrådet
            # har vedtatt, og hvilken periode strategiplanen gjaldt for"; a bystyremedlem
            # i Drammen asking). A member named only in the background ("Jeg er
            # kommunestyrerepresentant i Flesberg … Hvem leder regionrådet i Hallingdal …?")
            # does not make the question ours.
            outcome, suggestions = self._doubt_elsewhere(ranking.candidates)
        # Without a question mark, only the last sentence with a question word is taken to ask
        # in parts: "Som medlem av formannskapet … om hva samarbeidet betyr for oss. Jeg ønsker
        # en kort forklaring av rådets rolle og hvordan ledervervet fordeles."
        in_parts = asked if any("?" in sentence for sentence in asked) else asked[-1:]
        parts = self._parts_answered(state, in_parts, language, ranking, whole_answered,
                                     sentences)
        if parts:
            return Result(question, Outcome.ANSWERED, ranking.language, parts[0], (),
                          ranking.municipality, also=tuple(parts[1:]))
        if outcome is not Outcome.ANSWERED and (courtesy := self._courtesy_only(
                state, sentences, language) or self._about_the_bot(
                state, sentences, language)) is not None:
            return Result(question, Outcome.ANSWERED, ranking.language, courtesy, (),
                          ranking.municipality)
        if outcome is not Outcome.ANSWERED and state.facts.near_miss and (
                loose := state.loose_facts.answer(text, language, named, sentences, topic)
        ) is not None:
            return self._fact_result(question, language, named, loose)
        if outcome is not Outcome.ANSWERED and (unknown := state.facts.not_known_asked(
                sentences or [text], language, named)) is not None:
            return self._fact_result(question, language, named, unknown)
        return Result(
            question=question,
            outcome=outcome,
            language=ranking.language,
            best=ranking.candidates[0] if ranking.candidates else None,
            suggestions=suggestions,
            municipality=ranking.municipality,
        )

    def _courtesy_only(
        self, state: _State, sentences: list[str], language: str
    ) -> Candidate | None:
        """For a message that asks nothing ("Hei igjen! … så jeg ville bare si tusen takk. Ha
        en fin dag videre! Hilsen Randi", "Thanks, that was really helpful!"), the small talk
        one of its sentences is answered with, the surest, else what its thanks say; None when
        some sentence asks ("?", or a question word: "… og lurer på kvar kommunehuset ligg.
        Takk for svar!") or is answered with anything but small talk."""
        if not sentences or any(
                asks_something(sentence) or wants_to_know(sentence)
                or (not _WANTING.isdisjoint(words(fold(sentence)))  # "… vi trenger nummeret"
                    and state.facts.names_an_attribute(sentence))
                for sentence in sentences):
            return None
        best: Candidate | None = None
        for sentence in sentences:
            candidates = self._rank_text(state, sentence, language).candidates
            if not candidates or candidates[0].score < self.matching.answer_threshold:
                continue
            if candidates[0].entry.kind != "smalltalk":
                return None
            if best is None or candidates[0].score > best.score:
                best = candidates[0]
        if best is None and len(sentences) == 1 and _THANKS_OR_FAREWELL.isdisjoint(
                words(fold(_QUOTED.sub(" ", sentences[0])))[:MAX_OPENING_THANKS]):
            return None  # "resept på lapskaus takk": a closing "takk" is a "please";
            # "Translate 'thank you' …" quotes the thanks
        return best or self._courtesy_words_answer(state, sentences, language)

    def _courtesy_words_answer(
        self, state: _State, sentences: list[str], language: str
    ) -> Candidate | None:
        """The small talk that the courtesy words of a message that asks nothing answer
        together, when no sentence of it does alone ("Hello, I'm Jack, an exchange student …
        I just wanted to say thank you, your answers yesterday helped me a lot … Have a great
        weekend! Jack": thanks)."""
        courtesy = state.normalizer.courtesy
        by_sentence = [[word for word in words(fold(sentence)) if word in courtesy]
                       for sentence in sentences]
        if any(by_sentence[1:]):  # the greeting that opens it is not what it says, its
            # thanks are ("Takk for svarene i sted, det var akkurat det jeg trengte … Ha en
            # fortsatt fin dag videre!")
            by_sentence = [[word for word in by_sentence[0] if word in _THANKS_OR_FAREWELL],
                           *by_sentence[1:]]
        said = [word for sentence_words in by_sentence for word in sentence_words]
        if not any(word in _THANKS_OR_FAREWELL for word in said):
            return None  # "Hei! Jeg er leder i velforeningen … vi trenger …": no thanks
        candidates = self._rank_text(state, " ".join(said), language).candidates
        if (not candidates or candidates[0].score < self.matching.answer_threshold
                or candidates[0].entry.kind != "smalltalk"):
            return None
        return candidates[0]

    def _about_the_bot(
        self, state: _State, sentences: list[str], language: str
    ) -> Candidate | None:
        """For a message of several sentences whose only questions are about the bot ("Hei!
        Eg heiter Sigrun og er ny på servicekontoret. … Kva kan du hjelpe med? Takk, Sigrun"),
        the small talk that answers them; None when a sentence asks anything else."""
        asking = [asked_part(sentence) for sentence in _asked_sentences(sentences)
                  if "?" in sentence or wants_to_know(sentence)]
        if len(sentences) < 2 or not asking:
            return None  # "… lurte på om Sigdal er med. Kan du hjelpe meg med det?"
        best: Candidate | None = None
        for question in asking:
            candidates = self._rank_text(state, question, language).candidates
            if (not candidates or candidates[0].score < self.matching.answer_threshold
                    or candidates[0].entry.id not in ABOUT_THE_BOT):
                return None
            best = best or candidates[0]
        return best

    def _parts_answered(
        self, state: _State, asking: list[str], language: str, whole: Ranking,
        whole_answered: bool, sentences: Sequence[str] = (),
    ) -> list[Candidate]:
        """For a message that asks two or three things joined by "og"/"and" before a question
        word ("Kor lenge har regionrådet eksistert, og kor mange kommunar er med?"), the entry
        answering each part, in order (one entry when it answers every part: "hvem som sitter i
        rådet og hvordan ledelsen velges"); [] unless every part is answered on its own, each
        entry among the whole message's candidates (a part read alone must not bring in what
        the message is not about) unless the part alone is certain of it. A part torn between
        its best entry and another part's answer is answered with its best ("… when the
        council was established and what its purpose is?": the first part alone is torn
        between the founding and the purpose). A part that only asks to confirm ("Stemmer
        det, og hvilken periode gjelder den for?") is read as the sentence before it, which
        says what is to be confirmed."""
        parts = [after_what_is_known(part)  # "Eg vil gjerne ha det grunnleggjande på plass:
                 # når vart regionrådet skipa, og kva er føremålet …": after the colon
                 for sentence in asking for part in question_parts(after_a_colon(sentence))]
        parts = [_said_before(sentences, asking, part) if only_confirms(part) else part
                 for part in parts[:MAX_PARTS]]
        if len(parts) < 2:
            return []
        within_reach = {
            candidate.entry.id for candidate in whole.candidates
            if candidate.score >= self.matching.suggest_threshold - PART_REACH
        }
        rankings: list[list[Candidate]] = []
        for part in parts:  # what each part alone must show, checked as soon as it is ranked
            candidates = self._rank_text(state, part, language).candidates
            if not candidates or candidates[0].entry.kind == "smalltalk":
                return []
            best = candidates[0]
            if best.score < PART_CERTAIN and best.entry.id not in within_reach:
                return []
            elsewhere = state.facts.other_places_in(part)
            if elsewhere and not _is_about(best.entry, elsewhere):
                return []  # "Kven er med i Vest-Telemarkrådet, og …"; Sigdal's decision is ours
            rankings.append(candidates)
        chosen = whole.candidates[0].entry.id if whole_answered else None
        sure = [self._decide(candidates)[0] is Outcome.ANSWERED for candidates in rankings]
        answered = {candidates[0].entry.id
                    for candidates, certain in zip(rankings, sure, strict=True) if certain}
        found: list[Candidate] = []
        for candidates, certain in zip(rankings, sure, strict=True):
            best = candidates[0]
            if best.entry.id != chosen and not certain:
                rivals = [c for c in candidates if c is best or c.entry.id not in answered]
                if self._decide(rivals)[0] is not Outcome.ANSWERED:
                    return []
            if all(best.entry.id != candidate.entry.id for candidate in found):
                found.append(best)
        return found  # one entry when every part is answered by the same one

    def safety_check(self, question: str, language_hint: str | None = None) -> SafetyMatch | None:
        """What the safety layer recognises in `question`, if anything (the flood guard asks)."""
        state = self._state
        text = question[: self.matching.max_question_chars]
        raw_words = tuple(state.normalizer.folded_words(text))
        return state.safety.check(text, state.normalizer.language_of(raw_words, language_hint))

    def _safety_result(self, question: str, safety: SafetyMatch) -> Result:
        """The result for a message the safety layer recognised: its reply, or for a bare cry
        for help the entry it names (the list of what the bot can do, emergency line first)."""
        entry_id = safety.main.answer_with
        if entry_id is not None and entry_id in self._state.knowledge.entries:
            best = Candidate(self._state.knowledge.entries[entry_id], 100.0)
            return Result(question, Outcome.ANSWERED, safety.language, best, (), None, safety)
        outcome = Outcome.CRISIS if safety.outcome == "crisis" else Outcome.EMERGENCY
        return Result(question, outcome, safety.language, None, (), None, safety)

    def _fact_result(
        self, question: str, language: str, named: list[str], fact: FactAnswer
    ) -> Result:
        """The result for a one-fact question: answered, or unanswered when the fact is not
        known (the reply says so, and the question reaches the editors)."""
        entries = self._state.knowledge.entries
        entry_id = fact.entry_id or (fact.topic.entry if fact.topic else None)
        best = Candidate(entries[entry_id], 100.0) if entry_id in entries else None
        outcome = Outcome.ANSWERED if fact.known and best else Outcome.UNANSWERED
        municipality = named[0] if len(named) == 1 else None
        return Result(question, outcome, language, best, (), municipality, None, fact)

    def rank(
        self, question: str, language_hint: str | None = None, *, everything: bool = False
    ) -> Ranking:
        """The matching entries with their scores, best first, before any decision.

        Entries that could not reach the suggestion threshold even with a keyword bonus, or
        could not come within reach of the best (SUGGESTION_SPREAD plus that bonus), are left
        out unscored: they could change no decision, and skipping them keeps large knowledge
        bases fast. `everything` scores them all, as editors need when they look for the entry
        that should have answered.
        """
        state = self._state
        text = question[: self.matching.max_question_chars]
        analysis = state.index.analyse(text)
        language = state.normalizer.language_of(analysis.raw_words, language_hint)
        tokens = state.index.query_tokens(analysis)
        return self._rank(state, text, tokens, language, everything=everything)

    def _rank(
        self, state: _State, text: str, tokens: list[QueryToken], language: str,
        *, everything: bool = False,
    ) -> Ranking:
        """`rank` on a message already cut, its tokens and its language known."""
        limits = _Limits() if everything else _Limits(
            floor=max(MIN_SCORE, (self.matching.suggest_threshold - KEYWORD_BONUS) / 100),
            spread=(SUGGESTION_SPREAD + KEYWORD_BONUS) / 100,
        )
        named = self._named(state, tokens)
        excluded = self._others(named)
        ranked = state.index.score(tokens, excluded, None, limits.floor, limits.spread)
        bonus = self._bonus_entries(tokens, excluded)
        windows = sentence_windows(text)
        content = False
        if windows:
            ranked, sentence_bonus, content = self._score_sentences(
                windows, tokens, excluded, ranked, limits
            )
            bonus |= sentence_bonus
        elif named:
            ranked = self._doubt_regional(ranked)
        if not named:
            ranked = _discount_local(ranked, state.knowledge)
        hits = state.index.keyword_entries(tokens, FUZZY_KEYWORD) - excluded
        ranked = self._apply_keywords(ranked, hits, bonus, state.index.keyword_entries(tokens))
        if content:
            ranked = [s for s in ranked if state.knowledge.entries[s.entry_id].kind != "smalltalk"]
        return Ranking(
            candidates=[Candidate(state.knowledge.entries[s.entry_id], s.score) for s in ranked],
            language=language,
            municipality=named[0] if len(named) == 1 else None,
        )

    def _rank_text(self, state: _State, text: str, language: str) -> Ranking:
        """`_rank` on a piece of a message (a sentence, a part of a question)."""
        return self._rank(state, text, state.index.query_tokens(state.index.analyse(text)),
                          language)

    def _others(self, named: list[str]) -> frozenset[str]:
        """The entries about member municipalities other than those `named` (none if none)."""
        if not named:
            return frozenset()
        return frozenset(
            entry_id
            for municipality, entry_ids in self._state.local.items()
            if municipality not in named
            for entry_id in entry_ids
        )

    def _score_sentences(
        self,
        windows: list[str],
        tokens: list[QueryToken],
        excluded: frozenset[str],
        ranked: list[Scored],
        limits: _Limits,
    ) -> tuple[list[Scored], set[str], bool]:
        """Each entry's best score over the whole message and each sentence with a topic of
        its own, the entries a sentence earns the keyword bonus for, and whether some sentence
        is about more than small talk (then small talk does not answer: in "Eg lurer på kven
        som er fylkesordførar i Buskerud. Kan du hjelpe?" the courtesy is not the question).

        A sentence that names only a municipality ("Jeg bor i Kongsberg.") is background, and
        a municipality named in one sentence counts for the others. When some sentence with a
        topic asks something ("?"), the sentences that ask nothing count at STATEMENT_WEIGHT:
        in "We argued about whether Notodden is a member. Which municipalities are members?"
        the first is only background.
        """
        state = self._state
        places = state.normalizer.municipality_tokens
        names = [token for token in tokens if token.token in places]
        with_topic = [
            (window, window_tokens)
            for window in _with_asked_parts(windows)
            if _has_topic(
                window_tokens := state.index.query_tokens(state.index.analyse(window)),
                places, state.normalizer.courtesy_tokens, "?" in window,
            )
        ]
        asking = any("?" in window for window, _ in with_topic)
        bonus: set[str] = set()
        content = False
        for window, window_tokens in with_topic:
            weight = STATEMENT_WEIGHT if asking and "?" not in window else 1.0
            present = {token.token for token in window_tokens}
            context = [name for name in names if name.token not in present]
            window_ranked = [
                Scored(scored.entry_id, scored.score * weight, scored.question)
                for scored in state.index.score(
                    window_tokens, excluded, context, limits.floor, limits.spread
                )
            ]
            ranked = _best_of(ranked, window_ranked, state.knowledge, "?" in window)
            bonus |= self._bonus_entries(window_tokens, excluded)
            content = content or (asks_something(window) and (not window_ranked or (
                state.knowledge.entries[window_ranked[0].entry_id].kind != "smalltalk"
            )))
        return ranked, bonus, content

    def _doubt_regional(self, ranked: list[Scored]) -> list[Scored]:
        """Keep entries about the whole region below answering, unless nearly certain, when a
        one-sentence message names a municipality: "hvem er ordføreren i Kongsberg" is not
        answered by the council's organisation, though it may be offered.
        """
        entries = self._state.knowledge.entries
        ceiling = self.matching.answer_threshold - 0.1
        doubted = [
            Scored(scored.entry_id, ceiling, scored.question)
            if ceiling < scored.score < NAMED_CERTAIN
            and entries[scored.entry_id].municipality is None
            and entries[scored.entry_id].kind not in ("emergency", "smalltalk")
            else scored
            for scored in ranked
        ]
        return sorted(doubted, key=lambda scored: scored.score, reverse=True)

    def _bonus_entries(self, tokens: list[QueryToken], excluded: frozenset[str]) -> set[str]:
        """Entries whose keywords one sentence uses without naming a municipality they are not
        about ("hvem er ordfører i Flesberg" is not about the council's organisation); small
        talk gains nothing ("kan du hjelpe meg med leksene" is no question about the bot).
        """
        state = self._state
        entries = state.knowledge.entries
        hits = {
            hit for hit in state.index.keyword_entries(tokens, FUZZY_KEYWORD) - excluded
            if entries[hit].kind != "smalltalk"
        }
        if not self._named(state, tokens):
            return hits
        return {hit for hit in hits if entries[hit].municipality is not None}

    def _apply_keywords(
        self, ranked: list[Scored], keyword_hits: set[str], bonus: set[str], exact: set[str]
    ) -> list[Scored]:
        """Lift entries whose keywords were used: to suggested at least, those in `bonus` by
        KEYWORD_BONUS points, and one emergency to answered.

        The emergency answered is the one `emergency_focus` picks; every other candidate is kept
        at least `ambiguity_margin` below it, so a message about a fire is never a mere choice.
        """
        if not keyword_hits:
            return ranked
        entries = self._state.knowledge.entries
        by_id = {scored.entry_id: scored for scored in ranked}
        for entry_id in keyword_hits:
            current = by_id.get(entry_id, Scored(entry_id, 0.0, ""))
            gain = KEYWORD_BONUS if entry_id in bonus else 0.0
            lifted = max(min(current.score + gain, 100.0), self.matching.suggest_threshold)
            by_id[entry_id] = Scored(entry_id, lifted, current.question)
        emergencies = self._state.emergencies
        focus = emergency_focus(keyword_hits & exact & emergencies, by_id, emergencies)
        if focus in entries:
            self._lift(by_id, focus)
        return sorted(by_id.values(), key=lambda scored: scored.score, reverse=True)

    def _lift(self, by_id: dict[str, Scored], entry_id: str) -> None:
        """Make `entry_id` the clear, answerable best of `by_id`."""
        current = by_id.get(entry_id, Scored(entry_id, 0.0, ""))
        lifted = max(current.score, self.matching.answer_threshold)
        by_id[entry_id] = Scored(entry_id, lifted, current.question)
        ceiling = lifted - self.matching.ambiguity_margin
        for other_id, scored in by_id.items():
            if other_id != entry_id and scored.score > ceiling:
                by_id[other_id] = Scored(other_id, ceiling, scored.question)

    def _doubt_elsewhere(
        self, candidates: list[Candidate]
    ) -> tuple[Outcome, tuple[Candidate, ...]]:
        """For a message about a place that is not a member and names none that is, an answer
        about the region only when nearly certain, else a choice: "hvem sitter i regionrådet for
        Hallingdal" is not answered by this council's organisation."""
        if candidates[0].score >= NAMED_CERTAIN:
            return Outcome.ANSWERED, ()
        return Outcome.SUGGESTED, self._suggestions(candidates)

    def _decide(self, candidates: list[Candidate]) -> tuple[Outcome, tuple[Candidate, ...]]:
        """Answer, suggest or admit not knowing, from the ranked candidates.

        An entry about one municipality needs LOCAL_ANSWER_EXTRA points more to be answered:
        "<something the base does not know> i Notodden" shares the name with Notodden's card.
        """
        matching = self.matching
        if not candidates or candidates[0].score < matching.suggest_threshold:
            return Outcome.UNANSWERED, ()
        top = candidates[0].score
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        clear = (top - runner_up >= matching.ambiguity_margin or (top >= 99.9 > runner_up)
                 or self._courtesies_only(candidates))
        needed = matching.answer_threshold
        if candidates[0].entry.municipality is not None:
            needed += LOCAL_ANSWER_EXTRA
        if top >= needed and clear:
            return Outcome.ANSWERED, ()
        return Outcome.SUGGESTED, self._suggestions(candidates)

    @staticmethod
    def _courtesies_only(candidates: list[Candidate]) -> bool:
        """Whether the best and the runner-up are both small talk ("takk for hjelpen, ha det
        bra": thanks and goodbye; "Hei, kva kan du svare på?": what I can do, or thanks):
        asking "thanks or goodbye?" helps nobody, the surer of them is the answer."""
        if len(candidates) < 2:
            return False
        best, runner_up = candidates[0].entry, candidates[1].entry
        return best.kind == runner_up.kind == "smalltalk"

    def _suggestions(self, candidates: list[Candidate]) -> tuple[Candidate, ...]:
        """The candidates offered as "Mente du …?": within SUGGESTION_SPREAD of the best."""
        floor = max(self.matching.suggest_threshold, candidates[0].score - SUGGESTION_SPREAD)
        return tuple(c for c in candidates if c.score >= floor)[: self.matching.max_suggestions]

    def municipalities_named(self, text: str) -> list[str]:
        """The member municipalities `text` names, misspellings included, in order."""
        state = self._state
        text = text[: self.matching.max_question_chars]
        return self._named(state, state.index.query_tokens(state.index.analyse(text)))

    @staticmethod
    def _named(state: _State, tokens: list[QueryToken]) -> list[str]:
        """The municipality keys among `tokens`, in order, each once."""
        names = state.normalizer.municipality_tokens
        return list(dict.fromkeys(names[t.token] for t in tokens if t.token in names))

    def search(self, text: str, limit: int = 10) -> list[Candidate]:
        """Entries matching `text` from the suggestion threshold up, best first (inline mode)."""
        candidates = self.rank(text).candidates[:limit]
        return [c for c in candidates if c.score >= self.matching.suggest_threshold]
