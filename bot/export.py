"""The question log as a CSV file that Excel opens with æøå intact.

Norwegian Excel expects semicolons between columns and a decimal comma, so that is what this
writes, in UTF-8 with a byte order mark (without it Excel guesses a legacy encoding and æøå
break). Times are Europe/Oslo local time. A text cell that would start a formula (=, +, -, @)
gets a leading apostrophe, so a question can never run as a formula in a spreadsheet.
`/eksport` in Telegram and `python -m bot log export` write the same file.

The file is streamed: rows are read a chunk at a time on a read-only connection of its own and
written to the destination (a temporary file for Telegram) in a worker thread, so neither the
whole log nor the whole file is built in memory, and the event loop keeps answering residents.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from bot.localtime import days_ago, local_date, local_stamp, utc_now
from bot.storage import LoggedQuestion, QuestionLog, read_questions, reader

COLUMNS = (
    "id", "asked_at", "text", "language", "outcome", "entry_id", "score", "suggestions",
    "chat_type", "user_hash", "source", "status", "chosen_entry", "choice", "feedback",
    "also_entries",
)
DELIMITER = ";"
ENCODING = "utf-8-sig"
EXPORT_DAYS = 30
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def decimal_comma(value: float) -> str:
    """A number with a decimal comma (57,3), as Norwegian Excel reads numbers."""
    return f"{value:.1f}".replace(".", ",")


def row(question: LoggedQuestion) -> list[str]:
    """One question as CSV cells, in COLUMNS order."""
    return [
        str(question.id),
        local_stamp(question.asked_at),
        safe_cell(" ".join(question.text.split())),
        question.language,
        question.outcome,
        question.entry_id or "",
        decimal_comma(question.score),
        ", ".join(question.suggestions),
        question.chat_type,
        question.user_hash or "",
        question.source,
        question.status,
        question.chosen_entry or "",
        question.choice or "",
        "" if question.feedback is None else str(question.feedback),
        ", ".join(question.also_entries),
    ]


def write_csv(questions: Iterable[LoggedQuestion], destination: BinaryIO) -> int:
    """Write BOM, header row and one row per question to `destination`; how many rows."""
    stream = io.TextIOWrapper(destination, encoding=ENCODING, newline="")
    try:
        writer = csv.writer(stream, delimiter=DELIMITER, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        count = 0
        for question in questions:
            writer.writerow(row(question))
            count += 1
        stream.flush()
    finally:
        stream.detach()
    return count


def to_csv(questions: Iterable[LoggedQuestion]) -> bytes:
    """The questions as CSV bytes: BOM, header row, one row per question."""
    buffer = io.BytesIO()
    write_csv(questions, buffer)
    return buffer.getvalue()


def file_name(since: dt.datetime, until: dt.datetime) -> str:
    """sporsmalslogg-2026-04-13--2026-05-12.csv (Oslo dates, ASCII only)."""
    return f"sporsmalslogg-{local_date(since)}--{local_date(until)}.csv"


def export_file(path: Path, since: dt.datetime, until: dt.datetime,
                destination: BinaryIO) -> int:
    """Stream the questions of [since, until) from the log at `path` as CSV (blocking)."""
    with reader(path) as connection:
        return write_csv(read_questions(connection, since, until), destination)


async def export(
    question_log: QuestionLog,
    destination: BinaryIO,
    days: int = EXPORT_DAYS,
    now: dt.datetime | None = None,
) -> tuple[str, int]:
    """Write the CSV of the last `days` days to `destination` in a worker thread; the file's
    name and how many questions it holds."""
    now = now or utc_now()
    since = days_ago(days, now)
    await question_log.flush()
    count = await asyncio.to_thread(export_file, question_log.path, since,
                                    now + dt.timedelta(seconds=1), destination)
    return file_name(since, now), count
