"""Tests for bot/ahead.py: answers made in the worker process are the answers the bot's own
engine gives, for every labelled question, with conversation topics, across a reload."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
from collections.abc import AsyncIterator
from types import SimpleNamespace

import pytest

from bot import ahead as ahead_module
from bot.ahead import AnsweringAhead, AnsweringEngine, dumps_result, loads_result
from bot.config import PROJECT_ROOT, Config
from bot.engine import Engine, Outcome
from bot.facts import Topic
from bot.learned import add_question

LABELLED = PROJECT_ROOT / "tests" / "labelled"
CHATS = 50  # questions dealt to chats in turn, as bench.bot_load does
UNKNOWN = "hvor kan jeg kjøpe blåbærsyltetøy i kongsberg"


def labelled_questions() -> list[str]:
    """Every message of the labelled sets (questions, safety, answers)."""
    texts = []
    for path in sorted(LABELLED.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                texts.append(row.get("question") or row.get("message") or "")
    return [text for text in texts if text]


async def settled(ahead: AnsweringAhead, timeout: float = 60.0) -> None:
    """Until every chunk handed over is back."""
    async with asyncio.timeout(timeout):
        while ahead.outstanding:
            await asyncio.sleep(0.02)


@pytest.fixture
async def started(engine: Engine) -> AsyncIterator[AnsweringAhead]:
    ahead = AnsweringAhead(engine)
    ahead.launch()
    ahead.start(asyncio.get_running_loop())
    yield ahead
    ahead.shutdown()


async def test_every_labelled_question_is_answered_as_the_engine_answers_it(
    engine: Engine, started: AnsweringAhead
) -> None:
    texts = labelled_questions()
    hints = ("nb", "en", None)
    questions = [(index % CHATS, text, hints[index % 3]) for index, text in enumerate(texts)]
    started.submit(questions, {})
    await settled(started)
    topics: dict[int, Topic | None] = {}  # as the handler keeps them
    for chat_id, text, hint in questions:
        topic = topics.get(chat_id)
        own = engine.ask(text, language_hint=hint, topic=topic)
        ahead = started.take(text, hint, topic)
        assert ahead == own, text
        if own.fact is not None and own.fact.topic is not None:
            topics[chat_id] = own.fact.topic
    assert started.used == len(questions)  # every one answered ahead, none here
    assert sum(1 for _ in filter(None, topics.values())) > 10  # follow-ups were exercised


async def test_an_answer_holds_the_bots_own_entries_and_is_taken_once(
    engine: Engine, started: AnsweringAhead
) -> None:
    started.submit([(1, "tlf tinn", "nb"), (2, "det brenner i huset!", "nb"),
                    (3, "tlf tinn", "nb")], {})
    await settled(started)
    first = started.take("tlf tinn", "nb", None)
    assert first is not None and started.take("tlf tinn", "nb", None) is not None
    assert started.take("tlf tinn", "nb", None) is None  # two asked, two taken
    fire = started.take("det brenner i huset!", "nb", None)
    assert fire is not None and fire.outcome is Outcome.EMERGENCY
    own = engine.ask("det brenner i huset!", language_hint="nb")
    assert fire.safety is not None and own.safety is not None
    assert fire.safety.main is own.safety.main  # the bot's own category, not a copy
    answered = engine.ask("hva er regionrådet", language_hint="nb")
    assert answered.entry is not None
    again = loads_result(dumps_result(answered, engine.knowledge), engine.knowledge)
    assert again == answered and again.entry is answered.entry


async def test_a_different_topic_hint_or_batch_is_answered_here(
    engine: Engine, started: AnsweringAhead
) -> None:
    topic = engine.ask("tlf tinn", language_hint="nb").fact.topic  # type: ignore[union-attr]
    started.submit([(1, "og notodden da?", "nb")], {1: topic})
    await settled(started)
    assert started.take("og notodden da?", "nb", None) is None  # asked without the topic
    assert started.take("og notodden da?", "en", topic) is None  # another hint
    started.submit([(1, "hei", "nb")], {})  # the next batch: the last one's are forgotten
    await settled(started)
    assert started.take("og notodden da?", "nb", topic) is None
    proxy = AnsweringEngine(engine, started)
    assert proxy.ask("og notodden da?", "nb", topic) == engine.ask(
        "og notodden da?", language_hint="nb", topic=topic)
    assert proxy.knowledge is engine.knowledge


async def test_after_a_reload_the_worker_answers_from_the_new_knowledge(
    editor_config: Config, editor_engine: Engine
) -> None:
    ahead = AnsweringAhead(editor_engine)
    ahead.launch()
    ahead.start(asyncio.get_running_loop())
    try:
        ahead.submit([(1, UNKNOWN, "nb")], {})
        await settled(ahead)
        before = ahead.take(UNKNOWN, "nb", None)
        assert before is not None and before.outcome is not Outcome.ANSWERED
        ahead.submit([(1, UNKNOWN, "nb")], {})
        await settled(ahead)
        assert add_question(editor_engine, "contact.kongsberg", UNKNOWN).added
        assert ahead.take(UNKNOWN, "nb", None) is None  # made on the old knowledge
        ahead.submit([(1, UNKNOWN, "nb")], {})
        await settled(ahead)
        after = ahead.take(UNKNOWN, "nb", None)
        assert after == editor_engine.ask(UNKNOWN, language_hint="nb")
        assert after is not None and after.entry is not None
        assert after.entry.id == "contact.kongsberg"
        sample = [(index, text, "nb") for index, text in enumerate(labelled_questions()[::7])]
        ahead.submit(sample, {})  # the rebuilt engine answers as the bot's rebuilt one
        await settled(ahead)
        for _chat, text, hint in sample:
            assert ahead.take(text, hint, None) == editor_engine.ask(text, language_hint=hint)
    finally:
        ahead.shutdown()


async def test_a_worker_that_dies_leaves_answering_to_the_bot(
    engine: Engine, started: AnsweringAhead, caplog: pytest.LogCaptureFixture
) -> None:
    started.submit([(1, "tlf tinn", "nb")], {})
    await settled(started)
    process = started._process
    assert process is not None and process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    async with asyncio.timeout(10):
        while started.running:
            started.submit([(1, "tlf tinn", "nb")], {})
            await settled(started)
    assert "answering every question in the bot's own process" in caplog.text
    proxy = AnsweringEngine(engine, started)
    assert proxy.ask("tlf tinn", "nb") == engine.ask("tlf tinn", language_hint="nb")


def test_the_worker_skips_what_the_bot_has_answered_unless_its_chat_asks_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress = SimpleNamespace(batch=7, asked=2)  # the bot has asked the first two itself
    monkeypatch.setattr(ahead_module, "_worker", {
        "engine": engine, "generation": 0, "batch": None, "topics": {}, "progress": progress})
    questions = [(1, "tlf tinn", "nb"), (2, "hei", "nb"), (1, "og notodden da?", "nb"),
                 (3, "tlf flesberg", "nb"), (3, "og tinn da?", "nb")]
    followed = [True, False, False, True, False]
    _generation, _batch, data = ahead_module.answer_chunk(0, None, 7, {}, questions, 0,
                                                          followed)
    answered = dict(loads_result(data, engine.knowledge))
    tinn = engine.ask("tlf tinn", language_hint="nb").fact.topic  # type: ignore[union-attr]
    flesberg = engine.ask("tlf flesberg", language_hint="nb").fact.topic  # type: ignore[union-attr]
    assert set(answered) == {("og notodden da?", "nb", tinn), ("tlf flesberg", "nb", None),
                             ("og tinn da?", "nb", flesberg)}  # not the two already asked
    assert answered[("og notodden da?", "nb", tinn)] == engine.ask(
        "og notodden da?", language_hint="nb", topic=tinn)  # asked after 'tlf tinn' all the same
    progress.batch = 8  # the bot has gone on to the next batch: nothing of this one
    _generation, _batch, data = ahead_module.answer_chunk(0, None, 7, {}, questions, 0,
                                                          followed)
    assert loads_result(data, engine.knowledge) == []


async def test_the_worker_ends_quietly_when_the_bot_stops_mid_batch(
    engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    ahead = AnsweringAhead(engine)
    ahead.launch()
    ahead.start(asyncio.get_running_loop())
    process = ahead._process
    ahead.submit([(index, text, "nb") for index, text in enumerate(labelled_questions()[:400])],
                 {})
    await asyncio.sleep(0.05)  # the worker is busy with the batch
    ahead.shutdown()
    assert process is not None and process.exitcode == 0
    assert "Traceback" not in capfd.readouterr().err
