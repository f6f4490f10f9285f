"""Load: 2 000 questions from 200 users at once, against the real bot process.

Every user gets exactly one reply to each message, in the order asked; the question log holds
exactly one row per question, in that order per user; memory stays flat. Ten questions per
user in one burst stay under the flood guard's default (20 in 10 s), so the deployed flood
settings apply. The rate limiter is on, at 1 000 messages/s instead of the deployed 30/s:
2 000 replies at 30/s would take 67 s of the suite's time and measure only the limiter (the
soak benchmark, `python -m bench.soak`, runs the deployed 30/s).
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import BotRun, figure, hashed

USERS = range(300_000, 300_200)
PER_USER = 10
WARM_UP_USER = 299_999
# Questions with (normally) distinct answers; the first PER_USER whose replies differ are used,
# so that tuning the matcher does not break the test.
CANDIDATES = (
    "tlf notodden", "tlf tinn", "tlf kongsberg", "tlf flesberg", "tlf hjartdal", "tlf rollag",
    "tlf nore og uvdal", "når ble regionrådet stiftet", "hvem er medlemmer i regionrådet",
    "hva er satsingsområdene", "hei", "takk for hjelpen", "hva kan du", "hvem er du",
    "brann", "legevakt", "qwerty zxcvb asdfg", "Which municipalities are members?",
    "nettside tinn", "hvor bor det folk i notodden",
)
MAX_GROWTH_MB = 100  # generous: the process starts at about 60 MB


def distinct_questions(bot: BotRun) -> dict[str, str]:
    """Ask every candidate once; PER_USER questions with one reply each, all different."""
    chosen: dict[str, str] = {}
    for question in CANDIDATES:
        before = len(bot.replies(WARM_UP_USER))
        reply = bot.ask(question, WARM_UP_USER)
        time.sleep(0.05)
        one_reply = len(bot.replies(WARM_UP_USER)) == before + 1
        if one_reply and reply.params["text"] not in chosen.values():
            chosen[question] = reply.params["text"]
        if len(chosen) == PER_USER:
            return chosen
    raise AssertionError(f"only {len(chosen)} candidate questions have distinct answers")


def test_2000_questions_from_200_users_at_once(standin: BotApiStandIn, tmp_path: Path) -> None:
    bot = BotRun(standin, tmp_path, {"telegram": {"overall_max_rate": 1000}})
    with bot:
        answers = distinct_questions(bot)
        questions = list(answers)
        rss_start, _ = bot.memory_kb()
        # User u asks the questions in a rotated order, so a reordering would show.
        asked = {u: [questions[(u + i) % PER_USER] for i in range(PER_USER)] for u in USERS}
        updates = [standin.message_update(asked[u][i], user_id=u)
                   for i in range(PER_USER) for u in USERS]
        pushed = time.monotonic()
        standin.push_updates(updates)
        bot.wait_for("sendMessage", lambda c: c.delivered and c.params["chat_id"] in USERS,
                     count=len(updates), timeout=120)
        duration = time.monotonic() - pushed
        time.sleep(1.0)  # a duplicate would arrive now
        rss_end, rss_peak = bot.memory_kb()
        assert bot.stop() == 0
    bot.assert_no_secrets()

    replies: dict[int, list[str]] = defaultdict(list)
    for call in standin.delivered("sendMessage"):
        if call.params["chat_id"] in USERS:
            replies[call.params["chat_id"]].append(call.params["text"])
    for user in USERS:
        assert replies[user] == [answers[q] for q in asked[user]], f"user {user}"

    logged: dict[str, list[str]] = defaultdict(list)
    for _, text, user_hash in bot.rows():
        logged[user_hash].append(text)
    for user in USERS:
        assert logged[hashed(user)] == asked[user], f"user {user}"
    assert set(logged) == {hashed(user) for user in USERS} | {hashed(WARM_UP_USER)}

    assert (rss_peak - rss_start) / 1024 < MAX_GROWTH_MB
    figure("load: 2000 questions / 200 users",
           f"{len(updates) / duration:.0f} msg/s, all answered once and in order, "
           f"{len(updates)} rows logged")
    figure("load: memory (RSS)", f"{rss_start / 1024:.0f} MB before, {rss_end / 1024:.0f} MB "
           f"after, peak {rss_peak / 1024:.0f} MB")
