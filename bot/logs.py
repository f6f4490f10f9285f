"""Logging set-up that never writes the bot token, nor residents' data at DEBUG.

The token is part of every Bot API URL, so the HTTP clients' loggers are kept at WARNING, and
a filter on every handler replaces the token wherever it would still appear (messages, arguments,
tracebacks), at every level including DEBUG. The filter replaces only secrets of at least
`MIN_REDACTED_CHARS` characters: a short one would mangle ordinary words in the log.

At DEBUG, python-telegram-bot logs every update whole (user ids, names, usernames, unmasked
text) and aiosqlite every statement with its rows; so these libraries stay at INFO whatever the
bot's own level, unless `wire_debug` asks for their DEBUG output.
"""

from __future__ import annotations

import logging
import re

from telegram.error import InvalidToken, TelegramError

_TOKEN_SHAPE = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{30,}")
REDACTED = "[token]"
MIN_REDACTED_CHARS = 16
# Libraries whose DEBUG output carries residents' data; held at INFO unless wire_debug.
WIRE_LOGGERS = ("telegram", "aiosqlite")
# The HTTP libraries log request URLs, which carry the token; held at WARNING.
HTTP_LOGGERS = ("aiohttp", "httpx", "httpcore")


class RedactingFilter(logging.Filter):
    """Replaces the configured token, and anything shaped like a bot token, in log records."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if len(secret) >= MIN_REDACTED_CHARS)

    def redact(self, text: str) -> str:
        """`text` with every secret and token-shaped string replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class ShortTokenErrors(logging.Filter):
    """A token Telegram rejects is logged in one line, not with python-telegram-bot's chained
    traceback: the cause is the configuration, and `bot.app.run_bot` says what to check."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):
            record.msg = f"{record.getMessage()} ({type(error).__name__})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class OneLineLibraryErrors(logging.Filter):
    """python-telegram-bot's own error records about Telegram's answers in one line.

    Its retry loop logs a traceback before it gives up at start-up ("... Aborting."), and then
    raises: `bot.app.run_bot` reports the failure in one line naming the call and the server,
    so the record is dropped. Any other record of the library's about a `TelegramError` (a
    network error, Telegram's refusal) keeps its message and the error's, without the
    traceback: the cause is outside the bot, and the stack says nothing about it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("telegram"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, TelegramError):
            return True
        if record.getMessage().endswith("Aborting."):
            return False
        record.msg = f"{record.getMessage()} ({type(error).__name__}: {error.message})"
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return True


def setup_logging(
    level: str = "INFO", secrets: tuple[str, ...] = (), *, wire_debug: bool = False
) -> None:
    """Log to standard error with timestamps; redact secrets; keep the libraries that log
    tokens or residents' data quiet unless `wire_debug` (see the module docstring)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ShortTokenErrors())
    handler.addFilter(OneLineLibraryErrors())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in WIRE_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if wire_debug
                                         else max(logging.INFO, root.level))
    for name in HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if wire_debug else logging.WARNING)
