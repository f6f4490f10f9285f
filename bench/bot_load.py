"""Telegram throughput and latency of the real bot, side by side with a minimal echo bot.

    python -m bench.bot_load [--messages 1000] [--users 50] [--repeat 5] [--no-deployed]
                             [--baseline DIR]

Each run starts a fresh Bot API stand-in on 127.0.0.1 and a bot process polling it, pushes
`--messages` realistic questions from `--users` users at once, and measures throughput (first
push to last reply), latency from the update's hand-out by getUpdates to its reply (p50/p99),
and the one-at-a-time round trip. Runs, in turn and `--repeat` times:

- the minimal python-telegram-bot echo bot, one update at a time (the framework's ceiling);
- `python -m bot run` with the rate limiter off (its own ceiling, for the 0.8x target);
- `python -m bot run` as deployed (AIORateLimiter at Telegram's 30 messages/s).

The variants take turns in each round, so that a noisy moment on a shared machine hits them
alike. Reported: the median run of each variant (by throughput), and the ratio to the echo
bot both as the ratio of the medians and as the median of each round's ratio (the paired
figure, the one to quote), with the range of the rounds' ratios. `--no-deployed` skips the
rate-limited variant, whose throughput is Telegram's 30/s by design.

`--baseline DIR` adds the bot as checked out in DIR (e.g. `git worktree add /tmp/before
HEAD~1`), rate limiter off, run from there with this environment's packages: a change is
measured paired against the commit before it, in the same rounds, with the ratio of each
round's figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.telegram_load import ECHO_BOT, LoadResult, format_table, run_load
from bot.config import PROJECT_ROOT
from bot.evaluate import load_labelled
from tests.botapi_standin import BotApiStandIn

QUESTIONS = PROJECT_ROOT / "tests" / "labelled" / "questions.tsv"


def bot_command(config: Path) -> list[str]:
    """`python -m bot run` with a configuration file."""
    return [sys.executable, "-m", "bot", "--config", str(config), "run"]


def write_config(folder: Path, name: str, overall_max_rate: int, concurrent: int) -> Path:
    """A config file for one variant of the bot."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"telegram:\n  overall_max_rate: {overall_max_rate}\n"
        f"  concurrent_updates: {concurrent}\n"
        "  flood_messages: 1000000\n"
        f"knowledge:\n  directory: {PROJECT_ROOT / 'knowledge'}\n"
        f"database:\n  path: {folder / name}.sqlite3\n",
        encoding="utf-8",
    )
    return path


ECHO_LABEL = "echo bot (1 at a time)"
UNLIMITED_LABEL = "bot, no rate limit"
BASELINE_LABEL = "baseline bot, no rate limit"


@dataclass(frozen=True)
class Variant:
    """One bot to measure: its label, its command and the folder it runs from."""

    label: str
    command: list[str]
    cwd: Path = PROJECT_ROOT


def variants(
    folder: Path, concurrent: int, *, deployed: bool = True, baseline: Path | None = None,
) -> list[Variant]:
    """The bots to compare (the echo bot first)."""
    unlimited = write_config(folder, "unlimited", 0, concurrent)
    bots = [
        Variant(ECHO_LABEL, [sys.executable, str(ECHO_BOT), "--concurrent", "1"]),
        Variant(UNLIMITED_LABEL, bot_command(unlimited)),
    ]
    if baseline is not None:
        config = write_config(folder, "baseline", 0, concurrent)
        bots.append(Variant(BASELINE_LABEL, bot_command(config), baseline))
    if deployed:
        bots.append(Variant("bot as deployed (30/s)",
                            bot_command(write_config(folder, "deployed", 30, concurrent))))
    return bots


def forget_updates(folder: Path) -> None:
    """Delete the variants' question logs before a run: each stand-in numbers its updates from
    1 again, and a log that recorded them as handled would have the bot skip them all."""
    for database in folder.glob("*.sqlite3*"):
        database.unlink()


def median_run(results: list[LoadResult]) -> LoadResult:
    """The run with the median throughput (the lower middle one of an even number)."""
    ordered = sorted(results, key=lambda result: result.throughput_per_s)
    return ordered[(len(ordered) - 1) // 2]


def paired_ratios(runs: dict[str, list[LoadResult]], label: str, to: str = ECHO_LABEL
                  ) -> list[float]:
    """Per round, `label`'s throughput over `to`'s (the echo bot's) in the same round."""
    return [bot.throughput_per_s / other.throughput_per_s
            for bot, other in zip(runs[label], runs[to], strict=True)]


def summary(runs: dict[str, list[LoadResult]]) -> list[str]:
    """Each variant's ratio to the echo bot: paired median with range, and of the medians."""
    echo = statistics.median(r.throughput_per_s for r in runs[ECHO_LABEL])
    lines = []
    for label, results in runs.items():
        if label == ECHO_LABEL:
            continue
        ratios = paired_ratios(runs, label)
        median = statistics.median(r.throughput_per_s for r in results)
        lines.append(
            f"{label}: {statistics.median(ratios):.2f}x the echo bot's throughput (median of "
            f"{len(ratios)} rounds, range {min(ratios):.2f}-{max(ratios):.2f}; medians "
            f"{median:.0f} / {echo:.0f} msg/s = {median / echo:.2f}x)"
        )
    if BASELINE_LABEL in runs:
        ratios = paired_ratios(runs, UNLIMITED_LABEL, BASELINE_LABEL)
        lines.append(
            f"{UNLIMITED_LABEL} / {BASELINE_LABEL}: {statistics.median(ratios):.2f}x (median "
            f"of {len(ratios)} rounds, range {min(ratios):.2f}-{max(ratios):.2f})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run every variant `--repeat` times, in turns, and print the medians side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--round-trips", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=1,
                        help="the bot's telegram.concurrent_updates")
    parser.add_argument("--no-deployed", action="store_true",
                        help="skip the bot as deployed (rate-limited to 30 messages/s)")
    parser.add_argument("--baseline", type=Path,
                        help="also run the bot checked out in this folder (the commit before)")
    args = parser.parse_args(argv)
    texts = [item.question for item in load_labelled(QUESTIONS)]
    runs: dict[str, list[LoadResult]] = {}
    with tempfile.TemporaryDirectory() as folder:
        bots = variants(Path(folder), args.concurrent, deployed=not args.no_deployed,
                        baseline=args.baseline.resolve() if args.baseline else None)
        for round_number in range(args.repeat):
            for bot in bots:
                forget_updates(Path(folder))
                with BotApiStandIn() as standin:
                    result = run_load(bot.command, {}, args.messages, args.users, standin,
                                      label=bot.label, round_trips=args.round_trips,
                                      texts=texts, cwd=bot.cwd)
                runs.setdefault(bot.label, []).append(result)
                print(f"round {round_number + 1}: {bot.label}: "
                      f"{result.throughput_per_s:.0f} msg/s", file=sys.stderr, flush=True)
    print(f"\n{args.messages} questions from {args.users} users at once, median of "
          f"{args.repeat} runs each (variants in turn), concurrent_updates={args.concurrent}:\n")
    print(format_table([median_run(results) for results in runs.values()]))
    print()
    for line in summary(runs):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
