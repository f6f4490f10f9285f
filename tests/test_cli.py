"""Tests for the command line (python -m bot): ask --json on any input, check, --help."""

from __future__ import annotations

import json
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
