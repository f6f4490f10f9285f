"""Button presses: open an entry, pick a suggestion, "none of these", feedback, contact card,
and the consent to an answer from the editors (`handlers/followup.py`).

Every press is decoded and validated first (`bot.callbacks`); a stale or forged press gets a
polite answerCallbackQuery and nothing else. A pick, "none of these" or 👍/👎 names a logged
question, and only the person who asked it can press them: anyone else (in a group, or with
forged button data) gets a short polite answer, and the question log is written with the
presser's user hash, so that it changes no one else's question even if this check is passed.
"""

from __future__ import annotations

import contextlib
import html

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import callbacks
from bot.render import entry_html, split_message
from bot.services import services
from bot.texts import say
from bot.vcard import vcard
from handlers import followup
from handlers.common import (
    answer_query,
    client_language,
    entry_keyboard,
    record_vote,
    reply_entry,
)

QUESTION_ACTIONS = ("pick", "none", "feedback", "followup", "answer_feedback")
NO_ENTRY_ACTIONS = ("none", "followup", "answer_feedback")


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Dispatch a button press by its action."""
    query = update.callback_query
    pressed = callbacks.decode(query.data)
    knowledge = services(context).engine.knowledge
    entry = knowledge.entries.get(pressed.entry_id) if pressed else None
    if pressed is None or (entry is None and pressed.action not in NO_ENTRY_ACTIONS):
        await answer_query(update, context, say("stale_button", client_language(update)))
        return
    if pressed.action in QUESTION_ACTIONS and not await _from_asker(update, context, pressed):
        return
    handler = {
        "open": _open, "pick": _pick, "none": _none, "card": _card, "feedback": _feedback,
        "followup": followup.consent, "answer_feedback": followup.answer_feedback,
    }[pressed.action]
    await handler(update, context, pressed)


async def _from_asker(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> bool:
    """Whether the press comes from the person who asked its question; if not, answer it
    politely and say False. Presses naming no question (👍/👎 on an entry opened from a
    menu) pass: they change nothing in the log."""
    question_ref = pressed.question_ref
    if question_ref is None:
        return True
    user = update.effective_user
    asker = None
    if user is not None:
        asker = await services(context).question_log.is_asker(question_ref, user.id)
    if asker:
        return True
    text = say("only_asker" if asker is False else "stale_button", client_language(update))
    await answer_query(update, context, text)
    return False


async def _open(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    knowledge = services(context).engine.knowledge
    await answer_query(update, context)
    if update.effective_message is None:
        return
    await reply_entry(update.effective_message, knowledge.entries[pressed.entry_id], knowledge,
                      pressed.language, feedback=False)


async def _pick(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """A chosen suggestion: answer it in place of the "Mente du …?" message."""
    knowledge = services(context).engine.knowledge
    entry = knowledge.entries[pressed.entry_id]
    query = update.callback_query
    await answer_query(update, context)
    services(context).record_choice(pressed.question_ref, entry.id, update.effective_user.id)
    text = split_message(entry_html(entry, pressed.language))[0]
    keyboard = entry_keyboard(entry, knowledge, pressed.language, pressed.question_ref)
    await _edit(query, text, keyboard)


async def _none(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """None of the suggestions fitted: say so honestly, record it, and in a private chat
    offer an answer from the editors."""
    query = update.callback_query
    await answer_query(update, context)
    services(context).record_choice(pressed.question_ref, None, update.effective_user.id)
    keyboard = None
    if followup.offered_in(update.effective_chat):
        keyboard = followup.followup_keyboard(pressed.language, pressed.question_ref)
    await _edit(query, html.escape(say("none_thanks", pressed.language)), keyboard)


async def _feedback(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """👍/👎: thank, record, and drop the feedback row so it is given once."""
    query = update.callback_query
    await record_vote(update, context, pressed)
    knowledge = services(context).engine.knowledge
    keyboard = entry_keyboard(knowledge.entries[pressed.entry_id], knowledge, pressed.language,
                              feedback=False)
    with contextlib.suppress(BadRequest):  # too old to edit, or unchanged: thanks is enough
        await query.edit_message_reply_markup(reply_markup=keyboard)


async def _card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """Send the entry's contact as a real Telegram contact with a vCard."""
    entry = services(context).engine.knowledge.entries[pressed.entry_id]
    contact = entry.contact
    if contact is None or not contact.phone:
        await answer_query(update, context, say("no_contact_card", pressed.language))
        return
    await answer_query(update, context)
    await context.bot.send_contact(
        chat_id=update.effective_chat.id,
        phone_number=contact.phone_e164,
        first_name=contact.name,
        vcard=vcard(contact),
    )


async def _edit(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
