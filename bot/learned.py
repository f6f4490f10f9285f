"""Adding an editor's question as an alternate question of an entry, in knowledge/learned.yaml.

The curated files stay as people wrote them: what editors teach the bot goes in `learned.yaml`
(`questions: {entry id: [question, ...]}`), kept readable with a comment header and sorted by
entry id. The file is written atomically (a temporary file in the same folder, then
`os.replace`), a question the entry already has is not added twice, and the engine reloads the
knowledge base at once. If that reload reports problems, the previous file is put back, so a
running bot never serves from, nor leaves behind, a knowledge base that does not load.

What is added must read as a question a person could ask: not empty, not longer than
MAX_QUESTION_CHARS, with no placeholder of the question log's masking ("[telefon]") and no
personal data (`variant_problem`). Editors see the exact text before it is saved and can change
it (handlers/editors.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Engine
from bot.knowledge import LEARNED_FILE, Problem
from bot.privacy import mask

DEFAULT_HEADER = """\
# learned.yaml: written by the bot, not by hand.
#
# When an editor takes a question from the question log and adds it as an alternate
# question of an existing entry, the bot stores it here (entry id -> list of added
# questions), so the curated files stay exactly as people wrote them. The matcher uses
# these questions together with the `questions` of the entry.
#
# Editing by hand is possible (keep the format); an id that no longer exists is reported
# by `.venv/bin/python -m bot check`.
"""
MAX_QUESTION_CHARS = 300
# A masking placeholder such as "[telefon]" or "[e-post]" (any short word in brackets).
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class LearnedFileError(Exception):
    """learned.yaml cannot be read as `questions: {entry id: [...]}`; nothing was written."""


class InvalidVariant(ValueError):
    """The text may not be added as a question; `reason` is one of VARIANT_PROBLEMS."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


VARIANT_PROBLEMS = ("empty", "too_long", "placeholder", "personal")


@dataclass(frozen=True)
class Addition:
    """What adding a question did."""

    entry_id: str
    question: str
    added: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the knowledge base now holds the question (added now or before)."""
        return not self.problems


def learned_path(directory: Path) -> Path:
    """Where the learned questions of a knowledge directory are."""
    return directory / LEARNED_FILE


def clean_question(text: str) -> str:
    """One line, single spaces, at most MAX_QUESTION_CHARS characters."""
    return " ".join(text.split())[:MAX_QUESTION_CHARS].strip()


def variant_problem(text: str) -> str | None:
    """Why `text` may not be added as a question (one of VARIANT_PROBLEMS), or None."""
    question = " ".join(text.split())
    if not question:
        return "empty"
    if len(question) > MAX_QUESTION_CHARS:
        return "too_long"
    if _PLACEHOLDER.search(question):
        return "placeholder"
    if mask(question) != question:
        return "personal"
    return None


def _same(question: str) -> str:
    return " ".join(question.casefold().split()).rstrip("?!. ")


def read_learned(path: Path) -> dict[str, list[str]]:
    """The learned questions by entry id ({} when the file does not exist)."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise LearnedFileError(f"{path.name}: {error}") from error
    questions = data.get("questions") if isinstance(data, dict) else None
    if questions is None:
        questions = {}
    if not isinstance(questions, dict) or not all(
        isinstance(items, list | type(None)) for items in questions.values()
    ):
        raise LearnedFileError(f"{path.name}: must hold 'questions: {{entry id: [...]}}'")
    return {str(key): [str(item) for item in items or []] for key, items in questions.items()}


def header_of(path: Path) -> str:
    """The file's leading comment block (the default header for a new file)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return DEFAULT_HEADER
    header = []
    for line in lines:
        if line.startswith("#") or (not line.strip() and header):
            header.append(line)
        else:
            break
    text = "\n".join(header).rstrip()
    return text + "\n" if text else DEFAULT_HEADER


def render_learned(questions: dict[str, list[str]], header: str = DEFAULT_HEADER) -> str:
    """The file's text: the header, then the questions sorted by entry id."""
    ordered = {key: questions[key] for key in sorted(questions) if questions[key]}
    if not ordered:
        return f"{header}\nquestions: {{}}\n"
    body = yaml.dump(
        {"questions": ordered}, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False,
        default_flow_style=False, width=1000, indent=2,
    )
    return f"{header}\n{body}"


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old file or the new, never half."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def add_question(engine: Engine, entry_id: str, question: str) -> Addition:
    """Add `question` to entry `entry_id` in learned.yaml and reload the engine.

    Raises KeyError for an unknown entry, InvalidVariant for a text that may not be added
    (`variant_problem`) and LearnedFileError when learned.yaml cannot be read. On reload
    problems the previous file is restored and the problems are returned.
    """
    knowledge = engine.knowledge
    if entry_id not in knowledge.entries:
        raise KeyError(entry_id)
    problem = variant_problem(question)
    if problem is not None:
        raise InvalidVariant(problem)
    question = clean_question(question)
    path = learned_path(knowledge.directory)
    questions = read_learned(path)
    known = {_same(existing) for existing in knowledge.questions_for(entry_id)}
    known |= {_same(existing) for existing in questions.get(entry_id, [])}
    if _same(question) in known:
        return Addition(entry_id, question, added=False)
    previous = path.read_bytes() if path.exists() else None
    questions.setdefault(entry_id, []).append(question)
    write_atomically(path, render_learned(questions, header_of(path)))
    problems = engine.reload()
    if problems:
        _restore(path, previous)
        return Addition(entry_id, question, added=False, problems=problems)
    return Addition(entry_id, question, added=True)


def _restore(path: Path, previous: bytes | None) -> None:
    """Put the file back as it was (remove it if there was none)."""
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        write_atomically(path, previous.decode("utf-8"))
