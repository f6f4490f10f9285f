"""Tests for bot/transport.py: safe retries against the Bot API stand-in's faults."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot, Update
from telegram.error import NetworkError, TimedOut

from bot.transport import ParsedUpdates, PollingRequest, RetryingRequest
from tests.botapi_standin import BadGateway, BotApiStandIn, Delay, DropConnection

TOKEN = "123456:TRANSPORT-token-not-real-000000000000"


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as server:
        yield server


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    request = RetryingRequest(read_timeout=0.5, first_delay=0.01)
    async with Bot(TOKEN, base_url=standin.base_url, request=request) as client:
        yield client


def delivered_texts(standin: BotApiStandIn) -> list[str]:
    return [call.params["text"] for call in standin.delivered("sendMessage")]


@pytest.mark.parametrize("fault", [BadGateway(), DropConnection()])
async def test_failures_that_did_not_get_through_are_retried_once_delivered(
    standin: BotApiStandIn, bot: Bot, fault: object
) -> None:
    standin.inject("sendMessage", fault, times=2)
    message = await bot.send_message(chat_id=1, text="svar")
    assert message.text == "svar"
    assert delivered_texts(standin) == ["svar"]
    assert len(standin.calls("sendMessage")) == 3


async def test_a_persistent_failure_gives_up_after_the_last_attempt(
    standin: BotApiStandIn, bot: Bot
) -> None:
    standin.inject("sendMessage", BadGateway(), times=10)
    with pytest.raises(NetworkError):
        await bot.send_message(chat_id=1, text="svar")
    assert len(standin.calls("sendMessage")) == 4
    assert delivered_texts(standin) == []


async def test_a_slow_answer_is_not_sent_twice(standin: BotApiStandIn, bot: Bot) -> None:
    standin.inject("sendMessage", Delay(1.0))
    with pytest.raises(TimedOut):
        await bot.send_message(chat_id=1, text="svar")
    standin.wait_for("sendMessage", lambda call: call.delivered, timeout=5)
    assert delivered_texts(standin) == ["svar"]
    assert len(standin.calls("sendMessage")) == 1


async def test_polling_waits_until_the_fetched_updates_are_handled(
    standin: BotApiStandIn,
) -> None:
    request = PollingRequest(read_timeout=2)
    handled = asyncio.Event()
    request.handled = handled.wait
    async with Bot(TOKEN, base_url=standin.base_url, request=request,
                   get_updates_request=request) as client:
        assert (await client.get_me()).username  # other methods are not held back
        poll = asyncio.create_task(client.get_updates(timeout=0))
        await asyncio.sleep(0.2)
        assert not standin.calls("getUpdates") and not poll.done()
        handled.set()
        assert await poll == ()
    assert len(standin.calls("getUpdates")) == 1


async def test_an_update_the_library_cannot_read_is_skipped_not_fetched_forever(
    standin: BotApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    # A poll without a field python-telegram-bot requires: it would reject the whole batch.
    unreadable = {"poll": {"id": "1", "question": "?", "options": [], "total_voter_count": 0}}
    first, second = standin.push_updates([unreadable, standin.message_update("tlf tinn")])
    request = PollingRequest(read_timeout=2)
    async with Bot(TOKEN, base_url=standin.base_url, get_updates_request=request) as client:
        updates = await client.get_updates(timeout=0)
    assert [update.update_id for update in updates] == [first, second]
    assert updates[0].poll is None and updates[1].message.text == "tlf tinn"
    assert f"Update {first} cannot be read" in caplog.text


async def test_each_polled_update_is_parsed_once_and_kept_for_the_application(
    standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    unreadable = {"poll": {"id": "1", "question": "?", "options": [], "total_voter_count": 0}}
    first, second = standin.push_updates([unreadable, standin.message_update("tlf tinn")])
    parses: list[int] = []
    de_json = Update.de_json.__func__  # type: ignore[attr-defined]

    def counting(cls: type[Update], data: dict | None, bot: Bot | None = None) -> Update | None:
        if data is not None and len(data) > 1:  # a whole update, not a bare id
            parses.append(data["update_id"])
        return de_json(cls, data, bot)

    monkeypatch.setattr(Update, "de_json", classmethod(counting))
    request = PollingRequest(read_timeout=2)
    request.parsed = ParsedUpdates()
    async with Bot(TOKEN, base_url=standin.base_url, get_updates_request=request) as client:
        request.parsed.bot = client
        updates = await client.get_updates(timeout=0)
    assert [update.update_id for update in updates] == [first, second]
    assert updates[1].message is None  # the library got the bare id ...
    kept = request.parsed.take(second)  # ... and the parsed update waits here
    assert kept is not None and kept.message.text == "tlf tinn"
    assert kept.get_bot() is client
    assert request.parsed.take(second) is None and request.parsed.take(first) is None
    assert sorted(parses) == [first, second]  # each read once (the first failing)
    assert f"Update {first} cannot be read" in caplog.text


def test_parsed_updates_never_taken_are_forgotten_beyond_the_limit() -> None:
    parsed = ParsedUpdates(limit=2)
    for update_id in (1, 2, 3):
        parsed.parse({"update_id": update_id})
    assert len(parsed) == 2 and parsed.take(1) is None and parsed.take(3) is not None


async def test_a_persistent_502_is_a_network_error_without_the_proxy_page_logged(
    standin: BotApiStandIn, bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    standin.inject("sendMessage", BadGateway(), times=4)
    with pytest.raises(NetworkError, match="HTTP 502"):
        await bot.send_message(chat_id=1, text="svar")
    assert "invalid JSON" not in caplog.text and "<html>" not in caplog.text


class Ledger:
    """What PollingRequest asks of the update ledger: update 2 open, 1 handled."""

    def known(self, update_id: int) -> bool:
        return update_id in (1, 2)

    def lowest_open(self) -> int | None:
        return 2

    async def settled(self, timeout: float) -> None:
        await asyncio.sleep(0)


async def test_polling_never_confirms_an_open_update_and_passes_known_ones_as_bare_ids(
    standin: BotApiStandIn,
) -> None:
    ids = standin.push_updates([standin.message_update(f"tlf {name}")
                                for name in ("tinn", "notodden", "flesberg")])
    assert ids == [1, 2, 3]
    request = PollingRequest(read_timeout=2)
    request.ledger = Ledger()
    async with Bot(TOKEN, base_url=standin.base_url, get_updates_request=request) as client:
        updates = await client.get_updates(offset=4, timeout=0)  # would confirm all three
    assert standin.calls("getUpdates")[0].params["offset"] == 2
    assert [update.update_id for update in updates] == [2, 3]
    assert updates[0].message is None and updates[1].message.text == "tlf flesberg"


async def test_polling_hands_each_batch_on_and_survives_a_failing_listener(
    standin: BotApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = standin.push_updates([standin.message_update("tlf tinn"),
                                          standin.message_update("tlf flesberg")])
    batches: list[list[int]] = []

    def failing(updates: list[Update]) -> None:
        batches.append([update.update_id for update in updates])
        raise AttributeError("'NoneType' object has no attribute 'type'")

    request = PollingRequest(read_timeout=2)
    request.parsed = ParsedUpdates()
    request.on_batch = failing
    async with Bot(TOKEN, base_url=standin.base_url, get_updates_request=request) as client:
        request.parsed.bot = client
        updates = await client.get_updates(timeout=0)
    assert [update.update_id for update in updates] == [first, second]
    assert batches == [[first, second]]
    assert "Could not hand the fetched questions ahead (AttributeError" in caplog.text
