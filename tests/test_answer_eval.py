"""Tests for bot/answer_eval.py and bot/safety_eval.py: reading the sets and judging replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answer_eval import (
    AnswerItem,
    AnswerReply,
    evaluate_answers,
    is_answer_set,
    load_answer_set,
    parse_expect,
    verdict,
)
from bot.safety_eval import SafetyItem, SafetyReply, handled_right, holds_number, is_safety_set


def item(kind: str, expect: str, pattern: str = "fact") -> AnswerItem:
    return AnswerItem("plain", pattern, kind, "nb", parse_expect(expect), "q")


def test_expected_facts_are_parsed_with_their_spellings() -> None:
    assert parse_expect("Lampeland ; 35 01 50 00|35015000") == (
        ("Lampeland",), ("35 01 50 00", "35015000"))
    assert parse_expect("-") == ()


@pytest.mark.parametrize(
    ("kind", "expect", "reply", "result"),
    [("known", "Lampeland", AnswerReply("answered", "Adm. senter: Lampeland", "nb"), "correct"),
     ("known", "35 01 50 00", AnswerReply("answered", "Ring +47 35015000", "nb"), "correct"),
     ("known", "Lampeland", AnswerReply("answered", "Flesberg kommune", "nb"), "wrong"),
     ("known", "Lampeland", AnswerReply("suggested", "Mente du", "nb", ("Lampeland",)),
      "reached"),
     ("known", "Lampeland", AnswerReply("unanswered", "Vet ikke", "nb"), "open"),
     ("unknown", "flesberg.kommune.no",
      AnswerReply("unanswered", "Vet ikke. Se www.flesberg.kommune.no", "nb"), "correct"),
     ("unknown", "flesberg.kommune.no", AnswerReply("answered", "Ordfører er X", "nb"), "wrong"),
     ("oos", "-", AnswerReply("answered", "Noe", "nb"), "false"),
     ("oos", "-", AnswerReply("suggested", "Mente du", "nb"), "fine")],
)
def test_a_reply_is_judged_by_the_facts_it_holds(
    kind: str, expect: str, reply: AnswerReply, result: str
) -> None:
    assert verdict(item(kind, expect), reply) == result


def test_an_answer_set_is_read_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "answers.tsv"
    path.write_text("style\tpattern\tkind\tlanguage\texpect\tquestion\n"
                    "staff\tfact\tknown\tnb\tLampeland\tadm senter flesberg\n"
                    "plain\tcoverage\toos\tnb\t-\tværet i morgen\n", encoding="utf-8")
    assert is_answer_set(path) and not is_safety_set(path)
    items = load_answer_set(path)
    replies = {"adm senter flesberg": AnswerReply("answered", "Lampeland", "nb"),
               "været i morgen": AnswerReply("unanswered", "Vet ikke", "nb")}
    report = evaluate_answers(replies.__getitem__, items)
    assert report.rate("correct") == 1.0 and report.rate("false") == 0.0
    assert "in scope answered correctly: 1/1 = 100.0%" in report.summary()


def test_an_unknown_kind_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "answers.tsv"
    path.write_text("style\tpattern\tkind\tlanguage\texpect\tquestion\n"
                    "plain\tfact\tknwon\tnb\tX\tq\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"answers\.tsv:2: unknown kind"):
        load_answer_set(path)


def test_numbers_are_found_whole_with_or_without_spaces() -> None:
    assert holds_number("Ring 116 117 eller 113.", "116117")
    assert holds_number("Ring 113.", "113") and not holds_number("Ring 1130.", "113")


def test_a_safety_reply_needs_every_number_and_no_switchboard() -> None:
    crisis = SafetyItem("plain", "nb", "crisis", "vil ikke leve")
    assert handled_right(crisis, SafetyReply("crisis", "Ring 113. Ring 116 123.", "nb"))
    assert not handled_right(crisis, SafetyReply("crisis", "Ring 113.", "nb"))
    assert not handled_right(crisis, SafetyReply("suggested", "113 116 123", "nb"))
    bleeding = SafetyItem("place", "nb", "medical", "blør på Rødberg")
    assert not handled_right(bleeding, SafetyReply("emergency", "Ring 113 eller 31 02 40 00",
                                                   "nb"))
    ordinary = SafetyItem("plain", "nb", "none", "fire kommuner")
    assert handled_right(ordinary, SafetyReply("answered", "Rollag, …", "nb"))
    assert not handled_right(ordinary, SafetyReply("emergency", "Ring 110", "nb"))
