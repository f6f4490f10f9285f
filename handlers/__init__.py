"""Telegram handlers, one module per concern, registered in one ordered place."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import (
    browse,
    buttons,
    contacts,
    errors,
    inline,
    media,
    questions,
    start,
    throttle,
)

NOT_TEXT = (
    filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
    | filters.VIDEO_NOTE | filters.LOCATION | filters.VENUE | filters.Document.ALL
    | filters.CONTACT | filters.ANIMATION | filters.POLL | filters.Dice.ALL
)


def register(application: Application) -> None:
    """Add every handler, in the order they are tried."""
    private = filters.ChatType.PRIVATE
    application.add_handler(TypeHandler(Update, throttle.throttle), group=-1)
    application.add_handlers([
        CommandHandler("start", start.start),
        CommandHandler(["hjelp", "help"], start.help_command),
        CommandHandler(["om", "about"], start.about),
        CommandHandler(["kommuner", "municipalities"], browse.municipalities),
        CommandHandler(["satsinger", "focus"], browse.focus_areas),
        CommandHandler(["kontakt", "contact"], contacts.contact),
        CallbackQueryHandler(buttons.button),
        InlineQueryHandler(inline.inline_query),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, questions.private_text),
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
                       questions.group_text),
        MessageHandler(private & filters.COMMAND, media.unknown_command),
        MessageHandler(private & NOT_TEXT, media.not_text),
    ])
    application.add_error_handler(errors.on_error)
