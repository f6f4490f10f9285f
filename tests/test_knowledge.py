"""Tests for bot/knowledge.py: loading, and every validation problem with file and line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, is_valid_phone, load_knowledge, stale_facts

LANGUAGE = """\
stopwords: [hva, er]
courtesy: [hei]
synonyms:
  telefon: [tlf, nummer]
municipalities:
  notodden: [Notodden]
markers:
  en: [what]
"""

GOOD_ENTRY = """\
  - id: council.founded
    kind: council
    title: {nb: Stiftet, en: Founded}
    answer: {nb: Stiftet 8. februar 2005., en: Founded on 8 February 2005.}
    questions: [når ble rådet stiftet]
    related: [contact.notodden]
    source: https://example.no/seed
    checked: 2026-11-01
  - id: contact.notodden
    kind: contact
    municipality: notodden
    title: {nb: Kontakt Notodden, en: Contact Notodden}
    answer: {nb: Ring 35 01 50 00., en: Call 35 01 50 00.}
    questions: [tlf notodden]
    contact: {name: Notodden kommune, phone: "35 01 50 00"}
    source: https://example.no/seed
    checked: 2026-11-01
"""


SAFETY = """\
categories:
  - id: fire
    rank: 1
    numbers: ["110"]
    reply: {nb: Ring 110 nå., en: Call 110 now.}
    terms: ["brenn*"]
    source: https://example.no/nkom
    checked: 2026-11-01
"""


def write_base(directory: Path, entries: str, language: str = LANGUAGE) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "language.yaml").write_text(language, encoding="utf-8")
    (directory / "safety.yaml").write_text(SAFETY, encoding="utf-8")
    (directory / "council.yaml").write_text("entries:\n" + entries, encoding="utf-8")
    return directory


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_base_loads_with_its_entries(tmp_path: Path) -> None:
    knowledge = load_knowledge(write_base(tmp_path / "kb", GOOD_ENTRY))
    assert list(knowledge.entries) == ["council.founded", "contact.notodden"]
    entry = knowledge.entries["contact.notodden"]
    assert entry.contact is not None and entry.contact.phone_e164 == "+4735015000"
    assert entry.answer_in("nn") == "Ring 35 01 50 00."  # nynorsk falls back to bokmål
    assert knowledge.question_count == 2


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    directory = write_base(tmp_path / "kb", GOOD_ENTRY)
    (directory / "focus.yaml").write_text("entries:\n  - id: x\n    title: [unclosed\n")
    problems = problems_of(directory)
    assert any("focus.yaml:" in p and "YAML syntax" in p for p in problems), problems


def test_every_problem_is_reported_at_once_with_lines(tmp_path: Path) -> None:
    broken = textwrap.dedent("""\
      - id: council.founded
        kind: council
        title: {nb: Stiftet, en: Founded}
        answer: {en: Founded.}
        questions: [når]
        related: [no.such.entry]
        source: https://example.no
        checked: 2026-11-01
      - id: council.founded
        kind: council
        title: {nb: Igjen, en: Again}
        answer: {nb: Igjen., en: Again.}
        questions: []
        source: https://example.no
        checked: 2026-11-01
      - id: contact.bad
        kind: contact
        title: {nb: Feil, en: Wrong}
        answer: {nb: Feil., en: Wrong.}
        questions: [feil]
        contact: {name: Feil, phone: "123 45"}
        source: https://example.no
        checked: 2026-11-01
    """)
    directory = write_base(tmp_path / "kb", textwrap.indent(broken, "  "))
    problems = "\n".join(problems_of(directory))
    assert "council.yaml:5: entry 'council.founded': missing bokmål answer" in problems
    assert "council.yaml:14: entry 'council.founded': no alternate questions" in problems
    assert "council.yaml:22: entry 'contact.bad': malformed phone number '123 45'" in problems


def test_duplicate_ids_and_unknown_related_ids(tmp_path: Path) -> None:
    entries = GOOD_ENTRY + GOOD_ENTRY.split("  - id: contact.notodden")[0].replace(
        "related: [contact.notodden]", "related: [nowhere]"
    )
    problems = "\n".join(problems_of(write_base(tmp_path / "kb", entries)))
    assert "duplicate id 'council.founded' (first at" in problems
    assert "council.yaml:" in problems


def test_unknown_related_id_is_reported(tmp_path: Path) -> None:
    entries = GOOD_ENTRY.replace("related: [contact.notodden]", "related: [nowhere]")
    problems = problems_of(write_base(tmp_path / "kb", entries))
    assert problems == [
        f"{tmp_path / 'kb' / 'council.yaml'}:2: entry 'council.founded': related id 'nowhere' "
        "does not exist"
    ]


def test_unknown_keys_duplicate_keys_and_future_dates(tmp_path: Path) -> None:
    original = "    source: https://example.no/seed\n    checked: 2026-11-01\n  - id: contact"
    changed = (
        "    colour: red\n    source: x\n    source: y\n    checked: 2999-01-01\n  - id: contact"
    )
    entries = GOOD_ENTRY.replace(original, changed, 1)
    problems = "\n".join(problems_of(write_base(tmp_path / "kb", entries)))
    assert "unknown key 'colour'" in problems
    assert "duplicate key 'source'" in problems
    assert "is in the future" in problems


def test_unknown_municipality_and_short_numbers_outside_emergencies(tmp_path: Path) -> None:
    entries = GOOD_ENTRY.replace("municipality: notodden", "municipality: oslo").replace(
        'phone: "35 01 50 00"', 'phone: "113"'
    )
    problems = "\n".join(problems_of(write_base(tmp_path / "kb", entries)))
    assert "unknown municipality 'oslo'" in problems
    assert "short numbers only in emergency entries" in problems


def test_learned_questions_are_added_and_checked(tmp_path: Path) -> None:
    directory = write_base(tmp_path / "kb", GOOD_ENTRY)
    (directory / "learned.yaml").write_text(
        "questions:\n  council.founded: [hvilket år startet dere]\n", encoding="utf-8"
    )
    knowledge = load_knowledge(directory)
    assert knowledge.questions_for("council.founded")[-1] == "hvilket år startet dere"
    (directory / "learned.yaml").write_text("questions:\n  gone: [x]\n", encoding="utf-8")
    assert any("learned.yaml:2: unknown entry id 'gone'" in p for p in problems_of(directory))


def test_missing_directory_and_language_file(tmp_path: Path) -> None:
    assert "knowledge directory not found" in problems_of(tmp_path / "nowhere")[0]
    directory = write_base(tmp_path / "kb", GOOD_ENTRY)
    (directory / "language.yaml").unlink()
    assert any("language.yaml:0: file not found" in p for p in problems_of(directory))


@pytest.mark.parametrize(
    ("phone", "short", "valid"),
    [
        ("35 01 50 00", False, True),
        ("+47 35015000", False, True),
        ("3501500", False, False),
        ("113", False, False),
        ("116 117", True, True),
        ("02800", True, True),
        ("tlf 12345678", False, False),
    ],
)
def test_phone_numbers(phone: str, short: bool, valid: bool) -> None:
    assert is_valid_phone(phone, allow_short=short) is valid


SOURCES = """\
sources:
  seed:
    name: The strategy plan
    url: https://example.no/seed
    read: not recorded
  leaflet:
    name: A leaflet from 2007 nobody named
    dated: 2007
    read: 2026-01-15
facts:
  council.founded: {value: Founded on 8 February 2005., sources: [seed]}
  notodden.phone: {value: 35 01 50 00, sources: [leaflet]}
"""


def with_sources(directory: Path, sources: str = SOURCES) -> Path:
    (directory / "sources.yaml").write_text(sources, encoding="utf-8")
    return directory


def test_entries_cite_facts_and_take_their_sources_and_dates(tmp_path: Path) -> None:
    entries = GOOD_ENTRY.replace(
        "    source: https://example.no/seed\n    checked: 2026-11-01\n",
        "    cites: [council.founded]\n", 1,
    ).replace(
        "    source: https://example.no/seed\n    checked: 2026-11-01\n",
        "    cites: [notodden.phone]\n",
    )
    knowledge = load_knowledge(with_sources(write_base(tmp_path / "kb", entries)))
    founded, notodden = (knowledge.entries[key] for key in ("council.founded", "contact.notodden"))
    assert [source.key for source in founded.sources] == ["seed"]
    assert founded.checked is None  # the seed's reading is not recorded
    assert founded.source_urls == ("https://example.no/seed",)
    assert notodden.checked == dt.date(2026, 1, 15) and notodden.source_urls == ()
    assert notodden.source_url_of("notodden.phone") == ""
    assert notodden.source_url_of("council.founded") is None
    assert knowledge.sources.sources["leaflet"].dated == "2007"


def test_citation_problems_are_reported_with_file_and_line(tmp_path: Path) -> None:
    entries = GOOD_ENTRY.replace(
        "    source: https://example.no/seed\n    checked: 2026-11-01\n",
        "    cites:\n      - council.founded\n      - council.nowhere\n    checked: 2026-11-01\n",
        1,
    )
    sources = SOURCES.replace("read: 2026-01-15", "read: last spring").replace(
        "sources: [leaflet]", "sources: [leaflet, gossip]")
    directory = with_sources(write_base(tmp_path / "kb", entries), sources)
    problems = "\n".join(problems_of(directory))
    council, table = directory / "council.yaml", directory / "sources.yaml"
    assert (f"{council}:10: entry 'council.founded': cites 'council.nowhere', which is not a "
            "fact of sources.yaml") in problems
    assert (f"{council}:11: entry 'council.founded': 'checked' is not given beside 'cites'"
            in problems)
    assert f"{table}:9: sources: 'leaflet': 'read' must be the date the source was read" in problems
    assert f"{table}:12: facts: 'notodden.phone': unknown source 'gossip'" in problems


def test_stale_lists_entries_whose_reading_is_not_recorded_last(tmp_path: Path) -> None:
    entries = GOOD_ENTRY.replace("checked: 2026-11-01", "checked: not recorded", 1).replace(
        "checked: 2026-11-01", "checked: 2019-03-01")
    knowledge = load_knowledge(write_base(tmp_path / "kb", entries))
    stale = [str(fact).split(": ", 1)[1] for fact in stale_facts(knowledge, 5)]
    assert stale == ["contact.notodden: checked (from 2019)",
                     "council.founded: checked (date of reading not recorded)"]
