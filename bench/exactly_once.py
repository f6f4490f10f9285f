"""kill -9 ten times during bursts of 1 000 questions, polling and webhook: the issue's measure.

    python -m bench.exactly_once [--burst 1000] [--kills 10] [--seed N] [--mode MODE]

The same procedure as `tests/reliability/test_exactly_once.py` (which runs smaller bursts in
`make test`): each round pushes `--burst` questions from as many new residents (one question
each), kills the bot with SIGKILL once a random part of the round is answered, and restarts
it; after `--kills` rounds everything is answered, and the figures are counted: questions
answered twice, unanswered, missing from the log, logged twice. Rate limiter at 1 000/s, so
that it is the bot that is measured. Exit 1 if a question went unanswered or missing from the
log.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from tests.botapi_standin import BotApiStandIn
from tests.reliability.harness import TOKEN
from tests.reliability.test_exactly_once import run_polling, run_webhook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30))
    parser.add_argument("--mode", choices=("polling", "webhook", "both"), default="both")
    args = parser.parse_args(argv)
    modes = ("polling", "webhook") if args.mode == "both" else (args.mode,)
    failed = False
    for mode in modes:
        run = run_polling if mode == "polling" else run_webhook
        with BotApiStandIn(expected_token=TOKEN) as standin, \
                tempfile.TemporaryDirectory() as folder:
            outcome = run(standin, Path(folder), burst=args.burst, kills=args.kills,
                          seed=args.seed)
        print(f"{mode}: {outcome.asked} questions, kill -9 ×{args.kills} (seed {args.seed}): "
              f"{outcome.duplicates} answered twice, {outcome.unanswered} unanswered, "
              f"{outcome.rows_missing} missing from the log, {outcome.rows_twice} logged twice; "
              f"answered before each kill {outcome.answered_before_kills}; "
              f"{outcome.seconds:.0f} s", flush=True)
        failed |= bool(outcome.unanswered or outcome.rows_missing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
