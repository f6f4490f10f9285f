"""A resident asking for a person: "kan jeg snakke med et menneske", "talk to a human", "ring meg".

The words that show it are data, `knowledge/followup.yaml`, written as the safety layer's terms
are (`bot.terms`: `@group` for any word of a group, `a|b`, `...`, misspellings of long words
found). The file is validated by `python -m bot check` with the rest of the knowledge base.
`exceptions` take a message back: "snakker jeg med et menneske?" asks whether the bot is one
(the small talk answers it), not for a person.

The engine asks `PersonRequests.asks_for_person` after the safety layer (an emergency is never
a request for a person) and before any matching, so that "ring meg" is not answered with a
contact card and no way to a person. The reply (`reply` in the file) says what the bot can and
cannot do; the Telegram handler adds the right contact and offers an answer from the editors
in the same chat (`bot.followup`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge import (
    Contact,
    KnowledgeBase,
    Problem,
    checked_date,
    line_of,
    pick,
    read_yaml,
    texts_of,
)
from bot.terms import (
    Term,
    Vocabulary,
    groups_in,
    message_words,
    occurrences,
    terms_in,
)
from bot.texts import phone_with_year, say

FILE_KEYS = {"groups", "terms", "exceptions", "reply", "source", "checked"}
COUNCIL_CONTACT = "contact.council"


@dataclass(frozen=True)
class PersonRequestData:
    """followup.yaml as loaded: the terms that show a request for a person, the exceptions,
    and the reply."""

    terms: tuple[Term, ...] = ()
    exceptions: tuple[Term, ...] = ()
    reply: dict[str, str] = field(default_factory=dict)
    source: str = ""
    checked: dt.date | None = None

    def reply_in(self, language: str) -> str:
        """The reply in `language` (nynorsk falling back to bokmål)."""
        return pick(self.reply, language) if self.reply else ""


class PersonRequests:
    """Recognises a request for a person in a message."""

    def __init__(self, data: PersonRequestData) -> None:
        self.data = data
        patterns = [p for term in (*data.terms, *data.exceptions) for p in term.patterns]
        self._vocabulary = Vocabulary(patterns, frozenset())

    def asks_for_person(self, text: str) -> bool:
        """Whether `text` asks to reach a person (and no exception takes it back)."""
        if not self.data.terms:
            return False
        fits = [self._vocabulary.match(word) for word in message_words(text)]
        if not any(fits):
            return False
        found = any(next(iter(occurrences(term, fits)), None) is not None
                    for term in self.data.terms)
        if not found:
            return False
        return not any(next(iter(occurrences(term, fits)), None) is not None
                       for term in self.data.exceptions)


def person_reply(
    knowledge: KnowledgeBase, language: str, municipality: str | None, *, offer: bool
) -> str:
    """The reply to a request for a person, as plain text: what the bot can and cannot do, the
    contact of the municipality the message named (else the council's), and, with `offer`,
    that the editors can answer here (the button comes with it)."""
    data = knowledge.person_requests or PersonRequestData()
    parts = [data.reply_in(language)] if data.reply else []
    contact = _contact_of(knowledge, municipality)
    if contact is not None:
        parts.append(say("person_contact", language, name=contact.name,
                         contact=_how_to_reach(contact, language)))
    if offer:
        parts.append(say("person_offer", language))
    return "\n\n".join(parts)


def _contact_of(knowledge: KnowledgeBase, municipality: str | None) -> Contact | None:
    """The named municipality's contact card, else the council's."""
    entry = knowledge.municipality_entry(municipality, "contact") if municipality else None
    if entry is None or entry.contact is None:
        entry = knowledge.entries.get(COUNCIL_CONTACT)
    return entry.contact if entry is not None else None


def _how_to_reach(contact: Contact, language: str) -> str:
    """Phone (with its year when old), e-mail and website, as far as they are known."""
    phone = phone_with_year(contact.phone, contact.phone_year, language)
    return ", ".join(part for part in (phone, contact.email, contact.website) if part)


def load_person_requests(path: Path, problems: list[Problem]) -> PersonRequestData:
    """Load and validate followup.yaml; every problem goes to `problems` with its line. A
    missing file is no problem: then nothing is read as a request for a person."""
    name = str(path)
    if not path.exists():
        return PersonRequestData()
    data = read_yaml(path, problems)
    if data is None:
        return PersonRequestData()
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "the file must be a mapping with 'terms' and 'reply'"))
        return PersonRequestData()

    def report(key: str, message: str) -> None:
        problems.append(Problem(name, line_of(data, key), message))

    for key in data:
        if key not in FILE_KEYS:
            report(key, f"unknown top-level key '{key}' (known: {', '.join(sorted(FILE_KEYS))})")
    groups = groups_in(data, lambda _where, _key, message: report("groups", message))
    terms = terms_in(data, "terms", "", groups, report)
    if not terms:
        report("terms", "'terms' must list at least one word or phrase that asks for a person")
    exceptions = terms_in(data, "exceptions", "", groups, report)
    reply = texts_of(data, "reply", "followup.yaml", report)
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        report("source", "'source' is required: where what the reply says was read")
        source = ""
    checked = checked_date(data, "followup.yaml", report)
    return PersonRequestData(terms, exceptions, reply, source.strip(), checked)


