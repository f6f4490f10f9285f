"""Tests for bot/storage.py: the question log keeps every row through database failures."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from bot import storage
from bot.storage import MIGRATIONS, QuestionLog, new_question_id, utc_now


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
        version = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
        assert version == len(MIGRATIONS)


async def test_rows_are_masked_hashed_and_linked_to_choices(question_log: QuestionLog) -> None:
    first = question(question_log, "ring meg på 900 12 345")
    second = question(question_log)
    question_log.record_choice(first, "contact.tinn", by=4242)
    question_log.record_choice(second, None, by=4242)
    question_log.record_feedback(second, -1, by=4242)
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


async def test_a_handled_update_is_written_within_a_turn_or_two_of_a_busy_event_loop(
    question_log: QuestionLog,
) -> None:
    """The record that confirms an update follows its reply as closely as the event loop
    allows: while the loop is busy answering (each turn 20 ms here), the transaction is one trip
    to SQLite's thread, not one per statement (the window for a reply sent twice after a
    kill -9, and CPU per message)."""
    question_log.hold(7)
    token = storage.CURRENT_UPDATE.set(7)
    question(question_log)
    storage.CURRENT_UPDATE.reset(token)
    turns = 0

    async def answering() -> None:
        nonlocal turns
        while True:
            time.sleep(0.02)
            turns += 1
            await asyncio.sleep(0)

    busy = asyncio.create_task(answering())
    await asyncio.sleep(0)
    number = question_log.commit_update(7)
    while not question_log.written(number):
        await asyncio.sleep(0)
    written_after = turns
    busy.cancel()
    assert await question_log.handled_updates() == [7]
    assert len(rows(question_log.path)) == 1
    assert written_after <= 7, f"written after {written_after} turns of the event loop"


async def test_ids_keep_growing_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    ids = []
    for _ in range(2):
        log = QuestionLog(path, "secret", 180)
        await log.initialize()
        ids += [question(log), question(log)]
        await log.shutdown()
    assert ids == sorted(ids) and len(set(ids)) == 4
    assert all(0 < question_id < 2**63 for question_id in ids)
    assert [row[0] for row in rows(path)] == ids


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


# --- one bad row never blocks the others ----------------------------------------------------


async def test_a_lone_surrogate_is_stored_replaced_and_blocks_nothing(
    question_log: QuestionLog,
) -> None:
    question(question_log, "før")
    broken = question(question_log, "tlf notodden \udcff og \ud800")
    question(question_log, "etter")
    question_log.record_choice(broken, "contact.\udc80", by=4242)
    assert await question_log.flush()
    assert question_log.pending == 0
    stored = rows(question_log.path)
    assert [row[1] for row in stored] == ["før", "tlf notodden \ufffd og \ufffd", "etter"]
    assert stored[1][3] == "contact.\ufffd"


async def test_a_row_that_cannot_be_written_is_dropped_alone_with_one_warning(
    question_log: QuestionLog, caplog: pytest.LogCaptureFixture
) -> None:
    question(question_log, "før")
    question_log.record_feedback(2**70, 1, by=4242)  # no SQLite integer holds this id
    question(question_log, "etter")
    with caplog.at_level("WARNING", logger="bot.storage"):
        assert await question_log.flush()
    assert question_log.pending == 0
    assert [row[1] for row in rows(question_log.path)] == ["før", "etter"]
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "feedback row" in warnings[0].getMessage()
    question(question_log, "neste")  # and the log goes on
    assert await question_log.flush()
    assert len(rows(question_log.path)) == 3


async def test_a_taken_id_keeps_the_question_under_a_new_one(
    question_log: QuestionLog, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = question(question_log, "først")
    assert await question_log.flush()
    draws = iter([first])  # as if another writer had drawn the same id, then fresh ones
    monkeypatch.setattr(storage, "new_question_id",
                        lambda previous=0: next(draws, None) or new_question_id(previous))
    question(question_log, "samme id")
    with caplog.at_level("WARNING", logger="bot.storage"):
        assert await question_log.flush()
    stored = rows(question_log.path)
    assert [row[1] for row in stored] == ["først", "samme id"]
    assert stored[0][0] == first and stored[1][0] != first
    assert "repaired" in caplog.text


# --- ids: unique across writers and restarts --------------------------------------------------


async def test_two_writers_on_one_database_keep_all_rows(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    bot = QuestionLog(path, "secret", 180, flush_interval=60)
    chat = QuestionLog(path, "secret", 180, flush_interval=60)
    await bot.initialize()
    await chat.initialize()
    try:
        ids = []
        for number in range(20):
            ids.append(question(bot, f"fra boten {number}"))
            ids.append(question(chat, f"fra terminalen {number}"))
            if number % 5 == 4:
                assert await bot.flush() and await chat.flush()
    finally:
        await bot.shutdown()
        await chat.shutdown()
    stored = rows(path)
    assert len(stored) == 40 and len(set(ids)) == 40
    assert sorted(row[0] for row in stored) == sorted(ids)


async def test_ids_of_rows_lost_in_a_crash_are_not_handed_out_again(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    crashed = QuestionLog(path, "secret", 180, flush_interval=60)
    await crashed.initialize()
    written = question(crashed, "skrevet")
    assert await crashed.flush()
    lost = {question(crashed, f"i minnet {number}") for number in range(5)}  # buttons sent
    crashed._writer.cancel()  # kill -9: nothing more is written
    await crashed._close()
    restarted = QuestionLog(path, "secret", 180)
    await restarted.initialize()
    new = {question(restarted, f"etter omstart {number}") for number in range(5)}
    await restarted.shutdown()
    assert not new & (lost | {written})
    assert {row[0] for row in rows(path)} == new | {written}


# --- buttons change only their asker's question ----------------------------------------------


async def test_choices_and_feedback_change_only_the_askers_question(
    question_log: QuestionLog,
) -> None:
    mine = question(question_log, "mitt spørsmål", user_id=4242)
    question_log.record_feedback(mine, -1, by=999)
    question_log.record_choice(mine, "contact.tinn", by=999)
    question_log.record_choice(mine, None, by=None)
    assert await question_log.flush()
    assert rows(question_log.path)[0][3:] == (None, None, None)
    assert await question_log.is_asker(mine, 4242) is True
    assert await question_log.is_asker(mine, 999) is False
    assert await question_log.is_asker(mine + 1, 4242) is None
    question_log.record_feedback(mine, -1, by=4242)
    assert await question_log.flush()
    assert rows(question_log.path)[0][5] == -1


async def test_the_asker_is_known_before_the_row_is_written(tmp_path: Path) -> None:
    log = QuestionLog(tmp_path / "q.sqlite3", "secret", 180, flush_interval=60)
    await log.initialize()
    try:
        mine = question(log, user_id=4242)
        assert log.pending == 1
        assert await log.is_asker(mine, 4242) is True
        assert await log.is_asker(mine, 999) is False
    finally:
        await log.shutdown()


# --- edited messages find their row ----------------------------------------------------------


async def test_an_edited_message_finds_the_row_of_its_first_version(
    question_log: QuestionLog,
) -> None:
    assert await question_log.earlier_answer(101, 7) is None
    first = question(question_log, "Qwerty zxcvb")
    question_log.remember_message(first, 101, 7)
    assert await question_log.earlier_answer(101, 7) == (first, "answered")  # still pending
    question_log.record_reasked(first, text="tlf 900 12 345", language="nb",
                                outcome="unanswered", entry_id=None, score=0.0, suggestions=[])
    assert await question_log.earlier_answer(101, 7) == (first, "unanswered")
    assert await question_log.flush()
    assert await question_log.earlier_answer(101, 7) == (first, "unanswered")
    assert await question_log.earlier_answer(101, 8) is None
    assert await question_log.earlier_answer(102, 7) is None
    assert [row[1] for row in rows(question_log.path)] == ["tlf [telefon]"]
    with sqlite3.connect(question_log.path) as connection:
        [(key,)] = connection.execute("SELECT message_key FROM questions").fetchall()
    assert key and "101" not in key


async def test_the_entries_of_a_question_answered_in_parts_are_kept_and_rewritten(
    tmp_path: Path,
) -> None:
    """A log made before the column existed gains it (old rows: no other parts)."""
    path = tmp_path / "questions.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE schema_version (version INTEGER)")
        for version, script in enumerate(MIGRATIONS[:-1], start=1):
            connection.executescript(script)
            connection.execute("INSERT INTO schema_version VALUES (?)", (version,))
        connection.execute(
            "INSERT INTO questions (id, asked_at, text, language, outcome, entry_id, score, "
            "chat_type, source) VALUES (1, ?, 'om regionrådet', 'nb', 'answered', "
            "'council.about', 90, 'private', 'telegram')", (utc_now().isoformat(),))
    log = QuestionLog(path, "secret", 180)
    await log.initialize()
    try:
        ref = log.record_question(
            text="når vart regionrådet skipa, og kva er føremålet", language="nn",
            outcome="answered", entry_id="council.history", score=90.0, suggestions=[],
            chat_type="private", user_id=1, source="telegram", also=["council.purpose"])
        edited = question(log, "Qwerty zxcvb")
        log.record_reasked(edited, text="om regionrådet, og kven er med", language="nb",
                           outcome="answered", entry_id="council.about", score=88.0,
                           suggestions=[], also=["council.members"])
        assert await log.flush()
    finally:
        await log.shutdown()
    with storage.reader(path) as connection:
        kept = {row.id: row.also_entries for row in storage.read_questions(
            connection, utc_now() - dt.timedelta(days=1), utc_now() + dt.timedelta(days=1))}
    assert kept == {1: (), ref: ("council.purpose",), edited: ("council.members",)}


# --- retention: deleted text leaves no bytes behind ------------------------------------------


async def test_purged_rows_leave_no_bytes_in_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = aiosqlite.connect

    async def connect_on_a_build_without_secure_delete(*args: object, **kwargs: object):
        connection = await connect(*args, **kwargs)
        await connection.execute("PRAGMA secure_delete=OFF")  # SQLite's own default
        return connection

    monkeypatch.setattr(aiosqlite, "connect", connect_on_a_build_without_secure_delete)
    path = tmp_path / "q.sqlite3"
    secret_text = "zqxjkv gammelt hemmelig spørsmål"
    log = QuestionLog(path, "secret", retention_days=30)
    await log.initialize()
    question(log, secret_text)
    question(log, "nytt")
    assert await log.flush()
    old = (utc_now() - dt.timedelta(days=31)).isoformat()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE questions SET asked_at = ? WHERE text = ?", (old, secret_text))
    assert await log.purge() == 1
    try:
        data = b"".join(Path(f"{path}{suffix}").read_bytes()
                        for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists())
        assert b"zqxjkv" not in data
        assert b"nytt" in data
    finally:
        await log.shutdown()
