"""Tests for bot/localtime.py: the number of days an editor's command asks for."""

from __future__ import annotations

import pytest

from bot.localtime import MAX_DAYS, parse_days


@pytest.mark.parametrize(("text", "expected"), [
    (None, 30), ("", 30), ("  ", 30), ("7", 7), (" 14 ", 14), ("1", 1), (str(MAX_DAYS), MAX_DAYS),
])
def test_a_number_of_days_or_the_default(text: str | None, expected: int) -> None:
    assert parse_days(text, 30) == expected


@pytest.mark.parametrize("text", [
    "0", str(MAX_DAYS + 1), "-3", "+3", "7.5", "sju", "³", "²³", "①", "٣", "７", "𝟕", "3\u200b",
])
def test_anything_else_is_invalid_and_never_raises(text: str) -> None:
    assert parse_days(text, 30) is None
