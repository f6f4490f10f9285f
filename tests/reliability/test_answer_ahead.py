"""Answering ahead in a second process (bot/ahead.py), in the real bot: a batch of questions
with follow-ups gets the same replies with it as without it, and the second process is used."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.config import PROJECT_ROOT
from tests.botapi_standin import BotApiStandIn, Call
from tests.reliability.harness import BotRun, figure, to_chat

TRIES = 5  # the worker runs at the lowest priority: it may get no CPU during one batch
QUESTION_ID = re.compile(r"\d{6,}")
USERS = [7_500_001 + number for number in range(5)]
CONVERSATION = [
    "tlf tinn", "og notodden da?", "hva med adressen?", "hvem er ordfører i flesberg",
    "Det brenner i garasjen!", "hei", "hva er regionrådet", "kan jeg snakke med et menneske",
    "adm senter flesberg", "og hjartdal?", "which has more residents, Kongsberg or Notodden?",
    "hvor kjøper jeg blåbærsyltetøy",
]


def conversation_replies(standin: BotApiStandIn, folder: Path, *, ahead: bool
                         ) -> tuple[dict[int, list[tuple[str, Any]]], str]:
    """Each user's replies (text and buttons, question ids left out) to the conversation,
    pushed all at once to the polling bot (one batch), and the bot's output."""
    updates = [standin.message_update(text, user_id=user, language_code=code)
               for text in CONVERSATION for user, code in zip(USERS, ("nb", "en", "nn", None,
                                                                      "nb"), strict=True)]
    run = BotRun(standin, folder, {
        "knowledge": {"directory": str(PROJECT_ROOT / "knowledge")},
        "telegram": {"answer_ahead": ahead, "overall_max_rate": 0},
    })
    with run:
        standin.push_updates(updates)
        run.wait_for("sendMessage", lambda call: call.delivered, count=len(updates), timeout=60)
        assert run.stop() == 0
    replies = {user: [(call.params["text"], _buttons(call))
                      for call in standin.delivered("sendMessage") if to_chat(user)(call)]
               for user in USERS}
    return replies, run.output()


def _buttons(call: Call) -> list[list[str]]:
    """The reply's buttons: label and callback data without the question's id."""
    markup = call.params.get("reply_markup") or {}
    return [[f"{button.get('text')}|{QUESTION_ID.sub('#', button.get('callback_data', ''))}"
             for button in row] for row in markup.get("inline_keyboard", [])]


def test_a_batch_is_answered_the_same_with_and_without_the_second_process(
    tmp_path: Path,
) -> None:
    with BotApiStandIn() as standin:
        without, _ = conversation_replies(standin, tmp_path / "here", ahead=False)
    assert all(len(replies) >= len(CONVERSATION) for replies in without.values())
    used = 0
    for attempt in range(TRIES):  # how much the worker answers depends on the CPU it gets
        with BotApiStandIn() as standin:
            ahead, output = conversation_replies(standin, tmp_path / f"ahead{attempt}",
                                                 ahead=True)
        assert ahead == without
        assert "Traceback" not in output and "ERROR" not in output
        [count] = re.findall(r"Answered ahead in the second process: (\d+) of", output)
        used = int(count)
        if used:
            break
    assert used > 0  # some of the batch came from the second process
    figure("batch of 60 answered ahead in the second process", f"{used} of 60")
