"""The question log as the running bot uses it: nothing personal on disk, never a lost answer.

tests/test_storage.py tests the log on its own; these tests go through the production
application (`offline_bot`), as residents and editors use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.config import Config
from bot.engine import Engine
from tests import updates
from tests.conftest import AMBIGUOUS, OfflineBot
from tests.recording_request import RecordingRequest, button_data

PRIVATE_USER = 555_123_987
GROUP_USER = 555_777_321
PERSONAL = {
    "phone": ("+47 912 34 567", ("91234567", "912 34 567", "+47 912")),
    "email": ("kari.nordmann@example.com", ("kari.nordmann", "example.com")),
    "national id": ("01017012343", ("01017012343", "010170")),
    "card": ("4111 1111 1111 1111", ("4111 1111", "4111111111111111")),
}


def database_bytes(path: Path) -> bytes:
    """The database file and its WAL and shared-memory files, as they are on disk."""
    return b"".join(Path(f"{path}{suffix}").read_bytes()
                    for suffix in ("", "-wal", "-shm") if Path(f"{path}{suffix}").exists())


def assert_nothing_personal(data: bytes) -> None:
    for user_id in (PRIVATE_USER, GROUP_USER):
        assert str(user_id).encode() not in data, f"raw user id {user_id} on disk"
    for what, (_, leaks) in PERSONAL.items():
        for leak in leaks:
            assert leak.encode() not in data, f"{what} ({leak}) on disk"


async def test_no_user_id_or_personal_data_reaches_the_database_files(
    offline_bot: OfflineBot, config: Config, engine: Engine
) -> None:
    # First, while the chat has no topic that could make it a follow-up.
    question = next(q for q in AMBIGUOUS if engine.ask(q).outcome == "suggested")
    await offline_bot.send(updates.message(question, user_id=PRIVATE_USER))
    pick = button_data(offline_bot.request.last("sendMessage"))[0]
    await offline_bot.send(updates.callback(pick, user_id=PRIVATE_USER))
    for what, (value, _) in PERSONAL.items():
        await offline_bot.send(updates.message(f"tlf notodden, min {what} er {value}",
                                               user_id=PRIVATE_USER))
        await offline_bot.send(updates.message(
            f"@kongsbergregionen_bot hva er {what} {value}", user_id=GROUP_USER,
            chat_id=-100200, chat_type="supergroup",
        ))
    await offline_bot.send(updates.message("tlf notodden", user_id=PRIVATE_USER))
    dislike = button_data(offline_bot.request.last("sendMessage"))[-1]
    await offline_bot.send(updates.callback(dislike, user_id=PRIVATE_USER))
    question_log = offline_bot.application.bot_data["services"].question_log
    assert await question_log.flush()
    path = Path(config.database.path)
    data = database_bytes(path)
    assert b"[telefon]" in data and b"[e-post]" in data
    assert "[fødselsnummer]".encode() in data and b"[kortnummer]" in data
    assert_nothing_personal(data)
    rows = await question_log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert len(rows) == 10 and all(row.user_hash for row in rows)
    assert len({row.user_hash for row in rows}) == 2
    assert rows[0].choice == "picked" and rows[-1].feedback == -1
    await question_log.shutdown()
    assert_nothing_personal(database_bytes(path))


@pytest.fixture
async def blocked_bot(config: Config, engine: Engine, tmp_path: Path
                      ) -> AsyncIterator[tuple[OfflineBot, Path]]:
    """The bot with its database under a path that cannot be created (a file is in the way)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    database = dataclasses.replace(config.database, path=str(blocker / "questions.sqlite3"))
    request = RecordingRequest()
    application = build_application(dataclasses.replace(config, database=database), engine,
                                    request=request)
    async with application:
        await application.post_init(application)
        request.clear()
        yield OfflineBot(application, request), blocker
        await application.post_shutdown(application)


async def test_answers_go_out_while_the_database_is_unusable_and_rows_follow(
    blocked_bot: tuple[OfflineBot, Path],
) -> None:
    bot, blocker = blocked_bot
    for text in ("tlf notodden", "Qwerty zxcvb asdfg?", "tlf tinn"):
        await bot.send(updates.message(text))
    replies = [call.params["text"] for call in bot.request.of("sendMessage")]
    assert len(replies) == 3
    assert "35 01 50 00" in replies[0] and "vet jeg dessverre ikke" in replies[1]
    question_log = bot.application.bot_data["services"].question_log
    assert not await question_log.flush()
    assert question_log.pending == 3
    blocker.unlink()
    assert await question_log.flush()
    rows = await question_log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert [row.text for row in rows] == ["tlf notodden", "Qwerty zxcvb asdfg?", "tlf tinn"]
    shutil.rmtree(blocker)
    blocker.write_text("in the way again", encoding="utf-8")


async def test_rows_past_the_retention_period_are_gone_when_the_bot_starts(
    config: Config, engine: Engine
) -> None:
    path = Path(config.database.path)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=config.privacy.retention_days + 1)
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(days=config.privacy.retention_days - 1)
    first = build_application(config, engine, request=RecordingRequest())
    async with first:
        await first.post_init(first)
        question_log = first.bot_data["services"].question_log
        for text in ("gammelt", "nytt"):
            question_log.record_question(
                text=text, language="nb", outcome="unanswered", entry_id=None, score=0.0,
                suggestions=[], chat_type="private", user_id=1, source="telegram",
            )
        await first.post_shutdown(first)
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE questions SET asked_at = ? WHERE text = 'gammelt'",
                           (old.isoformat(),))
        connection.execute("UPDATE questions SET asked_at = ? WHERE text = 'nytt'",
                           (recent.isoformat(),))
    connection.close()
    second = build_application(config, engine, request=RecordingRequest())
    async with second:
        await second.post_init(second)
        question_log = second.bot_data["services"].question_log
        rows = await question_log.questions(old - dt.timedelta(days=1))
        await second.post_shutdown(second)
    assert [row.text for row in rows] == ["nytt"]


# --- buttons: only the asker's presses change the question -----------------------------------

ASKER = 555_000_111
OTHER = 555_000_222
GROUP = -100_300


def group_press(data: str, user_id: int, language_code: str = "nb") -> dict:
    """A press on a bot message in GROUP."""
    update = updates.callback(data, user_id=user_id, language_code=language_code)
    update["callback_query"]["message"]["chat"] = updates.chat(GROUP, "supergroup")
    return update


async def logged(bot: OfflineBot) -> list:
    question_log = bot.application.bot_data["services"].question_log
    return await question_log.questions(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


async def test_forged_presses_from_another_user_change_nothing(
    offline_bot: OfflineBot, engine: Engine
) -> None:
    question = next(q for q in AMBIGUOUS if engine.ask(q).outcome == "suggested")
    await offline_bot.send(updates.message(question, user_id=ASKER))  # before any topic
    suggestions = button_data(offline_bot.request.last("sendMessage"))
    await offline_bot.send(updates.message("tlf notodden", user_id=ASKER))
    thumbs_up, thumbs_down = button_data(offline_bot.request.last("sendMessage"))[-2:]
    offline_bot.request.clear()
    forged = [thumbs_down, thumbs_up, suggestions[0], suggestions[-1]]
    for data in forged:  # the asker's button data, pressed in another user's chat
        await offline_bot.send(updates.callback(data, user_id=OTHER))
    assert [call.method for call in offline_bot.request.calls] == ["answerCallbackQuery"] * 4
    assert all(call.params["text"] == "Bare den som spurte kan svare her."
               for call in offline_bot.request.calls)
    rows = await logged(offline_bot)
    assert [(row.feedback, row.choice, row.chosen_entry) for row in rows] == [(None,) * 3] * 2
    await offline_bot.send(updates.callback(thumbs_down, user_id=ASKER))
    await offline_bot.send(updates.callback(suggestions[-1], user_id=ASKER))
    rows = await logged(offline_bot)
    assert [(row.feedback, row.choice) for row in rows] == [(None, "none"), (-1, None)]


async def test_in_a_group_only_the_askers_presses_count(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.message(
        "@kongsbergregionen_bot tlf notodden", user_id=ASKER, chat_id=GROUP,
        chat_type="supergroup"))
    thumbs_down = button_data(offline_bot.request.last("sendMessage"))[-1]
    offline_bot.request.clear()
    await offline_bot.send(group_press(thumbs_down, OTHER))
    await offline_bot.send(group_press(thumbs_down, OTHER + 1, language_code="en"))
    answers = [call.params["text"] for call in offline_bot.request.of("answerCallbackQuery")]
    assert answers == ["Bare den som spurte kan svare her.",
                       "Only the person who asked can answer here."]
    assert not offline_bot.request.of("editMessageReplyMarkup")  # the buttons stay for the asker
    assert [row.feedback for row in await logged(offline_bot)] == [None]
    await offline_bot.send(group_press(thumbs_down, ASKER))
    assert "Takk" in offline_bot.request.last("answerCallbackQuery").params["text"]
    assert offline_bot.request.of("editMessageReplyMarkup")
    assert [row.feedback for row in await logged(offline_bot)] == [-1]


async def test_a_press_naming_an_unknown_question_is_stale(offline_bot: OfflineBot) -> None:
    await offline_bot.send(updates.callback("1:f:nb:contact.notodden:-123456789", user_id=OTHER))
    assert [call.method for call in offline_bot.request.calls] == ["answerCallbackQuery"]
    assert "virker ikke lenger" in offline_bot.request.last("answerCallbackQuery").params["text"]


# --- edited messages: answered only if the first version was not, logged once ----------------


def edited(update: dict, text: str) -> dict:
    """The message of `update`, edited to `text` (as Telegram sends an edit)."""
    message = {**update["message"], "text": text, "edit_date": int(time.time())}
    message.pop("entities", None)
    if "@kongsbergregionen_bot" in text:
        message["entities"] = [{"type": "mention", "offset": text.index("@"), "length": 22}]
    return {"update_id": update["update_id"] + 100_000, "edited_message": message}


async def test_an_edit_of_an_answered_message_is_not_answered_or_logged_again(
    offline_bot: OfflineBot,
) -> None:
    first = updates.message("tlf notodden", user_id=ASKER)
    await offline_bot.send(first)
    await offline_bot.send(edited(first, "tlf notoden"))
    await offline_bot.send(edited(first, "tlf notodden kommune"))
    assert len(offline_bot.request.of("sendMessage")) == 1
    assert [row.text for row in await logged(offline_bot)] == ["tlf notodden"]


async def test_an_edit_of_an_unanswered_message_is_answered_in_the_same_row(
    offline_bot: OfflineBot,
) -> None:
    first = updates.message("Qwerty zxcvb asdfg?", user_id=ASKER)
    await offline_bot.send(first)
    await offline_bot.send(edited(first, "tlf notodden"))
    replies = [call.params["text"] for call in offline_bot.request.of("sendMessage")]
    assert len(replies) == 2 and "35 01 50 00" in replies[1]
    await offline_bot.send(edited(first, "tlf tinn"))  # answered now: left alone
    assert len(offline_bot.request.of("sendMessage")) == 2
    rows = await logged(offline_bot)
    assert [(row.text, row.outcome, row.entry_id) for row in rows] == [
        ("tlf notodden", "answered", "contact.notodden")]


async def test_an_edit_of_a_message_never_answered_is_answered_and_logged_once(
    offline_bot: OfflineBot,
) -> None:
    unseen = updates.message("@kongsbergregionen_bot tlf notoden", user_id=ASKER,
                             chat_id=GROUP, chat_type="supergroup")  # as if throttled
    plain = updates.message("hei alle sammen", user_id=ASKER, chat_id=GROUP,
                            chat_type="supergroup")  # not addressed to the bot
    await offline_bot.send(edited(unseen, "@kongsbergregionen_bot tlf notodden"))
    await offline_bot.send(plain)
    await offline_bot.send(edited(plain, "@kongsbergregionen_bot tlf tinn"))
    await offline_bot.send(edited(plain, "@kongsbergregionen_bot tlf tinn kommune"))
    replies = [call.params["text"] for call in offline_bot.request.of("sendMessage")]
    assert len(replies) == 2 and "Notodden" in replies[0] and "Tinn" in replies[1]
    assert [row.text.strip() for row in await logged(offline_bot)] == [
        "tlf notodden", "tlf tinn"]


async def test_a_question_in_parts_logs_every_entry_that_answered(
    offline_bot: OfflineBot, engine: Engine
) -> None:
    question = "Når vart regionrådet skipa, og kva er føremålet?"
    result = engine.ask(question)
    assert result.entry is not None and result.also, "asked in parts, answered in parts"
    await offline_bot.send(updates.message(question, user_id=ASKER))
    assert len(offline_bot.request.of("sendMessage")) == 1 + len(result.also)
    [row] = await logged(offline_bot)
    assert row.entry_id == result.entry.id
    assert row.also_entries == tuple(part.entry.id for part in result.also)
    assert row.answered_entries == (result.entry.id, *row.also_entries)
