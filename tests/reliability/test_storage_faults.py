"""The question log's database failing during traffic: read-only, deleted, locked.

Questions arrive steadily (20 a second from 20 users) before, during and after the fault.
Answers must keep flowing while the database fails, every question gets exactly one answer,
and the questions asked meanwhile reach the log, once each, when the database is usable
again (for a deleted file: the new file holds every question asked after the deletion).

How "read-only" is made: the suite runs as root, for whom permission bits do not stop writes,
and an open file descriptor keeps writing after a chmod anyway. The test sets the immutable
attribute (`chattr +i`) on the database file and its WAL, which fails writes through the open
connection ("disk I/O error") and makes a reopened one read-only ("attempt to write a readonly
database"), as a read-only remount would. Where `chattr` is not permitted (not root, or a file
system without attributes), a folder is put in the database's place instead, which fails every
open; the summary says which was used.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import BotRun, Traffic, figure, integrity, query, to_chat

USERS = range(6000, 6020)
RATE = 20.0
BEFORE = 1.0
FAULT = 4.0
AFTER = 1.5
LOG_CATCH_UP = 40.0  # the writer retries after 1, 2, 4, ... s while the database fails


def chattr(flag: str, *paths: Path) -> bool:
    """`chattr flag paths`; whether it worked."""
    try:
        done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True,
                              check=False)
    except OSError:
        return False
    return done.returncode == 0


class ReadOnly:
    """The database made read-only (see the module docstring for how)."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.files = [database, Path(f"{database}-wal")]
        self.how = ""

    def apply(self) -> None:
        if chattr("+i", *self.files):
            self.how = "chattr +i on the file and its WAL"
            return
        self.how = "a folder in the file's place (chattr not permitted)"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        self.database.mkdir()

    def undo(self) -> None:
        if self.database.is_dir():
            shutil.rmtree(self.database)
        else:
            chattr("-i", *self.files)


class Deleted:
    """The database file, its WAL and shared memory deleted (`rm questions.sqlite3*`)."""

    how = "rm of the file, its WAL and shared-memory file"

    def __init__(self, database: Path) -> None:
        self.database = database

    def apply(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)

    def undo(self) -> None:
        """Nothing to undo: the bot creates the file anew."""


class Locked:
    """Another process's write transaction holding the database (BEGIN EXCLUSIVE)."""

    how = "another connection holding BEGIN EXCLUSIVE"

    def __init__(self, database: Path) -> None:
        self.database = database
        self._release = threading.Event()
        self._locked = threading.Event()
        self._thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        connection = sqlite3.connect(self.database, timeout=10, isolation_level=None)
        try:
            connection.execute("BEGIN EXCLUSIVE")
            self._locked.set()
            self._release.wait()
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    def apply(self) -> None:
        self._thread.start()
        assert self._locked.wait(10), "could not lock the database"

    def undo(self) -> None:
        self._release.set()
        self._thread.join(10)


FAULTS: dict[str, Callable[[Path], ReadOnly | Deleted | Locked]] = {
    "read-only": ReadOnly, "deleted": Deleted, "locked": Locked,
}


def wait_for_log(bot: BotRun, texts: set[str], timeout: float) -> list[str]:
    """Wait until every text is in the log (or the timeout); the logged texts."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            logged = [text for (text,) in bot.rows("SELECT text FROM questions")]
        except sqlite3.Error:
            logged = []
        if texts <= set(logged) or time.monotonic() > deadline:
            return logged
        time.sleep(0.25)


@pytest.mark.parametrize("name", list(FAULTS))
def test_answers_keep_flowing_and_the_log_catches_up(
    standin: BotApiStandIn, tmp_path: Path, name: str
) -> None:
    bot = BotRun(standin, tmp_path)
    fault = FAULTS[name](bot.database)
    with bot, Traffic(standin, USERS, RATE) as traffic:
        time.sleep(BEFORE)
        fault_start = time.monotonic()
        try:
            fault.apply()
            time.sleep(FAULT)
        finally:
            fault.undo()
        fault_end = time.monotonic()
        start = fault_start if name == "deleted" else 0.0
        wait_for_log(bot, {sent.text for sent in traffic.between(start, fault_end)},
                     LOG_CATCH_UP)
        caught_up = time.monotonic() - fault_end
        time.sleep(AFTER)
        traffic.stop()
        for user in USERS:
            asked = sum(1 for sent in traffic.sent if sent.user_id == user)
            bot.wait_for("sendMessage", lambda c, u=user: c.delivered and to_chat(u)(c),
                         count=asked)
        expected = {sent.text for sent in traffic.between(fault_start)}
        if name != "deleted":
            expected = {sent.text for sent in traffic.sent}
        wait_for_log(bot, expected, LOG_CATCH_UP)
        assert bot.stop() == 0
    bot.assert_no_secrets()

    time.sleep(0.5)  # a duplicate answer would arrive now
    for user in USERS:
        asked = sum(1 for sent in traffic.sent if sent.user_id == user)
        assert len(bot.replies(user)) == asked, f"user {user}"
    # Answers did not wait for the database: what was asked early in the fault was answered
    # before it ended (2 s or more later).
    early = traffic.between(fault_start, fault_end - 2.0)
    answered = {}
    for call in standin.delivered("sendMessage"):
        answered.setdefault(call.params["chat_id"], []).append(call.time)
    for sent in early:
        assert any(sent.pushed_at <= t < fault_end for t in answered[sent.user_id])

    output = bot.output()
    logged = [text for (text,) in query(bot.database, "SELECT text FROM questions")]
    if name == "deleted":  # created anew: what was written before the deletion is gone
        assert traffic.sent[0].text not in logged, "the fault had no effect"
    else:
        assert "Question log unavailable" in output, "the fault had no effect"
        assert "Question log is writable again" in output
    counts = Counter(logged)
    assert not [text for text in expected if counts[text] != 1]
    assert all(count == 1 for count in counts.values())
    assert integrity(bot.database) == "ok"
    during = "during traffic" if name == "deleted" else f"for {FAULT:g} s"
    figure(f"storage {name}", f"{fault.how} {during}: all {len(traffic.sent)} answered once; "
           f"{len(expected)} logged once each; log caught up {caught_up:.1f} s after")


def test_a_database_that_is_unusable_at_start_does_not_stop_the_bot(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    bot = BotRun(standin, tmp_path)
    bot.database.mkdir()  # every open fails
    with bot:
        first = bot.ask("tlf notodden", 6100).params["text"]
        assert "35 01 50 00" in first
        os.rmdir(bot.database)
        bot.ask("tlf tinn", 6100)
        logged = wait_for_log(bot, {"tlf notodden", "tlf tinn"}, LOG_CATCH_UP)
        assert bot.stop() == 0
    assert sorted(logged) == ["tlf notodden", "tlf tinn"]
