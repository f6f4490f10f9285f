"""Replies in a group whose question is gone: a message deleted before the bot answers it is
still answered (Telegram refuses a reply to a missing message unless the sender allows it)."""

from __future__ import annotations

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import BotRun, to_chat

GROUP = -9_300_001
ASKER = 7_400_001


def test_a_question_deleted_before_the_answer_is_still_answered_in_the_group(
    standin: BotApiStandIn, bot: BotRun
) -> None:
    question = standin.message_update("@kongsbergregionen_bot hvilke kommuner er med?",
                                      user_id=ASKER, chat_id=GROUP, chat_type="supergroup")
    standin.push_updates([question], remember=False)  # deleted as soon as it was sent
    [reply] = bot.wait_for("sendMessage", lambda call: call.delivered and to_chat(GROUP)(call))
    assert "Notodden" in reply.params["text"]

