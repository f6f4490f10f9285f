"""Tests for bot/review.py: which questions need review, near-duplicate grouping, the list view."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from bot.evaluate import load_labelled
from bot.markup import HTML, PLAIN
from bot.review import (
    MAX_GROUPED,
    ORDER_SIMILARITY,
    PAGE_SIZE,
    SIMILARITY,
    ReviewList,
    group_for_review,
    group_questions,
    mark_group,
    needing_review,
    normalise,
    page_count,
    read_review,
    reason,
    render_list,
    review_groups,
    similar,
)
from bot.storage import STATUSES, LoggedQuestion, QuestionLog, read_questions, reader
from tests.synthetic_log import LABELLED, date_back, fill_open, flood_text

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


# --- bounded, fair and fast --------------------------------------------------------------------


def varied(count: int, seed: int = 3) -> list[str]:
    """Varied questions (labelled ones with typos and made-up words), some near-duplicates."""
    rng = random.Random(seed)
    questions = [item.question for item in load_labelled(LABELLED, None)]
    return [flood_text(rng, questions) for _ in range(count)]


def leader_groups(questions: list[LoggedQuestion]) -> list[list[int]]:
    """The grouping rule written the slow, obvious way: each question, newest first, joins the
    group whose first question is most similar (token_set_ratio, with the word-order guard),
    ties to the closer word order and then the older group."""
    keys: list[str] = []
    members: list[list[int]] = []
    for question in sorted(questions, key=lambda q: (q.asked_at, q.id), reverse=True):
        key = normalise(question.text)
        best = None
        for index, other in enumerate(keys):
            if key == other:
                best = (101.0, 101.0, -index)
                break
            order = fuzz.token_sort_ratio(key, other)
            score = fuzz.token_set_ratio(key, other)
            if key and order >= ORDER_SIMILARITY and score >= SIMILARITY:
                found = (score, order, -index)
                best = found if best is None or found > best else best
        if best is None:
            keys.append(key)
            members.append([])
            best = (0, 0, -(len(keys) - 1))
        members[-best[2]].append(question.id)
    return sorted(sorted(ids) for ids in members)


def test_grouping_in_blocks_follows_the_rule() -> None:
    texts = varied(700)
    texts += [text.upper() + "?" for text in texts[:40]] + texts[100:140]
    questions = [logged(i, text, hours_ago=(len(texts) - i) / 10, user=str(i % 9))
                 for i, text in enumerate(texts)]
    groups = group_questions(questions)
    assert sorted(sorted(group.ids) for group in groups) == leader_groups(questions)
    assert len(groups) < len(questions) - 60


def test_the_list_is_bounded_per_asker_and_in_all() -> None:
    flood = [logged(i, f"qz{i} {text}", hours_ago=i / 100, user="flooder")
             for i, text in enumerate(varied(300))]
    others = [logged(1000 + i, f"annet spørsmål nummer {word}", hours_ago=5 + i, user=f"u{i}")
              for i, word in enumerate(("en", "to", "tre"))]
    review = group_for_review(flood + others, per_asker=25, limit=2000)
    listed = [q for group in review.groups for q in group.questions]
    assert len([q for q in listed if q.user_hash == "flooder"]) == 25
    assert {q.id for q in listed if q.user_hash == "flooder"} == set(range(25)), "the newest"
    assert {q.id for q in others} <= {q.id for q in listed}, "others are not crowded out"
    assert review.total == 303 and review.shown == 28 and review.bounded
    held = [group for group in review.groups if group.held_back]
    assert len(held) == 1 and held[0].held_back == 275 and 0 in held[0].ids
    text = render_list(review, 30, "nb", PLAIN)
    assert "Viser de 28 nyeste av 303 spørsmål, høyst 25 fra hver avsender." in text
    assert "+275 fra samme avsender" in text
    limited = group_for_review(flood + others, per_asker=1000, limit=50)
    assert limited.shown == 50 and limited.total == 303
    assert "+" not in render_list(limited, 30, "nb", PLAIN).split("nyeste", 1)[1]


def test_counts_are_singular_and_plural() -> None:
    one = ReviewList(group_questions([logged(1, "hvor er bassenget")]), total=1)
    assert "1 gruppe, 1 spørsmål." in render_list(one, 30, "nb", PLAIN)
    assert "1 group, 1 question." in render_list(one, 30, "en", PLAIN)
    two = ReviewList(group_questions([logged(1, "hvor er bassenget", user="a"),
                                      logged(2, "hvor er bassenget", user="b"),
                                      logged(3, "når går bussen")]), total=3)
    assert "2 grupper, 3 spørsmål." in render_list(two, 30, "nb", PLAIN)
    assert "2 groups, 3 questions." in render_list(two, 30, "en", PLAIN)
    assert "Viser" not in render_list(two, 30, "nb", PLAIN)


def test_the_database_selection_is_the_same_as_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "questions.sqlite3"
    fill_open(path, 600, flooder_share=0.5, askers=40, days=20, seed=5, now=NOW)
    connection = sqlite3.connect(path)
    with connection:  # other outcomes, feedback, choices and statuses among them
        connection.execute("UPDATE questions SET outcome = 'answered' WHERE id % 7 = 0")
        connection.execute("UPDATE questions SET feedback = -1 WHERE id % 14 = 0")
        connection.execute("UPDATE questions SET outcome = 'suggested', choice = 'none' "
                           "WHERE id % 11 = 0")
        connection.execute("UPDATE questions SET status = 'resolved' WHERE id % 13 = 0")
    connection.close()
    since, until = NOW - dt.timedelta(days=10), NOW + dt.timedelta(seconds=1)
    with reader(path) as connection:
        everything = list(read_questions(connection, since, until))
        for statuses in (("open",), STATUSES):
            for per_asker, limit in ((25, 2000), (3, 50), (1000, 10)):
                in_sql = read_review(connection, since, until, statuses, per_asker, limit)
                in_memory = group_for_review(everything, statuses, per_asker, limit)
                assert in_sql == in_memory
                assert in_sql.total == len(needing_review(everything, statuses))


async def test_a_flood_of_distinct_questions_is_listed_quickly(tmp_path: Path) -> None:
    path = tmp_path / "flood.sqlite3"
    fill_open(path, 20_000, flooder_share=0.9)
    question_log = QuestionLog(path, "secret", 180)
    await question_log.initialize()
    try:
        started = time.perf_counter()
        review = await review_groups(question_log, 30)
        took = time.perf_counter() - started
    finally:
        await question_log.shutdown()
    assert review.total == 20_000 and review.shown == MAX_GROUPED
    assert took < 5.0, f"{took:.1f} s for the review list"
