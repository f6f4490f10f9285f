"""Tests for handlers/throttle.py: a flooding user gets one notice; others are served."""

from __future__ import annotations

from handlers.throttle import FloodGuard
from tests import updates
from tests.conftest import OfflineBot


def test_the_guard_counts_in_a_sliding_window() -> None:
    guard = FloodGuard(limit=3, seconds=10)
    verdicts = [guard.check(1, t) for t in (0, 1, 2, 3, 4)]
    assert verdicts == ["ok", "ok", "ok", "warn", "drop"]
    assert guard.check(2, 4) == "ok"
    assert guard.check(1, 30) == "ok"  # slowed down: served again, and warned again if needed


async def test_a_flood_gets_one_notice_and_others_are_still_served(
    offline_bot: OfflineBot,
) -> None:
    limit = offline_bot.application.bot_data["services"].config.telegram.flood_messages
    for _ in range(limit + 30):
        await offline_bot.send(updates.message("tlf notodden", user_id=501))
    await offline_bot.send(updates.message("tlf notodden", user_id=502))
    to_flooder = [c.params["text"] for c in offline_bot.request.of("sendMessage")
                  if c.params["chat_id"] == 501]
    notices = [text for text in to_flooder if "mange meldinger" in text]
    assert len(to_flooder) == limit + 1
    assert len(notices) == 1
    to_other = [c for c in offline_bot.request.of("sendMessage") if c.params["chat_id"] == 502]
    assert len(to_other) == 1 and "35 01 50 00" in to_other[0].params["text"]


async def test_an_emergency_is_answered_even_in_a_flood(offline_bot: OfflineBot) -> None:
    """Someone in panic writes many short messages: the safety layer's are never held back."""
    limit = offline_bot.application.bot_data["services"].config.telegram.flood_messages
    for _ in range(limit + 5):
        await offline_bot.send(updates.message("tlf notodden", user_id=503))
    for message in ("HUSET BRENNER", "mannen min puster ikke", "jeg vil ikke leve mer"):
        offline_bot.request.clear()
        await offline_bot.send(updates.message(message, user_id=503))
        replies = [c.params["text"] for c in offline_bot.request.of("sendMessage")]
        assert len(replies) == 1 and "<b>11" in replies[0], message
