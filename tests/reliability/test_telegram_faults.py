"""Telegram misbehaving: 429 with retry_after, 502, answers slower than the read timeout,
dropped connections, getUpdates failing for a while, and all of it at once under load.

One bot process serves the module, configured as deployed (rate limiter at 30 messages/s with
retries after 429; flood guard at 20 messages in 10 s) except for a 1-second read timeout, so
that a slow Telegram costs the suite seconds rather than minutes, and DEBUG logging, so that
"no token in the output at any level" is checked on every error path too. Each test has chats
of its own; every question asked is recorded, and the last test checks that each was answered
exactly once and logged exactly once.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest

from tests.botapi_standin import (
    BadGateway,
    BotApiStandIn,
    Call,
    Delay,
    DropConnection,
    ErrorResponse,
    Fault,
    TooManyRequests,
)
from tests.reliability.harness import TOKEN, BotRun, figure, hashed, to_chat

READ_TIMEOUT = 1.0
OUTAGE = 4.0
# PTB's polling loop waits 1 s after a failed getUpdates, then 1.5 times longer each time, at
# most 30 s: recovery after an outage ends is bounded by that.
MAX_RECOVERY = 31.0
SETTLE = 1.5  # a resend (at most 1.75 s of backoff) or an apology would show up by then

ASKED: dict[int, list[str]] = defaultdict(list)


@pytest.fixture(scope="module")
def api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn(expected_token=TOKEN, check_html=True) as server:
        yield server


@pytest.fixture(scope="module")
def bot(api: BotApiStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotRun]:
    run = BotRun(api, tmp_path_factory.mktemp("telegram-faults"), {
        "telegram": {"read_timeout": READ_TIMEOUT}, "logging": {"level": "DEBUG"},
    })
    with run:
        yield run


@pytest.fixture(autouse=True)
def _no_faults_left(api: BotApiStandIn) -> Iterator[None]:
    yield
    api.clear_faults()


def push(api: BotApiStandIn, text: str, user: int) -> None:
    """Push a question and remember it was asked."""
    ASKED[user].append(text)
    api.push_update(api.message_update(text, user_id=user))


def ask(bot: BotRun, text: str, user: int) -> Call:
    """Ask and wait for the reply."""
    ASKED[user].append(text)
    return bot.ask(text, user)


def sends(api: BotApiStandIn, user: int) -> list[Call]:
    """Every sendMessage request to `user`'s chat, faulted or not."""
    return [call for call in api.calls("sendMessage") if to_chat(user)(call)]


def assert_answered_once(bot: BotRun, users: range | list[int], timeout: float = 60) -> None:
    """Each user got one reply per question asked (waiting for them), and no more."""
    for user in users:
        bot.wait_for("sendMessage", lambda c, u=user: c.delivered and to_chat(u)(c),
                     count=len(ASKED[user]), timeout=timeout)
    time.sleep(SETTLE)
    for user in users:
        assert len(bot.replies(user)) == len(ASKED[user]), f"user {user}"


def test_429_is_waited_out_and_the_question_answered_once(
    api: BotApiStandIn, bot: BotRun
) -> None:
    user = 5001
    api.inject("sendMessage", TooManyRequests(retry_after=1), times=2)
    ask(bot, "tlf notodden", user)
    assert_answered_once(bot, [user])
    calls = sends(api, user)
    assert [call.status for call in calls] == [429, 429, 200]
    assert calls[1].time - calls[0].time >= 1.0 and calls[2].time - calls[1].time >= 1.0


def test_502_and_dropped_connections_are_sent_again_without_duplicates(
    api: BotApiStandIn, bot: BotRun
) -> None:
    user = 5002
    api.inject("sendMessage", BadGateway(), times=2)
    ask(bot, "tlf tinn", user)
    api.inject("sendMessage", DropConnection(), times=2)
    ask(bot, "tlf kongsberg", user)
    api.inject("sendMessage", ErrorResponse(504, "Gateway Timeout"))
    ask(bot, "tlf flesberg", user)
    assert_answered_once(bot, [user])
    assert [call.status for call in sends(api, user)] == [502, 502, 200, None, None, 200,
                                                          504, 200]


def test_an_answer_slower_than_the_read_timeout_is_not_sent_twice(
    api: BotApiStandIn, bot: BotRun
) -> None:
    user = 5003
    api.inject("sendMessage", Delay(READ_TIMEOUT + 1.0))
    push(api, "tlf hjartdal", user)
    assert_answered_once(bot, [user])
    [call] = sends(api, user)
    assert isinstance(call.fault, Delay) and call.delivered  # delivered late, once
    assert "35 01" not in bot.ask("tlf rollag", user).params["text"]  # and on it goes
    ASKED[user].append("tlf rollag")


@pytest.mark.parametrize("fault", [BadGateway(), DropConnection()], ids=["502", "dropped"])
def test_get_updates_failing_for_a_while_recovers(
    api: BotApiStandIn, bot: BotRun, fault: Fault
) -> None:
    users = range(5010, 5015) if isinstance(fault, BadGateway) else range(5015, 5020)
    until = api.outage("getUpdates", fault, seconds=OUTAGE)
    time.sleep(0.5)
    for user in users:
        push(api, "hvem er med i regionrådet", user)
    assert_answered_once(bot, users, timeout=OUTAGE + MAX_RECOVERY)
    failed = [call for call in api.calls("getUpdates") if call.fault == fault]
    assert len(failed) >= 2  # it did fail, and the bot kept trying
    first_reply = min(bot.replies(user)[0].time for user in users)
    recovery = max(0.0, first_reply - until)
    assert recovery < MAX_RECOVERY
    figure(f"getUpdates {'502' if isinstance(fault, BadGateway) else 'dropped'} "
           f"for {OUTAGE:g} s", f"{len(failed)} failed polls; first answer {recovery:.1f} s "
           "after the outage ended")


def test_get_updates_429_is_waited_out(api: BotApiStandIn, bot: BotRun) -> None:
    user = 5020
    api.outage("getUpdates", TooManyRequests(retry_after=2), seconds=0.5)
    time.sleep(0.1)
    push(api, "tlf notodden", user)
    assert_answered_once(bot, [user], timeout=30)
    polls = api.calls("getUpdates")
    limited = max(i for i, call in enumerate(polls) if call.status == 429)
    assert polls[limited + 1].time - polls[limited].time >= 2.0  # retry_after was honoured


def inject_every(
    api: BotApiStandIn, method: str, every: int, faults: list[Fault]
) -> Callable[[], None]:
    """Until the returned function is called, let every `every`-th answered `method` request
    be followed by the next of `faults`."""
    cycle = itertools.cycle(faults)
    counter = itertools.count(1)
    lock = threading.Lock()
    active = threading.Event()
    active.set()

    def listener(call: Call) -> None:
        if call.method == method and active.is_set():
            with lock:
                if next(counter) % every == 0:
                    api.inject(method, next(cycle))

    api.add_listener(listener)
    return active.clear


def test_every_fault_at_once_under_load_still_answers_each_question_once(
    api: BotApiStandIn, bot: BotRun
) -> None:
    users = range(5100, 5120)
    stop_chaos = inject_every(api, "sendMessage", 12, [
        TooManyRequests(retry_after=1), BadGateway(), DropConnection(),
        Delay(READ_TIMEOUT + 0.5), ErrorResponse(503, "Service Unavailable"),
    ])
    try:
        for round_number in range(10):
            for user in users:
                push(api, f"tlf {['notodden', 'tinn', 'kongsberg'][round_number % 3]}", user)
            if round_number == 4:
                api.outage("getUpdates", BadGateway(), seconds=1.5)
            time.sleep(0.3)
        assert_answered_once(bot, users, timeout=120)
    finally:
        stop_chaos()
    faulted = [call for call in api.calls("sendMessage") if call.faulted]
    assert len(faulted) >= 10
    figure("chaos: 200 questions, mixed faults",
           f"{len(faulted)} faulted sends (429, 502, 503, dropped, slow), "
           "every question answered once")


def test_every_question_was_logged_once_and_the_token_never_printed(
    api: BotApiStandIn, bot: BotRun
) -> None:
    assert bot.stop() == 0
    bot.assert_no_secrets()
    assert " DEBUG " in bot.output()
    counts: dict[str, int] = defaultdict(int)
    for (user_hash,) in bot.rows("SELECT user_hash FROM questions"):
        counts[user_hash] += 1
    assert {hashed(user): len(texts) for user, texts in ASKED.items()} == dict(counts)


def test_the_bot_called_no_method_the_stand_in_does_not_know(api: BotApiStandIn) -> None:
    assert not api.unknown_methods
