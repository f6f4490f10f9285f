"""Turning the engine's results into what a user reads: plain text and Telegram HTML.

Plain text serves the terminal chat and `ask --json`; HTML serves Telegram (bold titles,
escaped knowledge, phone numbers in +47 form so that Telegram makes them tappable).

An entry's reply is the same for every question it answers, but for the question's id in its
👍/👎 buttons: `AnswerCache` renders each entry's HTML (split to fit) and its keyboard once
per knowledge load, and the handlers fill in only the id. A reload gives a new knowledge base,
and the cache starts afresh.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.engine import Outcome, Result
from bot.knowledge import Entry, KnowledgeBase
from bot.person_request import person_reply
from bot.safety import SafetyMatch
from bot.texts import COUNCIL_WEBSITE, phone_with_year, say

TELEGRAM_LIMIT = 4096
_PHONE = re.compile(r"(?<![\d+])(?<!\+47 )(\d{2}) ?(\d{2}) ?(\d{2}) ?(\d{2})(?![\d])")
_SHORT_NUMBER = re.compile(r"(?<![\d+])(?<!\d )(1\d\d(?: \d{3})?|1412|02800)(?!\d)(?! \d)")


def checked_date(entry: Entry) -> str:
    """The entry's checked date as people write it in Norway: 28.11.2026 ("" if the date its
    sources were read is not recorded)."""
    return entry.checked.strftime("%d.%m.%Y") if entry.checked else ""


def source_line(entry: Entry, language: str, *, as_html: bool) -> str:
    """"Kilde: …" (or "Kilder: …") with the entry's web sources and, where recorded, the date
    they were read; "" when none of its sources is on the web (an old, unnamed source: the
    answer gives its year instead)."""
    urls = entry.source_urls
    if not urls:
        return ""
    label = say("source" if len(urls) == 1 else "sources", language)
    if as_html:
        links = ", ".join(f'<a href="{html.escape(url, quote=True)}">'
                          f"{html.escape(_short_address(url))}</a>" for url in urls)
        line = f"{html.escape(label)}: {links}"
    else:
        line = f"{label}: {', '.join(urls)}"
    if entry.checked:
        checked = say("checked", language, date=checked_date(entry))
        line += f" ({html.escape(checked) if as_html else checked})"
    return f"<i>{line}</i>" if as_html else line


def _short_address(url: str) -> str:
    """A web address as a link's label: no scheme, no www., and the host alone when the path
    is long (snl.no/Tinn, but notodden.kommune.no for the strategy plan's page)."""
    address = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    host, _, path = address.partition("/")
    return address if len(path) <= 24 else host


def shows_source(entry: Entry) -> bool:
    """Facts show where they come from; small talk ("Hei!") does not."""
    return entry.kind != "smalltalk"


def entry_plain(entry: Entry, language: str) -> str:
    """An entry as plain text: title, answer and source (small talk: the answer alone)."""
    if entry.kind == "smalltalk":
        return entry.answer_in(language)
    text = f"{entry.title_in(language)}\n\n{entry.answer_in(language)}"
    if shows_source(entry) and (line := source_line(entry, language, as_html=False)):
        text += f"\n\n{line}"
    return text


def entry_html(entry: Entry, language: str) -> str:
    """An entry as Telegram HTML: bold title, escaped answer, phone numbers in +47 form; small
    talk ("Hei!", "Takk!") is a reply, with no title."""
    answer = with_country_code(html.escape(entry.answer_in(language)))
    if entry.kind == "smalltalk":
        return answer
    title = html.escape(entry.title_in(language))
    text = f"<b>{title}</b>\n\n{answer}"
    if shows_source(entry) and (line := source_line(entry, language, as_html=True)):
        text += f"\n\n{line}"
    return text


MAX_FACT_SOURCES = 2


def fact_sources(result: Result) -> list[str]:
    """The web sources of a precise answer about one municipality worth showing: at most
    MAX_FACT_SOURCES addresses."""
    fact = result.fact
    if fact is None or fact.entry_id is None:
        return []
    return [source for source in fact.sources if source.startswith("http")][:MAX_FACT_SOURCES]


def fact_plain(result: Result) -> str:
    """A precise answer as plain text: the facts, then where they were read."""
    assert result.fact is not None
    text = result.fact.text
    if sources := fact_sources(result):
        text += f"\n\n{say('source', result.language)}: {', '.join(sources)}"
    return text


def fact_html(result: Result) -> str:
    """A precise answer as Telegram HTML: no title, the facts first, phone numbers tappable,
    the sources in italics."""
    assert result.fact is not None
    text = with_country_code(html.escape(result.fact.text, quote=False))
    if sources := fact_sources(result):
        label = html.escape(say("source", result.language))
        text += f"\n\n<i>{label}: {html.escape(', '.join(sources), quote=False)}</i>"
    return text


def safety_html(match: SafetyMatch) -> str:
    """The safety layer's reply as Telegram HTML: the emergency numbers in bold, eight-digit
    numbers in +47 form (tappable). No title: the number comes first."""
    text = html.escape(match.text(), quote=False)
    text = _SHORT_NUMBER.sub(lambda m: f"<b>{m.group(1)}</b>", text)
    return with_country_code(text)


def with_country_code(text: str) -> str:
    """Write Norwegian eight-digit numbers as +47 XX XX XX XX, which Telegram makes tappable."""
    return _PHONE.sub(lambda m: "+47 " + " ".join(m.groups()), text)


def unanswered_plain(result: Result, knowledge: KnowledgeBase, *, logged: bool) -> str:
    """The honest "I don't know yet", and where to turn meanwhile."""
    language = result.language
    lines = [say("unanswered", language)]
    if logged:
        lines[0] += " " + say("unanswered_logged", language)
    lines.append(where_to_turn(result, knowledge))
    return "\n\n".join(lines)


def where_to_turn(result: Result, knowledge: KnowledgeBase) -> str:
    """The named municipality's contact if one was named, otherwise the council's website."""
    language = result.language
    if result.municipality:
        entry = knowledge.municipality_entry(result.municipality, "contact")
        if entry and entry.contact:
            contact = entry.contact
            phone = phone_with_year(contact.phone, contact.phone_year, language)
            how = phone or contact.website or contact.email
            if phone and contact.website:
                how = f"{phone}, {contact.website}"
            return say("unanswered_municipality", language, name=contact.name, contact=how)
    return say("unanswered_council", language, website=COUNCIL_WEBSITE)


def suggestions_plain(result: Result) -> str:
    """"Did you mean …?" with the suggestions numbered."""
    lines = [say("suggest_intro", result.language)]
    for number, candidate in enumerate(result.suggestions, start=1):
        lines.append(f"{number}. {candidate.entry.title_in(result.language)}")
    return "\n".join(lines)


def result_plain(result: Result, knowledge: KnowledgeBase, *, logged: bool = False) -> str:
    """The full text a user would see for `result`, as plain text."""
    if result.is_safety_reply and result.safety is not None:
        return result.safety.text()
    if result.fact is not None:
        return fact_plain(result)
    if result.wants_person:
        return person_reply(knowledge, result.language, result.municipality, offer=False)
    if result.outcome is Outcome.ANSWERED and result.entry:
        return "\n\n".join(
            entry_plain(entry, result.language)
            for entry in (result.entry, *(candidate.entry for candidate in result.also))
        )
    if result.outcome is Outcome.SUGGESTED:
        return suggestions_plain(result)
    return unanswered_plain(result, knowledge, logged=logged)


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split text into pieces of at most `limit` characters, at paragraph or line breaks."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


Keyboard = TypeVar("Keyboard")


@dataclass(frozen=True)
class RenderedEntry(Generic[Keyboard]):
    """An entry's reply in one language: HTML pieces that fit Telegram, and the keyboard as
    the caller lays it out (without the question's id)."""

    entry: Entry
    pieces: tuple[str, ...]
    keyboard: Keyboard


class AnswerCache(Generic[Keyboard]):
    """Each entry's reply rendered once per knowledge load (see the module docstring).

    `layout(entry, knowledge, language)` builds the part of the keyboard that does not depend
    on the question. Only entries of the cached knowledge base are kept: another entry (one
    changed in a test, say) is rendered afresh each time.
    """

    def __init__(self, layout: Callable[[Entry, KnowledgeBase, str], Keyboard]) -> None:
        self.layout = layout
        self._knowledge: KnowledgeBase | None = None
        self._rendered: dict[tuple[str, str], RenderedEntry[Keyboard]] = {}

    def get(self, knowledge: KnowledgeBase, entry: Entry, language: str) -> RenderedEntry[Keyboard]:
        """`entry` rendered in `language`, from the cache if it holds it for `knowledge`."""
        if knowledge is not self._knowledge:
            self._knowledge = knowledge
            self._rendered = {}
        key = (entry.id, language)
        rendered = self._rendered.get(key)
        if rendered is not None and rendered.entry is entry:
            return rendered
        rendered = RenderedEntry(entry, tuple(split_message(entry_html(entry, language))),
                                 self.layout(entry, knowledge, language))
        if knowledge.entries.get(entry.id) is entry:
            self._rendered[key] = rendered
        return rendered
