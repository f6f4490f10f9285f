"""Button (callback) data: short, versioned, and validated before anything acts on it.

Format: `1:<action>:<language>:<entry id>[:<extra>]`, at most 64 bytes (Telegram's limit).
Question ids are up to 19 digits (63 bits, `bot.storage.new_question_id`); the short ones
below are examples.

    1:e:nb:council.members          open an entry (related entries, menus)
    1:p:nb:contact.tinn:42          a chosen suggestion for logged question 42
    1:n:nb:-:42                     "none of these" for logged question 42
    1:c:nb:contact.notodden         send the contact card
    1:f:nb:council.founded:+42      feedback (+ or -) on the answer to logged question 42
    1:w:nb:-:42                     consent: "Vil du ha svar fra redaksjonen her?" for 42
    1:r:nb:-:+42                    feedback (+ or -) on the editors' answer to question 42

Anything else, including data from an older version of the bot or a forged press, decodes to
None, and the handler answers politely without acting. Well-formed data names a question but
proves nothing: a pick, "none of these" or 👍/👎 is acted on only when the presser asked that
question (`handlers/buttons.py`, `QuestionLog.is_asker`); so is a consent, which also stores
the chat it was pressed in, never another (`handlers/followup.py`).

Editors' buttons have a namespace and version of their own, `e1`, and are acted on only when an
editor presses them (`handlers/editors.py`); for anyone else they get the same polite answer
as a stale button. Format: `e1:<action>:<days>:<question id>[:<entry id>]`, where the days are
the review list's period and the question id names a group of the list (any of its questions).

    e1:pg:30:2                      page 2 of the review list of the last 30 days
    e1:bk:30:1203                   back to the page holding question 1203's group
    e1:ok:30:1203                   mark 1203's group resolved
    e1:ig:30:1203                   ignore 1203's group
    e1:ad:30:1203                   "add as variant": choose the entry that should have answered
    e1:sk:30:1203                   search for that entry by typing
    e1:to:30:1203:contact.tinn      add 1203's group's question to entry contact.tinn: show the
                                    text that would be saved, for the editor to change
    e1:sv:30:1203                   save that (possibly changed) text
    e1:sa:30:1203                   Svar: write the answer for those waiting in 1203's group
    e1:as:30:1203                   send the previewed answer to them, mark the group resolved
    e1:av:30:1203                   send it, then "add as variant" for the group
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERSION = "1"
MAX_BYTES = 64
ACTIONS = {
    "e": "open", "p": "pick", "n": "none", "c": "card", "f": "feedback", "w": "followup",
    "r": "answer_feedback",
}
VOTING = ("feedback", "answer_feedback")
LANGUAGES = ("nb", "nn", "en")
NO_ENTRY = "-"
_ENTRY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$|^-$")
_EXTRA = re.compile(r"^[+-]?[0-9]{0,19}$")
MAX_QUESTION_ID = 2**63 - 1  # SQLite's largest integer


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
        return {"+": 1, "-": -1}.get(self.extra[:1], 0) if self.action in VOTING else 0


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
    if not _EXTRA.match(extra) or int(extra.lstrip("+-") or 0) > MAX_QUESTION_ID:
        return None
    return Callback(ACTIONS[code], language, entry_id, extra)


EDITOR_VERSION = "e1"
EDITOR_ACTIONS = {
    "pg": "page", "bk": "back", "ok": "resolve", "ig": "ignore", "ad": "variant",
    "sk": "search", "to": "add", "sv": "save", "sa": "answer", "as": "send",
    "av": "send_variant",
}
MAX_DAYS = 3650
_NUMBER = re.compile(r"^[0-9]{1,19}$")
_ENTRY_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


@dataclass(frozen=True)
class EditorCallback:
    """A decoded editor's button press."""

    action: str
    days: int
    number: int
    entry_id: str = ""


def is_editor_data(data: str | None) -> bool:
    """Whether callback data claims to be an editor's button (valid or not)."""
    return bool(data) and data.startswith(EDITOR_VERSION + ":")


def encode_editor(action: str, days: int, number: int, entry_id: str = "") -> str:
    """Callback data for an editor's button; raises ValueError if it would not be valid."""
    code = next(code for code, name in EDITOR_ACTIONS.items() if name == action)
    parts = [EDITOR_VERSION, code, str(days), str(number)] + ([entry_id] if entry_id else [])
    data = ":".join(parts)
    if decode_editor(data) is None:
        raise ValueError(f"invalid editor callback data: {data!r}")
    return data


def decode_editor(data: str | None) -> EditorCallback | None:
    """The editor's button press, or None for anything malformed, stale or forged."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) not in (4, 5) or parts[0] != EDITOR_VERSION:
        return None
    _, code, days, number, *rest = parts
    action = EDITOR_ACTIONS.get(code)
    if action is None or not _NUMBER.match(days) or not _NUMBER.match(number):
        return None
    if not 1 <= int(days) <= MAX_DAYS or int(number) > MAX_QUESTION_ID:
        return None
    entry_id = rest[0] if rest else ""
    if (action == "add") != bool(entry_id) or (entry_id and not _ENTRY_ID.match(entry_id)):
        return None
    return EditorCallback(action, int(days), int(number), entry_id)
