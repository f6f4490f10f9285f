"""Tests for bot/stats.py: counts and shares per period, Oslo days, the text and the PNG chart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import struct
from collections import Counter
from pathlib import Path

from PIL import Image

from bot.engine import Engine
from bot.markup import HTML, PLAIN
from bot.stats import (
    Report,
    chart_png,
    collect,
    daily_outcomes,
    period_stats,
    render_report,
)
from bot.storage import QuestionLog
from tests.synthetic_log import fill
from tests.test_review import NOW, logged


def sample() -> list:
    return [
        logged(1, "tlf notodden", outcome="answered", entry_id="contact.notodden", user="a",
               feedback=1, hours_ago=2),
        logged(2, "tlf notodden", outcome="answered", entry_id="contact.notodden", user="b",
               hours_ago=3),
        logged(3, "region", outcome="suggested", user="a", choice="none", hours_ago=4),
        logged(4, "<i>svømmehall åpen</i>", user="c", hours_ago=5),
        logged(5, "svømmehall åpen", user="d", hours_ago=24 * 10),
        logged(6, "om regionrådet", outcome="answered", entry_id="council.about", feedback=-1,
               hours_ago=24 * 20),
    ]


def test_period_stats_count_outcomes_feedback_and_tops() -> None:
    week = period_stats(sample(), 7, NOW)
    assert week.total == 4
    assert week.askers == 3
    assert week.outcomes == Counter(answered=2, suggested=1, unanswered=1)
    assert week.share("answered") == 0.5
    assert (week.thumbs_up, week.thumbs_down, week.none_fitted) == (1, 0, 1)
    assert week.top_entries == [("contact.notodden", 2)]
    assert [group.count for group in week.top_groups] == [1, 1]
    month = period_stats(sample(), 30, NOW)
    assert month.total == 6
    assert month.thumbs_down == 1
    assert month.top_groups[0].count == 2


def test_every_part_of_a_question_answered_in_parts_counts_for_its_entry() -> None:
    in_parts = dataclasses.replace(
        logged(7, "når vart regionrådet skipa, og kva er føremålet", outcome="answered",
               entry_id="council.history", hours_ago=1),
        also_entries=("council.purpose", "contact.notodden"))
    week = period_stats([*sample(), in_parts], 7, NOW)
    assert dict(week.top_entries) == {"contact.notodden": 3, "council.history": 1,
                                      "council.purpose": 1}


def test_days_are_oslo_calendar_days() -> None:
    late = dataclasses.replace(logged(1, "x"),
                               asked_at=dt.datetime(2026, 5, 11, 22, 30, tzinfo=dt.UTC))
    days = daily_outcomes([late], 3, NOW)
    assert [date.isoformat() for date, _ in days] == ["2026-05-10", "2026-05-11", "2026-05-12"]
    assert days[-1][1]["unanswered"] == 1  # 00:30 on 12 May in Oslo (summer time)


def test_the_report_text_escapes_questions_and_names_entries(engine: Engine) -> None:
    periods = [period_stats(sample(), 7, NOW), period_stats(sample(), 30, NOW)]
    report = Report(periods, daily_outcomes(sample(), 30, NOW))
    text = render_report(report, engine.knowledge, "nb", HTML)
    assert "<b>Statistikk – siste 7 dager</b>" in text
    assert "Statistikk – siste 30 dager" in text
    assert "Besvart 2 (50 %)" in text
    assert engine.knowledge.entries["contact.notodden"].title_in("nb") in text
    assert "<i>" not in text and "&lt;i&gt;" in text
    english = render_report(report, None, "en", PLAIN)
    assert "Answered 2 (50%)" in english and "contact.notodden – 2" in english


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_chart_is_a_valid_png() -> None:
    data = chart_png(daily_outcomes(sample(), 30, NOW), "nb")
    width, height = png_size(data)
    assert width > 400 and height > 200
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
    empty = chart_png(daily_outcomes([], 7, NOW), "en")
    assert png_size(empty)[0] > 400


async def test_collect_reads_the_log(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "synthetic.sqlite3"
    count = await fill(path, engine, days=30, seed=1)
    question_log = QuestionLog(path, "synthetic-secret", 3650)
    await question_log.initialize()
    try:
        # 31 chart days: the synthetic days are UTC days, the chart's are Oslo's, and between
        # 23:00 and midnight UTC the oldest synthetic day is already outside a 30-day chart.
        report = await collect(question_log, chart_days=31)
    finally:
        await question_log.shutdown()
    week, month = report.periods
    assert month.total == count
    assert 0 < week.total < month.total
    assert sum(sum(counts.values()) for _, counts in report.daily) == count
    assert sum(month.outcomes.values()) == month.total
    assert month.top_groups and month.top_groups[0].count >= 2
