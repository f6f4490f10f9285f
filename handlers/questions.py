"""Free-text questions: answered, "Mente du …?" with buttons, or an honest "I don't know".

"I don't know" (and a request for a person) offers, in private chats, an answer from the
editors in the same chat (`handlers/followup.py`); an emergency or crisis reply never does.

An edited message is a question asked again only if its first version got no confident answer
(it was throttled, not addressed to the bot, met with "Mente du …?" or "I don't know"); an
edit of an answered message (a typo fixed) is left alone. Either way the question is logged
once: the edit's answer updates the row its first version got.

Replies go through the outbox (`bot.delivery.Outbox`): a reply Telegram cannot take for a
while is sent again, for up to `delivery.retry_window_seconds`, without holding up other chats.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.ext import ContextTypes

from bot import callbacks
from bot.engine import Outcome, Result
from bot.facts import Topic
from bot.person_request import person_reply
from bot.render import (
    fact_html,
    safety_html,
    suggestions_plain,
    unanswered_plain,
    with_country_code,
)
from bot.services import Services, services
from bot.storage import CONFIDENT_OUTCOMES
from bot.texts import say
from handlers.common import client_language, fact_keyboard, reply_entry
from handlers.followup import followup_keyboard, offered_in

TOPIC_KEY = "fact_topic"
TOPIC_SECONDS = 600


def suggestion_keyboard(result: Result, question_ref: int | None) -> InlineKeyboardMarkup:
    """One button per suggestion, then "none of these"."""
    ref = str(question_ref or "")
    language = result.language
    buttons = [
        [InlineKeyboardButton(
            candidate.entry.title_in(language),
            callback_data=callbacks.encode("pick", language, candidate.entry.id, ref),
        )]
        for candidate in result.suggestions
    ]
    buttons.append([InlineKeyboardButton(
        say("none_of_these", language), callback_data=callbacks.encode("none", language, extra=ref)
    )])
    return InlineKeyboardMarkup(buttons)


async def answer_question(
    message: Message, context: ContextTypes.DEFAULT_TYPE, text: str, hint: str | None
) -> None:
    """Ask the engine and reply according to its outcome.

    The whole text goes on: the engine reads at most `matching.max_question_chars` of it, and
    the question log masks it whole before it cuts it (`bot.privacy.mask`), so a number at the
    cut is never stored in part."""
    bot_services = services(context)
    engine = bot_services.engine
    earlier = None
    if message.edit_date is not None:
        earlier = await bot_services.question_log.earlier_answer(message.chat.id,
                                                                 message.message_id)
        if earlier is not None and earlier[1] in CONFIDENT_OUTCOMES:
            return
    result = engine.ask(text, language_hint=hint, topic=_topic(context))
    if result.fact is not None and result.fact.topic is not None and context.chat_data is not None:
        context.chat_data[TOPIC_KEY] = (result.fact.topic, time.monotonic())
    question_ref = _log_once(bot_services, result, message, earlier)
    reply = bot_services.outbox.replies_to(message) if bot_services.outbox else message
    if result.is_safety_reply and result.safety is not None:
        # Numbers first, nothing to press: no button pushes the person elsewhere.
        await reply.reply_text(safety_html(result.safety))
    elif result.wants_person:
        offer = offered_in(message.chat)
        text = person_reply(engine.knowledge, result.language, result.municipality, offer=offer)
        await reply.reply_text(
            with_country_code(_escape(text)),
            reply_markup=followup_keyboard(result.language, question_ref) if offer else None,
        )
    elif result.fact is not None:
        keyboard = fact_keyboard(result, engine.knowledge, question_ref)
        if result.outcome is Outcome.UNANSWERED and offered_in(message.chat):
            keyboard = _with_followup(keyboard, result.language, question_ref)
        await reply.reply_text(fact_html(result), reply_markup=keyboard)
    elif result.outcome is Outcome.ANSWERED and result.entry is not None:
        for entry in (result.entry, *(candidate.entry for candidate in result.also)):
            await reply_entry(reply, entry, engine.knowledge, result.language,  # type: ignore[arg-type]
                              question_ref)
    elif result.outcome is Outcome.SUGGESTED:
        await reply.reply_text(
            _escape(suggestions_plain(result)),
            reply_markup=suggestion_keyboard(result, question_ref),
        )
    else:
        keyboard = followup_keyboard(result.language, question_ref)
        await reply.reply_text(
            _escape(unanswered_plain(result, engine.knowledge, logged=True)),
            reply_markup=keyboard if offered_in(message.chat) else None,
        )


def _with_followup(
    keyboard: InlineKeyboardMarkup | None, language: str, question_ref: int
) -> InlineKeyboardMarkup | None:
    """`keyboard` with the consent button added above it (the button alone without one)."""
    offer = followup_keyboard(language, question_ref)
    if keyboard is None or offer is None:
        return offer or keyboard
    return InlineKeyboardMarkup([*offer.inline_keyboard, *keyboard.inline_keyboard])


def _log_once(
    bot_services: Services, result: Result, message: Message, earlier: tuple[int, str] | None
) -> int:
    """Log the question (a new row, or for an edit the row of its first version); its id."""
    if earlier is None:
        return bot_services.record_question(result, message)
    bot_services.record_reasked(earlier[0], result)
    return earlier[0]


def _topic(context: ContextTypes.DEFAULT_TYPE) -> Topic | None:
    """The chat's last precise answer's topic, for ten minutes (in memory only), so that "og
    Tinn da?" is read as the same question about Tinn."""
    return current_topic(context.chat_data)


def current_topic(chat_data: Mapping[str, Any] | None) -> Topic | None:
    """The topic stored in a chat's data, while it is fresh (see `_topic`)."""
    stored = (chat_data or {}).get(TOPIC_KEY)
    if stored is None or time.monotonic() - stored[1] > TOPIC_SECONDS:
        return None
    return stored[0]


def planned_question(update: Update) -> tuple[int, str, str | None] | None:
    """The chat id, text and language hint `private_text` would ask the engine with, for a
    new text message in a private chat (not a command); None for any other update. Used to
    answer ahead (`bot.ahead`): a miss only costs the answer being made in the bot's own
    process."""
    message = update.message
    chat = message.chat if message is not None else None
    text = message.text if message is not None else None
    if (chat is None or not isinstance(text, str) or not text or text.startswith("/")
            or chat.type != ChatType.PRIVATE):
        return None
    return chat.id, text, _hint(update)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message in a private chat: always a question."""
    message = update.effective_message
    await answer_question(message, context, message.text or "", _hint(update))


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message in a group: answered only when it mentions or replies to the bot."""
    message = update.effective_message
    username = context.bot.username or ""
    mentioned = any(
        entity.type == MessageEntityType.MENTION
        and message.parse_entity(entity).lstrip("@").lower() == username.lower()
        for entity in message.entities
    )
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == context.bot.id
    )
    if not (mentioned or replied) or message.chat.type == ChatType.PRIVATE:
        return
    text = re.sub(rf"@{re.escape(username)}\b", " ", message.text or "", flags=re.IGNORECASE)
    await answer_question(message, context, text, _hint(update))


def _hint(update: Update) -> str | None:
    return client_language(update) if update.effective_user else None
