"""The command menus Telegram shows: public ones in bokmål and English, and the editors' own,
set in each editor's chat only."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

log = logging.getLogger(__name__)

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("start", "Start og hovedmeny"),
        ("hjelp", "Hva jeg kan svare på"),
        ("kommuner", "Medlemskommunene"),
        ("satsinger", "Satsingsområdene"),
        ("kontakt", "Kontaktinformasjon, f.eks. /kontakt tinn"),
        ("om", "Om Regionrådet for Kongsbergregionen"),
        ("glem", "Trekk tilbake ønsket om svar fra redaksjonen"),
    ],
    "en": [
        ("start", "Start and main menu"),
        ("help", "What I can answer"),
        ("municipalities", "The member municipalities"),
        ("focus", "The focus areas"),
        ("contact", "Contact details, e.g. /contact tinn"),
        ("about", "About the regional council"),
        ("forget", "Withdraw a request for an answer from the editors"),
    ],
}
# Shown only in editors' own chats (BotCommandScopeChat), after the public commands.
EDITOR_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("ubesvart", "Redaksjon: ubesvarte spørsmål, f.eks. /ubesvart 7"),
        ("statistikk", "Redaksjon: statistikk med graf"),
        ("eksport", "Redaksjon: spørsmålsloggen som CSV, f.eks. /eksport 30"),
        ("oppdater", "Redaksjon: last kunnskapsbasen på nytt"),
    ],
    "en": [
        ("unanswered", "Editors: unanswered questions, e.g. /unanswered 7"),
        ("stats", "Editors: statistics with a chart"),
        ("export", "Editors: the question log as CSV, e.g. /export 30"),
        ("reload", "Editors: reload the knowledge base"),
    ],
}


async def register_public_menus(bot: Bot) -> None:
    """The public command menus, in bokmål and, for English-language clients, English."""
    await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS["nb"]])
    await bot.set_my_commands(
        [BotCommand(name, text) for name, text in COMMANDS["en"]], language_code="en"
    )


async def register_editor_menus(bot: Bot, editor_id: int) -> bool:
    """Public and editors' commands in one editor's chat only; False if Telegram refused
    (the editor has not started a chat with the bot yet: /oppdater sets them later)."""
    scope = BotCommandScopeChat(chat_id=editor_id)
    try:
        for language, code in (("nb", None), ("en", "en")):
            commands = COMMANDS[language] + EDITOR_COMMANDS[language]
            await bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands], scope=scope,
                language_code=code,
            )
    except TelegramError as error:
        log.warning("Could not set the editors' command menu for an editor: %s", error)
        return False
    return True
