"""/kontakt /contact [name]: a municipality's or the council's contact details."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.services import services
from bot.texts import say
from handlers.common import client_language, open_button, reply_entry, rows

COUNCIL_CONTACT = "contact.council"


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """With a name, that municipality's contact; without, the council's and a choice."""
    engine = services(context).engine
    knowledge = engine.knowledge
    language = client_language(update)
    message = update.effective_message
    name = " ".join(context.args or []).strip()
    if not name:
        await reply_entry(message, knowledge.entries[COUNCIL_CONTACT], knowledge, language,
                          feedback=False)
        return
    named = engine.municipalities_named(name)
    entry = knowledge.municipality_entry(named[0], "contact") if len(named) == 1 else None
    if entry is not None:
        await reply_entry(message, entry, knowledge, language, feedback=False)
        return
    choices = [e for e in knowledge.entries.values() if e.kind == "contact"]
    await message.reply_text(
        say("contact_unknown", language, name=html.escape(name[:60])),
        reply_markup=InlineKeyboardMarkup(rows([open_button(e, language) for e in choices])),
    )
