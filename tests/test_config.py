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


WEBHOOK = "telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.no\n"
GOOD_SECRET = "A" * 16 + "b_-9" * 4  # 32 characters of Telegram's alphabet


def problems_of(path: Path, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ or {})
    return "\n".join(caught.value.problems)


def test_problems_name_the_file_and_line_of_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "knowledge:\n  stale_years: 5\ntelegram:\n\n  tokn: x\n"
                           "  concurrent_updates: 0\n")
    problems = problems_of(path)
    assert f"{path}:5: unknown key 'telegram.tokn'" in problems
    assert f"{path}:6: 'telegram.concurrent_updates' must be between 1 and 256" in problems


def test_webhook_mode_without_a_secret_token_is_refused_at_the_mode_line(tmp_path: Path) -> None:
    path = write(tmp_path, "# webhook behind the proxy\n" + WEBHOOK)
    problems = problems_of(path)
    assert f"{path}:3: webhook mode needs 'telegram.webhook.secret_token'" in problems
    assert "none is set" in problems and "anyone who can reach the port" in problems


@pytest.mark.parametrize("secret", ["s3cret", "x" * 31, "a" * 31 + "!", "å" * 40, "a" * 257])
def test_webhook_mode_refuses_a_short_or_malformed_secret_at_its_line(
    tmp_path: Path, secret: str
) -> None:
    path = write(tmp_path, WEBHOOK + f"    secret_token: '{secret}'\n")
    problems = problems_of(path)
    assert f"{path}:5: webhook mode needs 'telegram.webhook.secret_token'" in problems
    assert "32-256 characters A-Z, a-z, 0-9, _ and -" in problems


def test_webhook_mode_accepts_a_secret_of_32_characters(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, WEBHOOK + f"    secret_token: {GOOD_SECRET}\n"),
                         environ={})
    assert config.telegram.webhook.secret_token == GOOD_SECRET


def test_the_webhook_secret_may_come_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, WEBHOOK)
    config = load_config(path, environ={"TELEGRAM_WEBHOOK_SECRET": GOOD_SECRET})
    assert config.telegram.webhook.secret_token == GOOD_SECRET
    problems = problems_of(path, {"TELEGRAM_WEBHOOK_SECRET": "short"})
    assert "TELEGRAM_WEBHOOK_SECRET: webhook mode needs" in problems


def test_polling_mode_needs_no_webhook_secret(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "telegram:\n  mode: polling\n"), environ={})


def test_a_short_hash_secret_is_refused_from_the_file_or_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "privacy:\n  hash_secret: hemmelig\n")
    assert f"{path}:2: 'privacy.hash_secret' (or BOT_HASH_SECRET) must be at least 32 bytes" \
        in problems_of(path)
    empty = write(tmp_path, "")
    assert "BOT_HASH_SECRET: 'privacy.hash_secret'" in problems_of(
        empty, {"BOT_HASH_SECRET": "x" * 31})
    assert load_config(empty, environ={"BOT_HASH_SECRET": "x" * 32}).privacy.hash_secret
    assert load_config(empty, environ={}).privacy.hash_secret == ""  # generated on first use


def test_wire_debug_is_off_by_default_and_must_be_true_or_false(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "logging:\n  level: DEBUG\n"),
                       environ={}).logging.wire_debug is False
    assert load_config(write(tmp_path, "logging:\n  wire_debug: true\n"),
                       environ={}).logging.wire_debug is True
    assert "'logging.wire_debug' must be true or false" in problems_of(
        write(tmp_path, "logging:\n  wire_debug: sometimes\n"))
