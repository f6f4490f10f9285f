"""HTTP to the Bot API that retries what certainly did not get through, and nothing else.

A reply lost to a dropped connection, a refused connection or a 502/503/504 from the proxy in
front of the Bot API is sent again, with backoff. A request that timed out while waiting for
the answer is *not* sent again: Telegram may well have delivered it, and a resident should not
get the same answer twice. "429 Too Many Requests" is left to the rate limiter, which waits
the time Telegram asks for.

`PollingRequest` asks Telegram for more updates only when those it fetched have been handled,
and never confirms an update the ledger (`bot.delivery.UpdateLedger`) still holds open.
Each getUpdates confirms the previous batch, and python-telegram-bot would otherwise fetch
ahead into its in-memory queue: a crash (kill -9, out of memory, power) would lose every
update fetched and not yet handled, as Telegram never sends a confirmed update again. Paced,
a crash loses none; at worst the updates of the batch in hand that were already answered are
answered again after the restart, as Telegram sends the unconfirmed batch again. It also
replaces an update that python-telegram-bot cannot read (a field it requires is missing, say,
when Telegram and the library disagree) by its bare id: otherwise the library rejects the whole
batch, never confirms it, and asks for the same batch again, at full speed, forever.

With the ledger, "handled" means answered: the reply went out and the update's record was
written. While a reply waits in the outbox (Telegram failing for a while), polling goes on
after FETCH_AHEAD_AFTER seconds, so that other chats are answered, but with the offset of the
oldest open update: Telegram keeps it and sends it again with the new ones; an update sent
again that is open or handled already is passed on as its bare id, which the application
skips (and python-telegram-bot still counts, to move its offset on).

Each update is parsed once. Polling must parse an update to know that the library can read it;
with `ParsedUpdates` the parsed update is kept by its id and python-telegram-bot is handed only
the bare id, which the application (`bot.delivery.DeliveringApplication`) exchanges for the
parsed update. Parsing it a second time was about 0.07 ms of CPU per message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import httpx
from telegram import Bot, Update
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http_client import AiohttpRequest, TimedOutBeforeSending

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({502, 503, 504})
FETCH_AHEAD_AFTER = 0.5
ATTEMPTS = 4
FIRST_DELAY = 0.25
MAX_PARSED = 10_000  # parsed updates kept for the application (a batch is at most 100)


def never_sent(error: TimedOut) -> bool:
    """True when the timeout happened before the request left (connect or pool timeout),
    with the bot's transport (`bot.http_client`) or python-telegram-bot's own (httpx)."""
    return isinstance(error, TimedOutBeforeSending) or isinstance(
        error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


class RetryingRequest(AiohttpRequest):
    """The bot's Bot API transport with safe retries (see the module docstring)."""

    def __init__(
        self, *args: Any, attempts: int = ATTEMPTS, first_delay: float = FIRST_DELAY,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attempts = attempts
        self.first_delay = first_delay

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """Send; on a failure that certainly did not get through, wait and send again."""
        endpoint = url.rsplit("/", 1)[-1]
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                status, body = await super().do_request(url, method, request_data, *args,
                                                        **kwargs)
            except TimedOut as error:
                if last or not never_sent(error):
                    raise
                reason = "connection timed out"
            except NetworkError as error:
                if last:
                    raise
                reason = error.message
            else:
                if status not in RETRY_STATUSES:
                    return status, body
                if last:  # as NetworkError: the library would log a proxy's HTML page whole,
                    # with a traceback, as "invalid JSON"
                    raise NetworkError(f"{endpoint}: HTTP {status} from the Bot API or its proxy")
                reason = f"HTTP {status}"
            delay = self.first_delay * 2 ** (attempt - 1)
            log.warning("%s failed (%s); retrying in %.2f s", endpoint, reason, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


class OpenUpdates(Protocol):
    """What polling asks of `bot.delivery.UpdateLedger`."""

    def known(self, update_id: int) -> bool: ...
    def lowest_open(self) -> int | None: ...
    async def settled(self, timeout: float) -> None: ...


class ParsedUpdates:
    """Updates parsed by the polling transport, kept by id until the application takes them
    (see the module docstring)."""

    def __init__(self, limit: int = MAX_PARSED) -> None:
        self.bot: Bot | None = None
        self._updates: dict[int, Update] = {}
        self._limit = limit

    def parse(self, data: dict[str, Any]) -> Update:
        """Parse `data` (one update) for `bot`, keep it and return it; raises what the
        library raises on data it cannot read."""
        update = Update.de_json(data, self.bot)
        self._updates[update.update_id] = update
        if len(self._updates) > self._limit:  # never taken (a stop in between): forget
            del self._updates[next(iter(self._updates))]
        return update

    def take(self, update_id: int) -> Update | None:
        """The parsed update with this id, once; None if there is none."""
        return self._updates.pop(update_id, None)

    def __len__(self) -> int:
        return len(self._updates)


class PollingRequest(AiohttpRequest):
    """The getUpdates transport, paced: polls only once `handled()` returns (see above)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handled: Callable[[], Awaitable[object]] | None = None
        self.ledger: OpenUpdates | None = None
        self.parsed: ParsedUpdates | None = None
        # Told of each batch's newly parsed updates before the application gets them
        # (bot.ahead answers their questions ahead).
        self.on_batch: Callable[[list[Update]], object] | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """Wait until every fetched update has been handled, then poll."""
        polling = url.endswith("/getUpdates")
        if polling and self.handled is not None:
            await self.handled()
        known = None
        if polling and self.ledger is not None:
            await self.ledger.settled(FETCH_AHEAD_AFTER)
            request_data = keep_open_updates(request_data, self.ledger.lowest_open())
            known = self.ledger.known
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if polling and status == 200:
            fetched: list[Update] = []
            body = readable_updates(body, known, self.parsed, fetched)
            if self.on_batch is not None and fetched:
                try:
                    self.on_batch(fetched)
                except Exception as error:  # only ever a loss of speed: never stop polling
                    log.warning("Could not hand the fetched questions ahead (%s: %s); they "
                                "are answered as they come", type(error).__name__, error)
        return status, body


def keep_open_updates(request_data: RequestData | None, lowest_open: int | None
                      ) -> RequestData | None:
    """getUpdates' parameters with an offset that does not confirm `lowest_open`."""
    if request_data is None or lowest_open is None:
        return request_data
    parameters = request_data.parameters
    offset = parameters.get("offset")
    if not isinstance(offset, int) or offset <= lowest_open:
        return request_data
    parameters["offset"] = lowest_open
    return RequestData([RequestParameter.from_input(name, value)
                        for name, value in parameters.items()])


def readable_updates(
    body: bytes, known: Callable[[int], bool] | None = None,
    parsed: ParsedUpdates | None = None, fetched: list[Update] | None = None,
) -> bytes:
    """A getUpdates answer with each update the library cannot read, and each one `known`
    (open or handled already), replaced by its bare id; with `parsed`, every update is, and
    those read are kept there (and added to `fetched`)."""
    try:
        answer = json.loads(body)
        updates = answer["result"]
    except (ValueError, KeyError, TypeError):
        return body
    if not isinstance(updates, list):
        return body
    replaced = 0
    for index, update in enumerate(updates):
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            continue
        if known is not None and known(update["update_id"]):
            updates[index] = {"update_id": update["update_id"]}
            replaced += 1
            continue
        try:
            if parsed is None:
                Update.de_json(update, None)
            else:
                read = parsed.parse(update)
                if fetched is not None:
                    fetched.append(read)
        except Exception as error:  # whatever the library raises on data it cannot read
            log.error("Update %d cannot be read (%s: %s); skipped", update["update_id"],
                      type(error).__name__, error)
        else:
            if parsed is None:
                continue
        updates[index] = {"update_id": update["update_id"]}
        replaced += 1
    return json.dumps(answer).encode() if replaced else body
