"""The bot's long-lived services, reached from handlers through one typed accessor.

`bot/app.py` builds the Application, puts a `Services` in `bot_data` and imports `handlers`;
the handlers reach the services through `services(context)` from this module, so nothing in
`handlers/` imports `bot/app.py`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Message
from telegram.ext import ContextTypes

from bot.config import Config
from bot.delivery import Outbox
from bot.engine import Engine
from bot.engine import Result as EngineResult
from bot.followup import Followups
from bot.hash_secret import read_or_create_secret, read_secret, secret_file_for
from bot.storage import QuestionLog

SERVICES_KEY = "services"


@dataclass
class Services:
    """What handlers need, in one typed place."""

    config: Config
    engine: Engine
    question_log: QuestionLog
    outbox: Outbox | None = None
    followups: Followups = field(init=False)
    """Residents' consents to an answer from the editors, in the question log's file."""

    def __post_init__(self) -> None:
        self.followups = Followups(self.question_log)

    def is_editor(self, user_id: int | None) -> bool:
        """Whether `user_id` is one of the configured editors."""
        return user_id is not None and user_id in self.config.editors.user_ids

    def record_question(self, result: EngineResult, message: Message) -> int:
        """Log a question (masked, user hashed) and the message it came from; its id, for the
        buttons that refer to it."""
        question_ref = self.question_log.record_question(
            **_logged(result),
            chat_type=message.chat.type,
            user_id=message.from_user.id if message.from_user else None,
            source="telegram",
        )
        self.question_log.remember_message(question_ref, message.chat.id, message.message_id)
        return question_ref

    def record_reasked(self, question_ref: int, result: EngineResult) -> None:
        """Log an edited message's new wording and outcome in its first version's row."""
        self.question_log.record_reasked(question_ref, **_logged(result))

    def record_choice(
        self, question_ref: int | None, entry_id: str | None, user_id: int | None
    ) -> None:
        """Record a chosen suggestion (None: "none of these") against its question; it
        counts only if `user_id` asked it."""
        if question_ref is not None:
            self.question_log.record_choice(question_ref, entry_id, by=user_id)

    def record_feedback(self, question_ref: int | None, vote: int, user_id: int | None) -> None:
        """Record 👍 (+1) or 👎 (-1) on the answer to a question, if `user_id` asked it."""
        if question_ref is not None:
            self.question_log.record_feedback(question_ref, vote, by=user_id)


def question_log_for(config: Config) -> QuestionLog:
    """The question log as configured."""
    return QuestionLog(
        Path(config.database.path), config.privacy.hash_secret, config.privacy.retention_days,
        followup_days=config.followup.max_days,
    )


def with_hash_secret(config: Config) -> Config:
    """`config` with the key for hashing user ids filled in: the configured one, else the one
    kept beside the database (created on first use). HashSecretError if that file is unusable."""
    if config.privacy.hash_secret:
        return config
    secret = read_or_create_secret(secret_file_for(Path(config.database.path)))
    return dataclasses.replace(
        config, privacy=dataclasses.replace(config.privacy, hash_secret=secret)
    )


def check_hash_secret(config: Config) -> None:
    """HashSecretError if the kept key would be used and is unusable (nothing is created)."""
    path = secret_file_for(Path(config.database.path))
    if not config.privacy.hash_secret and (path.exists() or path.is_symlink()):
        read_secret(path)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The bot's services, from a handler's context."""
    return context.application.bot_data[SERVICES_KEY]


def _logged(result: EngineResult) -> dict[str, Any]:
    """What the question log keeps of an answer: the question, its language and outcome, the
    entries that answered (the first, and those of a question's other parts), its score and
    the suggestions."""
    return {
        "text": result.question,
        "language": result.language,
        "outcome": result.outcome.value,
        "entry_id": result.logged_id,
        "score": result.best.score if result.best else 0.0,
        "suggestions": [c.entry.id for c in result.suggestions],
        "also": [c.entry.id for c in result.also],
    }
