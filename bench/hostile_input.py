"""The engine on strange input: every message within the 50 ms budget?

    python -m bench.hostile_input [--samples 2000] [--seed 5] [--budget-ms 50]

Times `Engine.ask` (shipped knowledge base) on kinds of input that the reliability suite
throws at it for correctness (tests/reliability/test_hostile_input.py):

* random Unicode strings of 1 to 4 096 characters from every plane but surrogates (control
  characters, format characters such as right-to-left marks and zero-width joiners,
  combining marks, emoji, unassigned code points);
* the knowledge base's own words mixed with direction marks, joiners, NUL, markup and SQL
  punctuation;
* ten kinds of 100 000-character message (tests/reliability/hostile.py), each timed 5 times.

Per kind: how many, p50, p99 and the slowest, in milliseconds, against the budget. The exit
code is 1 if any message took longer than the budget. Timings on a small, shared machine are
noisy: a single slow outlier is worth a second run before it is worth a fix.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterable

from bench.telegram_load import percentile
from bot.config import PROJECT_ROOT, load_config
from bot.engine import Engine
from tests.reliability.hostile import HUGE, SPECIAL, WORDS


def random_unicode(rng: random.Random, length: int) -> str:
    """`length` random code points from all of Unicode except the surrogates."""
    chars = []
    while len(chars) < length:
        point = rng.choice((rng.randrange(0x80), rng.randrange(0x3000),
                            rng.randrange(0x110000)))
        if not 0xD800 <= point <= 0xDFFF:
            chars.append(chr(point))
    return "".join(chars)


def mixed(rng: random.Random) -> str:
    """Known words, strange characters and random bits, joined by spaces or nothing."""
    parts = [rng.choice((rng.choice(WORDS), rng.choice(SPECIAL), random_unicode(rng, 3)))
             for _ in range(rng.randrange(1, 40))]
    return rng.choice((" ", "", "\u200d")).join(parts)


def timings(engine: Engine, texts: Iterable[str], repeat: int = 1) -> list[float]:
    """Milliseconds per call of engine.ask."""
    result = []
    for text in texts:
        for _ in range(repeat):
            started = time.perf_counter()
            engine.ask(text)
            result.append((time.perf_counter() - started) * 1000)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--budget-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    config = load_config(PROJECT_ROOT / "config.example.yaml", environ={})
    engine = Engine.from_directory(PROJECT_ROOT / "knowledge", config.matching)
    engine.ask("oppvarming")  # first-call costs (caches) are not what is measured

    kinds = {
        "random Unicode, 1-4096 chars": timings(engine, (
            random_unicode(rng, rng.choice((rng.randrange(1, 100), rng.randrange(1, 4097))))
            for _ in range(args.samples))),
        "known words + strange characters": timings(engine, (
            mixed(rng) for _ in range(args.samples))),
    }
    for name, text in HUGE.items():
        kinds[f"100 000 chars: {name}"] = timings(engine, [text], repeat=5)

    print(f"Engine.ask on strange input, shipped knowledge base; budget {args.budget_ms:g} ms "
          f"a message (seed {args.seed}).\n")
    print("| input | messages | p50 ms | p99 ms | slowest ms |")
    print("|---|---|---|---|---|")
    over = 0
    for name, values in kinds.items():
        over += sum(1 for value in values if value > args.budget_ms)
        print(f"| {name} | {len(values)} | {percentile(values, 50):.2f} | "
              f"{percentile(values, 99):.2f} | {max(values):.2f} |")
    slowest = max(max(values) for values in kinds.values())
    if over:
        print(f"\n{over} message(s) over the {args.budget_ms:g} ms budget (slowest "
              f"{slowest:.1f} ms).")
        return 1
    print(f"\nEvery message within the {args.budget_ms:g} ms budget (slowest {slowest:.1f} ms).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
