"""/start (with deep links), /hjelp /help and /om /about."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.services import services
from bot.texts import say
from handlers.common import client_language, reply_entry, rows

ABOUT_ENTRY = "council.about"
MENU = (
    ("menu_municipalities", "council.members"),
    ("menu_focus", "council.focus_areas"),
    ("menu_contact", "contact.council"),
    ("menu_about", ABOUT_ENTRY),
    ("menu_emergency", "emergency.overview"),
)


def deep_link_entry_id(payload: str) -> str:
    """Deep links carry entry ids with '-' for '.', since Telegram allows no dots there."""
    return payload.replace("-", ".")


def main_menu(language: str, known: dict) -> InlineKeyboardMarkup:
    """The main menu buttons, for the entries the knowledge base has."""
    buttons = [
        InlineKeyboardButton(say(text_key, language),
                             callback_data=callbacks.encode("open", language, entry_id))
        for text_key, entry_id in MENU
        if entry_id in known
    ]
    return InlineKeyboardMarkup(rows(buttons))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, say what the bot knows, show the main menu; or open a deep-linked entry."""
    message = update.effective_message
    language = client_language(update)
    knowledge = services(context).engine.knowledge
    if context.args:
        entry = knowledge.entries.get(deep_link_entry_id(context.args[0]))
        if entry is not None:
            await reply_entry(message, entry, knowledge, language)
            return
    user = update.effective_user
    name = f", {html.escape(user.first_name)}" if user and user.first_name else ""
    await message.reply_text(
        say("start", language, name=name), reply_markup=main_menu(language, knowledge.entries)
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what the bot can answer and its commands."""
    language = client_language(update)
    username = html.escape(context.bot.username or "bot")
    await update.effective_message.reply_text(
        say("help", language, bot=username),
        reply_markup=main_menu(language, services(context).engine.knowledge.entries),
    )


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the regional council is."""
    knowledge = services(context).engine.knowledge
    entry = knowledge.entries[ABOUT_ENTRY]
    await reply_entry(update.effective_message, entry, knowledge, client_language(update),
                      feedback=False)
