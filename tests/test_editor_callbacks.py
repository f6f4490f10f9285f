"""Tests for the editors' callback data in bot/callbacks.py: versioned, short, validated."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    MAX_BYTES,
    EditorCallback,
    decode,
    decode_editor,
    encode_editor,
    is_editor_data,
)


@pytest.mark.parametrize(("action", "days", "number", "entry_id"), [
    ("page", 30, 2, ""), ("back", 7, 1203, ""), ("resolve", 30, 1203, ""),
    ("ignore", 3650, 9_999_999_999_999, ""), ("variant", 1, 0, ""), ("search", 30, 5, ""),
    ("add", 30, 1203, "contact.nore_og_uvdal"), ("save", 30, 1203, ""),
])
def test_round_trip(action: str, days: int, number: int, entry_id: str) -> None:
    data = encode_editor(action, days, number, entry_id)
    assert len(data.encode()) <= MAX_BYTES
    assert is_editor_data(data)
    assert decode_editor(data) == EditorCallback(action, days, number, entry_id)
    assert decode(data) is None, "an editor's button is never a user's button"


@pytest.mark.parametrize("data", [
    None, "", "e1", "e2:pg:30:1", "e1:zz:30:1", "e1:pg:0:1", "e1:pg:3651:1", "e1:pg:-1:1",
    "e1:pg:30:abc", "e1:pg:30:1:council.about", "e1:to:30:1", "e1:to:30:1:Bad.Id",
    "e1:to:30:1:" + "a" * 60, "e1:ok:30:9223372036854775808", "1:e:nb:council.about",
    "e1:ok:30:1:x:y", "e1:sv:30:1:contact.tinn", "e1:sv:30",
])
def test_malformed_or_forged_data_is_refused(data: str | None) -> None:
    assert decode_editor(data) is None


def test_encode_refuses_what_would_not_fit() -> None:
    with pytest.raises(ValueError):
        encode_editor("add", 30, 1, "x" * 60)
    with pytest.raises(ValueError):
        encode_editor("page", 0, 1)
