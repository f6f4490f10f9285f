"""Bounds on what one hostile message can cost: time linear in its length, caches of a fixed
size, and a configuration that cannot lift the cut before matching out of reach.

- Masking (`bot.privacy.mask`) and text normalisation (`Normalizer.analyse`) of 100 000
  characters of a hostile pattern ("a-a-a-…", "1-1-1-…", an e-mail local part without end)
  take a small multiple of what ordinary text of the same length takes: a pattern that made a
  regular expression quadratic would take a hundred times the budget or more. The budget is
  0.5 s plus 20 times that ordinary text's time, generous enough for a slow, busy machine.
- Every word cache (stems, spelling corrections, look-ups of unknown words, the safety and
  fact layers' term vocabulary) stays within its size however many distinct words arrive,
  and long words are never kept.
- `matching.max_question_chars` must lie between 1 and 4 000: a configuration beyond that is
  refused with its file and line, by `python -m bot check` too.
"""

from __future__ import annotations

import itertools
import string
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import MAX_QUESTION_CHARS, PROJECT_ROOT, ConfigError, load_config
from bot.engine import Engine
from bot.privacy import mask
from bot.text import MAX_CACHED_WORD_CHARS, WORD_CACHE_SIZE, WordCache, stem
from tests.reliability.harness import figure

LENGTH = 100_000
ORDINARY = ("Hva er telefonnummeret til Notodden kommune, og når er rådhuset åpent? "
            * 2_000)[:LENGTH]
HOSTILE = {
    "one long word": "a" * LENGTH,
    "a-a-a-": "a-" * (LENGTH // 2),
    "1-1-1-": "1-" * (LENGTH // 2),
    "digits and spaces": "1 " * (LENGTH // 2),
    "digits and slashes": "1/" * (LENGTH // 2),
    "+1+1+1": "+1" * (LENGTH // 2),
    "a.a.a.": "a." * (LENGTH // 2),
    "a@a@a@": "a@" * (LENGTH // 2),
    "a (at) a (at)": "a (at) " * (LENGTH // 7),
    "domain-like": "a-a.n" * (LENGTH // 5),
    "jeg heter jeg heter": "jeg heter " * (LENGTH // 10),
    "bor i bor i": "bor i " * (LENGTH // 6),
    "Storgata Storgata": "Storgata " * (LENGTH // 9),
    "1 Storgata 1 Storgata": "1 Storgata " * (LENGTH // 11),
    "adressen min er": "adressen min er " * (LENGTH // 16),
    "capitals": "A " * (LENGTH // 2),
}
BUDGET_SECONDS = 0.5
BUDGET_FACTOR = 20


@pytest.fixture(scope="module")
def fresh_engine() -> Engine:
    """An engine of its own, so that filling its caches leaves the other tests' alone."""
    config = load_config(PROJECT_ROOT / "config.example.yaml", environ={})
    return Engine.from_directory(PROJECT_ROOT / "knowledge", config.matching)


def _seconds(function: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def _unlimited_mask(text: str) -> str:
    return mask(text, limit=None)


@pytest.mark.parametrize("step", ["mask", "normalise"])
def test_hostile_patterns_take_linear_time(step: str, fresh_engine: Engine) -> None:
    analyse = fresh_engine._state.index.analyse  # the normalisation itself
    function = _unlimited_mask if step == "mask" else analyse
    baseline = min(_seconds(function, ORDINARY) for _ in range(3))
    budget = BUDGET_SECONDS + BUDGET_FACTOR * baseline
    slowest = ("", 0.0)
    for name, text in HOSTILE.items():
        elapsed = _seconds(function, text)
        assert elapsed < budget, f"{step} of {name!r}: {elapsed:.2f} s (budget {budget:.2f} s)"
        slowest = max(slowest, (name, elapsed), key=lambda pair: pair[1])
    figure(f"{step}, 100 000 hostile characters",
           f"slowest {slowest[1] * 1000:.0f} ms ({slowest[0]}); ordinary text "
           f"{baseline * 1000:.0f} ms; budget {budget * 1000:.0f} ms")


def _distinct_words(length: int) -> Iterator[str]:
    """Distinct words of `length` letters and digits, never all digits."""
    for letters in itertools.product(string.ascii_lowercase + string.digits, repeat=length):
        word = "".join(letters)
        if not word.isdigit():
            yield word


def test_a_word_cache_holds_its_size_after_a_million_distinct_words() -> None:
    cache: WordCache[int] = WordCache(len, maxsize=1_000)
    for word in itertools.islice(_distinct_words(4), 1_000_000):
        cache(word)
    assert len(cache) == 1_000
    for index in range(1_000):
        cache(f"{index:0>{MAX_CACHED_WORD_CHARS}}x")
    assert cache("x" * 5_000) == 5_000
    assert len(cache) == 1_000 and cache("zzzz") == 4


def _caches(engine: Engine) -> dict[str, WordCache]:
    state = engine._state  # the caches themselves are what is checked
    return {
        "stems": stem,
        "spelling corrections": state.index.speller.correct,
        "unknown-word look-ups": state.index.lookup,
        "safety terms": state.safety._vocabulary.match,
        "fact terms": state.facts._vocabulary.match,
    }


@pytest.mark.parametrize("cache_name", ["stems", "spelling corrections", "unknown-word look-ups",
                                        "safety terms", "fact terms"])
def test_every_word_cache_stays_within_its_bound(fresh_engine: Engine, cache_name: str) -> None:
    """The caches once grew to 100 000 or 200 000 words of any length: hostile text of
    distinct long words could fill about 200 MB."""
    cache = _caches(fresh_engine)[cache_name]
    assert cache.maxsize <= WORD_CACHE_SIZE
    for word in itertools.islice(_distinct_words(3), cache.maxsize + 5_000):
        cache(word)
    assert len(cache) <= cache.maxsize
    cache.cache_clear()
    for index in range(2_000):
        cache(f"{index}" + "lang" * 50)
    assert len(cache) == 0


def test_hostile_messages_leave_the_caches_within_their_bounds(fresh_engine: Engine) -> None:
    """Through the engine, as the bot uses it: many messages of distinct long and short
    words."""
    words = _distinct_words(3)
    for number in range(300):
        long_words = " ".join(f"{number}{index}" + "x" * 60 for index in range(10))
        short_words = " ".join(itertools.islice(words, 80))
        fresh_engine.ask(f"{long_words} {short_words}")
    for name, cache in _caches(fresh_engine).items():
        assert len(cache) <= cache.maxsize, name


def _config_file(tmp_path: Path, value: int) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"# test\nmatching:\n  answer_threshold: 60\n  max_question_chars: {value}\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [0, -5, MAX_QUESTION_CHARS + 1, 1_000_000])
def test_max_question_chars_out_of_range_is_refused_with_file_and_line(
    tmp_path: Path, value: int
) -> None:
    path = _config_file(tmp_path, value)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert f"{path}:4: 'matching.max_question_chars' must be between 1 and 4000" in "\n".join(
        caught.value.problems
    )


@pytest.mark.parametrize("value", [1, 1000, MAX_QUESTION_CHARS])
def test_max_question_chars_in_range_is_accepted(tmp_path: Path, value: int) -> None:
    assert load_config(_config_file(tmp_path, value), environ={}).matching.max_question_chars \
        == value


def test_check_refuses_an_unbounded_cut(tmp_path: Path) -> None:
    path = _config_file(tmp_path, 1_000_000)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(path), "check"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 1
    assert f"{path}:4: 'matching.max_question_chars'" in done.stdout + done.stderr
