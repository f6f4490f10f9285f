"""Security, end to end: editors' commands and buttons from anyone else reveal and change
nothing; one user's flood is throttled with one polite notice while others are served.

(The webhook's secret token, 403 without it, and "no token in the output at DEBUG level" are
tested in tests/test_e2e.py; webhook mode without a secret, forged and oversized webhook
requests, a rejected token and personal data at DEBUG in test_security_startup.py; every bot
this suite starts is also checked for its token in the output, the Telegram-fault module at
DEBUG level.)
"""

from __future__ import annotations

import hashlib
import statistics
import time
from pathlib import Path

from bot.callbacks import encode_editor
from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import EDITOR, BotRun, figure, to_chat

RESIDENT = 9402
OUTSIDER = 9403
GROUP = -9_400_001
SECRET_QUESTION = "qwzx hemmelig spørsmål om naboen min"
EDITOR_COMMANDS = ["/ubesvart", "/unanswered", "/ubesvart 30", "/statistikk", "/stats",
                   "/eksport", "/export 7", "/oppdater", "/reload"]
UNKNOWN_COMMAND = "Den kommandoen kjenner jeg ikke"
STALE = "Denne knappen virker ikke lenger"


def digest(folder: Path) -> str:
    """A hash of every file in the knowledge folder."""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


def test_editor_commands_from_anyone_else_reveal_and_change_nothing(
    standin: BotApiStandIn, bot: BotRun, knowledge_copy: Path
) -> None:
    bot.ask(SECRET_QUESTION, RESIDENT)
    before = digest(knowledge_copy)
    for command in EDITOR_COMMANDS:  # in a private chat: the unknown-command reply, only
        assert UNKNOWN_COMMAND in bot.ask(command, OUTSIDER).params["text"], command
    for user in (OUTSIDER, EDITOR):  # in a group: nothing at all, even from an editor
        for command in EDITOR_COMMANDS:
            standin.push_update(standin.message_update(
                command.replace(" ", "@kongsbergregionen_bot ", 1) if " " in command
                else command + "@kongsbergregionen_bot", user_id=user, chat_id=GROUP,
                chat_type="group"))
    bot.ask("tlf tinn", RESIDENT)  # everything before it has been handled
    time.sleep(0.3)
    sent = standin.calls("*")
    assert not [c for c in sent if to_chat(GROUP)(c)]
    assert not [c for c in sent if c.method in ("sendDocument", "sendPhoto")]
    assert not [c for c in sent if "hemmelig" in str(c.params)]
    assert digest(knowledge_copy) == before
    assert bot.rows("SELECT status FROM questions") == [("open",), ("open",)]


def test_editor_buttons_pressed_or_forged_by_anyone_else_do_nothing(
    standin: BotApiStandIn, bot: BotRun, knowledge_copy: Path
) -> None:
    bot.ask(SECRET_QUESTION, RESIDENT)
    deadline = time.monotonic() + 10
    while not bot.rows() and time.monotonic() < deadline:
        time.sleep(0.1)
    [(question_id, _, _)] = bot.rows()
    before = digest(knowledge_copy)
    forged = [encode_editor(action, 30, question_id) for action in
              ("page", "back", "resolve", "ignore", "variant", "search")]
    forged += [encode_editor("add", 30, question_id, "contact.tinn"), "e1:ok:30:1:x",
               "e1:zz:30:1", "e1:ok:99999:1", "e1:" + "9" * 60]
    presses = [(data, OUTSIDER, None) for data in forged]
    presses += [(data, OUTSIDER, GROUP) for data in forged[:7]]
    presses += [(data, EDITOR, GROUP) for data in forged[:7]]  # an editor, but in a group
    for data, user, chat in presses:
        update = standin.callback_update(data, user_id=user)
        if chat is not None:
            update["callback_query"]["message"]["chat"] = {"id": chat, "type": "group",
                                                           "title": "Kommunestaben"}
        standin.push_update(update)
    answers = bot.wait_for("answerCallbackQuery", count=len(presses))
    assert all(STALE in str(c.params.get("text")) for c in answers)
    bot.ask("tlf tinn", RESIDENT)
    time.sleep(0.3)
    changing = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")
    assert not [c for c in standin.calls("*") if c.method in changing
                and c.params.get("chat_id") in (OUTSIDER, EDITOR, GROUP)]
    assert bot.rows("SELECT status FROM questions WHERE id = ?", [question_id]) == [("open",)]
    assert digest(knowledge_copy) == before
    assert " ERROR " not in bot.output()


def test_one_users_flood_is_throttled_with_one_notice_while_others_are_served(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    flooder, others = 9500, range(9501, 9521)

    def traffic(flood: bool) -> list[int]:
        """20 users ask a question every 0.2 s, 5 times; with or without 50 messages from
        one user in that second. The others' update ids."""
        normal = []
        for round_number in range(50):
            if flood:
                standin.push_update(standin.message_update(f"spam {round_number}",
                                                           user_id=flooder))
            if round_number % 10 == 0:
                normal += standin.push_updates(
                    [standin.message_update("tlf notodden", user_id=u) for u in others])
            time.sleep(0.02)
        return normal

    with BotRun(standin, tmp_path) as bot:
        quiet = traffic(flood=False)
        bot.wait_for("sendMessage", lambda c: c.params["chat_id"] in others, count=100)
        busy = traffic(flood=True)
        bot.wait_for("sendMessage", lambda c: c.params["chat_id"] in others, count=200)
        time.sleep(0.5)
        assert bot.stop() == 0
    bot.assert_no_secrets()
    to_flooder = [c.params["text"] for c in bot.replies(flooder)]
    notices = [text for text in to_flooder if "veldig mange meldinger" in text]
    assert len(notices) == 1
    assert len(to_flooder) == 20 + 1  # flood_messages (default 20) answered, then the notice
    for user in others:
        assert len(bot.replies(user)) == 10
    figure("flood: 50 messages in 1 s from one user",
           "20 answered + 1 polite notice, 29 dropped; 20 others all served, median latency "
           f"{statistics.median(latencies(standin, set(busy))):.0f} ms (same traffic without "
           f"the flood: {statistics.median(latencies(standin, set(quiet))):.0f} ms)")


def latencies(standin: BotApiStandIn, update_ids: set[int]) -> list[float]:
    """Milliseconds from handing out each update to the first reply in its chat after it."""
    replies = standin.reply_timings()
    result = []
    for timing in standin.update_timings():
        if timing.update_id in update_ids and timing.handed_out_at is not None:
            first = min(r.time for r in replies
                        if r.chat_id == timing.chat_id and r.time >= timing.handed_out_at)
            result.append((first - timing.handed_out_at) * 1000)
    return result
