"""`python -m bot log ...`: the editors' tools in the terminal, the same content as in Telegram.

    python -m bot log list    [--days N] [--all]             the review list (/ubesvart)
    python -m bot log export  [--days N] [--output FILE]     the log as CSV (/eksport)
    python -m bot log stats   [--days N] [--chart FILE.png]  statistics and chart (/statistikk)
    python -m bot log resolve ID [ID ...] [--ignore]         mark groups resolved or ignored
    python -m bot log followups                              who waits for the editors' answer
                                                             (how many and since when, never who)

The views come from the same modules as the Telegram commands (bot.review, bot.export,
bot.stats), rendered as plain text.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import sys
from pathlib import Path

from bot.config import Config
from bot.export import EXPORT_DAYS, export
from bot.knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from bot.localtime import MAX_DAYS, days_ago, is_ascii_number, local_date, short_when
from bot.markup import PLAIN
from bot.review import REVIEW_DAYS, Group, find_group, render_list, review_groups
from bot.stats import CHART_DAYS, PERIODS, chart_png, collect, render_report
from bot.storage import STATUSES, QuestionLog
from bot.texts import say

EXIT_FAILED = 1


def days_type(text: str) -> int:
    """An argparse type: a whole number of days, 1 to MAX_DAYS."""
    if not is_ascii_number(text) or not 1 <= int(text) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 1-{MAX_DAYS}")
    return int(text)


def add_log_parser(commands: argparse._SubParsersAction) -> None:
    """Add `log` and its actions to the command line."""
    log = commands.add_parser(
        "log", help="the question log: review list, export, statistics, resolve",
        description="The editors' tools for the question log, as in Telegram (/ubesvart, "
        "/eksport, /statistikk). Reads the database configured in database.path.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--language", choices=("nb", "nn", "en"), default="nb",
                        help="language of the output (default: nb, bokmål)")
    actions = log.add_subparsers(dest="log_command", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", parents=[common], help="questions not answered well, near-duplicates grouped",
        description="Unanswered questions, and those rated 👎 or met with 'none of these', "
        "grouped by near-duplicates, most frequent first. Each group shows the ID to give "
        "`log resolve`.",
    )
    listing.add_argument("--days", type=days_type, metavar="N", default=REVIEW_DAYS,
                         help=f"the last N days (default {REVIEW_DAYS})")
    listing.add_argument("--all", action="store_true",
                         help="also groups already resolved or ignored (default: open only)")
    exporting = actions.add_parser(
        "export", parents=[common], help="the log as CSV for Excel",
        description="Write the log of a period as CSV: semicolon-separated, UTF-8 with BOM, "
        "times in Europe/Oslo, decimal comma, as Norwegian Excel expects.",
    )
    exporting.add_argument("--days", type=days_type, metavar="N", default=EXPORT_DAYS,
                           help=f"the last N days (default {EXPORT_DAYS})")
    exporting.add_argument("--output", type=Path, metavar="FILE",
                           help="write to FILE (default: standard output)")
    statistics = actions.add_parser(
        "stats", parents=[common], help="statistics, optionally with a chart",
        description="Questions, shares answered/suggested/unanswered, 👍/👎, top entries and "
        "top unanswered groups, for the last 7 and 30 days (or --days).",
    )
    statistics.add_argument("--days", type=days_type, metavar="N",
                            help="only this period (default: 7 and 30 days)")
    statistics.add_argument("--chart", type=Path, metavar="FILE.png",
                            help="also write a PNG chart of questions per day, by outcome")
    resolving = actions.add_parser(
        "resolve", parents=[common], help="mark groups resolved (or ignored)",
        description="Mark the open group of each ID (as `log list` shows it) resolved, or "
        "ignored with --ignore. An ID outside any open group marks that question only.",
    )
    resolving.add_argument("ids", type=int, nargs="+", metavar="ID", help="question ids")
    resolving.add_argument("--ignore", action="store_true", help="mark ignored, not resolved")
    resolving.add_argument("--days", type=days_type, metavar="N", default=REVIEW_DAYS,
                           help=f"look for the groups in the last N days (default {REVIEW_DAYS})")
    actions.add_parser(
        "followups", parents=[common], help="questions residents wait for an answer to",
        description="The groups where residents asked for an answer from the editors: how "
        "many wait, since when, and when their consent is deleted unless answered. No chat "
        "ids, names or usernames: answer them with /ubesvart in Telegram.",
    )


def run_log_command(args: argparse.Namespace, config: Config) -> int:
    """Run one `log` action; its exit code."""
    return asyncio.run(_run(args, config))


async def _run(args: argparse.Namespace, config: Config) -> int:
    question_log = QuestionLog(Path(config.database.path), config.privacy.hash_secret,
                               config.privacy.retention_days,
                               followup_days=config.followup.max_days)
    await question_log.initialize()
    try:
        action = {"list": _list, "export": _export, "stats": _stats, "resolve": _resolve,
                  "followups": _followups}
        return await action[args.log_command](args, config, question_log)
    except (sqlite3.Error, OSError) as error:
        print(f"Cannot use the question log {config.database.path}: {error}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        await question_log.shutdown()


async def _list(args: argparse.Namespace, config: Config, question_log: QuestionLog) -> int:
    statuses = STATUSES if args.all else ("open",)
    review = await review_groups(question_log, args.days, statuses)
    print(render_list(review, args.days, args.language, PLAIN, detail=True))
    return 0


async def _export(args: argparse.Namespace, config: Config, question_log: QuestionLog) -> int:
    if args.output is None:
        await export(question_log, sys.stdout.buffer, args.days)
        sys.stdout.buffer.flush()
    else:
        with args.output.open("wb") as output:
            _, count = await export(question_log, output, args.days)
        print(f"{count} questions written to {args.output}", file=sys.stderr)
    return 0


def _knowledge(config: Config) -> KnowledgeBase | None:
    """The knowledge base for entry titles; None (ids shown) if it does not load."""
    try:
        return load_knowledge(config.knowledge_dir)
    except KnowledgeError:
        return None


async def _stats(args: argparse.Namespace, config: Config, question_log: QuestionLog) -> int:
    periods = (args.days,) if args.days else PERIODS
    report = await collect(question_log, periods, args.days or CHART_DAYS)
    print(render_report(report, _knowledge(config), args.language, PLAIN))
    if args.chart is not None:
        args.chart.write_bytes(await asyncio.to_thread(chart_png, report.daily, args.language))
        print(f"\nChart written to {args.chart}", file=sys.stderr)
    return 0


async def _resolve(args: argparse.Namespace, config: Config, question_log: QuestionLog) -> int:
    groups = (await review_groups(question_log, args.days)).groups
    known = {question.id for question in await question_log.questions(days_ago(args.days))}
    marked: dict[int, None] = {}
    missing = []
    for ref in args.ids:
        found = find_group(groups, ref)
        if found is not None:
            marked.update(dict.fromkeys(found[1].ids))
        elif ref in known:
            marked[ref] = None
        else:
            missing.append(ref)
    for ref in missing:
        print(say("not_found_cli", args.language, ref=str(ref), days=str(args.days)),
              file=sys.stderr)
    status = "ignored" if args.ignore else "resolved"
    if marked:
        await question_log.set_status(list(marked), status)
        if question_log.pending:
            print("The question log could not be written; nothing was marked.", file=sys.stderr)
            return EXIT_FAILED
    print(say("resolved_cli", args.language, count=str(len(marked)),
              status=say(f"status_{status}", args.language)))
    return EXIT_FAILED if missing else 0


async def _followups(args: argparse.Namespace, config: Config,
                     question_log: QuestionLog) -> int:
    groups = [group for group in (await review_groups(question_log, REVIEW_DAYS)).groups
              if group.waiting]
    print(render_followups(groups, question_log.followup_days, args.language))
    return 0


def render_followups(groups: list[Group], max_days: int, language: str) -> str:
    """The groups someone waits for, the longest waiting first: each with its ID, how many
    wait, since when, and when the oldest consent is deleted unless answered."""
    title = say("followups_title", language, days=str(max_days))
    if not groups:
        return f"{title}\n\n{say('followups_empty', language)}"
    blocks = []
    for number, group in enumerate(groups, start=1):
        expires = local_date(group.waiting_since + dt.timedelta(days=max_days))
        line = say("followups_line", language,
                   waiting=say("review_waiting", language, count=str(group.waiting),
                               since=short_when(group.waiting_since)),
                   expires=expires.strftime("%d.%m.%Y"))
        blocks.append(f"{number}. {PLAIN.quote(group.text)}\n   "
                      f"{say('review_ref', language, ref=str(group.ref))} · {line}")
    return "\n\n".join([title, *blocks])
