"""Inline mode: `@bot <name or question>` in any chat offers contacts first, then answers."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultContact,
    InputTextMessageContent,
    Update,
)
from telegram.ext import ContextTypes

from bot.knowledge import Entry
from bot.render import entry_html, split_message
from bot.services import services
from bot.vcard import vcard
from handlers.common import client_language

MAX_RESULTS = 10
CACHE_SECONDS = 300


def inline_result(
    entry: Entry, language: str
) -> InlineQueryResultArticle | InlineQueryResultContact:
    """A contact result where there is a phone number, otherwise an article with the answer."""
    contact = entry.contact
    if contact is not None and contact.phone:
        return InlineQueryResultContact(
            id=entry.id, phone_number=contact.phone_e164, first_name=contact.name,
            vcard=vcard(contact),
        )
    answer = entry.answer_in(language)
    return InlineQueryResultArticle(
        id=entry.id,
        title=entry.title_in(language),
        description=answer[:120],
        input_message_content=InputTextMessageContent(
            split_message(entry_html(entry, language))[0]
        ),
    )


def _contacts_first(entries: list[Entry]) -> list[Entry]:
    def phone_first(entry: Entry) -> int:
        return 0 if entry.contact is not None and entry.contact.phone else 1

    return sorted(entries, key=phone_first)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an inline query with up to 10 results; an empty query lists the municipalities."""
    query = update.inline_query
    engine = services(context).engine
    knowledge = engine.knowledge
    language = client_language(update)
    text = query.query.strip()
    if not text:
        entries = _contacts_first(
            [e for e in knowledge.entries.values() if e.kind == "contact" and e.municipality]
        )
    else:
        found = [candidate.entry for candidate in engine.search(text, limit=MAX_RESULTS * 2)]
        named = engine.municipalities_named(text)
        for key in named:
            for kind in ("contact", "municipality"):
                entry = knowledge.municipality_entry(key, kind)
                if entry is not None and entry not in found:
                    found.append(entry)
        entries = _contacts_first(found)
    results = [inline_result(entry, language) for entry in entries[:MAX_RESULTS]]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)
