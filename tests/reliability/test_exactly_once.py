"""kill -9 at random moments during bursts of questions, ten times, restarting each time: every
question answered, none twice (or the bound measured), every question logged exactly once.

Each resident asks one question, so a reply counted twice is a duplicate and a resident without
a reply is an unanswered question; nothing can hide the one behind the other. Polling mode
runs against the stand-in's getUpdates (Telegram sends what was not confirmed again); webhook
mode against `WebhookPoster`, which posts like Telegram does: several posts at once, and an
update not answered with 200 (refused connection, dropped connection, an error) posted again.

`make test` runs bursts of BURST questions with the rate limiter as deployed (30 replies/s);
`python -m bench.exactly_once` runs the full 1 000 × 10 of the issue (EXACTLY_ONCE_RATE sets
the rate limiter, e.g. 1000 to measure the bot at full speed).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import BotRun, code, figure, integrity, query

BURST = int(os.environ.get("EXACTLY_ONCE_BURST", "60"))
KILLS = int(os.environ.get("EXACTLY_ONCE_KILLS", "10"))
SEED = int(os.environ.get("EXACTLY_ONCE_SEED", str(random.randrange(1 << 30))))
SECRET = "exactly-once-webhook-secret-000000000000000"
RATE = int(os.environ.get("EXACTLY_ONCE_RATE", "30"))
CONFIG = {"telegram": {"overall_max_rate": RATE}}
FIRST_USER = 100_000
# A reply Telegram accepted in the last moments before kill -9, whose record was not yet
# committed, is sent again after the restart. As deployed (30 replies/s) that was 1 to 31 in
# ten kills over nine seeds; at 100/s 17 per kill, at 1 000/s 21-29 (bench.exactly_once with
# EXACTLY_ONCE_RATE). The bound is for the deployed rate, with room for a loaded machine.
DUPLICATES_PER_KILL = 5


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WebhookPoster:
    """Posts updates to the bot's webhook like Telegram: `connections` at once, each update
    until it is answered with 200 (anything else, or no answer, and it is posted again)."""

    port: int
    secret: str
    connections: int = 8
    acknowledged: set[int] = field(default_factory=set)
    posts: int = 0
    _in_flight: int = 0
    _queue: list[dict] = field(default_factory=list)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> WebhookPoster:
        for number in range(self.connections):
            thread = threading.Thread(target=self._run, name=f"poster-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def post(self, updates: list[dict]) -> None:
        """Queue updates to be posted."""
        with self._lock:
            self._queue.extend(updates)
            self._lock.notify_all()

    def unacknowledged(self) -> int:
        """Updates queued or being posted, not yet answered with 200."""
        with self._lock:
            return len(self._queue) + self._in_flight

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        for thread in self._threads:
            thread.join(timeout=35)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                while not self._queue and not self._stop.is_set():
                    self._lock.wait(0.2)
                if self._stop.is_set():
                    return
                update = self._queue.pop(0)
                self._in_flight += 1
            status = self._send(update)
            if status != 200:
                time.sleep(0.05)
            with self._lock:
                self._in_flight -= 1
                if status == 200:
                    self.acknowledged.add(update["update_id"])
                else:
                    self._queue.append(update)  # Telegram tries again

    def _send(self, update: dict) -> int:
        self.posts += 1
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", "/telegram", body=json.dumps(update).encode(), headers={
                "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": self.secret,
            })
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return 0
        finally:
            connection.close()


def wait_for_port(bot: BotRun, port: int) -> None:
    """Until the webhook server accepts connections."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert bot.running, f"the bot exited:\n{bot.tail()}"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the webhook server did not start:\n{bot.tail()}")


@dataclass
class Outcome:
    """What kill -9 ×KILLS did to BURST × KILLS questions."""

    asked: int
    duplicates: int
    unanswered: int
    rows_missing: int
    rows_twice: int
    answered_before_kills: list[int]
    seconds: float


def kill_again_and_again(
    bot: BotRun, deliver: Callable[[list[dict]], None], restart: Callable[[], None],
    all_delivered: Callable[[], bool], *, burst: int = BURST, kills: int = KILLS,
    seed: int = SEED,
) -> Outcome:
    """Push a burst, kill -9 once a random part of it is answered, restart; KILLS times. Then
    wait until everything is answered and count."""
    rng = random.Random(seed)
    standin = bot.standin
    started = time.monotonic()
    asked: dict[int, str] = {}
    before_kills = []
    for round_number in range(kills):
        users = range(FIRST_USER + round_number * burst, FIRST_USER + (round_number + 1) * burst)
        updates = []
        for user in users:
            asked[user] = f"hvem er med i regionrådet {code(user)}"
            updates.append(standin.message_update(asked[user], user_id=user))
        deliver(updates)
        target = rng.randint(1, burst - 1)
        bot.wait_for("sendMessage", lambda c, u=users: c.delivered and c.params["chat_id"] in u,
                     count=target, timeout=60)
        time.sleep(rng.uniform(0, 0.02))
        bot.kill()
        before_kills.append(sum(1 for c in standin.delivered("sendMessage")
                                if c.params["chat_id"] in users))
        restart()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        replied = Counter(c.params["chat_id"] for c in standin.delivered("sendMessage"))
        if all(replied[user] for user in asked) and all_delivered():
            break
        time.sleep(0.2)
    time.sleep(1.0)  # anything sent twice would show up by now
    seconds = time.monotonic() - started
    assert bot.stop() == 0, bot.tail()
    bot.assert_no_secrets()
    assert integrity(bot.database) == "ok"
    replied = Counter(c.params["chat_id"] for c in standin.delivered("sendMessage"))
    logged = Counter(text for (text,) in query(bot.database, "SELECT text FROM questions"))
    return Outcome(
        asked=len(asked),
        duplicates=sum(max(0, replied[user] - 1) for user in asked),
        unanswered=sum(1 for user in asked if not replied[user]),
        rows_missing=sum(1 for text in asked.values() if not logged[text]),
        rows_twice=sum(1 for text in asked.values() if logged[text] > 1),
        answered_before_kills=before_kills,
        seconds=seconds,
    )


def report(name: str, outcome: Outcome, seed: int = SEED) -> str:
    line = (f"{outcome.asked} questions, kill -9 ×{len(outcome.answered_before_kills)} "
            f"(seed {seed}): {outcome.duplicates} answered twice, {outcome.unanswered} "
            f"unanswered, {outcome.rows_missing} rows lost, {outcome.rows_twice} logged twice; "
            f"{outcome.seconds:.0f} s")
    figure(name, line)
    return line


def check(outcome: Outcome) -> None:
    assert outcome.unanswered == 0, "a question was never answered"
    assert outcome.rows_missing == 0, "a question is missing from the log"
    assert outcome.rows_twice == 0, "a question was logged twice"
    kills = len(outcome.answered_before_kills)
    assert outcome.duplicates <= DUPLICATES_PER_KILL * kills


def run_polling(standin: BotApiStandIn, folder: Path, **kwargs: int) -> Outcome:
    """The kill test against a polling bot."""
    bot = BotRun(standin, folder, CONFIG)
    bot.start()
    try:
        return kill_again_and_again(bot, standin.push_updates, bot.start,
                                    lambda: not standin.pending_updates(), **kwargs)
    finally:
        if bot.running:
            bot.kill()


def run_webhook(standin: BotApiStandIn, folder: Path, **kwargs: int) -> Outcome:
    """The kill test against a webhook bot, Telegram's posting played by WebhookPoster."""
    port = free_port()
    bot = BotRun(standin, folder, {**CONFIG, "telegram": {
        **CONFIG["telegram"], "mode": "webhook",
        "webhook": {"url": "https://bot.example.no", "listen": "127.0.0.1", "port": port,
                    "path": "telegram", "secret_token": SECRET},
    }})

    def restart() -> None:
        bot.start(wait=False)
        wait_for_port(bot, port)

    restart()
    poster = WebhookPoster(port, SECRET).start()
    update_ids = itertools.count(1)

    def deliver(updates: list[dict]) -> None:
        poster.post([{**update, "update_id": next(update_ids)} for update in updates])

    try:
        return kill_again_and_again(bot, deliver, restart, lambda: poster.unacknowledged() == 0,
                                    **kwargs)
    finally:
        poster.stop()
        if bot.running:
            bot.kill()


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_kill_9_ten_times_during_bursts_answers_each_question_once(
    standin: BotApiStandIn, tmp_path: Path, mode: str
) -> None:
    run = run_polling if mode == "polling" else run_webhook
    outcome = run(standin, tmp_path)
    report(f"kill -9 ×{KILLS}, {mode}", outcome)
    check(outcome)
