"""Fixtures of the reliability suite, and the figures it prints at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import EDITOR, FIGURES, TOKEN, BotRun


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    """A Bot API stand-in that refuses HTML Telegram could not parse and replies to missing
    messages, as Telegram does."""
    with BotApiStandIn(expected_token=TOKEN, check_html=True, check_replies=True) as server:
        yield server


@pytest.fixture
def bot(standin: BotApiStandIn, tmp_path: Path, knowledge_copy: Path) -> Iterator[BotRun]:
    """The bot as a process, with EDITOR as editor, on a copy of the knowledge base it may
    break; modules that need another set-up define a `bot` of their own."""
    run = BotRun(standin, tmp_path / "bot", {
        "knowledge": {"directory": str(knowledge_copy)}, "editors": {"user_ids": [EDITOR]},
    })
    with run:
        yield run
    run.assert_no_secrets()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the reliability tests measured (memory, recovery times)."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    width = max(len(name) for name in FIGURES)
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {value}")
