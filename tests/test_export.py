"""Tests for bot/export.py: CSV that Norwegian Excel opens as it should."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path

from bot.export import COLUMNS, export, file_name, to_csv
from bot.storage import QuestionLog
from tests.test_review import logged


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_bom_semicolons_header_and_oslo_time() -> None:
    summer = dataclasses.replace(
        logged(7, "Når åpner svømmehallen på Rjukan?", outcome="suggested", user="ab12"),
        asked_at=dt.datetime(2026, 7, 1, 12, 0, 5, tzinfo=dt.UTC), score=52.3,
        suggestions=("municipality.tinn", "contact.tinn"), chosen_entry="contact.tinn",
        choice="picked", feedback=-1,
    )
    winter = dataclasses.replace(logged(8, "æøå ÆØÅ"),
                                 asked_at=dt.datetime(2026, 1, 1, 23, 30, tzinfo=dt.UTC))
    data = to_csv([summer, winter])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    header, first, second = parse(data)
    assert tuple(header) == COLUMNS
    row = dict(zip(header, first, strict=True))
    assert row["id"] == "7"
    assert row["asked_at"] == "2026-07-01 14:00:05"
    assert row["score"] == "52,3"
    assert row["suggestions"] == "municipality.tinn, contact.tinn"
    assert (row["chosen_entry"], row["choice"], row["feedback"]) == ("contact.tinn", "picked",
                                                                      "-1")
    assert row["user_hash"] == "ab12" and row["status"] == "open"
    assert second[1] == "2026-01-02 00:30:00"
    assert second[2] == "æøå ÆØÅ"
    assert "æøå ÆØÅ".encode() in data


def test_awkward_text_is_quoted_and_never_a_formula() -> None:
    questions = [
        logged(1, 'semikolon; "sitat"\nog linjeskift'),
        logged(2, "=HYPERLINK(\"http://x\")"),
        logged(3, "+47 [telefon]"),
        logged(4, "-1"),
        logged(5, "@SUM(A1)"),
    ]
    rows = parse(to_csv(questions))[1:]
    texts = [row[2] for row in rows]
    assert texts[0] == 'semikolon; "sitat" og linjeskift'
    assert texts[1:] == ["'=HYPERLINK(\"http://x\")", "'+47 [telefon]", "'-1", "'@SUM(A1)"]
    assert all(len(row) == len(COLUMNS) for row in rows)


def test_file_name_uses_oslo_dates() -> None:
    since = dt.datetime(2026, 4, 12, 22, 30, tzinfo=dt.UTC)
    until = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)
    assert file_name(since, until) == "sporsmalslogg-2026-04-13--2026-05-12.csv"


async def test_export_reads_the_period(tmp_path: Path) -> None:
    question_log = QuestionLog(tmp_path / "questions.sqlite3", "secret", 180)
    await question_log.initialize()
    try:
        question_log.record_question(
            text="Hvem er daglig leder? mail meg på kari@example.no", language="nb",
            outcome="answered", entry_id="council.organisation", score=77.0, suggestions=[],
            chat_type="private", user_id=42, source="telegram", also=["contact.council"],
        )
        buffer = io.BytesIO()
        name, count = await export(question_log, buffer, 30)
        data = buffer.getvalue()
    finally:
        await question_log.shutdown()
    assert count == 1 and name.endswith(".csv")
    row = dict(zip(COLUMNS, parse(data)[1], strict=True))
    assert row["text"] == "Hvem er daglig leder? mail meg på [e-post]"
    assert row["score"] == "77,0" and row["user_hash"] and row["user_hash"] != "42"
    assert row["also_entries"] == "contact.council"
