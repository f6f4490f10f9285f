"""Delivery you can trust: every update answered once, across crashes, and replies that wait
out a Telegram hiccup.

`UpdateLedger` follows each update from the moment handlers start on it until it is
*acknowledged*: its handlers are done, its replies went out (or were given up), and its id was
written to the question log's `handled_updates` in the same transaction as the rows it
recorded (`bot.storage.QuestionLog.hold`/`commit_update`). Only then is it confirmed to
Telegram: in polling mode by the next getUpdates offset (`bot.transport.PollingRequest` never
asks past the oldest update still open), in webhook mode by the 200 to Telegram's post
(`AcknowledgingQueue`). A crash therefore leaves every unacknowledged update with Telegram,
which sends it again; the restarted bot skips those recorded as handled and answers the rest.
Any kind of update is treated alike (questions, commands, button presses, inline queries):
a button press handled before a crash is not pressed a second time after it. The one window
left is between Telegram accepting a reply and the record's commit, a few milliseconds: a
kill -9 exactly then sends that reply again after the restart (duplicates are preferred to
losses there).

`Outbox` sends the replies to questions. A reply that fails for a reason that may pass (a
network error, 5xx, 429, a timeout before the request left) is sent again with backoff for up
to `delivery.retry_window_seconds`, then given up with one WARNING naming the chat's hash and
the update id. Each chat has a queue of its own, so replies to one chat keep their order and
other chats are not held up while one waits. A reply that timed out after it was sent is not
sent again: it may have arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application

from bot.storage import CURRENT_UPDATE, HANDLED_UPDATES_LOADED, QuestionLog
from bot.transport import ParsedUpdates, never_sent

log = logging.getLogger(__name__)

FIRST_RETRY_DELAY = 0.5
# The longest pause between two tries: a twelfth of the window (10 s for 2 minutes).
RETRY_DELAY_SHARE = 1 / 12
MAX_SENDING = 4  # replies in flight at once, across chats (httpx slows down with many)
SHUTDOWN_GRACE = 2.0  # seconds the outbox may still deliver while the bot stops


@dataclass
class _OpenUpdate:
    """An update not yet acknowledged: handlers running or replies on their way."""

    handlers_done: bool = False
    replies: int = 0
    committed: int | None = None  # the question log's number for its record, once queued


class UpdateLedger:
    """Which updates are open and which are acknowledged (see the module docstring)."""

    def __init__(self, question_log: QuestionLog, *, remember: int = HANDLED_UPDATES_LOADED):
        self._log = question_log
        self._remember = remember
        self._done: set[int] = set()
        self._done_order: deque[int] = deque()
        self._open: dict[int, _OpenUpdate] = {}
        self._waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._progress: asyncio.Event | None = None
        question_log.on_flush(self._flushed)

    async def initialize(self) -> None:
        """Read the updates recorded as handled (after a restart: not to be answered again)."""
        for update_id in reversed(await self._log.handled_updates()):
            self._mark_done(update_id)

    # --- asked by the entry points --------------------------------------------------------

    def known(self, update_id: int) -> bool:
        """Whether the update is being handled or was handled already."""
        return update_id in self._open or update_id in self._done

    def is_open(self, update_id: int) -> bool:
        """Whether the update is being handled now."""
        return update_id in self._open

    def lowest_open(self) -> int | None:
        """The oldest update not yet acknowledged (Telegram must keep it until then)."""
        return min(self._open) if self._open else None

    async def settled(self, timeout: float) -> None:
        """Until no update is open, or `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        progress = self._progress_event()
        while True:
            progress.clear()
            remaining = deadline - time.monotonic()
            if not self._open or remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await progress.wait()

    async def acknowledged(self, update_id: int) -> None:
        """Until the update is acknowledged (it may not have begun yet)."""
        if update_id in self._done:
            return
        future = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(update_id, []).append(future)
        await future

    # --- told by the application and the outbox -------------------------------------------

    def begin(self, update_id: int) -> bool:
        """Start on an update; False if it is open or done already (skip it)."""
        if self.known(update_id):
            return False
        self._open[update_id] = _OpenUpdate()
        self._log.hold(update_id)
        return True

    def handlers_done(self, update_id: int) -> None:
        """The update's handlers have returned."""
        state = self._open.get(update_id)
        if state is not None:
            state.handlers_done = True
            self._maybe_commit(update_id, state)

    def reply_queued(self, update_id: int) -> None:
        """A reply to the update waits in the outbox."""
        self._open[update_id].replies += 1

    def reply_finished(self, update_id: int) -> None:
        """A reply to the update went out, or was given up."""
        state = self._open.get(update_id)
        if state is not None:
            state.replies -= 1
            self._maybe_commit(update_id, state)

    def abandon(self) -> int:
        """At shutdown: forget the open updates (not recorded, so Telegram sends them again
        and the next start answers them); how many there were."""
        abandoned = [uid for uid, state in self._open.items() if state.committed is None]
        for update_id in abandoned:
            self._log.release(update_id)
            del self._open[update_id]
        return len(abandoned)

    def _maybe_commit(self, update_id: int, state: _OpenUpdate) -> None:
        if state.handlers_done and state.replies <= 0 and state.committed is None:
            state.committed = self._log.commit_update(update_id)

    def _flushed(self, written: bool) -> None:
        """After each write of the question log: acknowledge the updates it recorded. When the
        log cannot be written they are acknowledged all the same (their rows wait in memory,
        as every row does then), so that Telegram is not held up by the database."""
        for update_id, state in list(self._open.items()):
            if state.committed is not None and (not written or self._log.written(state.committed)):
                del self._open[update_id]
                self._mark_done(update_id)

    def _mark_done(self, update_id: int) -> None:
        if update_id not in self._done:
            self._done.add(update_id)
            self._done_order.append(update_id)
            if len(self._done_order) > self._remember:
                self._done.discard(self._done_order.popleft())
        for future in self._waiters.pop(update_id, []):
            if not future.done():
                future.set_result(None)
        self._progress_event().set()

    def _progress_event(self) -> asyncio.Event:
        if self._progress is None:
            self._progress = asyncio.Event()
        return self._progress


class DeliveringApplication(Application):
    """python-telegram-bot's Application, telling the ledger when an update's handlers start
    and end, and skipping updates already handled (Telegram sent them again). An update that
    polling parsed comes as its bare id and is exchanged for the parsed one from `parsed`
    (`bot.transport.ParsedUpdates`)."""

    def __init__(
        self, *, ledger: UpdateLedger, parsed: ParsedUpdates | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.ledger = ledger
        self.parsed = parsed
        self.outbox: Outbox | None = None

    async def stop(self) -> None:
        """Stop, then give the outbox its grace while the connection to Telegram is open."""
        await super().stop()
        if self.outbox is not None:
            await self.outbox.shutdown()

    async def process_update(self, update: object) -> None:
        """Process `update` unless it was handled already (see the module docstring)."""
        if not isinstance(update, Update):
            await super().process_update(update)
            return
        update_id = update.update_id
        if self.parsed is not None:
            update = self.parsed.take(update_id) or update
        if not self.ledger.begin(update_id):
            log.debug("Update %d was handled already; skipped", update_id)
            return
        token = CURRENT_UPDATE.set(update_id)
        try:
            await super().process_update(update)
        finally:
            CURRENT_UPDATE.reset(token)
            self.ledger.handlers_done(update_id)
        # Let the outbox and the question log's writer run between two updates: a batch of a
        # hundred is otherwise handled without a pause (its replies only queued), and replies
        # Telegram already accepted would wait that long for their record.
        await asyncio.sleep(0)


class AcknowledgingQueue(asyncio.Queue):
    """The update queue. With `acknowledge_when_handled` (webhook mode), putting an update in
    returns only once it is acknowledged, so the webhook answers Telegram's post with 200 only
    then; a post of an update handled already returns at once, one still open waits for it."""

    def __init__(self, ledger: UpdateLedger) -> None:
        super().__init__()
        self.ledger = ledger
        self.acknowledge_when_handled = False

    async def put(self, item: object) -> None:
        """Queue `item`; in webhook mode wait until it is acknowledged (see the class doc)."""
        if not self.acknowledge_when_handled or not isinstance(item, Update):
            await super().put(item)
            return
        if not self.ledger.known(item.update_id):
            await super().put(item)
        await self.ledger.acknowledged(item.update_id)


@dataclass
class _Reply:
    """One reply waiting in the outbox."""

    chat_id: int
    update_id: int | None
    send: Callable[[], Awaitable[object]]
    deadline: float
    tries: int = 0
    last_error: str = field(default="")


class Outbox:
    """Replies per chat, in order, sent again while the failure may pass (module doc)."""

    def __init__(
        self,
        ledger: UpdateLedger,
        *,
        retry_window: float,
        chat_hash: Callable[[int], str | None],
        max_sending: int = MAX_SENDING,
    ) -> None:
        self.ledger = ledger
        self.retry_window = retry_window
        self.max_delay = max(FIRST_RETRY_DELAY, retry_window * RETRY_DELAY_SHARE)
        self._chat_hash = chat_hash
        self._max_sending = max_sending
        self._sending: asyncio.Semaphore | None = None
        self._queues: dict[int, deque[_Reply]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}

    def replies_to(self, message: Message) -> OutboxReplies:
        """Something with `reply_text` like `message`'s, that sends through the outbox."""
        return OutboxReplies(self, message)

    def submit(self, chat_id: int, send: Callable[[], Awaitable[object]]) -> None:
        """Queue `send` (one reply) for `chat_id`, behind what that chat is waiting for."""
        update_id = CURRENT_UPDATE.get()
        if update_id is not None and self.ledger.is_open(update_id):
            self.ledger.reply_queued(update_id)
        else:
            update_id = None
        reply = _Reply(chat_id, update_id, send, time.monotonic() + self.retry_window)
        self._queues.setdefault(chat_id, deque()).append(reply)
        if chat_id not in self._workers:
            # A context of its own: the worker outlives the update that started it.
            self._workers[chat_id] = asyncio.create_task(
                self._work(chat_id), name=f"outbox-{len(self._workers)}",
                context=contextvars.Context(),
            )

    @property
    def waiting(self) -> int:
        """Replies not yet sent or given up."""
        return sum(len(queue) for queue in self._queues.values())

    async def shutdown(self, grace: float = SHUTDOWN_GRACE) -> None:
        """Give the replies in hand `grace` seconds to go out, then stop; an update whose
        reply did not go out is left to Telegram, which sends it again after the restart."""
        workers = list(self._workers.values())
        if workers:
            _done, pending = await asyncio.wait(workers, timeout=grace)
            for worker in pending:
                worker.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        abandoned = self.ledger.abandon()
        if abandoned:
            log.warning("%d update(s) not answered before shutdown: Telegram sends them again "
                        "and they are answered after the restart", abandoned)

    async def _work(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue:
                reply = queue[0]
                await self._deliver(reply)
                queue.popleft()
                if reply.update_id is not None:
                    self.ledger.reply_finished(reply.update_id)
        finally:
            del self._workers[chat_id]
            if not queue:
                del self._queues[chat_id]

    async def _deliver(self, reply: _Reply) -> None:
        """Send until it went out, failed for good, or the window is over."""
        if self._sending is None:
            self._sending = asyncio.Semaphore(self._max_sending)
        while True:
            reply.tries += 1
            try:
                async with self._sending:
                    await reply.send()
                return
            except RetryAfter as error:
                delay = max(self._delay(reply), _seconds(error))
                reason = f"429 Too Many Requests ({error})"
            except TimedOut as error:
                if not never_sent(error):
                    log.warning("Reply to chat %s (update %s) timed out after it was sent; "
                                "not sent again, it may have arrived", self._hash(reply),
                                reply.update_id)
                    return
                delay, reason = self._delay(reply), f"timed out before it was sent ({error})"
            except BadRequest as error:
                self._refused(reply, error)
                return
            except NetworkError as error:
                delay, reason = self._delay(reply), f"{type(error).__name__}: {error}"
            except TelegramError as error:
                self._refused(reply, error)
                return
            except Exception:
                log.exception("Reply to chat %s (update %s) failed", self._hash(reply),
                              reply.update_id)
                return
            remaining = reply.deadline - time.monotonic()
            if remaining <= 0:
                log.warning("Reply to chat %s (update %s) given up after %d tries in %.0f s: "
                            "%s", self._hash(reply), reply.update_id, reply.tries,
                            self.retry_window, reason)
                return
            log.info("Reply to chat %s (update %s) failed (%s); trying again in %.1f s",
                     self._hash(reply), reply.update_id, reason, min(delay, remaining))
            await asyncio.sleep(min(delay, remaining))

    def _delay(self, reply: _Reply) -> float:
        return min(self.max_delay, FIRST_RETRY_DELAY * 2 ** (reply.tries - 1))

    def _refused(self, reply: _Reply, error: TelegramError) -> None:
        log.error("Reply to chat %s (update %s) refused by Telegram: %s: %s",
                  self._hash(reply), reply.update_id, type(error).__name__, error)

    def _hash(self, reply: _Reply) -> str:
        return self._chat_hash(reply.chat_id) or "?"


class OutboxReplies:
    """A message's `reply_text`, through the outbox (returns at once, without the sent
    message)."""

    def __init__(self, outbox: Outbox, message: Message) -> None:
        self._outbox = outbox
        self._message = message

    async def reply_text(self, text: str, **kwargs: Any) -> None:
        """Queue a reply to the message (see `Outbox`)."""
        message = self._message
        self._outbox.submit(message.chat_id, lambda: message.reply_text(text, **kwargs))


def _seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    with warnings.catch_warnings():  # PTB 22 warns about the type unless PTB_TIMEDELTA is set
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
