"""Tests for bot/config.py: defaults, validation errors and environment overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_config_is_valid_and_equals_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = load_config(PROJECT_ROOT / "config.example.yaml", environ={})
    monkeypatch.chdir(tmp_path)  # no config.yaml here: built-in defaults
    defaults = load_config(environ={})
    assert defaults.source == "(defaults)"
    assert example.telegram == defaults.telegram
    assert example.matching == defaults.matching
    assert example.privacy == defaults.privacy
    assert defaults.knowledge_dir == PROJECT_ROOT / "knowledge"


def test_a_named_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "missing.yaml", environ={})


def test_unknown_keys_and_wrong_types_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "telegram:\n  tokn: x\nmatching:\n  answer_threshold: high\n"
                           "editors:\n  user_ids: [abc]\nlogging: loud\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    problems = "\n".join(caught.value.problems)
    assert "unknown key 'telegram.tokn'" in problems
    assert "'matching.answer_threshold' must be a number, not 'high'" in problems
    assert "'editors.user_ids' must be a list of whole numbers" in problems
    assert "'logging' must be a section" in problems


def test_thresholds_and_webhook_url_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "matching:\n  answer_threshold: 40\n  suggest_threshold: 60\n"
                           "telegram:\n  mode: webhook\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    problems = "\n".join(caught.value.problems)
    assert "suggest_threshold <= answer_threshold" in problems
    assert "'telegram.webhook.url' is required in webhook mode" in problems


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "telegram: [\n"), environ={})


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "telegram:\n  token: from-file\ndatabase:\n  path: a.sqlite3\n")
    config = load_config(path, environ={
        "TELEGRAM_BOT_TOKEN": "123:from-env",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
        "BOT_DATABASE": "/tmp/other.sqlite3",
        "BOT_EDITOR_IDS": "11, 22",
    })
    assert config.telegram.token == "123:from-env"
    assert config.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert config.database.path == "/tmp/other.sqlite3"
    assert config.editors.user_ids == (11, 22)


def test_editor_ids_must_be_numbers(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="BOT_EDITOR_IDS"):
        load_config(write(tmp_path, ""), environ={"BOT_EDITOR_IDS": "alice"})


@pytest.mark.parametrize(("value", "expected"), [("08:00", (8, 0)), ("7:05", (7, 5)),
                                                  ("23:59", (23, 59)), ("", None)])
def test_digest_time_is_a_time_of_day(tmp_path: Path, value: str, expected) -> None:
    config = load_config(write(tmp_path, f"editors:\n  digest_time: '{value}'\n"), environ={})
    clock = config.editors.digest_clock
    assert (None if clock is None else (clock.hour, clock.minute)) == expected


@pytest.mark.parametrize("value", ["8", "24:00", "08:60", "kl 8", "8.00"])
def test_a_malformed_digest_time_is_an_error(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="digest_time"):
        load_config(write(tmp_path, f"editors:\n  digest_time: '{value}'\n"), environ={})
