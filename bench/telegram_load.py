"""Load driver: runs a bot process against the Bot API stand-in and measures it.

``run_load`` starts a bot command as a subprocess pointed at a :class:`BotApiStandIn`
(``TELEGRAM_API_BASE_URL``), waits for its first ``getUpdates``, queues ``messages`` text
messages from ``users`` users at once and waits for one ``sendMessage`` per message. It reports

* throughput: messages per second from the first push to the last reply;
* latency p50/p99: from the moment ``getUpdates`` handed an update to the bot to the arrival of
  the reply for it (replies are matched to updates per chat, in order);
* round trip: median time from pushing one message to its reply, one message at a time;

then stops the bot with SIGTERM. ``python -m bench.telegram_load`` runs it against
``bench/echo_bot.py`` with ``--concurrent 1`` and ``--concurrent 256`` and prints a table.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.botapi_standin import TEST_TOKEN, BotApiStandIn, Call

ECHO_BOT = Path(__file__).with_name("echo_bot.py")
_FIRST_LOAD_USER = 2_000_001
_ROUND_TRIP_USER = 1_999_999


@dataclass(frozen=True)
class LoadResult:
    """Figures from one :func:`run_load` run (times in seconds unless the name says ms)."""

    label: str
    messages: int
    users: int
    replies: int
    duration_s: float
    throughput_per_s: float
    latency_p50_ms: float
    latency_p99_ms: float
    latency_max_ms: float
    round_trips: int
    round_trip_median_ms: float
    startup_s: float
    shutdown_s: float
    exit_code: int | None


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _wait_for_alive(
    standin: BotApiStandIn,
    proc: subprocess.Popen[bytes],
    log: Path,
    method: str,
    predicate: Callable[[Call], bool] | None,
    count: int,
    timeout: float,
) -> list[Call]:
    """``standin.wait_for`` that fails fast (with the bot's log) if the process exits."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        try:
            return standin.wait_for(
                method,
                predicate,
                count=count,
                timeout=max(0.0, min(0.5, remaining)),
            )
        except TimeoutError as exc:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"bot exited with code {proc.returncode}; its output:\n{_tail(log)}"
                ) from exc
            if remaining <= 0:
                raise TimeoutError(f"{exc}\nBot output:\n{_tail(log)}") from None


def _load_latencies(standin: BotApiStandIn, update_ids: set[int], since: float) -> list[float]:
    """Per chat, pair updates (by id) with replies (by arrival) in order; return latencies."""
    handed_out: dict[int | str, list[float]] = defaultdict(list)
    for timing in standin.update_timings():
        if timing.update_id in update_ids and timing.chat_id is not None:
            handed_out[timing.chat_id].append(timing.handed_out_at or timing.pushed_at)
    replies: dict[int | str, list[float]] = defaultdict(list)
    for reply in standin.reply_timings():
        if reply.time >= since and reply.chat_id in handed_out:
            replies[reply.chat_id].append(reply.time)
    latencies = []
    for chat_id, delivered in handed_out.items():
        latencies.extend(r - d for d, r in zip(delivered, replies[chat_id], strict=False))
    return latencies


def run_load(
    command: list[str],
    env: dict[str, str],
    messages: int,
    users: int,
    standin: BotApiStandIn,
    *,
    label: str = "",
    round_trips: int = 50,
    reply_timeout: float = 120.0,
    startup_timeout: float = 30.0,
    cwd: str | Path | None = None,
    texts: Sequence[str] = (),
) -> LoadResult:
    """Run ``command`` against ``standin`` and measure it (see the module docstring).

    ``env`` is added to the current environment; ``TELEGRAM_API_BASE_URL`` is set to the
    stand-in and ``TELEGRAM_BOT_TOKEN`` defaults to a fake token. The stand-in must be started
    and should not have unconfirmed updates queued. ``texts`` are the messages sent, in turn
    (default: "load N").
    """
    if messages < 1 or users < 1:
        raise ValueError("messages and users must be at least 1")
    full_env = {**os.environ, "TELEGRAM_BOT_TOKEN": TEST_TOKEN, **env}
    full_env["TELEGRAM_API_BASE_URL"] = standin.base_url
    full_env.setdefault("PYTHONUNBUFFERED", "1")

    with tempfile.NamedTemporaryFile(prefix="bot-", suffix=".log", delete=False) as handle:
        log = Path(handle.name)
    started = time.monotonic()
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            command, env=full_env, cwd=cwd, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        # 1. Wait until the bot polls.
        _wait_for_alive(
            standin, proc, log, "getUpdates", lambda c: c.time >= started, 1, startup_timeout
        )
        startup_s = time.monotonic() - started

        # 2. Burst: all messages at once, round-robin over the users.
        updates = [
            standin.message_update(
                texts[i % len(texts)] if texts else f"load {i}",
                user_id=_FIRST_LOAD_USER + i % users,
            )
            for i in range(messages)
        ]
        load_chats = {_FIRST_LOAD_USER + u for u in range(users)}
        first_push = time.monotonic()
        update_ids = set(standin.push_updates(updates))
        replies = _wait_for_alive(
            standin,
            proc,
            log,
            "sendMessage",
            lambda c: c.time >= first_push and c.params.get("chat_id") in load_chats,
            messages,
            reply_timeout,
        )
        last_reply = max(c.time for c in replies[:messages])
        duration = last_reply - first_push
        latencies = _load_latencies(standin, update_ids, first_push)

        # 3. One message at a time.
        round_trip_times = []
        for i in range(round_trips):
            pushed = time.monotonic()
            standin.push_message(
                texts[i % len(texts)] if texts else f"ping {i}", user_id=_ROUND_TRIP_USER
            )
            [reply] = _wait_for_alive(
                standin,
                proc,
                log,
                "sendMessage",
                lambda c, t=pushed: c.time >= t and c.params.get("chat_id") == _ROUND_TRIP_USER,
                1,
                30.0,
            )
            round_trip_times.append(reply.time - pushed)
    finally:
        # 4. Stop the bot.
        stopping = time.monotonic()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            exit_code: int | None = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            exit_code = None
        shutdown_s = time.monotonic() - stopping
        if exit_code == 0:
            log.unlink(missing_ok=True)
        else:
            print(f"bot exited with {exit_code}; log kept at {log}", file=sys.stderr)

    ms = 1000.0
    return LoadResult(
        label=label or " ".join(command[-2:]),
        messages=messages,
        users=users,
        replies=len(replies),
        duration_s=duration,
        throughput_per_s=messages / duration if duration > 0 else float("inf"),
        latency_p50_ms=percentile(latencies, 50) * ms,
        latency_p99_ms=percentile(latencies, 99) * ms,
        latency_max_ms=max(latencies) * ms,
        round_trips=round_trips,
        round_trip_median_ms=statistics.median(round_trip_times) * ms if round_trips else 0.0,
        startup_s=startup_s,
        shutdown_s=shutdown_s,
        exit_code=exit_code,
    )


def format_table(results: list[LoadResult]) -> str:
    """A plain-text table of results."""
    header = (
        f"{'bot':<26} {'msgs':>6} {'users':>5} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8} {'rtt ms':>7} {'start s':>7} {'stop s':>6} {'exit':>4}"
    )
    rows = [header, "-" * len(header)]
    for r in results:
        rows.append(
            f"{r.label:<26} {r.messages:>6} {r.users:>5} {r.throughput_per_s:>8.0f} "
            f"{r.latency_p50_ms:>8.1f} {r.latency_p99_ms:>8.1f} {r.latency_max_ms:>8.1f} "
            f"{r.round_trip_median_ms:>7.1f} {r.startup_s:>7.2f} {r.shutdown_s:>6.2f} "
            f"{r.exit_code!s:>4}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Echo-bot load test against the stand-in.")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--round-trips", type=int, default=50)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 256])
    args = parser.parse_args(argv)

    results = []
    for concurrent in args.concurrency:
        with BotApiStandIn() as standin:
            results.append(
                run_load(
                    [sys.executable, str(ECHO_BOT), "--concurrent", str(concurrent)],
                    {"TELEGRAM_BOT_TOKEN": TEST_TOKEN},
                    args.messages,
                    args.users,
                    standin,
                    label=f"echo_bot --concurrent {concurrent}",
                    round_trips=args.round_trips,
                )
            )
        print(format_table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(
        f"\n{args.messages} messages from {args.users} users pushed at once; latency = "
        "getUpdates hand-out -> sendMessage arrival; rtt = median of "
        f"{args.round_trips} one-at-a-time push -> reply.\n"
    )
    print(format_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
