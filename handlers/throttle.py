"""Flood protection: one user's burst never slows the bot down for everybody else.

Runs before every other handler. A user who sends more than `telegram.flood_messages`
messages or button presses within `telegram.flood_seconds` gets one polite notice; further
updates from them are dropped unanswered until they slow down. A message the safety layer
recognises (an emergency or a crisis) is never held back: someone in panic writes many short
messages. The safety check is run here only for a sender over the limit (the engine runs it on
every message anyway, and running it twice cost a third of the bot's CPU per message), so an
emergency under the limit counts towards it like any message; over it, it passes uncounted.
Inline queries pass a guard of their own with INLINE_ALLOWANCE times the limit
(a client sends one per keystroke): the first one over it gets an empty answer with a button
that says why, the rest no answer. User ids are kept in memory only, for the length of the
window.

The guard's work per update is O(1) amortised however many users are active: users are kept
in the order of their last update, so those whose window has passed are always at the front
and are forgotten from there; each user keeps at most limit + 1 timestamps.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

from telegram import InlineQueryResultsButton, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.services import services
from bot.texts import say
from handlers.common import answer_query, client_language

FLOOD_STATE_KEY = "flood"
INLINE_FLOOD_STATE_KEY = "flood_inline"
INLINE_ALLOWANCE = 3
"""Inline queries allowed per window, as a multiple of `telegram.flood_messages`."""
INLINE_FLOOD_START = "flood"
"""The /start parameter of the button on an inline flood notice (it opens the greeting)."""


class FloodGuard:
    """Sliding-window counts per user, O(1) amortised per update (see the module docstring)."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()
        self._warned: set[int] = set()

    def check(
        self, user_id: int, now: float, *, exempt: Callable[[], bool] | None = None
    ) -> str:
        """"ok", "warn" (first update over the limit) or "drop"; `now` must not decrease. An
        update over the limit for which `exempt()` is true is "ok", and not counted."""
        self._forget_idle(now)
        times = self._seen.get(user_id)
        if times is None:
            times = self._seen[user_id] = deque(maxlen=self.limit + 1)
        else:
            self._seen.move_to_end(user_id)
        while times and now - times[0] > self.seconds:
            times.popleft()
        if len(times) >= self.limit and exempt is not None and exempt():
            return "ok"
        times.append(now)
        if len(times) <= self.limit:
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def _forget_idle(self, now: float) -> None:
        """Forget the users whose last update is older than the window (all at the front)."""
        seen = self._seen
        while seen:
            user_id, times = next(iter(seen.items()))
            if now - times[-1] <= self.seconds:
                return
            del seen[user_id]
            self._warned.discard(user_id)

    def __len__(self) -> int:
        """How many users the guard remembers (those active within the window)."""
        return len(self._seen)


def guard(context: ContextTypes.DEFAULT_TYPE, *, inline: bool = False) -> FloodGuard:
    """The application's flood guard for messages and buttons, or for inline queries, made on
    first use from the configuration."""
    key = INLINE_FLOOD_STATE_KEY if inline else FLOOD_STATE_KEY
    state = context.application.bot_data.get(key)
    if state is None:
        telegram = services(context).config.telegram
        limit = telegram.flood_messages * (INLINE_ALLOWANCE if inline else 1)
        state = FloodGuard(limit, telegram.flood_seconds)
        context.application.bot_data[key] = state
    return state


def _is_emergency(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the update is a text the safety layer recognises as an emergency or crisis."""
    message = update.message or update.edited_message
    if message is None or not message.text:
        return False
    match = services(context).engine.safety_check(message.text, client_language(update))
    return match is not None and match.outcome in ("emergency", "crisis")


async def throttle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let the update through, or stop it (with one notice) when its sender floods."""
    if update.effective_user is None:
        return
    inline = update.inline_query is not None
    verdict = guard(context, inline=inline).check(
        update.effective_user.id, time.monotonic(), exempt=lambda: _is_emergency(update, context)
    )
    if verdict == "ok":
        return
    if verdict == "warn":
        language = client_language(update)
        if update.inline_query is not None:
            await update.inline_query.answer(
                [], cache_time=0, is_personal=True,
                button=InlineQueryResultsButton(
                    text=say("flood_inline", language), start_parameter=INLINE_FLOOD_START
                ),
            )
        elif update.callback_query is not None:
            await answer_query(update, context, say("flood", language))
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, say("flood", language))
    raise ApplicationHandlerStop
