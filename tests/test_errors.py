"""Tests for handlers/errors.py: an apology for real failures, none after a timed-out reply."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from telegram import Update
from telegram.error import RetryAfter, TimedOut

from handlers import errors
from tests import updates
from tests.conftest import OfflineBot


async def fail(offline_bot: OfflineBot, error: Exception, user_id: int = 101) -> list:
    """Run the error handler on `error` for a message; the messages it sent."""
    bot = offline_bot.application.bot
    update = Update.de_json(updates.message("tlf notodden", user_id=user_id), bot)
    await errors.on_error(update, SimpleNamespace(error=error, bot=bot))
    return [call for call in offline_bot.request.calls if call.method == "sendMessage"]


@pytest.mark.parametrize("error", [TimedOut(), RetryAfter(5)], ids=["timed-out", "429"])
async def test_no_apology_after_a_timed_out_or_rate_limited_reply(
    offline_bot: OfflineBot, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        assert await fail(offline_bot, error) == []
    assert "no apology" in caplog.text


async def test_an_unexpected_error_gets_one_apology(
    offline_bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        [apology] = await fail(offline_bot, ValueError("bug"), user_id=202)
    assert apology.params["chat_id"] == 202 and "Beklager" in apology.params["text"]
    assert "ValueError: bug" in caplog.text
