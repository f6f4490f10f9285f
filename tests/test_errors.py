"""Tests for handlers/errors.py: an apology for real failures, none after a timed-out reply."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackContext

from bot import callbacks
from handlers import errors
from handlers.common import answer_query
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


class ShuttingDownBot:
    """A bot whose request is already closed, as during shutdown: not a TelegramError."""

    async def send_message(self, **kwargs: object) -> None:
        raise RuntimeError("This HTTPXRequest is not initialized!")


async def test_any_exception_while_apologising_is_logged_not_raised(
    offline_bot: OfflineBot, caplog: pytest.LogCaptureFixture
) -> None:
    update = Update.de_json(updates.message("tlf notodden"), offline_bot.application.bot)
    context = SimpleNamespace(error=ValueError("bug"), bot=ShuttingDownBot(), bot_data={})
    with caplog.at_level(logging.WARNING, logger="handlers.errors"):
        await errors.on_error(update, context)  # raised RuntimeError before
    assert "Could not send the apology either (RuntimeError" in caplog.text


@pytest.mark.parametrize("error", [NetworkError("httpx.ConnectError: refused"),
                                   NetworkError("Bad Gateway")], ids=["refused", "502"])
async def test_a_network_error_is_one_warning_without_traceback_or_apology(
    offline_bot: OfflineBot, error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert await fail(offline_bot, error) == []
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "could not be reached while handling update" in record.getMessage()


async def press_fails(offline_bot: OfflineBot, *, answered: bool) -> list[str]:
    """The error handler after a button action failed, the press answered or not by then;
    the methods it called."""
    application = offline_bot.application
    update = Update.de_json(updates.callback(callbacks.encode("open", "nb", "contact.tinn")),
                            application.bot)
    context = CallbackContext.from_error(update, ValueError("bug"), application)
    if answered:
        await answer_query(update, context)
    offline_bot.request.clear()
    await errors.on_error(update, context)
    return [call.method for call in offline_bot.request.calls]


async def test_a_failed_button_press_is_answered_once(offline_bot: OfflineBot) -> None:
    assert await press_fails(offline_bot, answered=False) == ["answerCallbackQuery"]
    assert await press_fails(offline_bot, answered=True) == ["sendMessage"]
