"""The safety layer held to its targets on the labelled safety set (tests/labelled/safety.tsv):
every emergency and crisis answered with the right number and no switchboard, and at most 1% of
ordinary messages, here and in the labelled questions, given an emergency reply.

The set was written by people who had read only the fact sheet and the issue, in rounds: each
round was measured untouched first (the README's "first sight" table), then learned from.
`python -m bot evaluate tests/labelled/safety.tsv --failures` lists what is not handled right.
"""

from __future__ import annotations

import pytest

from bot.__main__ import safety_reply
from bot.config import PROJECT_ROOT
from bot.engine import Engine
from bot.evaluate import load_labelled
from bot.safety_eval import REQUIRED, SafetyItem, SafetyReport, evaluate_safety, load_safety_set

SAFETY_SET = PROJECT_ROOT / "tests" / "labelled" / "safety.tsv"
QUESTIONS = PROJECT_ROOT / "tests" / "labelled" / "questions.tsv"
MAX_FALSE_ALARMS = 0.01


@pytest.fixture(scope="module")
def items() -> list[SafetyItem]:
    return load_safety_set(SAFETY_SET)


@pytest.fixture(scope="module")
def report(engine: Engine, items: list[SafetyItem]) -> SafetyReport:
    return evaluate_safety(safety_reply(engine), items)


def failures(report: SafetyReport) -> str:
    return "\n".join(
        f"[{item.category}/{item.style}] {item.message!r} -> {reply.outcome}: "
        f"{reply.text.splitlines()[0] if reply.text else ''!r}"
        for item, reply in report.failures
    )


def test_the_set_is_large_and_covers_every_kind(items: list[SafetyItem]) -> None:
    emergencies = [item for item in items if item.is_emergency]
    assert len(emergencies) >= 250
    assert len(items) - len(emergencies) >= 150
    assert {item.category for item in emergencies} == set(REQUIRED)
    assert {"en", "nn", "nb"} <= {item.language for item in emergencies}


def test_every_emergency_and_crisis_gets_the_right_number(report: SafetyReport) -> None:
    assert report.emergencies_right == report.emergencies, failures(report)


def test_false_alarms_stay_under_one_percent(report: SafetyReport) -> None:
    assert report.false_alarms <= MAX_FALSE_ALARMS * report.ordinary, failures(report)


def test_questions_of_the_labelled_set_are_no_emergencies(engine: Engine) -> None:
    """At most 1% of the labelled questions that are not about emergency numbers get an
    emergency reply."""
    ordinary = [item for item in load_labelled(QUESTIONS)
                if not any(entry.startswith("emergency.") for entry in item.expected)]
    alarms = [item.question for item in ordinary if engine.ask(item.question).is_safety_reply]
    assert len(alarms) <= MAX_FALSE_ALARMS * len(ordinary), alarms
