"""Photos, stickers, voice, locations, documents: the bot reads text, and says so."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.texts import say
from handlers.common import client_language


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply that only text is read."""
    await update.effective_message.reply_text(say("text_only", client_language(update)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have: point to /hjelp."""
    await update.effective_message.reply_text(say("unknown_command", client_language(update)))
