"""Matching benchmark: the answer engine against the naive fuzzy match, shipped and synthetic bases.

    python -m bench.matching [--sizes 1000 10000 100000] [--rounds 3] [--quick] [--json FILE]

For the shipped knowledge base (knowledge/) and for synthetic knowledge bases of the given
numbers of alternate questions (see `bench.synthetic`), side by side in one run, it measures

* latency per question (Engine.ask, or the naive match) over a realistic query set: the
  labelled questions of tests/labelled/questions.tsv, plus for a synthetic base questions made
  from its own alternates with typos and unrelated words. Each round starts from a freshly
  built engine (and an empty stem cache), as after a restart; p50 and p99 are taken per round
  and the median over the rounds is reported. The questions are shuffled with a fixed seed;
  the first round stops when it has used its share of `--latency-budget` (after at least 40
  questions) and later rounds time the same questions, so a slow case (the naive match on
  100 000 alternates) times a subset, the table says how many, and a shorter subset is always
  a prefix of a longer one: both approaches on one base are timed on the same questions;
* start-up: `load_knowledge` reading the YAML files from disk plus building the engine (or the
  naive list of alternates), median of `--load-runs` runs (at least 3, fewer when they pass
  30 s in all);
* peak memory: every (base, approach) runs in its own subprocess, which reports ru_maxrss;
  `--tracemalloc` also reports the tracemalloc peak of loading and building (slow);
* answer quality on the labelled set, shipped base only: the engine as `python -m bot evaluate`
  decides (`bot.__main__.engine_decision`), the naive match with the one cut-off that maximises
  correct − 2 × false answers on the `tune` split; both reported on the `heldout` split.

The naive approach is what one writes first: `rapidfuzz.process.extractOne(question,
all_alternate_questions, scorer=fuzz.WRatio, processor=utils.default_process,
score_cutoff=C)`, answering with the entry of the best alternate, else not at all.

This is a benchmark, not a test: nothing fails. Targets are printed next to the figures:
shipped p99 ≤ 2 ms, 100 000 alternates p99 ≤ 50 ms, shipped start-up ≤ 1 s, and the engine
better than the naive match on both the correct-answer and the false-answer rate. Timings on a
small, shared machine are noisy: compare figures of one run with each other, not across runs.
Progress goes to stderr, the Markdown report to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import gc
import hashlib
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rapidfuzz import fuzz, process, utils

from bench import synthetic
from bot import terms as bot_terms
from bot import text as bot_text
from bot.__main__ import engine_decision
from bot.config import MatchingConfig, load_config
from bot.engine import Engine, Result
from bot.evaluate import Decision, Labelled, Report, evaluate, load_labelled
from bot.knowledge import KnowledgeBase, load_knowledge

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DIR = REPO_ROOT / "knowledge"
LABELLED_FILE = REPO_ROOT / "tests" / "labelled" / "questions.tsv"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (500, 2_000)
FALSE_ANSWER_PENALTY = 2
SLOWEST_SHOWN = 5
MIN_TIMED_QUERIES = 40
MIN_LOAD_RUNS = 3
STARTUP_BUDGET_MS = 30_000
PROFILE_LINES = 15

TARGET_SHIPPED_P99_MS = 2.0
TARGET_LARGE_P99_MS = 50.0
TARGET_LARGE_SIZE = 100_000
TARGET_STARTUP_MS = 1_000.0

_STARTED_ENV = "BENCH_MATCHING_STARTED"
_STARTED = float(os.environ.get(_STARTED_ENV) or time.time())


def progress(message: str) -> None:
    """One line of progress on stderr, with the seconds since the benchmark started."""
    print(f"[{time.time() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


# --- the two approaches -------------------------------------------------------------------


class Answerer(Protocol):
    """An answering approach: `ask` is what is timed, `entry_of` reads its answer."""

    def ask(self, question: str) -> Any: ...

    def entry_of(self, answer: Any) -> str | None: ...

    def decide(self, question: str) -> Decision: ...


class EngineAnswerer:
    """The answer engine (bot.engine.Engine)."""

    def __init__(self, knowledge: KnowledgeBase, matching: MatchingConfig) -> None:
        self.engine = Engine(knowledge, matching)
        self.decide = engine_decision(self.engine)

    def ask(self, question: str) -> Result:
        """Engine.ask, exactly as the bot calls it."""
        return self.engine.ask(question)

    def entry_of(self, answer: Result) -> str | None:
        """The entry answered with, None if the engine suggested or gave up."""
        return answer.entry.id if answer.entry else None


class NaiveAnswerer:
    """rapidfuzz extractOne over every alternate question with one score cut-off."""

    def __init__(self, knowledge: KnowledgeBase, cutoff: float) -> None:
        self.cutoff = cutoff
        self.choices: list[str] = []
        self.owners: list[str] = []
        for entry_id in knowledge.entries:
            for question in knowledge.questions_for(entry_id):
                self.choices.append(question)
                self.owners.append(entry_id)

    def best(self, question: str, cutoff: float) -> tuple[str, float] | None:
        """The entry of the best alternate scoring at least `cutoff`, with its score."""
        found = naive_extract(question, self.choices, cutoff)
        if found is None:
            return None
        _, score, position = found
        return self.owners[position], score

    def ask(self, question: str) -> tuple[str, float] | None:
        """The naive match with the chosen cut-off."""
        return self.best(question, self.cutoff)

    def entry_of(self, answer: tuple[str, float] | None) -> str | None:
        """The entry answered with, None if nothing reached the cut-off."""
        return answer[0] if answer else None

    def decide(self, question: str) -> Decision:
        """Answered with the best alternate's entry, else unanswered."""
        entry_id = self.entry_of(self.ask(question))
        return Decision("answered", entry_id) if entry_id else Decision("unanswered", None)


def naive_extract(
    question: str, choices: Sequence[str], cutoff: float
) -> tuple[str, float, int] | None:
    """The naive call, exactly as the issue states it."""
    return process.extractOne(
        question, choices, scorer=fuzz.WRatio, processor=utils.default_process,
        score_cutoff=cutoff,
    )


def tune_cutoff(naive: NaiveAnswerer, items: list[Labelled]) -> tuple[float, dict[str, Any]]:
    """The integer cut-off maximising correct − 2 × false answers on `items` (ties: higher)."""
    best_of = {item.question: naive.best(item.question, 0.0) for item in items}
    chosen: tuple[int, int] | None = None
    for cutoff in range(0, 101):

        def decide(question: str, cutoff: float = cutoff) -> Decision:
            found = best_of[question]
            if found is None or found[1] < cutoff:
                return Decision("unanswered", None)
            return Decision("answered", found[0])

        report = evaluate(decide, items)
        false = report.wrong + report.out_of_scope_answered
        candidate = (report.correct - FALSE_ANSWER_PENALTY * false, cutoff)
        if chosen is None or candidate >= chosen:
            chosen = candidate
    assert chosen is not None
    return float(chosen[1]), {"objective": chosen[0], "penalty": FALSE_ANSWER_PENALTY}


def report_dict(report: Report) -> dict[str, Any]:
    """The figures of a bot.evaluate report that the table needs."""
    return {
        "in_scope": report.in_scope,
        "correct": report.correct,
        "wrong": report.wrong,
        "suggested": report.suggested,
        "unanswered": report.unanswered,
        "out_of_scope": report.out_of_scope,
        "out_of_scope_answered": report.out_of_scope_answered,
        "correct_rate": report.correct_rate,
        "wrong_rate": report.wrong_rate,
        "out_of_scope_answered_rate": report.out_of_scope_answered_rate,
        "false_answer_rate": report.false_answer_rate,
    }


# --- the worker: one (knowledge base, approach) in its own process ------------------------


@dataclass
class WorkerSpec:
    """What one worker process measures."""

    label: str
    directory: str
    approach: str
    matching: dict[str, Any]
    queries: list[tuple[str, list[str], bool]]
    rounds: int
    load_runs: int
    latency_budget_s: float
    seed: int
    cutoff: float | None = None
    quality: bool = False
    measure_tracemalloc: bool = False
    profile: bool = False


def max_rss_mb() -> float:
    """This process's peak resident set size in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def round_figures(times: list[float]) -> dict[str, float]:
    """p50, p99, maximum and mean of one round's latencies in ms."""
    ordered = sorted(times)
    return {
        "p50_ms": percentile(ordered, 0.50),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": ordered[-1],
        "mean_ms": statistics.fmean(ordered),
    }


class Worker:
    """Measures one approach on one knowledge base; `run` returns the figures."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.matching = MatchingConfig(**spec.matching)
        self.cutoff = spec.cutoff if spec.cutoff is not None else 0.0
        self.tag = f"{spec.label}/{spec.approach}"
        self.timed: list[tuple[str, list[str], bool]] = list(spec.queries)

    def build(self, knowledge: KnowledgeBase) -> Answerer:
        """A fresh answerer for `knowledge`."""
        if self.spec.approach == "engine":
            return EngineAnswerer(knowledge, self.matching)
        return NaiveAnswerer(knowledge, self.cutoff)

    def run(self) -> dict[str, Any]:
        """Every measurement, in an order that keeps them from disturbing each other."""
        result: dict[str, Any] = {"label": self.spec.label, "approach": self.spec.approach}
        result["baseline_rss_mb"] = max_rss_mb()
        knowledge, answerer = self.measure_startup(result)
        result["entries"] = len(knowledge.entries)
        result["alternates"] = knowledge.question_count
        if self.spec.quality:
            result["quality"] = self.measure_quality(answerer)
        result["cutoff"] = self.cutoff if self.spec.approach == "naive" else None
        del answerer  # one answerer alive at a time: each round builds its own
        self.measure_latency(knowledge, result)
        if self.spec.profile:
            result["profile"] = self.profile(knowledge)
        result["peak_rss_mb"] = max_rss_mb()
        del knowledge
        if self.spec.measure_tracemalloc:
            result["tracemalloc_peak_mb"] = self.measure_tracemalloc()
        return result

    def measure_startup(self, result: dict[str, Any]) -> tuple[KnowledgeBase, Answerer]:
        """load_knowledge + build, several times; the last base and answerer are kept."""
        directory = Path(self.spec.directory)
        loads: list[float] = []
        builds: list[float] = []
        knowledge: KnowledgeBase | None = None
        answerer: Answerer | None = None
        while len(loads) < self.spec.load_runs:
            knowledge = answerer = None
            gc.collect()
            started = time.perf_counter()
            knowledge = load_knowledge(directory)
            loaded = time.perf_counter()
            answerer = self.build(knowledge)
            built = time.perf_counter()
            loads.append((loaded - started) * 1000)
            builds.append((built - loaded) * 1000)
            progress(f"{self.tag}: start-up run {len(loads)}: load {loads[-1]:.0f} ms + "
                     f"build {builds[-1]:.0f} ms")
            if len(loads) >= MIN_LOAD_RUNS and sum(loads) + sum(builds) > STARTUP_BUDGET_MS:
                break
        assert knowledge is not None and answerer is not None
        totals = [load + build for load, build in zip(loads, builds, strict=True)]
        result.update(
            load_runs=len(loads),
            load_ms=statistics.median(loads),
            build_ms=statistics.median(builds),
            startup_ms=statistics.median(totals),
            startup_runs_ms=totals,
        )
        return knowledge, answerer

    def measure_quality(self, answerer: Answerer) -> dict[str, Any]:
        """Labelled-set quality; for the naive approach the cut-off is tuned here first."""
        tune = load_labelled(LABELLED_FILE, "tune")
        heldout = load_labelled(LABELLED_FILE, "heldout")
        quality: dict[str, Any] = {}
        if isinstance(answerer, NaiveAnswerer):
            self.cutoff, quality["tuning"] = tune_cutoff(answerer, tune)
            answerer.cutoff = self.cutoff
            progress(f"{self.tag}: tuned cut-off {self.cutoff:g} on the tune split")
        quality["tune"] = report_dict(evaluate(answerer.decide, tune))
        quality["heldout"] = report_dict(evaluate(answerer.decide, heldout))
        return quality

    def measure_latency(self, knowledge: KnowledgeBase, result: dict[str, Any]) -> None:
        """p50/p99 per round on a fresh answerer each round; medians over the rounds.

        The queries are shuffled with the seed. The first round stops once it has used its
        share of the latency budget (after at least MIN_TIMED_QUERIES questions); the later
        rounds time the same questions.
        """
        queries = list(self.spec.queries)
        random.Random(self.spec.seed).shuffle(queries)
        round_budget_ns = self.spec.latency_budget_s * 1e9 / self.spec.rounds
        rounds: list[dict[str, float]] = []
        slowest: list[tuple[float, str]] = []
        synthetic_right = synthetic_total = 0
        fresh: Answerer | None = None
        for number in range(self.spec.rounds):
            fresh = None
            gc.collect()
            fresh = self.fresh_answerer(knowledge)
            gc.collect()
            times: list[float] = []
            spent_ns = 0
            for question, expected, is_synthetic in queries:
                started = time.perf_counter_ns()
                answer = fresh.ask(question)
                elapsed_ns = time.perf_counter_ns() - started
                times.append(elapsed_ns / 1e6)
                spent_ns += elapsed_ns
                if number == 0:
                    synthetic_total += is_synthetic
                    synthetic_right += is_synthetic and fresh.entry_of(answer) in expected
                    if spent_ns > round_budget_ns and len(times) >= MIN_TIMED_QUERIES:
                        break
            if number == 0:
                queries = queries[:len(times)]
                slowest = sorted(zip(times, (q for q, _, _ in queries), strict=True),
                                 reverse=True)[:SLOWEST_SHOWN]
            rounds.append(round_figures(times))
            progress(f"{self.tag}: round {number + 1}/{self.spec.rounds}: {len(times)} "
                     f"questions, p50 {rounds[-1]['p50_ms']:.2f} ms, "
                     f"p99 {rounds[-1]['p99_ms']:.2f} ms")
        progress(f"{self.tag}: slowest in round 1: " + "; ".join(
            f"{ms:.1f} ms {question[:60]!r}" for ms, question in slowest[:3]))
        self.timed = queries
        result.update(
            queries_total=len(self.spec.queries),
            queries_timed=len(queries),
            rounds=rounds,
            p50_ms=statistics.median(r["p50_ms"] for r in rounds),
            p99_ms=statistics.median(r["p99_ms"] for r in rounds),
            mean_ms=statistics.median(r["mean_ms"] for r in rounds),
            slowest=[{"ms": ms, "question": question} for ms, question in slowest],
            synthetic_total=synthetic_total,
            synthetic_right=synthetic_right,
        )

    def fresh_answerer(self, knowledge: KnowledgeBase) -> Answerer:
        """A new answerer with cold caches, as right after the bot starts."""
        for cached in (bot_text.stem, bot_text.fold, bot_terms._message_words):
            cache_clear: Callable[[], None] | None = getattr(cached, "cache_clear", None)
            if cache_clear is not None:
                cache_clear()
        return self.build(knowledge)

    def profile(self, knowledge: KnowledgeBase) -> list[str]:
        """cProfile of one pass over the timed questions on a fresh answerer; top functions."""
        answerer = self.fresh_answerer(knowledge)
        profiler = cProfile.Profile()
        profiler.enable()
        for question, _, _ in self.timed:
            answerer.ask(question)
        profiler.disable()
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("tottime")
        stats.print_stats(PROFILE_LINES)
        progress(f"{self.tag}: profile of {len(self.timed)} questions (by own time):")
        print(buffer.getvalue(), file=sys.stderr, flush=True)
        return buffer.getvalue().splitlines()

    def measure_tracemalloc(self) -> float:
        """Peak traced memory, in MB, of loading the base and building the answerer once."""
        gc.collect()
        cache_clear = getattr(bot_text.stem, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()
        tracemalloc.start()
        try:
            knowledge = load_knowledge(Path(self.spec.directory))
            answerer = self.build(knowledge)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        del knowledge, answerer
        progress(f"{self.tag}: tracemalloc peak of load + build {peak / 2**20:.1f} MB")
        return peak / 2**20


def worker_main(spec_file: Path) -> int:
    """Entry point of a worker process: read the spec, print the result as JSON."""
    raw = json.loads(spec_file.read_text(encoding="utf-8"))
    raw["queries"] = [(text, list(expected), flag) for text, expected, flag in raw["queries"]]
    result = Worker(WorkerSpec(**raw)).run()
    print(json.dumps(result))
    return 0


# --- the orchestrator ---------------------------------------------------------------------


@dataclass
class Options:
    """What to run, from the command line."""

    sizes: list[int]
    rounds: int
    load_runs: int
    latency_budget_s: float
    synthetic_queries: int
    seed: int
    measure_tracemalloc: bool
    profile: bool
    config: Path | None
    json_file: Path | None
    argv: list[str] = field(default_factory=list)


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.matching",
        description="Benchmark the answer engine against a naive rapidfuzz match on the "
        "shipped and synthetic knowledge bases; prints a Markdown report.",
    )
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N",
                        help="synthetic knowledge-base sizes in alternate questions "
                        f"(default: {' '.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--rounds", type=int, help="timed rounds over the queries (default 3)")
    parser.add_argument("--load-runs", type=int,
                        help="start-up runs per base (default 5; at least 3, fewer beyond 30 s)")
    parser.add_argument("--latency-budget", type=float, metavar="SECONDS",
                        help="time allowed for the timed rounds of one base and approach; slower "
                        "approaches time a fixed random subset of the questions (default 40)")
    parser.add_argument("--synthetic-queries", type=int, metavar="N",
                        help="questions made from a synthetic base's alternates (default 300)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: sizes {' '.join(map(str, QUICK_SIZES))}, 2 rounds, "
                        "3 start-up runs, small budgets")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic data")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure the tracemalloc peak of load + build (slow)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the engine on the largest base and print the top functions")
    parser.add_argument("--config", type=Path,
                        help="bot configuration for the matching thresholds (default: as the bot)")
    parser.add_argument("--json", type=Path, dest="json_file", metavar="FILE",
                        help="also write every figure to FILE as JSON")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    return parser


def resolve_options(args: argparse.Namespace, argv: list[str]) -> Options:
    """Defaults, with --quick lowering those not given explicitly."""
    quick = args.quick
    sizes = args.sizes or list(QUICK_SIZES if quick else DEFAULT_SIZES)
    if any(size < synthetic.ALTERNATES_PER_ENTRY for size in sizes):
        raise SystemExit(f"--sizes: each size must be at least {synthetic.ALTERNATES_PER_ENTRY}")

    def pick(value: Any, normal: Any, small: Any) -> Any:
        return value if value is not None else small if quick else normal

    return Options(
        sizes=sorted(set(sizes)),
        rounds=max(1, pick(args.rounds, 3, 2)),
        load_runs=max(1, pick(args.load_runs, 5, 3)),
        latency_budget_s=pick(args.latency_budget, 40.0, 3.0),
        synthetic_queries=max(1, pick(args.synthetic_queries, 300, 100)),
        seed=args.seed,
        measure_tracemalloc=args.tracemalloc,
        profile=args.profile,
        config=args.config,
        json_file=args.json_file,
        argv=argv,
    )


def run_worker(spec: WorkerSpec, scratch: Path) -> dict[str, Any]:
    """Run one worker process and return what it measured."""
    spec_file = scratch / f"spec-{spec.label}-{spec.approach}.json"
    spec_file.write_text(json.dumps(dataclasses.asdict(spec)), encoding="utf-8")
    python_path = filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(python_path), _STARTED_ENV: str(_STARTED)}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--worker", str(spec_file)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False,
    )
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        raise SystemExit(f"worker {spec.label}/{spec.approach} failed "
                         f"(exit {completed.returncode}); see stderr above")
    return json.loads(lines[-1])


def labelled_queries() -> list[tuple[str, list[str], bool]]:
    """Every labelled question (both splits) as a timed query."""
    return [(item.question, sorted(item.expected), False) for item in load_labelled(LABELLED_FILE)]


def synthetic_base(size: int, options: Options, scratch: Path, shipped_words: list[str],
                   municipalities: dict[str, tuple[str, ...]]
                   ) -> tuple[Path, list[tuple[str, list[str], bool]]]:
    """Write a synthetic base of `size` alternates; return its directory and its own queries."""
    started = time.perf_counter()
    entries = synthetic.generate_entries(size, shipped_words, municipalities, options.seed)
    directory = scratch / f"kb-{size}"
    synthetic.write_knowledge_base(directory, entries, SHIPPED_DIR / "language.yaml")
    queries = synthetic.generate_queries(entries, options.synthetic_queries, options.seed)
    megabytes = sum(path.stat().st_size for path in directory.glob("*.yaml")) / 1e6
    progress(f"synthetic {size}: {len(entries)} entries, {megabytes:.1f} MB of YAML written "
             f"in {time.perf_counter() - started:.1f} s")
    return directory, [(query.text, list(query.expected), True) for query in queries]


def run_all(options: Options, matching: MatchingConfig) -> list[dict[str, Any]]:
    """Every worker, one after the other (never in parallel: they would share the cores)."""
    results: list[dict[str, Any]] = []
    labelled = labelled_queries()

    def spec(label: str, directory: Path, approach: str,
             queries: list[tuple[str, list[str], bool]], **extra: Any) -> WorkerSpec:
        return WorkerSpec(
            label=label, directory=str(directory), approach=approach,
            matching=dataclasses.asdict(matching), queries=queries, rounds=options.rounds,
            load_runs=options.load_runs, latency_budget_s=options.latency_budget_s,
            seed=options.seed, measure_tracemalloc=options.measure_tracemalloc, **extra,
        )

    with tempfile.TemporaryDirectory(prefix="bench-matching-") as name:
        scratch = Path(name)
        results.append(run_worker(spec("shipped", SHIPPED_DIR, "engine", labelled,
                                       quality=True), scratch))
        naive = run_worker(spec("shipped", SHIPPED_DIR, "naive", labelled, quality=True), scratch)
        results.append(naive)
        shipped_words = synthetic.shipped_vocabulary(SHIPPED_DIR)
        municipalities = synthetic.municipality_names(SHIPPED_DIR)
        for size in options.sizes:
            directory, own = synthetic_base(size, options, scratch, shipped_words,
                                            municipalities)
            queries = labelled + own
            largest = size == options.sizes[-1]
            results.append(run_worker(spec(str(size), directory, "engine", queries,
                                           profile=options.profile and largest), scratch))
            results.append(run_worker(spec(str(size), directory, "naive", queries,
                                           cutoff=naive["cutoff"]), scratch))
    return results


# --- the report ---------------------------------------------------------------------------


def git_revision() -> str:
    """The commit, and whether bot/ or knowledge/ differ from it (the engine is being tuned)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "bot", "knowledge")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (bot/ or knowledge/ modified)" if dirty else head


def source_fingerprint() -> str:
    """A short hash of the code and data measured: bot/*.py, knowledge/*.yaml, config.yaml."""
    digest = hashlib.sha256()
    paths = [*sorted((REPO_ROOT / "bot").rglob("*.py")), *sorted(SHIPPED_DIR.glob("*.yaml")),
             REPO_ROOT / "config.yaml"]
    for path in paths:
        if path.is_file():
            digest.update(str(path.relative_to(REPO_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def environment(options: Options) -> dict[str, Any]:
    """The command line and the machine, for the report header."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "command": shlex.join(["python", "-m", "bench.matching", *options.argv]),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "revision": git_revision(),
        "fingerprint": source_fingerprint(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def _kb_name(result: dict[str, Any]) -> str:
    return "shipped" if result["label"] == "shipped" else "synthetic"


def _synthetic_cell(result: dict[str, Any]) -> str:
    total = result.get("synthetic_total") or 0
    if not total:
        return "–"
    return f"{result['synthetic_right'] / total:.0%} of {total}"


def performance_table(results: list[dict[str, Any]], with_tracemalloc: bool) -> list[str]:
    """One row per (base, approach)."""
    header = ["knowledge base", "entries", "alternates", "approach",
              "start-up ms (load + build)", "p50 ms", "p99 ms", "timed",
              "peak RSS MB (+ over start)", "synthetic answered right"]
    if with_tracemalloc:
        header.insert(9, "tracemalloc MB")
    rows = [_row(header), _row(["---"] * len(header))]
    for result in results:
        growth = result["peak_rss_mb"] - result["baseline_rss_mb"]
        cells = [
            _kb_name(result), f"{result['entries']:,}".replace(",", " "),
            f"{result['alternates']:,}".replace(",", " "), result["approach"],
            f"{result['startup_ms']:.0f} ({result['load_ms']:.0f} + {result['build_ms']:.0f})",
            f"{result['p50_ms']:.2f}", f"{result['p99_ms']:.2f}",
            f"{result['queries_timed']}/{result['queries_total']} × {len(result['rounds'])}",
            f"{result['peak_rss_mb']:.0f} (+{growth:.0f})", _synthetic_cell(result),
        ]
        if with_tracemalloc:
            cells.insert(9, f"{result.get('tracemalloc_peak_mb', 0):.1f}")
        rows.append(_row(cells))
    return rows


def quality_table(engine: dict[str, Any], naive: dict[str, Any], matching: MatchingConfig
                  ) -> list[str]:
    """The labelled set's heldout split, both approaches."""
    header = ["approach (heldout split)", "decides by", "in scope: answered right",
              "in scope: answered wrong", "out of scope: answered", "false-answer rate"]
    rows = [_row(header), _row(["---"] * len(header))]
    decides = {
        "engine": f"answer ≥ {matching.answer_threshold:g}, suggest ≥ "
                  f"{matching.suggest_threshold:g}, margin {matching.ambiguity_margin:g}",
        "naive": f"WRatio cut-off {naive['cutoff']:g} (tuned on tune split)",
    }
    for result in (engine, naive):
        held = result["quality"]["heldout"]
        rows.append(_row([
            result["approach"], decides[result["approach"]],
            f"{held['correct']}/{held['in_scope']} ({held['correct_rate']:.1%})",
            f"{held['wrong']}/{held['in_scope']} ({held['wrong_rate']:.1%})",
            f"{held['out_of_scope_answered']}/{held['out_of_scope']} "
            f"({held['out_of_scope_answered_rate']:.1%})",
            f"{held['false_answer_rate']:.1%}",
        ]))
    return rows


def targets(results: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/n/a) for each target of the issue."""
    def find(label: str, approach: str) -> dict[str, Any] | None:
        return next((r for r in results if r["label"] == label and r["approach"] == approach),
                    None)

    shipped, naive = find("shipped", "engine"), find("shipped", "naive")
    large = find(str(TARGET_LARGE_SIZE), "engine")
    assert shipped is not None and naive is not None
    verdict = {True: "PASS", False: "FAIL"}
    rows = [
        (f"shipped base: engine p99 ≤ {TARGET_SHIPPED_P99_MS:g} ms",
         f"{shipped['p99_ms']:.2f} ms", verdict[shipped["p99_ms"] <= TARGET_SHIPPED_P99_MS]),
        (f"{TARGET_LARGE_SIZE:,} alternates: engine p99 ≤ {TARGET_LARGE_P99_MS:g} ms".replace(
            ",", " "),
         f"{large['p99_ms']:.2f} ms" if large else "not run",
         verdict[large["p99_ms"] <= TARGET_LARGE_P99_MS] if large else "n/a"),
        (f"shipped base: start-up (load + build) ≤ {TARGET_STARTUP_MS:g} ms",
         f"{shipped['startup_ms']:.0f} ms", verdict[shipped["startup_ms"] <= TARGET_STARTUP_MS]),
    ]
    engine_q, naive_q = shipped["quality"]["heldout"], naive["quality"]["heldout"]
    rows.append((
        "engine better than naive: correct-answer rate",
        f"{engine_q['correct_rate']:.1%} vs {naive_q['correct_rate']:.1%}",
        verdict[engine_q["correct_rate"] > naive_q["correct_rate"]],
    ))
    rows.append((
        "engine better than naive: false-answer rate",
        f"{engine_q['false_answer_rate']:.1%} vs {naive_q['false_answer_rate']:.1%}",
        verdict[engine_q["false_answer_rate"] < naive_q["false_answer_rate"]],
    ))
    return rows


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(results: list[dict[str, Any]], env: dict[str, Any], options: Options,
           matching: MatchingConfig) -> str:
    """The Markdown report."""
    shipped = next(r for r in results if r["label"] == "shipped" and r["approach"] == "engine")
    naive = next(r for r in results if r["label"] == "shipped" and r["approach"] == "naive")
    usable = f", {env['cpus_usable']} usable" if env["cpus_usable"] else ""
    lines = [
        "### Matching benchmark",
        "",
        f"`{env['command']}`  ",
        f"{env['python']} on {env['platform']}, {env['cpu_count']} CPUs{usable}; "
        f"commit {env['revision']}, sources {env['fingerprint']}; {env['date']}",
        "",
        *performance_table(results, options.measure_tracemalloc),
        "",
        "Latency: p50/p99 per question, median of the rounds, each round on a freshly built "
        "engine; *timed* = questions timed / query set × rounds. Start-up: median of "
        f"{shipped['load_runs']}+ runs of load_knowledge from YAML plus building the engine "
        "(naive: the list of alternates). Peak RSS: the worker process's ru_maxrss, and its "
        "growth over the RSS after imports. Synthetic answered right: share of the questions "
        "made from the base's own alternates (with typos and unrelated words) answered with "
        "their entry.",
        "",
        *quality_table(shipped, naive, matching),
        "",
        "False-answer rate = (wrong in-scope answers + answered out-of-scope questions) / all "
        f"questions of the split. Naive cut-off chosen on the tune split to maximise correct − "
        f"{FALSE_ANSWER_PENALTY} × false answers.",
        "",
        _row(["target", "measured", "result"]),
        _row(["---"] * 3),
        *(_row(row) for row in targets(results)),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --worker, one measurement) and print the report."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    options = resolve_options(args, argv)
    matching = load_config(options.config).matching
    env = environment(options)
    progress(f"sizes {options.sizes}, {options.rounds} rounds, {options.load_runs} start-up "
             f"runs, latency budget {options.latency_budget_s:g} s per base and approach; "
             f"commit {env['revision']}, sources {env['fingerprint']}")
    results = run_all(options, matching)
    report = render(results, env, options, matching)
    print(report)
    if source_fingerprint() != env["fingerprint"]:
        progress("WARNING: bot/, knowledge/ or config.yaml changed during the run, so the "
                 "workers may have measured different versions; run it again")
    if options.json_file:
        payload = {"environment": env, "options": _options_dict(options),
                   "matching": dataclasses.asdict(matching), "results": results,
                   "targets": [dict(zip(("target", "measured", "result"), row, strict=True))
                               for row in targets(results)]}
        options.json_file.write_text(json.dumps(payload, indent=2, ensure_ascii=False),
                                     encoding="utf-8")
        progress(f"figures written to {options.json_file}")
    progress("done")
    return 0


def _options_dict(options: Options) -> dict[str, Any]:
    values = dataclasses.asdict(options)
    return {key: str(value) if isinstance(value, Path) else value for key, value in values.items()}


if __name__ == "__main__":
    sys.exit(main())
