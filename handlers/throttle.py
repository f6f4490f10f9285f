"""Flood protection: one user's burst never slows the bot down for everybody else.

Runs before every other handler. A user who sends more than `telegram.flood_messages`
messages or button presses within `telegram.flood_seconds` gets one polite notice; further
updates from them are dropped unanswered until they slow down. A message the safety layer
recognises (an emergency or a crisis) is never held back: someone in panic writes many short
messages. User ids are kept in memory only, for the length of the window.
"""

from __future__ import annotations

import time
from collections import deque

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.services import services
from bot.texts import say
from handlers.common import client_language

FLOOD_STATE_KEY = "flood"
PRUNE_AT = 10_000


class FloodGuard:
    """Sliding-window counts per user."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int, now: float) -> str:
        """"ok", "warn" (first update over the limit) or "drop"."""
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] > self.seconds:
            times.popleft()
        times.append(now)
        if len(self._seen) > PRUNE_AT:
            self._prune(now)
        if len(times) <= self.limit:
            self._warned.discard(user_id)
            return "ok"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"

    def _prune(self, now: float) -> None:
        for user_id in [u for u, t in self._seen.items() if not t or now - t[-1] > self.seconds]:
            del self._seen[user_id]
            self._warned.discard(user_id)


def guard(context: ContextTypes.DEFAULT_TYPE) -> FloodGuard:
    """The application's flood guard, made on first use from the configuration."""
    state = context.application.bot_data.get(FLOOD_STATE_KEY)
    if state is None:
        telegram = services(context).config.telegram
        state = FloodGuard(telegram.flood_messages, telegram.flood_seconds)
        context.application.bot_data[FLOOD_STATE_KEY] = state
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
    if update.inline_query is not None or update.effective_user is None:
        return
    if _is_emergency(update, context):
        return
    verdict = guard(context).check(update.effective_user.id, time.monotonic())
    if verdict == "ok":
        return
    if verdict == "warn":
        language = client_language(update)
        if update.callback_query is not None:
            await update.callback_query.answer(say("flood", language))
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, say("flood", language))
    raise ApplicationHandlerStop
