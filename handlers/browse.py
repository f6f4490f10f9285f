"""/kommuner /municipalities and /satsinger /focus: browse by buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.services import services
from handlers.common import client_language, reply_entry

MEMBERS_ENTRY = "council.members"
FOCUS_ENTRY = "council.focus_areas"


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, entry_id: str) -> None:
    knowledge = services(context).engine.knowledge
    await reply_entry(update.effective_message, knowledge.entries[entry_id], knowledge,
                      client_language(update), feedback=False)


async def municipalities(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The member municipalities, each a button to its card."""
    await _show(update, context, MEMBERS_ENTRY)


async def focus_areas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The five focus areas, each a button to its explanation."""
    await _show(update, context, FOCUS_ENTRY)
