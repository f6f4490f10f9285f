"""Button (callback) data: short, versioned, and validated before anything acts on it.

Format: `1:<action>:<language>:<entry id>[:<extra>]`, at most 64 bytes (Telegram's limit).

    1:e:nb:council.members          open an entry (related entries, menus)
    1:p:nb:contact.tinn:42          a chosen suggestion for logged question 42
    1:n:nb:-:42                     "none of these" for logged question 42
    1:c:nb:contact.notodden         send the contact card
    1:f:nb:council.founded:+42      feedback (+ or -) on the answer to logged question 42

Anything else, including data from an older version of the bot or a forged press, decodes to
None, and the handler answers politely without acting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
ACTIONS = {"e": "open", "p": "pick", "n": "none", "c": "card", "f": "feedback"}
LANGUAGES = ("nb", "nn", "en")
NO_ENTRY = "-"
_ENTRY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$|^-$")
_EXTRA = re.compile(r"^[+-]?\d{0,12}$")


@dataclass(frozen=True)
class Callback:
    """A decoded button press."""

    action: str
    language: str
    entry_id: str
    extra: str = ""

    @property
    def question_ref(self) -> int | None:
        """The logged question's id carried by pick/none/feedback buttons, if any."""
        digits = self.extra.lstrip("+-")
        return int(digits) if digits else None

    @property
    def vote(self) -> int:
        """+1 or -1 for feedback buttons, else 0."""
        return {"+": 1, "-": -1}.get(self.extra[:1], 0) if self.action == "feedback" else 0


def encode(action: str, language: str, entry_id: str = NO_ENTRY, extra: str = "") -> str:
    """Callback data for a button; raises ValueError if it would not be valid."""
    code = next(code for code, name in ACTIONS.items() if name == action)
    data = ":".join(part for part in (VERSION, code, language, entry_id, extra) if part != "")
    if decode(data) is None:
        raise ValueError(f"invalid callback data: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The button press, or None for anything malformed, stale or forged."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) not in (4, 5) or parts[0] != VERSION:
        return None
    _, code, language, entry_id, *rest = parts
    extra = rest[0] if rest else ""
    if code not in ACTIONS or language not in LANGUAGES or not _ENTRY.match(entry_id):
        return None
    if not _EXTRA.match(extra):
        return None
    return Callback(ACTIONS[code], language, entry_id, extra)
