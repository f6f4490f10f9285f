"""Precise answers about the member municipalities, one fact at a time (`knowledge/facts.yaml`).

"adm senter flesberg", "tlf notodden", "hvilket fylke ligger Tinn i nå", "nettsidene til
kommunene", "hvem er ordfører i Flesberg": a question that names one or more attributes and
member municipalities (or all of them) and nothing else is answered from structured facts,
in one line per fact: "Administrasjonssenteret i Flesberg kommune er Lampeland." A fact the
fact sheet lacks is said to be unknown, with the municipality's website; an old fact carries
its year. A question about a place that is not a member, with nothing else in it, is told that
the bot knows only the seven.

Coverage before confidence: every word of the question must be explained, by an attribute, a
municipality's name, "alle", or a word from `filler` or the stop words; "hvor mange bedrifter
er det i Flesberg" has a word left over and goes on to the matcher.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge import LANGUAGES, NOT_RECORDED, Problem, line_of, pick, read_yaml, texts_of
from bot.matcher import INFLECTION_ENDINGS
from bot.terms import (
    Pattern,
    Positions,
    Term,
    Vocabulary,
    everyday_words,
    message_words,
    occurrences,
    parse_term,
    positions_of,
)
from bot.text import WordCache, fold, words

FACTS_FILE = "facts.yaml"
WHOLE_WORD_ENDINGS = frozenset({"", *INFLECTION_ENDINGS, "ne", "r", "s"})
FILE_KEYS = {"attributes", "bundles", "council", "all_words", "filler", "other_places",
             "other_bodies", "other_body_names", "municipalities"}
ATTRIBUTE_KEYS = {"id", "card", "also", "words", "answer", "list", "missing", "alone", "value",
                  "instead_of", "between"}
VALUE_SOURCES = ("facts", "name")
CARDS = ("contact", "municipality", "none")
MUNICIPALITY_KEYS = {"name", "short", "entry", "contact", "website", "source", "checked", "facts"}
BUNDLE_KEYS = {"words", "attributes"}
COUNCIL_KEYS = {"name", "contact", "words", "attributes"}
VALUE_KEYS = {*LANGUAGES, "year", "source"}
FUZZY_FILLER_LENGTH = 6
MAX_POINTING_WORDS = 8
"""The longest question that can only point back to the sentence before it ("Har du det?")."""
WHICH_WORDS = frozenset({"hvilke", "which", "kva for", "ka for", "dem", "dei"})
"""Words that ask about every member only when no one else is named ("Kva for nettstad har
regionrådet?", "Ha dei ei nettsie, regionrådet?" ask the council's)."""
MEMBERSHIP_REACH = 4
"""How many words after a place a membership question may say so ("Er Vinje kommune med
i …", "Is Drammen part of …")."""
MAX_POINTED_BACK = 2
"""How many sentences back a question that points back may ask (`pointed_to`)."""
NEAR_A_COUNCIL = 3
"""How near a council word a place stands when the council is that place's ("the Hallingdal
regional council", "regionrådet i Vest-Telemark")."""
SEAT_WORDS = frozenset({"i", "in", "på", "pa"})
"""A member named right after the council with one of these ("regionrådet i Kongsberg") says
where the council is, not a member asked about."""
MAX_ASIDE_WORDS = 24
"""The longest sentence read without its asides: a staff member's one line ("vakt i
resepsjonen, noen spør etter hovednummeret til Notodden kommune"); longer ones are background."""
POINTING_WORDS = frozenset({"det", "dette", "den", "denne", "dem", "dei", "them", "it", "this",
                            "that", "those", "these"})
"""Words by which a short question points back to the sentence before it."""
ONLY_POINTING = frozenset({"they", "them", "those", "these", "dei", "de", "dem", "disse",
                           "desse", "det", "dette", "it", "this", "that"})
"""Words that stand for what the sentence before named ("What are they?")."""
COPULAS = frozenset({"are", "is", "were", "was", "er", "e", "var", "va"})
"""Forms of "be", which ask nothing of their own in "What are they?"."""
MAX_ONLY_POINTING = 4
"""The longest sentence that is nothing but a question word and what it points back to."""
REFERRING_WORDS = frozenset({"its", "it", "their", "they", "them", "dens", "dets", "deres",
                             "dykkar", "sin", "sitt", "sine", "den"})
"""Words by which a sentence refers to the council named in an earlier one ("its budget")."""
REFERRING_TO_THINGS = frozenset({"dem", "dei", "them", "disse", "desse", "these", "those"})
"""Words by which a question refers to the things named in the sentence before it ("Hvilken
av dem bruker Kongsberg?", "Could you list them?")."""
QUESTION_WORDS = frozenset(words(fold(
    "hva hvem hvor hvilken hvilket hvilke hvordan når kva kven kor kva kvar korleis kåleis ka "
    "kæm kem kordan hvorfor kvifor koffor why what which who where how when"
)))
"""Words that begin a question inside a longer sentence ("… og lurte på kor mange som bur i
Nore og Uvdal")."""
MAX_PARTS = 3
QUESTION_WORDS_WRITTEN = QUESTION_WORDS | {"når", "kæm", "kåleis"}
"""The question words as people write them, for expressions on unfolded text."""
_COMMA_QUESTION = re.compile(
    r"\s*,\s*(?=(?:" + "|".join(sorted(QUESTION_WORDS_WRITTEN)) + r")\b)", re.IGNORECASE)
"""A comma before a question word: where a second question may begin."""
_PART_BREAK = re.compile(
    r"(?:\s*,\s*|\s+)(?:og|and|samt|&)\s+(?=(?:(?:for|in|i|på|til|to|from|fra|frå)\s+)?(?:"
    + "|".join(sorted(
        QUESTION_WORDS_WRITTEN | {"is", "are", "was", "were", "does", "do", "did", "can",
                                  "could", "om", "whether", "stemmer"}
    )) + r")\b)",
    re.IGNORECASE,
)
"""Where a question splits into parts: "og"/"and" before a question word, or before a
preposition and a question word ("… and for how long the leader is elected")."""
REGION_WORDS = frozenset(fold(word) for word in (
    "region", "regional", "regionen", "regions", "regionråd", "regionrådet", "regionsamarbeidet"
))
"""Words after "Kongsberg" that make it the region's name, not the municipality's."""
NEVER_MISSPELT = frozenset({"hvilket", "hvilken", "kommunen", "kommune", "kvifor"})
"""Words close to a term ("hvilke", "kommunene") that mean something else."""
NAME_CACHE_SIZE = 20_000
"""How many (word, names found) look-ups of misspelt member names are remembered."""
MISSPELT_PLACE_LENGTH = 5
"""Places outside the region this long or longer are recognised with two letters swapped."""
OLD_SUFFIX = {"nb": "(oppgitt i {year})", "nn": "(oppgitt i {year})", "en": "(as given in {year})"}
UNKNOWN = {"nb": "ikke kjent", "nn": "ikkje kjent", "en": "not known"}
NONE_KNOWN = {
    "nb": "{title} har jeg ikke for noen av de sju kommunene. Se kommunenes egne nettsider "
          "eller {website}.",
    "nn": "{title} har eg ikkje for nokon av dei sju kommunane. Sjå nettsidene til kommunane "
          "eller {website}.",
    "en": "I do not have {title} for any of the seven municipalities. Please see their own "
          "websites or {website}.",
}
OTHER_BODY = {
    "nb": "Jeg har bare kontaktinformasjon til de sju kommunene og regionrådet, ikke til "
          "{place}. Se {place} sine egne nettsider.",
    "nn": "Eg har berre kontaktinformasjon til dei sju kommunane og regionrådet, ikkje til "
          "{place}. Sjå nettsidene til {place}.",
    "en": "I only have contact details for the seven municipalities and the regional council, "
          "not for {place}. Please see {place}'s own website.",
}
OTHER_BODY_IN = {
    "nb": "Jeg har bare kontaktinformasjon til de sju kommunene og regionrådet, ikke til "
          "{place}. Se {name} sine nettsider, {website}.",
    "nn": "Eg har berre kontaktinformasjon til dei sju kommunane og regionrådet, ikkje til "
          "{place}. Sjå nettsidene til {name}, {website}.",
    "en": "I only have contact details for the seven municipalities and the regional council, "
          "not for {place}. Please see the website of {name}, {website}.",
}
"""A body asked about in a member municipality ("nummeret til legekontoret på Rødberg"):
the municipality's website is where to look."""
NOT_ONE_OF_THEM = {
    "nb": "Nei, {place} er ikke med i Regionrådet for Kongsbergregionen. Medlemmene er de sju "
          "kommunene Kongsberg, Notodden, Rollag, Nore og Uvdal, Flesberg, Hjartdal og Tinn.",
    "nn": "Nei, {place} er ikkje med i Regionrådet for Kongsbergregionen. Medlemmene er dei sju "
          "kommunane Kongsberg, Notodden, Rollag, Nore og Uvdal, Flesberg, Hjartdal og Tinn.",
    "en": "No, {place} is not a member of Regionrådet for Kongsbergregionen. Its members are "
          "the seven municipalities Kongsberg, Notodden, Rollag, Nore og Uvdal, Flesberg, "
          "Hjartdal and Tinn.",
}
"""A place outside the region asked about as a member ("Er Vinje med i Kongsbergregionen?")."""
MEMBERS_ENTRY = "council.members"
NOT_A_MEMBER = {
    "nb": "Jeg har bare fakta om de sju medlemskommunene i Kongsbergregionen: Kongsberg, "
          "Notodden, Rollag, Nore og Uvdal, Flesberg, Hjartdal og Tinn. Om {place} vet jeg "
          "ikke noe.",
    "nn": "Eg har berre fakta om dei sju medlemskommunane i Kongsbergregionen: Kongsberg, "
          "Notodden, Rollag, Nore og Uvdal, Flesberg, Hjartdal og Tinn. Om {place} veit eg "
          "ikkje noko.",
    "en": "I only have facts about the seven member municipalities of Kongsbergregionen: "
          "Kongsberg, Notodden, Rollag, Nore og Uvdal, Flesberg, Hjartdal and Tinn. I know "
          "nothing about {place}.",
}


@dataclass(frozen=True)
class FactValue:
    """One fact in each language, with the year it was read when it is old."""

    text: dict[str, str]
    year: int | None = None
    source: str = ""

    def in_language(self, language: str) -> str:
        """The fact, with its year when it is old."""
        value = pick(self.text, language)
        if self.year:
            value += " " + pick(OLD_SUFFIX, language).format(year=self.year)
        return value


@dataclass(frozen=True)
class Attribute:
    """Something people ask about a municipality (phone, county, mayor, …)."""

    id: str
    card: str
    terms: tuple
    answer: dict[str, str]
    list_title: dict[str, str]
    missing: dict[str, str]
    also: tuple[str, ...] = ()
    alone: bool = False
    """Asked for only when no other attribute is ("hvilken kommune har flest innbyggere" asks
    for the population, "Rjukan ligger i hvilken kommune" for the municipality)."""
    value_is_name: bool = False
    """The answer's value is the municipality's name, not one of its facts."""
    instead_of: tuple[str, ...] = ()
    """Attributes not asked for when this one is: "når er rådhuset åpent?" asks for the
    opening hours, not for the town hall's address."""
    between: bool = False
    """A fact between places, not of one (a distance): answered for the region as a whole
    ("Hvilken av kommunene ligger nærmest Kongsberg?" is no question about Kongsberg)."""


@dataclass(frozen=True)
class Municipality:
    """A member municipality's facts."""

    key: str
    name: dict[str, str]
    short: str
    entry: str
    contact: str
    website: str
    source: str
    checked: dt.date | None
    """The date the source was read; None when it is not recorded."""
    facts: dict[str, FactValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Bundle:
    """Words that ask for several attributes at once ("kontaktinformasjon": phone, e-mail and
    address)."""

    terms: tuple
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class Council:
    """The regional council, for the facts the bot never has about it (its organisation
    number, budget, staff): asked for one, it says so and gives the council's website."""

    name: dict[str, str]
    contact: str
    terms: tuple
    attributes: tuple[str, ...]
    website: str = ""


@dataclass(frozen=True)
class FactData:
    """facts.yaml as loaded."""

    attributes: tuple[Attribute, ...] = ()
    bundles: tuple[Bundle, ...] = ()
    council: Council | None = None
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    all_words: tuple = ()
    filler: frozenset[str] = frozenset()
    other_places: tuple = ()
    other_bodies: tuple = ()
    other_body_names: dict[str, str] = field(default_factory=dict)
    """How a body is named in the reply, by the term that found it ("fylkesordfører":
    "fylkeskommunen"); otherwise the term itself."""


@dataclass(frozen=True)
class FactAnswer:
    """A precise answer: its lines, the card to offer, and where the facts were read."""

    text: str
    entry_id: str | None
    sources: tuple[str, ...]
    known: bool
    """False when the knowledge base never has what was asked (the mayor): the bot says so,
    and the question counts as unanswered."""
    topic: Topic | None = None
    """What was asked about, for a follow-up ("og Tinn da?")."""


@dataclass(frozen=True)
class Topic:
    """The attributes and municipalities of the last precise answer in a conversation."""

    attributes: tuple[str, ...]
    municipalities: tuple[str, ...]
    entry: str | None = None
    """The entry the answer stands for in the question log (the first municipality's)."""


class FactLayer:
    """Answers one-fact questions from facts.yaml; built once per knowledge base."""

    def __init__(
        self, data: FactData, names: Mapping[str, str], ignorable: Iterable[str],
        entries: Mapping[str, Any] | None = None,
    ):
        """`entries` are the knowledge base's: each municipality's phone, e-mail, address and
        website are read from its contact entry, the one place they are written."""
        data = _council_with_contact(with_contacts(data, entries or {}), entries or {})
        self.data = data
        self._ignorable = frozenset(ignorable) | data.filler
        self._names = {word: key for word, key in names.items() if word not in self._ignorable}
        self._name_list = [name for name in self._names if len(name) >= 3]
        self._long_filler = [w for w in self._ignorable if len(w) >= FUZZY_FILLER_LENGTH - 1]
        self._long_filler_near: dict[int, list[str]] = {}
        """By a word's length, the long fillers it could be a letter or two off (as long,
        give or take as many letters)."""
        self._by_letters: dict[str, list[str]] = {}
        for filler in self._long_filler:
            self._by_letters.setdefault("".join(sorted(filler)), []).append(filler)
        self._is_filler: WordCache[bool] = WordCache(self._filler)
        patterns = [p for a in (*data.attributes, *data.bundles) for t in a.terms
                    for p in t.patterns]
        patterns += [p for t in (data.council.terms if data.council else ()) for p in t.patterns]
        patterns += [p for t in (*data.all_words, *data.other_places, *data.other_bodies)
                     for p in t.patterns]
        self._vocabulary = Vocabulary(patterns, NEVER_MISSPELT | self._ignorable)
        self._swapped_places = self._misspelt_places(data.other_places)
        self._other_place_patterns = frozenset(
            pattern for term in data.other_places for slot in term.slots for pattern in slot)
        self._other_place_words = frozenset(
            pattern.core for pattern in self._other_place_patterns if pattern.kind == "word")
        self._letters_of_names = {name: sorted(name) for name in self._name_list}
        self._names_found: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._whole_words = frozenset(self._names) | self._vocabulary.written_words(
            WHOLE_WORD_ENDINGS)
        self._slack: Callable[[str], bool] | None = None  # see `loosely`
        self.near_miss = False
        """Whether the last `answer` found a question with one word unexplained: only then
        can the loose layer answer it (the engine asks it only then)."""
        self._first_words: dict[int, tuple[Sequence[Term], Positions]] = {}
        self._last_fits: tuple[list | None, Positions] = (None, Positions())
        members = (entries or {}).get(MEMBERS_ENTRY)
        self._members_sources: tuple[str, ...] = (
            (_cited_source(members, MEMBERS_ENTRY),) if members is not None else ())
        self._starting: dict[Pattern, frozenset[int]] = {}
        for i, item in enumerate((*data.attributes, *data.bundles)):
            for term in item.terms:  # which attributes and bundles a word can begin
                for pattern in term.first:
                    self._starting[pattern] = self._starting.get(pattern, frozenset()) | {i}

    def _misspelt_places(self, places: Iterable[Term]) -> dict[str, Term]:
        """Each other place of five letters or more with two neighbouring letters swapped
        ("skein" for Skien), unless that is itself a word or a member's name: the name as
        written in facts.yaml."""
        swapped: dict[str, Term] = {}
        for term in places:
            if len(term.slots) != 1:
                continue
            for pattern in term.slots[0]:
                core = pattern.core
                if pattern.kind != "word" or len(core) < MISSPELT_PLACE_LENGTH:
                    continue
                for i in range(len(core) - 1):
                    variant = core[:i] + core[i + 1] + core[i] + core[i + 2:]
                    if (variant != core and variant not in self._names
                            and variant not in self._ignorable
                            and variant not in everyday_words()):
                        swapped[variant] = term
        return swapped

    def answer(
        self, text: str, language: str, named: list[str], sentences: Iterable[str] = (),
        topic: Topic | None = None,
    ) -> FactAnswer | None:
        """The precise answer to `text`, or None when it is not a one-fact question;
        `named` are the member municipalities the engine found in it, in order. A long message
        ("Hei! Jeg er journalist … Hvem er ordfører i Notodden nå? Mvh Kari") is answered from
        the one of its `sentences` that asks ("?"), with the names of the whole message. With
        the `topic` of the conversation's last precise answer, a follow-up naming only a
        municipality ("og Tinn da?") asks the same, and one naming only an attribute ("hva med
        adressen?") asks about the same municipality."""
        self.near_miss = False
        if (whose := self._whose_number(text, language)) is not None:
            return whose
        if _ASKS_LEADERSHIP.search(text) and self._names_the_council(text):
            return None  # "… hvem som er leder og nestleder nå, og hvem som er daglig leder i
            # sekretariatet?": the leader and deputy are an entry's, which says what is known
        wanted = what_is_wanted(text)
        for reading in dict.fromkeys([*self._around_a_colon(_without_errand(wanted), named),
                                      *self._around_a_colon(wanted, named)]):
            # "Ny ansatt i Flesberg: hva heter adm.senteret vårt?" asks no staff
            found = self._answer(reading, language, named, topic)
            if found is not None:
                return found
        sentences = list(sentences)
        asking = [sentence for sentence in sentences if "?" in sentence] or [
            # "… HVA ER TELEFONNUMMERET TIL ROLLAG KOMMUNE. JEG HAR IKKE …": no question mark
            sentence for sentence in sentences
            if sentence.split() and _is_question_word(sentence.split()[0])
        ]
        wanting = [sentence for sentence in sentences
                   if sentence not in asking and _WANTS_TO_KNOW.search(sentence)]
        read: dict[str, FactAnswer | None] = {}  # each sentence answered once
        to_read = ([sentence for sentence in sentences if sentence in asking + wanting]
                   if wanting else asking if len(asking) == 1 else [])
        for sentence in to_read:
            read[sentence] = self._answer_sentence(sentence, sentences, text, language, named)
        if wanting and all(read.values()):
            # "… would like to know whether … bokmål or nynorsk. Could you also …?"
            return _together(list({a.text: a for a in read.values() if a is not None}.values()))
        if len(asking) == 1 and (found := read[asking[0]]) is not None:
            return found
        if not asking and not wanting:  # "Nettadressene til alle medlemskommunene, takk. …"
            for sentence in sentences:
                if (found := self._answer_read(sentence, language, named[-1:])) is not None:
                    return found
        if len(asking) > 1:  # "Hvor mange bor i Kongsberg? Og hvilket fylke er vi i nå?"
            answers = [self._answer(sentence, language, named[-1:]) for sentence in asking]
            if all(answers) or (any(answers) and all(
                    # "Which county is Notodden in now? … what was it between 2020 and 2023?"
                    _refers_back(sentence) and not self._asked_in(sentence)[0]
                    for sentence, answer in zip(asking, answers, strict=True)
                    if answer is None)):
                return _together([answer for answer in answers if answer is not None])
        for sentence in sentences:
            for before, question in embedded_questions(sentence):
                wanted = {a.id for a in self._asked_in(before)[0]}
                if wanted and not wanted <= {a.id for a in self._asked_in(question)[0]}:
                    # "kan jeg maile dem, hvilken adresse …": the mail is part of it; but
                    # "Eg skal sende eit brev til kommunen, kva er postadressa deira?" asks it
                    break
                found = self._answer_read(question, language, named[-1:],
                                          council_named=self._names_the_council(before))
                if found is not None:  # "Kven er sekretær for rådet, og kva er nettsida …"
                    return found
        return None

    def not_known_asked(
        self, sentences: Sequence[str], language: str, named: list[str]
    ) -> FactAnswer | None:
        """For a message the engine is unsure of: the sentence that asks for something the
        bot never has (`card: none`: the mayor, opening hours, the council's staff or budget)
        about one member or the council, answered that it is not known, with the website,
        even amid words no attribute explains ("… vi vurderer å søke om et felles prosjekt
        med regionrådet. Hvem er kontaktperson?"). `named`: the members the whole message
        names, in order."""
        asking = [s for s in sentences if "?" in s] or [
            s for s in sentences if asks_something(s)] or list(sentences[-1:])
        council = self.data.council
        for sentence in asking:
            folded = message_words(sentence)
            fits, present = self._fit(folded)
            asked = [a for a in self._asked(fits, present, set()) if a.card == "none"]
            if not asked or self._places_elsewhere(folded, fits, present, set()):
                continue
            if all(attribute.between for attribute in asked):
                return self._list(asked, language)
            own = list(dict.fromkeys(self._members_at(folded, named).values()))
            council_named = council is not None and (
                bool(self._found(council.terms, fits, present, set()))
                or (not own and self._names_the_council(" ".join(sentences))))
            if council_named and not own:
                about_it = [a for a in asked if a.id in council.attributes]
                return council_unknown(council, about_it, language) if about_it else None
            keys = own or named[:1]
            if len(keys) == 1 and keys[0] in self.data.municipalities:
                return self._single(asked, [self.data.municipalities[keys[0]]], language)
        return None

    def loosely(self, known_elsewhere: Callable[[str], bool]) -> FactLayer:
        """This layer for a message the engine found no answer for: one word of a question
        may stay unexplained ("hei eg er ny som tilsett i ein barnehage på rjukan … kva målform
        har tinn kommune eigentleg"), but not a word the knowledge base knows
        (`known_elsewhere`, as written or misspelt: "strategiplanen som ligger på Notoddens
        nettside" asks a strategy's period), no name written with a capital ("hovedstaden i
        Australia"), not whose something is ("nummeret til en rørlegger"), not one beside a
        member's name ("Kongsberg sykehus", "vinmonopolet rjukan": another body), and not in
        a question of when ("når er kommunehuset åpent")."""
        loose = copy.copy(self)
        loose._slack = known_elsewhere
        return loose

    def knows(self, word: str) -> bool:
        """Whether a folded word is one this layer reads, as a whole: an attribute's word or
        its inflection ("malform", "malforma"; not "sentralbordsigdal", which only begins
        with one), a place's or a member's name ("notodden", "rjukan")."""
        return word in self._whole_words

    def whole_words(self) -> frozenset[str]:
        """Every folded word `knows`: the names, and the attributes' words as written."""
        return self._whole_words

    def is_member_name(self, word: str) -> bool:
        """Whether a folded word is a member municipality's name or its centre's."""
        return word in self._names

    def other_places_in(self, text: str, *, countries: bool = True) -> list[str]:
        """The places `text` names that are not members ("regionrådet for Hallingdal"),
        folded; without the country ("i Norge") unless `countries`."""
        folded = message_words(text)
        fits, present = self._fit(folded)
        places = self._places_elsewhere(folded, fits, present, set())
        return [fold(term.text) for term in (places if countries else _beyond_the_country(places))]

    def asks_a_fact_elsewhere(self, text: str) -> bool:
        """Whether `text` asks for one of the facts (a phone number, an address …) of a
        place outside the region ("… trenger telefonnummeret til Sigdal kommune"): no entry
        answers that, not even one about that place."""
        folded = message_words(text)
        fits, present = self._fit(folded)
        return (bool(self._places_elsewhere(folded, fits, present, set()))
                and self._names_an_attribute(fits, present))

    def asks_a_fact_of_no_one(self, text: str) -> bool:
        """Whether `text` asks for a fact without naming whose ("Kan du gi meg nummeret?"):
        the place the message named before is the one asked about."""
        folded = message_words(text)
        fits, present = self._fit(folded)
        covered: set[int] = set()
        return bool(self._asked(fits, present, covered)) and self._explained(folded, covered)

    def _explained(
        self, folded: list[str], covered: set[int], names: set[int] | frozenset[int] = frozenset(),
        proper: frozenset[str] = frozenset(), attribute_words: frozenset[int] = frozenset(),
    ) -> bool:
        """Whether every word of a message is explained: `covered` by what was found in it, or
        a filler word (coverage before confidence); loosely (see `loosely`), all but one word
        that is none of the knowledge base's, no `proper` name, stands apart from the `names`
        of members and is in no question of when."""
        left = list(islice((i for i, word in enumerate(folded)
                            if i not in covered and not self._is_filler(word)), 2))
        if not left:
            return True
        if len(left) == 1:
            self.near_miss = True
        if self._slack is None or len(left) > 1 or _ASKS_WHEN.search(" ".join(folded)):
            return False
        word = folded[left[0]]
        return (not self._slack(word) and not ({left[0] - 1, left[0] + 1} & set(names))
                and word not in proper and not _whose(folded, left[0], attribute_words))

    def _places_elsewhere(
        self, folded: list[str], fits: list, present: frozenset, positions: set[int]
    ) -> list[Term]:
        """The places outside the region a message names (the words they cover go to
        `positions`): as written, or with two letters swapped ("Skein")."""
        found = self._found(self.data.other_places, fits, present, positions)
        for i, word in enumerate(folded):
            if i not in positions and word in self._swapped_places:
                found.append(self._swapped_places[word])
                positions.add(i)
        return found

    def names_an_attribute(self, text: str) -> bool:
        """Whether `text` holds a word some attribute is asked for by ("telefonnummeret")."""
        fits, present = self._fit(message_words(text))
        return self._names_an_attribute(fits, present)

    def _names_an_attribute(self, fits: list, present: frozenset) -> bool:
        """Whether a message holds a word some attribute is asked for by."""
        return any(self._found(a.terms, fits, present, set()) for a in self.data.attributes)

    def _fit(self, folded: list[str]) -> tuple[list[frozenset[Pattern]], frozenset[Pattern]]:
        """The patterns each of a message's folded words fits, and every pattern present."""
        fits = [self._vocabulary.match(word) for word in folded]
        return fits, frozenset().union(*fits)

    def _names_the_council(self, text: str) -> bool:
        """Whether `text` names the regional council ("… the Kongsberg region council …")."""
        council = self.data.council
        if council is None:
            return False
        fits, present = self._fit(message_words(text))
        return bool(self._found(council.terms, fits, present, set()))

    def _answer_sentence(
        self, sentence: str, sentences: list[str], text: str, language: str, named: list[str]
    ) -> FactAnswer | None:
        """The answer to the one sentence of a long message `text` that asks: about the
        municipality it names, else the last one named before it; "its" the council named
        before ("What is its budget?"); "them" what the sentence before named ("… bokmål og
        nynorsk. Hvilken av dem bruker Kongsberg?"); a question that only points back ("Har du
        det?", "Kan du hjelpe?", "Vet du hvem det er?") asks the sentence before it."""
        position = sentences.index(sentence)
        if _NAMES_TWO.search(sentence) or (
                position > 0 and _NAMES_TWO.search(sentences[position - 1])):
            named = named[-2:] if len(named) > 1 else named  # "… i de to kommunene"
        else:
            named = named[-1:]
        before = what_is_wanted(sentences[position - 1]) if position > 0 else None
        asks_what_it_is = _asks_who_or_what_it_is(sentence)
        named_before: tuple[list[Attribute], bool] = ([], False)
        if before is not None and (asks_what_it_is
                                   or _refers_back(sentence, REFERRING_TO_THINGS)):
            named_before = self._asked_in(before)
        carried, everyone = (named_before if _refers_back(sentence, REFERRING_TO_THINGS)
                             else ([], False))
        council = (_refers_back(sentence) and self._names_the_council(text)) or (
            # "Økonomi ber om organisasjonsnummeret til Kongsbergregionen. Finnes det et
            # org.nr. jeg kan bruke?": the council named just before, no member since
            before is not None and self._names_the_council(before)
            and not self._names_a_member(before, named) and not self._names_a_member(
                sentence, named) and not self.other_places_in(sentence))
        if before is not None and _BARE_ADDRESS.search(sentence) and any(
                attribute.id == "email" for attribute in self._asked_in(before)[0]):
            # "… sende den på e-post. Hvilken adresse skal hun bruke?"
            sentence = _BARE_ADDRESS.sub("e-postadresse", sentence)
        found = self._answer_read(sentence, language, named, council_named=council,
                                  carried=carried, everyone=everyone)
        if found is None and before is not None and (points_back(sentence) or asks_what_it_is):
            pointed = (what_is_wanted(sentences[pointed_to(sentences, position)])
                       if points_back(sentence) else before)
            found = self._answer_read(pointed, language, named)
        if found is None and asks_what_it_is and named_before[0]:
            # "… handle mat i kommunesenteret i Nore og Uvdal … Hva heter det stedet?"
            found = self._answer(sentence, language, named, carried=named_before[0],
                                 everyone=named_before[1])
        return found

    def _answer_read(self, sentence: str, language: str, named: list[str],
                     **context: Any) -> FactAnswer | None:
        """One sentence's answer, read the ways people write a question inside a sentence:
        after what was already found ("Jeg har funnet innbyggertall, men jeg trenger også
        arealet …"), as written, after a colon ("I read about county changes: which county
        …?"), or without a closing clause that says what it is for ("…, så jeg kan legge dem
        i en oversikt", "…, since their children …")."""
        sentence = what_is_wanted(sentence)
        readings = [_without_errand(sentence), _AFTER_BUT.sub("", sentence),
                    *self._around_a_colon(sentence, named), _without_purpose(sentence)]
        for reading in dict.fromkeys(readings):
            found = self._answer(reading, language, named, **context)
            if found is not None:
                return found
        if (_ASIDE.search(sentence) or "," in sentence) and (
                len(sentence.split()) <= MAX_ASIDE_WORDS):
            without = self._without_asides(sentence, named)
            if without not in readings and (
                    found := self._answer(without, language, named, **context)) is not None:
                return found
        parts = question_parts(sentence)
        if len(parts) > 1:  # "Hva heter ordføreren, og hvor sender jeg brevet?"
            answers = [self._answer(_without_purpose(part), language, named, **context)
                       for part in parts]
            if all(answers):
                return _together([answer for answer in answers if answer is not None])
        return None

    def _around_a_colon(self, sentence: str, named: list[str]) -> list[str]:
        """A sentence read after its colon first when that part names a member itself ("Ny
        ansatt i Flesberg: hva heter adm.senteret vårt, Lampeland eller Flesberg?" asks no
        staff), else as written first ("Flesberg or Hjartdal: which one has more residents?")."""
        after = _AFTER_COLON.sub("", sentence)
        if after == sentence:
            return [sentence]
        return [after, sentence] if self._names_a_member(after, named) else [sentence, after]

    def _without_asides(self, sentence: str, named: list[str]) -> str:
        """`sentence` without what stands in brackets and without the clauses between commas
        that name nothing the facts are about ("vakt i resepsjonen, noen spør etter
        hovednummeret til Notodden kommune", "tlf Rollag kommune (innbygger på linja)",
        "adressen til kommunehuset i Hjartdal, skriver fra utlandet uten ae o a")."""
        clauses = [clause.strip() for clause in _CLAUSE_BREAK.split(_ASIDE.sub(" , ", sentence))]
        clauses = [clause for clause in clauses if clause]
        folded = [message_words(clause) for clause in clauses]
        fits, present = self._fit([word for words_ in folded for word in words_])
        named_at: set[int] = set()
        if not any([self._found(a.terms, fits, present, named_at)
                    for a in self.data.attributes]):
            return sentence  # nothing asked: no clause is worth keeping
        lists = [self.data.all_words, self.data.other_places, self.data.other_bodies,
                 *(b.terms for b in self.data.bundles)]
        if self.data.council is not None:
            lists.append(self.data.council.terms)
        for terms in lists:
            self._found(terms, fits, present, named_at)
        kept, start = [], 0
        for clause, words_ in zip(clauses, folded, strict=True):
            span = range(start, start + len(words_))
            start += len(words_)
            if any(i in named_at for i in span) or any(
                    self._name_of(word, named) for word in words_):
                kept.append(clause)
        return ", ".join(kept) or sentence

    def _whose_number(self, text: str, language: str) -> FactAnswer | None:
        """The member whose phone number a message holds, when it asks for nothing else
        ("Hvem har telefonnummeret 35 01 50 00?", "funker det å ringe 31 02 40 00 for å nå Nore
        og Uvdal kommune?")."""
        numbers = set(_EIGHT_DIGITS.findall(_DIGIT_GAPS.sub("", text)))
        if not numbers:
            return None
        phone = next((a for a in self.data.attributes if a.id == "phone"), None)
        if phone is None or any(a.id != "phone" for a in self._asked_in(text)[0]):
            return None
        for municipality in self.data.municipalities.values():
            value = municipality.facts.get("phone")
            if value is not None and re.sub(r"\D", "", pick(value.text, "nb")) in numbers:
                return self._single([phone], [municipality], language)
        return None

    def not_a_member(self, text: str, language: str) -> FactAnswer | None:
        """The answer to a membership question about one place outside the region ("Er Vinje
        med i Kongsbergregionen?", "Vinje medlem?"): it is not one, and these seven are. None
        when the message names a member or asks no membership."""
        if self._names_a_member(text, []):
            return None
        folded = message_words(text)
        fits, present = self._fit(folded)
        positions: set[int] = set()
        places = _beyond_the_country(self._places_elsewhere(folded, fits, present, positions))
        if len(places) != 1 or not positions:
            return None
        after = max(positions) + 1  # the place is asked about, not what it would join
        following = folded[after:after + MEMBERSHIP_REACH]
        ending = " ." if after + MEMBERSHIP_REACH >= len(folded) else ""
        if not _ASKS_MEMBERSHIP.search(" ".join(following) + ending):
            return None
        place = places[0].text.rstrip("*").title()
        return FactAnswer(pick(NOT_ONE_OF_THEM, language).format(place=place), MEMBERS_ENTRY,
                          self._members_sources, True)

    def _members_at(
        self, folded: list[str], named: list[str], skipped: set[int] | frozenset[int] = frozenset()
    ) -> dict[int, str]:
        """The member named at each position of a message's folded words, outside `skipped`;
        not the region's name ("the Kongsberg region council")."""
        return {i: key for i, word in enumerate(folded)
                if i not in skipped and (key := self._name_of(word, named))
                and not _names_the_region(folded, i)}

    def _names_a_member(self, text: str, named: list[str]) -> bool:
        """Whether `text` names a member municipality (or its centre); not the region's name
        ("Is Drammen a member of the Kongsberg regional council?" names none)."""
        return bool(self._members_at(message_words(text), named))

    def _asked_in(self, text: str) -> tuple[list[Attribute], bool]:
        """The attributes `text` names, and whether it asks about every member; none when it
        names a place outside the region ("… the member municipalities of the Hallingdal
        regional council. Could you list those?")."""
        folded = message_words(text)
        fits, present = self._fit(folded)
        if _beyond_the_country(self._places_elsewhere(folded, fits, present, set())):
            return [], False
        everyone = bool(self._found(self.data.all_words, fits, present, set()))
        return self._asked(fits, present, set()), everyone

    def _answer(
        self, text: str, language: str, named: list[str], topic: Topic | None = None,
        council_named: bool = False, carried: Sequence[Attribute] = (), everyone: bool = False,
    ) -> FactAnswer | None:
        """The precise answer to one sentence or message; `council_named`: an earlier sentence
        named the council, which the question may then refer to ("What is its budget?");
        `carried`: the attributes an earlier sentence named, which the question refers to
        ("Hvilken av dem bruker Kongsberg?"), about every member if `everyone`."""
        folded = message_words(text)
        if not folded or len(folded) > 40:
            return None
        fits, present = self._fit(folded)
        covered: set[int] = set()
        asked = self._asked(fits, present, covered)
        attribute_words = frozenset(covered)
        body_positions: set[int] = set()
        bodies = self._found(self.data.other_bodies, fits, present, body_positions)
        if not (asked or carried or topic or bodies):
            return None  # nothing asked for: the names need not be looked up
        every_word = self._found(self.data.all_words, fits, present, covered)
        everyone = bool(every_word) or everyone
        if everyone and len(named) > 1 and _NAMES_TWO.search(text):
            everyone = False  # "… Flesberg and Rollag. … the centres of both municipalities"
        places: set[int] = set()
        elsewhere = self._places_elsewhere(folded, self._members_kept(folded, fits, named),
                                           present, places)
        covered |= places
        covered |= body_positions
        council = self.data.council
        council_words: set[int] = set()
        council_named = bool(council and self._found(council.terms, fits, present, council_words)
                             ) or council_named
        covered |= council_words
        ours = council_named and not any(abs(place - word) <= NEAR_A_COUNCIL
                                         for place in places for word in council_words)
        own = self._members_at(folded, named, places)
        covered |= set(own)
        seat = {key for i, key in own.items()  # "sekretariatet til regionrådet i Kongsberg"
                if i >= 2 and folded[i - 1] in SEAT_WORDS and i - 2 in council_words}
        if seat:  # where the council is, not a member asked about
            own = {i: key for i, key in own.items() if key not in seat}
            named = [key for key in named if key not in seat]
        own_names = set(own)
        if not self._explained(folded, covered, own_names,
                               _proper_names(text) if self._slack else frozenset(),
                               attribute_words):
            return None
        if not asked and topic and (own_names or everyone):
            asked = [a for a in self.data.attributes if a.id in topic.attributes]
        asked = [*asked, *(a for a in carried if a not in asked)]
        if bodies and (asked or asks_something(text)):
            # "tlf nav kongsberg"; "How do I get a D-number?" asks Skatteetaten
            return self._other_body(bodies[0], own, language)
        if not asked:
            return None
        if topic and not own_names and not everyone and not elsewhere and not named:
            named = list(topic.municipalities)
        if elsewhere and not own_names and not ours:  # "Hallingdal regional council"
            place = elsewhere[0].text.title()
            return FactAnswer(pick(NOT_A_MEMBER, language).format(place=place), None, (), False)
        if council and council_named and not own_names and any(
                a.id in council.attributes for a in asked):  # "kontingent til regionrådet"
            # "Sjefen min spør hvem som er daglig leder i Kongsbergregionen": the council's
            # staff, not a municipality's chief
            return council_unknown(
                council, [a for a in asked if a.id in council.attributes], language)
        if council_named and not own_names and all(a.id == COUNCIL_MEMBERS for a in asked):
            return None  # "hvem er medlemer av regionrådet, er det ordførerne?": an entry's
        if council_words and not own_names and every_word and all(
                term.text in WHICH_WORDS for term in every_word):
            return None  # "Kva for nettstad har regionrådet?" asks the council's, not each one's
        if asked and all(attribute.between for attribute in asked):
            return self._list(asked, language)
        if everyone and not own_names:
            listed = [a for a in asked if not a.value_is_name]  # "which municipality" lists none
            return self._list(listed, language) if listed else None
        if council_named and not own_names:
            return None  # "Hvem er daglig leder i regionrådet, og har du direktenummeret?"
        keys = list(dict.fromkeys(own.values())) or named
        municipalities = [self.data.municipalities[key] for key in keys
                          if key in self.data.municipalities]
        if not municipalities:
            return None
        return self._single(asked, municipalities, language, mentioned=set(folded))

    def _other_body(self, body: Term, own: dict[int, str], language: str) -> FactAnswer:
        """A public body whose contacts the bot does not have (NAV, the doctor's office):
        said so, with the website of the member municipality named, if one is."""
        shown = self.data.other_body_names.get(body.text)
        if shown is None:
            place = body.text.upper() if len(body.text) <= 4 else body.text.title()
        else:
            place = shown[0].upper() + shown[1:]
        keys = list(dict.fromkeys(own.values()))
        if len(keys) == 1 and keys[0] in self.data.municipalities:
            municipality = self.data.municipalities[keys[0]]
            text = pick(OTHER_BODY_IN, language).format(
                place=place, name=pick(municipality.name, language), website=municipality.website)
        else:
            text = pick(OTHER_BODY, language).format(place=place)
        return FactAnswer(text, None, (), False)

    def _asked(self, fits: list, present: frozenset, covered: set[int]) -> list[Attribute]:
        """The attributes a message asks for, in the file's order: named, or asked for by a
        bundle; one whose words all stand inside another's ("organisation number" holds
        "number") is not asked for."""
        spans: dict[str, set[int]] = {}
        may_begin = frozenset().union(*(self._starting.get(p, ()) for p in present))
        attributes = self.data.attributes
        for i, attribute in enumerate(attributes):
            positions: set[int] = set()
            if i in may_begin and self._found(attribute.terms, fits, present, positions):
                spans[attribute.id] = positions
        for i, bundle in enumerate(self.data.bundles, start=len(attributes)):
            positions = set()
            if i in may_begin and self._found(bundle.terms, fits, present, positions):
                for attribute_id in bundle.attributes:
                    spans.setdefault(attribute_id, positions)
        inside = {a for a, span in spans.items()
                  if any(span < other for b, other in spans.items() if b != a)}
        inside |= {other for attribute in self.data.attributes if attribute.id in spans
                   for other in attribute.instead_of}
        for span in spans.values():
            covered |= span
        asked = [a for a in self.data.attributes if a.id in spans and a.id not in inside]
        return [a for a in asked if not a.alone] or asked

    def _filler(self, word: str) -> bool:
        """A word that changes nothing: a number, a filler or stop word, one of six letters
        or more that is one letter off one ("komune", "kommunnene"), or a shorter one with two
        letters swapped ("lsite")."""
        if word.isdigit() or word in self._ignorable:
            return True
        if len(word) < FUZZY_FILLER_LENGTH:
            return len(word) >= 4 and self._swapped_filler(word)
        limit = 2 if len(word) >= 10 else 1
        near = self._long_filler_near.get(len(word))
        if near is None:
            near = self._long_filler_near[len(word)] = [
                filler for filler in self._long_filler if abs(len(filler) - len(word)) <= limit]
        return bool(near) and process.extractOne(
            word, near, scorer=OSA.distance, score_cutoff=limit
        ) is not None

    def _swapped_filler(self, word: str) -> bool:
        """A short word that is a filler word with two neighbouring letters swapped ("lsite")."""
        return any(OSA.distance(word, filler) == 1
                   for filler in self._by_letters.get("".join(sorted(word)), ()))

    def _found(
        self, terms: Sequence[Term], fits: list, present: frozenset, covered: set[int]
    ) -> list:
        """The `terms` that stand in the message (the words they cover go to `covered`);
        only those whose first word some word of the message fits (`present`) are tried, in
        their order (found through an index of first words, built once per list)."""
        index = self._first_words_of(terms)
        orders = sorted({order for pattern in present & index.patterns for order in index[pattern]})
        if not orders:
            return []
        where = self._positions(fits)
        found = []
        for term in (terms[order] for order in orders):
            for positions in occurrences(term, fits, where):
                covered |= positions
                if not found or found[-1] is not term:
                    found.append(term)
        return found

    def _positions(self, fits: list) -> Positions:
        """Where each pattern stands in the message whose words fit `fits` (the last message's
        kept: one message is read by many term lists in a row)."""
        if self._last_fits[0] is not fits:
            self._last_fits = (fits, positions_of(fits))
        return self._last_fits[1]

    def _first_words_of(self, terms: Sequence[Term]) -> Positions:
        """For a list of terms, the places of the terms each pattern can begin."""
        known = self._first_words.get(id(terms))
        if known is not None and known[0] is terms:
            return known[1]
        index = Positions()
        for order, term in enumerate(terms):
            for pattern in term.first:
                index.setdefault(pattern, []).append(order)
        index.patterns = frozenset(index)
        self._first_words[id(terms)] = (terms, index)  # the list kept, so its id stays its own
        return index

    def _members_kept(
        self, folded: list[str], fits: list[frozenset[Pattern]], named: list[str]
    ) -> list[frozenset[Pattern]]:
        """`fits` without what a member's misspelt name fits among other places: "konsberg"
        is one letter off Tønsberg too, but a misspelt Kongsberg when the engine found
        Kongsberg named."""
        return [
            frozenset() if fit & self._other_place_patterns
            and word not in self._other_place_words and self._name_of(word, named)
            else fit
            for word, fit in zip(folded, fits, strict=True)
        ]

    def _name_of(self, word: str, named: list[str]) -> str | None:
        """The municipality whose name (or admin centre's) `word` is: as written; one letter
        off (two for long names) for a municipality the engine found named; or a name with a
        letter left out or two swapped ("Tin", "Rolag", "Konsgberg"), never one with a letter
        added ("nokre" is no Nore, "Norge" neither), nor a stop or filler word ("inn")."""
        if word in self._names:
            return self._names[word]
        if len(word) < 3 or word in self._ignorable:  # "handle inn" is no Tinn
            return None
        if (single := _without_a_doubled_letter(word, self._names)) is not None:
            return self._names[single]  # "Tinnn", "Rollagg"
        key = (word, tuple(named))
        if key not in self._names_found:
            if len(self._names_found) >= NAME_CACHE_SIZE:
                self._names_found.clear()
            self._names_found[key] = self._misspelt_name(word, named)
        return self._names_found[key]

    def _misspelt_name(self, word: str, named: list[str]) -> str | None:
        limit = 2 if len(word) >= 7 else 1
        letters = sorted(word)
        candidates = [
            name for name in self._name_list
            if self._names[name] in named or len(name) > len(word)
            or self._letters_of_names[name] == letters
        ]
        found = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        return self._names[found[0]] if found else None

    def _single(
        self, asked: list[Attribute], municipalities: list[Municipality], language: str,
        mentioned: set[str] | frozenset[str] = frozenset(),
    ) -> FactAnswer:
        """The asked facts of each of `municipalities`; for one, also a fact of it whose value
        the question `mentioned` (folded words) without asking for it: "Er Veggli
        administrasjonssenteret i Rollag?" is answered with Rollag and that the largest village
        is Veggli."""
        lines, sources = [], []
        for municipality in municipalities:
            name = pick(municipality.name, language)
            for attribute in asked:
                value = (FactValue(municipality.name) if attribute.value_is_name
                         else municipality.facts.get(attribute.id))
                if value is None:
                    lines.append(pick(attribute.missing, language).format(
                        name=name, website=municipality.website))
                    lines += self._also(attribute, municipality, name, language, asked)
                    continue
                lines.append(pick(attribute.answer, language).format(
                    name=name, value=value.in_language(language)))
                if value.year is None and not attribute.value_is_name:  # a year says more
                    sources.append(value.source or municipality.source)
        if len(municipalities) == 1:
            lines += [line for line in self._mentioned(
                municipalities[0], asked, mentioned, language) if line not in lines]
        card = asked[0].card
        first = municipalities[0]
        card_entry = first.contact if card == "contact" else first.entry
        entry = card_entry if len(municipalities) == 1 and card != "none" else None
        known = all(attribute.card != "none" for attribute in asked)
        topic = Topic(tuple(a.id for a in asked), tuple(m.key for m in municipalities),
                      card_entry)
        return FactAnswer("\n".join(lines), entry, tuple(dict.fromkeys(sources)), known, topic)

    def _mentioned(
        self, municipality: Municipality, asked: list[Attribute], mentioned: set[str] |
        frozenset[str], language: str,
    ) -> list[str]:
        """The lines of `municipality`'s facts, not asked for, whose value is one of the
        `mentioned` words and not the municipality's own name ("Veggli", "Rjukan")."""
        if not mentioned:
            return []
        name = pick(municipality.name, language)
        own = set(words(fold(name)))
        lines = []
        for attribute in self.data.attributes:
            value = municipality.facts.get(attribute.id)
            if attribute in asked or value is None or attribute.value_is_name:
                continue
            said = set(words(fold(pick(value.text, language))))
            if said and said <= mentioned and not said <= own:
                lines.append(pick(attribute.answer, language).format(
                    name=name, value=value.in_language(language)))
        return lines

    def _also(
        self, attribute: Attribute, municipality: Municipality, name: str, language: str,
        asked: list[Attribute],
    ) -> list[str]:
        """The lines of the attributes answered beside one that is not known."""
        lines = []
        for other in self.data.attributes:
            value = municipality.facts.get(other.id)
            if other.id in attribute.also and value is not None and other not in asked:
                lines.append(pick(other.answer, language).format(
                    name=name, value=value.in_language(language)))
        return lines

    def _list(self, asked: list[Attribute], language: str) -> FactAnswer:
        """One fact for all seven; no sources (each municipality's card has its own). A fact
        none of them has is said so once, with where to look ("hvilken kommune er størst i
        areal": then the question reaches the editors; the mayors beside the e-mail
        addresses)."""
        municipalities = self.data.municipalities.values()
        none_known = [a for a in asked if self.data.council and not any(
            municipality.facts.get(a.id) for municipality in municipalities)]
        said_once = [pick(NONE_KNOWN, language).format(
            title=_title(pick(a.list_title, language), language),
            website=self.data.council.website) for a in none_known if self.data.council]
        if len(none_known) == len(asked):
            return FactAnswer("\n".join(said_once), None, (), False)
        blocks = []
        for attribute in (a for a in asked if a not in none_known):
            lines = [pick(attribute.list_title, language) + ":"]
            for municipality in self.data.municipalities.values():
                value = municipality.facts.get(attribute.id)
                shown = value.in_language(language) if value else pick(UNKNOWN, language)
                lines.append(f"• {municipality.short}: {shown}")
            blocks.append("\n".join(lines))
        topic = Topic(tuple(a.id for a in asked), tuple(self.data.municipalities))
        return FactAnswer("\n\n".join([*blocks, *said_once]), "council.members", (), True,
                          topic)


NO_WEB_SOURCE = "no web source"
"""The source of a fact whose cited sources have no web address (none is shown)."""


def _cited_source(entry: Any, fact_key: str) -> str:
    """Where the contact entry's fact was read: the web address of the fact it cites in
    sources.yaml, or the entry's own source when it cites none."""
    url = entry.source_url_of(fact_key)
    if url is None:
        return entry.source
    return url or NO_WEB_SOURCE


def with_contacts(data: FactData, entries: Mapping[str, Any]) -> FactData:
    """`data` with each municipality's phone, e-mail, address and website from its contact
    entry (the old ones with their year, the entry's source as theirs)."""
    municipalities = {}
    for key, municipality in data.municipalities.items():
        entry = entries.get(municipality.contact)
        contact = getattr(entry, "contact", None)
        if contact is None:
            municipalities[key] = municipality
            continue
        facts = dict(municipality.facts)
        for attribute, value, year in (
            ("phone", contact.phone, contact.phone_year),
            ("email", contact.email, ""),
            ("address", contact.address, contact.address_year),
            ("website", _bare(contact.website), ""),
        ):
            if value and attribute not in facts:
                source = _cited_source(entry, f"{key}.{attribute}")
                facts[attribute] = FactValue({"nb": value}, int(year) if year else None, source)
        website = municipality.website or _bare(contact.website)
        municipalities[key] = replace(municipality, facts=facts, website=website)
    return replace(data, municipalities=municipalities)


def _bare(url: str) -> str:
    """A web address as people write it: www.tinn.kommune.no."""
    return url.removeprefix("https://").removeprefix("http://").rstrip("/")


# --- Loading and validation --------------------------------------------------------------------


def load_facts(
    path: Path, entry_ids: Iterable[str], municipality_keys: Iterable[str],
    problems: list[Problem],
) -> FactData:
    """Load and validate facts.yaml (optional: without it no precise answers are given)."""
    if not path.exists():
        return FactData()
    name = str(path)
    data = read_yaml(path, problems)
    if data is None:
        return FactData()
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "the file must be a mapping with 'attributes' and "
                                         "'municipalities'"))
        return FactData()

    def report(where: Any, key: str, message: str) -> None:
        problems.append(Problem(name, line_of(where, key), message))

    for key in data:
        if key not in FILE_KEYS:
            report(data, key, f"unknown top-level key '{key}' (known: "
                              f"{', '.join(sorted(FILE_KEYS))})")
    attributes = _attributes(data.get("attributes"), data, report)
    known_ids = {a.id for a in attributes}
    bundles = _bundles(data.get("bundles"), data, report, known_ids)
    council = _council(data.get("council"), data, report, known_ids, set(entry_ids))
    municipalities = _municipalities(data.get("municipalities"), data, report, known_ids,
                                     set(entry_ids), set(municipality_keys))
    return FactData(
        attributes=tuple(attributes),
        bundles=tuple(bundles),
        council=council,
        municipalities=municipalities,
        all_words=_terms(data.get("all_words"), data, "all_words", report),
        filler=frozenset("".join(words(fold(str(w)))) for w in data.get("filler") or []),
        other_places=_terms(data.get("other_places"), data, "other_places", report),
        other_bodies=_terms(data.get("other_bodies"), data, "other_bodies", report),
        other_body_names=_body_names(data, report),
    )


def _body_names(data: dict, report: Any) -> dict[str, str]:
    """`other_body_names`: term -> the name the reply uses."""
    value = data.get("other_body_names") or {}
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        report(data, "other_body_names", "'other_body_names' must map a term to the name to show")
        return {}
    return dict(value)


def _terms(value: Any, where: Any, key: str, report: Any) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        report(where, key, f"'{key}' must be a list of words")
        return ()
    terms = []
    for item in value:
        term = parse_term(str(item))
        if term is None:
            report(where, key, f"'{key}': {item!r} holds no word")
        else:
            terms.append(term)
    return tuple(terms)


def _at(raw: dict, report: Any) -> Any:
    """`report` for the `(key, message)` reporters of bot.knowledge, at `raw`'s lines."""
    return lambda key, message: report(raw, key, message)


def _attributes(value: Any, data: dict, report: Any) -> list[Attribute]:
    if not isinstance(value, list):
        report(data, "attributes", "'attributes' must be a list")
        return []
    attributes = []
    read: list[dict] = []
    for raw in value:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            report(data, "attributes", "each attribute needs an 'id'")
            continue
        label = f"attribute '{raw['id']}'"
        for key in raw:
            if key not in ATTRIBUTE_KEYS:
                report(raw, key, f"{label}: unknown key '{key}'")
        terms = _terms(raw.get("words"), raw, "words", report)
        if not terms:
            report(raw, "words", f"{label}: 'words' must list how people ask for it")
        card = raw.get("card", "municipality")
        if card not in CARDS:
            report(raw, "card", f"{label}: 'card' must be one of {', '.join(CARDS)}")
        at = _at(raw, report)
        value = raw.get("value", "facts")
        if value not in VALUE_SOURCES:
            report(raw, "value", f"{label}: 'value' must be one of {', '.join(VALUE_SOURCES)}")
        for flag in ("alone", "between"):
            if not isinstance(raw.get(flag, False), bool):
                report(raw, flag, f"{label}: '{flag}' must be true or false")
        read.append(raw)
        attributes.append(Attribute(
            id=raw["id"], card=card, terms=terms, answer=texts_of(raw, "answer", label, at),
            list_title=texts_of(raw, "list", label, at),
            missing=texts_of(raw, "missing", label, at),
            also=tuple(str(other) for other in raw.get("also") or []),
            alone=raw.get("alone") is True, value_is_name=value == "name",
            between=raw.get("between") is True,
            instead_of=tuple(str(other) for other in raw.get("instead_of") or []),
        ))
    known = {attribute.id for attribute in attributes}
    for raw, attribute in zip(read, attributes, strict=True):
        unknown = [other for other in (*attribute.also, *attribute.instead_of)
                   if other not in known]
        if unknown:
            report(raw, "id",
                   f"attribute {attribute.id}: unknown attribute(s) {', '.join(unknown)}")
    return attributes


def _bundles(value: Any, data: dict, report: Any, known_ids: set[str]) -> list[Bundle]:
    if value is None:
        return []
    if not isinstance(value, list):
        report(data, "bundles", "'bundles' must be a list")
        return []
    bundles = []
    for raw in value:
        if not isinstance(raw, dict):
            report(data, "bundles", "each bundle needs 'words' and 'attributes'")
            continue
        for key in raw:
            if key not in BUNDLE_KEYS:
                report(raw, key, f"bundle: unknown key '{key}'")
        terms = _terms(raw.get("words"), raw, "words", report)
        wanted = raw.get("attributes")
        if not terms or not isinstance(wanted, list) or not wanted:
            report(raw, "words" if not terms else "attributes",
                   "a bundle needs 'words' and a list of 'attributes'")
            continue
        unknown = [str(a) for a in wanted if a not in known_ids]
        if unknown:
            report(raw, "attributes", f"bundle: unknown attribute(s) {', '.join(unknown)}")
            continue
        bundles.append(Bundle(terms, tuple(str(a) for a in wanted)))
    return bundles


def _council(
    raw: Any, data: dict, report: Any, known_ids: set[str], entry_ids: set[str]
) -> Council | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        report(data, "council", "'council' must be a mapping with name, contact, words and "
                                "attributes")
        return None
    for key in raw:
        if key not in COUNCIL_KEYS:
            report(raw, key, f"council: unknown key '{key}'")
    terms = _terms(raw.get("words"), raw, "words", report)
    wanted = raw.get("attributes")
    contact = raw.get("contact")
    problems = [
        ("words", not terms, "council: 'words' must list how people name the council"),
        ("attributes", not isinstance(wanted, list) or not wanted
         or any(a not in known_ids for a in wanted),
         "council: 'attributes' must list attributes of this file"),
        ("contact", contact not in entry_ids, "council: 'contact' must be an entry id"),
    ]
    for key, failed, message in problems:
        if failed:
            report(raw, key, message)
    if any(failed for _, failed, _ in problems):
        return None
    name = texts_of(raw, "name", "council", _at(raw, report))
    return Council(name, str(contact), terms, tuple(str(a) for a in wanted))


def _municipalities(
    value: Any, data: dict, report: Any, attribute_ids: set[str], entry_ids: set[str],
    keys: set[str],
) -> dict[str, Municipality]:
    if not isinstance(value, dict):
        report(data, "municipalities", "'municipalities' must be a mapping")
        return {}
    result = {}
    for key, raw in value.items():
        label = f"municipality '{key}'"
        if key not in keys:
            report(value, key, f"{label}: not a municipality of language.yaml")
        if not isinstance(raw, dict):
            report(value, key, f"{label}: must be a mapping with name, entry, website, facts")
            continue
        for field_name in raw:
            if field_name not in MUNICIPALITY_KEYS:
                report(raw, field_name, f"{label}: unknown key '{field_name}'")
        for card in ("entry", "contact"):
            if raw.get(card) not in entry_ids:
                report(raw, card, f"{label}: '{card}' names no entry: {raw.get(card)!r}")
        checked = raw.get("checked")
        if str(checked).strip().lower() == NOT_RECORDED:
            checked = None
        elif not isinstance(checked, dt.date) or checked > dt.date.today():
            report(raw, "checked", f"{label}: 'checked' must be a date, not in the future, "
                                   f"or '{NOT_RECORDED}'")
            checked = dt.date.min
        if not str(raw.get("source") or "").strip():
            report(raw, "source", f"{label}: 'source' is required")
        facts = {}
        for attribute, fact in (raw.get("facts") or {}).items():
            if attribute not in attribute_ids:
                report(raw.get("facts"), attribute, f"{label}: unknown attribute '{attribute}'")
                continue
            parsed = _value(fact, raw.get("facts"), attribute, report, label)
            if parsed is not None:
                facts[attribute] = parsed
        result[key] = Municipality(
            key=key, name=texts_of(raw, "name", label, _at(raw, report)),
            short=str(raw.get("short") or key),
            entry=str(raw.get("entry")), contact=str(raw.get("contact")),
            website=str(raw.get("website") or ""), source=str(raw.get("source") or ""),
            checked=checked, facts=facts,
        )
    return result


def _value(fact: Any, where: Any, attribute: str, report: Any, label: str) -> FactValue | None:
    if isinstance(fact, str | int):
        return FactValue({"nb": str(fact)})
    if not isinstance(fact, dict) or "nb" not in fact:
        report(where, attribute, f"{label}: fact '{attribute}' needs at least its nb text")
        return None
    unknown = set(fact) - VALUE_KEYS
    if unknown:
        report(where, attribute, f"{label}: fact '{attribute}' has unknown keys "
                                 f"{', '.join(sorted(unknown))}")
    year = fact.get("year")
    if year is not None and not (isinstance(year, int) and 1900 < year <= dt.date.today().year):
        report(where, attribute, f"{label}: fact '{attribute}': 'year' must be a year")
        year = None
    texts = {lang: str(fact[lang]) for lang in LANGUAGES if lang in fact}
    return FactValue(texts, year, str(fact.get("source") or ""))


def _title(title: str, language: str) -> str:
    """A list's heading inside a sentence: as it is first in Norwegian, lower case in
    English ("I do not have area for …")."""
    return title.lower() if language == "en" else title


def council_unknown(council: Council, asked: list[Attribute], language: str) -> FactAnswer:
    """What the bot does not know about the council, with the council's website."""
    name = pick(council.name, language)
    lines = [pick(a.missing, language).format(name=name, website=council.website)
             for a in asked]
    return FactAnswer("\n".join(lines), None, (), False)


def _council_with_contact(data: FactData, entries: Mapping[str, Any]) -> FactData:
    """`data` with the council's website read from its contact entry."""
    council = data.council
    contact = getattr(entries.get(council.contact), "contact", None) if council else None
    if council is None or contact is None or not contact.website:
        return data
    return replace(data, council=replace(council, website=_bare(contact.website)))


def _names_the_region(folded: list[str], position: int) -> bool:
    """Whether the name at `position` is the region's, not the municipality's ("the Kongsberg
    region council", "Kongsberg regionråd")."""
    following = folded[position + 1: position + 2]
    return bool(following) and following[0] in REGION_WORDS


def embedded_questions(sentence: str) -> list[tuple[str, str]]:
    """The questions inside a sentence of background, each with what stands before it: its
    rest from each question word after the first word ("Naboane lurte på kor mange som bur i
    Nore og Uvdal" asks "kor mange som bur i Nore og Uvdal"); [] when none stands inside."""
    parts = sentence.split()
    return [
        (" ".join(parts[:start]), " ".join(parts[start:]))
        for start in range(1, len(parts))
        if _is_question_word(parts[start])
    ]


def _together(answers: list[FactAnswer]) -> FactAnswer:
    """Precise answers to the questions of one message as one answer: their lines in order,
    every source once, the card and topic of the first; known when any of them is."""
    if len(answers) == 1:
        return answers[0]
    first = answers[0]
    return FactAnswer(
        "\n".join(dict.fromkeys(line for answer in answers for line in answer.text.split("\n"))),
        first.entry_id,
        tuple(dict.fromkeys(source for answer in answers for source in answer.sources)),
        any(answer.known for answer in answers),
        first.topic,
    )


def question_parts(text: str) -> list[str]:
    """The parts of a question joined by "og"/"and" before a question word ("Når vart
    regionrådet skipa, og kva er føremålet?" → two parts), or by a comma between two
    questions that each begin with one ("hva driver regionrådet med, hva satser de på?");
    [text] when there is one."""
    parts = [piece for part in _PART_BREAK.split(text) for piece in _comma_questions(part)]
    parts = [part for part in parts if part]
    return parts[:MAX_PARTS] if len(parts) > 1 else [text]


def _comma_questions(part: str) -> list[str]:
    """`part` split at each comma followed by a question word, when it begins with one too
    ("Hei, hva er adressen?" is one question)."""
    part = part.strip(" ,;")
    if not _is_question_word(part):
        return [part]
    return [piece.strip(" ,;") for piece in _COMMA_QUESTION.split(part)]


COUNCIL_MEMBERS = "people"
"""The attribute of the mayors: asked about the council, they are its members (council.yaml
answers that), not the municipalities' mayors the bot does not know."""
COUNTRY_NAMES = frozenset({"norge", "noreg", "norway"})
"""Places outside the region that are background, not what a sentence is about ("Since
Norway has two written standards, …")."""


def _beyond_the_country(places: Iterable[Term]) -> list[Term]:
    """The places outside the region but the country itself (COUNTRY_NAMES)."""
    return [place for place in places if fold(place.text) not in COUNTRY_NAMES]


_PURPOSE = re.compile(
    r"(?:,?\s+(?:så|slik at|sånn at|for at|so that|so)\s+(?:jeg|eg|vi|me|i|we)|"
    r",\s+(?:since|because|fordi|siden|sidan|ettersom)|"
    r",\s+for\s+(?:han|hun|ho|jeg|eg|vi|me|de|dei|he|she|they|i|we)|"
    r",\s+så\s+godt\s+(?:du|dere|de|dykk)|"
    r",\s+(?:og|men|and|but)\s+(?:jeg|eg|vi|me|i|we)\s+(?:finner|finn|fant|fann|can't|cannot|"
    r"couldn't|can not|could not))\b.*$",
    re.IGNORECASE,
)
"""A closing clause that says what the answer is for, why it is asked or that the writer did
not find it ("…, så jeg kan skrive dem ut", "…, since their children will start school", "…,
og jeg finner det ikke i notatene")."""
_WHO_OR_WHAT_IT_IS = re.compile(
    r"^\W*(?:(?:vet|veit|kan|kjenner|do) (?:du|dere|dykk|you know) )?"
    r"(?:(?:hvem|kven|kæm|hva|kva|ka|who|what) (?:(?:er|e|is) (?:det|den|dette|it|that)|"
    r"(?:er|e|are) (?:de|dei|they|those|these)|"
    r"(?:det|den|dette|it|that) (?:er|e|is))|(?:hva|kva|ka|what|which) (?:er|e|is) (?:riktig|rett|"
    r"korrekt|sant|right|correct|true)(?: i dag| nå| no| today| now)?|hva stemmer|kva stemmer|"
    r"(?:hva|kva|ka|what) (?:heter|heiter|heite|is) (?:det|den|dette|that|it)(?: stedet| plassen|"
    r" staden| place| called)?)"
    r"\W*$",
    re.IGNORECASE,
)
"""A short question that asks who or what "it" is, or which is right ("Hva er riktig i dag?"):
the sentence before says what it is about."""


def after_what_is_known(sentence: str) -> str:
    """A sentence without what its writer says they found or know before ", men …" ("Jeg har
    lest litt på nettet, men synes det er uklart hvem som sitter i rådet")."""
    return _AFTER_BUT.sub("", sentence)


def what_is_wanted(sentence: str) -> str:
    """What a sentence wants to know, without who asks and why before it ("Eg er tilsett på
    servicekontoret og … lurer på kva for kommunar som er med" wants "kva for kommunar som er
    med": the office and the resident name no attribute asked for)."""
    wanted = _WANTS_TO_KNOW.split(sentence, maxsplit=1)
    if len(wanted) == 2 and asks_something(wanted[1]):
        return wanted[1].strip()
    return sentence


def asked_part(sentence: str) -> str:
    """The part of a sentence that asks, without who asks before "lurer på" (`what_is_wanted`)
    and without background before a colon ("Jeg har fått en bunke dokumenter, men ønsker en
    rask oversikt: hvilke satsingsområder hadde strategiplanen?"); the sentence itself when
    no such part asks."""
    return after_a_colon(what_is_wanted(sentence))


def after_a_colon(sentence: str) -> str:
    """The part of a sentence after background and a colon, when that part asks ("Jeg har
    fått en bunke dokumenter, men ønsker en rask oversikt: hvilke satsingsområder …?"); the
    sentence itself otherwise."""
    after = _AFTER_COLON.sub("", sentence)
    return after if after != sentence and asks_something(after) else sentence


def _without_a_doubled_letter(word: str, names: Mapping[str, str]) -> str | None:
    """The name `word` is with one of its repeated letters typed once more ("tinnn")."""
    for i in range(1, len(word)):
        if word[i] == word[i - 1] and (single := word[:i] + word[i + 1:]) in names:
            return single
    return None


_ERRAND = re.compile(
    r"\b(?:ang\.?|angående|vedr\.?|vedrørende|regarding|concerning)\s+[^,;:?!]+", re.IGNORECASE)
"""What an errand is about ("ang. eiendomsskatten"), up to the next comma or the end."""


def _without_errand(sentence: str) -> str:
    """`sentence` without what the errand is about, when it asks something else as well:
    "må ringe kommunen på Notodden ang. eiendomsskatten, hva er nummeret?" asks the number,
    not the tax."""
    return re.sub(r"\s+,", ",", _ERRAND.sub("", sentence)).strip() or sentence


def _without_purpose(sentence: str) -> str:
    """`sentence` without a closing clause that says what the answer is for."""
    return _PURPOSE.sub("", sentence).strip() or sentence


def _asks_who_or_what_it_is(sentence: str) -> bool:
    """"Vet du hvem det er?", "What is it?"."""
    return bool(_WHO_OR_WHAT_IT_IS.match(sentence.strip()))


_ASKS_FOR_HELP = re.compile(
    r"^\W*(?:kan|kunne|could|can|would|will) (?:du|dere|dykk|de|you) (?:\w+ )?"
    r"(?:(?:hjelpe|hjelpa|help|svare|svara|answer|forklare|forklara|explain)\b|"
    r"(?:tell|fortelle|fortelje|si|sei)(?: (?:me|us|meg|oss|mæ|det|it|that))?\W*$)",
    re.IGNORECASE,
)
"""A short question that only asks for help with what the sentence before said."""
_ASKS_WHAT_TO_ANSWER = re.compile(
    r"^\W*(?:hva|kva|ka|what) (?:svarer|svarar|sier|seier|skal|bør|do|should|can) "
    r"(?:jeg|eg|æ|i|vi|me|we)"
    r"(?: \w+)?(?: (?:svare|svara|si|seie|tell|say|answer)\b)?(?: \w+)?\W*$",
    re.IGNORECASE,
)
"""A short question that asks what to tell someone about the sentence before ("Innringer lurer
på om Sigdal er medlem. Hva svarer jeg?")."""
_AFTER_BUT = re.compile(r"^.{12,}?,\s*(?:men|but)\s+(?=\S)", re.IGNORECASE)
"""What was found or known before ", men …": "Jeg har funnet innbyggertall, men jeg trenger …"."""
_ASIDE = re.compile(r"\([^()]*\)")
"""What a writer puts in brackets beside the question: "tlf Rollag (innbygger på linja)"."""
_CLAUSE_BREAK = re.compile(r"\s*,\s*")
_NAMES_TWO = re.compile(r"\b(?:de|dei|disse|desse|the|these|those) (?:to|two)\b|\bbegge\b|"
                        r"\bboth\b", re.IGNORECASE)
"""Words by which a sentence asks about the last two places named ("i de to kommunene")."""
_ASKS_MEMBERSHIP = re.compile(
    r"\b(?:med i|med \.|medlem\w*|member\w*|part of|del av|deltar|deltek|inkludert|"
    r"included)(?:\b|$)(?! (?:i |of |in )?(?:et|eit|ett|a|an|any|noe|noko|noen|nokon)\b)")
"""Folded words after a place that ask whether it takes part in the council ("med" only as
the last word: "Er Vinje med?", not "… i Vest-Telemark og held på med …"; not in "a" council:
"Er Øvre Eiker med i et regionråd?" asks about any)."""
_ASKS_LEADERSHIP = re.compile(r"\b(?:nestleder\w*|nestleiar\w*|deputy|vice chair)\b",
                             re.IGNORECASE)
"""Words that ask for the council's leader and deputy, whom an entry names."""
_DIGIT_GAPS = re.compile(r"(?<=\d)[ .-](?=\d)")
_EIGHT_DIGITS = re.compile(r"(?<!\d)\d{8}(?!\d)")
"""A Norwegian phone number, once the spaces between its digits are taken out."""
_BARE_ADDRESS = re.compile(r"\b(?:adresse|adressa|adressen|address)\b", re.IGNORECASE)
"""An address not said to be postal or e-mail: after a sentence about e-mail, the e-mail's."""
_AFTER_COLON = re.compile(r"^[^:]{12,}:\s*(?=\S)")
"""Background before a colon: "I read about some county changes in Norway: which county …"."""
_OWNER_WORDS = frozenset({"til", "te", "to", "of", "hos"})
_ARTICLES = frozenset({"en", "ei", "et", "eit", "ein", "a", "an", "the"})


def _whose(folded: list[str], position: int, attribute_words: frozenset[int]) -> bool:
    """Whether the word at `position` is whose the attribute asked for is ("nummeret til en
    rørlegger"; not "… kommunene i regionen til en utsendelsesliste", "nå til dags")."""
    before = position - 1
    if before > 0 and folded[before] in _ARTICLES:
        before -= 1
    return before > 0 and folded[before] in _OWNER_WORDS and before - 1 in attribute_words


def _proper_names(text: str) -> frozenset[str]:
    """The folded words written with a capital inside a sentence ("… hovedstaden i
    Australia", "Kongsberg Gruppen"): names of something the facts may not know."""
    names, starts = set(), True
    for written in text.split():
        if not starts and written[:1].isupper() and not written.isupper():
            names.update(message_words(written))
        starts = written[-1:] in ".!?:"
    return frozenset(names)


_ASKS_WHEN = re.compile(r"\b(?:nar|when|(?:ka|kva|hva|what) (?:tid|time))\b")
_WANTS_TO_KNOW = re.compile(
    r"\b(?:lurer|lurte|lurar) på\b|\b(?:vil|ville|ønsker|ønskjer|trenger|treng) "
    r"(?:gjerne |også |òg )?(?:å )?vite\b|\b(?:would like|want|need|wanted) to know\b|"
    r"\bwonder(?:ing)?\b|(?<!\bsom )\b(?:asks|spør)\b(?= (?:om|whether|if|hva|kva|ka|"
    r"hvem|kven|kæm|hvor|kor|kvar|når|which|what|who|where|when|how|hvilke|hvilken|"
    r"hvilket|korleis|hvordan)\b)",
    re.IGNORECASE,
)
"""A sentence that asks without a question mark or a question word first; "Sjefen min spør
når …", "My colleague asks whether …": a question passed on."""


def _refers_back(sentence: str, referring: frozenset[str] | None = None) -> bool:
    """Whether a sentence refers to something named before it ("What is its budget?")."""
    referring = REFERRING_WORDS if referring is None else referring
    return any(word in referring for word in words(fold(sentence)))


def pointed_to(sentences: list[str], position: int) -> int:
    """The sentence a question that points back (`points_back`) at `position` asks: the
    nearest of the MAX_POINTED_BACK before it that asks something ("Skjemaet spør kva fylke
    … og kva som er kommunesenteret. Laget held til i Hjartdal. Kan du hjelpe meg med dei to
    svara?"), else the one just before."""
    for earlier in range(position - 1, max(position - 1 - MAX_POINTED_BACK, -1), -1):
        if asks_something(sentences[earlier]):
            return earlier
    return position - 1


def only_points_back(sentence: str) -> bool:
    """Whether a sentence is nothing but a question word and what it points back to ("What
    are they?", "Kva er dei?"): it asks the question of the sentence before it."""
    folded = words(fold(sentence))
    return (len(folded) <= MAX_ONLY_POINTING and any(w in ONLY_POINTING for w in folded)
            and all(w in QUESTION_WORDS or w in ONLY_POINTING or w in COPULAS for w in folded))


_ONLY_CONFIRMS = re.compile(
    r"^\W*(?:(?:og|and|men|but)\s+)?(?:stemmer|stemmar|stämmer|er|is|was|var)\s+"
    r"(?:det|dette|that|this|it)(?:\s+(?:riktig|rett|sant|korrekt|right|true|correct|so))?\W*$",
    re.IGNORECASE,
)


def only_confirms(part: str) -> bool:
    """Whether a part of a question only asks to confirm what was said before ("Stemmer det,
    og hvilken periode gjelder den for?", "Is that right, and …")."""
    return bool(_ONLY_CONFIRMS.match(part))


def points_back(sentence: str) -> bool:
    """Whether a short question only points back to the sentence before it ("Kan du hjelpe
    meg med det?", "Har du det?", "Could you list them?"), or only asks for help with it
    ("Kan du hjelpe oss med datoen?", "Could you help?", "Kan du svare kort?")."""
    folded = words(fold(sentence))
    if ((_ASKS_FOR_HELP.match(sentence.strip()) or asks_what_to_answer(sentence))
            and len(folded) <= MAX_POINTING_WORDS):
        return True
    if only_points_back(sentence):
        return True
    return (len(folded) <= MAX_POINTING_WORDS
            and any(word in POINTING_WORDS for word in folded)
            and not any(word in QUESTION_WORDS for word in folded))


def wants_to_know(sentence: str) -> bool:
    """Whether a sentence asks by wanting to know whether or what ("… og lurer på om du kan
    gi meg …"); "fikk svar på det jeg lurte på om Notodden" asks nothing."""
    found = _WANTS_TO_KNOW.search(sentence)
    if found is None or words(fold(sentence[:found.start()]))[-2:-1] in (["det"], ["alt"]):
        return False  # "det jeg lurte på", "alt eg lurte på"
    rest = words(fold(sentence[found.end():]))
    return bool(rest) and (rest[0] in {"om", "whether", "if"} or rest[0] in QUESTION_WORDS)


def asks_what_to_answer(sentence: str) -> bool:
    """"Hva svarer jeg?", "What should I tell them?": the sentence before is the question."""
    return bool(_ASKS_WHAT_TO_ANSWER.match(sentence.strip()))


def asks_something(sentence: str) -> bool:
    """Whether a sentence asks, with a question mark or a question word ("… og lurer på hvem
    som er fylkesordfører"), not one the writer says they know ("… og nå vet jeg hvor jeg skal
    henvende meg")."""
    if "?" in sentence:
        return True
    parts = sentence.split()
    return any(_is_question_word(part) and not _known_by_the_writer(parts[:i])
               for i, part in enumerate(parts))


_KNOWING = frozenset({"vet", "veit", "know", "knew", "skjønner", "skjønar", "forstår",
                      "understand", "fant", "fann", "found"})
_WRITER = frozenset({"jeg", "eg", "i", "vi", "me", "we", "æ", "je"})


def _known_by_the_writer(before: list[str]) -> bool:
    """Whether the words before a question word say that the writer knows it ("jeg vet",
    "nå vet jeg", "now I know")."""
    last = words(fold(" ".join(before[-2:])))[-2:]
    return len(last) == 2 and ((last[0] in _WRITER and last[1] in _KNOWING)
                               or (last[0] in _KNOWING and last[1] in _WRITER))


def _is_question_word(part: str) -> bool:
    folded = words(fold(part))
    return bool(folded) and folded[0] in QUESTION_WORDS
