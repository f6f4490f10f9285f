"""Starting and stopping like a service, whatever the network does.

- `PatientPolling` waits out an unreachable Telegram itself: a getUpdates that fails (a
  connection error, a timeout, a 5xx, a 429) is tried again after a pause that a stop cancels
  at once, and python-telegram-bot never sees the failure. The library's own loop would log a
  traceback for every failed poll and then sleep up to 30 s in a way no signal can cut short
  (after a 60 s outage, a SIGTERM waited 15 s). Here an outage is one WARNING when it begins
  and one when it ends ("Telegram unreachable for 63 s, 4 retries"), and the bot stops within
  a second or two.
- `StartWitness` remembers which Bot API call was last made at start-up and what it answered,
  so that a failed start is one line naming method, status and base URL (without the token).
- `keep_setting_menus` sets the public command menus in the background: a Bot API server
  that lacks setMyCommands, or a brief 5xx, costs the menu (one WARNING, retried with
  backoff), never the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import NetworkError, TelegramError
from telegram.request import RequestData

from bot.transport import PollingRequest

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0  # python-telegram-bot's first pause after a failed poll
GROWTH = 1.5  # and its growth
MAX_DELAY = 5.0  # python-telegram-bot's cap is 30 s: after an outage, answer within 5 s
LAST_POLL_SECONDS = 2.0  # the confirming getUpdates while stopping: at most this long
RETRY_AFTER_SLACK = 0.5
EMPTY_UPDATES = (200, b'{"ok":true,"result":[]}')

MENU_FIRST_DELAY = 2.0
MENU_MAX_DELAY = 600.0


@dataclass
class Outage:
    """An ongoing stretch of failed polls."""

    began: float
    reason: str
    retries: int = 0


class PatientPolling(PollingRequest):
    """getUpdates that waits out failures itself, in a way a stop cancels (module docstring).

    `keep_polling()` says whether the application still polls; the one getUpdates
    python-telegram-bot sends while stopping (to confirm what was fetched) is tried once, for
    at most LAST_POLL_SECONDS.
    """

    def __init__(
        self, *args: Any, first_delay: float = FIRST_DELAY, max_delay: float = MAX_DELAY,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.keep_polling: Callable[[], bool] = lambda: True
        self.outage: Outage | None = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        """Poll until Telegram answers (or, when stopping, once and briefly)."""
        if not url.endswith("/getUpdates"):
            return await super().do_request(url, method, request_data, *args, **kwargs)
        if not self.keep_polling():
            return await self._last_poll(url, method, request_data, *args, **kwargs)
        delay = self.first_delay
        while True:
            try:
                status, body = await super().do_request(url, method, request_data, *args,
                                                        **kwargs)
            except NetworkError as error:  # refused, dropped, timed out
                self._failed(error.message)
            else:
                pause = retry_after(body) if status == 429 else None
                if pause is not None:
                    await asyncio.sleep(pause)
                    continue
                if status < 500 and status != 429:
                    self._recovered()
                    return status, body
                self._failed(f"HTTP {status}")
            await asyncio.sleep(delay)
            delay = min(delay * GROWTH, self.max_delay)

    def _failed(self, reason: str) -> None:
        """Note a failed poll: one WARNING when an outage begins, DEBUG after that."""
        if self.outage is None:
            self.outage = Outage(time.monotonic(), reason)
            log.warning("Telegram unreachable (getUpdates: %s); polling again every %g s at "
                        "most until it answers", reason, self.max_delay)
        else:
            self.outage.retries += 1
            log.debug("getUpdates failed again (%s)", reason)

    def _recovered(self) -> None:
        """One WARNING with the outage's length once Telegram answers again."""
        if self.outage is None:
            return
        seconds = time.monotonic() - self.outage.began
        retries = self.outage.retries + 1
        self.outage = None
        log.warning("Telegram reachable again: unreachable for %.0f s, %d %s", seconds,
                    retries, "retry" if retries == 1 else "retries")

    async def _last_poll(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """The confirming poll while stopping: once, briefly; on failure, what was fetched
        may be delivered again after a restart (as with python-telegram-bot's own)."""
        try:
            async with asyncio.timeout(LAST_POLL_SECONDS):
                status, body = await super().do_request(*args, **kwargs)
        except (TelegramError, TimeoutError) as error:
            reason = error.message if isinstance(error, TelegramError) else "no answer"
        else:
            if status == 200:
                return status, body
            reason = f"HTTP {status}"
        log.warning("Could not confirm the last updates to Telegram while stopping (%s); "
                    "they may be delivered again after a restart", reason)
        return EMPTY_UPDATES


def retry_after(body: bytes) -> float | None:
    """The pause a 429 answer asks for, with python-telegram-bot's slack (None if unreadable)."""
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        seconds = json.loads(body)["parameters"]["retry_after"]
        if isinstance(seconds, int | float) and seconds >= 0:
            log.warning("Telegram asked to wait %g s before polling again", seconds)
            return float(seconds) + RETRY_AFTER_SLACK
    return None


class StartWitness:
    """Remembers the last Bot API method called and its HTTP status (told by the transport,
    `bot.http_client.AiohttpRequest`)."""

    def __init__(self) -> None:
        self.method: str | None = None
        self.status: int | None = None

    def sending(self, url: str) -> None:
        """A request to `url` is about to be sent."""
        self.method = url.rsplit("/", 1)[-1]
        self.status = None

    def answered(self, status: int) -> None:
        """It was answered with `status`."""
        self.status = status


def start_failure_message(error: BaseException, witness: StartWitness, base_url: str) -> str:
    """One line on a start that failed: which call, against which server, with what answer.
    `base_url` must already be free of the token."""
    method = witness.method or "the first request"
    if witness.status is not None:
        answer = f"answered HTTP {witness.status} ({describe(error)})"
    else:
        answer = f"got no answer ({describe(error)})"
    return (f"Could not start: {method} to the Bot API at {base_url} {answer}. Check that "
            "TELEGRAM_API_BASE_URL (or telegram.api_base_url) points to a Bot API server that "
            "is up, and try again.")


def describe(error: BaseException) -> str:
    """An error in a few words: its type and message, without a traceback."""
    message = error.message if isinstance(error, TelegramError) else str(error)
    cause = error.__cause__
    if isinstance(error, NetworkError) and cause is not None and str(cause):
        message = f"{message}: {cause}" if str(cause) not in message else message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


async def keep_setting_menus(
    set_menus: Callable[[], Awaitable[object]],
    *, tried: asyncio.Event | None = None, first_delay: float = MENU_FIRST_DELAY,
    max_delay: float = MENU_MAX_DELAY,
) -> None:
    """Call `set_menus` until it succeeds, with backoff; `tried` is set once the first attempt
    is over. The first failure is one WARNING, later ones DEBUG, and success after a failure
    is logged too. Cancel it to stop."""
    delay = first_delay
    failures = 0
    while True:
        try:
            await set_menus()
        except TelegramError as error:
            failures = _menu_failed(error, failures, delay)
        else:
            if failures:
                log.warning("Command menu set after %d failed %s", failures,
                            "attempt" if failures == 1 else "attempts")
            return
        finally:
            if tried is not None:
                tried.set()
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


def _menu_failed(error: TelegramError, failures: int, delay: float) -> int:
    if not failures:
        log.warning("Could not set the command menu (%s); serving without it, trying again "
                    "in the background", describe(error))
    else:
        log.debug("Command menu still not set (%s); next try in %g s", describe(error), delay)
    return failures + 1
