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
    editors,
    emergency_first,
    errors,
    followup,
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
    """Add every handler, in the order they are tried.

    Editors' commands pass only for editors in a private chat; for anyone else they fall
    through to the unknown-command reply, as any unknown command does. Editors' commands,
    buttons and texts do not block (`block=False`): the bot handles one update at a time, and
    a review list or an export must not make residents wait for it. The flood guard comes
    first (group -2), then an emergency beside a command or in a caption (group -1), which
    stops every other handler when it answers.
    """
    private = filters.ChatType.PRIVATE
    editor = editors.editor_filter(application)
    application.add_handler(TypeHandler(Update, throttle.throttle), group=-2)
    application.add_handler(
        MessageHandler(emergency_first.BESIDE, emergency_first.emergency_first), group=-1)
    application.add_handlers([
        CommandHandler("start", start.start),
        CommandHandler(["hjelp", "help"], start.help_command),
        CommandHandler(["om", "about"], start.about),
        CommandHandler(["kommuner", "municipalities"], browse.municipalities),
        CommandHandler(["satsinger", "focus"], browse.focus_areas),
        CommandHandler(["kontakt", "contact"], contacts.contact),
        CommandHandler(["glem", "forget"], followup.forget, filters=private),
        CommandHandler(["ubesvart", "unanswered"], editors.unanswered, filters=editor,
                       block=False),
        CommandHandler(["statistikk", "stats"], editors.statistics, filters=editor, block=False),
        CommandHandler(["eksport", "export"], editors.export_log, filters=editor, block=False),
        CommandHandler(["oppdater", "reload"], editors.reload_knowledge, filters=editor,
                       block=False),
        CallbackQueryHandler(editors.button, pattern=editors.BUTTON_PATTERN, block=False),
        CallbackQueryHandler(buttons.button),
        InlineQueryHandler(inline.inline_query),
        MessageHandler(editor & editors.AwaitingText(application) & filters.TEXT
                       & ~filters.COMMAND, editors.awaited_text, block=False),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, questions.private_text),
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND,
                       questions.group_text),
        MessageHandler(private & filters.COMMAND, media.unknown_command),
        MessageHandler(private & NOT_TEXT, media.not_text),
    ])
    application.add_error_handler(errors.on_error)
    editors.schedule_digest(application)
