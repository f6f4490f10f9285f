"""Tests for bot/review.py: which questions need review, near-duplicate grouping, the list view."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.markup import HTML, PLAIN
from bot.review import (
    PAGE_SIZE,
    ReviewList,
    group_questions,
    mark_group,
    needing_review,
    normalise,
    page_count,
    reason,
    render_list,
    review_groups,
    similar,
)
from bot.storage import LoggedQuestion, QuestionLog
from tests.synthetic_log import date_back

NOW = dt.datetime(2026, 5, 12, 12, 0, tzinfo=dt.UTC)


def logged(
    question_id: int,
    text: str,
    *,
    outcome: str = "unanswered",
    hours_ago: float = 1.0,
    user: str | None = "u1",
    choice: str | None = None,
    feedback: int | None = None,
    status: str = "open",
    entry_id: str | None = None,
) -> LoggedQuestion:
    return LoggedQuestion(
        id=question_id, asked_at=NOW - dt.timedelta(hours=hours_ago), text=text, language="nb",
        outcome=outcome, entry_id=entry_id, score=0.0, suggestions=(), chat_type="private",
        user_hash=user, source="telegram", status=status, chosen_entry=None, choice=choice,
        feedback=feedback,
    )


def test_reasons_for_review() -> None:
    assert reason(logged(1, "x")) == "unanswered"
    assert reason(logged(2, "x", outcome="suggested", choice="none")) == "none"
    assert reason(logged(3, "x", outcome="answered", feedback=-1)) == "disliked"
    assert reason(logged(4, "x", outcome="answered", feedback=1)) is None
    assert reason(logged(5, "x", outcome="suggested", choice="picked")) is None


def test_normalise_keeps_words_only() -> None:
    assert normalise("  Når ÅPNER svømmehallen?!  ") == "når åpner svømmehallen"
    assert normalise("ring [telefon] nå") == "ring telefon nå"


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("når åpner svømmehallen i kongsberg", "når åpner svømmehallen i kongsberg igjen", True),
    ("hvordan søker jeg barnehageplass", "hvordan soker jeg barnehageplass", True),
    ("tinn", "hva koster parkering i tinn sentrum", False),
    ("hvordan søker jeg barnehageplass", "hvordan søker jeg jobb", False),
    ("hva koster parkering i kongsberg", "hva koster bussen i kongsberg", False),
    ("hva blir været i morgen", "kva blir vêret i morgon", True),
    ("når går bussen til rjukan", "hvordan søker jeg barnehageplass", False),
])
def test_similar(first: str, second: str, expected: bool) -> None:
    assert similar(first, second) is expected


def test_near_duplicates_are_grouped_most_frequent_first() -> None:
    questions = [
        logged(1, "Når åpner svømmehallen i Kongsberg?", hours_ago=50, user="a"),
        logged(2, "når åpner svømmehallen i kongsberg", hours_ago=30, user="b"),
        logged(3, "Når åpner svømmehallen i Kongsberg igjen?", hours_ago=3, user="a"),
        logged(4, "Hvordan søker jeg barnehageplass?", hours_ago=2, user="c"),
        logged(5, "hvordan soker jeg barnehageplass", hours_ago=1, user="d"),
        logged(6, "tinn", hours_ago=0.5),
        logged(7, "Hva koster parkering i Tinn sentrum?", hours_ago=0.2),
    ]
    groups = group_questions(questions)
    assert [sorted(group.ids) for group in groups] == [[1, 2, 3], [4, 5], [7], [6]]
    swim = groups[0]
    assert swim.count == 3
    assert swim.askers == 2
    assert swim.last_asked == NOW - dt.timedelta(hours=3)
    assert swim.ref == 3
    assert normalise(swim.text) == "når åpner svømmehallen i kongsberg"
    assert swim.variants == ["Når åpner svømmehallen i Kongsberg igjen?"]
    assert swim.reasons["unanswered"] == 3


def test_only_open_questions_that_need_review_are_listed() -> None:
    questions = [
        logged(1, "a", outcome="answered"),
        logged(2, "b"),
        logged(3, "c", status="resolved"),
        logged(4, "d", status="ignored"),
        logged(5, "e", outcome="answered", feedback=-1),
    ]
    assert [q.id for q in needing_review(questions)] == [2, 5]
    assert [q.id for q in needing_review(questions, ("open", "resolved", "ignored"))] == [
        2, 3, 4, 5,
    ]


def test_the_list_escapes_what_users_typed_and_pages() -> None:
    topics = ("svømmehall", "barnehage", "buss", "byggesak", "jobb", "vei", "skole", "lege",
              "søppel", "parkering")
    questions = [logged(i, f"<b>{topic}</b> & <script>", user=str(i))
                 for i, topic in enumerate(topics, start=1)]
    groups = group_questions(questions)
    assert len(groups) == 10
    assert page_count(groups) == 3
    review = ReviewList(groups, total=10)
    page_two = render_list(review, 30, "nb", HTML, page=2)
    assert "<script>" not in page_two and "&lt;script&gt;" in page_two
    assert "<b>buss</b>" not in page_two and "&lt;b&gt;" in page_two
    assert "Side 2 av 3" in page_two
    assert page_two.count("&lt;script&gt;") == PAGE_SIZE
    assert f"<b>{PAGE_SIZE + 1}.</b>" in page_two
    plain = render_list(review, 30, "en", PLAIN, detail=True)
    assert "<b>buss</b>" in plain and "10 groups, 10 questions." in plain
    assert "ID 10" in plain


def test_an_empty_list_says_so() -> None:
    text = render_list(ReviewList([], 0), 7, "nb", PLAIN)
    assert "Ingen åpne ubesvarte spørsmål de siste 7 dagene" in text


@pytest.fixture
async def question_log(tmp_path: Path) -> AsyncIterator[QuestionLog]:
    log = QuestionLog(tmp_path / "questions.sqlite3", "secret", 180, flush_interval=0.01)
    await log.initialize()
    yield log
    await log.shutdown()


def record(log: QuestionLog, text: str, outcome: str = "unanswered", user_id: int = 1) -> int:
    return log.record_question(
        text=text, language="nb", outcome=outcome, entry_id=None, score=0.0, suggestions=[],
        chat_type="private", user_id=user_id, source="telegram",
    )


async def test_review_groups_reads_the_period_and_mark_group_marks_all(
    question_log: QuestionLog,
) -> None:
    old = record(question_log, "når åpner svømmehallen")
    recent = [record(question_log, "når åpner svømmehallen", user_id=n) for n in (1, 2)]
    record(question_log, "tlf notodden", outcome="answered")
    await question_log.flush()
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).isoformat()
    date_back(question_log.path, [(old, long_ago)])
    week = (await review_groups(question_log, 7)).groups
    assert [sorted(group.ids) for group in week] == [sorted(recent)]
    assert week[0].askers == 2
    month = (await review_groups(question_log, 30)).groups
    assert sorted(month[0].ids) == sorted([old, *recent])
    marked = await mark_group(question_log, recent[0], "resolved", 30)
    assert sorted(marked) == sorted([old, *recent])
    assert (await review_groups(question_log, 30)).groups == []
    statuses = {q.id: q.status for q in await question_log.questions(NOW - dt.timedelta(days=999))}
    assert statuses[old] == "resolved"
    assert await mark_group(question_log, recent[0], "ignored", 30) == []
