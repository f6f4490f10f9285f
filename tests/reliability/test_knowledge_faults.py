"""The knowledge base broken under a running bot, and at start.

While the bot runs, a YAML file is truncated (mid-character), made invalid, or deleted, and an
editor sends /oppdater: the bot keeps answering from the knowledge it had, and the editor gets
the problems with file and line. Anyone else's /oppdater changes nothing. At start, an invalid
knowledge base (or configuration) ends the process with exit code 1 and the problems, before
it has said a word to Telegram.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import EDITOR, BotRun

RESIDENT = 8002
NUMBER = "35 01 50 00"  # Notodden's switchboard, from contacts.yaml


def truncate_mid_character(path: Path) -> None:
    """Cut the file in half, inside a multi-byte character (invalid UTF-8 at the end)."""
    data = path.read_bytes()
    cut = next(i for i in range(len(data) // 2, len(data)) if data[i] >= 0xC0) + 1
    path.write_bytes(data[:cut])


def make_invalid(path: Path) -> None:
    """Break the YAML syntax in the middle of the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(len(lines) // 2, "  - [this is: not closed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def delete(path: Path) -> None:
    path.unlink()


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "truncated": truncate_mid_character, "invalid": make_invalid, "deleted": delete,
}


def reload(bot: BotRun, user: int = EDITOR) -> str:
    return bot.ask("/oppdater", user).params["text"]


def test_broken_files_under_a_running_bot_keep_the_old_knowledge(
    bot: BotRun, knowledge_copy: Path, tmp_path: Path
) -> None:
    assert NUMBER in bot.ask("tlf notodden", RESIDENT).params["text"]
    pristine = tmp_path / "pristine"
    shutil.copytree(knowledge_copy, pristine)
    for name, breakage in BREAKAGES.items():
        breakage(knowledge_copy / "contacts.yaml")
        text = reload(bot)
        assert "fortsatt den forrige versjonen" in text, name
        assert "contacts.yaml:" in text or name == "deleted", name
        assert NUMBER in bot.ask("tlf notodden", RESIDENT).params["text"], name
        shutil.copy(pristine / "contacts.yaml", knowledge_copy / "contacts.yaml")
    assert "lastet på nytt" in reload(bot)
    assert NUMBER in bot.ask("tlf notodden", RESIDENT).params["text"]


def test_a_deleted_file_names_what_is_now_missing(bot: BotRun, knowledge_copy: Path) -> None:
    (knowledge_copy / "contacts.yaml").unlink()
    text = reload(bot)
    assert "contact.notodden" in text  # entries elsewhere refer to the deleted ones
    assert NUMBER in bot.ask("tlf notodden", RESIDENT).params["text"]


def test_only_an_editor_can_reload(bot: BotRun, knowledge_copy: Path) -> None:
    contacts = knowledge_copy / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "35 01 50 00", "35 01 50 99"), encoding="utf-8")
    assert "/hjelp" in reload(bot, RESIDENT)  # an unknown command to a resident
    time.sleep(0.3)
    assert NUMBER in bot.ask("tlf notodden", RESIDENT).params["text"]
    assert "lastet på nytt" in reload(bot)
    assert "35 01 50 99" in bot.ask("tlf notodden", RESIDENT).params["text"]


def start_and_fail(
    standin: BotApiStandIn, folder: Path, config: dict
) -> subprocess.CompletedProcess:
    """Run `python -m bot run` with `config` to its end."""
    run = BotRun(standin, folder, config)
    return subprocess.run(run.command(), cwd=folder, env=run.environment(),
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", list(BREAKAGES))
def test_an_invalid_knowledge_base_at_start_exits_1_before_touching_telegram(
    standin: BotApiStandIn, tmp_path: Path, knowledge_copy: Path, name: str
) -> None:
    BREAKAGES[name](knowledge_copy / "contacts.yaml")
    config = {"knowledge": {"directory": str(knowledge_copy)}}
    result = start_and_fail(standin, tmp_path / "bot", config)
    assert result.returncode == 1, result.stderr
    assert "The knowledge base has" in result.stderr
    assert "contacts.yaml:" in result.stderr or "contact.notodden" in result.stderr
    assert "Traceback" not in result.stderr
    assert standin.calls() == []  # not even getMe: no half-started bot


def test_an_invalid_configuration_at_start_exits_1_before_touching_telegram(
    standin: BotApiStandIn, tmp_path: Path
) -> None:
    result = start_and_fail(standin, tmp_path / "bot", {"telegram": {"read_timeout": "soon"},
                                                        "matching": {"max_suggestions": 9}})
    assert result.returncode == 1
    assert "read_timeout" in result.stderr and "max_suggestions" in result.stderr
    assert standin.calls() == []
