"""CPU per Bot API request: python-telegram-bot's httpx transport against the bot's aiohttp one.

    python -m bench.http_clients [--requests 3000] [--rounds 3]

Starts the Bot API stand-in in a process of its own (so that its CPU is not counted), then
sends `--requests` sendMessage calls the size of a typical answer (HTML text, a keyboard of
three buttons) through each transport, one at a time and four at once (the outbox's limit),
the transports in turn in each round. Reported: CPU time (this process only) and wall time
per request, the median of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.config import PROJECT_ROOT
from bot.http_client import AiohttpRequest
from tests.botapi_standin import TEST_TOKEN

TEXT = "<b>Kongsberg kommune</b>\n" + "Telefon 32 86 50 00, nettside kongsberg.kommune.no. " * 8
MARKUP = {"inline_keyboard": [
    [{"text": "📇 Lagre kontakt", "callback_data": "c:contact:123456789"}],
    [{"text": "👍", "callback_data": "f:1:1234567890123"},
     {"text": "👎", "callback_data": "f:0:1234567890123"}],
]}
TRANSPORTS: dict[str, Callable[[], BaseRequest]] = {
    "httpx (python-telegram-bot's)": lambda: HTTPXRequest(connection_pool_size=8),
    "aiohttp (bot.http_client)": lambda: AiohttpRequest(connection_pool_size=8),
}


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reply_data() -> RequestData:
    """A sendMessage's parameters, as python-telegram-bot builds them."""
    parameters = {"chat_id": 2_000_001, "text": TEXT, "parse_mode": "HTML",
                  "reply_markup": json.dumps(MARKUP),
                  "link_preview_options": json.dumps({"is_disabled": True})}
    return RequestData([RequestParameter.from_input(name, value)
                        for name, value in parameters.items()])


async def measure(request: BaseRequest, url: str, requests: int, at_once: int
                  ) -> tuple[float, float]:
    """CPU and wall milliseconds per request."""
    await request.initialize()
    try:
        for _ in range(50):  # warm up: connections open, caches filled
            await request.do_request(url, "POST", reply_data())
        gate = asyncio.Semaphore(at_once)

        async def one() -> None:
            async with gate:
                status, _body = await request.do_request(url, "POST", reply_data())
                if status != 200:
                    raise RuntimeError(f"HTTP {status}")

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        return ((time.process_time() - cpu) * 1000 / requests,
                (time.perf_counter() - wall) * 1000 / requests)
    finally:
        await request.shutdown()


async def run(url: str, requests: int, rounds: int) -> dict[tuple[str, int], list[tuple]]:
    """Every transport at 1 and 4 at once, in turn, `rounds` times."""
    results: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for round_number in range(rounds):
        for at_once in (1, 4):
            for name, make in TRANSPORTS.items():
                cpu, wall = await measure(make(), url, requests, at_once)
                results.setdefault((name, at_once), []).append((cpu, wall))
                print(f"round {round_number + 1}: {name}, {at_once} at once: "
                      f"{cpu:.3f} ms CPU", file=sys.stderr, flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    """Start the stand-in, measure, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    port = free_port()
    standin = subprocess.Popen(
        [sys.executable, "-m", "tests.botapi_standin", "--port", str(port), "--quiet"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        base_url = standin.stdout.readline().decode().strip() if standin.stdout else ""
        results = asyncio.run(run(f"{base_url}{TEST_TOKEN}/sendMessage", args.requests,
                                  args.rounds))
    finally:
        standin.terminate()
        standin.wait(timeout=10)
    print(f"\nsendMessage through the Bot API stand-in, {args.requests} requests, median of "
          f"{args.rounds} rounds:\n")
    print("| transport | at once | CPU per request | wall per request |")
    print("|---|---|---|---|")
    for (name, at_once), figures in results.items():
        cpu = statistics.median(figure[0] for figure in figures)
        wall = statistics.median(figure[1] for figure in figures)
        print(f"| {name} | {at_once} | {cpu:.2f} ms | {wall:.2f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
