"""Soak benchmark: the real bot, as deployed, under a burst and then steady traffic for minutes.

    python -m bench.soak [--minutes 10] [--rate 20] [--users 200] [--burst 2000] [--quick]

Starts `python -m bot run` against the Bot API stand-in on 127.0.0.1 with the deployed
settings (rate limiter at 30 messages/s with retries after 429, flood guard at 20 messages in
10 s, one update at a time), with the shipped knowledge base and a fresh question log, and:

1. burst: `--burst` questions from `--users` users at once (10 each by default, under the
   flood guard): time to answer them all, throughput, latency p50/p99, peak memory;
2. steady: `--rate` questions a second for `--minutes`, each user asking in turn (a user asks
   every users/rate seconds): throughput, latency p50/p99/max, memory (RSS) at the start and
   the end of the phase and its peak, sampled every 10 s;
3. stop: SIGTERM, the time it took, and the question log checked: exactly one row per
   question asked, PRAGMA integrity_check ok.

Questions are the labelled set's (tests/labelled/questions.tsv), so matching does real work.
Latency is what the resident waits: from the message reaching the stand-in (Telegram) to the
arrival of the reply there. At the deployed 30 replies a second, the burst measures the rate
limiter as much as the bot; the bot's own ceiling is in `python -m bench.bot_load` (and in the
reliability test's figures).
`--quick` is a smoke run: a 200-question burst from 50 users and 30 s of steady traffic. This is a
benchmark, not a test: it prints figures and fails only if a question went unanswered, was
answered twice, or is missing from the log.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.telegram_load import percentile
from bot.config import PROJECT_ROOT
from bot.evaluate import load_labelled
from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import TOKEN, BotRun, integrity, query

QUESTIONS = PROJECT_ROOT / "tests" / "labelled" / "questions.tsv"
FIRST_USER = 3_000_000
SAMPLE_EVERY = 10.0


@dataclass
class Phase:
    """Figures of one phase (times in seconds, latencies in ms, memory in MB)."""

    name: str
    questions: int
    duration: float
    latencies: list[float]
    rss_start: float
    rss_end: float
    rss_peak: float

    def row(self) -> str:
        lat = self.latencies
        return (f"| {self.name} | {self.questions} | {self.duration:.1f} | "
                f"{self.questions / self.duration:.1f} | {percentile(lat, 50):.0f} | "
                f"{percentile(lat, 99):.0f} | {max(lat):.0f} | {self.rss_start:.0f} | "
                f"{self.rss_end:.0f} | {self.rss_peak:.0f} |")


def memory_mb(bot: BotRun) -> tuple[float, float]:
    rss, peak = bot.memory_kb()
    return rss / 1024, peak / 1024


def latencies(standin: BotApiStandIn, update_ids: set[int]) -> list[float]:
    """Per chat, updates (in order) paired with replies (in order): milliseconds from each
    update's arrival at the stand-in to its reply."""
    handed: dict[int, list[float]] = defaultdict(list)
    for timing in standin.update_timings():
        if timing.update_id in update_ids:
            handed[timing.chat_id].append(timing.pushed_at)
    replies: dict[int, list[float]] = defaultdict(list)
    for reply in standin.reply_timings():
        if reply.chat_id in handed:
            replies[reply.chat_id].append(reply.time)
    result = []
    for chat, times in handed.items():
        later = [t for t in replies[chat] if t >= times[0]]
        result.extend((r - h) * 1000 for h, r in zip(times, later, strict=False))
    return result


def burst(bot: BotRun, texts: itertools.cycle, count: int, users: range) -> Phase:
    standin = bot.standin
    rss_start, _ = memory_mb(bot)
    updates = [standin.message_update(next(texts), user_id=users[i % len(users)])
               for i in range(count)]
    started = time.monotonic()
    ids = standin.push_updates(updates)
    bot.wait_for("sendMessage", lambda c: c.delivered and c.params["chat_id"] in users,
                 count=count, timeout=count / 5 + 60)
    duration = time.monotonic() - started
    rss_end, peak = memory_mb(bot)
    return Phase("burst", count, duration, latencies(standin, set(ids)), rss_start, rss_end,
                 peak)


def steady(bot: BotRun, texts: itertools.cycle, minutes: float, rate: float,
           users: range) -> Phase:
    standin = bot.standin
    rss_start, _ = memory_mb(bot)
    samples = [rss_start]
    before = len([c for c in standin.delivered("sendMessage") if c.params["chat_id"] in users])
    ids: list[int] = []
    started = time.monotonic()
    end = started + minutes * 60
    next_at, next_sample = started, started + SAMPLE_EVERY
    number = 0
    while time.monotonic() < end:
        user = users[number % len(users)]
        ids.append(standin.push_update(standin.message_update(next(texts), user_id=user)))
        number += 1
        now = time.monotonic()
        if now >= next_sample:
            samples.append(memory_mb(bot)[0])
            next_sample += SAMPLE_EVERY
            print(f"  {now - started:5.0f} s: {number} asked, RSS {samples[-1]:.0f} MB",
                  file=sys.stderr, flush=True)
        next_at += 1 / rate
        time.sleep(max(0.0, next_at - time.monotonic()))
    bot.wait_for("sendMessage", lambda c: c.delivered and c.params["chat_id"] in users,
                 count=before + number, timeout=120)
    duration = time.monotonic() - started
    rss_end, peak = memory_mb(bot)
    return Phase("steady", number, duration, latencies(standin, set(ids)), rss_start, rss_end,
                 max(peak, *samples))


def check_answers_and_log(bot: BotRun, asked: Counter) -> list[str]:
    """Problems: a chat answered other than once per question, rows missing or doubled."""
    problems = []
    replies = Counter(c.params["chat_id"] for c in bot.standin.delivered("sendMessage"))
    wrong = [user for user, count in asked.items() if replies[user] != count]
    if wrong:
        problems.append(f"{len(wrong)} users got another number of replies than questions")
    rows = query(bot.database, "SELECT COUNT(*) FROM questions")[0][0]
    if rows != sum(asked.values()):
        problems.append(f"{rows} rows in the log for {sum(asked.values())} questions")
    if integrity(bot.database) != "ok":
        problems.append("PRAGMA integrity_check failed")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0, help="questions per second")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 200-question burst from 50 users, 30 s steady")
    args = parser.parse_args(argv)
    if args.quick:
        args.burst, args.minutes, args.users = 200, 0.5, 50
    texts = itertools.cycle([item.question for item in load_labelled(QUESTIONS)])
    users = range(FIRST_USER, FIRST_USER + args.users)

    with tempfile.TemporaryDirectory() as folder, \
            BotApiStandIn(expected_token=TOKEN, check_html=True) as standin:
        bot = BotRun(standin, Path(folder))
        started = time.monotonic()
        with bot:
            startup = time.monotonic() - started
            print(f"started in {startup:.1f} s; burst of {args.burst} ...", file=sys.stderr)
            first = burst(bot, texts, args.burst, users)
            print(f"steady {args.rate:g}/s for {args.minutes:g} min ...", file=sys.stderr)
            second = steady(bot, texts, args.minutes, args.rate, users)
            stopping = time.monotonic()
            exit_code = bot.stop()
            shutdown = time.monotonic() - stopping
        asked = Counter()
        for timing in standin.update_timings():
            asked[timing.chat_id] += 1
        problems = check_answers_and_log(bot, asked)
        errors = sum(1 for line in bot.output().splitlines() if " ERROR " in line)

    print(f"\n`python -m bot run` as deployed (30 replies/s), {args.users} users, "
          f"started in {startup:.1f} s, stopped (SIGTERM) in {shutdown:.1f} s, exit {exit_code}"
          f"; {errors} ERROR lines in its log.\n")
    print("| phase | questions | seconds | answered/s | p50 ms | p99 ms | max ms | RSS start MB "
          "| RSS end MB | RSS peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(first.row())
    print(second.row())
    growth = second.rss_end - second.rss_start
    print(f"\nMemory over the steady phase: {growth:+.1f} MB; peak of the whole run "
          f"{max(first.rss_peak, second.rss_peak):.0f} MB.")
    if problems:
        print("\nPROBLEMS: " + "; ".join(problems))
        return 1
    print(f"\nEvery one of the {sum(asked.values())} questions answered exactly once and "
          "logged exactly once; integrity_check ok.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
