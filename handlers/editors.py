"""Editors' commands and buttons: /ubesvart, /statistikk, /eksport, /oppdater, the daily digest.

Only the Telegram user ids in `editors.user_ids` (or BOT_EDITOR_IDS) may use them, and only in
a private chat with the bot. Nobody else can tell that they exist: the commands are registered
with a filter on those ids, so anyone else's /ubesvart falls through to the reply every
unknown command gets, and an editor's button pressed (or forged) by anyone else gets the
answer every stale button gets. What users typed is always HTML-escaped (`bot.markup`).

The content comes from plain-Python modules shared with `python -m bot log ...`: the review
list from `bot.review`, statistics and the chart from `bot.stats`, the CSV from `bot.export`,
and adding a question as an alternate question from `bot.learned`. Whatever reads much of the
log (the list, statistics, export, digest) runs in a worker thread on a connection of its own,
so an editor's command never holds up residents' answers.

Adding a question as a variant shows the editor the exact text that would be saved in
learned.yaml; the editor's next text message (within PENDING_MINUTES) replaces it, and only
«Lagre» saves it. The pending text is kept in the editor's user_data.

A group where residents wait for an answer (`bot.followup`) has a **Svar** button: the
editor's next text message is the answer, shown as the resident will receive it; «Send»
sends it to everyone who consented for one of the group's questions and marks the group
resolved, «Svar og legg til som variant…» sends it and goes on to adding the question as a
variant. The consents are taken from the database before sending, so a second press sends
nothing; an editor never sees a chat id, only how many wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes, filters

from bot import callbacks, export, stats
from bot.callbacks import EditorCallback, encode_editor
from bot.engine import Candidate, Outcome
from bot.followup import MAX_ANSWER_CHARS, Waiting, answer_problem, resident_message
from bot.knowledge import Problem
from bot.learned import (
    MAX_QUESTION_CHARS,
    InvalidVariant,
    LearnedFileError,
    add_question,
    variant_problem,
)
from bot.localtime import OSLO, local_date, parse_days, utc_now
from bot.markup import HTML
from bot.menus import register_editor_menus
from bot.render import split_message
from bot.review import (
    PAGE_SIZE,
    REVIEW_DAYS,
    Group,
    ReviewList,
    digest_groups,
    find_group,
    page_count,
    page_of,
    render_digest,
    render_group,
    render_list,
    review_groups,
)
from bot.services import SERVICES_KEY, Services, services
from bot.texts import counted, say
from handlers.common import answer_query, client_language
from handlers.followup import answer_keyboard

log = logging.getLogger(__name__)

BUTTON_PATTERN = f"^{callbacks.EDITOR_VERSION}:"
SEARCH_KEY = "editor_search"
VARIANT_KEY = "editor_variant"
ANSWER_KEY = "editor_answer"
PENDING_MINUTES = 15
DIGEST_KEY = "editor_digest"
DIGEST_JOB = "editor-digest"
KNOWLEDGE_LOCK_KEY = "knowledge_lock"
MAX_CANDIDATES = 6
MAX_PROBLEMS_SHOWN = 60
MAX_DOCUMENT_BYTES = 50_000_000  # what a bot may send as a document


def editor_filter(application: Application) -> filters.BaseFilter:
    """Messages from a configured editor in a private chat."""
    ids = application.bot_data[SERVICES_KEY].config.editors.user_ids
    return filters.ChatType.PRIVATE & filters.User(user_id=ids)


@dataclass(frozen=True)
class PendingVariant:
    """A question about to be added as a variant: saved only when the editor presses Lagre."""

    days: int
    ref: int
    entry_id: str
    text: str
    expires: float

    @property
    def expired(self) -> bool:
        """Whether it waited longer than PENDING_MINUTES."""
        return time.monotonic() > self.expires


def _pending_variant(user_data: dict | None) -> PendingVariant | None:
    """The editor's pending variant, if it has not expired."""
    pending = (user_data or {}).get(VARIANT_KEY)
    return pending if isinstance(pending, PendingVariant) and not pending.expired else None


@dataclass(frozen=True)
class PendingAnswer:
    """An answer to those waiting in a group, being written: sent only on «Send»."""

    days: int
    ref: int
    text: str
    expires: float

    @property
    def expired(self) -> bool:
        """Whether it waited longer than PENDING_MINUTES."""
        return time.monotonic() > self.expires


def _pending_answer(user_data: dict | None) -> PendingAnswer | None:
    """The editor's answer being written, if it has not expired."""
    pending = (user_data or {}).get(ANSWER_KEY)
    return pending if isinstance(pending, PendingAnswer) and not pending.expired else None


class AwaitingText(filters.MessageFilter):
    """A message from a user whose «Søk» or variant text is pending."""

    def __init__(self, application: Application) -> None:
        super().__init__(name="AwaitingText")
        self._user_data = application.user_data

    def filter(self, message: Message) -> bool:
        """Whether the sender has a pending search, variant text or answer."""
        user = message.from_user
        if user is None:
            return False
        user_data = self._user_data.get(user.id, {})
        return (SEARCH_KEY in user_data or _pending_variant(user_data) is not None
                or _pending_answer(user_data) is not None)


def _forget_pending(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop a pending search, variant and answer."""
    if context.user_data is not None:
        context.user_data.pop(SEARCH_KEY, None)
        context.user_data.pop(VARIANT_KEY, None)
        context.user_data.pop(ANSWER_KEY, None)


def _knowledge_lock(context: ContextTypes.DEFAULT_TYPE) -> asyncio.Lock:
    """One knowledge-base change at a time (adding a variant, reloading)."""
    return context.application.bot_data.setdefault(KNOWLEDGE_LOCK_KEY, asyncio.Lock())


def _is_editor_press(update: Update, bot_services: Services) -> bool:
    chat = update.effective_chat
    user = update.effective_user
    private = chat is not None and chat.type == ChatType.PRIVATE
    return private and bot_services.is_editor(user.id if user else None)


def _days_argument(context: ContextTypes.DEFAULT_TYPE, default: int) -> int | None:
    """The command's number of days (`default` without one), or None if it is invalid."""
    args = context.args or []
    if len(args) > 1:
        return None
    return parse_days(args[0] if args else None, default)


def _command_name(message: Message) -> str:
    return (message.text or "/").split()[0].lstrip("/").split("@")[0]


async def _usage(update: Update) -> None:
    message = update.effective_message
    await message.reply_text(
        HTML.text(say("usage_days", client_language(update), command=_command_name(message)))
    )


async def _edit(update: Update, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message's text and buttons (unchanged is fine)."""
    try:
        await update.callback_query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


def _button(
    text: str, action: str, days: int, number: int, entry_id: str = ""
) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode_editor(action, days, number, entry_id))


# --- the review list ----------------------------------------------------------------------------


def review_keyboard(
    groups: list[Group], days: int, page: int, language: str
) -> InlineKeyboardMarkup | None:
    """Svar (where residents wait), Løst / Ignorer / Legg til som variant… for each group on
    the page, and ◀ ▶."""
    first = (page - 1) * PAGE_SIZE
    rows = []
    for number, group in enumerate(groups[first : first + PAGE_SIZE], start=first + 1):
        if group.waiting:
            rows.append([_button(say("button_answer", language, number=str(number)), "answer",
                                 days, group.ref)])
        rows.append([
            _button(say("button_resolve", language, number=str(number)), "resolve", days,
                    group.ref),
            _button(say("button_ignore", language, number=str(number)), "ignore", days,
                    group.ref),
        ])
        rows.append([_button(say("button_variant", language, number=str(number)), "variant",
                             days, group.ref)])
    navigation = []
    if page > 1:
        navigation.append(_button("◀", "page", days, page - 1))
    if page < page_count(groups):
        navigation.append(_button("▶", "page", days, page + 1))
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows) if rows else None


def review_view(
    review: ReviewList, days: int, page: int, language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the review list: text and buttons."""
    page = min(max(page, 1), page_count(review.groups))
    text = render_list(review, days, language, HTML, page=page)
    return text, review_keyboard(review.groups, days, page, language)


async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ubesvart [dager]: open unanswered questions, grouped, most frequent first."""
    days = _days_argument(context, REVIEW_DAYS)
    if days is None:
        await _usage(update)
        return
    review = await review_groups(services(context).question_log, days)
    text, keyboard = review_view(review, days, 1, client_language(update))
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def _show_page(update: Update, context: ContextTypes.DEFAULT_TYPE, days: int,
                     page: int, review: ReviewList | None = None) -> None:
    """Show a page of the list (read again unless `review` is given)."""
    if review is None:
        review = await review_groups(services(context).question_log, days)
    text, keyboard = review_view(review, days, page, client_language(update))
    await _edit(update, text, keyboard)


# --- buttons ------------------------------------------------------------------------------------


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An editor's button: acted on for editors; anyone else gets the stale-button answer."""
    query = update.callback_query
    pressed = callbacks.decode_editor(query.data)
    if pressed is None or not _is_editor_press(update, services(context)):
        await answer_query(update, context, say("stale_button", client_language(update)))
        return
    actions = {
        "page": _page, "back": _back, "resolve": _mark, "ignore": _mark,
        "variant": _variant, "search": _search, "add": _add, "save": _save,
        "answer": _answer, "send": _send, "send_variant": _send,
    }
    await actions[pressed.action](update, context, pressed)


async def _page(update: Update, context: ContextTypes.DEFAULT_TYPE,
                pressed: EditorCallback) -> None:
    await answer_query(update, context)
    await _show_page(update, context, pressed.days, pressed.number)


async def _back(update: Update, context: ContextTypes.DEFAULT_TYPE,
                pressed: EditorCallback) -> None:
    await answer_query(update, context)
    _forget_pending(context)
    review = await review_groups(services(context).question_log, pressed.days)
    found = find_group(review.groups, pressed.number)
    page = page_of(found[0]) if found else 1
    text, keyboard = review_view(review, pressed.days, page, client_language(update))
    await _edit(update, text, keyboard)


async def _open_group(
    update: Update, context: ContextTypes.DEFAULT_TYPE, pressed: EditorCallback
) -> tuple[ReviewList, int, Group] | None:
    """The pressed group, still open; else say it was handled and show the list."""
    review = await review_groups(services(context).question_log, pressed.days)
    found = find_group(review.groups, pressed.number)
    if found is None:
        language = client_language(update)
        await answer_query(update, context, say("group_gone", language))
        text, keyboard = review_view(review, pressed.days, 1, language)
        await _edit(update, text, keyboard)
        return None
    return review, found[0], found[1]


async def _mark(update: Update, context: ContextTypes.DEFAULT_TYPE,
                pressed: EditorCallback) -> None:
    """Løst / Ignorer: mark the whole group and show the same page again."""
    opened = await _open_group(update, context, pressed)
    if opened is None:
        return
    review, position, group = opened
    status = "resolved" if pressed.action == "resolve" else "ignored"
    await services(context).question_log.set_status(group.ids, status)
    language = client_language(update)
    await answer_query(update, context,
        say(f"marked_{status}", language, questions=counted("questions", group.count, language))
    )
    await _show_page(update, context, pressed.days, page_of(position), review.without(group))


def candidate_keyboard(
    candidates: list[Candidate], group: Group, days: int, language: str
) -> InlineKeyboardMarkup:
    """One button per candidate entry, then Søk and back."""
    rows = []
    for candidate in candidates[:MAX_CANDIDATES]:
        label = f"{candidate.entry.title_in(language)} ({candidate.score:.0f})"
        with contextlib.suppress(ValueError):  # an entry id too long for a button
            rows.append([_button(label, "add", days, group.ref, candidate.entry.id)])
    rows.append([
        _button(say("button_search", language), "search", days, group.ref),
        _button(say("button_back", language), "back", days, group.ref),
    ])
    return InlineKeyboardMarkup(rows)


async def _variant(update: Update, context: ContextTypes.DEFAULT_TYPE,
                   pressed: EditorCallback) -> None:
    """Legg til som variant…: the engine's closest entries for the group's question."""
    opened = await _open_group(update, context, pressed)
    if opened is None:
        return
    await answer_query(update, context)
    _, position, group = opened
    await _show_candidates(update, context, pressed.days, position, group)


async def _show_candidates(update: Update, context: ContextTypes.DEFAULT_TYPE, days: int,
                           position: int, group: Group, note: str = "") -> None:
    """The group and the entries that might have answered it, to add it as a variant."""
    language = client_language(update)
    candidates = services(context).engine.rank(group.text, everything=True).candidates
    text = "\n\n".join(part for part in [
        note,
        HTML.bold(say("variant_title", language)),
        render_group(group, position + 1, language, HTML),
        HTML.text(say("variant_prompt", language)),
    ] if part)
    await _edit(update, text, candidate_keyboard(candidates, group, days, language))


async def _search(update: Update, context: ContextTypes.DEFAULT_TYPE,
                  pressed: EditorCallback) -> None:
    """Søk: the editor's next text message is a search for the entry."""
    opened = await _open_group(update, context, pressed)
    if opened is None:
        return
    await answer_query(update, context)
    group = opened[2]
    _forget_pending(context)
    if context.user_data is not None:
        context.user_data[SEARCH_KEY] = (pressed.days, group.ref)
    language = client_language(update)
    text = say("search_prompt", language, question=HTML.quote(group.text))
    back = InlineKeyboardMarkup([[_button(say("button_back", language), "back", pressed.days,
                                          group.ref)]])
    await _edit(update, text, back)


def search_entries(bot_services: Services, text: str) -> list[Candidate]:
    """Entries for an editor's search: an exact id, titles containing it, then the engine's."""
    engine = bot_services.engine
    entries = engine.knowledge.entries
    wanted = text.strip().casefold()
    found = [Candidate(entries[text.strip()], 100.0)] if text.strip() in entries else []
    found += [Candidate(entry, 100.0) for entry in entries.values()
              if wanted and any(wanted in title.casefold() for title in entry.title.values())]
    found += engine.search(text, limit=MAX_CANDIDATES)
    unique: dict[str, Candidate] = {}
    for candidate in found:
        unique.setdefault(candidate.entry.id, candidate)
    return list(unique.values())[:MAX_CANDIDATES]


async def awaited_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An editor's text while a search, a variant's text or an answer is pending."""
    if _pending_answer(context.user_data) is not None:
        await answer_text(update, context)
    elif _pending_variant(context.user_data) is not None:
        await variant_text(update, context)
    else:
        await search_text(update, context)


async def search_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An editor's text after «Søk»: the entries it finds, to add the variant to."""
    days, ref = context.user_data.pop(SEARCH_KEY)
    message = update.effective_message
    language = client_language(update)
    bot_services = services(context)
    review = await review_groups(bot_services.question_log, days)
    found = find_group(review.groups, ref)
    if found is None:
        await message.reply_text(HTML.text(say("group_gone", language)))
        return
    query = message.text or ""
    candidates = search_entries(bot_services, query)
    key = "search_results" if candidates else "search_none"
    await message.reply_text(
        say(key, language, query=HTML.quote(query, limit=60)),
        reply_markup=candidate_keyboard(candidates, found[1], days, language),
    )


def _shortened(text: str) -> str:
    """At most a little more than a variant may hold, so that the preview fits a message."""
    return text if len(text) <= MAX_QUESTION_CHARS else text[:MAX_QUESTION_CHARS] + " …"


def variant_preview(
    bot_services: Services, pending: PendingVariant, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The text that «Lagre» would save, why it cannot be saved (if so), and the buttons."""
    entry = bot_services.engine.knowledge.entries[pending.entry_id]
    lines = [
        HTML.bold(say("variant_preview_title", language)),
        HTML.text(say("variant_preview", language, entry=entry.title_in(language),
                      entry_id=entry.id)),
        HTML.code(_shortened(pending.text)) if pending.text else HTML.text("–"),
    ]
    problem = variant_problem(pending.text)
    if problem is not None:
        lines.append("⚠️ " + HTML.text(say(f"variant_problem_{problem}", language)))
    lines.append(HTML.text(say("variant_edit_prompt" if problem is None
                               else "variant_fix_prompt", language)))
    row = [_button(say("button_cancel", language), "back", pending.days, pending.ref)]
    if problem is None:
        row.insert(0, _button(say("button_save", language), "save", pending.days, pending.ref))
    return "\n\n".join(lines), InlineKeyboardMarkup([row])


async def _add(update: Update, context: ContextTypes.DEFAULT_TYPE,
               pressed: EditorCallback) -> None:
    """An entry was chosen: show the text that would be saved, to change or to save."""
    opened = await _open_group(update, context, pressed)
    if opened is None:
        return
    group = opened[2]
    bot_services = services(context)
    language = client_language(update)
    if pressed.entry_id not in bot_services.engine.knowledge.entries or context.user_data is None:
        await answer_query(update, context, say("stale_button", language))
        return
    await answer_query(update, context)
    _forget_pending(context)
    pending = PendingVariant(pressed.days, group.ref, pressed.entry_id,
                             " ".join(group.text.split()),
                             time.monotonic() + PENDING_MINUTES * 60)
    context.user_data[VARIANT_KEY] = pending
    text, keyboard = variant_preview(bot_services, pending, language)
    await _edit(update, text, keyboard)


async def variant_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The editor's own wording for a pending variant: shown again, to change or to save."""
    pending = _pending_variant(context.user_data)
    message = update.effective_message
    bot_services = services(context)
    if pending is None or pending.entry_id not in bot_services.engine.knowledge.entries:
        _forget_pending(context)
        return
    pending = PendingVariant(pending.days, pending.ref, pending.entry_id,
                             " ".join((message.text or "").split()),
                             time.monotonic() + PENDING_MINUTES * 60)
    context.user_data[VARIANT_KEY] = pending
    text, keyboard = variant_preview(bot_services, pending, client_language(update))
    await message.reply_text(text, reply_markup=keyboard)


async def _save(update: Update, context: ContextTypes.DEFAULT_TYPE,
                pressed: EditorCallback) -> None:
    """Lagre: add the pending text to the chosen entry, reload, mark the group resolved."""
    language = client_language(update)
    pending = _pending_variant(context.user_data)
    if pending is None or pending.ref != pressed.number or pending.days != pressed.days:
        await answer_query(update, context, say("variant_expired", language),
                           show_alert=True)
        return
    opened = await _open_group(update, context, pressed)
    if opened is None:
        _forget_pending(context)
        return
    group = opened[2]
    bot_services = services(context)
    if pending.entry_id not in bot_services.engine.knowledge.entries:
        _forget_pending(context)
        await answer_query(update, context, say("stale_button", language))
        return
    problem = variant_problem(pending.text)
    if problem is not None:
        await answer_query(update, context, say(f"variant_problem_{problem}", language),
                           show_alert=True)
        return
    await answer_query(update, context)
    _forget_pending(context)
    try:
        async with _knowledge_lock(context):
            addition = await asyncio.to_thread(
                add_question, bot_services.engine, pending.entry_id, pending.text
            )
    except InvalidVariant as invalid:
        text = HTML.text(say(f"variant_problem_{invalid.reason}", language))
    except (LearnedFileError, OSError) as error:
        text = HTML.text(say("variant_unreadable", language, error=str(error)))
    else:
        if addition.ok:
            await bot_services.question_log.set_status(group.ids, "resolved")
        text = variant_outcome(bot_services, addition.entry_id, group, addition.question,
                               addition.added, addition.problems, language)
    back = InlineKeyboardMarkup([[_button(say("button_back", language), "back", pressed.days,
                                          group.ref)]])
    pieces = split_message(text)
    await _edit(update, pieces[0], back if len(pieces) == 1 else None)
    for number, piece in enumerate(pieces[1:], start=2):
        await context.bot.send_message(chat_id=update.effective_chat.id, text=piece,
                                       reply_markup=back if number == len(pieces) else None)


def variant_outcome(
    bot_services: Services, entry_id: str, group: Group, saved: str, added: bool,
    problems: list[Problem], language: str,
) -> str:
    """What adding did, and how the bot now answers the question."""
    engine = bot_services.engine
    if problems:
        failed = HTML.text(say("variant_failed", language, count=str(len(problems))))
        return failed + "\n" + problem_lines(problems, engine.knowledge.directory, language)
    entry = engine.knowledge.entries[entry_id]
    values = {
        "entry": HTML.quote(entry.title_in(language)), "entry_id": HTML.code(entry_id),
        "file": HTML.code("learned.yaml"),
        "questions": counted("questions", group.count, language),
    }
    done = say("variant_added" if added else "variant_exists", language, **values)
    result = engine.ask(saved)
    question = HTML.quote(saved)
    if result.outcome is Outcome.ANSWERED and result.entry is not None:
        now = say("now_answered", language, question=question,
                  entry=HTML.quote(result.entry.title_in(language)))
    else:
        now = say("now_not_answered", language, question=question,
                  outcome=HTML.text(result.outcome.value))
    return f"{done}\n\n{now}"


def problem_lines(problems: list[Problem], directory: Path, language: str) -> str:
    """The knowledge base's problems, one per line as file:line: message, escaped; at most
    MAX_PROBLEMS_SHOWN of them."""
    lines = []
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        path = Path(problem.file)
        name = path.name if path.parent == directory else problem.file
        lines.append("• " + HTML.text(f"{name}:{problem.line}: {problem.message}"))
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        lines.append(HTML.text(say("more_problems", language, count=str(hidden))))
    return "\n".join(lines)


# --- answering those who wait -------------------------------------------------------------------


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE,
                  pressed: EditorCallback) -> None:
    """Svar: the editor's next text message is the answer to those waiting in the group."""
    opened = await _open_group(update, context, pressed)
    if opened is None:
        return
    group = opened[2]
    language = client_language(update)
    if not group.waiting or context.user_data is None:
        await answer_query(update, context, say("answer_nobody", language), show_alert=True)
        return
    _forget_pending(context)  # before answering: the editor may type at once
    context.user_data[ANSWER_KEY] = PendingAnswer(pressed.days, group.ref, "",
                                                  time.monotonic() + PENDING_MINUTES * 60)
    await answer_query(update, context)
    # The prompt's own words hold no HTML; the question is escaped by HTML.quote.
    text = say("answer_prompt", language, people=counted("people", group.waiting, language),
               question=HTML.quote(group.text))
    back = InlineKeyboardMarkup([[_button(say("button_back", language), "back", pressed.days,
                                          group.ref)]])
    await _edit(update, text, back)


def answer_preview(
    pending: PendingAnswer, group: Group, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The answer as the resident will receive it, why it cannot be sent (if so), and the
    buttons: Send, Svar og legg til som variant…, Avbryt."""
    question_language = group.questions[0].language
    lines = [HTML.bold(say("answer_preview_title", language)), "",
             resident_message(group.text, pending.text, question_language), ""]
    problem = answer_problem(pending.text)
    if problem is not None:
        lines.append("⚠️ " + HTML.text(say(f"answer_problem_{problem}", language,
                                           limit=str(MAX_ANSWER_CHARS))))
    else:
        lines.append(HTML.text(say("answer_preview_footer", language,
                                   people=counted("people", group.waiting, language))))
    cancel = _button(say("button_cancel", language), "back", pending.days, pending.ref)
    rows = [[cancel]]
    if problem is None:
        rows = [
            [_button(say("button_send", language), "send", pending.days, pending.ref)],
            [_button(say("button_send_variant", language), "send_variant", pending.days,
                     pending.ref)],
            [cancel],
        ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The editor's answer (or a new wording of it): shown as the resident will get it."""
    pending = _pending_answer(context.user_data)
    message = update.effective_message
    language = client_language(update)
    review = await review_groups(services(context).question_log, pending.days)
    found = find_group(review.groups, pending.ref)
    if found is None or not found[1].waiting:
        _forget_pending(context)
        await message.reply_text(HTML.text(say("answer_nobody", language)))
        return
    pending = PendingAnswer(pending.days, pending.ref, (message.text or "").strip(),
                            time.monotonic() + PENDING_MINUTES * 60)
    context.user_data[ANSWER_KEY] = pending
    text, keyboard = answer_preview(pending, found[1], language)
    await message.reply_text(split_message(text)[0], reply_markup=keyboard)


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE,
                pressed: EditorCallback) -> None:
    """Send / Svar og legg til som variant…: the answer to everyone who waits for one of the
    group's questions; then mark the group resolved, or go on to adding it as a variant."""
    language = client_language(update)
    pending = _pending_answer(context.user_data)
    if pending is None or pending.ref != pressed.number or pending.days != pressed.days:
        await answer_query(update, context, say("answer_expired", language), show_alert=True)
        return
    if answer_problem(pending.text) is not None:
        await answer_query(update, context, say("answer_expired", language), show_alert=True)
        return
    opened = await _open_group(update, context, pressed)
    if opened is None:
        _forget_pending(context)
        return
    _, position, group = opened
    _forget_pending(context)
    bot_services = services(context)
    sent, unreached = await deliver(context, group, pending.text)
    if not sent and not unreached:
        await answer_query(update, context, say("answer_nobody", language), show_alert=True)
        await _show_page(update, context, pressed.days, page_of(position))
        return
    await answer_query(update, context)
    people = counted("people", sent, language)
    note = ""
    if unreached:
        note = " " + say("answer_unreached", language, count=str(unreached))
    if pressed.action == "send_variant":
        await _show_candidates(update, context, pressed.days, position, group,
                               HTML.text(say("answer_sent_variant", language, people=people)
                                         + note))
        return
    if unreached:  # the group stays open while someone still waits
        done = say("answer_sent_some", language, people=people)
    else:
        await bot_services.question_log.set_status(group.ids, "resolved")
        done = say("answer_sent", language, people=people,
                   questions=counted("questions", group.count, language))
    back = InlineKeyboardMarkup([[_button(say("button_back", language), "back", pressed.days,
                                          group.ref)]])
    await _edit(update, HTML.text(done + note), back)


async def deliver(
    context: ContextTypes.DEFAULT_TYPE, group: Group, answer: str
) -> tuple[int, int]:
    """Send `answer` to everyone waiting for one of the group's questions: how many got it,
    and how many could not be reached now (their consent is kept, to try again).

    The consents are taken from the database first, so no one gets it twice. A resident who
    blocked the bot, or whose chat is gone, is not tried again; a reply that timed out may
    have arrived, so it is not sent again either."""
    followups = services(context).followups
    waiting = await followups.claim(group.ids)
    sent = 0
    retry: list[Waiting] = []
    for resident in waiting:
        text = resident_message(resident.question, answer, resident.language)
        try:
            await context.bot.send_message(
                chat_id=resident.chat_id, text=split_message(text)[0],
                reply_markup=answer_keyboard(resident.language, resident.question_id),
            )
        except TimedOut:
            sent += 1
        except (Forbidden, BadRequest) as error:
            log.info("An answer from the editors could not be delivered: %s", error)
        except NetworkError:
            retry.append(resident)
        else:
            sent += 1
    await followups.restore(retry)
    if waiting:
        await followups.forget_sent()
    return sent, len(retry)


# --- statistics, export, reload -------------------------------------------------------------


async def statistics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/statistikk: the last 7 and 30 days as text, and questions per day as a chart."""
    bot_services = services(context)
    language = client_language(update)
    report = await stats.collect(bot_services.question_log)
    message = update.effective_message
    text = stats.render_report(report, bot_services.engine.knowledge, language, HTML)
    for piece in split_message(text):
        await message.reply_text(piece)
    png = await asyncio.to_thread(stats.chart_png, report.daily, language)
    caption = HTML.text(say("chart_title", language, days=str(len(report.daily))))
    await message.reply_photo(photo=png, caption=caption)


async def export_log(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/eksport [dager]: the question log as a CSV document (semicolons, UTF-8 with BOM)."""
    days = _days_argument(context, export.EXPORT_DAYS)
    if days is None:
        await _usage(update)
        return
    now = utc_now()
    language = client_language(update)
    with tempfile.TemporaryFile(prefix="eksport-", suffix=".csv") as data:
        name, count = await export.export(services(context).question_log, data, days, now)
        size = data.tell()
        if size > MAX_DOCUMENT_BYTES:
            await update.effective_message.reply_text(HTML.text(say(
                "export_too_large", language, megabytes=str(size // 1_000_000),
                limit=str(MAX_DOCUMENT_BYTES // 1_000_000), count=str(count))))
            return
        data.seek(0)
        first = local_date(now - dt.timedelta(days=days)).strftime("%d.%m.%Y")
        caption = say("export_caption", language, first=first,
                      last=local_date(now).strftime("%d.%m.%Y"), count=str(count))
        await update.effective_message.reply_document(
            document=InputFile(data, filename=name), caption=HTML.text(caption)
        )


async def reload_knowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/oppdater: reload the knowledge base; on errors keep the old one and list them."""
    bot_services = services(context)
    engine = bot_services.engine
    language = client_language(update)
    async with _knowledge_lock(context):
        problems = await asyncio.to_thread(engine.reload)
    if problems:
        text = HTML.text(say("reload_failed", language, count=str(len(problems))))
        text += "\n" + problem_lines(problems, engine.knowledge.directory, language)
    else:
        knowledge = engine.knowledge
        text = HTML.text(say("reload_ok", language, entries=str(len(knowledge.entries)),
                             questions=str(knowledge.question_count)))
    for piece in split_message(text):
        await update.effective_message.reply_text(piece)
    if update.effective_user is not None:
        await register_editor_menus(context.bot, update.effective_user.id)


# --- the daily digest ---------------------------------------------------------------------------


def schedule_digest(application: Application) -> None:
    """Run the digest daily at editors.digest_time (Europe/Oslo), if configured."""
    editors = application.bot_data[SERVICES_KEY].config.editors
    clock = editors.digest_clock
    if clock is None or not editors.user_ids:
        return
    if application.job_queue is None:
        log.warning("editors.digest_time is set, but the job queue is not installed")
        return
    application.job_queue.run_daily(digest, time=clock.replace(tzinfo=OSLO), name=DIGEST_JOB)


async def digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The daily job: send editors the groups with questions new since the last digest."""
    await send_digest(context.application)


async def send_digest(application: Application, now: dt.datetime | None = None) -> int:
    """Send the digest to every editor if there is anything new; how many got it."""
    bot_services: Services = application.bot_data[SERVICES_KEY]
    now = now or utc_now()
    since, seen = application.bot_data.get(DIGEST_KEY, (now - dt.timedelta(days=1), None))
    groups, highest = await digest_groups(bot_services.question_log, since, seen, now)
    application.bot_data[DIGEST_KEY] = (now, highest)
    waiting = await bot_services.followups.waiting_residents(now)
    if not groups and not waiting:
        return 0
    text = split_message(render_digest(groups, since, "nb", HTML, waiting=waiting))[0]
    sent = 0
    for editor_id in bot_services.config.editors.user_ids:
        try:
            await application.bot.send_message(chat_id=editor_id, text=text)
            sent += 1
        except TelegramError as error:
            log.warning("Could not send the digest to an editor: %s", error)
    return sent
