"""Starting and stopping like a service, on the real `python -m bot run` process:

- a Bot API server that lacks setMyCommands (404) or fails it (500): the bot starts, warns
  once and answers, without the menu;
- a failed start (getMe or deleteWebhook refused, nothing listening) is one line naming the
  method, the status and the base URL, without the token and without a traceback;
- Telegram unreachable for a while: one WARNING when polling fails, one summary when it
  answers again, and the question asked meanwhile answered; no traceback;
- SIGTERM during a 60 s outage, or while getUpdates hangs: the process exits within 5 s;
- a button action that fails after answering its callback query: the query is answered once
  (the stand-in refuses a second answer, as Telegram does) and the apology goes to the chat.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from bot import callbacks
from tests.botapi_standin import BadGateway, BotApiStandIn, Delay, DropConnection, ErrorResponse
from tests.reliability.harness import TOKEN, BotRun, figure, to_chat

STOP_WITHIN = 5.0
LONG_OUTAGE = 60.0
SHORT_OUTAGE = 6.0
TRACEBACK = "Traceback (most recent call last)"


def stop_time(bot: BotRun) -> tuple[float, int]:
    """SIGTERM; seconds until the process is gone, and its exit code."""
    assert bot.process is not None
    began = time.monotonic()
    bot.process.send_signal(signal.SIGTERM)
    try:
        code = bot.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        bot.process.kill()
        bot.process.wait()
        raise AssertionError(f"still running 30 s after SIGTERM:\n{bot.tail()}") from None
    return time.monotonic() - began, code


def lines(output: str, pattern: str) -> list[str]:
    """The output's lines matching `pattern`."""
    return [line for line in output.splitlines() if re.search(pattern, line)]


def wait_for_line(bot: BotRun, pattern: str, timeout: float = 10.0) -> list[str]:
    """The bot's output lines matching `pattern`, once there is one (or [] after `timeout`)."""
    deadline = time.monotonic() + timeout
    while not (found := lines(bot.output(), pattern)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


@pytest.mark.parametrize("status", [404, 500])
def test_the_bot_starts_and_answers_without_the_command_menu(
    standin: BotApiStandIn, tmp_path: Path, status: int
) -> None:
    standin.lack_method("setMyCommands", status)
    with BotRun(standin, tmp_path / "bot") as bot:
        reply = bot.ask("tlf notodden", 9701)
        assert "35 01 50 00" in reply.params["text"]
        assert standin.commands() == []
        time.sleep(2.5)  # the background retry has had its first go
        assert len(standin.calls("setMyCommands")) >= 2
        output = bot.output()
        assert len(lines(output, "WARNING .*command menu")) == 1, output
        assert TRACEBACK not in output and " ERROR " not in output
        assert bot.stop() == 0
    bot.assert_no_secrets()


def test_the_menu_is_set_once_the_server_has_it_again(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    standin.inject("setMyCommands", ErrorResponse(500, "Internal Server Error"))
    with BotRun(standin, tmp_path / "bot") as bot:
        bot.wait_for("setMyCommands", lambda call: call.delivered, count=2, timeout=10)
        assert [c["command"] for c in standin.commands()][:2] == ["start", "hjelp"]
        assert len(wait_for_line(bot, "WARNING .*Command menu set after 1 failed attempt")) == 1
        assert bot.stop() == 0


def free_port() -> int:
    """A TCP port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("method", "status"), [("getMe", 500), ("deleteWebhook", 503),
                                                ("nothing listening", None)])
def test_a_failed_start_is_one_line_naming_method_status_and_server(
    standin: BotApiStandIn, tmp_path: Path, method: str, status: int | None
) -> None:
    env = {}
    if status is None:
        base_url = f"http://127.0.0.1:{free_port()}/bot"
        env["TELEGRAM_API_BASE_URL"] = base_url
    else:
        base_url = standin.base_url
        standin.lack_method(method, status)
    bot = BotRun(standin, tmp_path / "bot", env=env).start(wait=False)
    assert bot.process is not None
    assert bot.process.wait(timeout=30) == 1
    output = bot.output()
    [line] = lines(output, "Could not start")
    assert base_url in line
    if status is None:
        assert "getMe" in line and "no answer" in line
    else:
        assert f"{method} " in line and f"HTTP {status}" in line
    assert TRACEBACK not in output
    assert "Bot stopped" not in output
    bot.assert_no_secrets()


def test_an_outage_is_one_warning_and_a_summary_and_the_question_is_answered(
    bot: BotRun, standin: BotApiStandIn
) -> None:
    user = 9702
    began = time.monotonic()
    until = standin.outage("*", BadGateway(), seconds=SHORT_OUTAGE)
    time.sleep(1.0)
    standin.push_update(standin.message_update("tlf tinn", user_id=user))
    reply = bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(user)(c),
                         timeout=SHORT_OUTAGE + 15)[0]
    recovery = reply.time - until
    failed = [c for c in standin.calls("getUpdates") if c.time >= began and c.faulted]
    output = bot.output()
    assert len(lines(output, r"WARNING .*Telegram unreachable \(getUpdates: ")) == 1, output
    [summary] = lines(output, r"WARNING .*Telegram reachable again: unreachable for \d+ s, "
                              r"\d+ retr(y|ies)")
    assert f"{len(failed) - 1} retr" in summary or f"{len(failed)} retr" in summary
    assert TRACEBACK not in output and " ERROR " not in output, output
    assert recovery < 5.0 + 1.0  # the longest pause between polls is 5 s
    figure(f"Telegram down {SHORT_OUTAGE:g} s (502 on every method)",
           f"{len(failed)} failed polls, 2 WARNING lines; answered {recovery:.1f} s after")


def test_sigterm_during_a_60_s_outage_stops_within_5_s(bot: BotRun, standin: BotApiStandIn) -> None:
    standin.begin_outage("*", DropConnection())
    time.sleep(LONG_OUTAGE)
    seconds, code = stop_time(bot)
    standin.end_outage("*")
    assert code == 0
    assert seconds < STOP_WITHIN, bot.tail()
    output = bot.output()
    assert len(lines(output, "WARNING .*Telegram unreachable")) == 1, output
    assert TRACEBACK not in output and " ERROR " not in output, output
    figure(f"SIGTERM after {LONG_OUTAGE:g} s of Telegram unreachable",
           f"stopped in {seconds:.1f} s")


def test_sigterm_while_get_updates_hangs_stops_within_5_s(
    bot: BotRun, standin: BotApiStandIn
) -> None:
    standin.begin_outage("getUpdates", Delay(120))
    time.sleep(3.0)
    seconds, code = stop_time(bot)
    standin.clear_faults()
    assert code == 0
    assert seconds < STOP_WITHIN, bot.tail()
    assert TRACEBACK not in bot.output()
    figure("SIGTERM while getUpdates hangs", f"stopped in {seconds:.1f} s")


def test_a_failed_button_action_answers_its_callback_query_once(
    bot: BotRun, standin: BotApiStandIn
) -> None:
    user = 9703
    standin.answer_callback_queries_once()
    bot.ask("tlf kongsberg", user)
    standin.inject("sendMessage", ErrorResponse(400, "Bad Request: chat not found"))
    press = standin.callback_update(callbacks.encode("open", "nb", "contact.tinn"),
                                    user_id=user)
    standin.push_update(press)
    query_id = press["callback_query"]["id"]
    apology = bot.wait_for("sendMessage", lambda c: c.delivered and to_chat(user)(c),
                           count=2)[-1]
    assert "Beklager" in apology.params["text"]
    time.sleep(0.5)
    assert standin.callback_answers()[query_id] == 1
    assert all(call.delivered for call in standin.calls("answerCallbackQuery"))
    assert bot.stop() == 0
    assert TOKEN not in bot.output()
