"""The resident's side of an answer from the editors: the consent button, /glem, and 👍/👎.

"Vil du ha svar fra redaksjonen her?" comes with "I don't know yet", with "Ingen av disse"
and with the reply to a request for a person, in private chats only, never with an emergency
or crisis reply. The press is acted on only for the person who asked (`handlers/buttons.py`
checks first) and only in a private chat; the chat stored is the one the press came from.
/glem (/forget) deletes the chat's consents at once. What is kept and for how long:
`bot.followup`.
"""

from __future__ import annotations

import contextlib
import html

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import callbacks
from bot.followup import Consent
from bot.services import services
from bot.texts import say
from handlers.common import answer_query, client_language, record_vote


def offered_in(chat: Chat | None) -> bool:
    """Whether the follow-up is offered in `chat`: private chats only."""
    return chat is not None and chat.type == ChatType.PRIVATE


def followup_keyboard(language: str, question_ref: int | None) -> InlineKeyboardMarkup | None:
    """The one consent button for logged question `question_ref` (None: nothing logged)."""
    if question_ref is None:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(
        say("followup_offer", language),
        callback_data=callbacks.encode("followup", language, extra=str(question_ref)),
    )]])


def answer_keyboard(language: str, question_ref: int) -> InlineKeyboardMarkup:
    """👍/👎 under the editors' answer to `question_ref`."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("👍", callback_data=callbacks.encode(
            "answer_feedback", language, extra=f"+{question_ref}")),
        InlineKeyboardButton("👎", callback_data=callbacks.encode(
            "answer_feedback", language, extra=f"-{question_ref}")),
    ]])


async def consent(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """The asker pressed "Vil du ha svar fra redaksjonen her?": store the consent for this
    chat, take the button away and say plainly what is kept and how to withdraw."""
    query = update.callback_query
    chat = update.effective_chat
    language = pressed.language
    if not offered_in(chat) or pressed.question_ref is None:
        await answer_query(update, context, say("followup_not_possible", language), show_alert=True)
        return
    followups = services(context).followups
    result = await followups.consent(pressed.question_ref, chat.id)
    if result in (Consent.NOT_ELIGIBLE, Consent.UNKNOWN):
        await answer_query(update, context, say("followup_not_possible", language), show_alert=True)
        return
    await answer_query(update, context)
    with contextlib.suppress(BadRequest):  # too old to edit: the confirmation is enough
        await query.edit_message_reply_markup(reply_markup=None)
    if result is Consent.ALREADY:
        text = say("followup_already", language)
    else:
        text = say("followup_consented", language, days=str(followups.max_days))
    await context.bot.send_message(chat_id=chat.id, text=html.escape(text, quote=False))


async def answer_feedback(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """👍/👎 on the editors' answer: recorded on the question, given once."""
    query = update.callback_query
    await record_vote(update, context, pressed)
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/glem, /forget: delete this chat's consents (and with them its chat id) at once."""
    chat = update.effective_chat
    deleted = await services(context).followups.withdraw(chat.id)
    text = say("forget_done" if deleted else "forget_nothing", client_language(update))
    await update.effective_message.reply_text(html.escape(text, quote=False))
