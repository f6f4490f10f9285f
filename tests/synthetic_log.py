"""A question log with realistic synthetic data, for the editors' tests and the docs' example.

Questions come from the labelled set (tests/labelled/questions.tsv) and a few things residents ask
that the knowledge base does not cover, in several wordings so that groups form. Each is
answered by the real engine and recorded through `QuestionLog` (masked, hashed) like the bot
does, then dated back over the period with more questions on weekdays. Deterministic for a
given seed.

    python -m tests.synthetic_log FILE.sqlite3 [--days 30] [--seed 4]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bench.synthetic import generated_word, typo
from bot.config import PROJECT_ROOT, load_config
from bot.engine import Engine, Outcome
from bot.evaluate import load_labelled
from bot.localtime import utc_now
from bot.storage import MIGRATIONS, QuestionLog

SECRET = "synthetic-secret-for-hashing-user-ids-0"
LABELLED = PROJECT_ROOT / "tests" / "labelled" / "questions.tsv"
# What residents ask that the knowledge base does not answer, a few wordings each.
UNCOVERED = (
    ("Når åpner svømmehallen i Kongsberg?", "når åpner svømmehallen i kongsberg",
     "Når åpner svømmehallen i Kongsberg igjen?"),
    ("Hvordan søker jeg barnehageplass?", "hvordan søke barnehageplass",
     "Hvordan søker jeg om barnehageplass i Notodden?"),
    ("Når går bussen til Rjukan?", "når går bussen til rjukan", "buss til Rjukan i dag?"),
    ("Hvor søker jeg om byggetillatelse?", "hvor søker jeg byggetillatelse"),
    ("Har dere ledige stillinger?", "ledige stillinger i regionen?"),
)


def _questions(engine: Engine, rng: random.Random) -> list[str]:
    """A pool of questions, weighted like a real log: mostly answerable, some repeated gaps."""
    labelled = [item.question for item in load_labelled(LABELLED, None)]
    pool = rng.sample(labelled, min(len(labelled), 400))
    for wordings in UNCOVERED:
        pool += list(wordings) * 4
    return pool


async def fill(path: Path, engine: Engine, days: int = 30, seed: int = 4,
               now: dt.datetime | None = None) -> int:
    """Write a synthetic log of `days` days to `path`; how many questions it holds."""
    rng = random.Random(seed)
    now = now or utc_now()
    pool = _questions(engine, rng)
    question_log = QuestionLog(path, SECRET, retention_days=3650)
    await question_log.initialize()
    dated: list[tuple[int, str]] = []
    try:
        for offset in range(days):
            day = now - dt.timedelta(days=offset)
            weekday = day.weekday() < 5
            for _ in range(rng.randint(14, 32) if weekday else rng.randint(4, 12)):
                asked = day.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59))
                asked = min(asked, now)
                ref = _record(question_log, engine, rng.choice(pool), rng)
                dated.append((ref, asked.isoformat()))
        await question_log.flush()
    finally:
        await question_log.shutdown()
    date_back(path, dated)
    return len(dated)


def _record(question_log: QuestionLog, engine: Engine, text: str, rng: random.Random) -> int:
    """Answer `text` with the engine and log it, with a plausible choice and feedback."""
    result = engine.ask(text)
    user_id = rng.randint(10_000, 10_300)
    ref = question_log.record_question(
        text=text, language=result.language, outcome=result.outcome.value,
        entry_id=result.entry.id if result.entry else None, score=result.score,
        suggestions=[c.entry.id for c in result.suggestions], chat_type="private",
        user_id=user_id, source="telegram",
    )
    if result.outcome is Outcome.SUGGESTED:
        chosen = rng.random()
        if chosen < 0.6:
            question_log.record_choice(ref, result.suggestions[0].entry.id, by=user_id)
        elif chosen < 0.8:
            question_log.record_choice(ref, None, by=user_id)
    elif result.outcome is Outcome.ANSWERED and rng.random() < 0.3:
        question_log.record_feedback(ref, 1 if rng.random() < 0.85 else -1, by=user_id)
    return ref


def flood_text(rng: random.Random, questions: Sequence[str]) -> str:
    """A varied question: a labelled one with typos and made-up words mixed in, as a flood of
    distinct questions (or a busy month of real ones) looks."""
    words = rng.choice(questions).split()
    for _ in range(rng.choice((0, 1, 1, 2))):
        at = rng.randrange(len(words))
        words[at] = typo(words[at], rng)
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        words.insert(rng.randrange(len(words) + 1), generated_word(rng))
    return " ".join(words)


def fill_open(
    path: Path, count: int, *, flooder_share: float = 0.4, askers: int = 5000, days: int = 29,
    seed: int = 7, now: dt.datetime | None = None,
) -> str:
    """Write `count` open unanswered questions straight into a new log at `path`: a share
    `flooder_share` from one asker within the last day, the rest from `askers` others over
    `days` days. Returns the flooder's user hash."""
    rng = random.Random(seed)
    now = now or utc_now()
    questions = [item.question for item in load_labelled(LABELLED, None)]
    _create(path)
    flooder = f"flood{seed:011d}"
    rows = []
    for number in range(count):
        flooding = rng.random() < flooder_share
        back = dt.timedelta(seconds=rng.uniform(0, 86_400 if flooding else days * 86_400))
        asker = flooder if flooding else f"asker{rng.randrange(askers):010d}"
        rows.append((number + 1, (now - back).replace(microsecond=0).isoformat(),
                     flood_text(rng, questions), "nb", "unanswered", None, 0.0, "[]",
                     "private", asker, "telegram"))
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO questions (id, asked_at, text, language, outcome, entry_id, score, "
                "suggestions, chat_type, user_hash, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)", rows)
    finally:
        connection.close()
    return flooder


def _create(path: Path) -> None:
    """An empty log with the bot's schema (as QuestionLog migrates a new file)."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE schema_version (version INTEGER)")
        for version, script in enumerate(MIGRATIONS, start=1):
            connection.executescript(
                f"BEGIN; {script}; INSERT INTO schema_version VALUES ({version}); COMMIT;"
            )
    finally:
        connection.close()


def date_back(path: Path, dated: Sequence[tuple[int, str]]) -> None:
    """Give each question its synthetic time."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executemany("UPDATE questions SET asked_at = ? WHERE id = ?",
                                   [(asked, ref) for ref, asked in dated])
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic log to the given file."""
    parser = argparse.ArgumentParser(prog="python -m tests.synthetic_log",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the SQLite file to write (must not exist)")
    parser.add_argument("--days", type=int, default=30, help="days of questions (default 30)")
    parser.add_argument("--seed", type=int, default=4, help="random seed (default 4)")
    args = parser.parse_args(argv)
    if args.file.exists():
        parser.error(f"{args.file} exists; choose a new file")
    config = load_config(PROJECT_ROOT / "config.example.yaml", environ={})
    engine = Engine.from_directory(PROJECT_ROOT / "knowledge", config.matching)
    count = asyncio.run(fill(args.file, engine, args.days, args.seed))
    print(f"{count} questions over {args.days} days written to {args.file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
