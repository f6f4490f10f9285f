"""Logging set-up that never writes the bot token.

The token is part of every Bot API URL, so the `httpx` logger is kept at WARNING, and a filter
on every handler replaces the token wherever it would still appear (messages, arguments,
tracebacks), at every level including DEBUG.
"""

from __future__ import annotations

import logging
import re

_TOKEN_SHAPE = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{30,}")
REDACTED = "[token]"


class RedactingFilter(logging.Filter):
    """Replaces the configured token, and anything shaped like a bot token, in log records."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret)

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


def setup_logging(level: str = "INFO", secrets: tuple[str, ...] = ()) -> None:
    """Log to standard error with timestamps; quiet the HTTP libraries; redact secrets."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
