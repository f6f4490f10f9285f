"""Tests for bot/http_client.py: the aiohttp transport against the Bot API stand-in, side by
side with python-telegram-bot's own httpx transport where they must agree."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from bot.http_client import AiohttpRequest, TimedOutBeforeSending
from bot.lifecycle import StartWitness
from bot.transport import RetryingRequest, never_sent
from tests.botapi_standin import BotApiStandIn, Delay, DropConnection

TOKEN = "123456:HTTPCLIENT-token-not-real-0000000000"
MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("📇 Lagre kontakt", callback_data="c:1")],
                               [InlineKeyboardButton("👍", callback_data="f:1"),
                                InlineKeyboardButton("👎", callback_data="f:0")]])


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as server:
        yield server


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def send_reply(request: BaseRequest, standin: BotApiStandIn) -> None:
    async with Bot(TOKEN, base_url=standin.base_url, request=request) as bot:
        await bot.send_message(
            chat_id=42, text="<b>Tinn kommune</b>: 35 08 10 00 & «æøå»", parse_mode="HTML",
            reply_markup=MARKUP, link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_to_message_id=None,
        )


async def test_a_reply_arrives_exactly_as_httpx_sends_it(standin: BotApiStandIn) -> None:
    await send_reply(HTTPXRequest(), standin)
    await send_reply(AiohttpRequest(), standin)
    by_httpx, by_aiohttp = standin.calls("sendMessage")
    assert by_aiohttp.params == by_httpx.params
    assert by_aiohttp.params["text"] == "<b>Tinn kommune</b>: 35 08 10 00 & «æøå»"
    assert by_aiohttp.params["reply_markup"]["inline_keyboard"][1][1]["text"] == "👎"


async def test_a_file_is_uploaded_with_its_caption(standin: BotApiStandIn) -> None:
    async with Bot(TOKEN, base_url=standin.base_url, request=AiohttpRequest()) as bot:
        await bot.send_document(chat_id=42, document=b"dato;antall\n2025-01-01;3\n",
                                filename="logg.csv", caption="Eksport")
    [call] = standin.calls("sendDocument")
    assert call.params["caption"] == "Eksport" and call.params["chat_id"] == 42
    [upload] = call.files.values()
    assert upload.filename == "logg.csv" and upload.data == b"dato;antall\n2025-01-01;3\n"


async def test_a_slow_answer_times_out_as_possibly_sent(standin: BotApiStandIn) -> None:
    standin.inject("sendMessage", Delay(1.0))
    async with Bot(TOKEN, base_url=standin.base_url,
                   request=AiohttpRequest(read_timeout=0.3)) as bot:
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(chat_id=1, text="svar")
    assert not isinstance(caught.value, TimedOutBeforeSending)
    assert not never_sent(caught.value)


async def test_waiting_for_a_free_connection_times_out_as_never_sent(
    standin: BotApiStandIn,
) -> None:
    standin.inject("sendMessage", Delay(1.0))
    request = AiohttpRequest(connection_pool_size=1, read_timeout=3, connect_timeout=0.1,
                             pool_timeout=0.1)
    async with Bot(TOKEN, base_url=standin.base_url, request=request) as bot:
        first = asyncio.create_task(bot.send_message(chat_id=1, text="først"))
        await asyncio.sleep(0.2)  # the one connection is now taken
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(chat_id=2, text="andre")
        await first
    assert never_sent(caught.value)
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None
    assert [call.params["text"] for call in standin.calls("sendMessage")] == ["først"]


async def test_a_timeout_before_sending_is_retried_by_the_bots_transport(
    standin: BotApiStandIn,
) -> None:
    standin.inject("sendMessage", Delay(0.6))
    request = RetryingRequest(connection_pool_size=1, read_timeout=3, connect_timeout=0.1,
                              pool_timeout=0.1, first_delay=0.5)
    async with Bot(TOKEN, base_url=standin.base_url, request=request) as bot:
        first = asyncio.create_task(bot.send_message(chat_id=1, text="først"))
        await asyncio.sleep(0.2)
        second = await bot.send_message(chat_id=2, text="andre")  # waited for the pool
        await first
    assert second.text == "andre"
    assert [call.params["text"] for call in standin.delivered("sendMessage")] == [
        "først", "andre"]


@pytest.mark.parametrize("transport", [HTTPXRequest, AiohttpRequest])
async def test_a_dropped_connection_is_a_network_error(
    standin: BotApiStandIn, transport: type[BaseRequest]
) -> None:
    standin.inject("sendMessage", DropConnection())
    async with Bot(TOKEN, base_url=standin.base_url, request=transport()) as bot:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(chat_id=1, text="svar")
    assert not isinstance(caught.value, TimedOut)


async def test_errors_never_carry_the_token() -> None:
    base_url = f"http://127.0.0.1:{free_port()}/bot"
    request = AiohttpRequest(connect_timeout=1)
    await request.initialize()
    try:
        for url in (f"{base_url}{TOKEN}/getMe", f"http://[::1/bot{TOKEN}/getMe",
                    f"http://127.0.0.1:port/bot{TOKEN}/getMe", f"http:///bot{TOKEN}/getMe"):
            with pytest.raises(NetworkError) as caught:
                await request.post(url)
            error = caught.value
            assert TOKEN not in str(error) and TOKEN not in repr(error)
            assert error.__cause__ is None and error.__suppress_context__  # not in tracebacks
            assert not error.message.startswith("Unknown error")  # mapped here, not by PTB
    finally:
        await request.shutdown()


async def test_the_witness_hears_each_method_and_its_status(standin: BotApiStandIn) -> None:
    witness = StartWitness()
    request = AiohttpRequest(witness=witness)
    async with Bot(TOKEN, base_url=standin.base_url, request=request) as bot:
        assert (witness.method, witness.status) == ("getMe", 200)
        with pytest.raises(NetworkError):
            await bot.send_message(chat_id=1, text="x", reply_markup="not json")  # type: ignore[arg-type]
    assert witness.method == "sendMessage"


async def test_a_closed_transport_refuses_until_initialized_again(
    standin: BotApiStandIn,
) -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{standin.base_url}{TOKEN}/getMe", "POST")
    await request.initialize()
    await request.shutdown()
    await request.initialize()
    try:
        status, _body = await request.do_request(f"{standin.base_url}{TOKEN}/getMe", "POST")
    finally:
        await request.shutdown()
    assert status == 200


async def test_a_proxy_named_in_the_environment_is_used(
    standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", standin.base_url.removesuffix("/bot"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    nowhere = f"http://telegram.invalid:{free_port()}/bot"  # reached only through the proxy
    async with Bot(TOKEN, base_url=nowhere, request=AiohttpRequest()) as bot:
        assert (await bot.get_me()).username
    assert standin.calls("getMe")


def test_no_proxy_exempts_a_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "api.telegram.org")
    request = AiohttpRequest()
    assert request._proxy(f"https://api.telegram.org/bot{TOKEN}/getMe") is None
    assert request._proxy(f"https://other.invalid/bot{TOKEN}/getMe") == (
        "http://proxy.invalid:3128")
