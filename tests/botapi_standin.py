"""A local stand-in for the Telegram Bot API, for offline tests and benchmarks.

The stand-in is a small HTTP server (standard library only) that speaks enough of the Bot API
for a real python-telegram-bot (PTB) process to run against it: point the bot at
:attr:`BotApiStandIn.base_url`, e.g. ``ApplicationBuilder().token(TOKEN).base_url(url)`` or
``TELEGRAM_API_BASE_URL=url``. PTB appends the token to the base URL, so requests arrive as
``POST /bot<TOKEN>/<method>``.

The server runs in a background thread (``ThreadingHTTPServer``), so it works with whatever
event loop the test uses and with a bot running in a separate process.

Typical use::

    with BotApiStandIn() as api:
        ...start a bot with base_url=api.base_url...
        api.push_update(api.message_update("/start"))
        [reply] = api.wait_for("sendMessage")
        assert reply.params["chat_id"] == DEFAULT_USER_ID

Request decoding: PTB's ``HTTPXRequest`` posts ``application/x-www-form-urlencoded`` data (or
``multipart/form-data`` when files are attached) where string values are sent as they are and
every other value (numbers, booleans, lists, dicts) is JSON-encoded. The stand-in decodes all
three body types (plus ``application/json`` and query strings) into one ``dict``. A form value
is JSON-decoded unless the parameter is a known free-text parameter (``text``, ``caption``,
``phone_number``, ...), so ``text="123"`` stays the string ``"123"`` while ``chat_id="123"``
becomes the integer ``123``. Uploaded files end up in :attr:`Call.files`.

What is simulated: update queue with long polling (``offset``/``limit``/``timeout``/
``allowed_updates``, 409 when a webhook is set or when a newer ``getUpdates`` supersedes a
waiting one), message ids per chat, a store of sent messages (edits and deletes act on it),
bot commands per scope and language, the chat menu button, file uploads (``getFile`` and file
download work for files sent to the stand-in), and fault injection. What is not simulated:
webhook delivery (``setWebhook`` is only recorded), ``parse_mode`` parsing (text is echoed
verbatim; ``check_html=True`` only rejects HTML that Telegram could not parse, as Telegram
does), rate limits (use :meth:`BotApiStandIn.inject` with :class:`TooManyRequests`).

Misbehaving on command: :meth:`BotApiStandIn.inject` makes the next N requests to a method fail
(429 with ``retry_after``, 502, a delay beyond the client's read timeout, a dropped connection,
any Bot API error); :meth:`BotApiStandIn.outage` makes every request to a method fail for a
number of seconds (e.g. ``getUpdates`` answering 502 while a proxy restarts).

All times recorded by the stand-in come from :func:`time.monotonic` in the stand-in's process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.message
import email.parser
import email.utils
import html.parser
import itertools
import json
import logging
import math
import re
import select
import signal
import socket
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "BOT_USER",
    "DEFAULT_CHAT_ID",
    "DEFAULT_USER_ID",
    "TEST_TOKEN",
    "ApiError",
    "BadGateway",
    "BotApiStandIn",
    "Call",
    "Delay",
    "DropConnection",
    "ErrorResponse",
    "Fault",
    "ReplyTiming",
    "TooManyRequests",
    "UpdateTiming",
    "UploadedFile",
    "decode_request",
]

logger = logging.getLogger(__name__)

#: A syntactically valid but fake bot token.
TEST_TOKEN = "123456:TEST-token-not-real-0000000000000000"

#: The bot's own user object, as returned by ``getMe``.
BOT_USER: dict[str, Any] = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Kongsbergregionen",
    "username": "kongsbergregionen_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
    "can_connect_to_business": False,
    "has_main_web_app": False,
}

#: The user (and private chat) id used by the update builders when none is given.
DEFAULT_USER_ID = 1001
#: Alias: in a private chat the chat id equals the user id.
DEFAULT_CHAT_ID = DEFAULT_USER_ID

_DEFAULT_FIRST_NAME = "Kari"
_DEFAULT_GROUP_CHAT_ID = -1001234567890

# Parameters whose form values are free text and must never be JSON-decoded.
_STRING_PARAMS_WORDS = (
    "action address animation audio business_connection_id callback_query_id caption "
    "currency custom_title description document emoji explanation explanation_parse_mode "
    "file_id first_name foursquare_id foursquare_type game_short_name google_place_id "
    "google_place_type inline_message_id inline_query_id invite_link ip_address "
    "language_code last_name message_effect_id name next_offset parse_mode payload "
    "phone_number photo provider_token query question question_parse_mode result_id "
    "secret_token short_description start_parameter sticker switch_pm_parameter "
    "switch_pm_text text thumbnail title url vcard video video_note voice "
    "web_app_query_id"
)
_STRING_PARAMS = frozenset(_STRING_PARAMS_WORDS.split())

# Methods that produce a message in a chat (used for timing and ``sent_messages``).
_SEND_METHODS = frozenset(
    {"sendmessage", "sendcontact", "senddocument", "sendphoto", "sendlocation"}
)

# Update types delivered when ``allowed_updates`` is unset or empty (as in the real API).
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CHAT_ACTIONS_WORDS = (
    "typing upload_photo record_video upload_video record_voice upload_voice "
    "upload_document choose_sticker find_location record_video_note upload_video_note"
)
_CHAT_ACTIONS = frozenset(_CHAT_ACTIONS_WORDS.split())

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_API_PATH_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?")
_FILE_PATH_RE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")

_NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


# --------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TooManyRequests:
    """Answer HTTP 429 with ``parameters.retry_after`` (PTB raises ``RetryAfter``)."""

    retry_after: int = 1


@dataclass(frozen=True)
class BadGateway:
    """Answer HTTP 502 with a non-JSON body (PTB raises ``telegram.error.NetworkError``).

    ``body`` defaults to nginx's HTML error page; pass ``b""`` for an empty body.
    """

    body: bytes = _NGINX_502


@dataclass(frozen=True)
class Delay:
    """Sleep ``seconds`` before handling the request, then answer normally.

    As with the real API, a request whose client gave up waiting (PTB's ``TimedOut``) still
    takes effect: a delayed ``sendMessage`` is delivered. This is what makes naive retries
    produce duplicates, which is worth testing.
    """

    seconds: float


@dataclass(frozen=True)
class DropConnection:
    """Close the connection without sending any response (PTB raises ``NetworkError``)."""


@dataclass(frozen=True)
class ErrorResponse:
    """Answer with an arbitrary Bot API error, e.g. ``ErrorResponse(403, "Forbidden: bot was
    blocked by the user")`` (PTB raises ``Forbidden``)."""

    error_code: int
    description: str
    parameters: dict[str, Any] | None = None


Fault = TooManyRequests | BadGateway | Delay | DropConnection | ErrorResponse


class ApiError(Exception):
    """Raised by method handlers to produce a Bot API error response."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON object sent to the client."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a ``multipart/form-data`` request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass(eq=False)
class Call:
    """One request received by the stand-in.

    ``time`` is the arrival time (``time.monotonic()``). ``status`` is the HTTP status of the
    answer (``None`` while the request is being handled, and for :class:`DropConnection`).
    ``delivered`` is true once the request was answered successfully (``"ok": true``); a faulted
    request is never delivered except after a :class:`Delay`. ``result`` is the ``result``
    field of the answer. ``files`` holds uploaded files and ``content_type`` the request's
    media type (e.g. ``multipart/form-data``).
    """

    method: str
    params: dict[str, Any]
    time: float
    token: str = ""
    files: dict[str, UploadedFile] = field(default_factory=dict)
    fault: Fault | None = None
    status: int | None = None
    result: Any = None
    delivered: bool = False
    finished: bool = False
    seq: int = 0
    content_type: str = ""
    _client_alive: Callable[[], bool] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def faulted(self) -> bool:
        """Whether a fault was injected into this request."""
        return self.fault is not None

    def summary(self) -> str:
        """A one-line description, used in error messages."""
        shown = {k: v for k, v in self.params.items() if k in ("chat_id", "text", "offset", "data")}
        parts = [self.method]
        if shown:
            parts.append(json.dumps(shown, ensure_ascii=False)[:120])
        if self.fault is not None:
            parts.append(f"fault={self.fault!r}")
        parts.append(f"status={self.status}")
        return " ".join(parts)


@dataclass(frozen=True)
class UpdateTiming:
    """When an update was pushed and first handed out by ``getUpdates``."""

    update_id: int
    chat_id: int | None
    pushed_at: float
    handed_out_at: float | None


@dataclass(frozen=True)
class ReplyTiming:
    """A successfully sent message: chat, arrival time of the send request, id and text."""

    method: str
    chat_id: int | str
    time: float
    message_id: int
    text: str | None


# --------------------------------------------------------------------------------------------
# Request decoding
# --------------------------------------------------------------------------------------------


def _decode_value(name: str, raw: str) -> Any:
    if name in _STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _header_param(header_value: str, header: str, param: str) -> str | None:
    msg = email.message.Message()
    msg[header] = header_value
    value = msg.get_param(param, header=header)
    if value is None:
        return None
    return str(email.utils.collapse_rfc2231_value(value))


def _iter_multipart(body: bytes, boundary: str) -> Iterator[tuple[dict[str, str], bytes]]:
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("malformed multipart part")
        parsed = email.parser.HeaderParser().parsestr(head.decode("utf-8", "replace"))
        yield {k.lower(): v for k, v in parsed.items()}, content


def decode_request(
    content_type: str, body: bytes, query: str = ""
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Decode a Bot API request into ``(params, files)``.

    Handles query strings, ``application/json``, ``application/x-www-form-urlencoded`` and
    ``multipart/form-data``. Form values are JSON-decoded except for free-text parameters.
    Raises :class:`ValueError` for undecodable bodies.
    """
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params[key] = _decode_value(key, value)
    if not body:
        return params, files
    mime = content_type.partition(";")[0].strip().lower()
    if mime == "application/json":
        data = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        params.update(data)
    elif mime in ("application/x-www-form-urlencoded", ""):
        for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
            params[key] = _decode_value(key, value)
    elif mime == "multipart/form-data":
        boundary = _header_param(content_type, "content-type", "boundary")
        if not boundary:
            raise ValueError("multipart body without boundary")
        for headers, content in _iter_multipart(body, boundary):
            disposition = headers.get("content-disposition", "")
            name = _header_param(disposition, "content-disposition", "name")
            if name is None:
                raise ValueError("multipart part without a name")
            filename = _header_param(disposition, "content-disposition", "filename")
            part_type = headers.get("content-type")
            if filename is None and (part_type is None or part_type.startswith("text/plain")):
                params[name] = _decode_value(name, content.decode("utf-8"))
            else:
                files[name] = UploadedFile(name, filename, part_type, content)
    else:
        raise ValueError(f"unsupported content type {content_type!r}")
    return params, files


# --------------------------------------------------------------------------------------------
# Telegram's HTML parse mode
# --------------------------------------------------------------------------------------------

_HTML_TAGS_WORDS = "a b strong i em u ins s strike del span tg-spoiler tg-emoji code pre blockquote"
_HTML_TAGS = frozenset(_HTML_TAGS_WORDS.split())


class _TelegramHtml(html.parser.HTMLParser):
    """Finds the first thing Telegram's HTML parse mode would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problem = ""

    def _fail(self, problem: str) -> None:
        self.problem = self.problem or problem

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self._fail(f'Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'Unsupported start tag "{tag}/"')

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self._fail(f'Unexpected end tag "{tag}"')
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self._fail("Unsupported start tag or stray \"<\"")

    def handle_comment(self, data: str) -> None:
        self._fail("Unsupported start tag \"!--\"")

    def handle_decl(self, decl: str) -> None:
        self._fail(f'Unsupported start tag "!{decl[:10]}"')

    def handle_pi(self, data: str) -> None:
        self._fail(f'Unsupported start tag "?{data[:10]}"')

    def unknown_decl(self, data: str) -> None:
        self._fail(f'Unsupported start tag "!{data[:10]}"')


def telegram_html_problem(text: str) -> str:
    """Why Telegram would refuse ``text`` in HTML parse mode ("" if it would accept it).

    Only the supported tags (b, i, u, s, a, code, pre, blockquote, span, tg-spoiler, ...),
    properly nested and closed, and no stray ``<``: a user's ``<script>`` or ``<3`` shown back
    without escaping is refused, as by Telegram.
    """
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if not parser.problem and parser.rawdata:
        parser._fail("Unsupported start tag or stray \"<\"")
    if not parser.problem and parser.open:
        parser._fail(f"Can't find end tag corresponding to start tag \"{parser.open[-1]}\"")
    return parser.problem


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _peer_closed(sock: socket.socket) -> bool:
    """Whether the client has closed its end of ``sock`` (without consuming data)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], standin: BotApiStandIn) -> None:
        self.standin = standin
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):  # client went away: broken pipe, reset, ...
            logger.debug("connection error from %s: %r", client_address, exc)
            return
        logger.exception("error while handling a request from %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body are written separately: avoid Nagle + delayed-ACK stalls (~40 ms).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.standin._register_connection(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.standin._unregister_connection(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        standin = self.server.standin
        url = urlsplit(self.path)
        body = self._read_body()
        file_match = _FILE_PATH_RE.fullmatch(url.path)
        if file_match:
            data = standin._file_content(file_match["path"])
            if data is None:
                self._send(
                    404, _json_bytes({"ok": False, "error_code": 404, "description": "Not Found"})
                )
            else:
                self._send(200, data, "application/octet-stream")
            return
        match = _API_PATH_RE.fullmatch(url.path)
        if not match:
            self._send(
                404, _json_bytes({"ok": False, "error_code": 404, "description": "Not Found"})
            )
            return
        try:
            params, files = decode_request(self.headers.get("Content-Type", ""), body, url.query)
        except (ValueError, UnicodeDecodeError) as exc:
            error = ApiError(400, f"Bad Request: can't parse request: {exc}")
            self._send(400, _json_bytes(error.payload()))
            return
        answer = standin._process(
            match["token"],
            match["method"],
            params,
            files,
            lambda: not _peer_closed(self.connection),
            self.headers.get("Content-Type", ""),
        )
        if answer is None:  # DropConnection
            self.close_connection = True
            return
        status, payload, content_type = answer
        self._send(status, payload, content_type)


# --------------------------------------------------------------------------------------------
# The stand-in
# --------------------------------------------------------------------------------------------


MethodHandler = Callable[[Call], Any]


_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _text_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram would attach to `text`."""
    entities = []
    command = text.split(maxsplit=1)[0] if text.startswith("/") else ""
    if len(command) > 1:
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16_length(command)})
    for match in _MENTION.finditer(text):
        entities.append({"type": "mention", "offset": _utf16_length(text[: match.start()]),
                         "length": _utf16_length(match.group(0))})
    return entities


class BotApiStandIn:
    """A fake Telegram Bot API server on ``127.0.0.1`` (see the module docstring).

    Args:
        port: TCP port; ``0`` picks a free one.
        host: interface to bind.
        expected_token: when set, requests with another token get ``401 Unauthorized``.
        first_update_id: id given to the first pushed update.
        check_html: reject ``sendMessage``/``editMessageText`` text with ``parse_mode=HTML``
            that Telegram could not parse (unsupported or unclosed tags, a stray ``<``) with
            ``400 Bad Request: can't parse entities``, as Telegram does.
        check_replies: reject a message sent as a reply to a message the chat does not hold
            (deleted, or pushed with ``remember=False``) with ``400 Bad Request: message to be
            replied not found``, unless ``allow_sending_without_reply`` is set, as Telegram does.
    """

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        *,
        expected_token: str | None = None,
        first_update_id: int = 1,
        check_html: bool = False,
        check_replies: bool = False,
    ) -> None:
        self._host = host
        self.check_html = check_html
        self.check_replies = check_replies
        self._requested_port = port
        self.expected_token = expected_token
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._stop_event = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._connections: dict[socket.socket, threading.Thread] = {}

        # Recording
        self._calls: list[Call] = []
        self._calls_by_method: dict[str, list[Call]] = {}
        self._epoch = 0
        self._seq = itertools.count(1)
        self._listeners: list[Callable[[Call], None]] = []
        self.unknown_methods: list[str] = []
        self.tokens_seen: set[str] = set()
        self.token_seen: str | None = None

        # Faults
        self._faults: dict[str, deque[Fault]] = {}
        self._outages: dict[str, tuple[float, Fault]] = {}

        # Updates
        self._next_update_id = first_update_id
        self._queue: deque[dict[str, Any]] = deque()
        self._update_timings: dict[int, UpdateTiming] = {}
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0

        # Chats, users, messages, files
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._channel_ids: dict[str, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._last_bot_message: dict[int, int] = {}
        self._callback_ids = itertools.count(4_000_000_000_001)
        self._inline_ids = itertools.count(5_000_000_000_001)
        self._file_counter = itertools.count(1)
        self._files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._file_paths: dict[str, str] = {}

        # Bot settings
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._menu_buttons: dict[int | None, dict[str, Any]] = {}
        self._webhook: dict[str, Any] = {}

        self._methods: dict[str, tuple[str, MethodHandler]] = {}
        for name, handler in self._builtin_methods().items():
            self.set_method(name, handler)

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> BotApiStandIn:
        """Bind the socket and start serving in a background thread. Returns ``self``."""
        if self._server is not None:
            raise RuntimeError("BotApiStandIn already started")
        self._server = _Server((self._host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"BotApiStandIn:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake long polls, close all connections and join threads. Idempotent."""
        if self._server is None or self._stopped:
            return
        self._stopped = True
        self._stop_event.set()
        with self._cond:
            self._cond.notify_all()
        self._server.shutdown()
        with self._lock:
            connections = dict(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + 5.0
        for thread in connections.values():
            thread.join(max(0.0, deadline - time.monotonic()))
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5.0)

    def __enter__(self) -> BotApiStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (only after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("BotApiStandIn not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/bot`` — PTB appends the token to it."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """``http://127.0.0.1:PORT/file/bot`` for ``base_file_url`` (file downloads)."""
        return f"http://{self._host}:{self.port}/file/bot"

    def _register_connection(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections[conn] = threading.current_thread()

    def _unregister_connection(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.pop(conn, None)

    # ---------------------------------------------------------------- methods

    def set_method(self, name: str, handler: MethodHandler) -> None:
        """Add or replace the handler of an API method (case-insensitive name).

        The handler gets the :class:`Call` and returns the ``result`` (or raises
        :class:`ApiError`). It runs while holding the stand-in's lock.
        """
        self._methods[name.lower()] = (name, handler)

    def add_listener(self, listener: Callable[[Call], None]) -> None:
        """Call ``listener(call)`` (in a server thread) after each request was answered."""
        with self._lock:
            self._listeners.append(listener)

    # ---------------------------------------------------------------- faults

    def inject(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next ``times`` requests to ``method`` fail with ``fault``.

        Faults for one method are consumed in the order they were injected. ``method="*"``
        applies to any method (used when the method has no fault of its own).
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    def pending_faults(self, method: str | None = None) -> int:
        """Number of injected faults not yet consumed (for ``method`` or all)."""
        with self._lock:
            if method is not None:
                return len(self._faults.get(method.lower(), ()))
            return sum(len(q) for q in self._faults.values())

    def outage(self, method: str, fault: Fault, seconds: float) -> float:
        """Answer every request to ``method`` with ``fault`` for the next ``seconds``.

        Returns when the outage ends (``time.monotonic()``). Faults queued with :meth:`inject`
        are taken first. ``method="*"`` applies to any method. A ``getUpdates`` long poll that
        is waiting when its outage starts returns at once, empty, so that the outage is felt at
        once. A new outage for the same method replaces the old one; :meth:`clear_faults` ends
        it at once.
        """
        if seconds <= 0:
            raise ValueError("seconds must be positive")
        with self._cond:
            until = time.monotonic() + seconds
            self._outages[method.lower()] = (until, fault)
            self._cond.notify_all()
        return until

    def clear_faults(self) -> None:
        """Drop all injected faults that were not consumed, and end every outage."""
        with self._lock:
            self._faults.clear()
            self._outages.clear()

    def _take_fault(self, method: str) -> Fault | None:
        for key in (method.lower(), "*"):
            queue = self._faults.get(key)
            if queue:
                return queue.popleft()
        return self._in_outage(method)

    def _in_outage(self, method: str) -> Fault | None:
        now = time.monotonic()
        for key in (method.lower(), "*"):
            outage = self._outages.get(key)
            if outage is not None and now < outage[0]:
                return outage[1]
        return None

    # ---------------------------------------------------------------- recording

    def calls(self, method: str | None = None) -> list[Call]:
        """All recorded requests (optionally for one method), oldest first."""
        with self._lock:
            if method is None or method == "*":
                return list(self._calls)
            return list(self._calls_by_method.get(method.lower(), ()))

    def delivered(self, method: str | None = None) -> list[Call]:
        """Recorded requests that were answered successfully."""
        return [c for c in self.calls(method) if c.delivered]

    def sent_messages(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Message objects produced by successful send requests (``sendMessage`` etc.)."""
        with self._lock:
            messages = [
                c.result for c in self._calls if c.delivered and c.method.lower() in _SEND_METHODS
            ]
        if chat_id is not None:
            chat_key = self._chat_key(chat_id)
            messages = [m for m in messages if m["chat"]["id"] == chat_key]
        return messages

    def clear(self) -> None:
        """Forget recorded calls, unknown methods and timings (not updates or messages)."""
        with self._cond:
            self._calls.clear()
            self._calls_by_method.clear()
            self.unknown_methods.clear()
            self._update_timings.clear()
            self._epoch += 1
            self._cond.notify_all()

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Block until at least ``count`` calls to ``method`` matching ``predicate`` were seen.

        Returns all matching calls (oldest first). Already recorded calls count. A call still
        being handled is re-checked once it has been answered, so predicates may look at
        ``call.delivered``/``call.result``. ``method="*"`` matches any method. Raises
        :class:`TimeoutError` listing the calls seen.
        """
        deadline = time.monotonic() + timeout
        key = method.lower()
        with self._cond:
            epoch = -1
            matched: list[Call] = []
            unfinished: list[Call] = []
            scanned = 0
            while True:
                if epoch != self._epoch:
                    epoch, matched, unfinished, scanned = self._epoch, [], [], 0
                source = self._calls if key == "*" else self._calls_by_method.get(key, [])
                candidates = unfinished + source[scanned:]
                scanned = len(source)
                unfinished = []
                for call in candidates:
                    if predicate is None or predicate(call):
                        matched.append(call)
                    elif not call.finished:
                        unfinished.append(call)
                if len(matched) >= count:
                    return sorted(matched, key=lambda c: c.seq)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        self._timeout_message(method, predicate, count, matched, timeout)
                    )
                self._cond.wait(remaining)

    async def await_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """:meth:`wait_for` for ``async`` code (runs it in a worker thread)."""
        return await asyncio.to_thread(self.wait_for, method, predicate, count, timeout)

    def _timeout_message(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None,
        count: int,
        matched: list[Call],
        timeout: float,
    ) -> str:
        counts: dict[str, int] = {}
        for call in self._calls:
            counts[call.method] = counts.get(call.method, 0) + 1
        overview = ", ".join(f"{m}×{n}" for m, n in counts.items()) or "no calls at all"
        recent = "\n".join(f"  {c.summary()}" for c in self._calls[-15:])
        what = f"{count} call(s) to {method}"
        if predicate is not None:
            what += f" matching {getattr(predicate, '__name__', predicate)}"
        message = (
            f"Timed out after {timeout:g}s waiting for {what}; {len(matched)} matched.\n"
            f"Calls seen: {overview}"
        )
        if recent:
            message += f"\nLast calls:\n{recent}"
        if self.unknown_methods:
            message += f"\nUnknown methods called: {sorted(set(self.unknown_methods))}"
        return message

    # ---------------------------------------------------------------- timings

    def update_timings(self) -> list[UpdateTiming]:
        """Per pushed update: chat, push time and first hand-out time by ``getUpdates``."""
        with self._lock:
            return sorted(self._update_timings.values(), key=lambda t: t.update_id)

    def reply_timings(self, method: str = "sendMessage") -> list[ReplyTiming]:
        """Per successful send request (oldest first): chat id, arrival time, message id, text."""
        result = []
        for call in self.delivered(method):
            message = call.result
            result.append(
                ReplyTiming(
                    method=call.method,
                    chat_id=message["chat"]["id"],
                    time=call.time,
                    message_id=message["message_id"],
                    text=message.get("text"),
                )
            )
        return result

    # ---------------------------------------------------------------- request processing

    def _process(
        self,
        token: str,
        method: str,
        params: dict[str, Any],
        files: dict[str, UploadedFile],
        client_alive_check: Callable[[], bool],
        content_type: str = "",
    ) -> tuple[int, bytes, str] | None:
        entry = self._methods.get(method.lower())
        name = entry[0] if entry else method
        with self._cond:
            call = Call(
                method=name,
                params=params,
                time=time.monotonic(),
                token=token,
                files=files,
                seq=next(self._seq),
                content_type=content_type.partition(";")[0].strip(),
            )
            self.token_seen = token
            self.tokens_seen.add(token)
            self._calls.append(call)
            self._calls_by_method.setdefault(name.lower(), []).append(call)
            call._client_alive = client_alive_check
            call.fault = self._take_fault(name)
            self._cond.notify_all()

        fault = call.fault
        status: int | None
        payload: dict[str, Any] | None = None
        raw: bytes | None = None
        content_type = "application/json"
        if isinstance(fault, DropConnection):
            status = None
        elif isinstance(fault, TooManyRequests):
            status = 429
            payload = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            ).payload()
        elif isinstance(fault, BadGateway):
            status, raw, content_type = 502, fault.body, "text/html"
        elif isinstance(fault, ErrorResponse):
            status = fault.error_code
            payload = ApiError(fault.error_code, fault.description, fault.parameters).payload()
        else:
            if isinstance(fault, Delay):
                self._stop_event.wait(fault.seconds)
            status, payload = self._run_method(call, entry)

        with self._cond:
            call.status = status
            if payload is not None and payload.get("ok"):
                call.result = payload.get("result")
                call.delivered = True
            call.finished = True
            listeners = list(self._listeners)
            self._cond.notify_all()
        for listener in listeners:
            try:
                listener(call)
            except Exception:
                logger.exception("stand-in listener failed")
        if status is None:
            return None
        if raw is None:
            raw = _json_bytes(payload)
        return status, raw, content_type

    def _run_method(
        self,
        call: Call,
        entry: tuple[str, MethodHandler] | None,
    ) -> tuple[int, dict[str, Any]]:
        if self.expected_token is not None and call.token != self.expected_token:
            return 401, ApiError(401, "Unauthorized").payload()
        if entry is None:
            with self._lock:
                self.unknown_methods.append(call.method)
            return 404, ApiError(404, "Not Found: method not found").payload()
        try:
            with self._lock:
                result = entry[1](call)
        except ApiError as exc:
            return exc.error_code, exc.payload()
        except Exception as exc:
            logger.exception("stand-in handler for %s failed", call.method)
            return 500, ApiError(500, f"Internal Server Error: {exc!r}").payload()
        return 200, {"ok": True, "result": result}

    # ---------------------------------------------------------------- updates

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue ``update`` (a dict without ``update_id``) and return its new ``update_id``."""
        return self.push_updates([update])[0]

    def push_updates(
        self, updates: Iterable[dict[str, Any]], *, remember: bool = True
    ) -> list[int]:
        """Queue several updates at once (one wake-up for waiting long polls); with
        ``remember=False`` their messages are not kept, as if deleted at once."""
        ids = []
        with self._cond:
            now = time.monotonic()
            for update in updates:
                update = dict(update)
                update["update_id"] = update_id = self._next_update_id
                self._next_update_id += 1
                if remember:
                    self._remember_update_messages(update)
                self._queue.append(update)
                self._update_timings[update_id] = UpdateTiming(
                    update_id, self._update_chat_id(update), now, None
                )
                ids.append(update_id)
            self._cond.notify_all()
        return ids

    def push_message(self, text: str, **kwargs: Any) -> int:
        """Shortcut for ``push_update(message_update(text, **kwargs))``."""
        return self.push_update(self.message_update(text, **kwargs))

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by a ``getUpdates`` offset."""
        with self._lock:
            return list(self._queue)

    @staticmethod
    def _update_type(update: dict[str, Any]) -> str:
        return next((k for k in update if k != "update_id"), "")

    def _update_chat_id(self, update: dict[str, Any]) -> int | None:
        body = update.get(self._update_type(update))
        if not isinstance(body, dict):
            return None
        if isinstance(body.get("chat"), dict):
            return body["chat"].get("id")
        message = body.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return message["chat"].get("id")
        sender = body.get("from")
        if isinstance(sender, dict):
            return sender.get("id")
        return None

    def _remember_update_messages(self, update: dict[str, Any]) -> None:
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if isinstance(message, dict) and "chat" in message and "message_id" in message:
                self._chats[message["chat"]["id"]] = message["chat"]
                self._store_message(message)
        callback = update.get("callback_query")
        if isinstance(callback, dict) and isinstance(callback.get("message"), dict):
            message = callback["message"]
            if (message["chat"]["id"], message["message_id"]) not in self._messages:
                self._store_message(message)

    def _store_message(self, message: dict[str, Any]) -> None:
        chat_id = message["chat"]["id"]
        self._chats.setdefault(chat_id, message["chat"])
        self._messages[(chat_id, message["message_id"])] = message
        nxt = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = max(nxt, message["message_id"] + 1)
        sender = message.get("from")
        if isinstance(sender, dict) and sender.get("id") == BOT_USER["id"]:
            self._last_bot_message[chat_id] = message["message_id"]

    def _get_updates(self, call: Call) -> list[dict[str, Any]]:
        params = call.params
        client_alive = call._client_alive or (lambda: True)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = list(allowed) if allowed else None
        self._poll_generation += 1
        generation = self._poll_generation
        self._confirm(offset)
        deadline = time.monotonic() + timeout
        while True:
            if self._in_outage(call.method):
                batch = []  # a poll waiting when an outage starts ends empty; the next fails
                break
            batch = self._deliverable(limit)
            if batch or self._stopped:
                break
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not client_alive():
                break
            self._cond.wait(min(remaining, 0.25))
        now = time.monotonic()
        for update in batch:
            timing = self._update_timings.get(update["update_id"])
            if timing is not None and timing.handed_out_at is None:
                self._update_timings[update["update_id"]] = UpdateTiming(
                    timing.update_id, timing.chat_id, timing.pushed_at, now
                )
        return batch

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            while self._queue and self._queue[0]["update_id"] < offset:
                self._queue.popleft()
        elif offset < 0:
            while len(self._queue) > -offset:
                self._queue.popleft()

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        allowed = self._allowed_updates
        kept: deque[dict[str, Any]] = deque()
        for update in self._queue:
            kind = self._update_type(update)
            if (kind in allowed) if allowed else (kind not in _NOT_DELIVERED_BY_DEFAULT):
                kept.append(update)
        self._queue = kept  # the real API never stores updates the bot does not want
        return list(itertools.islice(kept, limit))

    # ---------------------------------------------------------------- update builders

    def user(
        self,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = _DEFAULT_FIRST_NAME,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nb",
    ) -> dict[str, Any]:
        """A (non-bot) User object."""
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._lock:
            self._users[user_id] = user
        return user

    def _chat_object(self, chat_id: int, chat_type: str, user: dict[str, Any]) -> dict[str, Any]:
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    chat[key] = user[key]
            return chat
        with self._lock:
            known = self._chats.get(chat_id)
        if known is not None and known.get("type") == chat_type:
            return known
        return {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}

    def _next_id(self, chat_id: int) -> int:
        with self._lock:
            message_id = self._next_message_id.get(chat_id, 1)
            self._next_message_id[chat_id] = message_id + 1
            return message_id

    def _base_message(
        self,
        user_id: int,
        chat_id: int | None,
        chat_type: str,
        language_code: str | None,
        first_name: str,
        reply_to_message: dict[str, Any] | int | None,
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        sender = self.user(user_id, first_name=first_name, language_code=language_code)
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else _DEFAULT_GROUP_CHAT_ID
        chat = self._chat_object(chat_id, chat_type, sender)
        message: dict[str, Any] = {
            "message_id": self._next_id(chat_id),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        if isinstance(reply_to_message, int):
            with self._lock:
                found = self._messages.get((chat_id, reply_to_message))
            if found is None:
                raise KeyError(f"no message {reply_to_message} in chat {chat_id}")
            message["reply_to_message"] = found
        elif reply_to_message is not None:
            message["reply_to_message"] = reply_to_message
        message.update(extra)
        return message

    def message_update(
        self,
        text: str,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "nb",
        first_name: str = _DEFAULT_FIRST_NAME,
        reply_to_message: dict[str, Any] | int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A ``message`` update with ``text`` (not queued; see :meth:`push_update`).

        ``chat_id`` defaults to ``user_id`` in private chats (and to a supergroup id
        otherwise). A leading ``/command`` gets a ``bot_command`` entity and every ``@username``
        a ``mention`` entity, as Telegram adds them, unless ``entities`` is given.
        ``reply_to_message`` is a message dict or the id of a known message in the chat.
        ``extra`` keys are added to the message object.
        """
        message = self._base_message(
            user_id, chat_id, chat_type, language_code, first_name, reply_to_message, extra
        )
        message["text"] = text
        if "entities" not in extra:
            entities = _text_entities(text)
            if entities:
                message["entities"] = entities
        return {"message": message}

    def message_update_with(
        self,
        kind: str,
        payload: Any = None,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "nb",
        first_name: str = _DEFAULT_FIRST_NAME,
        reply_to_message: dict[str, Any] | int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A ``message`` update carrying a non-text ``kind`` of content.

        ``kind`` is one of ``sticker``, ``photo``, ``location``, ``voice``, ``document``,
        ``contact``, ``audio``, ``video``, ``venue`` (or any other message field, in which case
        ``payload`` is required). ``payload`` is merged over a plausible default (for ``photo``
        it replaces the list of sizes). Pass ``caption=...`` via ``extra`` where applicable.
        """
        message = self._base_message(
            user_id, chat_id, chat_type, language_code, first_name, reply_to_message, extra
        )
        default = self._default_payload(kind)
        if default is None and payload is None:
            raise ValueError(f"no default payload for message kind {kind!r}; pass payload")
        if isinstance(default, dict) and isinstance(payload, dict):
            content: Any = {**default, **payload}
        else:
            content = payload if payload is not None else default
        message[kind] = content
        return {"message": message}

    def _new_file_ids(self) -> tuple[str, str]:
        n = next(self._file_counter)
        return f"STANDIN-file-{n:06d}", f"uniq{n:06d}"

    def _default_payload(self, kind: str) -> Any:
        file_id, unique = self._new_file_ids()
        file_ids = {"file_id": file_id, "file_unique_id": unique}
        defaults: dict[str, Any] = {
            "sticker": {
                **file_ids,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
                "file_size": 24_000,
            },
            "photo": [
                {**file_ids, "width": 90, "height": 67, "file_size": 1_200},
                {
                    "file_id": file_id + "-x",
                    "file_unique_id": unique + "x",
                    "width": 1280,
                    "height": 960,
                    "file_size": 180_000,
                },
            ],
            "location": {"latitude": 59.6689, "longitude": 9.6502},
            "voice": {**file_ids, "duration": 3, "mime_type": "audio/ogg", "file_size": 9_000},
            "audio": {**file_ids, "duration": 30, "mime_type": "audio/mpeg", "file_size": 480_000},
            "video": {
                **file_ids,
                "width": 640,
                "height": 360,
                "duration": 5,
                "mime_type": "video/mp4",
                "file_size": 800_000,
            },
            "document": {
                **file_ids,
                "file_name": "skjema.pdf",
                "mime_type": "application/pdf",
                "file_size": 52_000,
            },
            "contact": {"phone_number": "+4732299000", "first_name": "Kongsberg kommune"},
            "venue": {
                "location": {"latitude": 59.6689, "longitude": 9.6502},
                "title": "Kongsberg rådhus",
                "address": "Kirkegata 1, 3616 Kongsberg",
            },
        }
        return defaults.get(kind)

    def callback_update(
        self,
        data: str,
        message_id: int | None = None,
        chat_id: int | None = None,
        user_id: int = DEFAULT_USER_ID,
        first_name: str = _DEFAULT_FIRST_NAME,
        language_code: str | None = "nb",
    ) -> dict[str, Any]:
        """A ``callback_query`` update for a button press on a bot message.

        ``message`` is the known bot message ``message_id`` in the chat, by default the bot's
        latest message there; if there is none, a bot message is made up.
        """
        sender = self.user(user_id, first_name=first_name, language_code=language_code)
        if chat_id is None:
            chat_id = user_id
        with self._lock:
            if message_id is None:
                message_id = self._last_bot_message.get(chat_id)
            message = self._messages.get((chat_id, message_id)) if message_id is not None else None
        if message is None:
            chat_type = "private" if chat_id > 0 else "supergroup"
            message = {
                "message_id": message_id if message_id is not None else self._next_id(chat_id),
                "from": dict(BOT_USER),
                "chat": self._chat_object(chat_id, chat_type, sender),
                "date": int(time.time()),
                "text": "…",
            }
        return {
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": sender,
                "chat_instance": str(abs(chat_id) * 7 + 11),
                "data": data,
                "message": message,
            }
        }

    def inline_update(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str | None = "sender",
        first_name: str = _DEFAULT_FIRST_NAME,
        language_code: str | None = "nb",
    ) -> dict[str, Any]:
        """An ``inline_query`` update."""
        inline: dict[str, Any] = {
            "id": str(next(self._inline_ids)),
            "from": self.user(user_id, first_name=first_name, language_code=language_code),
            "query": query,
            "offset": offset,
        }
        if chat_type:
            inline["chat_type"] = chat_type
        return {"inline_query": inline}

    # ---------------------------------------------------------------- method implementations

    def _builtin_methods(self) -> dict[str, MethodHandler]:
        true: MethodHandler = lambda call: True  # noqa: E731
        return {
            "getMe": lambda call: dict(BOT_USER),
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "sendMessage": self._send_message,
            "sendContact": self._send_contact,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendLocation": self._send_location,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "close": true,
            "logOut": true,
        }

    @staticmethod
    def _require(params: dict[str, Any], name: str, description: str | None = None) -> Any:
        value = params.get(name)
        if value is None or value == "":
            raise ApiError(400, description or f'Bad Request: parameter "{name}" is required')
        return value

    def _chat_key(self, chat_id: int | str) -> int:
        if isinstance(chat_id, int):
            return chat_id
        if isinstance(chat_id, str) and re.fullmatch(r"-?\d+", chat_id):
            return int(chat_id)
        if isinstance(chat_id, str) and chat_id.startswith("@") and len(chat_id) > 1:
            with self._lock:
                fake = -1_009_000_000_000 - len(self._channel_ids)
                chat = self._channel_ids.setdefault(chat_id.lower(), fake)
                self._chats.setdefault(
                    chat,
                    {"id": chat, "type": "channel", "title": chat_id[1:], "username": chat_id[1:]},
                )
                return chat
        raise ApiError(400, "Bad Request: chat not found")

    def _chat_for_send(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_key(self._require(params, "chat_id", "Bad Request: chat_id is empty"))
        known = self._chats.get(chat_id)
        if known is not None:
            return known
        if chat_id > 0:
            user = self._users.get(chat_id, {"first_name": f"User {chat_id}"})
            return self._chat_object(chat_id, "private", user)
        chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}

    @staticmethod
    def _check_reply_markup(markup: Any) -> dict[str, Any] | None:
        """Validate ``reply_markup``; return what the sent message echoes (inline keyboards)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        keyboard = markup.get("inline_keyboard")
        if keyboard is None:
            return None  # reply keyboards, remove/force reply: not part of the message
        for row in keyboard:
            for button in row:
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_bot_message(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat_for_send(params)
        markup = self._check_reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._next_id(chat["id"]),
            "from": dict(BOT_USER),
            "chat": chat,
            "date": int(time.time()),
        }
        reply_to = params.get("reply_parameters") or {}
        reply_id = reply_to.get("message_id") if isinstance(reply_to, dict) else None
        reply_id = reply_id or params.get("reply_to_message_id")
        if reply_id is not None:
            original = self._messages.get((chat["id"], int(reply_id)))
            if original is not None:
                message["reply_to_message"] = original
            elif self.check_replies and not (
                    isinstance(reply_to, dict) and reply_to.get("allow_sending_without_reply")):
                raise ApiError(400, "Bad Request: message to be replied not found")
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        self._store_message(message)
        return message

    def _send_message(self, call: Call) -> dict[str, Any]:
        params = call.params
        self._chat_for_send(params)
        text = params.get("text")
        if text is None or str(text).strip() == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = str(text)
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        self._check_parse_mode(params, text)
        content: dict[str, Any] = {"text": text}
        if isinstance(params.get("entities"), list):
            content["entities"] = params["entities"]
        if isinstance(params.get("link_preview_options"), dict):
            content["link_preview_options"] = params["link_preview_options"]
        return self._new_bot_message(params, content)

    def _check_parse_mode(self, params: dict[str, Any], text: str) -> None:
        """With ``check_html``: refuse HTML text that Telegram could not parse."""
        if not self.check_html or str(params.get("parse_mode") or "").upper() != "HTML":
            return
        problem = telegram_html_problem(text)
        if problem:
            raise ApiError(400, f"Bad Request: can't parse entities: {problem}")

    def _send_contact(self, call: Call) -> dict[str, Any]:
        params = call.params
        contact = {
            "phone_number": str(self._require(params, "phone_number")),
            "first_name": str(self._require(params, "first_name")),
        }
        for key in ("last_name", "vcard"):
            if params.get(key):
                contact[key] = str(params[key])
        return self._new_bot_message(params, {"contact": contact})

    def _uploaded_or_reference(self, call: Call, field_name: str) -> dict[str, Any]:
        """Describe the file sent in ``field_name`` (upload, ``attach://`` or file id/URL)."""
        value = call.params.get(field_name)
        upload = call.files.get(field_name)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value.removeprefix("attach://"))
        if upload is not None:
            file_id, unique = self._new_file_ids()
            info: dict[str, Any] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_size": len(upload.data),
            }
            if upload.filename:
                info["file_name"] = upload.filename
            if upload.content_type:
                info["mime_type"] = upload.content_type
            self._files[file_id] = (info, upload.data)
            return info
        if isinstance(value, str) and value:
            if value in self._files:
                return dict(self._files[value][0])
            return {"file_id": value, "file_unique_id": "u" + str(abs(hash(value)))[:12]}
        raise ApiError(400, f"Bad Request: there is no {field_name} in the request")

    def _caption(self, params: dict[str, Any]) -> dict[str, Any]:
        caption = params.get("caption")
        if caption is None or caption == "":
            return {}
        if len(str(caption)) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        return {"caption": str(caption)}

    def _send_document(self, call: Call) -> dict[str, Any]:
        self._chat_for_send(call.params)
        info = self._uploaded_or_reference(call, "document")
        return self._new_bot_message(call.params, {"document": info, **self._caption(call.params)})

    def _send_photo(self, call: Call) -> dict[str, Any]:
        self._chat_for_send(call.params)
        info = self._uploaded_or_reference(call, "photo")
        base = {k: info[k] for k in ("file_id", "file_unique_id")}
        sizes = [
            {
                **base,
                "file_id": base["file_id"] + "-s",
                "width": 90,
                "height": 90,
                "file_size": min(info.get("file_size", 1000), 1000),
            },
            {**base, "width": 800, "height": 800, "file_size": info.get("file_size", 50_000)},
        ]
        return self._new_bot_message(call.params, {"photo": sizes, **self._caption(call.params)})

    def _send_location(self, call: Call) -> dict[str, Any]:
        params = call.params
        location = {
            "latitude": float(self._require(params, "latitude")),
            "longitude": float(self._require(params, "longitude")),
        }
        return self._new_bot_message(params, {"location": location})

    def _find_bot_message(self, params: dict[str, Any], action: str) -> dict[str, Any] | None:
        """The stored message addressed by ``chat_id``+``message_id`` (``None`` if inline)."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._chat_key(self._require(params, "chat_id", "Bad Request: chat_id is empty"))
        message_id = int(
            self._require(params, "message_id", "Bad Request: message identifier is not specified")
        )
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, f"Bad Request: message to {action} not found")
        if message.get("from", {}).get("id") != BOT_USER["id"]:
            raise ApiError(400, f"Bad Request: message can't be {action}ed")
        return message

    def _edit_message_text(self, call: Call) -> dict[str, Any] | bool:
        params = call.params
        text = params.get("text")
        if text is None or str(text).strip() == "":
            raise ApiError(400, "Bad Request: message text is empty")
        self._check_parse_mode(params, str(text))
        markup = self._check_reply_markup(params.get("reply_markup"))
        message = self._find_bot_message(params, "edit")
        if message is None:
            return True
        if message.get("text") == str(text) and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        edited = {k: v for k, v in message.items() if k not in ("reply_markup", "entities")}
        edited["text"] = str(text)
        edited["edit_date"] = int(time.time())
        if isinstance(params.get("entities"), list):
            edited["entities"] = params["entities"]
        if markup is not None:
            edited["reply_markup"] = markup
        self._messages[(edited["chat"]["id"], edited["message_id"])] = edited
        return edited

    def _edit_message_reply_markup(self, call: Call) -> dict[str, Any] | bool:
        params = call.params
        markup = self._check_reply_markup(params.get("reply_markup"))
        message = self._find_bot_message(params, "edit")
        if message is None:
            return True
        if message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        edited = {k: v for k, v in message.items() if k != "reply_markup"}
        edited["edit_date"] = int(time.time())
        if markup is not None:
            edited["reply_markup"] = markup
        self._messages[(edited["chat"]["id"], edited["message_id"])] = edited
        return edited

    def _delete_message(self, call: Call) -> bool:
        params = call.params
        chat_id = self._chat_key(self._require(params, "chat_id", "Bad Request: chat_id is empty"))
        message_id = int(
            self._require(params, "message_id", "Bad Request: message identifier is not specified")
        )
        if self._messages.pop((chat_id, message_id), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _answer_callback_query(self, call: Call) -> bool:
        self._require(
            call.params,
            "callback_query_id",
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
        if len(str(call.params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _answer_inline_query(self, call: Call) -> bool:
        params = call.params
        self._require(
            params,
            "inline_query_id",
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type") or not result.get("id"):
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if result["id"] in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result["id"])
        return True

    def _send_chat_action(self, call: Call) -> bool:
        self._chat_for_send(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _get_file(self, call: Call) -> dict[str, Any]:
        file_id = str(self._require(call.params, "file_id"))
        stored = self._files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        info, _ = stored
        path = self._file_paths.setdefault(file_id, f"documents/{file_id}")
        return {
            "file_id": file_id,
            "file_unique_id": info["file_unique_id"],
            "file_size": info.get("file_size", 0),
            "file_path": path,
        }

    def _file_content(self, path: str) -> bytes | None:
        with self._lock:
            for file_id, file_path in self._file_paths.items():
                if file_path == path:
                    return self._files[file_id][1]
        return None

    # webhooks, commands, menu button

    def _set_webhook(self, call: Call) -> bool:
        params = call.params
        url = params.get("url") or ""
        if url and not str(url).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if params.get("drop_pending_updates"):
            self._queue.clear()
        self._webhook = {"url": url, **{k: v for k, v in params.items() if k != "url"}}
        return True

    def _delete_webhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._queue.clear()
        self._webhook = {}
        return True

    def _get_webhook_info(self, call: Call) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self._webhook.get("url"):
            info["max_connections"] = self._webhook.get("max_connections", 40)
            if self._webhook.get("allowed_updates"):
                info["allowed_updates"] = self._webhook["allowed_updates"]
        return info

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, call: Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be non-empty")
        self._commands[self._scope_key(call.params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _get_my_commands(self, call: Call) -> list[dict[str, Any]]:
        return list(self._commands.get(self._scope_key(call.params), []))

    def _delete_my_commands(self, call: Call) -> bool:
        self._commands.pop(self._scope_key(call.params), None)
        return True

    def commands(
        self, language_code: str = "", scope: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The bot commands currently set for ``scope``/``language_code``."""
        key = self._scope_key({"scope": scope, "language_code": language_code})
        with self._lock:
            return list(self._commands.get(key, []))

    def _set_chat_menu_button(self, call: Call) -> bool:
        button = call.params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise ApiError(400, "Bad Request: can't parse menu button JSON object")
        chat_id = call.params.get("chat_id")
        self._menu_buttons[self._chat_key(chat_id) if chat_id is not None else None] = button
        return True

    def _get_chat_menu_button(self, call: Call) -> dict[str, Any]:
        chat_id = call.params.get("chat_id")
        key = self._chat_key(chat_id) if chat_id is not None else None
        return dict(
            self._menu_buttons.get(key) or self._menu_buttons.get(None) or {"type": "default"}
        )

    def menu_button(self, chat_id: int | None = None) -> dict[str, Any] | None:
        """The menu button set for ``chat_id`` (``None``: the default one), if any."""
        with self._lock:
            return self._menu_buttons.get(chat_id)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The current state of a stored message (after edits), or ``None`` if unknown/deleted."""
        with self._lock:
            return self._messages.get((chat_id, message_id))

    # ---------------------------------------------------------------- service checks

    def lack_method(self, name: str, error_code: int = 404) -> None:
        """Be a Bot API server without method ``name``: every call to it answers ``error_code``
        (404 "Not Found", as a server that lacks the method does, or e.g. 500)."""
        description = (
            "Not Found: method not found" if error_code == 404
            else f"{HTTPStatus(error_code).phrase}: {name} is not available"
        )

        def missing(call: Call) -> Any:
            raise ApiError(error_code, description)

        self.set_method(name, missing)

    def begin_outage(self, method: str = "*", fault: Fault | None = None) -> None:
        """An outage of any length: every request to ``method`` fails with ``fault`` (default:
        a dropped connection) until :meth:`end_outage` (or :meth:`clear_faults`)."""
        self.outage(method, fault or DropConnection(), math.inf)

    def end_outage(self, method: str = "*") -> None:
        """End the outage of ``method`` (other outages and injected faults stay)."""
        with self._lock:
            self._outages.pop(method.lower(), None)

    def answer_callback_queries_once(self) -> None:
        """Refuse a second ``answerCallbackQuery`` for the same query, as Telegram does (400
        "query is too old ... or query ID is invalid"); :meth:`callback_answers` counts them."""
        _, answer = self._methods["answercallbackquery"]
        answered: set[str] = set()

        def answer_once(call: Call) -> Any:
            query_id = str(call.params.get("callback_query_id"))
            if query_id in answered:
                raise ApiError(400, "Bad Request: query is too old and response timeout "
                               "expired or query ID is invalid")
            result = answer(call)
            answered.add(query_id)
            return result

        self.set_method("answerCallbackQuery", answer_once)

    def callback_answers(self) -> Counter[str]:
        """How many ``answerCallbackQuery`` requests each callback query id got."""
        return Counter(str(call.params.get("callback_query_id"))
                       for call in self.calls("answerCallbackQuery"))


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the stand-in in the foreground; lines typed on stdin are pushed as text messages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--user-id", type=int, default=DEFAULT_USER_ID, help="sender of messages typed on stdin"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print every request")
    args = parser.parse_args(argv)

    standin = BotApiStandIn(args.port, args.host)

    def show(call: Call) -> None:
        if args.quiet or (call.method == "getUpdates" and not call.result):
            return
        print(f"<- {call.summary()}", flush=True)

    standin.add_listener(show)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def read_stdin() -> None:
        for line in sys.stdin:
            text = line.rstrip("\n")
            if text:
                update_id = standin.push_message(text, user_id=args.user_id)
                print(f"-> update {update_id}: {text}", flush=True)

    with standin:
        print(standin.base_url, flush=True)
        print(
            f"export TELEGRAM_API_BASE_URL={standin.base_url} "
            f"TELEGRAM_BOT_TOKEN={TEST_TOKEN}\n"
            f"Type a line to send it as user {args.user_id}; Ctrl-C to stop.",
            file=sys.stderr,
            flush=True,
        )
        threading.Thread(target=read_stdin, name="stdin", daemon=True).start()
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
