"""sendMessage failing for a while: every reply delivered exactly once after recovery, in order
per chat, other chats not held up; a fault longer than the retry window costs one WARNING per
lost reply and nothing else.

Time is scaled by 1/20 so that the module runs in about half a minute: the retry window is 6 s
(120 s deployed), and the faults of 10, 30 and 90 s last 0.5, 1.5 and 4.5 s. During each fault
every kind takes its turn, a tenth of a second at a time: 502 (nginx's page), 503, a dropped
connection and 429 with `retry_after`. The bot runs as deployed otherwise (rate limiter at 30
replies/s, transport retries).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.botapi_standin import (
    ApiError,
    BadGateway,
    BotApiStandIn,
    Call,
    DropConnection,
    ErrorResponse,
    TooManyRequests,
)
from tests.reliability.harness import TOKEN, BotRun, figure, hashed, to_chat

SCALE = 1 / 20
WINDOW = 120 * SCALE
FAULTS = [10 * SCALE, 30 * SCALE, 90 * SCALE]
KINDS = [BadGateway(), ErrorResponse(503, "Service Unavailable"), DropConnection(),
         TooManyRequests(retry_after=1)]
SLICE = 0.1
QUESTIONS = ["tlf notodden", "tlf tinn"]  # answered with different texts: order is visible
SETTLE = 2.0  # a reply sent twice would show up by then


@pytest.fixture(scope="module")
def api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn(expected_token=TOKEN, check_html=True) as server:
        yield server


@pytest.fixture(scope="module")
def bot(api: BotApiStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotRun]:
    run = BotRun(api, tmp_path_factory.mktemp("delivery"), {
        "delivery": {"retry_window_seconds": WINDOW},
    })
    with run:
        for question in QUESTIONS:  # the first questions warm the engine up (about 1 s)
            run.ask(question, 5999)
        yield run


def every_kind_in_turn(api: BotApiStandIn, seconds: float) -> threading.Thread:
    """Fail sendMessage for `seconds`, each kind of fault in turn for SLICE seconds."""
    def run() -> None:
        end = time.monotonic() + seconds
        turn = 0
        while (left := end - time.monotonic()) > 0:
            api.outage("sendMessage", KINDS[turn % len(KINDS)], left)
            turn += 1
            time.sleep(min(SLICE, left))
        api.clear_faults()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def failing_for(api: BotApiStandIn, chat: int, seconds: float) -> Callable[[], None]:
    """Answer sendMessage to `chat` with 502 for `seconds` (other chats are served); returns
    a function that puts the usual sendMessage back."""
    original = api._methods["sendmessage"][1]
    until = time.monotonic() + seconds

    def send_message(call: Call) -> Any:
        if to_chat(chat)(call) and time.monotonic() < until:
            raise ApiError(502, "Bad Gateway")
        return original(call)

    api.set_method("sendMessage", send_message)
    return lambda: api.set_method("sendMessage", original)


def texts(bot: BotRun, chat: int) -> list[str]:
    return [call.params["text"] for call in bot.replies(chat)]


def in_order(replies: list[str]) -> bool:
    """The replies answer QUESTIONS in order (Notodden's before Tinn's)."""
    return len(replies) == 2 and "Notodden" in replies[0] and "Tinn" in replies[1]


@pytest.mark.parametrize("seconds", FAULTS, ids=["10s", "30s", "90s"])
def test_a_fault_within_the_window_delivers_every_reply_once_in_order(
    api: BotApiStandIn, bot: BotRun, seconds: float
) -> None:
    chats = range(6000 + int(seconds * 100), 6000 + int(seconds * 100) + 4)
    fault = every_kind_in_turn(api, seconds)
    for question in QUESTIONS:
        for chat in chats:
            api.push_update(api.message_update(question, user_id=chat))
    fault.join()
    ended = time.monotonic()
    for chat in chats:
        bot.wait_for("sendMessage", lambda c, u=chat: c.delivered and to_chat(u)(c), count=2,
                     timeout=WINDOW + 10)
    recovered = max(call.time for chat in chats for call in bot.replies(chat)) - ended
    time.sleep(SETTLE)
    for chat in chats:
        assert in_order(texts(bot, chat)), texts(bot, chat)
    failed = [c for c in api.calls("sendMessage") if c.faulted and c.params["chat_id"] in chats]
    assert failed, "the fault was not felt"
    kinds = {type(c.fault).__name__ for c in failed}
    figure(f"sendMessage failing {seconds / SCALE:.0f} s (scaled: {seconds:g} s)",
           f"{len(chats) * 2} replies, each delivered once, in order; {len(failed)} failed "
           f"sends ({', '.join(sorted(kinds))}); last reply {max(0.0, recovered):.1f} s after "
           "the fault ended")


def test_a_chat_that_waits_does_not_hold_up_the_others(api: BotApiStandIn, bot: BotRun) -> None:
    stuck, others = 6100, range(6101, 6106)
    restore = failing_for(api, stuck, seconds=3.0)
    try:
        for question in QUESTIONS:
            api.push_update(api.message_update(question, user_id=stuck))
        time.sleep(0.3)
        asked = time.monotonic()
        for chat in others:
            api.push_update(api.message_update(QUESTIONS[0], user_id=chat))
        for chat in others:
            bot.wait_for("sendMessage", lambda c, u=chat: c.delivered and to_chat(u)(c))
        waited = max(bot.replies(chat)[0].time for chat in others) - asked
        assert not bot.replies(stuck), "the stuck chat was answered during its fault"
        assert waited < 1.0
        bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(stuck)(c), count=2,
                     timeout=WINDOW + 5)
    finally:
        restore()
    time.sleep(SETTLE)
    assert in_order(texts(bot, stuck)), texts(bot, stuck)
    figure("one chat failing 60 s (scaled: 3 s)",
           f"5 other chats answered within {waited:.2f} s meanwhile; its own 2 replies "
           "delivered once each, in order, after the fault")


def test_a_fault_longer_than_the_window_gives_one_warning_per_lost_reply(
    api: BotApiStandIn, bot: BotRun
) -> None:
    chat = 6200
    log_before = len(bot.output())
    restore = failing_for(api, chat, seconds=WINDOW + 3.0)
    try:
        update_ids = [api.push_update(api.message_update(question, user_id=chat))
                      for question in QUESTIONS]
        deadline = time.monotonic() + WINDOW + 10
        while time.monotonic() < deadline and bot.output()[log_before:].count("given up") < 2:
            time.sleep(0.2)
    finally:
        restore()
    output = bot.output()[log_before:]
    given_up = [line for line in output.splitlines() if "given up" in line]
    assert len(given_up) == 2, output
    for line, update_id in zip(given_up, update_ids, strict=True):
        assert " WARNING " in line and hashed(chat) in line and f"update {update_id}" in line
        assert str(chat) not in line.replace(str(update_id), "")  # no raw chat id
    assert "Traceback" not in output and " ERROR " not in output, output
    assert not bot.replies(chat)
    # after the fault the chat is served again, and the lost replies do not come back
    assert "Notodden" in bot.ask(QUESTIONS[0], chat).params["text"]
    time.sleep(SETTLE)
    assert len(bot.replies(chat)) == 1
    figure(f"one chat failing past the {WINDOW / SCALE:.0f} s window (scaled)",
           "2 replies lost: 2 WARNING lines (chat hash and update id), no traceback, no ERROR; "
           "the next question answered")


def test_sigterm_while_a_reply_waits_stops_at_once_and_the_restart_answers_it(
    api: BotApiStandIn, bot: BotRun
) -> None:
    chat = 6300
    restore = failing_for(api, chat, seconds=60)
    try:
        update_id = api.push_update(api.message_update(QUESTIONS[0], user_id=chat))
        bot.wait_for("sendMessage", to_chat(chat), count=2)  # it is failing
        stopping = time.monotonic()
        assert bot.stop() == 0
        stopped = time.monotonic() - stopping
    finally:
        restore()
    assert stopped < 5.0
    assert "1 update(s) not answered before shutdown" in bot.output()
    assert any(update["update_id"] == update_id for update in api.pending_updates())
    bot.start()  # Telegram sends the update again: answered now, once
    bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(chat)(c))
    time.sleep(SETTLE)
    assert len(bot.replies(chat)) == 1
    figure("SIGTERM while a reply waits in the outbox",
           f"stopped in {stopped:.1f} s; the update left unconfirmed, answered once after the "
           "restart")


def test_nothing_was_sent_twice_and_every_question_was_logged_once(
    api: BotApiStandIn, bot: BotRun
) -> None:
    assert bot.stop() == 0
    bot.assert_no_secrets()
    sent = [c.params["text"] for c in api.delivered("sendMessage")]
    by_chat: dict[int, int] = {}
    for call in api.delivered("sendMessage"):
        by_chat[call.params["chat_id"]] = by_chat.get(call.params["chat_id"], 0) + 1
    assert all(count <= 5 for count in by_chat.values()), by_chat
    assert sent
    logged = bot.rows("SELECT user_hash, COUNT(*) FROM questions GROUP BY user_hash")
    asked = {chat: count for chat, count in by_chat.items() if chat != 5999}
    asked[5999] = len(QUESTIONS)
    asked[6200] = 3  # two given up, one answered: all three logged
    assert dict(logged) == {hashed(chat): count for chat, count in asked.items()}
    assert not re.search(r"Traceback", bot.output())
