"""Tests for bot/learned.py: editors' questions added to learned.yaml, atomically, undone on error.

Each test works on a temporary copy of knowledge/ (`knowledge_copy`), so the shipped
learned.yaml is never touched.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.engine import Engine, Outcome
from bot.learned import (
    InvalidVariant,
    LearnedFileError,
    add_question,
    learned_path,
    read_learned,
    render_learned,
    variant_problem,
)
from bot.privacy import mask

# Questions the shipped knowledge base does not answer; tests take the first the engine leaves
# unanswered while ranking some entry for it, so that tuning the matcher does not break them.
UNANSWERED = (
    "Når åpner svømmehallen i Notodden?",
    "Hvor kan jeg klage på brøytingen i Kongsberg?",
    "Hva koster det å leie Rjukan kino?",
    "Når er det søppeltømming i Flesberg?",
    "Hvem er rektor på Rollag skole?",
    "Hvor mye koster bussbillett fra Kongsberg til Notodden?",
)


def unanswered_with_candidates(engine: Engine) -> tuple[str, str]:
    """A question the engine does not answer, and its best-ranked entry; not one the facts
    layer says it has no such fact for ("Når åpner svømmehallen i Notodden?": opening hours),
    which a variant of an entry would not change."""
    for question in UNANSWERED:
        candidates = engine.rank(question).candidates
        result = engine.ask(question)
        if result.outcome is Outcome.UNANSWERED and result.fact is None and candidates:
            return question, candidates[0].entry.id
    pytest.fail("none of the UNANSWERED questions is unanswered with candidates any more")


def digests(directory: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(directory.iterdir())}


def test_adding_a_question_makes_the_engine_answer_it(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    question, entry_id = unanswered_with_candidates(editor_engine)
    before = digests(knowledge_copy)
    addition = add_question(editor_engine, entry_id, f"  {question}\n ")
    assert addition.added and addition.ok
    assert addition.question == question
    result = editor_engine.ask(question)
    assert result.outcome is Outcome.ANSWERED and result.entry.id == entry_id
    after = digests(knowledge_copy)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"learned.yaml"}
    assert set(after) == set(before), "no temporary file may be left behind"
    text = learned_path(knowledge_copy).read_text(encoding="utf-8")
    assert text.startswith("# learned.yaml")
    assert yaml.safe_load(text) == {"questions": {entry_id: [question]}}
    assert (PROJECT_ROOT / "knowledge" / "learned.yaml").read_text(encoding="utf-8") != text


def test_a_question_the_entry_has_is_not_added_twice(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    entry = editor_engine.knowledge.entries["contact.notodden"]
    curated = entry.questions[0]
    before = learned_path(knowledge_copy).read_bytes()
    assert not add_question(editor_engine, entry.id, curated.upper() + "?").added
    assert learned_path(knowledge_copy).read_bytes() == before
    assert add_question(editor_engine, entry.id, "nummer til rådhuset i notodden").added
    again = add_question(editor_engine, entry.id, "Nummer til  rådhuset i Notodden?")
    assert not again.added and again.ok
    assert read_learned(learned_path(knowledge_copy)) == {
        "contact.notodden": ["nummer til rådhuset i notodden"]
    }


def test_entries_stay_sorted_and_the_header_is_kept(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    path = learned_path(knowledge_copy)
    header = path.read_text(encoding="utf-8").split("questions:")[0]
    add_question(editor_engine, "contact.tinn", "telefon til rådhuset på rjukan")
    add_question(editor_engine, "contact.notodden", "sentralbordet i notodden")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(header)
    assert text.index("contact.notodden:") < text.index("contact.tinn:")
    assert "    - sentralbordet i notodden" in text


def test_a_reload_that_fails_restores_the_file(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    question, entry_id = unanswered_with_candidates(editor_engine)
    before = learned_path(knowledge_copy).read_bytes()
    council = knowledge_copy / "council.yaml"
    council.write_text(council.read_text(encoding="utf-8") + "\n  - id: [broken\n",
                       encoding="utf-8")
    addition = add_question(editor_engine, entry_id, question)
    assert not addition.ok and not addition.added
    assert any(problem.file.endswith("council.yaml") for problem in addition.problems)
    assert learned_path(knowledge_copy).read_bytes() == before
    assert editor_engine.ask(question).outcome is Outcome.UNANSWERED
    assert editor_engine.ask("tlf notodden").outcome is Outcome.ANSWERED


def test_an_unreadable_learned_file_is_left_alone(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    path = learned_path(knowledge_copy)
    path.write_text("questions: [not, a, mapping\n", encoding="utf-8")
    with pytest.raises(LearnedFileError):
        add_question(editor_engine, "contact.tinn", "hei")
    assert path.read_text(encoding="utf-8") == "questions: [not, a, mapping\n"


def test_unknown_entries_and_empty_questions_are_refused(editor_engine: Engine) -> None:
    with pytest.raises(KeyError):
        add_question(editor_engine, "no.such.entry", "hei")
    with pytest.raises(ValueError):
        add_question(editor_engine, "contact.tinn", "   ")


@pytest.mark.parametrize(("text", "problem"), [
    ("Når åpner svømmehallen i Notodden?", None),
    ("  hvem   er ordfører\n i tinn ", None),
    ("", "empty"),
    (" \n ", "empty"),
    ("x" * 301, "too_long"),
    (mask("ring meg på 912 34 567"), "placeholder"),
    (mask("send det til ola@example.no"), "placeholder"),
    (mask("fnr 01017012345"), "placeholder"),
    ("hva er [telefon] til tinn", "placeholder"),
    ("ring meg på 912 34 567", "personal"),
    ("svar til ola.nordmann@example.no", "personal"),
])
def test_what_may_be_added_as_a_question(text: str, problem: str | None) -> None:
    assert variant_problem(text) == problem


def test_masked_or_personal_text_never_reaches_the_file(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    before = digests(knowledge_copy)
    for text in (mask("ring meg på 912 34 567 om badet"), "mail kari@example.no om badet"):
        with pytest.raises(InvalidVariant):
            add_question(editor_engine, "contact.tinn", text)
    assert digests(knowledge_copy) == before


def test_a_missing_file_is_created_with_the_header(
    editor_engine: Engine, knowledge_copy: Path
) -> None:
    path = learned_path(knowledge_copy)
    path.unlink()
    assert add_question(editor_engine, "contact.tinn", "rådhuset på rjukan").added
    assert path.read_text(encoding="utf-8").startswith("# learned.yaml")
    assert render_learned({}).rstrip().endswith("questions: {}")
