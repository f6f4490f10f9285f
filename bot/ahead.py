"""Answering ahead in a second process, so that the event loop's core only sends replies.

Answering a question is about a third of the bot's CPU per message, and the machine has two
cores. When polling fetches a batch of updates, its questions (private text messages) are
handed to a worker process in chunks of CHUNK, in order; the worker holds its own `Engine` on
the same knowledge (sent to it pickled, so it is the very knowledge the bot serves, and sent
again after a reload) and answers each question as the handler would, carrying each chat's
conversation topic from one question to the next as the handler does (`bot.followup` facts:
"og Tinn da?"). Its results come back keyed by everything the answer depends on: the text,
the language hint, the topic and the knowledge.

`AnsweringEngine.ask` is `Engine.ask` for the handlers: it takes a result computed ahead whose
key matches its arguments exactly and whose knowledge is the one in use, and otherwise answers
at once in this process, as before. It never waits for the worker: a question whose answer is
not back yet (the first ones of a batch, a worker that is slow, starting or gone) is answered
here, so no reply, a safety reply least of all, is held up by the worker, and the safety layer
stays the first thing each question meets, in whichever process answers it. Answers do not
change: the same code on the same knowledge with the same inputs (tests/test_ahead.py
compares every labelled message). Each result is used once and forgotten with its batch;
nothing is cached across questions.

The worker is forked from the bot, before the bot starts any thread (forking a process with
threads can deadlock the child): it starts with the bot's engine in hand, and it hashes
strings as the bot does. That matters: the matcher sums scores over sets, whose order follows
the process's hash seed, so a process started afresh scores in the last bits differently, and
a near tie could go the other way.

The worker runs only on CPU time the bot and whatever shares the machine leave over (see
`_yield_the_cpu`); when it falls behind, it skips the questions the bot has asked already
(shared memory says how far the bot is), and catches up.

Results are pickled with the knowledge's entries and safety categories by id, and read back
against this process's knowledge, so that a result holds the same objects as one answered here.
A worker that dies is not restarted: one WARNING, and every question is answered here again.
The shutdown log line says how many questions were answered ahead.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import multiprocessing
import multiprocessing.process
import os
import pickle
import queue
import signal
import threading
from collections import deque
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any, Protocol

from bot.engine import Engine, Result
from bot.facts import Topic
from bot.knowledge import Entry, KnowledgeBase
from bot.safety import Category

log = logging.getLogger(__name__)

CHUNK = 8  # questions per hand-over: the first answers come back soon, IPC stays cheap
WORKER_NICENESS = 19  # where SCHED_IDLE is not available
Key = tuple[str, str | None, Topic | None]
Question = tuple[int, str, str | None]  # chat id, text, language hint


# --- pickling results against a knowledge base -----------------------------------------------


class _ResultPickler(pickle.Pickler):
    """Pickles a result with the knowledge's own entries and categories as references."""

    def __init__(self, file: io.BytesIO, knowledge: KnowledgeBase) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._knowledge = knowledge

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        if type(obj) is Entry and self._knowledge.entries.get(obj.id) is obj:
            return ("entry", obj.id)
        if type(obj) is Category and _categories(self._knowledge).get(obj.id) is obj:
            return ("category", obj.id)
        return None


class _ResultUnpickler(pickle.Unpickler):
    """Reads a result back, its references resolved against `knowledge`."""

    def __init__(self, file: io.BytesIO, knowledge: KnowledgeBase) -> None:
        super().__init__(file)
        self._knowledge = knowledge

    def persistent_load(self, pid: Any) -> Any:
        kind, identifier = pid
        if kind == "entry":
            return self._knowledge.entries[identifier]
        if kind == "category":
            return _categories(self._knowledge)[identifier]
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


_CATEGORIES: dict[int, tuple[KnowledgeBase, dict[str, Category]]] = {}


def _categories(knowledge: KnowledgeBase) -> dict[str, Category]:
    """The knowledge's safety categories by id (made once per knowledge base)."""
    cached = _CATEGORIES.get(id(knowledge))
    if cached is None or cached[0] is not knowledge:
        safety = knowledge.safety
        by_id = {category.id: category for category in (safety.categories if safety else ())}
        _CATEGORIES.clear()  # one knowledge base in use at a time
        cached = _CATEGORIES[id(knowledge)] = (knowledge, by_id)
    return cached[1]


def dumps_result(result: Any, knowledge: KnowledgeBase) -> bytes:
    """`result` (a result, or several) pickled, the entries and categories in it as
    references into `knowledge`."""
    buffer = io.BytesIO()
    _ResultPickler(buffer, knowledge).dump(result)
    return buffer.getvalue()


def loads_result(data: bytes, knowledge: KnowledgeBase) -> Any:
    """What `dumps_result` pickled, read against `knowledge`."""
    return _ResultUnpickler(io.BytesIO(data), knowledge).load()


# --- the worker process ------------------------------------------------------------------------

_worker: dict[str, Any] = {}


class Progress(Protocol):
    """Shared with the worker: the batch the bot handles now, and how many of its questions
    the bot has asked so far (multiprocessing shared memory)."""

    batch: Any
    asked: Any


def _serve(connection: Connection, bots_end: Connection, engine: Engine,
           progress: Progress) -> None:
    """The worker (forked: `engine` is the bot's): answer each chunk that comes, until the
    bot's end of the pipe closes (the bot stopped, or was killed). Ctrl-C and SIGTERM are the
    bot's to handle; the bot's own process gets the CPU first."""
    bots_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _yield_the_cpu()
    _worker.update(engine=engine, generation=0, batch=None, topics={}, progress=progress)
    requests: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    threading.Thread(target=_read_requests, args=(connection, requests), daemon=True).start()
    while (request := requests.get()) is not None:
        arguments = pickle.loads(request)
        try:
            reply = answer_chunk(*arguments)
        except Exception:  # the bot answers these itself (and meets the error there)
            reply = (arguments[0], arguments[2], dumps_result([], _worker["engine"].knowledge))
        try:
            connection.send_bytes(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # the bot has stopped
            break
    os._exit(0)


def _read_requests(connection: Connection, requests: queue.SimpleQueue[bytes | None]) -> None:
    """In the worker, a thread: every chunk is read as soon as it comes, so that the bot never
    waits to hand a batch over, and the pipe never fills up both ways; None at the end."""
    try:
        while True:
            requests.put(connection.recv_bytes())
    except (EOFError, OSError):
        requests.put(None)


def _yield_the_cpu() -> None:
    """Run only on CPU time nothing else wants (Linux's SCHED_IDLE; elsewhere nice 19). At a
    normal or merely low priority the worker makes its core look busy, and the scheduler puts
    what wakes up (the question log's thread, a Bot API server on the same machine) on the
    bot's core instead: sends waited 0.22 -> 0.62 ms a message at normal priority, and at
    nice 19 the bot was 7-9 % slower than without a worker whenever the worker fell behind.
    Under SCHED_IDLE a worker that gets no CPU costs nothing: the bot answers the questions
    itself, and the worker skips them once it runs again."""
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


def answer_chunk(
    generation: int, knowledge: bytes | None, batch: int, topics: dict[int, Topic | None] | None,
    questions: Sequence[Question], first: int = 0, followed: Sequence[bool] = (),
) -> tuple[int, int, bytes]:
    """In the worker: answer `questions` in order, as the handler would (see the module doc);
    the answers, keyed, pickled against the worker's knowledge.

    `knowledge` comes with the first chunk after a reload; `topics`, each chat's topic when
    its batch was fetched, with a batch's first chunk (later chunks go on from the topics the
    earlier ones left). `first` is the first question's place in its batch: a question the bot
    has asked already (it answered it itself), or one of a batch the bot is done with, is
    skipped, so that a worker behind the bot catches up instead of working for nothing;
    unless `followed` says its chat asks again later in the batch: then it is answered all
    the same (not sent back), for the topic the chat's next question is asked with."""
    if generation != _worker["generation"]:
        if knowledge is None:  # a chunk of a generation this worker never got: skip it
            return generation, batch, dumps_result([], _worker["engine"].knowledge)
        _worker["engine"] = Engine(pickle.loads(knowledge), _worker["engine"].matching)
        _worker["generation"] = generation
    if batch != _worker["batch"]:
        _worker["batch"], _worker["topics"] = batch, dict(topics or {})
    engine: Engine = _worker["engine"]
    chat_topics: dict[int, Topic | None] = _worker["topics"]
    progress: Progress | None = _worker.get("progress")
    answered: list[tuple[Key, Result]] = []
    for offset, (chat_id, text, hint) in enumerate(questions):
        if progress is not None and progress.batch != batch:
            break  # the bot is done with this batch
        passed = progress is not None and first + offset < progress.asked
        if passed and not (offset < len(followed) and followed[offset]):
            continue
        topic = chat_topics.get(chat_id)
        result = engine.ask(text, language_hint=hint, topic=topic)
        if result.fact is not None and result.fact.topic is not None:
            chat_topics[chat_id] = result.fact.topic
        if not passed:
            answered.append(((text, hint, topic), result))
    return generation, batch, dumps_result(answered, engine.knowledge)


# --- the bot's side ---------------------------------------------------------------------------


class AnsweringAhead:
    """Hands questions to the worker and keeps its answers until the handlers take them.

    One pipe, read by the event loop (no threads in the bot's process). A batch is handed over
    whole, at once: the worker reads all of it as it comes and skips what the bot has passed,
    so it catches up with the bot instead of trailing it chunk by chunk."""

    def __init__(self, engine: Engine, *, chunk: int = CHUNK) -> None:
        self._engine = engine
        self._chunk = chunk
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._broken = False
        self._knowledge: KnowledgeBase | None = None  # the one the worker has
        self._generation = 0
        self._batch = 0
        self._waiting: deque[bytes] = deque()  # chunks not yet in the pipe
        self._in_pipe = 0
        self._ready: dict[Key, deque[Result]] = {}
        self._progress: Progress | None = None
        self.used = 0  # answers taken from the worker (for tests and benchmarks)
        self.asked = 0  # questions the handlers asked

    def launch(self) -> None:
        """Fork the worker now: call it before any thread is started (see the module doc)."""
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe(duplex=True)
        self._knowledge = self._engine.knowledge
        self._progress = _SharedProgress(context.RawValue("q", 0), context.RawValue("q", 0))
        self._process = context.Process(
            target=_serve, args=(theirs, ours, self._engine, self._progress),
            name="answering", daemon=True)
        self._process.start()
        theirs.close()
        self._connection = ours

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand questions over and take answers from now on, on `loop`."""
        if self._connection is None:
            return
        self._loop = loop
        loop.add_reader(self._connection.fileno(), self._receive)

    def shutdown(self) -> None:
        """Stop the worker; what it had not answered is dropped."""
        if self._connection is not None:
            log.info("Answered ahead in the second process: %d of %d question(s)", self.used,
                     self.asked)
            if self._loop is not None:
                self._loop.remove_reader(self._connection.fileno())
            self._connection.close()  # the worker reads the end of the pipe and exits
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=1)
            if self._process.is_alive():
                self._process.terminate()
            self._process = None
        self._ready.clear()
        self._waiting.clear()

    @property
    def running(self) -> bool:
        """Whether questions are handed to the worker."""
        return self._connection is not None and self._loop is not None and not self._broken

    @property
    def outstanding(self) -> int:
        """Chunks handed over and not answered yet."""
        return len(self._waiting) + self._in_pipe

    def submit(self, questions: Sequence[Question], topics: dict[int, Topic | None]) -> None:
        """Hand a fetched batch's questions to the worker, in order; `topics` holds each
        chat's conversation topic now. What an earlier batch left untaken is forgotten."""
        self._batch += 1
        self._ready.clear()
        self._waiting.clear()
        if self._progress is not None:
            self._progress.asked = 0
            self._progress.batch = self._batch
        if not questions or not self.running:
            return
        knowledge = None
        if self._engine.knowledge is not self._knowledge:  # reloaded: the worker follows
            self._knowledge = self._engine.knowledge
            self._generation += 1
            knowledge = pickle.dumps(self._knowledge)
        last = {chat_id: place for place, (chat_id, _text, _hint) in enumerate(questions)}
        followed = [last[chat_id] != place for place, (chat_id, _t, _h) in enumerate(questions)]
        for start in range(0, len(questions), self._chunk):
            first = start == 0
            end = start + self._chunk
            self._waiting.append(pickle.dumps(
                (self._generation, knowledge if first else None, self._batch,
                 topics if first else None, list(questions[start:end]), start,
                 followed[start:end]), protocol=pickle.HIGHEST_PROTOCOL))
        self._send_more()

    def take(self, text: str, hint: str | None, topic: Topic | None) -> Result | None:
        """The answer computed ahead for exactly these arguments on the knowledge in use,
        once; None if there is none (yet)."""
        self.asked += 1
        if self._progress is not None:
            self._progress.asked += 1
        waiting = self._ready.get((text, hint, topic))
        if not waiting or self._engine.knowledge is not self._knowledge:
            return None
        self.used += 1
        return waiting.popleft()

    def _send_more(self) -> None:
        while self._waiting and self._connection is not None:
            try:
                self._connection.send_bytes(self._waiting.popleft())
            except OSError as error:
                self._worker_lost(error)
                return
            self._in_pipe += 1

    def _receive(self) -> None:
        """On the event loop, when the worker's answers to a chunk are in the pipe."""
        if self._connection is None:
            return
        try:
            generation, batch, data = pickle.loads(self._connection.recv_bytes())
        except (EOFError, OSError) as error:
            self._worker_lost(error)
            return
        self._in_pipe -= 1
        if generation == self._generation and batch == self._batch and self._knowledge:
            for key, result in loads_result(data, self._knowledge):
                self._ready.setdefault(key, deque()).append(result)
        self._send_more()

    def _worker_lost(self, error: BaseException) -> None:
        if self._loop is not None and self._connection is not None:
            self._loop.remove_reader(self._connection.fileno())
        self._waiting.clear()
        self._in_pipe = 0
        if not self._broken:
            self._broken = True
            log.warning("The answering process stopped (%s: %s); answering every question in "
                        "the bot's own process from now on", type(error).__name__ or "EOF",
                        error or "pipe closed")


class _SharedProgress:
    """`Progress` over two shared integers."""

    def __init__(self, batch: Any, asked: Any) -> None:
        self._batch = batch
        self._asked = asked

    @property
    def batch(self) -> int:
        return self._batch.value

    @batch.setter
    def batch(self, value: int) -> None:
        self._batch.value = value

    @property
    def asked(self) -> int:
        return self._asked.value

    @asked.setter
    def asked(self, value: int) -> None:
        self._asked.value = value


class AnsweringEngine:
    """The engine for the handlers: `ask` takes an answer computed ahead when there is one
    for exactly its arguments (see the module docstring); everything else is the engine's."""

    def __init__(self, engine: Engine, ahead: AnsweringAhead) -> None:
        self.engine = engine
        self.ahead = ahead

    def ask(self, question: str, language_hint: str | None = None,
            topic: Topic | None = None) -> Result:
        """`Engine.ask`, answered ahead or here."""
        result = self.ahead.take(question, language_hint, topic)
        if result is None:
            result = self.engine.ask(question, language_hint=language_hint, topic=topic)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)
