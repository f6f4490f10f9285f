"""Hostile and strange input: any text, odd updates, markup and SQL in questions.

- The engine, property-based: any Unicode string (control characters, right-to-left marks,
  zero-width joiners, combining marks, emoji, words from the knowledge base in between, up to
  100 000 characters) with any language hint gets exactly one consistent outcome, and it
  renders. (That it takes less than 50 ms is measured in `python -m bench.hostile_input`, not
  asserted here: performance targets are met in benchmarks, not in timed tests.)
- The real process, property-based: any text message gets exactly one reply that Telegram
  would accept (the stand-in refuses HTML Telegram cannot parse).
- Updates with fields missing or unknown, update types the bot does not know: no reply where
  none is due, no error, and the next question is answered.
- HTML and Markdown in questions are escaped where editors see them; SQL is stored as text.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Engine, Outcome
from bot.render import result_plain
from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import TOKEN, BotRun, hashed, to_chat
from tests.reliability.hostile import HUGE, LONG, SPECIAL, WORDS

EDITOR = 9001
UNICODE = st.text(alphabet=st.characters(codec=None, exclude_categories=("Cs",)), max_size=400)
MIXED = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL), UNICODE),
                 max_size=40).map(" ".join)
HINTS = st.sampled_from([None, "nb", "nn", "en", "de", "", "x" * 40])


def check_outcome(engine: Engine, question: str, hint: str | None) -> None:
    result = engine.ask(question, language_hint=hint)
    assert result.outcome in Outcome
    if result.outcome is Outcome.ANSWERED:
        assert result.entry is not None
    elif result.outcome is Outcome.SUGGESTED:
        assert result.entry is None
        assert 1 <= len(result.suggestions) <= engine.matching.max_suggestions
    else:
        assert result.entry is None and result.suggestions == ()
    assert result_plain(result, engine.knowledge, logged=True).strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=st.one_of(UNICODE, MIXED), hint=HINTS)
def test_any_text_gets_exactly_one_outcome(engine: Engine, question: str, hint: str | None) -> None:
    check_outcome(engine, question, hint)


@pytest.mark.parametrize("kind", list(HUGE))
def test_100_000_characters_get_exactly_one_outcome(engine: Engine, kind: str) -> None:
    check_outcome(engine, HUGE[kind], None)


# --- the real process ---------------------------------------------------------------------------

USER_IDS = itertools.count(9_100_000)
ASKED: dict[int, int] = {}


@pytest.fixture(scope="module")
def api() -> Iterator[BotApiStandIn]:
    with BotApiStandIn(expected_token=TOKEN, check_html=True) as server:
        yield server


@pytest.fixture(scope="module")
def bot(api: BotApiStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotRun]:
    run = BotRun(api, tmp_path_factory.mktemp("hostile"), {"editors": {"user_ids": [EDITOR]}})
    with run:
        yield run


def one_reply(bot: BotRun, text: str, engine: Engine) -> str:
    """Ask from a new user; the first reply's text. A question asked in parts ("… KONGSBERG … ?
    …") gets one reply per part (`Result.also`): that many are expected for the user."""
    user = next(USER_IDS)
    ASKED[user] = 1 + len(engine.ask(text).also)
    return bot.ask(text, user).params["text"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(UNICODE, MIXED).filter(lambda text: text.strip()))
def test_any_message_gets_exactly_one_reply_telegram_accepts(
    bot: BotRun, engine: Engine, text: str
) -> None:
    assert one_reply(bot, text, engine)


def test_a_100_000_character_message_gets_one_reply(bot: BotRun, engine: Engine) -> None:
    assert len(HUGE["zero-width joiners"]) > LONG
    assert one_reply(bot, HUGE["zero-width joiners"], engine)


def odd_updates(api: BotApiStandIn) -> list[dict]:
    """Updates with optional fields missing, fields and update types the bot does not know."""
    base = api.message_update("tlf notodden", user_id=9_200_001)["message"]
    no_sender = {k: v for k, v in base.items() if k != "from"}
    return [
        {"message": no_sender},
        {"message": {**base, "future_field": {"nested": [1, 2, 3]}, "via_bot": None}},
        {"message": {k: v for k, v in base.items() if k not in ("text", "entities")}},
        {"message": {**base, "text": "/kontakt", "entities": [
            {"type": "bot_command", "offset": 0, "length": 500}]}},
        {"message": {**base, "entities": [{"type": "mention", "offset": 90, "length": 7}],
                     "chat": {**base["chat"], "type": "group", "id": -9_200_001}}},
        {"message": {**base, "chat": {"id": 9_200_001, "type": "future_chat_type"}}},
        {"edited_message": {**base, "edit_date": base["date"]}},
        {"channel_post": {k: v for k, v in base.items() if k != "from"}
                         | {"chat": {"id": -1009_200_001, "type": "channel", "title": "K"}}},
        {"callback_query": {"id": "9200001", "from": base["from"], "chat_instance": "x",
                            "data": "1:e:nb:council.members"}},
        {"callback_query": {"id": "9200002", "from": base["from"], "chat_instance": "x",
                            "game_short_name": "spill"}},
        {"callback_query": {"id": "9200003", "from": base["from"], "chat_instance": "x",
                            "data": "\u202e" * 20 + "'; DROP TABLE questions;--"}},
        {"inline_query": {"id": "9200004", "from": base["from"], "query": "", "offset": ""}},
        {"inline_query": {"id": "9200005", "from": base["from"], "query": "\u200d" * 256,
                          "offset": "99999"}},
        {"future_update_type": {"id": 1, "anything": True}},
        {"message_reaction": {"chat": base["chat"], "message_id": 1, "date": base["date"],
                              "old_reaction": [], "new_reaction": [{"type": "emoji",
                                                                    "emoji": "👍"}]}},
    ]


def broken_updates(api: BotApiStandIn) -> list[dict]:
    """Updates without fields Telegram always sends, which the library needs."""
    base = api.message_update("tlf notodden", user_id=9_200_003)["message"]
    return [
        {"message": {k: v for k, v in base.items() if k != "chat"}},
        {"poll": {"id": "9200006", "question": "?", "options": [], "total_voter_count": 0}},
        {"callback_query": {"id": "9200007", "data": "1:e:nb:council.members"}},
    ]


def test_odd_updates_cause_no_error_and_the_bot_goes_on(api: BotApiStandIn, bot: BotRun) -> None:
    before = len(bot.output())
    api.push_updates(odd_updates(api))
    assert "35 01 50 00" in bot.ask("tlf notodden", 9_200_002).params["text"]
    time.sleep(0.5)
    output = bot.output()[before:]
    assert " ERROR " not in output and " CRITICAL " not in output, output
    for call in api.calls():
        assert call.status in (200, None) or call.method == "getUpdates", call.summary()


def test_broken_updates_are_logged_and_skipped_and_the_bot_goes_on(
    api: BotApiStandIn, bot: BotRun
) -> None:
    before = len(bot.output())
    ids = api.push_updates(broken_updates(api))
    assert "35 01 50 00" in bot.ask("tlf notodden", 9_200_004).params["text"]
    bot.wait_for("getUpdates", lambda c: int(c.params.get("offset") or 0) > ids[-1])
    assert len([c for c in api.calls("getUpdates") if c.result and c.result[0]["update_id"]
                == ids[0]]) == 1  # handed out once, confirmed, not fetched again and again
    time.sleep(0.5)
    assert not [c for c in api.calls() if to_chat(9_200_003)(c)]
    output = bot.output()[before:]
    assert f"Update {ids[1]} cannot be read" in output
    assert " CRITICAL " not in output


def test_markup_in_questions_is_escaped_where_editors_see_it(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    hostile = [  # questions the bot cannot answer, so that they reach the editors' list
        "<script>alert('x')</script> qwzx vbnm",
        "<b>xqzv</b> & <i>wqpl</i> <a href='javascript:x'>zzkv</a>",
        "*xqzv* _wqpl_ [zzkv](http://qq.qq) `kkqz` ~~x~~",
        "&lt;xqzv&gt; &amp; qwzx ijnb",
    ]
    with BotRun(standin, tmp_path, {"editors": {"user_ids": [EDITOR]}}) as bot:
        for number, text in enumerate(hostile):
            bot.ask(text, 9_300_000 + number)  # the strict stand-in accepted the reply
        bot.ask("/ubesvart", EDITOR)
        assert bot.stop() == 0
    assert not [c for c in standin.calls("sendMessage") if not c.delivered], "Telegram refused"
    shown = "\n".join(c.params["text"] for c in bot.replies(EDITOR))
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "&lt;b&gt;xqzv&lt;/b&gt;" in shown and "<b>xqzv" not in shown
    assert "*xqzv* _wqpl_ [zzkv](http://qq.qq) `kkqz`" in shown  # shown as typed
    assert "&amp;lt;xqzv&amp;gt;" in shown


def test_sql_in_a_question_is_stored_as_text(api: BotApiStandIn, bot: BotRun) -> None:
    texts = ["'); DROP TABLE questions; --", "1' OR '1'='1", "Robert'); DELETE FROM questions;--",
             "\"; UPDATE questions SET status='resolved' WHERE 1=1; --"]
    users = []
    for text in texts:
        users.append(next(USER_IDS))
        ASKED[users[-1]] = 1
        bot.ask(text, users[-1])
    deadline = time.monotonic() + 10
    while True:
        rows = bot.rows("SELECT text, user_hash, status FROM questions WHERE user_hash IN "
                        f"({','.join('?' * len(users))})", [hashed(u) for u in users])
        if len(rows) == len(texts) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert sorted(row[0] for row in rows) == sorted(texts)
    assert {row[2] for row in rows} == {"open"}
    assert bot.rows("SELECT COUNT(*) FROM questions")[0][0] >= len(ASKED)


def test_each_message_got_exactly_one_reply(api: BotApiStandIn, bot: BotRun) -> None:
    time.sleep(0.5)
    for user, expected in ASKED.items():  # one reply, or one per part of a question in parts
        assert len([c for c in api.delivered("sendMessage") if to_chat(user)(c)]) == expected
    assert not [c for c in api.calls("sendMessage") if not c.delivered], "Telegram refused"
    assert bot.stop() == 0
    bot.assert_no_secrets()
