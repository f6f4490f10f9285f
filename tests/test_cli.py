"""Tests for the command line (python -m bot): ask --json on any input, check, --help."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

EXAMPLE_CONFIG = PROJECT_ROOT / "config.example.yaml"
RESULT_KEYS = {"question", "outcome", "entry_id", "score", "language", "answer", "suggestions"}
SUGGESTION_KEYS = {"entry_id", "title", "score", "answer"}
COMMANDS = ("ask", "chat", "check", "evaluate", "run", "start")


def run_bot(
    *args: str, stdin: bytes = b"", config: Path = EXAMPLE_CONFIG
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        input=stdin, capture_output=True, cwd=PROJECT_ROOT, timeout=120, check=False,
    )


def test_ask_json_gives_exactly_one_object_per_input_line() -> None:
    lines = [
        b"", b"   ", b"\x00\x1b\x7f", "😀🚒 brann?".encode(), b"a" * 10_000,
        b"hva er tlf\rtil notodden", "Når ble regionrådet stiftet?".encode(),
        b"kongsberg notodden", "\u2028\u2029\x85 tinn".encode(), b"\xff\xfe invalid utf-8",
    ]
    done = run_bot("ask", "--json", stdin=b"\n".join(lines) + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    output = done.stdout.split(b"\n")
    assert output[-1] == b""
    results = [json.loads(line) for line in output[:-1]]
    assert len(results) == len(lines)
    for result in results:
        assert set(result) == RESULT_KEYS
        assert result["outcome"] in ("answered", "suggested", "unanswered", "emergency", "crisis")
        assert isinstance(result["score"], float | int)
        assert result["language"] in ("nb", "nn", "en")
        assert isinstance(result["answer"], str) and result["answer"]
        for suggestion in result["suggestions"]:
            assert set(suggestion) == SUGGESTION_KEYS
    assert results[0]["outcome"] == "unanswered"
    assert results[5]["question"] == "hva er tlf\rtil notodden"
    assert results[6]["outcome"] == "answered"
    assert results[6]["entry_id"] == "council.founded"
    assert results[7]["outcome"] == "suggested" and results[7]["suggestions"]


def test_ask_json_without_a_final_newline_still_answers_the_last_line() -> None:
    done = run_bot("ask", "--json", stdin=b"tlf notodden\nTinn")
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [result["entry_id"] for result in results] == [
        "contact.notodden", "municipality.tinn",
    ]


def test_ask_with_a_question_argument_answers_it() -> None:
    done = run_bot("ask", "--json", "tlf notodden")
    assert done.returncode == 0
    assert json.loads(done.stdout)["entry_id"] == "contact.notodden"


def test_check_passes_on_the_shipped_knowledge_base() -> None:
    done = run_bot("check")
    assert done.returncode == 0, done.stderr.decode()
    assert b"Knowledge base OK" in done.stdout


def test_check_fails_with_file_and_line_on_a_broken_copy(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    contacts = knowledge / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    broken = text.replace('phone: "35 01 50 00"', 'phone: "12 34"', 1)
    assert broken != text
    contacts.write_text(broken, encoding="utf-8")
    line = broken[: broken.index('phone: "12 34"')].count("\n") + 1
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge:\n  directory: {knowledge}\n", encoding="utf-8")
    done = run_bot("check", config=config)
    assert done.returncode == 1
    found = re.search(r"contacts\.yaml:(\d+): .*phone number '12 34'", done.stderr.decode())
    assert found, done.stderr.decode()
    assert line - 5 <= int(found.group(1)) <= line  # the contact's lines


def test_check_reports_broken_yaml_with_its_line(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    (knowledge / "council.yaml").write_text("entries:\n  - id: [unclosed\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge:\n  directory: {knowledge}\n", encoding="utf-8")
    done = run_bot("check", config=config)
    assert done.returncode == 1
    assert "council.yaml:" in done.stderr.decode()


@pytest.mark.parametrize("command", ("", *COMMANDS))
def test_help_is_available_for_every_command(command: str) -> None:
    args = [command, "--help"] if command else ["--help"]
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, cwd=PROJECT_ROOT,
        timeout=60, check=False,
    )
    assert done.returncode == 0
    assert b"usage:" in done.stdout


def test_check_counts_and_lists_the_facts_to_recheck() -> None:
    done = run_bot("check")
    assert done.returncode == 0, done.stderr.decode()
    assert b"To re-check:" in done.stdout and b"--stale" in done.stdout
    stale = run_bot("check", "--stale")
    lines = stale.stdout.decode().splitlines()
    assert "knowledge/contacts.yaml:" in lines[3]
    assert "contact.rollag: phone (from 2007)" in lines[3]
    assert any("contact.hjartdal: phone (from 2018)" in line for line in lines)


def run_in(folder: Path, *args: str, **environment: str) -> subprocess.CompletedProcess:
    """`python -m bot --config folder/config.yaml ARGS` with only `environment` added."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TELEGRAM_", "BOT_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(folder / "config.yaml"), *args],
        capture_output=True, cwd=folder, env={**env, **environment}, timeout=120,
        stdin=subprocess.DEVNULL,
        check=False, text=True,
    )


def test_check_and_run_refuse_webhook_mode_without_a_secret_with_file_and_line(
    tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.no\n"
                      "    secret_token: ''\n", encoding="utf-8")
    for command in ("check", "run"):
        done = run_in(tmp_path, command, TELEGRAM_BOT_TOKEN="123456:" + "A" * 35)
        assert done.returncode == 1, done.stderr
        assert f"{config}:5: webhook mode needs 'telegram.webhook.secret_token'" in done.stderr


def database_config(folder: Path) -> Path:
    """A config.yaml in `folder` with the question log there and no hash secret."""
    (folder / "config.yaml").write_text(
        f"database:\n  path: {folder / 'questions.sqlite3'}\n", encoding="utf-8"
    )
    return folder / "questions.sqlite3.secret"


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "is empty"), (b"\n", "is empty"), (b"short-secret\n", "holds 12 bytes, fewer than 32"),
    (b"\xff\xfe" * 20, "is not UTF-8"),
])
def test_an_unusable_hash_secret_file_stops_chat_and_check_and_is_kept(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    secret_file = database_config(tmp_path)
    secret_file.write_bytes(content)
    for command in ("check", "chat"):
        done = run_in(tmp_path, command)
        assert done.returncode == 1, done.stderr
        assert f"{secret_file}: the hash secret file {reason}" in done.stderr
    assert secret_file.read_bytes() == content
    assert not (tmp_path / "questions.sqlite3").exists()


def test_an_unreadable_hash_secret_file_is_reported_and_never_replaced(tmp_path: Path) -> None:
    secret_file = database_config(tmp_path)
    secret_file.mkdir()  # unreadable as a file, whoever runs the test (root reads anything)
    done = run_in(tmp_path, "chat")
    assert done.returncode == 1
    assert f"{secret_file}: the hash secret file cannot be read" in done.stderr
    assert secret_file.is_dir()


def test_a_missing_hash_secret_file_is_created_once_and_kept(tmp_path: Path) -> None:
    secret_file = database_config(tmp_path)
    assert run_in(tmp_path, "check").returncode == 0
    assert not secret_file.exists()  # check creates nothing
    assert run_in(tmp_path, "chat").returncode == 0
    secret = secret_file.read_bytes()
    assert len(secret) >= 32 and secret_file.stat().st_mode & 0o077 == 0
    assert run_in(tmp_path, "chat").returncode == 0
    assert secret_file.read_bytes() == secret
