"""Fixtures of the reliability suite, and the figures it prints at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import FIGURES, TOKEN


@pytest.fixture
def standin() -> Iterator[BotApiStandIn]:
    """A Bot API stand-in that refuses HTML Telegram could not parse, as Telegram does."""
    with BotApiStandIn(expected_token=TOKEN, check_html=True) as server:
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the reliability tests measured (memory, recovery times)."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    width = max(len(name) for name in FIGURES)
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:<{width}}  {value}")
