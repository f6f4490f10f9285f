"""The question log: one SQLite file (aiosqlite, WAL), written so that it never costs an answer.

Recording a question, a chosen suggestion or a 👍/👎 only appends to an in-memory queue and
returns at once; a writer task stores what is queued in one transaction every moment. When
the database is locked, read-only, missing or the disk is full, the failure is logged once,
the rows wait in a bounded queue, and they are written when the database is usable again
(a deleted file is created anew). Pending rows are written on shutdown.

Before anything is queued, the question is masked (`bot.privacy.mask`) and the Telegram user
id is replaced by a keyed hash: the file holds no raw user id, phone number, e-mail address or
national identity number. Rows older than the retention period are deleted at start and daily.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import time
from collections import deque
from collections.abc import Iterator, Sequence
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
)
BUFFER_LIMIT = 50_000
FLUSH_INTERVAL = 0.2
MAX_RETRY_DELAY = 30.0
PURGE_INTERVAL = 24 * 3600
BUSY_TIMEOUT_MS = 2000
STATUSES = ("open", "resolved", "ignored")


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


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


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
    ) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.retention_days = retention_days
        self.flush_interval = flush_interval
        self._hash_secret = hash_secret
        self._pending: deque[tuple[str, tuple[Any, ...]]] = deque()
        self._buffer_limit = buffer_limit
        self._dropped = 0
        self._connection: aiosqlite.Connection | None = None
        self._inode: int | None = None
        self._next_id = 0
        self._writer: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._failing = False
        self._last_purge = 0.0
        self._write_lock = asyncio.Lock()

    # --- lifecycle ----------------------------------------------------------------------------

    async def initialize(self) -> None:
        """Open (or create) the database, migrate it, purge old rows, start the writer."""
        if not self._hash_secret:
            self._hash_secret = self._stored_secret()
        try:
            await self._connect()
            self._next_id = await self._max_id() + 1
            await self.purge()
        except (sqlite3.Error, OSError) as error:
            self._report_failure(error)
            self._next_id = int(time.time()) << 8
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
    ) -> int:
        """Queue a question (masked, user hashed); its id, for buttons that refer to it."""
        question_id = self._next_id
        self._next_id += 1
        row = (question_id, utc_now().isoformat(), mask(text), language, outcome, entry_id,
               round(score, 1), json.dumps(list(suggestions)), chat_type,
               user_hash(user_id, self._hash_secret), source)
        self._queue("question", row)
        return question_id

    def record_choice(self, question_id: int, entry_id: str | None) -> None:
        """Queue a chosen suggestion, or "none of these" when `entry_id` is None."""
        self._queue("choice", (entry_id, "none" if entry_id is None else "picked", question_id))

    def record_feedback(self, question_id: int, vote: int) -> None:
        """Queue 👍 (+1) or 👎 (-1) on an answer."""
        self._queue("feedback", (max(-1, min(1, vote)), question_id))

    def _queue(self, kind: str, values: tuple[Any, ...]) -> None:
        if len(self._pending) >= self._buffer_limit:
            self._pending.popleft()
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.error("Question log buffer full: %d row(s) dropped so far", self._dropped)
        self._pending.append((kind, values))
        self._wake.set()

    @property
    def pending(self) -> int:
        """Rows waiting to be written."""
        return len(self._pending)

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
                await asyncio.sleep(self.flush_interval)
            self._wake.clear()
            if await self.flush():
                retry_delay = 0.0
                await self._purge_daily()
            else:
                retry_delay = min(max(retry_delay * 2, 1.0), MAX_RETRY_DELAY)

    async def _purge_daily(self) -> None:
        if time.monotonic() - self._last_purge > PURGE_INTERVAL:
            with contextlib.suppress(sqlite3.Error, OSError):
                await self.purge()

    async def flush(self) -> bool:
        """Write everything pending in one transaction; False (rows kept) if it failed."""
        async with self._write_lock:
            if not self._pending:
                return True
            batch = list(self._pending)
            dropped = self._dropped
            try:
                connection = await self._connect()
                await self._write(connection, batch)
            except (sqlite3.Error, OSError, ValueError) as error:
                self._report_failure(error)
                await self._close()
                return False
            # A full buffer drops its oldest rows, which were this batch's: leave the rows
            # recorded while it was being written.
            for _ in range(max(0, len(batch) - (self._dropped - dropped))):
                self._pending.popleft()
            if self._failing:
                log.warning("Question log is writable again; %d row(s) written", len(batch))
                self._failing = False
            return True

    @staticmethod
    async def _write(connection: aiosqlite.Connection, batch: list[tuple[str, tuple]]) -> None:
        statements = {
            "question": "INSERT OR IGNORE INTO questions (id, asked_at, text, language, outcome, "
                        "entry_id, score, suggestions, chat_type, user_hash, source) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            "choice": "UPDATE questions SET chosen_entry = ?, choice = ? WHERE id = ?",
            "feedback": "UPDATE questions SET feedback = ? WHERE id = ?",
            "status": "UPDATE questions SET status = ? WHERE id = ?",
        }
        try:
            await connection.execute("BEGIN IMMEDIATE")
            for kind, values in batch:
                await connection.execute(statements[kind], values)
            await connection.commit()
        except BaseException:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await connection.rollback()
            raise

    def _report_failure(self, error: BaseException) -> None:
        if not self._failing:
            log.error("Question log unavailable (%s); %d row(s) kept in memory until it is "
                      "back", error, len(self._pending))
            self._failing = True

    # --- maintenance and reading --------------------------------------------------------------

    async def purge(self) -> int:
        """Delete rows older than the retention period; how many were deleted."""
        cutoff = utc_now() - dt.timedelta(days=self.retention_days)
        async with self._write_lock:
            connection = await self._connect()
            cursor = await connection.execute(
                "DELETE FROM questions WHERE asked_at < ?", (cutoff.isoformat(),)
            )
            await connection.commit()
        self._last_purge = time.monotonic()
        return cursor.rowcount

    async def questions(
        self, since: dt.datetime, until: dt.datetime | None = None
    ) -> list[LoggedQuestion]:
        """Logged questions asked from `since` (to `until`), oldest first, pending included."""
        await self.flush()
        connection = await self._connect()
        until = until or utc_now() + dt.timedelta(seconds=1)
        async with connection.execute(
            "SELECT id, asked_at, text, language, outcome, entry_id, score, suggestions, "
            "chat_type, user_hash, source, status, chosen_entry, choice, feedback "
            "FROM questions WHERE asked_at >= ? AND asked_at < ? ORDER BY asked_at, id",
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


# --- reading from a worker thread -------------------------------------------------------------

COLUMNS = ("id, asked_at, text, language, outcome, entry_id, score, suggestions, chat_type, "
           "user_hash, source, status, chosen_entry, choice, feedback")


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
    )
