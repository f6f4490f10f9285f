"""Tests for bot/delivery.py: the outbox's retries and order, and the update ledger."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.delivery import Outbox, UpdateLedger
from bot.storage import CURRENT_UPDATE, QuestionLog
from tests import updates
from tests.conftest import OfflineBot

SECRET = "delivery-test-secret-for-hashing-0000000"


@pytest.fixture
async def question_log(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    log = QuestionLog(tmp_path / "q.sqlite3", SECRET, 180, flush_interval=0.01)
    await log.initialize()
    yield log
    await log.shutdown()


def outbox_for(ledger: UpdateLedger, window: float = 0.5) -> Outbox:
    return Outbox(ledger, retry_window=window, chat_hash=lambda chat: f"hash{chat % 7}")


class Sender:
    """A reply that fails with the given errors first, then goes out; records each try."""

    def __init__(self, sent: list[str], name: str, *errors: Exception) -> None:
        self.sent, self.name, self.errors, self.tries = sent, name, list(errors), 0

    async def __call__(self) -> None:
        self.tries += 1
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(self.name)


def timed_out(cause: Exception) -> TimedOut:
    error = TimedOut()
    error.__cause__ = cause
    return error


async def drain(outbox: Outbox) -> None:
    while outbox.waiting:
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("error", [
    NetworkError("Bad Gateway"), RetryAfter(0), timed_out(httpx.ConnectTimeout("x")),
], ids=["network", "429", "connect-timeout"])
async def test_a_failure_that_may_pass_is_sent_again(question_log: QuestionLog,
                                                     error: Exception) -> None:
    outbox = outbox_for(UpdateLedger(question_log), window=5)
    sent: list[str] = []
    reply = Sender(sent, "a", error, error)
    outbox.submit(1, reply)
    await drain(outbox)
    assert sent == ["a"] and reply.tries == 3


@pytest.mark.parametrize("error", [timed_out(httpx.ReadTimeout("x")), BadRequest("bad html")],
                         ids=["timed-out-after-sent", "bad-request"])
async def test_a_reply_that_may_have_arrived_or_is_refused_is_not_sent_again(
    question_log: QuestionLog, error: Exception
) -> None:
    outbox = outbox_for(UpdateLedger(question_log))
    reply = Sender([], "a", error)
    outbox.submit(1, reply)
    await drain(outbox)
    assert reply.tries == 1


async def test_replies_keep_their_order_per_chat_and_other_chats_go_on(
    question_log: QuestionLog,
) -> None:
    outbox = outbox_for(UpdateLedger(question_log), window=5)
    sent: list[str] = []
    outbox.submit(1, Sender(sent, "1a", NetworkError("x"), NetworkError("x")))
    outbox.submit(1, Sender(sent, "1b"))
    outbox.submit(2, Sender(sent, "2a"))
    await drain(outbox)
    assert sent == ["2a", "1a", "1b"]


async def test_past_the_window_a_reply_is_given_up_with_one_warning(
    question_log: QuestionLog, caplog: pytest.LogCaptureFixture
) -> None:
    outbox = outbox_for(UpdateLedger(question_log), window=0.3)
    reply = Sender([], "a", *[NetworkError("Bad Gateway")] * 100)
    with caplog.at_level(logging.INFO, "bot.delivery"):
        outbox.submit(1234567, reply)
        await drain(outbox)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "given up" in warnings[0].getMessage()
    assert "hash" in warnings[0].getMessage() and "1234567" not in warnings[0].getMessage()
    assert warnings[0].exc_info is None
    assert 2 <= reply.tries <= 4


async def test_an_update_is_recorded_with_its_rows_only_once_its_reply_went_out(
    question_log: QuestionLog,
) -> None:
    ledger = UpdateLedger(question_log)
    outbox = outbox_for(ledger, window=5)
    sent: list[str] = []
    assert ledger.begin(41)
    token = CURRENT_UPDATE.set(41)
    question_log.record_question(text="hei", language="nb", outcome="answered",
                                 entry_id=None, score=90, suggestions=[], chat_type="private",
                                 user_id=1, source="test")
    outbox.submit(1, Sender(sent, "a", NetworkError("x")))
    CURRENT_UPDATE.reset(token)
    ledger.handlers_done(41)
    await question_log.flush()
    assert question_log.pending == 0  # held, not pending: nothing written yet
    assert await question_log.handled_updates() == []
    await drain(outbox)
    await ledger.acknowledged(41)
    assert await question_log.handled_updates() == [41]
    assert len(await question_log.questions(since=question_log_epoch())) == 1
    assert not ledger.begin(41)  # sent again by Telegram: skipped
    restarted = UpdateLedger(question_log)
    await restarted.initialize()
    assert restarted.known(41) and not restarted.begin(41)


def question_log_epoch() -> dt.datetime:
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


async def test_the_application_answers_the_update_polling_parsed_for_its_bare_id(
    offline_bot: OfflineBot,
) -> None:
    application = offline_bot.application
    application.parsed.bot = application.bot
    question = updates.message("tlf notodden")
    application.parsed.parse(question)
    await offline_bot.send({"update_id": question["update_id"]})  # what the library got
    [reply] = offline_bot.request.of("sendMessage")
    assert "35 01 50 00" in reply.params["text"]
    assert len(application.parsed) == 0  # taken, not kept
