"""Security at start-up and at the door, end to end on the real `python -m bot run` process:

- webhook mode refuses to start without a secret token; with one, forged updates (without it,
  or with a wrong one) are neither answered nor written, and a body over the limit is refused
  before it is read;
- a token Telegram rejects (401, 404) ends the process with one line that names no token;
- at DEBUG level the log holds no user id, name, username or message text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import MAX_WEBHOOK_BODY_BYTES
from bot.callbacks import encode_editor
from tests.botapi_standin import BotApiStandIn, ErrorResponse
from tests.reliability.harness import EDITOR, TOKEN, BotRun, figure, to_chat

SECRET = "webhook-secret-for-the-reliability-suite-0123"
RESIDENT = 9601
FORGED_TEXT = "qzxv forfalsket spørsmål som ingen skal se"
EXIT_TIMEOUT = 30.0


def digest(folder: Path) -> str:
    """A hash of every file in the knowledge folder."""
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sha.update(path.name.encode() + path.read_bytes())
    return sha.hexdigest()


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def webhook_config(port: int, knowledge: Path, secret: str | None = SECRET) -> dict:
    """Webhook mode on 127.0.0.1:port, with EDITOR as editor and `secret` (None: unset)."""
    webhook = {"url": "https://bot.example.no", "listen": "127.0.0.1", "port": port,
               "path": "telegram"}
    if secret is not None:
        webhook["secret_token"] = secret
    return {"telegram": {"mode": "webhook", "webhook": webhook},
            "knowledge": {"directory": str(knowledge)}, "editors": {"user_ids": [EDITOR]}}


def post(port: int, update: dict, secret: str | None) -> int:
    """POST an update to the webhook; the HTTP status (0: the connection was refused)."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}/telegram",
                                     data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return 0
        raise


def wait_for_port(bot: BotRun, port: int) -> None:
    """Wait until the webhook server accepts connections (failing if the bot exits)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert bot.running, f"the bot exited:\n{bot.tail()}"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the webhook server did not start:\n{bot.tail()}")


def wait_for_exit(bot: BotRun) -> int:
    """The exit code of a bot that is expected to stop by itself."""
    assert bot.process is not None
    return bot.process.wait(timeout=EXIT_TIMEOUT)


def forged_updates(standin: BotApiStandIn) -> list[dict]:
    """A resident's message, an editor's command and the editor's "add as a variant" buttons,
    for the first question ids: what a forger would post to take over the knowledge base."""
    updates = [standin.message_update(FORGED_TEXT, user_id=RESIDENT),
               standin.message_update("/ubesvart", user_id=EDITOR)]
    for question_id in range(1, 4):
        for data in (encode_editor("variant", 30, question_id),
                     encode_editor("add", 30, question_id, "contact.tinn")):
            updates.append(standin.callback_update(data, user_id=EDITOR))
    for number, update in enumerate(updates, start=1000):
        update["update_id"] = number
    return updates


@pytest.fixture
def webhook_bot(standin: BotApiStandIn, tmp_path: Path,
                knowledge_copy: Path) -> Iterator[tuple[BotRun, int]]:
    """The bot in webhook mode with SECRET, its webhook server accepting connections."""
    port = free_port()
    run = BotRun(standin, tmp_path / "webhook", webhook_config(port, knowledge_copy))
    run.start(wait=False)
    try:
        run.wait_for("setWebhook")
        wait_for_port(run, port)
        yield run, port
    finally:
        if run.running:
            assert run.stop() == 0, run.tail()
    run.assert_no_secrets()
    assert SECRET not in run.output()


def test_webhook_mode_without_a_secret_token_does_not_start(
    standin: BotApiStandIn, tmp_path: Path, knowledge_copy: Path
) -> None:
    port = free_port()
    bot = BotRun(standin, tmp_path / "nosecret", webhook_config(port, knowledge_copy, None))
    bot.start(wait=False)
    assert wait_for_exit(bot) == 1, bot.tail()
    assert f"{bot.config_path}:" in bot.output()
    assert "webhook mode needs 'telegram.webhook.secret_token'" in bot.output()
    for update in forged_updates(standin):  # nothing listens
        assert post(port, update, secret=None) == 0
    assert not standin.calls("*")  # not one request to Telegram
    assert not bot.database.exists()


def test_forged_updates_without_or_with_a_wrong_secret_are_not_answered_nor_written(
    standin: BotApiStandIn, webhook_bot: tuple[BotRun, int], knowledge_copy: Path
) -> None:
    bot, port = webhook_bot
    before = digest(knowledge_copy)
    calls_before = len(standin.calls("*"))
    for secret in (None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()):
        for update in forged_updates(standin):
            assert post(port, update, secret) == 403, secret
    time.sleep(1.0)  # anything processed would have been answered and logged by now
    assert standin.calls("*")[calls_before:] == []
    assert not bot.database.exists() or bot.rows() == []
    assert digest(knowledge_copy) == before
    # The control: the same server with the right secret does answer and log.
    update = standin.message_update("tlf tinn", user_id=RESIDENT)
    update["update_id"] = 2000
    assert post(port, update, SECRET) == 200
    bot.wait_for("sendMessage", to_chat(RESIDENT))
    assert FORGED_TEXT not in str(standin.calls("*"))


def raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 5.0) -> bytes:
    """Send `head` (and `body`) on a raw connection; what the server answers before closing or
    within `timeout` seconds (b"" if it answered nothing)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        if body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(body)  # refused part-way, as it should be
        answer = b""
        with contextlib.suppress(TimeoutError, ConnectionResetError):
            while chunk := sock.recv(65536):
                answer += chunk
        return answer


def request_head(port: int, length: int, secret: str = SECRET) -> bytes:
    return (f"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def test_an_oversized_body_is_refused_before_it_is_read(
    standin: BotApiStandIn, webhook_bot: tuple[BotRun, int]
) -> None:
    bot, port = webhook_bot
    rss_before, _ = bot.memory_kb()
    # Only the head, announcing 64 MiB: refused at once, without waiting for the body.
    started = time.monotonic()
    answer = raw_request(port, request_head(port, 64 * 1024 * 1024))
    refused_in = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert refused_in < 4.0
    # A body just over the limit, sent whole, with the right secret: refused too.
    update = standin.message_update("tlf tinn " + "x" * MAX_WEBHOOK_BODY_BYTES,
                                    user_id=RESIDENT)
    body = json.dumps(update).encode()
    assert len(body) > MAX_WEBHOOK_BODY_BYTES
    assert raw_request(port, request_head(port, len(body)), body).startswith(b"HTTP/1.1 400")
    # A chunked body that never ends: cut off once it passes the limit.
    head = (f"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n\r\n").encode()
    chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
    assert raw_request(port, head, chunk * 40).startswith(b"HTTP/1.1 400")
    time.sleep(0.5)
    assert not standin.calls("sendMessage")
    rss_after, _ = bot.memory_kb()
    # The server still serves a real update, one padded to exactly the limit included.
    update = standin.message_update("tlf tinn", user_id=RESIDENT)
    update["update_id"] = 3000
    body = json.dumps(update).encode()
    body += b" " * (MAX_WEBHOOK_BODY_BYTES - len(body))
    assert raw_request(port, request_head(port, len(body)), body, timeout=2.0).startswith(
        b"HTTP/1.1 200")
    bot.wait_for("sendMessage", to_chat(RESIDENT))
    figure("webhook: 64 MiB announced, 1 MiB + 1 sent, 2.5 MiB chunked",
           f"400 in {refused_in * 1000:.0f} ms without reading the body; RSS "
           f"{rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after")


@pytest.mark.parametrize("fault", ["401 revoked token", "404 wrong base URL"])
def test_a_rejected_token_ends_the_process_with_one_line_that_names_no_token(
    standin: BotApiStandIn, tmp_path: Path, fault: str
) -> None:
    env = {}
    if fault.startswith("401"):
        standin.inject("getMe", ErrorResponse(401, "Unauthorized"))
        base_url = standin.base_url
    else:
        base_url = standin.base_url.removesuffix("/bot") + "/wrong/bot"  # answers 404
        env["TELEGRAM_API_BASE_URL"] = base_url
    bot = BotRun(standin, tmp_path / "rejected", env=env)
    bot.start(wait=False)
    code = wait_for_exit(bot)
    output = bot.output()
    assert code != 0, output
    assert TOKEN not in output and TOKEN.split(":", 1)[1] not in output
    [line] = [line for line in output.splitlines() if "rejected the bot token" in line]
    assert f"the Bot API at {base_url} answered" in line
    assert "TELEGRAM_BOT_TOKEN" in line and "TELEGRAM_API_BASE_URL" in line
    assert "Traceback" not in output
    assert not standin.calls("getUpdates") and not standin.calls("sendMessage")


def test_at_debug_level_the_log_holds_no_user_id_name_or_text(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    user_id, name, username = 7_351_902_468, "Ingeborgqx", "ingeborg_qx_hemmelig"
    text = "hvem er ordfører i tinn zqvx-hemmelighet"
    bot = BotRun(standin, tmp_path / "debug", {"logging": {"level": "DEBUG"}})
    with bot:
        update = standin.message_update(text, user_id=user_id, first_name=name)
        update["message"]["from"]["username"] = username
        update["message"]["chat"]["username"] = username
        standin.push_update(update)
        bot.wait_for("sendMessage", to_chat(user_id))
        standin.push_update(standin.callback_update("forged", user_id=user_id))
        bot.wait_for("answerCallbackQuery")
        deadline = time.monotonic() + 10
        while not bot.rows() and time.monotonic() < deadline:  # the row is written
            time.sleep(0.1)
        assert bot.stop() == 0
    output = bot.output()
    assert " DEBUG " in output  # the level really was DEBUG
    for private in (str(user_id), name, username, "zqvx", "hemmelighet"):
        assert private not in output, private
    bot.assert_no_secrets()
