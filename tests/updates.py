"""Small factories for Telegram updates as the Bot API sends them (plain dicts)."""

from __future__ import annotations

import itertools
import time
from typing import Any

_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
BOT_ID = 7000001
BOT_USERNAME = "kongsbergregionen_bot"


def user(user_id: int = 101, language_code: str = "nb", first_name: str = "Kari") -> dict:
    """A human Telegram user."""
    return {"id": user_id, "is_bot": False, "first_name": first_name,
            "language_code": language_code}


def chat(chat_id: int, chat_type: str = "private") -> dict:
    """A chat; groups have negative ids and a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Kari"}
    return {"id": chat_id, "type": chat_type, "title": "Kommunestaben"}


def message(
    text: str | None = None,
    *,
    user_id: int = 101,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str = "nb",
    reply_to_bot: bool = False,
    **extra: Any,
) -> dict:
    """A message update; a leading /command gets its bot_command entity, @mentions theirs."""
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": user(user_id, language_code),
        **extra,
    }
    if text is not None:
        body["text"] = text
        entities = []
        if text.startswith("/"):
            length = len(text.split()[0])
            entities.append({"type": "bot_command", "offset": 0, "length": length})
        mention = f"@{BOT_USERNAME}"
        if mention in text:
            entities.append({"type": "mention", "offset": text.index(mention),
                             "length": len(mention)})
        if entities:
            body["entities"] = entities
    if reply_to_bot:
        body["reply_to_message"] = {
            "message_id": next(_message_ids), "date": int(time.time()),
            "chat": body["chat"], "text": "Tidligere svar",
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kongsbergregionen",
                     "username": BOT_USERNAME},
        }
    return {"update_id": next(_update_ids), "message": body}


def callback(data: str, *, user_id: int = 101, message_id: int = 500,
             language_code: str = "nb") -> dict:
    """A button press on a message the bot sent."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb{next(_update_ids)}",
            "from": user(user_id, language_code),
            "chat_instance": "ci1",
            "data": data,
            "message": {
                "message_id": message_id, "date": int(time.time()),
                "chat": chat(user_id), "text": "Mente du …?",
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Kongsbergregionen",
                         "username": BOT_USERNAME},
            },
        },
    }


def inline(query: str, *, user_id: int = 101, language_code: str = "nb") -> dict:
    """An inline query (`@bot query` typed in any chat)."""
    return {
        "update_id": next(_update_ids),
        "inline_query": {"id": f"iq{next(_update_ids)}", "from": user(user_id, language_code),
                         "query": query, "offset": ""},
    }
