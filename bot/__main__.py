"""The `python -m bot` command line: ask, chat, check and run.

    python -m bot [--config FILE] ask [--json] [QUESTION]
    python -m bot [--config FILE] chat
    python -m bot [--config FILE] check
    python -m bot [--config FILE] run
    python -m bot [--config FILE] start      (run with a token, otherwise chat)
    python -m bot [--config FILE] log list|export|stats|resolve|followups ...  (see bot.log_cli)

Exit codes: 0 done, 1 invalid knowledge base or configuration (a token Telegram rejects
included), 2 wrong usage or missing token.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from bot.answer_eval import AnswerReply, evaluate_answers, is_answer_set, load_answer_set
from bot.config import Config, ConfigError, load_config
from bot.engine import Engine, Outcome, Result
from bot.evaluate import Decision, evaluate, load_labelled
from bot.hash_secret import HashSecretError
from bot.knowledge import KnowledgeError, load_knowledge, stale_facts
from bot.log_cli import add_log_parser, run_log_command
from bot.render import entry_plain, result_plain
from bot.safety_eval import SafetyReply, evaluate_safety, is_safety_set, load_safety_set
from bot.services import check_hash_secret, with_hash_secret

EXIT_INVALID = 1
EXIT_USAGE = 2
# Commands that write or read the question log, and so need the key that hashes user ids.
USES_QUESTION_LOG = ("chat", "log", "run", "start")
NO_TOKEN_NOTICE = (
    "No Telegram token configured: starting the terminal chat. To connect Telegram, set "
    "TELEGRAM_BOT_TOKEN (or telegram.token in config.yaml) and run `make run` again."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with help on every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Kongsbergregionen chat assistant: answers questions about the regional "
        "council from a curated knowledge base.",
    )
    parser.add_argument(
        "--config", type=Path, default=None,
        help="configuration file (default: ./config.yaml if it exists, else built-in defaults)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ask = commands.add_parser(
        "ask", help="answer one question, or every line of standard input",
        description="Answer QUESTION, or every line of standard input when no QUESTION is "
        "given. Nothing is written to the question log.",
    )
    ask.add_argument("question", nargs="?", help="the question (omit to read standard input)")
    ask.add_argument(
        "--json", action="store_true",
        help="print one JSON object per input line: question, outcome, entry_id, score, "
        "language, answer, suggestions",
    )
    commands.add_parser(
        "chat", help="chat with the bot in the terminal",
        description="A terminal chat on the same engine as the Telegram bot.",
    )
    check = commands.add_parser(
        "check", help="validate the knowledge base and the configuration",
        description="Report every problem in the configuration and knowledge/*.yaml with file, "
        "line and what is wrong. Exit 1 if there is any. Facts old enough to re-check "
        "(knowledge.stale_years) are counted; --stale lists them.",
    )
    check.add_argument(
        "--stale", action="store_true",
        help="list every fact old enough to re-check, oldest first, with file and line",
    )
    evaluate = commands.add_parser(
        "evaluate", help="measure answer quality on a labelled set of questions",
        description="Answer every question of a labelled TSV file (split, category, expected, "
        "question) and report how many were answered correctly, wrongly or not at all. A "
        "safety set (style, language, category, message) is reported as emergencies given the "
        "right number, by category and style, and false alarms; an answer set (style, pattern, "
        "kind, language, expect, question) by the facts the replies hold, by style and pattern.",
    )
    evaluate.add_argument("file", type=Path, help="the labelled questions (TSV)")
    evaluate.add_argument("--split", help="only this split, e.g. tune or heldout")
    evaluate.add_argument(
        "--failures", action="store_true", help="list every question not handled right"
    )
    commands.add_parser(
        "run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)",
        description="Run the Telegram bot, by long polling or webhook as configured.",
    )
    commands.add_parser(
        "start", help="run the Telegram bot if a token is configured, else the terminal chat",
        description="What `make run` does: the Telegram bot when a token is configured, "
        "otherwise the terminal chat.",
    )
    add_log_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as error:
        _print_problems("configuration", error.problems)
        return EXIT_INVALID
    if args.command in USES_QUESTION_LOG:
        try:
            config = with_hash_secret(config)
        except HashSecretError as error:
            _print_problems("configuration", [str(error)])
            return EXIT_INVALID
    if args.command == "check":
        return check(config, list_stale=args.stale)
    if args.command == "log":
        return run_log_command(args, config)
    try:
        engine = Engine.from_directory(config.knowledge_dir, config.matching)
    except KnowledgeError as error:
        _print_problems("knowledge base", [str(problem) for problem in error.problems])
        return EXIT_INVALID
    if args.command == "ask":
        return ask(engine, args.question, as_json=args.json)
    if args.command == "evaluate":
        return evaluate_command(engine, args.file, args.split, show_failures=args.failures)
    if args.command == "start" and not config.telegram.token:
        print(NO_TOKEN_NOTICE, file=sys.stderr)
        return chat(config, engine)
    if args.command == "chat":
        return chat(config, engine)
    from bot.app import run_bot

    return run_bot(config, engine)


def _print_problems(what: str, problems: list[str]) -> None:
    print(f"The {what} has {len(problems)} problem(s):", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def chat(config: Config, engine: Engine) -> int:
    """The terminal chat, logging questions like the Telegram bot."""
    from bot.chat import run_chat
    from bot.services import question_log_for

    return asyncio.run(run_chat(engine, question_log_for(config), sys.stdin, sys.stdout))


def check(config: Config, *, list_stale: bool = False) -> int:
    """Validate the knowledge base (the configuration was validated on loading), and count
    or list the facts old enough to re-check."""
    try:
        check_hash_secret(config)
    except HashSecretError as error:
        _print_problems("configuration", [str(error)])
        return EXIT_INVALID
    try:
        knowledge = load_knowledge(config.knowledge_dir)
    except KnowledgeError as error:
        _print_problems("knowledge base", [str(problem) for problem in error.problems])
        return EXIT_INVALID
    print(f"Configuration OK ({config.source}).")
    print(
        f"Knowledge base OK: {len(knowledge.entries)} entries, {knowledge.question_count} "
        f"alternate questions in {knowledge.directory}/."
    )
    years = config.knowledge.stale_years
    stale = stale_facts(knowledge, years)
    unrecorded = sum(fact.year is None for fact in stale)
    if stale and not list_stale:
        print(f"To re-check: {len(stale) - unrecorded} fact(s) from {years} or more years ago "
              f"and {unrecorded} entries whose sources' date of reading is not recorded "
              "(python -m bot check --stale lists them).")
    if list_stale:
        print(f"Facts from {years} or more years ago, oldest first, then those whose date of "
              "reading is not recorded:" if stale
              else f"No fact is from {years} or more years ago.")
        for fact in stale:
            print(f"  {fact}")
    return 0


def engine_decision(engine: Engine) -> Callable[[str], Decision]:
    """The engine as an answering approach for `bot.evaluate`."""

    def decide(question: str) -> Decision:
        result = engine.ask(question)
        if result.is_safety_reply and result.safety is not None:
            # An emergency reply stands for the emergency entry of its kind, if it has one.
            entry_id = result.safety.main.entry or result.safety.id
            return Decision(outcome=Outcome.ANSWERED.value, entry_id=entry_id)
        return Decision(
            outcome=result.outcome.value,
            entry_id=result.entry.id if result.entry else None,
            suggestion_ids=tuple(c.entry.id for c in result.suggestions),
        )

    return decide


def safety_reply(engine: Engine) -> Callable[[str], SafetyReply]:
    """The engine as the safety set sees it: outcome, the full reply text, its language."""

    def reply_to(message: str) -> SafetyReply:
        result = engine.ask(message)
        text = result_plain(result, engine.knowledge)
        return SafetyReply(result.outcome.value, text, result.language)

    return reply_to


def evaluate_safety_command(
    engine: Engine, path: Path, split: str | None, *, show_failures: bool
) -> int:
    """Print the report for a safety set (style, language, category, message)."""
    return _report_set(
        lambda: evaluate_safety(safety_reply(engine), load_safety_set(path, split)),
        lambda report: (
            f"[{item.category}/{item.style}/{item.language}] {item.message!r}: "
            f"got {reply.outcome} ({reply.language}) {_first_line(reply.text)!r}"
            for item, reply in report.failures
        ),
        show_failures=show_failures,
    )


def _report_set(
    run: Callable[[], Any], failure_lines: Callable[[Any], Iterable[str]], *,
    show_failures: bool,
) -> int:
    """Run a labelled set's evaluation and print its summary (and its failures); a set that
    cannot be read is reported on stderr with exit 1."""
    try:
        report = run()
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    print(report.summary())
    if show_failures:
        for line in failure_lines(report):
            print(line)
    return 0


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def answer_reply(engine: Engine) -> Callable[[str], AnswerReply]:
    """The engine as an answer set sees it: outcome, reply, language, suggestions' answers."""

    def reply_to(question: str) -> AnswerReply:
        result = engine.ask(question)
        return AnswerReply(
            outcome=result.outcome.value,
            text=result_plain(result, engine.knowledge),
            language=result.language,
            suggestions=tuple(entry_plain(c.entry, result.language) for c in result.suggestions),
        )

    return reply_to


def evaluate_answers_command(
    engine: Engine, path: Path, split: str | None, *, show_failures: bool
) -> int:
    """Print the report for an answer set (style, pattern, kind, language, expect, question)."""
    return _report_set(
        lambda: evaluate_answers(answer_reply(engine), load_answer_set(path, split)),
        lambda report: (
            f"[{result} {item.kind}/{item.pattern}/{item.style}] {item.question!r}: "
            f"got {reply.outcome} {_first_line(reply.text)!r}"
            for item, reply, result in report.failures
        ),
        show_failures=show_failures,
    )


def evaluate_command(
    engine: Engine, path: Path, split: str | None, *, show_failures: bool
) -> int:
    """Print the quality report for a labelled set, a safety set or an answer set (told by
    the file's header)."""
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return EXIT_USAGE
    if is_safety_set(path):
        return evaluate_safety_command(engine, path, split, show_failures=show_failures)
    if is_answer_set(path):
        return evaluate_answers_command(engine, path, split, show_failures=show_failures)
    items = load_labelled(path, split)
    report = evaluate(engine_decision(engine), items)
    print(report.summary())
    for category, total in sorted(report.totals_by_category.items()):
        print(f"  {category:<18} {report.by_category[category]:>4}/{total:<4} handled right")
    if show_failures:
        for item, decision in report.failures:
            expected = "|".join(sorted(item.expected)) or "-"
            got = decision.entry_id or ",".join(decision.suggestion_ids) or "-"
            print(f"[{item.category}] {item.question!r}: expected {expected}, "
                  f"got {decision.outcome} {got}")
    return 0


def result_json(result: Result, engine: Engine) -> dict:
    """The `ask --json` object for one result."""
    knowledge = engine.knowledge
    return {
        "question": result.question,
        "outcome": result.outcome.value,
        "entry_id": result.logged_id,
        "score": result.score,
        "language": result.language,
        "answer": result_plain(result, knowledge),
        "suggestions": [
            {
                "entry_id": candidate.entry.id,
                "title": candidate.entry.title_in(result.language),
                "score": round(candidate.score, 1),
                "answer": entry_plain(candidate.entry, result.language),
            }
            for candidate in result.suggestions
        ],
    }


def input_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines of a byte stream split on newline only, decoded leniently, one per input line."""
    for raw in stream:
        yield raw.rstrip(b"\n").rstrip(b"\r").decode("utf-8", errors="replace")


def ask(engine: Engine, question: str | None, *, as_json: bool) -> int:
    """Answer one question or every input line; output is flushed line by line."""
    questions = [question] if question is not None else input_lines(sys.stdin.buffer)
    out = sys.stdout.buffer
    for text in questions:
        result = engine.ask(text)
        if as_json:
            line = json.dumps(result_json(result, engine), ensure_ascii=False)
        else:
            line = result_plain(result, engine.knowledge) + "\n"
        out.write(line.encode("utf-8", errors="replace") + b"\n")
        out.flush()
    return 0


def run_main() -> int:
    """`main`, ending quietly when the reader of standard output goes away (`| head`)."""
    try:
        return main()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(run_main())
