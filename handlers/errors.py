"""The error handler: log what went wrong, apologise to the user, keep the bot running.

No apology after a reply timed out (Telegram may have delivered it: the apology would be a
second, contradicting message), after Telegram kept answering 429 (one more message is the
last thing it wants), or after Telegram could not be reached (the apology would fail the same
way, and hold up the next update while it does): those are one WARNING line, no traceback.
A button press is answered once: if the action answered it before it failed, the apology is a
message in the chat instead of a second answer Telegram would refuse. Whatever goes wrong
while apologising is logged, never raised.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.texts import say
from handlers.common import answer_query, client_language, was_answered

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what went wrong and send a short apology where there is someone to send it to."""
    error = context.error
    if isinstance(error, TimedOut | RetryAfter):
        log.warning("Telegram did not confirm a reply (%s); no apology sent", error)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        log.warning("Telegram could not be reached while handling %s (%s: %s); no apology sent",
                    _which(update), type(error).__name__, error.message)
        return
    log.error("Error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await _apologise(update, context)
    except Exception as failure:  # an apology must never raise out of the error handler
        log.warning("Could not send the apology either (%s: %s)", type(failure).__name__,
                    failure)


async def _apologise(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer an unanswered button press with the apology; otherwise say it in the chat."""
    text = say("apology", client_language(update))
    query = update.callback_query
    if query is not None and not was_answered(context, query.id):
        await answer_query(update, context, text)
        return
    await context.bot.send_message(chat_id=update.effective_chat.id, text=text)


def _which(update: object) -> str:
    """"update 123" (no user data), or "a poll" when there is no update."""
    if isinstance(update, Update):
        return f"update {update.update_id}"
    return "a poll for updates" if update is None else "an update"
