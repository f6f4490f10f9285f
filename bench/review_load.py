"""Residents' answer latency while an editor works through a large review list.

    python -m bench.review_load [--rows 50000] [--rate 10] [--pages 3] [--source DIR]

Fills a real question log with `--rows` open unanswered questions (varied text made from the
labelled questions with typos and made-up words; 40% from one asker within the last day, the
rest from 5 000 askers over 29 days), starts the real `python -m bot run` against the Bot API
stand-in, as deployed (one update at a time, rate limiter at 30 replies/s), and sends residents'
questions at `--rate` per second while an editor, one action after the other, sends
/ubesvart, pages forward `--pages` times, presses Løst on the first group, and sends
/statistikk and /eksport. Reports residents' latency (push to reply) over the whole run and
while an editor's action was under way, and each action's duration (push to the bot's reply).

`--source DIR` runs the bot from another checkout (for example `git archive main | tar -x -C
DIR`) to measure the code before a change; an action that takes longer than
`--action-timeout` is reported as such and the rest are skipped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.callbacks import decode_editor
from tests.botapi_standin import BotApiStandIn, Call
from tests.reliability.harness import EDITOR, TOKEN, BotRun, Sent, Traffic, to_chat
from tests.synthetic_log import fill_open

RESIDENTS = range(30_001, 30_061)
WARM_UP = 30_000


@dataclass
class Action:
    """One editor's action and how long it took (None: not finished in time)."""

    name: str
    started: float
    seconds: float | None


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def buttons(call: Call) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [button.get("callback_data", "") for row in markup.get("inline_keyboard", [])
            for button in row]


def button(call: Call, action: str) -> str | None:
    """The first button of a message with the editor's `action` (page, resolve, ...)."""
    for data in buttons(call):
        decoded = decode_editor(data)
        if decoded is not None and decoded.action == action:
            return data
    return None


class Editor:
    """Drives the editor's side, timing each action from its push to the bot's reply."""

    def __init__(self, run: BotRun, timeout: float) -> None:
        self.run = run
        self.standin = run.standin
        self.timeout = timeout
        self.actions: list[Action] = []
        self.last: Call | None = None

    def _count(self, method: str) -> int:
        return len([c for c in self.standin.delivered(method) if to_chat(EDITOR)(c)])

    def act(self, name: str, push: Callable[[], object], method: str) -> bool:
        """Push an update and wait for the editor's next `method` call; False on timeout."""
        before = self._count(method)
        started = time.monotonic()
        push()
        try:
            calls = self.run.wait_for(
                method, lambda call: call.delivered and to_chat(EDITOR)(call),
                count=before + 1, timeout=self.timeout,
            )
        except AssertionError:
            self.actions.append(Action(name, started, None))
            return False
        self.last = calls[-1]
        self.actions.append(Action(name, started, calls[-1].time - started))
        return True

    def command(self, text: str, method: str) -> bool:
        """An editor's command."""
        update = self.standin.message_update(text, user_id=EDITOR)
        return self.act(text, lambda: self.standin.push_update(update), method)

    def press(self, name: str, data: str) -> bool:
        """An editor's button on the last message."""
        assert self.last is not None
        message_id = (self.last.result or {}).get("message_id")
        update = self.standin.callback_update(data, user_id=EDITOR, message_id=message_id)
        return self.act(name, lambda: self.standin.push_update(update), "editMessageText")

    def work(self, pages: int) -> None:
        """The editor's session: list, pages, Løst, statistics, export."""
        if not self.command("/ubesvart", "sendMessage"):
            return
        for number in range(pages):
            forward = button(self.last, "page")
            if forward is None or not self.press(f"page {number + 2}", forward):
                return
        resolve = button(self.last, "resolve")
        if resolve is None or not self.press("Løst", resolve):
            return
        if self.command("/statistikk", "sendPhoto"):
            self.command("/eksport", "sendDocument")


def latencies(run: BotRun, sent: list[Sent]) -> list[tuple[float, float]]:
    """(pushed at, latency) of every resident's question answered so far: each question is
    matched, in order, to the next reply in its chat that came after it was pushed."""
    found = []
    for user_id in {question.user_id for question in sent}:
        replies = iter(run.replies(user_id))
        for question in (s for s in sent if s.user_id == user_id):
            reply = next((r for r in replies if r.time >= question.pushed_at), None)
            if reply is None:
                break
            found.append((question.pushed_at, reply.time - question.pushed_at))
    return found


def measure(rows: int, rate: float, pages: int, source: Path | None,
            action_timeout: float) -> tuple[list[tuple[float, float]], list[Action], int]:
    """One run: residents' latencies, the editor's actions, and how many questions went
    unanswered."""
    with tempfile.TemporaryDirectory() as folder, \
            BotApiStandIn(expected_token=TOKEN) as standin:
        run = BotRun(standin, Path(folder) / "bot", {"editors": {"user_ids": [EDITOR]}},
                     env={"PYTHONPATH": str(source)} if source else {})
        started = time.monotonic()
        fill_open(run.database, rows)
        print(f"filled {rows} open questions in {time.monotonic() - started:.1f} s",
              file=sys.stderr, flush=True)
        with run:
            run.ask("hvem er med i regionrådet", WARM_UP)
            editor = Editor(run, action_timeout)
            with Traffic(standin, RESIDENTS, rate) as traffic:
                time.sleep(2.0)
                editor.work(pages)
                time.sleep(2.0)
            sent = [s for s in traffic.sent]
            deadline = time.monotonic() + max(30.0, action_timeout)
            while time.monotonic() < deadline and len(latencies(run, sent)) < len(sent):
                time.sleep(0.2)
            found = latencies(run, sent)
            run.stop()
    return found, editor.actions, len(sent) - len(found)


def main(argv: list[str] | None = None) -> int:
    """Run once and print residents' latency and the editor's actions."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rate", type=float, default=10.0, help="residents' questions/s")
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--source", type=Path, default=None,
                        help="run the bot from this checkout (the code before a change)")
    parser.add_argument("--action-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    found, actions, missing = measure(args.rows, args.rate, args.pages, args.source,
                                      args.action_timeout)
    values = [latency for _, latency in found]
    busy = [latency for pushed, latency in found
            if any(a.started <= pushed <= a.started + (a.seconds or args.action_timeout)
                   for a in actions)]
    source = f" ({args.source})" if args.source else ""
    print(f"\n{args.rows} open questions{source}; residents at {args.rate:g}/s, "
          f"{len(values)} answered, {missing} not answered")
    for label, sample in (("whole run", values), ("during editor actions", busy)):
        if sample:
            print(f"residents' latency, {label}: p50 {statistics.median(sample) * 1000:.0f} ms, "
                  f"p99 {percentile(sample, 0.99) * 1000:.0f} ms, "
                  f"max {max(sample) * 1000:.0f} ms ({len(sample)} questions)")
    print("editor's actions (push to the bot's reply), and residents' latency meanwhile:")
    for action in actions:
        took = (f"{action.seconds:.2f} s" if action.seconds is not None
                else f"> {args.action_timeout:g} s (stopped)")
        end = action.started + (action.seconds or args.action_timeout)
        during = [latency for pushed, latency in found if action.started <= pushed <= end]
        meanwhile = (f"residents max {max(during) * 1000:.0f} ms ({len(during)})"
                     if during else "")
        print(f"  {action.name:<12} {took:<10} {meanwhile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
