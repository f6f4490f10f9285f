"""Tests for the Telegram Bot API stand-in, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultContact,
    InputTextMessageContent,
    MenuButtonCommands,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from tests.botapi_standin import (
    BOT_USER,
    DEFAULT_USER_ID,
    BadGateway,
    BotApiStandIn,
    Call,
    Delay,
    DropConnection,
    ErrorResponse,
    TooManyRequests,
    decode_request,
)

TOKEN = "123456:TEST-token-not-real-0000000000000000"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Ja", callback_data="yes"),
            InlineKeyboardButton("Nei", callback_data="no"),
        ]
    ]
)


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without this, constructing telegram.error.RetryAfter emits a PTBDeprecationWarning,
    # which the project's warning filter turns into an error.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    with BotApiStandIn() as api:
        yield api


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=4, read_timeout=2.0, connect_timeout=2.0)
    async with Bot(
        TOKEN, base_url=standin.base_url, base_file_url=standin.base_file_url, request=request
    ) as the_bot:
        yield the_bot


async def fast_bot(standin: BotApiStandIn, read_timeout: float) -> Bot:
    """A bot with a short read timeout (caller must shut it down)."""
    request = HTTPXRequest(read_timeout=read_timeout, connect_timeout=1.0)
    return Bot(TOKEN, base_url=standin.base_url, request=request)


# ------------------------------------------------------------------------------ basics


async def test_get_me_and_token(standin: BotApiStandIn, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 7000001
    assert me.is_bot
    assert me.first_name == "Kongsbergregionen"
    assert me.username == "kongsbergregionen_bot"
    assert me.can_join_groups
    assert me.supports_inline_queries
    assert bot.username == "kongsbergregionen_bot"  # set by Bot.initialize() via getMe
    assert standin.token_seen == TOKEN
    assert standin.tokens_seen == {TOKEN}
    assert standin.base_url == f"http://127.0.0.1:{standin.port}/bot"


async def test_send_message_with_inline_keyboard(standin: BotApiStandIn, bot: Bot) -> None:
    first = await bot.send_message(DEFAULT_USER_ID, "42", reply_markup=KEYBOARD)
    second = await bot.send_message(DEFAULT_USER_ID, "Hei på deg 👋")
    assert first.text == "42"
    assert first.reply_markup == KEYBOARD
    assert first.chat.id == DEFAULT_USER_ID
    assert first.from_user is not None and first.from_user.id == BOT_USER["id"]
    assert second.message_id > first.message_id
    assert second.reply_markup is None

    call = standin.calls("sendMessage")[0]
    # Form values: non-strings were JSON encoded by PTB and are decoded; text stays a string.
    assert call.params["chat_id"] == DEFAULT_USER_ID
    assert call.params["text"] == "42"
    assert call.params["reply_markup"] == KEYBOARD.to_dict()
    assert call.content_type == "application/x-www-form-urlencoded"
    assert [m["text"] for m in standin.sent_messages()] == ["42", "Hei på deg 👋"]
    assert [m["text"] for m in standin.sent_messages(chat_id=DEFAULT_USER_ID)] == [
        "42",
        "Hei på deg 👋",
    ]


async def test_send_message_validation(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(DEFAULT_USER_ID, "x" * 4097)
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(DEFAULT_USER_ID, "hei", reply_markup=bad)


async def test_edit_message_text(standin: BotApiStandIn, bot: Bot) -> None:
    sent = await bot.send_message(DEFAULT_USER_ID, "Velg:", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "Du valgte ja", chat_id=DEFAULT_USER_ID, message_id=sent.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Du valgte ja"
    assert edited.message_id == sent.message_id
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # editing without reply_markup drops the keyboard
    stored = standin.message(DEFAULT_USER_ID, sent.message_id)
    assert stored is not None and stored["text"] == "Du valgte ja"

    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Du valgte ja", DEFAULT_USER_ID, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("x", chat_id=DEFAULT_USER_ID, message_id=999)

    markup = await bot.edit_message_reply_markup(
        chat_id=DEFAULT_USER_ID, message_id=sent.message_id, reply_markup=KEYBOARD
    )
    assert not isinstance(markup, bool) and markup.reply_markup == KEYBOARD
    assert await bot.delete_message(DEFAULT_USER_ID, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.delete_message(DEFAULT_USER_ID, sent.message_id)


async def test_callback_query_round_trip(standin: BotApiStandIn, bot: Bot) -> None:
    sent = await bot.send_message(DEFAULT_USER_ID, "Velg:", reply_markup=KEYBOARD)
    standin.push_update(standin.callback_update("yes"))
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None
    assert query.data == "yes"
    assert query.from_user.id == DEFAULT_USER_ID
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await query.answer("Takk!", show_alert=True)
    call = standin.calls("answerCallbackQuery")[0]
    assert call.params == {"callback_query_id": query.id, "text": "Takk!", "show_alert": True}


async def test_answer_inline_query(standin: BotApiStandIn, bot: Bot) -> None:
    standin.push_update(standin.inline_update("søppel"))
    [update] = await bot.get_updates(timeout=1)
    assert update.inline_query is not None and update.inline_query.query == "søppel"
    results = [
        InlineQueryResultArticle(
            "a1", "Tømmekalender", InputTextMessageContent("Se tømmekalenderen")
        ),
        InlineQueryResultContact("c1", "+4732299000", "Kongsberg kommune"),
    ]
    assert await update.inline_query.answer(results, cache_time=0)
    call = standin.calls("answerInlineQuery")[0]
    assert call.params["inline_query_id"] == update.inline_query.id
    assert [r["type"] for r in call.params["results"]] == ["article", "contact"]
    assert call.params["results"][1]["phone_number"] == "+4732299000"
    with pytest.raises(BadRequest, match=r"(?i)duplicate"):
        await bot.answer_inline_query("1", [results[0], results[0]])


async def test_send_contact_with_vcard(standin: BotApiStandIn, bot: Bot) -> None:
    vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Servicetorget\nTEL:+4732299000\nEND:VCARD"
    message = await bot.send_contact(
        DEFAULT_USER_ID, phone_number="32299000", first_name="Servicetorget", vcard=vcard
    )
    assert message.contact is not None
    assert message.contact.phone_number == "32299000"  # stays a string (no JSON decoding)
    assert message.contact.vcard == vcard
    assert standin.delivered("sendContact")[0].params["vcard"] == vcard


async def test_commands_and_menu_button(standin: BotApiStandIn, bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Start")])
    assert await bot.set_my_commands(
        [BotCommand("start", "Kom i gang"), BotCommand("hjelp", "Hjelp")], language_code="nb"
    )
    nb = await bot.get_my_commands(language_code="nb")
    assert [c.command for c in nb] == ["start", "hjelp"]
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    assert standin.commands("nb")[1] == {"command": "hjelp", "description": "Hjelp"}
    assert standin.calls("setMyCommands")[1].params["language_code"] == "nb"
    assert await bot.delete_my_commands(language_code="nb")
    assert await bot.get_my_commands(language_code="nb") == ()
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])

    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert standin.menu_button() == {"type": "commands"}
    assert await bot.send_chat_action(DEFAULT_USER_ID, "typing")


async def test_send_document_bytes_multipart(standin: BotApiStandIn, bot: Bot) -> None:
    data = bytes(range(256)) + b"\r\n--not-a-boundary\r\n" + "æøå".encode()
    message = await bot.send_document(
        DEFAULT_USER_ID, data, filename="rapport.bin", caption="Årsrapport"
    )
    assert message.document is not None
    assert message.document.file_name == "rapport.bin"
    assert message.document.file_size == len(data)
    assert message.caption == "Årsrapport"
    call = standin.calls("sendDocument")[0]
    assert call.content_type == "multipart/form-data"
    assert call.params == {"chat_id": DEFAULT_USER_ID, "caption": "Årsrapport"}
    assert call.files["document"].data == data
    assert call.files["document"].filename == "rapport.bin"

    photo = await bot.send_photo(DEFAULT_USER_ID, b"\x89PNG fake", caption="Bilde")
    assert photo.photo and photo.caption == "Bilde"
    downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == data


# ------------------------------------------------------------------------------ updates


async def test_long_poll_returns_pushed_update_promptly(standin: BotApiStandIn, bot: Bot) -> None:
    async def push_later() -> int:
        await asyncio.sleep(0.3)
        return standin.push_message("Når er det søppeltømming?")

    started = time.monotonic()
    updates, update_id = await asyncio.gather(bot.get_updates(timeout=5), push_later())
    elapsed = time.monotonic() - started
    assert elapsed < 2.0
    [update] = updates
    assert update.update_id == update_id
    assert update.message is not None
    assert update.message.text == "Når er det søppeltømming?"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "nb"
    assert update.message.chat.type == "private"


async def test_long_poll_times_out_with_empty_list(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2.5


async def test_offset_confirms_and_limit(standin: BotApiStandIn, bot: Bot) -> None:
    ids = standin.push_updates([standin.message_update(f"m{i}") for i in range(3)])
    first = await bot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    again = await bot.get_updates()  # nothing confirmed yet: handed out again
    assert [u.update_id for u in again] == ids
    rest = await bot.get_updates(offset=ids[1] + 1)
    assert [u.update_id for u in rest] == [ids[2]]
    assert len(standin.pending_updates()) == 1
    assert await bot.get_updates(offset=ids[2] + 1, timeout=0) == ()
    assert standin.pending_updates() == []
    assert standin.calls("getUpdates")[-1].params == {"offset": ids[2] + 1, "timeout": 0}


async def test_allowed_updates_filters(standin: BotApiStandIn, bot: Bot) -> None:
    standin.push_update(standin.message_update("tekst"))
    standin.push_update(standin.inline_update("spørring"))
    updates = await bot.get_updates(allowed_updates=["inline_query"])
    assert [u.inline_query is not None for u in updates] == [True]


async def test_command_entities_and_other_update_kinds(standin: BotApiStandIn, bot: Bot) -> None:
    standin.push_update(standin.message_update("/start@kongsbergregionen_bot hei"))
    for kind in ("sticker", "photo", "location", "voice", "document", "contact", "venue"):
        standin.push_update(standin.message_update_with(kind, caption=None))
    group = standin.message_update("hei alle", chat_type="supergroup", chat_id=-100123)
    standin.push_update(group)
    updates = await bot.get_updates()
    command = updates[0].message
    assert command is not None and command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start@kongsbergregionen_bot")
    messages = [u.message for u in updates]
    assert all(m is not None for m in messages)
    assert messages[1] is not None and messages[1].sticker is not None
    assert messages[2] is not None and len(messages[2].photo) == 2
    assert messages[3] is not None and messages[3].location is not None
    assert messages[4] is not None and messages[4].voice is not None
    assert messages[5] is not None and messages[5].document is not None
    assert messages[6] is not None and messages[6].contact is not None
    assert messages[7] is not None and messages[7].venue is not None
    assert messages[8] is not None and messages[8].chat.type == "supergroup"
    # Builders produce valid PTB objects even without a round trip.
    update = Update.de_json({"update_id": 1, **standin.callback_update("x")}, bot)
    assert update.callback_query is not None and update.callback_query.data == "x"


async def test_webhook_methods_and_conflict(standin: BotApiStandIn, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.invalid/hook", secret_token="s3cret")
    info = await bot.get_webhook_info()
    assert info.url == "https://example.invalid/hook"
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()
    assert await bot.close()
    assert await bot.log_out()


async def test_parallel_long_polls_conflict(standin: BotApiStandIn, bot: Bot) -> None:
    async with await fast_bot(standin, read_timeout=2.0) as other:
        first = asyncio.create_task(bot.get_updates(timeout=3))
        await standin.await_for("getUpdates", count=1)
        await asyncio.sleep(0.05)
        second = asyncio.create_task(other.get_updates(timeout=3))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await first
        standin.push_message("til den nye")
        [update] = await second
        assert update.message is not None and update.message.text == "til den nye"


async def test_unknown_method_is_recorded(standin: BotApiStandIn, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathicMessage", api_kwargs={"chat_id": 1})
    assert standin.unknown_methods == ["sendTelepathicMessage"]
    call = standin.calls("sendTelepathicMessage")[0]
    assert call.status == 404 and not call.delivered


# ------------------------------------------------------------------------------ faults


async def test_fault_too_many_requests(standin: BotApiStandIn, bot: Bot) -> None:
    standin.inject("sendMessage", TooManyRequests(retry_after=3))
    with pytest.raises(RetryAfter) as excinfo:
        await bot.send_message(DEFAULT_USER_ID, "første")
    assert excinfo.value.retry_after == dtm.timedelta(seconds=3)
    assert (await bot.send_message(DEFAULT_USER_ID, "andre")).text == "andre"
    first, second = standin.calls("sendMessage")
    assert first.faulted and first.status == 429 and not first.delivered
    assert not second.faulted and second.delivered
    assert [m["text"] for m in standin.sent_messages()] == ["andre"]


async def test_fault_bad_gateway(standin: BotApiStandIn, bot: Bot) -> None:
    standin.inject("sendMessage", BadGateway())
    standin.inject("sendMessage", BadGateway(body=b""))
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(DEFAULT_USER_ID, "hei")
    assert standin.sent_messages() == []
    assert standin.delivered("sendMessage") == []
    assert [c.status for c in standin.calls("sendMessage")] == [502, 502]


async def test_fault_drop_connection(standin: BotApiStandIn, bot: Bot) -> None:
    standin.inject("sendMessage", DropConnection())
    with pytest.raises(NetworkError):
        await bot.send_message(DEFAULT_USER_ID, "hei")
    [call] = standin.calls("sendMessage")
    assert call.faulted and call.status is None and not call.delivered
    assert (await bot.send_message(DEFAULT_USER_ID, "igjen")).text == "igjen"
    assert [m["text"] for m in standin.sent_messages()] == ["igjen"]


async def test_fault_delay_beyond_read_timeout(standin: BotApiStandIn) -> None:
    async with await fast_bot(standin, read_timeout=0.3) as slow_bot:
        standin.inject("sendMessage", Delay(0.8))
        with pytest.raises(TimedOut):
            await slow_bot.send_message(DEFAULT_USER_ID, "treg")
        # Like the real API, the slow request still takes effect once the delay is over.
        [call] = await standin.await_for("sendMessage", lambda c: c.delivered, timeout=3)
        assert isinstance(call.fault, Delay)
        standin.inject("getMe", Delay(0.1))
        assert (await slow_bot.get_me()).id == BOT_USER["id"]


async def test_faults_are_consumed_in_order(standin: BotApiStandIn, bot: Bot) -> None:
    standin.inject("sendMessage", ErrorResponse(403, "Forbidden: bot was blocked by the user"))
    standin.inject("sendMessage", TooManyRequests(1), times=2)
    assert standin.pending_faults("sendMessage") == 3
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(DEFAULT_USER_ID, "1")
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(DEFAULT_USER_ID, "2")
    assert standin.pending_faults() == 0
    await bot.send_message(DEFAULT_USER_ID, "3")
    assert [c.status for c in standin.calls("sendMessage")] == [403, 429, 429, 200]


async def test_outage_fails_every_request_for_a_while(standin: BotApiStandIn, bot: Bot) -> None:
    until = standin.outage("sendMessage", BadGateway(), seconds=0.5)
    for _ in range(3):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(DEFAULT_USER_ID, "under utfallet")
    assert (await bot.get_me()).id == BOT_USER["id"]  # other methods are not affected
    await asyncio.sleep(max(0.0, until - time.monotonic()))
    assert (await bot.send_message(DEFAULT_USER_ID, "etterpå")).text == "etterpå"
    assert [c.status for c in standin.calls("sendMessage")] == [502, 502, 502, 200]
    standin.outage("*", DropConnection(), seconds=60)
    standin.clear_faults()
    assert (await bot.get_me()).id == BOT_USER["id"]


async def test_a_get_updates_outage_ends_a_waiting_long_poll(
    standin: BotApiStandIn, bot: Bot
) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await standin.await_for("getUpdates")
    started = time.monotonic()
    standin.outage("getUpdates", BadGateway(), seconds=0.5)
    standin.push_message("under utfallet")
    assert await waiting == ()  # it returned at once, empty
    assert time.monotonic() - started < 2
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_updates(timeout=0)


async def test_check_html_refuses_what_telegram_cannot_parse() -> None:
    with BotApiStandIn(check_html=True) as strict:
        async with Bot(TOKEN, base_url=strict.base_url) as strict_bot:
            sent = await strict_bot.send_message(
                DEFAULT_USER_ID, "<b>Svar</b> &lt;script&gt; &amp; <a href='x'>lenke</a>",
                parse_mode="HTML",
            )
            for text in ("<script>x</script>", "jeg <3 Tinn", "<b>åpen", "x</i>"):
                with pytest.raises(BadRequest, match="parse entities"):
                    await strict_bot.send_message(DEFAULT_USER_ID, text, parse_mode="HTML")
                with pytest.raises(BadRequest, match="parse entities"):
                    await strict_bot.edit_message_text(
                        text, chat_id=DEFAULT_USER_ID, message_id=sent.message_id,
                        parse_mode="HTML",
                    )
            assert (await strict_bot.send_message(DEFAULT_USER_ID, "jeg <3 Tinn")).text


async def test_check_replies_refuses_a_reply_to_a_missing_message() -> None:
    with BotApiStandIn(check_replies=True) as strict:
        async with Bot(TOKEN, base_url=strict.base_url) as strict_bot:
            with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
                await strict_bot.send_message(
                    DEFAULT_USER_ID, "svar", reply_parameters=ReplyParameters(999))
            sent = await strict_bot.send_message(
                DEFAULT_USER_ID, "svar",
                reply_parameters=ReplyParameters(999, allow_sending_without_reply=True))
            assert sent.text == "svar"


# ------------------------------------------------------------------------------ recording


async def test_wait_for_and_timeout_message(standin: BotApiStandIn, bot: Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.2)
        await bot.send_message(DEFAULT_USER_ID, "a")
        await bot.send_message(DEFAULT_USER_ID, "b")

    task = asyncio.create_task(send_later())
    calls = await standin.await_for("sendMessage", count=2, timeout=5)
    await task
    assert [c.params["text"] for c in calls] == ["a", "b"]
    matching = standin.wait_for("sendMessage", lambda c: c.params["text"] == "b", timeout=0)
    assert len(matching) == 1

    with pytest.raises(TimeoutError) as excinfo:
        standin.wait_for("sendPhoto", timeout=0.1)
    message = str(excinfo.value)
    assert "sendPhoto" in message and "sendMessage×2" in message and "getMe×1" in message

    standin.clear()
    assert standin.calls() == []


async def test_timing_hooks(standin: BotApiStandIn, bot: Bot) -> None:
    update_id = standin.push_message("ping", user_id=42)
    [update] = await bot.get_updates()
    await bot.send_message(42, "pong")
    [timing] = standin.update_timings()
    assert timing.update_id == update_id == update.update_id
    assert timing.chat_id == 42
    assert timing.handed_out_at is not None and timing.handed_out_at >= timing.pushed_at
    [reply] = standin.reply_timings()
    assert reply.chat_id == 42 and reply.text == "pong"
    assert reply.time >= timing.handed_out_at


def test_decode_request_variants() -> None:
    params, files = decode_request(
        "application/json", json.dumps({"chat_id": 5, "text": "7"}).encode()
    )
    assert params == {"chat_id": 5, "text": "7"} and files == {}
    params, _ = decode_request(
        "application/x-www-form-urlencoded",
        b"chat_id=%40kanal&text=true&disable_notification=true&reply_markup=%7B%7D",
        query="limit=5",
    )
    assert params == {
        "limit": 5,
        "chat_id": "@kanal",
        "text": "true",
        "disable_notification": True,
        "reply_markup": {},
    }
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="chat_id"\r\n\r\n12\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="document"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n"
    )
    params, files = decode_request("multipart/form-data; boundary=XyZ", body)
    assert params == {"chat_id": 12}
    assert files["document"].data == b"hello" and files["document"].filename == "a.txt"
    with pytest.raises(ValueError):
        decode_request("application/xml", b"<x/>")


def test_recorded_call_is_a_plain_record() -> None:
    call = Call("sendMessage", {"text": "x"}, 1.0)
    assert not call.faulted and not call.delivered
    assert "sendMessage" in call.summary()


# ------------------------------------------------------------------------------ application


async def test_application_polling_echo(standin: BotApiStandIn) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text)

    application = ApplicationBuilder().token(TOKEN).base_url(standin.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await standin.await_for("getUpdates")
        standin.push_message("Hei!", user_id=11)
        standin.push_message("Hvor er rådhuset?", user_id=12)
        replies = await standin.await_for("sendMessage", count=2, timeout=10)
        await application.updater.stop()
        await application.stop()
    assert {(c.params["chat_id"], c.params["text"]) for c in replies} == {
        (11, "Hei!"),
        (12, "Hvor er rådhuset?"),
    }
    assert standin.calls("getMe") and standin.calls("deleteWebhook")
    assert standin.pending_updates() == []  # the updater confirmed both on shutdown
