"""An offline `BaseRequest` that records every Bot API call and answers with valid objects.

Handler tests build the real application through `bot.app.build_application` with this
request in place of HTTP, push updates with `application.process_update`, and assert on the
parameters the bot sent.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.botapi_standin import BOT_USER


@dataclass
class Call:
    """One Bot API call the bot made; uploaded files by field: (file name, bytes, MIME type)."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


def _decode(json_parameters: dict[str, str]) -> dict[str, Any]:
    """The parameters as the Bot API receives them: objects and lists decoded, ids as numbers."""
    params: dict[str, Any] = {}
    for key, value in json_parameters.items():
        if value.startswith(("{", "[")):
            params[key] = json.loads(value)
        elif value in ("true", "false"):
            params[key] = value == "true"
        elif key.endswith("_id") and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params


class RecordingRequest(BaseRequest):
    """Records calls; answers getMe, send*, edit*, answer* and the rest with plausible data."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._message_ids = itertools.count(1000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = _decode(request_data.json_parameters) if request_data else {}
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        self.calls.append(Call(api_method, params, dict(files or {})))
        result = self._result(api_method, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if method.startswith("send") or (method.startswith("edit") and "chat_id" in params):
            return self._message(params)
        if method == "getMyCommands":
            return []
        return True

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id", 1)
        message: dict[str, Any] = {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"},
            "from": BOT_USER,
        }
        if "text" in params:
            message["text"] = params["text"]
        if "phone_number" in params:
            message["contact"] = {
                "phone_number": params["phone_number"], "first_name": params["first_name"]
            }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    # --- assertions helpers --------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        """The calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        """The latest call of `method` (AssertionError if there is none)."""
        calls = self.of(method)
        assert calls, f"no {method} call; calls were: {[c.method for c in self.calls]}"
        return calls[-1]

    def clear(self) -> None:
        """Forget the calls so far."""
        self.calls.clear()


def button_data(call: Call) -> list[str]:
    """Every callback_data in a call's inline keyboard, row by row."""
    markup = call.params.get("reply_markup")
    if not markup:
        return []
    return [button.get("callback_data", "") for row in markup["inline_keyboard"] for button in row]


def button_texts(call: Call) -> list[str]:
    """Every button text in a call's inline keyboard, row by row."""
    markup = call.params.get("reply_markup")
    if not markup:
        return []
    return [button["text"] for row in markup["inline_keyboard"] for button in row]
