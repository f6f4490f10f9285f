"""Bot API requests over aiohttp's client: python-telegram-bot's `BaseRequest`, lighter.

python-telegram-bot ships one transport, `HTTPXRequest`. Measured against the Bot API
stand-in on 127.0.0.1 (`python -m bench.http_clients`), httpx spends about 0.55-0.6 ms of CPU
on a sendMessage and aiohttp's client about 0.15-0.2 ms; the bot sends one or more a question,
so this is the largest single cost of its send path. `AiohttpRequest` keeps what the rest of
the bot relies on from `HTTPXRequest`:

- the same constructor arguments (pool size and the four timeouts) and per-call timeouts;
  waiting for a free connection in the pool and connecting are bounded together by
  `pool_timeout` + `connect_timeout` (aiohttp has one timeout for both), connecting alone by
  `connect_timeout`, waiting for the answer by `read_timeout` (each read). aiohttp has no
  write timeout: the whole request is bounded by the sum of the four instead;
- errors as python-telegram-bot's: a timeout is `TimedOut`; one before the request left
  (connecting, or waiting for the pool) is `TimedOutBeforeSending`, which
  `bot.transport.never_sent` recognises; any other failure of the client is `NetworkError`,
  named after the client's exception (`aiohttp.ServerDisconnectedError: Server disconnected`);
- redirects are not followed; a proxy in the environment (`HTTPS_PROXY`, `NO_PROXY`, ...) is
  used as httpx would, looked up once per host (aiohttp's own `trust_env` looks it up in a
  thread on every request);
- the token is part of every request URL: no error raised here carries it. aiohttp puts the
  URL in some messages ("Connection timeout to host http://…/bot<token>/sendMessage"), so the
  URL's path is cut from the message and the client's exception is not chained.

Cookies are not kept (the Bot API sets none; aiohttp's jar costs CPU on every request).
"""

from __future__ import annotations

import contextlib
import urllib.parse
import urllib.request
from typing import Any, Protocol

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = "application/x-www-form-urlencoded"
NOT_SENT_MESSAGE = (
    "Timed out connecting, or waiting for a free connection in the pool: the request was "
    "*not* sent to Telegram"
)
Timeout = float | None | DefaultValue[None]


class TimedOutBeforeSending(TimedOut):
    """A timeout while connecting or waiting for a free connection: the request never left."""


class RequestWitness(Protocol):
    """Told of each request and its HTTP status (`bot.lifecycle.StartWitness`)."""

    def sending(self, url: str) -> None: ...
    def answered(self, status: int) -> None: ...


class AiohttpRequest(BaseRequest):
    """python-telegram-bot's transport over aiohttp (see the module docstring)."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        *,
        witness: RequestWitness | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._defaults = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._witness = witness
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._headers = {"User-Agent": self.USER_AGENT}
        self._form_headers = {"User-Agent": self.USER_AGENT, "Content-Type": FORM}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._defaults[0]

    async def initialize(self) -> None:
        """Open the client session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        """Close the client session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; the HTTP status and the body of the answer."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)
        data, headers = self._body(request_data)
        if self._witness is not None:
            self._witness.sending(url)
        try:
            proxy = self._proxy(url)
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout,
                allow_redirects=False, proxy=proxy,
            ) as response:
                status, body = response.status, await response.read()
        except aiohttp.ConnectionTimeoutError:
            raise TimedOutBeforeSending(NOT_SENT_MESSAGE) from None
        except TimeoutError:
            raise TimedOut() from None
        except (aiohttp.ClientError, OSError, ValueError) as error:  # ValueError: a bad URL
            raise NetworkError(f"{_named(error)}: {without_path(str(error), url)}") from None
        if self._witness is not None:
            self._witness.answered(status)
        return status, body

    def _timeout(self, *given: Timeout) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts for python-telegram-bot's read, write, connect and pool
        timeouts (a default taken from the constructor), made once per combination."""
        key = tuple(default if isinstance(value, DefaultValue) else value
                    for value, default in zip(given, self._defaults, strict=True))
        timeout = self._timeouts.get(key)
        if timeout is None:
            read, _write, connect, pool = key
            finite = [seconds for seconds in key if seconds is not None]
            timeout = aiohttp.ClientTimeout(
                total=sum(finite) if len(finite) == len(key) else None,
                connect=None if connect is None or pool is None else connect + pool,
                sock_connect=connect, sock_read=read,
            )
            self._timeouts[key] = timeout
        return timeout

    def _body(self, request_data: RequestData | None) -> tuple[Any, dict[str, str]]:
        """The body (form-encoded, or multipart with files) and the headers to send."""
        if request_data is None:
            return None, self._headers
        parameters = request_data.json_parameters
        if not request_data.contains_files:
            if not parameters:
                return None, self._headers
            return urllib.parse.urlencode(parameters).encode(), self._form_headers
        form = aiohttp.FormData()
        for name, value in parameters.items():
            form.add_field(name, value)
        for name, (filename, content, mimetype) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mimetype)
        return form, self._headers

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for `url`'s host, looked up once per host."""
        parts = urllib.parse.urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            proxy = proxies.get(parts.scheme) or proxies.get("all")
            if proxy and urllib.request.proxy_bypass(key[1]):
                proxy = None
            self._proxies[key] = proxy or None
        return self._proxies[key]


def without_path(text: str, url: str) -> str:
    """`text` with `url`, and its path (which carries the token), left out."""
    text = text.replace(url, "[the Bot API URL]")
    with contextlib.suppress(ValueError):  # a URL that does not parse is not in the text
        path = urllib.parse.urlsplit(url).path
        if len(path) > 1:
            text = text.replace(path, "/…")
    return text


def _named(error: Exception) -> str:
    """The error's type, with `aiohttp.` for the client's own."""
    name = type(error).__name__
    return f"aiohttp.{name}" if isinstance(error, aiohttp.ClientError) else name
