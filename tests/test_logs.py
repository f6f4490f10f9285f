"""Tests for bot/logs.py: secrets redacted (only long ones), libraries' DEBUG output held back."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.logs import REDACTED, RedactingFilter, setup_logging

LIBRARIES = ("telegram", "telegram.ext.Application", "aiosqlite", "httpx", "httpcore")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Leave the root logger and the libraries' levels as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in LIBRARIES}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def test_secrets_of_16_characters_or_more_are_redacted() -> None:
    secret = "k" * 16
    assert RedactingFilter((secret,)).redact(f"key={secret}!") == f"key={REDACTED}!"


@pytest.mark.parametrize("secret", ["og", "kommune", "x" * 15])
def test_short_secrets_do_not_mangle_ordinary_log_text(secret: str) -> None:
    text = "Question log: og kommune xxxxxxxxxxxxxxx written"
    assert RedactingFilter((secret,)).redact(text) == text


def test_a_token_is_redacted_by_its_shape_even_when_not_configured() -> None:
    token = "123456:" + "A" * 35
    assert token not in RedactingFilter().redact(f"url /bot{token}/getMe")


def effective(name: str) -> int:
    return logging.getLogger(name).getEffectiveLevel()


def test_at_debug_the_libraries_that_log_updates_and_rows_stay_at_info() -> None:
    setup_logging("DEBUG")
    assert effective("bot.app") == logging.DEBUG
    assert effective("telegram.ext.Application") == logging.INFO
    assert effective("aiosqlite") == logging.INFO
    assert effective("httpx") == effective("httpcore") == logging.WARNING


def test_a_quieter_level_holds_for_the_libraries_too() -> None:
    setup_logging("ERROR")
    assert effective("telegram") == logging.ERROR


def test_wire_debug_lets_the_libraries_log_at_debug() -> None:
    setup_logging("DEBUG", wire_debug=True)
    for name in LIBRARIES:
        assert effective(name) == logging.DEBUG, name
