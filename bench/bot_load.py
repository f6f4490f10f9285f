"""Telegram throughput and latency of the real bot, side by side with a minimal echo bot.

    python -m bench.bot_load [--messages 1000] [--users 50] [--repeat 3]

Each run starts a fresh Bot API stand-in on 127.0.0.1 and a bot process polling it, pushes
`--messages` realistic questions from `--users` users at once, and measures throughput (first
push to last reply), latency from the update's hand-out by getUpdates to its reply (p50/p99),
and the one-at-a-time round trip. Runs, in turn and `--repeat` times:

- the minimal python-telegram-bot echo bot, one update at a time (the framework's ceiling);
- `python -m bot run` with the rate limiter off (its own ceiling, for the 0.8x target);
- `python -m bot run` as deployed (AIORateLimiter at Telegram's 30 messages/s).

The best run of each is reported (the machine is shared and noisy), with the ratio to the
echo bot's best.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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


def variants(folder: Path, concurrent: int) -> list[tuple[str, list[str]]]:
    """The bots to compare: label and command."""
    unlimited = write_config(folder, "unlimited", 0, concurrent)
    deployed = write_config(folder, "deployed", 30, concurrent)
    return [
        ("echo bot (1 at a time)", [sys.executable, str(ECHO_BOT), "--concurrent", "1"]),
        ("bot, no rate limit", bot_command(unlimited)),
        ("bot as deployed (30/s)", bot_command(deployed)),
    ]


def best(results: list[LoadResult]) -> LoadResult:
    """The run with the highest throughput."""
    return max(results, key=lambda result: result.throughput_per_s)


def main(argv: list[str] | None = None) -> int:
    """Run every variant `--repeat` times and print the best of each, side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--round-trips", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=1,
                        help="the bot's telegram.concurrent_updates")
    args = parser.parse_args(argv)
    texts = [item.question for item in load_labelled(QUESTIONS)]
    runs: dict[str, list[LoadResult]] = {}
    with tempfile.TemporaryDirectory() as folder:
        bots = variants(Path(folder), args.concurrent)
        for round_number in range(args.repeat):
            for label, command in bots:
                with BotApiStandIn() as standin:
                    result = run_load(command, {}, args.messages, args.users, standin,
                                      label=label, round_trips=args.round_trips,
                                      texts=texts, cwd=PROJECT_ROOT)
                runs.setdefault(label, []).append(result)
                print(f"round {round_number + 1}: {label}: {result.throughput_per_s:.0f} msg/s",
                      file=sys.stderr, flush=True)
    results = [best(found) for found in runs.values()]
    echo = results[0].throughput_per_s
    print(f"\n{args.messages} questions from {args.users} users at once, best of "
          f"{args.repeat} runs each, concurrent_updates={args.concurrent}:\n")
    print(format_table(results))
    print()
    for result in results[1:]:
        print(f"{result.label}: {result.throughput_per_s / echo:.2f}x the echo bot's throughput")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
