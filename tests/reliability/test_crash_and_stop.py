"""kill -9 during writes, and SIGTERM during load: what is committed stays, what is answered
is logged, and a restart carries on.

A burst of 1 000 questions (100 users, 10 each) is pushed, and the bot is stopped when about
250 have been answered. An observer reads the log every 20 ms meanwhile: a row it has seen is
committed, and must survive kill -9. After the restart every question is answered: none was
lost, since the bot confirms updates to Telegram only once it has handled them
(`bot.transport.PollingRequest`); those of the last batch that were answered before the kill
are answered again (Telegram re-sends the batch; at most one batch, 100 updates). After
SIGTERM, every question answered is in the log, and after a restart the rest are answered:
each question answered once and logged once.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import BotRun, code, figure, hashed, integrity, query

USERS = range(7000, 7100)
PER_USER = 10
STOP_AFTER = 250  # mid-batch
BATCH = 100  # getUpdates hands out at most 100 updates at a time
CONFIG = {"telegram": {"overall_max_rate": 1000}}


class Observer:
    """Reads the ids in the log every 20 ms, in a thread: what another reader saw committed."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            try:
                self.seen.update(row[0] for row in query(self.database,
                                                         "SELECT id FROM questions"))
            except sqlite3.Error:  # not created yet, or busy: look again
                continue

    def __enter__(self) -> Observer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def burst(standin: BotApiStandIn) -> dict[int, list[str]]:
    """Push PER_USER questions from each user at once; what each user asked, in order."""
    asked = {user: [f"hvem er med i regionrådet {code(user * PER_USER + i)}"
                    for i in range(PER_USER)] for user in USERS}
    standin.push_updates([standin.message_update(asked[user][i], user_id=user)
                          for i in range(PER_USER) for user in USERS])
    return asked


def answered(bot: BotRun) -> dict[int, int]:
    """Replies per load user so far."""
    counts = Counter(call.params["chat_id"] for call in bot.standin.delivered("sendMessage"))
    return {user: counts[user] for user in USERS}


def wait_until_quiet(bot: BotRun, timeout: float = 60.0) -> None:
    """Until the stand-in has handed out every update and replies stopped coming."""
    deadline = time.monotonic() + timeout
    last = -1
    while time.monotonic() < deadline:
        count = len(bot.standin.calls("sendMessage"))
        if not bot.standin.pending_updates() and count == last:
            return
        last = count
        time.sleep(1.0)
    raise AssertionError("the bot did not finish the remaining questions")


def test_kill_9_during_writes_loses_no_committed_row(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    bot = BotRun(standin, tmp_path, CONFIG)
    with bot, Observer(bot.database) as observer:
        asked = burst(standin)
        bot.wait_for("sendMessage", lambda c: c.params["chat_id"] in USERS, count=STOP_AFTER)
        deadline = time.monotonic() + 30
        while len(observer.seen) < 50:  # make sure rows are being committed when it dies
            assert time.monotonic() < deadline, "no rows were committed"
            time.sleep(0.01)
        bot.kill()
        before_kill = answered(bot)
    committed = observer.seen
    assert integrity(bot.database) == "ok"
    after_kill = {row[0] for row in query(bot.database, "SELECT id FROM questions")}
    assert committed <= after_kill, "a committed row was lost"

    bot.start()  # the same database; Telegram re-sends what was not confirmed
    wait_until_quiet(bot)
    bot.ask("tlf notodden", 7999)
    assert bot.stop() == 0
    bot.assert_no_secrets()
    assert integrity(bot.database) == "ok"
    rows = query(bot.database, "SELECT id, text FROM questions ORDER BY id")
    ids = [row[0] for row in rows]
    assert after_kill <= set(ids)
    assert all(i > max(after_kill) for i in set(ids) - after_kill)  # new ids, no reuse
    total = len(USERS) * PER_USER
    replies = answered(bot)
    assert all(replies[user] >= PER_USER for user in USERS), "a question was never answered"
    again = sum(replies.values()) - total
    assert again <= BATCH  # only the batch in hand at the kill is handled twice
    texts = Counter(text for _, text in rows)
    twice = sum(1 for count in texts.values() if count > 1)
    # A question answered just before the kill may miss the log (its row was still in the
    # writer's memory: at most a flush interval's worth); any other question is there.
    answered_before = {text for user in USERS for text in asked[user][:before_kill[user]]}
    missing = {text for user in USERS for text in asked[user]} - set(texts)
    assert missing <= answered_before
    figure("kill -9 during writes",
           f"integrity ok; {len(committed)} rows seen committed, 0 lost; "
           f"{sum(before_kill.values())} answered before the kill, {len(missing)} of them "
           "still in the writer's memory (not logged)")
    figure("  ... then restart",
           f"every one of the {total} questions answered, none lost; {again} answered twice "
           f"and {twice} logged twice (handled just before the kill, re-sent by Telegram)")


def test_sigterm_during_load_logs_every_answered_question_and_loses_none(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    bot = BotRun(standin, tmp_path, CONFIG)
    with bot:
        asked = burst(standin)
        bot.wait_for("sendMessage", lambda c: c.params["chat_id"] in USERS, count=STOP_AFTER)
        stopping = time.monotonic()
        assert bot.stop() == 0
        stop_time = time.monotonic() - stopping
    replies = answered(bot)
    by_user: dict[str, list[str]] = {}
    for _, text, user_hash in bot.rows():
        by_user.setdefault(user_hash, []).append(text)
    for user in USERS:  # the first n questions of each user answered and logged, in order
        assert by_user.get(hashed(user), []) == asked[user][:replies[user]], f"user {user}"
    answered_at_stop = sum(replies.values())

    bot.start()
    wait_until_quiet(bot)
    assert bot.stop() == 0
    bot.assert_no_secrets()
    assert answered(bot) == {user: PER_USER for user in USERS}
    by_user = {}
    for _, text, user_hash in bot.rows():
        by_user.setdefault(user_hash, []).append(text)
    for user in USERS:
        assert by_user[hashed(user)] == asked[user], f"user {user}"
    assert integrity(bot.database) == "ok"
    figure("SIGTERM during load", f"stopped in {stop_time:.1f} s after answering "
           f"{answered_at_stop} of 1000 (all logged); after a restart all 1000 answered once "
           "and logged once")
