"""The real `python -m bot run` process against the Bot API stand-in, and what to measure on it.

Used by the reliability suite (`tests/reliability/`) and the soak benchmark (`bench/soak.py`):

- `BotRun` starts the bot as a subprocess with a configuration of its own (written to a
  folder beside its question log and its output), waits until it polls, pushes messages and
  waits for replies, reads its memory from /proc, reads its question log, and stops it with
  SIGTERM or SIGKILL. Its output goes to a file, not a pipe, so a chatty bot never blocks.
- `Traffic` sends questions from many users in a background thread at a steady rate, and
  remembers what was sent, for the storage-fault tests.
- `figure` records a figure (peak memory, a recovery time) that the suite prints at the end.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import PROJECT_ROOT
from bot.privacy import user_hash
from tests.botapi_standin import BotApiStandIn, Call

TOKEN = "987654:RELIABILITY-token-not-real-000000000000"
EDITOR = 8001  # the editor of the bots started by the `bot` fixture
HASH_SECRET = "reliability-hash-secret-for-user-ids-000"
READY_TIMEOUT = 30.0
REPLY_TIMEOUT = 30.0

# Figures measured by the suite, printed at its end (see conftest.pytest_terminal_summary).
FIGURES: dict[str, str] = {}


def figure(name: str, value: str) -> None:
    """Record a figure for the suite's summary."""
    FIGURES[name] = value


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` merged in, section by section."""
    result = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def code(number: int) -> str:
    """A short letters-only tag for a number (masking leaves letters alone, digits not)."""
    letters = string.ascii_lowercase
    tag = ""
    while True:
        number, rest = divmod(number, 26)
        tag = letters[rest] + tag
        if not number:
            return "q" + tag


def to_chat(chat_id: int) -> Callable[[Call], bool]:
    """A predicate: a call addressed to `chat_id`."""
    return lambda call: call.params.get("chat_id") == chat_id


def hashed(user_id: int) -> str:
    """The user hash the bot stores for `user_id` (the suite's secret)."""
    result = user_hash(user_id, HASH_SECRET)
    assert result is not None
    return result


@dataclass
class BotRun:
    """One `python -m bot run` process (restartable) against `standin`, in `folder`."""

    standin: BotApiStandIn
    folder: Path
    config: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    name: str = "bot"
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.database = self.folder / "questions.sqlite3"
        self.output_path = self.folder / f"{self.name}.log"
        self.config_path = self.folder / f"{self.name}.yaml"
        base = {"knowledge": {"directory": str(PROJECT_ROOT / "knowledge")}}
        self.config_path.write_text(
            yaml.safe_dump(merged(base, self.config), allow_unicode=True), encoding="utf-8"
        )

    # --- lifecycle ---------------------------------------------------------------------------

    def command(self) -> list[str]:
        """The command line that starts the bot."""
        return [sys.executable, "-m", "bot", "--config", str(self.config_path), "run"]

    def environment(self) -> dict[str, str]:
        """The bot's environment: the suite's token, stand-in, database and hash secret."""
        return {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.standin.base_url,
            "BOT_DATABASE": str(self.database),
            "BOT_HASH_SECRET": HASH_SECRET,
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }

    def start(self, *, wait: bool = True) -> BotRun:
        """Start the process; with `wait`, return once it polls for updates."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.started_at = time.monotonic()
        with self.output_path.open("ab") as output:
            output.write(f"--- start at {self.started_at:.3f}\n".encode())
            output.flush()
            self.process = subprocess.Popen(
                self.command(), cwd=self.folder, env=self.environment(), stdout=output,
                stderr=subprocess.STDOUT,
            )
        if wait:
            started = self.started_at
            self.wait_for("getUpdates", lambda call: call.time >= started,
                          timeout=READY_TIMEOUT)
        return self

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        """The process id."""
        assert self.process is not None
        return self.process.pid

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, and the exit code once the process is gone."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            message = f"the bot did not stop within {timeout} s:\n{self.tail()}"
            raise AssertionError(message) from None

    def kill(self) -> None:
        """SIGKILL (kill -9): no shutdown code runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def __enter__(self) -> BotRun:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        if self.running:
            self.kill()

    # --- output ------------------------------------------------------------------------------

    def output(self) -> str:
        """Everything the process printed (all runs)."""
        try:
            return self.output_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, lines: int = 40) -> str:
        """The last lines of the output."""
        return "\n".join(self.output().splitlines()[-lines:])

    def assert_no_secrets(self) -> None:
        """Neither the token nor its secret half nor the hash secret was printed."""
        output = self.output()
        for secret in (TOKEN, TOKEN.split(":", 1)[1], HASH_SECRET):
            assert secret not in output, "a secret appears in the bot's output"

    # --- talking to it -----------------------------------------------------------------------

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = REPLY_TIMEOUT,
    ) -> list[Call]:
        """`standin.wait_for`, failing at once (with the bot's output) if the bot exits."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                return self.standin.wait_for(method, predicate, count=count,
                                             timeout=max(0.0, min(0.5, remaining)))
            except TimeoutError as error:
                if self.process is not None and self.process.poll() is not None:
                    raise AssertionError(
                        f"the bot exited with {self.process.returncode}:\n{self.tail()}"
                    ) from error
                if remaining <= 0:
                    raise AssertionError(f"{error}\n--- bot output:\n{self.tail()}") from None

    def replies(self, chat_id: int, method: str = "sendMessage") -> list[Call]:
        """Delivered `method` calls to `chat_id`, oldest first."""
        return [call for call in self.standin.delivered(method) if to_chat(chat_id)(call)]

    def ask(self, text: str, user_id: int, timeout: float = REPLY_TIMEOUT, **kwargs: Any) -> Call:
        """Push a message from `user_id` and return the bot's reply to it."""
        before = len(self.replies(user_id))
        self.standin.push_update(self.standin.message_update(text, user_id=user_id, **kwargs))
        return self.wait_for(
            "sendMessage", lambda call: call.delivered and to_chat(user_id)(call),
            count=before + 1, timeout=timeout,
        )[-1]

    # --- measuring ---------------------------------------------------------------------------

    def memory_kb(self) -> tuple[int, int]:
        """(resident set size, its peak so far) in KiB, from /proc/<pid>/status."""
        values = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
        return values["VmRSS"], values["VmHWM"]

    def rows(self, sql: str = "SELECT id, text, user_hash FROM questions ORDER BY id",
             parameters: Iterable[Any] = ()) -> list[tuple]:
        """Rows of the question log (what another reader would see now)."""
        return query(self.database, sql, parameters)


def query(database: Path, sql: str, parameters: Iterable[Any] = ()) -> list[tuple]:
    """Run one read-only query against a SQLite file."""
    connection = sqlite3.connect(database, timeout=10)
    try:
        return connection.execute(sql, tuple(parameters)).fetchall()
    finally:
        connection.close()


def integrity(database: Path) -> str:
    """PRAGMA integrity_check of the file ("ok" when sound)."""
    return query(database, "PRAGMA integrity_check")[0][0]


@dataclass
class Sent:
    """One question pushed by `Traffic`."""

    user_id: int
    text: str
    pushed_at: float
    update_id: int


class Traffic:
    """Questions from `users` users at `rate` per second, in a background thread."""

    def __init__(
        self, standin: BotApiStandIn, users: range, rate: float,
        question: str = "hvem er med i regionrådet",
    ) -> None:
        self.standin = standin
        self.users = users
        self.interval = 1.0 / rate
        self.question = question
        self.sent: list[Sent] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="traffic", daemon=True)

    def _run(self) -> None:
        number = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            user_id = self.users[number % len(self.users)]
            text = f"{self.question} {code(number)}"
            pushed = time.monotonic()
            update_id = self.standin.push_update(
                self.standin.message_update(text, user_id=user_id)
            )
            self.sent.append(Sent(user_id, text, pushed, update_id))
            number += 1
            next_at += self.interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def __enter__(self) -> Traffic:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop sending (idempotent)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def between(self, start: float, end: float = float("inf")) -> list[Sent]:
        """Questions pushed in [start, end)."""
        return [sent for sent in list(self.sent) if start <= sent.pushed_at < end]
