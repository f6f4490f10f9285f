"""The knowledge base: `knowledge/*.yaml` loaded, validated and turned into typed entries.

Loading never stops at the first problem: every problem is collected with its file and line,
so an editor can fix a file in one go (`python -m bot check`). A knowledge base with problems
is never returned; the caller keeps whatever it had before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from bot.facts import FactData
    from bot.person_request import PersonRequestData
    from bot.safety import SafetyData

LANGUAGES = ("nb", "nn", "en")
REQUIRED_LANGUAGES = ("nb", "en")
KINDS = ("council", "focus_area", "municipality", "contact", "emergency", "smalltalk")
LANGUAGE_FILE = "language.yaml"
LEARNED_FILE = "learned.yaml"
SAFETY_FILE = "safety.yaml"
FACTS_FILE = "facts.yaml"
FOLLOWUP_FILE = "followup.yaml"
SOURCES_FILE = "sources.yaml"
DATA_FILES = (LANGUAGE_FILE, LEARNED_FILE, SAFETY_FILE, FACTS_FILE, FOLLOWUP_FILE, SOURCES_FILE)
ENTRY_KEYS = {
    "id", "kind", "title", "answer", "questions", "keywords", "related",
    "municipality", "contact", "source", "checked", "cites",
}
SOURCE_KEYS = {"name", "url", "dated", "read"}
FACT_KEYS = {"value", "sources", "status"}
NOT_RECORDED = "not recorded"
"""What `read` (sources.yaml) or `checked` says when nobody recorded the date."""
CONTACT_KEYS = {"name", "phone", "phone_year", "email", "website", "address", "address_year"}
LANGUAGE_KEYS = {"stopwords", "courtesy", "synonyms", "municipalities", "markers"}
_ID_PATTERN = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the knowledge base, with where it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; `problems` lists everything found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Contact:
    """What a contact card holds; every field but the name may be empty."""

    name: str
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    phone_year: str = ""
    """The year an old phone number was read (empty when the source is current)."""
    address_year: str = ""
    """The year an old address was read (empty when the source is current)."""

    @property
    def phone_e164(self) -> str:
        """The phone number as +47XXXXXXXX (short numbers stay as they are)."""
        digits = phone_digits(self.phone)
        return f"+47{digits}" if len(digits) == 8 else digits


@dataclass(frozen=True)
class Source:
    """A place facts were read, as the fact sheet names it (knowledge/sources.yaml)."""

    key: str
    name: str
    url: str = ""
    dated: str = ""
    """The source's own date or year where the fact sheet gives one ("2007")."""
    read: dt.date | None = None
    """The date the source was read; None when it was not recorded."""


@dataclass(frozen=True)
class Fact:
    """One fact of the fact sheet: its value as the sheet gives it and where it was read."""

    key: str
    value: str
    sources: tuple[str, ...]
    status: str = ""
    line: int = 0


@dataclass(frozen=True)
class SourceTable:
    """knowledge/sources.yaml: which fact comes from where."""

    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)

    def sources_of(self, fact_keys: Iterable[str]) -> tuple[Source, ...]:
        """The sources of the facts named, each once, in the order first cited."""
        keys = dict.fromkeys(key for fact in fact_keys if fact in self.facts
                             for key in self.facts[fact].sources)
        return tuple(self.sources[key] for key in keys if key in self.sources)


@dataclass(frozen=True)
class Entry:
    """One answer the bot can give, with the ways people ask for it."""

    id: str
    kind: str
    title: dict[str, str]
    answer: dict[str, str]
    questions: tuple[str, ...]
    source: str
    """Where the facts were read, as text: the cited sources' addresses or names."""
    checked: dt.date | None
    """The date the sources were read (the earliest, for several); None if not recorded."""
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    municipality: str | None = None
    contact: Contact | None = None
    file: str = ""
    line: int = 0
    cites: tuple[Fact, ...] = ()
    """The facts of sources.yaml the answer states."""
    sources: tuple[Source, ...] = ()
    """The sources of the cited facts, each once, in the order first cited."""

    @property
    def source_urls(self) -> tuple[str, ...]:
        """The web addresses of the entry's sources, each once, in the order cited."""
        if not self.cites:
            return (self.source,) if self.source.startswith("http") else ()
        return tuple(dict.fromkeys(source.url for source in self.sources if source.url))

    def source_url_of(self, fact_key: str) -> str | None:
        """The first web address among the sources of a fact the entry cites: "" when the
        fact's sources have none, None when the entry does not cite the fact."""
        fact = next((fact for fact in self.cites if fact.key == fact_key), None)
        if fact is None:
            return None
        urls = {source.key: source.url for source in self.sources}
        return next((urls[key] for key in fact.sources if urls.get(key)), "")

    def title_in(self, language: str) -> str:
        """The title in `language`, nynorsk falling back to bokmål."""
        return pick(self.title, language)

    def answer_in(self, language: str) -> str:
        """The answer in `language`, nynorsk falling back to bokmål."""
        return pick(self.answer, language)


@dataclass(frozen=True)
class LanguageData:
    """Word lists that make matching language-aware; editors keep them in language.yaml."""

    stopwords: frozenset[str] = frozenset()
    courtesy: frozenset[str] = frozenset()
    synonyms: dict[str, str] = field(default_factory=dict)
    municipalities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    markers: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class KnowledgeBase:
    """A validated knowledge base; never mutated, replaced whole on reload."""

    entries: dict[str, Entry]
    language: LanguageData
    learned: dict[str, tuple[str, ...]]
    directory: Path
    safety: SafetyData | None = None
    facts: FactData | None = None
    person_requests: PersonRequestData | None = None
    sources: SourceTable = field(default_factory=SourceTable)

    def questions_for(self, entry_id: str) -> tuple[str, ...]:
        """The entry's alternate questions, curated and learned."""
        return self.entries[entry_id].questions + self.learned.get(entry_id, ())

    def municipality_entry(self, key: str, kind: str) -> Entry | None:
        """The entry of `kind` ("municipality" or "contact") about municipality `key`."""
        for entry in self.entries.values():
            if entry.municipality == key and entry.kind == kind:
                return entry
        return None

    @property
    def question_count(self) -> int:
        """How many alternate questions the base holds in all."""
        return sum(len(self.questions_for(entry_id)) for entry_id in self.entries)


def pick(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, nynorsk (and any other missing language) falling back to
    bokmål; empty when there is none."""
    return texts.get(language) or texts.get("nb", "")


@dataclass(frozen=True)
class StaleFact:
    """A fact old enough to re-check: where it is, what it is, and the year it is from."""

    file: str
    line: int
    what: str
    year: int | None
    """None: the date its source was read is not recorded."""

    def __str__(self) -> str:
        when = f"from {self.year}" if self.year is not None else "date of reading not recorded"
        return f"{self.file}:{self.line}: {self.what} ({when})"


def stale_facts(
    knowledge: KnowledgeBase, years: int, today: dt.date | None = None
) -> list[StaleFact]:
    """Facts from `years` or more years ago: old phone numbers and addresses (their year), and
    entries whose source was checked that long ago. Oldest first; then the entries whose
    sources' date of reading is not recorded, which need checking just as much."""
    limit = (today or dt.date.today()).year - years
    found = []
    for entry in knowledge.entries.values():
        contact = entry.contact
        for label, year in (("phone", contact.phone_year if contact else ""),
                            ("address", contact.address_year if contact else "")):
            if year and int(year) <= limit:
                found.append(StaleFact(entry.file, entry.line, f"{entry.id}: {label}", int(year)))
        if entry.checked is None:
            if entry.source:  # an entry that states no fact has no source to re-check
                found.append(StaleFact(entry.file, entry.line, f"{entry.id}: checked", None))
        elif entry.checked.year <= limit:
            found.append(StaleFact(entry.file, entry.line, f"{entry.id}: checked",
                                   entry.checked.year))
    return sorted(found, key=lambda fact: (fact.year is None, fact.year or 0, fact.file,
                                           fact.line))


def phone_digits(phone: str) -> str:
    """The digits of a Norwegian phone number without the +47/0047 country code."""
    digits = re.sub(r"[\s\-.]", "", phone)
    if digits.startswith("+47"):
        digits = digits[3:]
    elif digits.startswith("0047"):
        digits = digits[4:]
    return digits


def is_valid_phone(phone: str, *, allow_short: bool) -> bool:
    """Eight digits (optionally +47), or a 3-6 digit short number where allowed."""
    digits = phone_digits(phone)
    if not digits.isdigit():
        return False
    return len(digits) == 8 or (allow_short and 3 <= len(digits) <= 6)


# --- YAML with line numbers -------------------------------------------------------------------


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that remembers the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that keeps line numbers and reports duplicate keys."""

    def __init__(self, stream: str, file: str, problems: list[Problem]) -> None:
        super().__init__(stream)
        self.file = file
        self.problems = problems

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result:
                self.problems.append(Problem(self.file, line, f"duplicate key '{key}'"))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    """Parse one YAML file with line numbers; syntax errors become problems, result None."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(name, 0, f"cannot read the file: {error}"))
        return None
    loader = _LineLoader(text, name, problems)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        problems.append(Problem(name, line, f"YAML syntax: {error.problem or error}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(name, 0, f"YAML syntax: {error}"))
        return None
    finally:
        loader.dispose()


def line_of(mapping: Any, key: str) -> int:
    """The line of `key` in a mapping read by `read_yaml` (the mapping's own line if absent)."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, mapping.line)
    return 0


# --- Loading and validation -------------------------------------------------------------------


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Load and validate every file in `directory`; raise KnowledgeError listing all problems."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), 0, "knowledge directory not found")])
    language = _load_language(directory / LANGUAGE_FILE, problems)
    table = load_sources(directory / SOURCES_FILE, problems)
    entries: dict[str, Entry] = {}
    entry_files = sorted(
        path for path in directory.glob("*.yaml") if path.name not in DATA_FILES
    )
    if not entry_files:
        problems.append(Problem(str(directory), 0, "no knowledge files (*.yaml) found"))
    for path in entry_files:
        for entry in _load_entry_file(path, language, table, problems):
            if entry.id in entries:
                first = entries[entry.id]
                problems.append(
                    Problem(entry.file, entry.line,
                            f"duplicate id '{entry.id}' (first at {first.file}:{first.line})")
                )
                continue
            entries[entry.id] = entry
    _check_references(entries, problems)
    learned = _load_learned(directory / LEARNED_FILE, entries, problems)
    # The safety layer and the facts read YAML with this module's tools, hence imported here.
    from bot.facts import load_facts
    from bot.person_request import load_person_requests
    from bot.safety import load_safety

    safety = load_safety(directory / SAFETY_FILE, entries, problems)
    facts = load_facts(directory / FACTS_FILE, entries, language.municipalities, problems)
    person_requests = load_person_requests(directory / FOLLOWUP_FILE, problems)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(
        entries=entries, language=language, learned=learned, directory=directory, safety=safety,
        facts=facts, person_requests=person_requests, sources=table,
    )


def _load_entry_file(
    path: Path, language: LanguageData, table: SourceTable, problems: list[Problem]
) -> Iterator[Entry]:
    data = read_yaml(path, problems)
    name = str(path)
    if data is None:
        return
    if not isinstance(data, dict) or "entries" not in data:
        problems.append(Problem(name, 1, "the file must have a top-level key 'entries'"))
        return
    for key in data:
        if key != "entries":
            problems.append(Problem(name, line_of(data, key), f"unknown top-level key '{key}'"))
    items = data["entries"]
    if not isinstance(items, list):
        problems.append(Problem(name, line_of(data, "entries"), "'entries' must be a list"))
        return
    lines = getattr(items, "item_lines", [0] * len(items))
    for raw, line in zip(items, lines, strict=True):
        entry = _parse_entry(raw, name, line, language, table, problems)
        if entry is not None:
            yield entry


def _parse_entry(
    raw: Any, file: str, line: int, language: LanguageData, table: SourceTable,
    problems: list[Problem],
) -> Entry | None:
    """Validate one entry; report every problem; return the entry if it is usable."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, line, "an entry must be a mapping with 'id', 'title', ..."))
        return None
    before = len(problems)

    def report(key: str, message: str) -> None:
        problems.append(Problem(file, line_of(raw, key) or line, message))

    entry_id = raw.get("id")
    label = f"entry '{entry_id}'" if isinstance(entry_id, str) else "entry"
    for key in raw:
        if key not in ENTRY_KEYS:
            report(key, f"{label}: unknown key '{key}' (known: {', '.join(sorted(ENTRY_KEYS))})")
    if not isinstance(entry_id, str) or not _ID_PATTERN.match(entry_id):
        report("id", f"{label}: 'id' must be lower-case letters, digits, '_' and '.', "
                     f"got {entry_id!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        report("kind", f"{label}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    title = texts_of(raw, "title", label, report)
    answer = texts_of(raw, "answer", label, report)
    questions = _strings(raw, "questions", label, report, required=True)
    keywords = _strings(raw, "keywords", label, report, required=False)
    related = _strings(raw, "related", label, report, required=False)
    municipality = raw.get("municipality")
    if municipality is not None and municipality not in language.municipalities:
        report("municipality", f"{label}: unknown municipality {municipality!r} "
                               f"(known in {LANGUAGE_FILE}: {', '.join(language.municipalities)})")
    contact = _contact(raw, label, report, allow_short=kind == "emergency")
    if "cites" in raw:
        cites = _cited_facts(raw, label, table, file, problems)
        sources = table.sources_of(fact.key for fact in cites)
        for key in ("source", "checked"):
            if key in raw:
                report(key, f"{label}: '{key}' is not given beside 'cites': the cited facts' "
                            f"sources and the dates they were read are in {SOURCES_FILE}")
        source = "; ".join(item.url or item.name for item in sources)
        reads = [item.read for item in sources]
        checked = None if None in reads or not reads else min(reads)
    else:
        cites, sources = (), ()
        source = raw.get("source")
        if not isinstance(source, str) or not source.strip():
            report("source", f"{label}: 'source' is required: where the facts were read "
                             f"(or 'cites': the facts of {SOURCES_FILE} the answer states)")
            source = ""
        checked = checked_date(raw, label, report)
    if len(problems) > before:
        return None
    return Entry(
        id=entry_id, kind=kind, title=title, answer=answer, questions=questions,
        keywords=keywords, related=related, municipality=municipality, contact=contact,
        source=source.strip(), checked=checked, file=file, line=line, cites=cites,
        sources=sources,
    )


def _cited_facts(
    raw: dict, label: str, table: SourceTable, file: str, problems: list[Problem]
) -> tuple[Fact, ...]:
    """The facts an entry's `cites` names; an unknown key is a problem at its own line."""
    value = raw.get("cites")
    if not isinstance(value, list):
        problems.append(Problem(file, line_of(raw, "cites"), f"{label}: 'cites' must list "
                                f"the keys of the facts in {SOURCES_FILE} the answer states "
                                "([] for an answer that states none)"))
        return ()
    lines = getattr(value, "item_lines", [line_of(raw, "cites")] * len(value))
    facts = []
    for key, where in zip(value, lines, strict=True):
        fact = table.facts.get(key) if isinstance(key, str) else None
        if fact is None:
            problems.append(Problem(file, where, f"{label}: cites {key!r}, which is not a fact "
                                    f"of {SOURCES_FILE}"))
        elif fact in facts:
            problems.append(Problem(file, where, f"{label}: cites {key!r} twice"))
        else:
            facts.append(fact)
    return tuple(facts)


def texts_of(raw: dict, key: str, label: str, report: Any) -> dict[str, str]:
    """The texts of `key` in `raw` by language (nb and en required); every problem goes to
    `report(key, message)`."""
    value = raw.get(key)
    if not isinstance(value, dict):
        report(key, f"{label}: '{key}' must give nb and en text, for example '{key}: {{nb: ..., "
                    "en: ...}}'")
        return {}
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in LANGUAGES:
            report(key, f"{label}: '{key}' has unknown language '{language}' "
                        f"(use {', '.join(LANGUAGES)})")
        elif not isinstance(text, str) or not text.strip():
            report(key, f"{label}: '{key}.{language}' must be non-empty text")
        else:
            texts[language] = text.strip()
    for language in REQUIRED_LANGUAGES:
        if language not in value:
            name = {"nb": "bokmål", "en": "English"}[language]
            report(key, f"{label}: missing {name} {key} ('{key}.{language}')")
    return texts


def _strings(raw: dict, key: str, label: str, report: Any, *, required: bool) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        if required:
            report(key, f"{label}: no alternate questions ('{key}' needs at least one)")
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        report(key, f"{label}: '{key}' must be a list of text")
        return ()
    items = tuple(str(item).strip() for item in value if str(item).strip())
    if required and not items:
        report(key, f"{label}: no alternate questions ('{key}' needs at least one)")
    return items


def _contact(raw: dict, label: str, report: Any, *, allow_short: bool) -> Contact | None:
    value = raw.get("contact")
    if value is None:
        return None
    if not isinstance(value, dict):
        report("contact", f"{label}: 'contact' must be a mapping with name, phone, ...")
        return None
    fields: dict[str, str] = {}
    for key, item in value.items():
        where = value.key_lines.get(key) if isinstance(value, LineDict) else None
        if key not in CONTACT_KEYS:
            report("contact", f"{label}: unknown contact field '{key}' (line {where})")
        elif not isinstance(item, str | int):
            report("contact", f"{label}: contact '{key}' must be text (line {where})")
        else:
            fields[key] = str(item).strip()
    if not fields.get("name"):
        report("contact", f"{label}: a contact needs a 'name'")
    phone = fields.get("phone", "")
    if phone and not is_valid_phone(phone, allow_short=allow_short):
        kind = "" if allow_short else " (short numbers only in emergency entries)"
        report("contact", f"{label}: malformed phone number {phone!r}: use eight digits, "
                          f"optionally with +47{kind}")
    for year_key, value_key in (("phone_year", "phone"), ("address_year", "address")):
        year = fields.get(year_key, "")
        if year and not (year.isdigit() and len(year) == 4
                         and int(year) <= dt.date.today().year):
            report("contact", f"{label}: '{year_key}' must be a year such as 2007, got {year!r}")
        elif year and not fields.get(value_key):
            report("contact", f"{label}: '{year_key}' without a '{value_key}'")
    email = fields.get("email", "")
    if email and not _EMAIL_PATTERN.match(email):
        report("contact", f"{label}: malformed e-mail address {email!r}")
    website = fields.get("website", "")
    if website and not website.startswith(("http://", "https://")):
        report("contact", f"{label}: website must start with https:// or http://")
    if not fields.get("name"):
        return None
    return Contact(**fields)


def checked_date(raw: dict, label: str, report: Any) -> dt.date | None:
    """The `checked` date of an entry (or another block) in `raw`, None for `not recorded`
    (nobody noted when the source was read); problems go to `report`."""
    value = raw.get("checked")
    if str(value).strip().lower() == NOT_RECORDED:
        return None
    if isinstance(value, dt.date):
        checked = value
    else:
        try:
            checked = dt.date.fromisoformat(str(value))
        except ValueError:
            report("checked", f"{label}: 'checked' must be a date YYYY-MM-DD or "
                              f"'{NOT_RECORDED}', got {value!r}")
            return dt.date.min
    if checked > dt.date.today():
        report("checked", f"{label}: 'checked' date {checked} is in the future")
    return checked


def load_sources(path: Path, problems: list[Problem]) -> SourceTable:
    """knowledge/sources.yaml: the sources the fact sheet names and the facts read in each.
    A knowledge base without the file has no facts to cite (entries then give `source`)."""
    if not path.exists():
        return SourceTable()
    data = read_yaml(path, problems)
    name = str(path)
    if data is None:
        return SourceTable()
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "the file must hold 'sources:' and 'facts:'"))
        return SourceTable()
    for key in data:
        if key not in ("sources", "facts"):
            problems.append(Problem(name, line_of(data, key), f"unknown top-level key '{key}' "
                                    "(known: facts, sources)"))
    sources = _sources(data.get("sources"), data, name, problems)
    facts = _facts(data.get("facts"), data, sources, name, problems)
    return SourceTable(sources=sources, facts=facts)


def _blocks(
    value: Any, parent: Any, key: str, known: set[str], file: str, problems: list[Problem]
) -> Iterator[tuple[str, LineDict, Any]]:
    """The named blocks of `parent[key]`, each with a `report(field, message)` at its line;
    blocks that are not mappings and unknown fields are problems."""
    if not isinstance(value, dict) or not value:
        problems.append(Problem(file, line_of(parent, key), f"'{key}' must be a mapping of "
                                "named blocks"))
        return
    for block_key, block in value.items():
        if not isinstance(block_key, str) or not _ID_PATTERN.match(block_key):
            problems.append(Problem(file, line_of(value, block_key), f"{key}: key "
                                    f"{block_key!r} must be lower-case letters, digits, "
                                    "'_' and '.'"))
            continue
        if not isinstance(block, dict):
            problems.append(Problem(file, line_of(value, block_key), f"{key}: '{block_key}' "
                                    f"must be a mapping ({', '.join(sorted(known))})"))
            continue

        def report(field_name: str, message: str, block: Any = block,
                   block_key: str = block_key) -> None:
            line = line_of(block, field_name) or line_of(value, block_key)
            problems.append(Problem(file, line, f"{key}: '{block_key}': {message}"))

        for field_name in block:
            if field_name not in known:
                report(field_name, f"unknown key '{field_name}' "
                                   f"(known: {', '.join(sorted(known))})")
        yield block_key, block, report


def _sources(value: Any, data: Any, file: str, problems: list[Problem]) -> dict[str, Source]:
    sources = {}
    for key, raw, report in _blocks(value, data, "sources", SOURCE_KEYS, file, problems):
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            report("name", "'name' is required: what the source is")
            name = ""
        url = str(raw.get("url") or "").strip()
        if url and not url.startswith(("http://", "https://")):
            report("url", "'url' must start with https:// or http://")
        read = raw.get("read")
        if read is None or str(read).strip().lower() == NOT_RECORDED:
            read = None
        elif not isinstance(read, dt.date) or read > dt.date.today():
            report("read", f"'read' must be the date the source was read (YYYY-MM-DD, not in "
                           f"the future) or '{NOT_RECORDED}', got {read!r}")
            read = None
        dated = raw.get("dated")
        sources[key] = Source(key=key, name=name.strip(), url=url, read=read,
                              dated="" if dated is None else str(dated))
    return sources


def _facts(
    value: Any, data: Any, sources: dict[str, Source], file: str, problems: list[Problem]
) -> dict[str, Fact]:
    facts = {}
    for key, raw, report in _blocks(value, data, "facts", FACT_KEYS, file, problems):
        text = raw.get("value")
        if not isinstance(text, str | int) or not str(text).strip():
            report("value", "'value' is required: the fact as the fact sheet gives it")
        cited = raw.get("sources")
        if not isinstance(cited, list) or not all(isinstance(item, str) for item in cited):
            report("sources", "'sources' must list keys of 'sources' (empty for a fact the "
                              "fact sheet did not find)")
            cited = []
        for item in cited:
            if item not in sources:
                report("sources", f"unknown source '{item}'")
        facts[key] = Fact(key=key, value=str(text or "").strip(), sources=tuple(cited),
                          status=str(raw.get("status") or ""), line=line_of(value, key))
    return facts


def _check_references(entries: dict[str, Entry], problems: list[Problem]) -> None:
    for entry in entries.values():
        for related in entry.related:
            if related not in entries:
                problems.append(
                    Problem(entry.file, entry.line,
                            f"entry '{entry.id}': related id '{related}' does not exist")
                )
            elif related == entry.id:
                problems.append(
                    Problem(entry.file, entry.line, f"entry '{entry.id}' lists itself as related")
                )


def _load_language(path: Path, problems: list[Problem]) -> LanguageData:
    if not path.exists():
        problems.append(Problem(str(path), 0, "file not found (stop words, synonyms, names)"))
        return LanguageData()
    data = read_yaml(path, problems)
    name = str(path)
    if data is None:
        return LanguageData()
    if not isinstance(data, dict):
        problems.append(Problem(name, 1, "the file must be a mapping of word lists"))
        return LanguageData()
    for key in data:
        if key not in LANGUAGE_KEYS:
            problems.append(Problem(name, line_of(data, key), f"unknown key '{key}' "
                                    f"(known: {', '.join(sorted(LANGUAGE_KEYS))})"))
    synonyms: dict[str, str] = {}
    for canonical, variants in _mapping_of_lists(data, "synonyms", name, problems):
        for variant in variants:
            previous = synonyms.get(variant.lower())
            if previous is not None and previous != canonical:
                problems.append(Problem(name, line_of(data["synonyms"], canonical),
                                        f"synonym '{variant}' is listed under both "
                                        f"'{previous}' and '{canonical}'"))
            synonyms[variant.lower()] = canonical
    return LanguageData(
        stopwords=frozenset(_word_list(data, "stopwords", name, problems)),
        courtesy=frozenset(_word_list(data, "courtesy", name, problems)),
        synonyms=synonyms,
        municipalities=dict(_mapping_of_lists(data, "municipalities", name, problems)),
        markers={key: frozenset(words)
                 for key, words in _mapping_of_lists(data, "markers", name, problems)},
    )


def _word_list(data: dict, key: str, file: str, problems: list[Problem]) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list):
        problems.append(Problem(file, line_of(data, key), f"'{key}' must be a list of words"))
        return []
    return [str(word).lower() for word in value]


def _mapping_of_lists(
    data: dict, key: str, file: str, problems: list[Problem]
) -> Iterable[tuple[str, tuple[str, ...]]]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        problems.append(Problem(file, line_of(data, key), f"'{key}' must be a mapping"))
        return []
    pairs = []
    for name, words in value.items():
        if not isinstance(words, list) or not words:
            problems.append(Problem(file, line_of(value, name),
                                    f"'{key}.{name}' must be a non-empty list"))
            continue
        pairs.append((str(name), tuple(str(word) for word in words)))
    return pairs


def _load_learned(
    path: Path, entries: dict[str, Entry], problems: list[Problem]
) -> dict[str, tuple[str, ...]]:
    """Alternate questions added by editors, kept apart from the curated files."""
    if not path.exists():
        return {}
    data = read_yaml(path, problems)
    if data is None:
        return {}
    name = str(path)
    if not isinstance(data, dict) or not isinstance(data.get("questions") or {}, dict):
        problems.append(Problem(name, 1, "the file must hold 'questions: {entry id: [...]}'"))
        return {}
    learned: dict[str, tuple[str, ...]] = {}
    questions = data.get("questions") or {}
    for entry_id, items in questions.items():
        line = line_of(questions, entry_id)
        if entry_id not in entries:
            problems.append(Problem(name, line, f"unknown entry id '{entry_id}'"))
        elif not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            problems.append(Problem(name, line, f"'{entry_id}' must hold a list of questions"))
        else:
            learned[entry_id] = tuple(item.strip() for item in items if item.strip())
    return learned
