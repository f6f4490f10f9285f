"""Tests for `python -m bot log ...` (bot/log_cli.py): the editors' tools in the terminal."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import PROJECT_ROOT
from bot.engine import Engine
from tests.synthetic_log import SECRET, fill


@pytest.fixture
async def log_config(tmp_path: Path, engine: Engine) -> Path:
    """A config file whose question log holds 30 days of synthetic questions."""
    database = tmp_path / "questions.sqlite3"
    await fill(database, engine, days=30, seed=2)
    path = tmp_path / "config.yaml"
    path.write_text(
        f"database:\n  path: {database}\nprivacy:\n  hash_secret: {SECRET}\n"
        f"knowledge:\n  directory: {PROJECT_ROOT / 'knowledge'}\n",
        encoding="utf-8",
    )
    return path


def run(config: Path, *args: str) -> int:
    return main(["--config", str(config), "log", *args])


@pytest.mark.parametrize("action", [[], ["list"], ["export"], ["stats"], ["resolve"]])
def test_help_on_each_action(action: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as done:
        main(["log", *action, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m bot log")
    if action:
        assert "--days N" in out or "ID" in out


def test_a_bad_number_of_days_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as done:
        main(["log", "list", "--days", "0"])
    assert done.value.code == 2
    assert "whole number of days" in capsys.readouterr().err


async def test_list_resolve_and_ignore(log_config: Path, capsys: pytest.CaptureFixture) -> None:
    assert await _in_thread(run, log_config, "list") == 0
    listing = capsys.readouterr().out
    assert listing.startswith("Ubesvarte spørsmål – siste 30 dager")
    refs = [int(ref) for ref in re.findall(r"ID (\d+) ·", listing)]
    counts = [int(count) for count in re.findall(r"· (\d+) ganger? ·", listing)]
    assert refs and counts[0] >= 2
    assert await _in_thread(run, log_config, "resolve", str(refs[0])) == 0
    assert capsys.readouterr().out.strip() == f"{counts[0]} spørsmål markert som løst."
    await _in_thread(run, log_config, "resolve", str(refs[1]), "--ignore")
    assert "markert som ignorert" in capsys.readouterr().out
    await _in_thread(run, log_config, "list")
    after = capsys.readouterr().out
    assert f"ID {refs[0]} ·" not in after and f"ID {refs[1]} ·" not in after
    await _in_thread(run, log_config, "list", "--all", "--language", "en")
    everything = capsys.readouterr().out
    assert f"ID {refs[0]} ·" in everything and "resolved" in everything
    assert "ignored" in everything
    assert await _in_thread(run, log_config, "resolve", "999999999") == 1
    assert "999999999" in capsys.readouterr().err


async def test_export_to_a_file(log_config: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture) -> None:
    output = tmp_path / "log.csv"
    assert await _in_thread(run, log_config, "export", "--days", "7", "--output",
                            str(output)) == 0
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "id" and len(rows) > 2
    assert f"{len(rows) - 1} questions written to" in capsys.readouterr().err


async def test_stats_with_a_chart(log_config: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    chart = tmp_path / "chart.png"
    assert await _in_thread(run, log_config, "stats", "--chart", str(chart)) == 0
    out = capsys.readouterr().out
    assert "Statistikk – siste 7 dager" in out and "Statistikk – siste 30 dager" in out
    assert "Mest brukte svar:" in out and "Største ubesvarte grupper:" in out
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    await _in_thread(run, log_config, "stats", "--days", "7", "--language", "en")
    english = capsys.readouterr().out
    assert "Statistics – last 7 days" in english and "30 days" not in english


async def test_export_to_standard_output(log_config: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(log_config), "log", "export"],
        capture_output=True, timeout=60, cwd=PROJECT_ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\xef\xbb\xbfid;asked_at;text;")


async def _in_thread(function, *args):
    """Run a blocking CLI call (it runs its own event loop) off the test's loop."""
    return await asyncio.to_thread(function, *args)
