"""Security of the question log, end to end: the real `python -m bot run` (and `chat`) on a real
SQLite file, against the Bot API stand-in.

- Buttons change only their asker's question: another user's forged or group presses get a
  polite answer and leave the row as it was.
- Ids are never handed out twice: not by the bot and the terminal chat writing one file at the
  same time, not after kill -9 took rows that were still in the writer's memory.
- A lone surrogate (the terminal chat under the C locale) is stored as U+FFFD and blocks no
  other row.
- An edited message is answered only if its first version was not, and logged once.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.callbacks import decode
from tests.botapi_standin import BotApiStandIn, Call
from tests.reliability.harness import BotRun, figure, hashed, query, to_chat

ASKER = 9_610_001
OUTSIDER = 9_610_002
GROUP = -9_610_000
ONLY_ASKER = "Bare den som spurte kan svare her."
STALE = "Denne knappen virker ikke lenger"
CHAT_TIMEOUT = 120


def buttons(call: Call) -> list[str]:
    """Every callback_data of a sent message's keyboard."""
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def question_id(data: str) -> int:
    """The question a pick, "none of these" or 👍/👎 button names."""
    pressed = decode(data)
    assert pressed is not None and pressed.question_ref is not None, data
    return pressed.question_ref


def wait_for_rows(bot: BotRun, count: int, timeout: float = 10.0) -> list[tuple]:
    """The log's rows once it holds `count` of them."""
    deadline = time.monotonic() + timeout
    while len(rows := bot.rows()) < count:
        assert time.monotonic() < deadline, f"{len(rows)} of {count} rows logged"
        time.sleep(0.05)
    return rows


def press(standin: BotApiStandIn, bot: BotRun, data: str, user_id: int,
          chat_id: int | None = None, message_id: int | None = None) -> str:
    """Press a button as `user_id` and return the text of the bot's answerCallbackQuery."""
    before = len(standin.calls("answerCallbackQuery"))
    standin.push_update(standin.callback_update(data, message_id=message_id, chat_id=chat_id,
                                                user_id=user_id))
    answers = bot.wait_for("answerCallbackQuery", count=before + 1)
    return str(answers[-1].params.get("text") or "")


@pytest.fixture
def bot(standin: BotApiStandIn, tmp_path: Path) -> Iterator[BotRun]:
    """The bot as a process, restartable, checked for secrets in its output at the end."""
    run = BotRun(standin, tmp_path / "bot")
    yield run
    if run.running:
        run.kill()
    run.assert_no_secrets()


def test_another_users_presses_leave_the_askers_question_as_it_was(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    private = bot.ask("tlf notodden", ASKER)
    thumbs_up, thumbs_down = buttons(private)[-2:]
    standin.push_update(standin.message_update("@kongsbergregionen_bot tlf notodden",
                                               user_id=ASKER, chat_id=GROUP,
                                               chat_type="supergroup"))
    [in_group] = bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(GROUP)(c))
    group_down = buttons(in_group)[-1]
    wait_for_rows(bot, 2)
    # Forged: the asker's data pressed in the outsider's own chat; and the real buttons in
    # the group, pressed by someone else.
    answers = [press(standin, bot, data, OUTSIDER) for data in (thumbs_down, thumbs_up)]
    answers.append(press(standin, bot, group_down, OUTSIDER, chat_id=GROUP,
                         message_id=in_group.result["message_id"]))
    assert answers == [ONLY_ASKER] * 3
    edits = ("editMessageText", "editMessageReplyMarkup")
    assert not [c for c in standin.calls("*") if c.method in edits]
    feedback = "SELECT id, feedback, choice, user_hash FROM questions ORDER BY asked_at, id"
    assert [row[1:] for row in bot.rows(feedback)] == [(None, None, hashed(ASKER))] * 2
    # The asker's own presses count, in the private chat and in the group.
    assert "Takk" in press(standin, bot, thumbs_down, ASKER)
    assert "Takk" in press(standin, bot, group_down, ASKER, chat_id=GROUP,
                           message_id=in_group.result["message_id"])
    deadline = time.monotonic() + 10
    while [row[1] for row in bot.rows(feedback)] != [-1, -1]:
        assert time.monotonic() < deadline, bot.rows(feedback)
        time.sleep(0.05)
    assert bot.stop() == 0
    figure("forged button presses", "3 presses by another user (forged in a private chat, "
           "real buttons in a group): 3 polite answers, 0 rows changed; the asker's 2 counted")


def test_ids_of_rows_lost_to_kill_9_are_not_handed_out_again(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    bot.ask("tlf notodden", ASKER)
    wait_for_rows(bot, 1)
    blocker = sqlite3.connect(bot.database, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # the rows of the next answers stay in memory
    try:
        sent = [bot.ask(text, ASKER) for text in ("tlf tinn", "tlf flesberg", "tlf rollag")]
        bot.kill()
    finally:
        blocker.rollback()
        blocker.close()
    lost = {question_id(buttons(call)[-1]) for call in sent}
    written = {row[0] for row in bot.rows()}
    assert len(written) == 1 and not lost & written  # answered, never logged
    bot.start()  # Telegram re-sends the update in hand at the kill: it is answered again
    for text in ("tlf tinn", "tlf flesberg", "tlf rollag"):
        bot.ask(text, OUTSIDER)
    # The asker's old 👎 buttons name questions that are gone, not the new ones.
    for call in sent:
        assert STALE in press(standin, bot, buttons(call)[-1], ASKER)
    assert bot.stop() == 0
    rows = bot.rows("SELECT id, feedback FROM questions")
    new = {row[0] for row in rows} - written
    assert len(new) >= 3
    assert not new & lost, "an id of a lost row was handed out again"
    assert all(feedback is None for _, feedback in rows)
    figure("ids after kill -9", "3 questions answered but not yet written at the kill: "
           "none of their ids handed out again after the restart; their buttons say stale")


def chat(bot: BotRun, lines: bytes, **env: str) -> subprocess.CompletedProcess:
    """`python -m bot chat` on the bot's configuration and database, fed `lines`."""
    return subprocess.run(chat_command(bot), input=lines, capture_output=True, cwd=bot.folder,
                          env={**bot.environment(), **env}, timeout=CHAT_TIMEOUT, check=False)


def chat_command(bot: BotRun) -> list[str]:
    """The command line of the terminal chat on the bot's configuration."""
    return [*bot.command()[:-1], "chat"]


def test_the_bot_and_the_terminal_chat_on_one_database_keep_every_row(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    for number in range(3):
        bot.ask(f"tlf notodden {number}", ASKER)
    wait_for_rows(bot, 3)
    terminal = subprocess.Popen(chat_command(bot), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=bot.folder, env=bot.environment())
    try:
        assert terminal.stdout is not None
        terminal.stdout.readline()  # the welcome: the chat has opened the log
        for number in range(5):  # the bot logs questions while the chat is open ...
            bot.ask(f"tlf kongsberg {number}", OUTSIDER)
        wait_for_rows(bot, 8)
        asked = b"".join(f"tlf tinn {number}\n".encode() for number in range(5))
        _, errors = terminal.communicate(asked + b"avslutt\n", timeout=CHAT_TIMEOUT)
    finally:
        if terminal.poll() is None:
            terminal.kill()
            terminal.wait()
    assert terminal.returncode == 0, errors.decode()  # ... and so does the chat
    assert bot.stop() == 0
    rows = bot.rows("SELECT id, text, source FROM questions")
    assert len(rows) == 13 and len({row[0] for row in rows}) == 13
    assert sum(1 for row in rows if row[2] == "chat") == 5


def test_a_lone_surrogate_from_the_terminal_chat_blocks_no_row(bot: BotRun) -> None:
    # Under the C locale Python reads invalid UTF-8 as lone surrogates (surrogateescape).
    done = chat(bot, b"tlf notodden \xff\xfe\ntlf tinn\nhvem er med i regionr\xe5det\navslutt\n",
                LC_ALL="C", LANG="C")
    assert done.returncode == 0, done.stderr.decode()
    assert b"could not be written" not in done.stderr
    assert b"unavailable" not in done.stderr
    texts = [row[0] for row in query(bot.database, "SELECT text FROM questions ORDER BY id")]
    assert texts == ["tlf notodden \ufffd\ufffd", "tlf tinn", "hvem er med i regionr\ufffddet"]


def edited(message: dict[str, Any], text: str) -> dict[str, Any]:
    """An edited_message update for `message`, now reading `text`."""
    body = {key: value for key, value in message.items() if key != "entities"}
    return {"edited_message": {**body, "text": text, "edit_date": int(time.time())}}


def test_an_edited_message_is_answered_only_if_its_first_version_was_not_and_logged_once(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    bot.start()
    unknown = standin.message_update("Qwerty zxcvb asdfg?", user_id=ASKER)
    answered = standin.message_update("tlf notodden", user_id=OUTSIDER)
    standin.push_updates([unknown, answered])
    bot.wait_for("sendMessage", lambda c: c.delivered and c.params["chat_id"] in
                 (ASKER, OUTSIDER), count=2)
    standin.push_updates([edited(unknown["message"], "tlf tinn"),
                          edited(answered["message"], "tlf notoden")])
    bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(ASKER)(c), count=2)
    standin.push_update(edited(unknown["message"], "tlf tinn kommune"))
    bot.ask("tlf rollag", 9_610_099)  # everything before it has been handled
    time.sleep(0.3)
    assert bot.stop() == 0
    assert "Tinn" in bot.replies(ASKER)[-1].params["text"]
    assert len(bot.replies(ASKER)) == 2 and len(bot.replies(OUTSIDER)) == 1
    rows = bot.rows("SELECT text, outcome, user_hash FROM questions ORDER BY asked_at, id")
    assert sorted(rows[:2]) == sorted([("tlf tinn", "answered", hashed(ASKER)),
                                       ("tlf notodden", "answered", hashed(OUTSIDER))])
    assert len(rows) == 3
