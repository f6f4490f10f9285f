"""The question log: one SQLite file (aiosqlite, WAL), written so that it never costs an answer.

Recording a question, a chosen suggestion or a 👍/👎 only appends to an in-memory queue and
returns at once; a writer task stores what is queued in one transaction every moment. When
the database is locked, read-only, missing or the disk is full, the failure is logged once,
the rows wait in a bounded queue, and they are written when the database is usable again
(a deleted file is created anew). Pending rows are written on shutdown. One bad row never
blocks the others: text is stored with lone surrogates replaced (U+FFFD), and a batch that
fails for one of its rows is written row by row, the bad row repaired or dropped with one
warning.

Question ids are made here, not by SQLite, because buttons carry the id before the row is
written: the milliseconds since 1970 and 21 random bits (`new_question_id`). They grow with
time, so a restart after kill -9 never hands out an id again and "newer means higher" holds
for the editors' digest, and two processes on one file (the bot and `python -m bot chat`)
would have to draw the same 21 bits in the same millisecond to collide.

Buttons change only their asker's question: choices and 👍/👎 are written with the presser's
user hash and change a row only where it matches (`is_asker` lets the handler say so first).
The Telegram message a question came from is kept as a keyed hash, so that an edited message
finds the row it was logged as (`earlier_answer`) instead of being logged again.

Exactly once across crashes: while an update is being answered (`hold`), what it records is
held back, and written together with the update's id in `handled_updates`, in one
transaction, once its reply went out (`commit_update`); `written` says when that transaction
is done. A restart skips the updates recorded there (`handled_updates`), and answers again the
ones Telegram re-sends without a record: their rows were never written, so nothing is logged
twice.

Before anything is queued, the question is masked (`bot.privacy.mask`) and the Telegram user
id is replaced by a keyed hash: the file holds no raw user id, phone number, e-mail address or
national identity number. Rows older than the retention period are deleted at start and daily,
with `secure_delete` on every connection and the WAL checkpointed and truncated afterwards, so
deleted text leaves no bytes behind in the files.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.hash_secret import read_or_create_secret, secret_file_for
from bot.privacy import mask, user_hash

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        asked_at TEXT NOT NULL,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        outcome TEXT NOT NULL,
        entry_id TEXT,
        score REAL NOT NULL,
        suggestions TEXT NOT NULL DEFAULT '[]',
        chat_type TEXT NOT NULL,
        user_hash TEXT,
        source TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open',
        chosen_entry TEXT,
        choice TEXT,
        feedback INTEGER
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE INDEX questions_outcome ON questions (outcome, status);
    """,
    """
    ALTER TABLE questions ADD COLUMN message_key TEXT;
    CREATE INDEX questions_message ON questions (message_key);
    """,
    # Follow-up consent (bot.followup): the only place a chat id is kept, and only until the
    # editors' answer is sent, the resident withdraws, or it expires.
    """
    CREATE TABLE followups (
        question_id INTEGER NOT NULL,
        chat_id INTEGER NOT NULL,
        consented_at TEXT NOT NULL,
        PRIMARY KEY (question_id, chat_id)
    );
    CREATE INDEX followups_chat ON followups (chat_id);
    CREATE INDEX followups_consented ON followups (consented_at);
    """,
    """
    CREATE TABLE handled_updates (
        update_id INTEGER PRIMARY KEY,
        handled_at TEXT NOT NULL
    );
    CREATE INDEX handled_updates_at ON handled_updates (handled_at);
    """,
    # The entries of a question asked in parts ("Når vart regionrådet skipa, og kva er
    # føremålet?"), answered after the first (entry_id): a JSON list.
    """
    ALTER TABLE questions ADD COLUMN also_entries TEXT NOT NULL DEFAULT '[]';
    """,
)
BUFFER_LIMIT = 50_000
FLUSH_INTERVAL = 0.2
MAX_RETRY_DELAY = 30.0
PURGE_INTERVAL = 24 * 3600
FOLLOWUP_PURGE_INTERVAL = 3600
DEFAULT_FOLLOWUP_DAYS = 14
BUSY_TIMEOUT_MS = 2000
STATUSES = ("open", "resolved", "ignored")
ID_RANDOM_BITS = 21  # and 42 bits of milliseconds since 1970: 63 bits until the year 2109
# Outcomes that answered the question: an edit of such a message is not answered again.
CONFIDENT_OUTCOMES = frozenset({"answered", "emergency", "crisis"})
# Telegram keeps an update it could not deliver for 24 hours: a record of a handled update is
# kept twice as long, and at most this many are read back at start.
HANDLED_UPDATES_DAYS = 2
HANDLED_UPDATES_LOADED = 100_000
# Errors caused by one row's values; anything else is the database's (locked, full, gone).
ROW_ERRORS = (sqlite3.IntegrityError, sqlite3.DataError, UnicodeError, OverflowError)
DATABASE_ERRORS = (sqlite3.Error, OSError, ValueError)
STATEMENTS = {
    "question": "INSERT INTO questions (id, asked_at, text, language, outcome, entry_id, "
                "score, suggestions, chat_type, user_hash, source, also_entries, message_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "reasked": "UPDATE questions SET text = ?, language = ?, outcome = ?, entry_id = ?, "
               "score = ?, suggestions = ?, also_entries = ? WHERE id = ?",
    "message": "UPDATE questions SET message_key = ? WHERE id = ?",
    "choice": "UPDATE questions SET chosen_entry = ?, choice = ? "
              "WHERE id = ? AND user_hash IS ?",
    "feedback": "UPDATE questions SET feedback = ? WHERE id = ? AND user_hash IS ?",
    "status": "UPDATE questions SET status = ? WHERE id = ?",
    "update": "INSERT OR IGNORE INTO handled_updates (update_id, handled_at) VALUES (?, ?)",
}
# The update being handled in this task (set by bot.delivery while handlers run): what is
# recorded under it waits in `QuestionLog.hold` until its reply went out.
CURRENT_UPDATE: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "current_update", default=None)
Row = tuple[str, tuple[Any, ...]]


@dataclass(frozen=True)
class LoggedQuestion:
    """One row of the question log."""

    id: int
    asked_at: dt.datetime
    text: str
    language: str
    outcome: str
    entry_id: str | None
    score: float
    suggestions: tuple[str, ...]
    chat_type: str
    user_hash: str | None
    source: str
    status: str
    chosen_entry: str | None
    choice: str | None
    feedback: int | None
    also_entries: tuple[str, ...] = ()

    @property
    def answered_entries(self) -> tuple[str, ...]:
        """Every entry that answered: the first (entry_id) and those of the other parts."""
        return (self.entry_id, *self.also_entries) if self.entry_id else self.also_entries


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_question_id(previous: int = 0) -> int:
    """A question id: milliseconds since 1970 and ID_RANDOM_BITS random bits, above
    `previous` (so one process's ids always grow, even if the clock steps back)."""
    now_ms = time.time_ns() // 1_000_000
    candidate = (now_ms << ID_RANDOM_BITS) | secrets.randbits(ID_RANDOM_BITS)
    return max(candidate, previous + 1)


def clean_text(value: Any) -> Any:
    """`value` with lone surrogates replaced by U+FFFD if it is a string (a pair becomes
    its character), which SQLite can store; anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return value


class QuestionLog:
    """The question log; `initialize()` before use and `shutdown()` after (see module doc)."""

    def __init__(
        self,
        path: Path,
        hash_secret: str,
        retention_days: int,
        *,
        buffer_limit: int = BUFFER_LIMIT,
        flush_interval: float = FLUSH_INTERVAL,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        followup_days: int = DEFAULT_FOLLOWUP_DAYS,
    ) -> None:
        self.path = path
        self.followup_days = followup_days
        self.busy_timeout_ms = busy_timeout_ms
        self.retention_days = retention_days
        self.flush_interval = flush_interval
        self._hash_secret = hash_secret
        self._pending: deque[tuple[str, tuple[Any, ...]]] = deque()
        self._buffer_limit = buffer_limit
        self._dropped = 0
        self._connection: aiosqlite.Connection | None = None
        self._inode: int | None = None
        self._last_id = 0
        self._writer: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._failing = False
        self._last_purge = 0.0
        self._last_followup_purge = 0.0
        self._write_lock = asyncio.Lock()
        self._held: dict[int, list[Row]] = {}
        self._urgent = asyncio.Event()
        self._queued_total = 0  # rows ever appended to _pending
        self._done_total = 0  # rows ever taken off _pending (written, repaired or dropped)
        self._flush_listeners: list[Callable[[bool], None]] = []

    # --- lifecycle ----------------------------------------------------------------------------

    async def initialize(self) -> None:
        """Open (or create) the database, migrate it, purge old rows, start the writer."""
        if not self._hash_secret:
            self._hash_secret = self._stored_secret()
        try:
            await self._connect()
            self._last_id = max(self._last_id, await self._max_id())
            await self.purge()
        except (sqlite3.Error, OSError) as error:
            self._report_failure(error)
        self._writer = asyncio.create_task(self._write_loop(), name="question-log-writer")

    async def shutdown(self) -> None:
        """Write what is pending (one last try), stop the writer, close the database."""
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
        await self.flush()
        if self._pending:
            log.error("Question log: %d row(s) could not be written before shutdown",
                      len(self._pending))
        await self._close()

    @property
    def secret(self) -> str:
        """The key that hashes user ids (known once `initialize` has run)."""
        return self._hash_secret

    def _stored_secret(self) -> str:
        """The hash secret kept beside the database, when none is configured (created once;
        `bot.hash_secret.HashSecretError` if it is unusable)."""
        return read_or_create_secret(secret_file_for(self.path))

    async def _connect(self) -> aiosqlite.Connection:
        if self._connection is not None and self._same_file():
            return self._connection
        await self._close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not self.path.is_file():
            raise OSError(f"{self.path} is not a database file")
        connection = await aiosqlite.connect(self.path, timeout=self.busy_timeout_ms / 1000)
        try:
            await connection.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows are overwritten with zeros, whatever this SQLite build's default.
            await connection.execute("PRAGMA secure_delete=ON")
            await self._migrate(connection)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection
        self._inode = os.stat(self.path).st_ino
        return connection

    def _same_file(self) -> bool:
        """False when the database file was deleted or replaced under us."""
        try:
            return os.stat(self.path).st_ino == self._inode
        except OSError:
            return False

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(sqlite3.Error, OSError, ValueError):
                await connection.close()

    @staticmethod
    async def _migrate(connection: aiosqlite.Connection) -> None:
        await connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        async with connection.execute("SELECT MAX(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        current = row[0] or 0
        for version, script in enumerate(MIGRATIONS, start=1):
            if version > current:
                await connection.executescript(
                    f"BEGIN; {script}; INSERT INTO schema_version VALUES ({version}); COMMIT;"
                )

    async def _max_id(self) -> int:
        connection = await self._connect()
        async with connection.execute("SELECT COALESCE(MAX(id), 0) FROM questions") as cursor:
            row = await cursor.fetchone()
        return int(row[0])

    # --- recording (never blocks, never raises) -----------------------------------------------

    def record_question(
        self,
        *,
        text: str,
        language: str,
        outcome: str,
        entry_id: str | None,
        score: float,
        suggestions: Sequence[str],
        chat_type: str,
        user_id: int | None,
        source: str,
        also: Sequence[str] = (),
    ) -> int:
        """Queue a question (masked, user hashed); its id, for buttons that refer to it.
        `also`: the entries that answered the question's other parts, after `entry_id`."""
        self._last_id = question_id = new_question_id(self._last_id)
        row = (question_id, utc_now().isoformat(), mask(text), language, outcome, entry_id,
               round(score, 1), json.dumps(list(suggestions)), chat_type,
               user_hash(user_id, self._hash_secret), source, json.dumps(list(also)), None)
        self._queue("question", row)
        return question_id

    def record_reasked(
        self,
        question_id: int,
        *,
        text: str,
        language: str,
        outcome: str,
        entry_id: str | None,
        score: float,
        suggestions: Sequence[str],
        also: Sequence[str] = (),
    ) -> None:
        """Queue a new wording of a logged question (an edited message) and how it was met,
        in place of the old: one question, one row."""
        self._queue("reasked", (mask(text), language, outcome, entry_id, round(score, 1),
                                json.dumps(list(suggestions)), json.dumps(list(also)),
                                question_id))

    def message_key(self, chat_id: int, message_id: int) -> str:
        """A keyed hash naming one Telegram message (the chat id may be a user id)."""
        digest = hmac.new(self._hash_secret.encode(), f"{chat_id}/{message_id}".encode(),
                          hashlib.sha256)
        return digest.hexdigest()[:24]

    def remember_message(self, question_id: int, chat_id: int, message_id: int) -> None:
        """Note which Telegram message a logged question came from (see `earlier_answer`):
        in its row if that is still waiting, as it is right after `record_question`."""
        key = self.message_key(chat_id, message_id)
        for rows in (*self._held.values(), self._pending):
            for index in range(len(rows) - 1, -1, -1):
                kind, values = rows[index]
                if kind == "question" and values[0] == question_id:
                    rows[index] = (kind, (*values[:-1], key))
                    return
        self._queue("message", (key, question_id))

    def record_choice(self, question_id: int, entry_id: str | None, *, by: int | None) -> None:
        """Queue a chosen suggestion, or "none of these" when `entry_id` is None; it changes
        the question only if user `by` asked it (None: asked without a user, as in the
        terminal chat)."""
        self._queue("choice", (entry_id, "none" if entry_id is None else "picked", question_id,
                               user_hash(by, self._hash_secret)))

    def record_feedback(self, question_id: int, vote: int, *, by: int | None) -> None:
        """Queue 👍 (+1) or 👎 (-1) on an answer; it counts only if user `by` asked."""
        self._queue("feedback", (max(-1, min(1, vote)), question_id,
                                 user_hash(by, self._hash_secret)))

    def _queue(self, kind: str, values: tuple[Any, ...]) -> None:
        row = (kind, tuple(clean_text(value) for value in values))
        held = self._held.get(CURRENT_UPDATE.get())  # type: ignore[arg-type]
        if held is not None:
            held.append(row)
            return
        self._append([row])

    def _append(self, rows: Iterable[Row]) -> None:
        for row in rows:
            if len(self._pending) >= self._buffer_limit:
                self._pending.popleft()
                self._done_total += 1
                self._dropped += 1
                if self._dropped == 1 or self._dropped % 1000 == 0:
                    log.error("Question log buffer full: %d row(s) dropped so far",
                              self._dropped)
            self._pending.append(row)
            self._queued_total += 1
        self._wake.set()

    # --- exactly once: rows held until their update's reply went out --------------------------

    def hold(self, update_id: int) -> None:
        """Hold what is recorded while update `update_id` is handled (see the module doc)."""
        self._held.setdefault(update_id, [])

    def commit_update(self, update_id: int) -> int:
        """Queue the rows held for `update_id` and its record as handled, to be written in one
        transaction soon; the number to pass to `written`."""
        rows = self._held.pop(update_id, [])
        rows.append(("update", (update_id, utc_now().isoformat())))
        self._append(rows)
        self._urgent.set()
        return self._queued_total

    def release(self, update_id: int) -> int:
        """Forget what was held for `update_id` (it was not answered: a restart answers it
        again); how many rows that was."""
        return len(self._held.pop(update_id, []))

    def written(self, number: int) -> bool:
        """Whether the rows queued up to `number` (from `commit_update`) are done with."""
        return self._done_total >= number

    def on_flush(self, listener: Callable[[bool], None]) -> None:
        """Call `listener(ok)` after every attempt to write what is pending."""
        self._flush_listeners.append(listener)

    async def handled_updates(self) -> list[int]:
        """The ids of the updates recorded as handled, newest first (at most
        HANDLED_UPDATES_LOADED, of the last HANDLED_UPDATES_DAYS days); [] when the log
        cannot be read."""
        cutoff = utc_now() - dt.timedelta(days=HANDLED_UPDATES_DAYS)
        try:
            connection = await self._connect()
            async with connection.execute(
                "SELECT update_id FROM handled_updates WHERE handled_at >= ? "
                "ORDER BY handled_at DESC LIMIT ?", (cutoff.isoformat(), HANDLED_UPDATES_LOADED),
            ) as cursor:
                rows = await cursor.fetchall()
        except DATABASE_ERRORS as error:
            log.error("Question log: handled updates could not be read (%s); updates Telegram "
                      "sends again may be answered twice", error)
            return []
        return [row[0] for row in rows]

    def _queued(self) -> Iterator[Row]:
        """Every row not yet written: held ones, then pending ones."""
        for rows in self._held.values():
            yield from rows
        yield from self._pending

    # --- looking up (for buttons and edited messages) -----------------------------------------

    async def is_asker(self, question_id: int, user_id: int | None) -> bool | None:
        """Whether user `user_id` asked question `question_id`; None when the question is
        not known (never logged, past retention, or the log cannot be read now)."""
        stored = self._pending_question(question_id) or await self._look_up(
            "SELECT user_hash FROM questions WHERE id = ?", (question_id,))
        if stored is None:
            return None
        return stored[0] == user_hash(user_id, self._hash_secret)

    async def earlier_answer(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """The id and outcome of the question logged from this Telegram message, if any
        (None also when the log cannot be read now)."""
        key = self.message_key(chat_id, message_id)
        question_id = self._pending_link(key)
        outcome = self._pending_outcome(question_id) if question_id is not None else None
        if question_id is not None and outcome is not None:
            return question_id, outcome
        if question_id is None:
            found = await self._look_up(
                "SELECT id, outcome FROM questions WHERE message_key = ? "
                "ORDER BY id DESC LIMIT 1", (key,))
        else:
            found = await self._look_up(
                "SELECT id, outcome FROM questions WHERE id = ?", (question_id,))
        if found is None:
            return None
        return found[0], self._pending_outcome(found[0]) or found[1]

    def _pending_link(self, key: str) -> int | None:
        """The question that a row waiting to be written ties to message `key`, if any."""
        found = None
        for kind, values in self._queued():
            if kind == "question" and values[-1] == key:
                found = values[0]
            elif kind == "message" and values[0] == key:
                found = values[1]
        return found

    def _pending_question(self, question_id: int) -> tuple[str | None] | None:
        """(user hash,) of a question still waiting to be written."""
        for kind, values in self._queued():
            if kind == "question" and values[0] == question_id:
                return (values[9],)
        return None

    def _pending_outcome(self, question_id: int) -> str | None:
        """The latest outcome of a question among the rows waiting to be written."""
        outcome = None
        for kind, values in self._queued():
            if kind == "question" and values[0] == question_id:
                outcome = values[4]
            elif kind == "reasked" and values[-1] == question_id:
                outcome = values[2]
        return outcome

    async def _look_up(self, sql: str, parameters: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row `sql` finds; None when there is none or the log cannot be read now."""
        try:
            connection = await self._connect()
            async with connection.execute(sql, parameters) as cursor:
                row = await cursor.fetchone()
        except (sqlite3.Error, OSError, ValueError):
            return None
        return tuple(row) if row is not None else None

    @property
    def pending(self) -> int:
        """Rows of the log waiting to be written (records of handled updates not counted)."""
        return sum(1 for kind, _ in self._pending if kind != "update")

    # --- writing ------------------------------------------------------------------------------

    async def _write_loop(self) -> None:
        """Write queued rows shortly after they arrive; back off while the database fails."""
        retry_delay = 0.0
        while True:
            if retry_delay:
                await asyncio.sleep(retry_delay)
            else:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(PURGE_INTERVAL / 24):
                        await self._wake.wait()
                # A handled update's record is written at once (its Telegram confirmation
                # waits for it); other rows gather for a moment.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.flush_interval):
                        await self._urgent.wait()
            self._wake.clear()
            self._urgent.clear()
            # Shielded: a shutdown that cancels the writer mid-write must not leave committed
            # rows pending, for its own last flush to write a second time.
            if await asyncio.shield(self.flush()):
                retry_delay = 0.0
                await self._purge_daily()
            else:
                retry_delay = min(max(retry_delay * 2, 1.0), MAX_RETRY_DELAY)

    async def _purge_daily(self) -> None:
        """The retention jobs: old questions daily, expired follow-up consents hourly."""
        if time.monotonic() - self._last_purge > PURGE_INTERVAL:
            with contextlib.suppress(sqlite3.Error, OSError):
                await self.purge()
        elif time.monotonic() - self._last_followup_purge > FOLLOWUP_PURGE_INTERVAL:
            with contextlib.suppress(sqlite3.Error, OSError):
                await self.purge_followups()

    async def flush(self) -> bool:
        """Write everything pending in one transaction; False (rows kept) if the database
        failed. A batch that fails for one of its rows is written row by row instead."""
        written = await self._flush()
        for listener in self._flush_listeners:
            listener(written)
        return written

    async def _flush(self) -> bool:
        async with self._write_lock:
            if not self._pending:
                return True
            batch = list(self._pending)
            dropped = self._dropped
            done, error = await self._write_batch(batch)
            # A full buffer drops its oldest rows, which were this batch's: leave the rows
            # recorded while it was being written.
            for _ in range(max(0, done - (self._dropped - dropped))):
                self._pending.popleft()
                self._done_total += 1
            if error is not None:
                self._report_failure(error)
                await self._close()
                return False
            if self._failing:
                log.warning("Question log is writable again; %d row(s) written", done)
                self._failing = False
            return True

    async def _write_batch(self, batch: list[tuple[str, tuple]]) -> tuple[int, Exception | None]:
        """How many rows of `batch` are done with (written, repaired or dropped), and the
        database error that stopped the rest, if any."""
        try:
            connection = await self._connect()
        except DATABASE_ERRORS as error:
            return 0, error
        try:
            await self._write(connection, batch)
        except ROW_ERRORS:
            return await self._write_singly(connection, batch)
        except DATABASE_ERRORS as error:
            return 0, error
        return len(batch), None

    async def _write_singly(
        self, connection: aiosqlite.Connection, batch: list[tuple[str, tuple]]
    ) -> tuple[int, Exception | None]:
        """`_write_batch` one row a transaction, each bad row repaired or else dropped."""
        for done, (kind, values) in enumerate(batch):
            try:
                try:
                    await self._write(connection, [(kind, values)])
                except ROW_ERRORS as error:
                    await self._write_repaired(connection, kind, values, error)
            except DATABASE_ERRORS as error:
                return done, error
        return len(batch), None

    async def _write_repaired(
        self, connection: aiosqlite.Connection, kind: str, values: tuple, error: BaseException
    ) -> None:
        """Write one row that failed, repaired; drop it if that fails too (one warning)."""
        repaired = tuple(clean_text(value) for value in values)
        if kind == "question" and isinstance(error, sqlite3.IntegrityError):
            self._last_id = new_question_id(self._last_id)  # the id is taken: keep the text
            repaired = (self._last_id, *repaired[1:])
        try:
            await self._write(connection, [(kind, repaired)])
        except ROW_ERRORS as second:
            log.warning("Question log: one %s row could not be written and was dropped (%s: "
                        "%s)", kind, type(second).__name__, second)
            return
        log.warning("Question log: one %s row was repaired before it could be written "
                    "(%s: %s)", kind, type(error).__name__, error)

    @staticmethod
    async def _write(connection: aiosqlite.Connection, batch: list[tuple[str, tuple]]) -> None:
        """Write `batch` in one transaction, in one trip to SQLite's thread.

        Under load each trip waits for a turn of the busy event loop; a transaction of four
        trips (begin, two runs, commit) took four turns, which cost CPU per message and left a
        handled update's record that much longer behind its reply (the window in which a
        kill -9 sends a reply twice). aiosqlite has no public call that runs several
        statements in one trip, so its `_execute` (run a function on the connection's thread)
        is used; pinned below aiosqlite 1."""
        await connection._execute(_write_transaction, connection, batch)

    def _report_failure(self, error: BaseException) -> None:
        if not self._failing:
            log.error("Question log unavailable (%s); %d row(s) kept in memory until it is "
                      "back", error, len(self._pending))
            self._failing = True

    # --- maintenance and reading --------------------------------------------------------------

    async def purge(self) -> int:
        """Delete rows older than the retention period, and follow-up consents older than
        `followup_days`; how many questions were deleted."""
        cutoff = utc_now() - dt.timedelta(days=self.retention_days)
        async with self._write_lock:
            connection = await self._connect()
            cursor = await connection.execute(
                "DELETE FROM questions WHERE asked_at < ?", (cutoff.isoformat(),)
            )
            handled_cutoff = utc_now() - dt.timedelta(days=HANDLED_UPDATES_DAYS)
            await connection.execute("DELETE FROM handled_updates WHERE handled_at < ?",
                                     (handled_cutoff.isoformat(),))
            await connection.commit()
            if cursor.rowcount > 0:
                await self._erase_deleted(connection)
        self._last_purge = time.monotonic()
        await self.purge_followups()
        return cursor.rowcount

    def followup_cutoff(self, now: dt.datetime | None = None) -> dt.datetime:
        """Consents given before this have expired."""
        return (now or utc_now()) - dt.timedelta(days=self.followup_days)

    async def purge_followups(self, now: dt.datetime | None = None) -> int:
        """Delete follow-up consents older than `followup_days` (and with them the chat ids);
        how many were deleted."""
        cutoff = self.followup_cutoff(now)
        async with self.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM followups WHERE consented_at < ?", (cutoff.isoformat(),)
            )
        self._last_followup_purge = time.monotonic()
        if cursor.rowcount > 0:
            await self.erase_deleted()
        return cursor.rowcount

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction on the log's connection, between the writer's batches:
        committed on leaving, rolled back on an error (which propagates)."""
        async with self._write_lock:
            connection = await self._connect()
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(sqlite3.Error, ValueError):
                    await connection.rollback()
                raise
            await connection.commit()

    async def erase_deleted(self) -> None:
        """Make deleted rows unrecoverable from the files: secure_delete zeroes them in the
        database, and the WAL, which still holds their old pages, is checkpointed and
        truncated."""
        async with self._write_lock:
            await self._erase_deleted(await self._connect())

    @staticmethod
    async def _erase_deleted(connection: aiosqlite.Connection) -> None:
        await connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def questions(
        self, since: dt.datetime, until: dt.datetime | None = None
    ) -> list[LoggedQuestion]:
        """Logged questions asked from `since` (to `until`), oldest first, pending included."""
        await self.flush()
        connection = await self._connect()
        until = until or utc_now() + dt.timedelta(seconds=1)
        async with connection.execute(
            f"SELECT {COLUMNS} FROM questions WHERE asked_at >= ? AND asked_at < ? "
            "ORDER BY asked_at, id",
            (since.isoformat(), until.isoformat()),
        ) as cursor:
            rows = await cursor.fetchall()
        return [_logged(row) for row in rows]

    async def set_status(self, question_ids: Sequence[int], status: str) -> None:
        """Mark questions resolved, ignored or open again."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        for question_id in question_ids:
            self._queue("status", (status, question_id))
        await self.flush()


def _write_transaction(connection: aiosqlite.Connection, batch: list[Row]) -> None:
    """On the connection's own thread: `batch` in one transaction, rolled back on any error."""
    database = connection._conn  # the sqlite3 connection, usable on this thread only
    try:
        database.execute("BEGIN IMMEDIATE")
        for kind, rows in _statement_runs(batch):
            database.executemany(STATEMENTS[kind], rows)
        database.commit()
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            database.rollback()
        raise


def _statement_runs(batch: list[Row]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """`batch` as few `executemany` runs as keep its meaning: every new question and handled
    update first (what follows may refer to them; nothing before does), then the other rows in
    their order, consecutive ones of a kind together: a few `executemany` calls, not one call
    per row."""
    runs: list[tuple[str, list[tuple[Any, ...]]]] = []
    for kind in ("question", "update"):
        rows = [values for row_kind, values in batch if row_kind == kind]
        if rows:
            runs.append((kind, rows))
    for kind, values in batch:
        if kind in ("question", "update"):
            continue
        if runs and runs[-1][0] == kind and kind not in ("question", "update"):
            runs[-1][1].append(values)
        else:
            runs.append((kind, [values]))
    return runs


# --- reading from a worker thread -------------------------------------------------------------

COLUMNS = ("id, asked_at, text, language, outcome, entry_id, score, suggestions, chat_type, "
           "user_hash, source, status, chosen_entry, choice, feedback, also_entries")


@contextlib.contextmanager
def reader(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Iterator[sqlite3.Connection]:
    """A read-only connection of its own to the log at `path`, for a worker thread.

    Heavy reads (the review list, statistics, the export) run off the event loop with this
    instead of the writer's connection; SQLite works without the GIL, so they do not hold up
    the answers. Call `QuestionLog.flush()` first for the pending rows to be included.
    """
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=busy_timeout_ms / 1000, check_same_thread=False)
    try:
        yield connection
    finally:
        connection.close()


def logged(row: Sequence[Any]) -> LoggedQuestion:
    """A row selected with COLUMNS, as a LoggedQuestion."""
    return _logged(row)


def read_questions(
    connection: sqlite3.Connection, since: dt.datetime, until: dt.datetime, chunk: int = 1000
) -> Iterator[LoggedQuestion]:
    """The questions asked in [since, until), oldest first, read `chunk` rows at a time."""
    cursor = connection.execute(
        f"SELECT {COLUMNS} FROM questions WHERE asked_at >= ? AND asked_at < ? "
        "ORDER BY asked_at, id", (since.isoformat(), until.isoformat()),
    )
    try:
        while rows := cursor.fetchmany(chunk):
            yield from map(_logged, rows)
    finally:
        cursor.close()


def _logged(row: Sequence[Any]) -> LoggedQuestion:
    return LoggedQuestion(
        id=row[0], asked_at=dt.datetime.fromisoformat(row[1]), text=row[2], language=row[3],
        outcome=row[4], entry_id=row[5], score=row[6], suggestions=tuple(json.loads(row[7])),
        chat_type=row[8], user_hash=row[9], source=row[10], status=row[11],
        chosen_entry=row[12], choice=row[13], feedback=row[14],
        also_entries=tuple(json.loads(row[15])),
    )
