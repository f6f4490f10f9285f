"""What several handlers share: the user's language, entry keyboards, sending an entry,
answering a button press once."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from bot import callbacks
from bot.engine import Outcome, Result
from bot.knowledge import Entry, KnowledgeBase
from bot.render import AnswerCache
from bot.services import services
from bot.texts import say

BUTTONS_PER_ROW = 2
ANSWERED_KEY = "answered_callback_queries"
# Callback queries answered lately, remembered until the error handler may ask about them:
# a handful are in flight at a time, so a thousand is plenty.
MAX_ANSWERED_REMEMBERED = 1000
MAX_RELATED_BUTTONS = 8
BROWSE_CHILDREN = {
    "council.members": "municipality",
    "council.focus_areas": "focus_area",
    "contact.council": "contact",
}


def browse_choices(entry: Entry, knowledge: KnowledgeBase) -> list[Entry] | None:
    """For the overview entries, every entry of the kind they list (else None: related)."""
    kind = BROWSE_CHILDREN.get(entry.id)
    if kind is None:
        return None
    return [child for child in knowledge.entries.values()
            if child.kind == kind and child.id != entry.id]


def client_language(update: Update) -> str:
    """The language to use before any question is asked: English clients get English."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    if code.startswith("en"):
        return "en"
    if code.startswith("nn"):
        return "nn"
    return "nb"


def rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out BUTTONS_PER_ROW to a row."""
    return [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]


def open_button(entry: Entry, language: str) -> InlineKeyboardButton:
    """A button that opens `entry`."""
    return InlineKeyboardButton(
        entry.title_in(language), callback_data=callbacks.encode("open", language, entry.id)
    )


@dataclass(frozen=True)
class EntryKeyboard:
    """An entry's keyboard without the question: related entries (for overviews: what they
    list) and "📇 Lagre kontakt" as buttons made once, and the start of the 👍/👎 buttons'
    callback data, to which the question's id is added."""

    rows: tuple[tuple[InlineKeyboardButton, ...], ...]
    without_feedback: InlineKeyboardMarkup
    vote_up: str
    vote_down: str

    def with_feedback(self, question_ref: int | None) -> InlineKeyboardMarkup:
        """The keyboard with 👍/👎 for the question `question_ref` (None: no logged one)."""
        ref = str(question_ref or "")
        return InlineKeyboardMarkup((*self.rows, (
            InlineKeyboardButton("👍", callback_data=self.vote_up + ref),
            InlineKeyboardButton("👎", callback_data=self.vote_down + ref),
        )))


def entry_layout(entry: Entry, knowledge: KnowledgeBase, language: str) -> EntryKeyboard:
    """Lay out `entry`'s keyboard in `language` (for `bot.render.AnswerCache`)."""
    choices = browse_choices(entry, knowledge)
    related = choices if choices is not None else [
        knowledge.entries[r] for r in entry.related if r in knowledge.entries
    ]
    keyboard = rows([open_button(r, language) for r in related[:MAX_RELATED_BUTTONS]])
    keyboard += contact_rows(entry, language)
    frozen = tuple(tuple(row) for row in keyboard)
    return EntryKeyboard(
        frozen, InlineKeyboardMarkup(frozen),
        vote_up=callbacks.encode("feedback", language, entry.id, "+"),
        vote_down=callbacks.encode("feedback", language, entry.id, "-"),
    )


ANSWERS: AnswerCache[EntryKeyboard] = AnswerCache(entry_layout)


def entry_keyboard(
    entry: Entry,
    knowledge: KnowledgeBase,
    language: str,
    question_ref: int | None = None,
    *,
    feedback: bool = True,
) -> InlineKeyboardMarkup:
    """Related entries (for overviews: what they list), "save contact" where there is a
    phone number, and 👍/👎."""
    keyboard = ANSWERS.get(knowledge, entry, language).keyboard
    return keyboard.with_feedback(question_ref) if feedback else keyboard.without_feedback


def contact_rows(entry: Entry, language: str) -> list[list[InlineKeyboardButton]]:
    """"📇 Lagre kontakt" where the entry has a phone number."""
    if not (entry.contact and entry.contact.phone):
        return []
    return [[InlineKeyboardButton(
        say("save_contact", language), callback_data=callbacks.encode("card", language, entry.id),
    )]]


def fact_keyboard(
    result: Result, knowledge: KnowledgeBase, question_ref: int | None
) -> InlineKeyboardMarkup | None:
    """For a precise answer: the municipality's card (or the members) as a button, "📇 Lagre
    kontakt" where it has a phone number, and 👍/👎 when it was answered."""
    entry = knowledge.entries.get(result.fact.entry_id or "") if result.fact else None
    if entry is None:
        return None
    language = result.language
    keyboard = [[open_button(entry, language)], *contact_rows(entry, language)]
    if result.outcome is not Outcome.ANSWERED:
        return InlineKeyboardMarkup(keyboard)
    ref = str(question_ref or "")
    keyboard.append([
        InlineKeyboardButton("👍", callback_data=callbacks.encode("feedback", language,
                                                                 entry.id, "+" + ref)),
        InlineKeyboardButton("👎", callback_data=callbacks.encode("feedback", language,
                                                                 entry.id, "-" + ref)),
    ])
    return InlineKeyboardMarkup(keyboard)


async def reply_entry(
    message: Message,
    entry: Entry,
    knowledge: KnowledgeBase,
    language: str,
    question_ref: int | None = None,
    *,
    feedback: bool = True,
) -> None:
    """Reply with an entry, split to fit Telegram, the keyboard on the last part (rendered
    once per knowledge load; only the question's id is filled in)."""
    rendered = ANSWERS.get(knowledge, entry, language)
    keyboard = rendered.keyboard
    for piece in rendered.pieces[:-1]:
        await message.reply_text(piece)
    await message.reply_text(
        rendered.pieces[-1],
        reply_markup=keyboard.with_feedback(question_ref) if feedback
        else keyboard.without_feedback,
    )


async def answer_query(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None = None, *,
    show_alert: bool | None = None,
) -> None:
    """Answer the update's callback query, at most once: Telegram refuses a second answer, so
    a failure after this (the error handler's apology included) must not answer again. It is
    noted before it is sent: an answer that timed out may well have arrived."""
    query = update.callback_query
    if query is None or was_answered(context, query.id):
        return
    answered = context.bot_data.setdefault(ANSWERED_KEY, OrderedDict())
    answered[query.id] = True
    while len(answered) > MAX_ANSWERED_REMEMBERED:
        answered.popitem(last=False)
    await query.answer(text, show_alert=show_alert)


async def record_vote(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: callbacks.Callback
) -> None:
    """👍/👎 pressed: thank (the callback query's one answer) and record it on the question."""
    await answer_query(update, context, say("feedback_thanks", pressed.language))
    services(context).record_feedback(pressed.question_ref, pressed.vote,
                                      update.effective_user.id)


def was_answered(context: ContextTypes.DEFAULT_TYPE, query_id: str) -> bool:
    """Whether `answer_query` already answered (or tried to answer) this callback query."""
    return query_id in context.bot_data.get(ANSWERED_KEY, ())
