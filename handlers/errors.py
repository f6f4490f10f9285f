"""The error handler: log the traceback, apologise to the user, keep the bot running.

No apology after a reply timed out (Telegram may have delivered it: the apology would be a
second, contradicting message) or after Telegram kept answering 429 (one more message is the
last thing it wants).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot.texts import say
from handlers.common import client_language

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what went wrong and send a short apology where there is someone to send it to."""
    if isinstance(context.error, TimedOut | RetryAfter):
        log.warning("Telegram did not confirm a reply (%s); no apology sent",
                    context.error)
        return
    log.error("Error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(say("apology", client_language(update)))
        return
    try:
        await context.bot.send_message(
            chat_id=update.effective_chat.id, text=say("apology", client_language(update))
        )
    except TelegramError:
        log.warning("Could not send the apology either")
