"""The terminal chat: the same engine as the Telegram bot, for trying it and the knowledge base.

Questions are logged like Telegram's (source "chat", no user), so that editors see what was
asked here too. Type a number to pick one of the "Mente du …?" suggestions, "avslutt" to leave.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.engine import Engine, Outcome, Result
from bot.facts import Topic
from bot.render import entry_plain, result_plain
from bot.storage import QuestionLog
from bot.texts import say

QUIT_WORDS = {"avslutt", "slutt", "quit", "exit", "q"}


class TerminalChat:
    """One terminal conversation."""

    def __init__(self, engine: Engine, question_log: QuestionLog, stdout: TextIO) -> None:
        self.engine = engine
        self.question_log = question_log
        self.stdout = stdout
        self.pending: Result | None = None
        self.pending_ref: int | None = None
        self.topic: Topic | None = None

    def say(self, text: str) -> None:
        """Print a reply."""
        print(text, file=self.stdout, flush=True)

    def handle(self, text: str) -> None:
        """Answer one line typed by the user."""
        if self.pending and text.isdigit() and 1 <= int(text) <= len(self.pending.suggestions):
            chosen = self.pending.suggestions[int(text) - 1].entry
            self.question_log.record_choice(self.pending_ref, chosen.id, by=None)
            self.say(entry_plain(chosen, self.pending.language))
            self.pending = None
            return
        result = self.engine.ask(text, topic=self.topic)
        if result.fact is not None and result.fact.topic is not None:
            self.topic = result.fact.topic
        ref = self.question_log.record_question(
            text=text, language=result.language, outcome=result.outcome.value,
            entry_id=result.logged_id, score=result.score,
            suggestions=[c.entry.id for c in result.suggestions], chat_type="terminal",
            user_id=None, source="chat", also=[c.entry.id for c in result.also],
        )
        self.say(result_plain(result, self.engine.knowledge, logged=True))
        self.pending = result if result.outcome is Outcome.SUGGESTED else None
        self.pending_ref = ref
        if self.pending:
            self.say(say("chat_pick", result.language))


async def run_chat(
    engine: Engine, question_log: QuestionLog, stdin: TextIO, stdout: TextIO
) -> int:
    """Read questions until end of input or a quit word; the log is flushed at the end."""
    await question_log.initialize()
    conversation = TerminalChat(engine, question_log, stdout)
    conversation.say(say("chat_welcome", "nb"))
    try:
        while True:
            print("\n> ", end="", file=stdout, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            text = line.strip()
            if not line or text.lower() in QUIT_WORDS:
                break
            if text:
                conversation.handle(text)
    finally:
        await question_log.shutdown()
    print(file=stdout, flush=True)
    return 0
