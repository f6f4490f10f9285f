"""Answers from the editors to the residents who asked for one, in the same chat.

When the bot cannot answer ("I don't know yet", "Ingen av disse", or a request for a person),
a resident in a private chat may press "Vil du ha svar fra redaksjonen her?". That press is
consent: the chat id is stored with the question's id in a table of its own (`followups`, in
the question log's file), and nowhere else. It is deleted

- when the editors' answer is sent (`claim` takes the rows before sending, so that a second
  press of «Send» finds nothing and no resident gets the answer twice),
- when the resident sends /glem or /forget (`withdraw`, at once), and
- after `followup.max_days` days (`QuestionLog.purge_followups`, at start and hourly; an
  expired consent is never used even before it is purged).

Deleted rows are zeroed in the file (`secure_delete`) and the WAL is checkpointed, so the chat
id leaves no bytes behind. Editors never see a chat id: the review list shows how many wait
and since when (`bot.review`), the export has no column for it.

Only the asker can consent (the handler checks `QuestionLog.is_asker` first), only for a
question the bot could not answer (`ELIGIBLE`), never for an emergency or crisis reply, and
the chat stored is the chat the press came from: a forged button can at most ask the bot to
answer the presser's own question in the presser's own chat.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.markup import HTML
from bot.storage import QuestionLog, utc_now
from bot.texts import say

MAX_ANSWER_CHARS = 3000
"""An editor's answer may be this long: with the heading and the question it fits one
Telegram message (4 096 characters)."""
QUESTION_QUOTE_CHARS = 300
SAFETY_OUTCOMES = ("emergency", "crisis")


class Consent(enum.StrEnum):
    """What pressing the follow-up button did."""

    GIVEN = "given"
    ALREADY = "already"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Waiting:
    """One resident waiting for an answer to one question (the chat id never leaves the
    bot: it is used to send and then deleted)."""

    question_id: int
    chat_id: int
    consented_at: str
    language: str
    question: str


def eligible(outcome: str, choice: str | None) -> bool:
    """Whether a question may get an answer from the editors: the bot could not answer it
    ("I don't know", a request for a person) or none of its suggestions fitted; never an
    emergency or a crisis, which the safety layer answers at once."""
    if outcome in SAFETY_OUTCOMES:
        return False
    return outcome == "unanswered" or choice == "none"


class Followups:
    """The consent table, on the question log's connection and file."""

    def __init__(self, question_log: QuestionLog) -> None:
        self.question_log = question_log

    @property
    def max_days(self) -> int:
        """How long a consent is kept at most."""
        return self.question_log.followup_days

    async def consent(
        self, question_id: int, chat_id: int, now: dt.datetime | None = None
    ) -> Consent:
        """Store the resident's consent to an answer for `question_id` in `chat_id`."""
        log = self.question_log
        await log.flush()  # the question (and a "none of these") may still be queued
        async with log.transaction() as connection:
            async with connection.execute(
                "SELECT outcome, choice FROM questions WHERE id = ?", (question_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return Consent.UNKNOWN
            if not eligible(row[0], row[1]):
                return Consent.NOT_ELIGIBLE
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO followups (question_id, chat_id, consented_at) "
                "VALUES (?, ?, ?)", (question_id, chat_id, (now or utc_now()).isoformat()),
            )
            return Consent.GIVEN if cursor.rowcount > 0 else Consent.ALREADY

    async def withdraw(self, chat_id: int) -> int:
        """Delete every consent of `chat_id` (/glem); how many there were."""
        async with self.question_log.transaction() as connection:
            cursor = await connection.execute("DELETE FROM followups WHERE chat_id = ?",
                                              (chat_id,))
        if cursor.rowcount > 0:
            await self.question_log.erase_deleted()
        return cursor.rowcount

    async def claim(
        self, question_ids: Sequence[int], now: dt.datetime | None = None
    ) -> list[Waiting]:
        """Take (delete) the unexpired consents for `question_ids`, to send the answer to
        them; a second claim for the same questions finds nothing."""
        if not question_ids:
            return []
        cutoff = self.question_log.followup_cutoff(now).isoformat()
        marks = ", ".join("?" * len(question_ids))
        async with self.question_log.transaction() as connection:
            async with connection.execute(
                "SELECT f.question_id, f.chat_id, f.consented_at, q.language, q.text "
                "FROM followups f JOIN questions q ON q.id = f.question_id "
                f"WHERE f.question_id IN ({marks}) AND f.consented_at >= ? "
                "ORDER BY f.consented_at", (*question_ids, cutoff),
            ) as cursor:
                rows = await cursor.fetchall()
            await connection.execute(
                f"DELETE FROM followups WHERE question_id IN ({marks})", tuple(question_ids)
            )
        return [Waiting(*row) for row in rows]

    async def restore(self, waiting: Iterable[Waiting]) -> None:
        """Put back consents whose answer could not be sent (to try again later)."""
        rows = [(w.question_id, w.chat_id, w.consented_at) for w in waiting]
        if not rows:
            return
        async with self.question_log.transaction() as connection:
            await connection.executemany(
                "INSERT OR IGNORE INTO followups (question_id, chat_id, consented_at) "
                "VALUES (?, ?, ?)", rows,
            )

    async def forget_sent(self) -> None:
        """After answers were sent: leave no trace of the claimed chat ids in the files."""
        await self.question_log.erase_deleted()

    async def waiting_residents(self, now: dt.datetime | None = None) -> int:
        """How many residents (distinct chats) wait for an answer."""
        cutoff = self.question_log.followup_cutoff(now).isoformat()
        async with self.question_log.transaction() as connection, connection.execute(
            "SELECT COUNT(DISTINCT chat_id) FROM followups WHERE consented_at >= ?",
            (cutoff,),
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0])


def waiting_by_question(
    connection: sqlite3.Connection, cutoff: dt.datetime
) -> dict[int, tuple[int, dt.datetime]]:
    """For each question someone waits for: how many wait, and since when (blocking; for the
    review list's worker thread). No chat id leaves the database."""
    rows = connection.execute(
        "SELECT question_id, COUNT(*), MIN(consented_at) FROM followups "
        "WHERE consented_at >= ? GROUP BY question_id", (cutoff.isoformat(),),
    ).fetchall()
    return {row[0]: (row[1], dt.datetime.fromisoformat(row[2])) for row in rows}


def answer_problem(text: str) -> str | None:
    """Why an editor's answer cannot be sent ("empty", "too_long"), or None."""
    if not text.strip():
        return "empty"
    if len(text) > MAX_ANSWER_CHARS:
        return "too_long"
    return None


def resident_message(question: str, answer: str, language: str) -> str:
    """What the resident receives, as Telegram HTML: the heading with their (masked)
    question, then the editors' answer, every piece escaped."""
    heading = say("followup_answer_heading", language,
                  question=HTML.quote(question, limit=QUESTION_QUOTE_CHARS))
    return f"{heading}\n\n{html.escape(answer.strip(), quote=False)}"
