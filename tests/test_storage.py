"""Tests for bot/storage.py: the question log keeps every row through database failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import QuestionLog, utc_now


def question(log: QuestionLog, text: str = "tlf notodden", user_id: int | None = 4242) -> int:
    return log.record_question(
        text=text, language="nb", outcome="answered", entry_id="contact.notodden", score=88.0,
        suggestions=[], chat_type="private", user_id=user_id, source="telegram",
    )


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT id, text, user_hash, chosen_entry, choice, feedback FROM questions ORDER BY id"
        ).fetchall()


@pytest.fixture
async def question_log(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    log = QuestionLog(tmp_path / "data" / "questions.sqlite3", "secret", 180,
                      flush_interval=0.01, busy_timeout_ms=50)
    await log.initialize()
    yield log
    await log.shutdown()


async def test_creates_the_file_in_wal_mode_with_a_schema_version(
    question_log: QuestionLog,
) -> None:
    with sqlite3.connect(question_log.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1


async def test_rows_are_masked_hashed_and_linked_to_choices(question_log: QuestionLog) -> None:
    first = question(question_log, "ring meg på 900 12 345")
    second = question(question_log)
    question_log.record_choice(first, "contact.tinn")
    question_log.record_choice(second, None)
    question_log.record_feedback(second, -1)
    assert await question_log.flush()
    stored = rows(question_log.path)
    assert [row[0] for row in stored] == [first, second]
    assert stored[0][1] == "ring meg på [telefon]"
    assert stored[0][2] and "4242" not in stored[0][2]
    assert stored[0][3:5] == ("contact.tinn", "picked")
    assert stored[1][3:] == (None, "none", -1)


async def test_the_writer_stores_rows_shortly_after_they_are_recorded(
    question_log: QuestionLog,
) -> None:
    question(question_log)
    for _ in range(100):
        if not question_log.pending:
            break
        await asyncio.sleep(0.01)
    assert len(rows(question_log.path)) == 1


async def test_ids_keep_growing_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    for expected in (1, 2):
        log = QuestionLog(path, "secret", 180)
        await log.initialize()
        assert question(log) == expected
        await log.shutdown()
    assert [row[0] for row in rows(path)] == [1, 2]


async def test_a_locked_database_keeps_rows_until_it_is_free(question_log: QuestionLog) -> None:
    question(question_log)
    assert await question_log.flush()
    blocker = sqlite3.connect(question_log.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        question(question_log, "spurt mens basen var låst")
        assert not await question_log.flush()
        assert question_log.pending == 1
    finally:
        blocker.rollback()
        blocker.close()
    assert await question_log.flush()
    assert [row[1] for row in rows(question_log.path)][-1] == "spurt mens basen var låst"


async def test_a_deleted_database_is_created_anew_with_the_waiting_rows(
    question_log: QuestionLog,
) -> None:
    question(question_log)
    assert await question_log.flush()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{question_log.path}{suffix}").unlink(missing_ok=True)
    question(question_log, "etter sletting")
    assert await question_log.flush()
    assert [row[1] for row in rows(question_log.path)] == ["etter sletting"]


async def test_an_unusable_path_keeps_rows_in_memory_until_it_is_usable(
    question_log: QuestionLog,
) -> None:
    path = question_log.path
    await question_log.flush()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.mkdir()  # a folder where the file should be: every open fails
    question(question_log, "første")
    question(question_log, "andre")
    assert not await question_log.flush()
    assert question_log.pending == 2
    shutil.rmtree(path)
    assert await question_log.flush()
    assert [row[1] for row in rows(path)] == ["første", "andre"]


async def test_the_buffer_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "folder-not-file"
    path.mkdir()
    log = QuestionLog(path, "secret", 180, buffer_limit=3)
    await log.initialize()
    for number in range(5):
        question(log, f"spørsmål {number}")
    assert log.pending == 3
    await log.shutdown()


async def test_pending_rows_are_written_on_shutdown(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "q.sqlite3", "secret", 180, flush_interval=60)
    await log.initialize()
    question(log)
    await log.shutdown()
    assert len(rows(tmp_path / "q.sqlite3")) == 1


async def test_old_rows_are_deleted_at_start(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    log = QuestionLog(path, "secret", retention_days=30)
    await log.initialize()
    question(log, "gammelt")
    question(log, "nytt")
    await log.shutdown()
    old = (utc_now() - dt.timedelta(days=31)).isoformat()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE questions SET asked_at = ? WHERE text = 'gammelt'", (old,))
    log = QuestionLog(path, "secret", retention_days=30)
    await log.initialize()
    await log.shutdown()
    assert [row[1] for row in rows(path)] == ["nytt"]


async def test_without_a_configured_secret_one_is_generated_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    hashes = []
    for _ in range(2):
        log = QuestionLog(path, "", 180)
        await log.initialize()
        question(log, user_id=77)
        await log.shutdown()
    hashes = [row[2] for row in rows(path)]
    assert hashes[0] == hashes[1]
    secret_file = path.with_name(path.name + ".secret")
    assert secret_file.stat().st_mode & 0o077 == 0


async def test_rows_recorded_while_a_full_buffer_is_written_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    path.mkdir()  # unusable: the buffer fills
    log = QuestionLog(path, "secret", 180, buffer_limit=3, flush_interval=60)
    await log.initialize()
    for number in range(3):
        question(log, f"under utfallet {number}")
    path.rmdir()
    write = QuestionLog._write

    async def write_while_more_arrive(connection: object, batch: list) -> None:
        question(log, "under skrivingen 1")  # the buffer is full: the oldest row is dropped
        question(log, "under skrivingen 2")
        await write(connection, batch)

    log._write = write_while_more_arrive  # type: ignore[method-assign]
    try:
        assert await log.flush()
        log._write = write  # type: ignore[method-assign]
        assert log.pending == 2
    finally:
        await log.shutdown()
    assert [row[1] for row in rows(path)] == [
        "under utfallet 0", "under utfallet 1", "under utfallet 2",
        "under skrivingen 1", "under skrivingen 2",
    ]
