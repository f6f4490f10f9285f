"""An answer from the editors, end to end: the real `python -m bot run` on a real SQLite file,
against the Bot API stand-in.

- A resident asks what the bot cannot answer and consents; the bot is restarted; an editor
  answers with Svar; the resident receives exactly one message, and the chat id is gone from
  the database file and its WAL.
- /glem and the expiry (`followup.max_days`, run at start) delete the chat id from the files.
- Another user's forged consent and a non-editor's Svar/Send change nothing and send nothing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import callbacks
from tests.botapi_standin import BotApiStandIn, Call
from tests.reliability.harness import EDITOR, BotRun, figure, to_chat

# Telegram user ids above 2**32: SQLite stores them in 6 bytes, a pattern no other value in
# the file is likely to hold, so finding it (or not) in the files means something.
RESIDENT = 6_204_877_913
OUTSIDER = 6_204_877_977
QUESTION = "Når åpner blorfthallen på Qzxby?"


def buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def chat_id_traces(database: Path, chat_id: int) -> int:
    """How often `chat_id` appears in the database file and its WAL: as SQLite stores it (6 or
    8 bytes, big-endian) or as text."""
    patterns = [chat_id.to_bytes(6, "big"), chat_id.to_bytes(8, "big"), str(chat_id).encode()]
    found = 0
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            data = path.read_bytes()
            found += sum(data.count(pattern) for pattern in patterns)
    return found


def press(standin: BotApiStandIn, bot: BotRun, data: str, user_id: int) -> str:
    """Press a button as `user_id`; the text of the bot's answerCallbackQuery."""
    before = len(standin.calls("answerCallbackQuery"))
    standin.push_update(standin.callback_update(data, user_id=user_id))
    return str(bot.wait_for("answerCallbackQuery", count=before + 1)[-1].params.get("text")
               or "")


def consent(standin: BotApiStandIn, bot: BotRun, user_id: int = RESIDENT) -> str:
    """The resident asks QUESTION and presses the consent button; its data."""
    reply = bot.ask(QUESTION, user_id)
    [data] = [d for d in buttons(reply) if callbacks.decode(d).action == "followup"]
    before = len(bot.replies(user_id))
    press(standin, bot, data, user_id)
    confirmation = bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(user_id)(c),
                                count=before + 1)[-1]
    assert "/glem" in confirmation.params["text"]
    return data


def followup_rows(bot: BotRun) -> list[tuple]:
    return bot.rows("SELECT question_id FROM followups")


@pytest.fixture
def bot(standin: BotApiStandIn, tmp_path: Path) -> Iterator[BotRun]:
    """The bot as a process with EDITOR as editor, restartable."""
    run = BotRun(standin, tmp_path / "bot", {"editors": {"user_ids": [EDITOR]}})
    yield run
    if run.running:
        run.kill()
    run.assert_no_secrets()


def test_consent_restart_answer_arrives_once_and_the_chat_id_is_gone(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    consent(standin, bot)
    assert len(followup_rows(bot)) == 1
    assert chat_id_traces(bot.database, RESIDENT) > 0  # the scan finds it while it is kept
    assert bot.stop() == 0
    bot.start()  # a restart in between loses nothing
    listing = bot.ask("/ubesvart", EDITOR)
    assert "⏳ 1 venter på svar" in listing.params["text"]
    assert str(RESIDENT) not in listing.params["text"]
    [answer] = [d for d in buttons(listing) if callbacks.decode_editor(d).action == "answer"]
    press(standin, bot, answer, EDITOR)
    bot.wait_for("editMessageText", lambda c: "Skriv svaret" in str(c.params.get("text")))
    preview = bot.ask("Den åpner <b>1. mai</b>.", EDITOR)
    assert "&lt;b&gt;1. mai&lt;/b&gt;" in preview.params["text"]
    [send] = [d for d in buttons(preview) if callbacks.decode_editor(d).action == "send"]
    before = len(bot.replies(RESIDENT))
    started = time.monotonic()
    press(standin, bot, send, EDITOR)
    press(standin, bot, send, EDITOR)  # pressed twice: sent once
    received = bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(RESIDENT)(c),
                            count=before + 1)[-1]
    took = time.monotonic() - started
    assert received.params["text"] == (
        f"Svar fra redaksjonen på spørsmålet ditt «{QUESTION}»:\n\n"
        "Den åpner &lt;b&gt;1. mai&lt;/b&gt;.")
    time.sleep(1.0)
    assert len(bot.replies(RESIDENT)) == before + 1, "the resident got more than one message"
    assert followup_rows(bot) == []
    assert bot.stop() == 0
    assert chat_id_traces(bot.database, RESIDENT) == 0
    statuses = bot.rows("SELECT status FROM questions WHERE text = ?", (QUESTION,))
    assert statuses == [("resolved",)]
    figure("follow-up answered after a restart", f"1 resident, 1 message (Send pressed twice), "
           f"delivered {took:.2f} s after Send; chat id found in the files 0 times after")


def test_withdrawal_and_expiry_leave_no_chat_id_in_the_files(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    consent(standin, bot)
    reply = bot.ask("/glem", RESIDENT)
    assert "Slettet" in reply.params["text"]
    assert followup_rows(bot) == []
    assert chat_id_traces(bot.database, RESIDENT) == 0
    consent(standin, bot, OUTSIDER)
    assert chat_id_traces(bot.database, OUTSIDER) > 0
    assert bot.stop() == 0
    # Fifteen days pass: the consent is older than followup.max_days (14).
    connection = sqlite3.connect(bot.database)
    connection.execute("UPDATE followups SET consented_at = '2000-01-01T00:00:00+00:00'")
    connection.commit()
    connection.close()
    bot.start()  # the retention job runs at start
    deadline = time.monotonic() + 10
    while followup_rows(bot):
        assert time.monotonic() < deadline, "the expired consent was not deleted"
        time.sleep(0.1)
    assert bot.stop() == 0
    assert chat_id_traces(bot.database, OUTSIDER) == 0
    figure("follow-up withdrawn / expired", "chat id found in the database and WAL 0 times "
           "after /glem, and 0 times after the expiry at start (before: found each time)")


def test_forged_consent_and_non_editors_cannot_make_the_bot_send(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    reply = bot.ask(QUESTION, RESIDENT)
    [data] = [d for d in buttons(reply) if callbacks.decode(d).action == "followup"]
    # The resident's consent button, pressed by someone else in their own chat.
    assert "Bare den som spurte" in press(standin, bot, data, OUTSIDER)
    assert followup_rows(bot) == []
    consent(standin, bot)
    question = callbacks.decode(data).question_ref
    sent_before = len(standin.delivered("sendMessage"))
    for action in ("answer", "send", "send_variant"):
        forged = callbacks.encode_editor(action, 30, question)
        assert "virker ikke lenger" in press(standin, bot, forged, OUTSIDER)
    time.sleep(0.5)
    assert len(standin.delivered("sendMessage")) == sent_before
    assert len(followup_rows(bot)) == 1
    assert bot.stop() == 0
