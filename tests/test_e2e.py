"""End to end: the real `python -m bot run` process against the Bot API stand-in on 127.0.0.1.

One bot process serves every test in this module (start-up is paid once); each test uses its
own chat, pushes updates the way Telegram would deliver them by long polling, and asserts on
the Bot API calls the bot made. The last test stops the process with SIGTERM and checks a
clean, quick exit with no token in its output. The process has one editor (BOT_EDITOR_IDS)
and, through --config, a temporary copy of knowledge/ that the editors' flows may change.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import callbacks
from bot.config import PROJECT_ROOT
from bot.engine import Engine
from tests.botapi_standin import BotApiStandIn, Call
from tests.conftest import AMBIGUOUS
from tests.test_learned import unanswered_with_candidates

TOKEN = "987654:E2E-token-not-real-00000000000000000000"
TIMEOUT = 15.0
EDITOR = 2100


@pytest.fixture(scope="module")
def standin() -> Iterator[BotApiStandIn]:
    """The Bot API stand-in, for the whole module."""
    with BotApiStandIn(expected_token=TOKEN) as server:
        yield server


@pytest.fixture(scope="module")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bot process's folder: its database, config and a copy of knowledge/ it may change."""
    data = tmp_path_factory.mktemp("e2e")
    shutil.copytree(PROJECT_ROOT / "knowledge", data / "knowledge")
    (data / "config.yaml").write_text(
        f"knowledge:\n  directory: {data / 'knowledge'}\n", encoding="utf-8"
    )
    return data


def start_bot(
    standin: BotApiStandIn, folder: Path, config: Path, **environment: str
) -> subprocess.Popen:
    """`python -m bot --config CONFIG run` as a real process against the stand-in."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "BOT_DATABASE": str(folder / "questions.sqlite3"),
        "PYTHONUNBUFFERED": "1",
        **environment,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def stop_bot(process: subprocess.Popen) -> str:
    """SIGTERM, wait, and return everything the process printed."""
    process.send_signal(signal.SIGTERM)
    return process.communicate(timeout=10)[0]


@pytest.fixture(scope="module")
def bot_process(standin: BotApiStandIn, e2e_dir: Path) -> Iterator[subprocess.Popen]:
    """`python -m bot run` as a real process, polling the stand-in, with one editor."""
    process = start_bot(standin, e2e_dir, e2e_dir / "config.yaml",
                        BOT_HASH_SECRET="e2e-secret-for-hashing-user-ids-00000",
                        BOT_EDITOR_IDS=str(EDITOR))
    try:
        standin.wait_for("getUpdates", timeout=TIMEOUT)
    except TimeoutError:
        process.kill()
        pytest.fail(f"the bot did not start polling:\n{process.communicate()[0]}")
    yield process
    if process.poll() is None:
        process.kill()
        process.communicate()


def to_chat(chat_id: int):
    return lambda call: call.params.get("chat_id") == chat_id


def send_text(standin: BotApiStandIn, text: str, chat_id: int, **kwargs) -> Call:
    """Push a message and wait for the bot's reply in that chat."""
    before = len([c for c in standin.delivered("sendMessage") if to_chat(chat_id)(c)])
    standin.push_update(standin.message_update(text, user_id=chat_id, **kwargs))
    calls = standin.wait_for("sendMessage", to_chat(chat_id), count=before + 1, timeout=TIMEOUT)
    return calls[-1]


def buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def test_start_registers_command_menus(standin: BotApiStandIn, bot_process) -> None:
    assert [c["command"] for c in standin.commands()][:3] == ["start", "hjelp", "kommuner"]
    assert [c["command"] for c in standin.commands("en")][:3] == ["start", "help",
                                                                  "municipalities"]


def test_start_help_and_browsing(standin: BotApiStandIn, bot_process) -> None:
    chat = 2001
    start = send_text(standin, "/start", chat)
    assert "Kongsbergregionen" in start.params["text"]
    assert "1:e:nb:council.members" in buttons(start)
    assert "/kontakt" in send_text(standin, "/hjelp", chat).params["text"]
    members = send_text(standin, "/kommuner", chat)
    assert sum(b.startswith("1:e:nb:municipality.") for b in buttons(members)) == 7
    focus = send_text(standin, "/satsinger", chat)
    assert sum(b.startswith("1:e:nb:focus.") for b in buttons(focus)) == 5
    assert "Kongsbergregionen" in send_text(standin, "/om", chat).params["text"]
    deep = send_text(standin, "/start municipality-tinn", chat)
    assert "Rjukan" in deep.params["text"]


def test_free_text_answer_and_contact_card(standin: BotApiStandIn, bot_process) -> None:
    chat = 2002
    answer = send_text(standin, "tlf notodden", chat)
    assert "+47 35 01 50 00" in answer.params["text"]
    card = next(b for b in buttons(answer) if b.startswith("1:c:"))
    standin.push_update(standin.callback_update(card, user_id=chat))
    contact = standin.wait_for("sendContact", to_chat(chat), timeout=TIMEOUT)[-1]
    assert contact.params["phone_number"] == "+4735015000"
    assert "BEGIN:VCARD" in contact.params["vcard"]


def test_english_question(standin: BotApiStandIn, bot_process) -> None:
    reply = send_text(standin, "Which municipalities are members?", 2003, language_code="en")
    assert "Kongsberg" in reply.params["text"]
    assert all(":en:" in b for b in buttons(reply) if b)


def test_suggestion_picked_and_answered_in_place(
    standin: BotApiStandIn, bot_process, engine: Engine
) -> None:
    chat = 2004
    question = next(q for q in AMBIGUOUS if engine.ask(q).outcome == "suggested")
    reply = send_text(standin, question, chat)
    assert "Mente du" in reply.params["text"]
    pick = next(b for b in buttons(reply) if b.startswith("1:p:"))
    standin.push_update(standin.callback_update(pick, user_id=chat))
    edit = standin.wait_for("editMessageText", to_chat(chat), timeout=TIMEOUT)[-1]
    assert edit.params["text"].startswith("<b>")
    assert standin.wait_for("answerCallbackQuery", timeout=TIMEOUT)


def test_unanswered_is_honest(standin: BotApiStandIn, bot_process) -> None:
    reply = send_text(standin, "Qwerty zxcvb asdfg?", 2005)
    assert "vet jeg dessverre ikke" in reply.params["text"]


def test_stale_button_gets_a_polite_answer_only(standin: BotApiStandIn, bot_process) -> None:
    chat = 2006
    standin.push_update(standin.callback_update("old:button", user_id=chat))
    answer = standin.wait_for(
        "answerCallbackQuery", lambda c: "virker ikke" in str(c.params.get("text")),
        timeout=TIMEOUT,
    )
    assert answer
    time.sleep(0.3)
    assert not [c for c in standin.calls("sendMessage") if to_chat(chat)(c)]


def test_inline_mode_offers_contacts_first(standin: BotApiStandIn, bot_process) -> None:
    standin.push_update(standin.inline_update("notodden", user_id=2007))
    call = standin.wait_for("answerInlineQuery", timeout=TIMEOUT)[-1]
    results = call.params["results"]
    assert results[0]["type"] == "contact" and results[0]["phone_number"] == "+4735015000"
    assert len(results) <= 10


def test_media_and_groups(standin: BotApiStandIn, bot_process) -> None:
    chat = 2008
    standin.push_update(standin.message_update_with("sticker", user_id=chat))
    text_only = standin.wait_for("sendMessage", to_chat(chat), timeout=TIMEOUT)[-1]
    assert "tekst" in text_only.params["text"]
    group = -3001
    standin.push_update(standin.message_update("tlf tinn", user_id=chat, chat_id=group,
                                               chat_type="group"))
    standin.push_update(standin.message_update("@kongsbergregionen_bot tlf notodden",
                                               user_id=chat, chat_id=group, chat_type="group"))
    reply = standin.wait_for("sendMessage", to_chat(group), timeout=TIMEOUT)
    time.sleep(0.3)
    replies = [c for c in standin.calls("sendMessage") if to_chat(group)(c)]
    assert len(replies) == 1 and "35 01 50 00" in reply[-1].params["text"]


def test_a_huge_message_is_answered_once(standin: BotApiStandIn, bot_process) -> None:
    reply = send_text(standin, "Hva er Kongsbergregionen? " + "x" * 4000, 2009)
    assert reply.params["text"]


def press(standin: BotApiStandIn, data: str, chat_id: int, expect: str) -> Call:
    """Press a button on the bot's latest message; wait for an edit containing `expect`."""
    standin.push_update(standin.callback_update(data, user_id=chat_id))
    edits = standin.wait_for("editMessageText",
                             lambda c: to_chat(chat_id)(c) and expect in c.params["text"],
                             timeout=TIMEOUT)
    return edits[-1]


def button_for(call: Call, label_start: str) -> str:
    """The callback data of the button whose text starts with `label_start`."""
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if button["text"].startswith(label_start):
                return button["callback_data"]
    raise AssertionError(f"no button {label_start!r} in {markup}")


def logged_outcomes(folder: Path, chat_id: int, at_least: int = 1) -> list[tuple[str, str]]:
    """(outcome, entry id) of every logged question, once there are `at_least`; the log is
    written shortly after the reply went out."""
    import sqlite3

    deadline = time.monotonic() + TIMEOUT
    rows: list[tuple[str, str]] = []
    while time.monotonic() < deadline:
        with sqlite3.connect(folder / "questions.sqlite3") as connection:
            rows = connection.execute(
                "SELECT outcome, entry_id FROM questions WHERE entry_id LIKE 'safety.%' "
                "ORDER BY id"
            ).fetchall()
        if len(rows) >= at_least:
            return rows
        time.sleep(0.1)
    return rows


def test_emergencies_are_answered_at_once_logged_and_never_throttled(
    standin: BotApiStandIn, bot_process, e2e_dir: Path
) -> None:
    chat = 2300
    for number in range(25):  # past the flood limit of 20 messages in 10 seconds
        standin.push_update(standin.message_update(f"tlf notodden {number}", user_id=chat))
    standin.wait_for("sendMessage", to_chat(chat), count=21, timeout=TIMEOUT)
    crisis = send_text(standin, "jeg orker ikke mer, vil ikke leve", chat)
    assert crisis.params["text"].startswith("Ring <b>113</b> nå")
    assert "<b>116 123</b>" in crisis.params["text"] and not crisis.params.get("reply_markup")
    fire = send_text(standin, "FIRE in our cabin at Gaustatoppen!!", chat)
    assert fire.params["text"].startswith("Call <b>110</b> now")
    bleeding = send_text(standin, "det blør kraftig, vi er på Rødberg", chat)
    assert "<b>113</b>" in bleeding.params["text"]
    assert "31 02 40 00" not in bleeding.params["text"]
    assert logged_outcomes(e2e_dir, chat, at_least=3)[-3:] == [
        ("crisis", "safety.crisis"), ("emergency", "safety.fire"), ("emergency", "safety.medical")
    ]


def test_editor_commands_are_hidden_from_others(standin: BotApiStandIn, bot_process) -> None:
    unknown = send_text(standin, "/finnesikke", 2102).params["text"]
    for command in ("/ubesvart", "/statistikk", "/eksport", "/oppdater"):
        assert send_text(standin, command, 2102).params["text"] == unknown
    editor_menu = [c["command"] for c in standin.commands(scope={"type": "chat",
                                                                 "chat_id": EDITOR})]
    assert "ubesvart" in editor_menu and "start" in editor_menu
    assert "ubesvart" not in [c["command"] for c in standin.commands()]
    assert "unanswered" in [c["command"] for c in standin.commands(
        "en", scope={"type": "chat", "chat_id": EDITOR})]


def test_editor_adds_a_variant_and_the_question_is_then_answered(
    standin: BotApiStandIn, bot_process, engine: Engine, e2e_dir: Path
) -> None:
    shipped = (PROJECT_ROOT / "knowledge" / "learned.yaml").read_bytes()
    question, _ = unanswered_with_candidates(engine)
    assert "vet jeg dessverre ikke" in send_text(standin, question, 2103).params["text"]
    listing = send_text(standin, "/ubesvart", EDITOR)
    number = re.search(rf"<b>(\d+)\.</b> «{re.escape(html.escape(question, quote=False))}»",
                       listing.params["text"])
    assert number, listing.params["text"]
    variant = button_for(listing, f"➕ {number[1]}.")
    choices = press(standin, variant, EDITOR, "Legg til som variant")
    first = next(data for data in buttons(choices) if data.startswith("e1:to:"))
    chosen = callbacks.decode_editor(first).entry_id
    assert chosen == engine.rank(question, everything=True).candidates[0].entry.id
    preview = press(standin, first, EDITOR, "Lagre som variant?")
    assert f"<code>{html.escape(question, quote=False)}</code>" in preview.params["text"]
    save = next(data for data in buttons(preview) if data.startswith("e1:sv:"))
    done = press(standin, save, EDITOR, "Lagt til som variant")
    assert "Nå svarer boten på" in done.params["text"]
    answer = send_text(standin, question, 2104).params["text"]
    title = engine.knowledge.entries[chosen].title_in("nb")
    assert answer.startswith(f"<b>{html.escape(title)}</b>")
    assert question in (e2e_dir / "knowledge" / "learned.yaml").read_text(encoding="utf-8")
    assert (PROJECT_ROOT / "knowledge" / "learned.yaml").read_bytes() == shipped
    again = send_text(standin, "/ubesvart", EDITOR).params["text"]
    assert f"«{html.escape(question, quote=False)}»" not in again


def test_editor_statistics_and_export(standin: BotApiStandIn, bot_process) -> None:
    send_text(standin, "/statistikk", EDITOR)
    photo = standin.wait_for("sendPhoto", to_chat(EDITOR), timeout=TIMEOUT)[-1]
    assert photo.files["photo"].data.startswith(b"\x89PNG\r\n\x1a\n")
    standin.push_update(standin.message_update("/eksport 7", user_id=EDITOR))
    document = standin.wait_for("sendDocument", to_chat(EDITOR), timeout=TIMEOUT)[-1]
    upload = document.files["document"]
    assert upload.filename.endswith(".csv")
    assert upload.data.startswith(b"\xef\xbb\xbfid;asked_at;text;")
    assert b"tlf notodden" in upload.data


def test_sigterm_stops_cleanly_and_quickly(standin: BotApiStandIn, bot_process) -> None:
    started = time.monotonic()
    bot_process.send_signal(signal.SIGTERM)
    output, _ = bot_process.communicate(timeout=10)
    elapsed = time.monotonic() - started
    assert bot_process.returncode == 0, output
    assert elapsed < 5.0, f"shutdown took {elapsed:.1f} s"
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    assert "Traceback" not in output, output


def test_run_without_token_exits_2_with_help(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "python -m bot chat" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post_update(port: int, update: dict, secret: str | None) -> int:
    """POST an update to the bot's webhook as Telegram would; the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram", data=json.dumps(update).encode(), headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the bot exited:\n{process.communicate()[0]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail("the webhook server did not start")


def test_webhook_mode_checks_the_secret_token(tmp_path: Path) -> None:
    port = free_port()
    secret = "s3cret-Token_for-tests-of-32-chars-or-more"
    config = tmp_path / "config.yaml"
    config.write_text(
        "telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.no\n"
        f"    listen: 127.0.0.1\n    port: {port}\n    secret_token: {secret}\n",
        encoding="utf-8",
    )
    with BotApiStandIn(expected_token=TOKEN) as standin:
        process = start_bot(standin, tmp_path, config)
        try:
            registered = standin.wait_for("setWebhook", timeout=TIMEOUT)[-1].params
            assert registered["url"] == "https://bot.example.no/telegram"
            assert registered["secret_token"] == secret
            wait_for_port(port, process)
            update = standin.message_update("tlf notodden", user_id=4001)
            update["update_id"] = 1
            assert post_update(port, update, secret=None) == 403
            assert post_update(port, update, secret="wrong") == 403
            time.sleep(0.3)
            assert not standin.calls("sendMessage")
            assert post_update(port, update, secret=secret) == 200
            reply = standin.wait_for("sendMessage", to_chat(4001), timeout=TIMEOUT)[-1]
            assert "35 01 50 00" in reply.params["text"]
        finally:
            output = stop_bot(process)
        assert process.returncode == 0, output
        assert TOKEN not in output and secret not in output


def test_the_token_is_in_no_output_even_at_debug_level(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("logging:\n  level: DEBUG\n", encoding="utf-8")
    with BotApiStandIn(expected_token=TOKEN) as standin:
        process = start_bot(standin, tmp_path, config)
        try:
            standin.wait_for("getUpdates", timeout=TIMEOUT)
            standin.push_update(standin.message_update("tlf notodden", user_id=4101))
            standin.push_update(standin.callback_update("forged", user_id=4101))
            standin.wait_for("sendMessage", to_chat(4101), timeout=TIMEOUT)
            standin.wait_for("answerCallbackQuery", timeout=TIMEOUT)
        finally:
            output = stop_bot(process)
    assert process.returncode == 0, output
    assert "DEBUG" in output  # the level really was DEBUG
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
