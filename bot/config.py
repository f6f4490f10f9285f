"""Configuration: a YAML file validated into typed settings, overridden by the environment.

Every key has a default, so an empty or missing `config.yaml` gives a working local setup (the
terminal chat). Unknown keys and wrong types are errors with the file and the key's path.
Environment variables win over the file, for deployment:

    TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, BOT_DATABASE, BOT_EDITOR_IDS, BOT_HASH_SECRET
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_PATH = Path("config.yaml")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"


class ConfigError(Exception):
    """The configuration cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class WebhookConfig:
    """Webhook mode: Telegram posts updates to `url`; the bot listens on `listen:port`."""

    url: str = ""
    listen: str = "0.0.0.0"
    port: int = 8443
    path: str = "telegram"
    secret_token: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    """How the bot talks to Telegram."""

    token: str = ""
    api_base_url: str = DEFAULT_API_BASE_URL
    mode: str = "polling"
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    concurrent_updates: int = 1
    overall_max_rate: float = 30.0
    read_timeout: float = 10.0
    flood_messages: int = 20
    flood_seconds: float = 10.0


@dataclass(frozen=True)
class MatchingConfig:
    """Score thresholds (0-100) that split answers into answered, suggested and unanswered."""

    answer_threshold: float = 60.0
    suggest_threshold: float = 45.0
    max_suggestions: int = 3
    ambiguity_margin: float = 5.0
    max_question_chars: int = 1000


@dataclass(frozen=True)
class KnowledgeConfig:
    """Where the knowledge base lives, and when a fact is old enough to re-check."""

    directory: str = "knowledge"
    stale_years: int = 5


@dataclass(frozen=True)
class DatabaseConfig:
    """The question log's SQLite file."""

    path: str = "data/questions.sqlite3"


@dataclass(frozen=True)
class PrivacyConfig:
    """What is kept, for how long, and the secret that hashes user ids."""

    retention_days: int = 180
    hash_secret: str = ""


@dataclass(frozen=True)
class EditorsConfig:
    """Telegram user ids allowed to use the editors' commands."""

    user_ids: tuple[int, ...] = ()
    digest_time: str = ""

    @property
    def digest_clock(self) -> dt.time | None:
        """The daily digest's time of day ("HH:MM"), None when there is no digest."""
        match = _CLOCK.match(self.digest_time.strip())
        if match is None:
            return None
        return dt.time(int(match["hour"]), int(match["minute"]))


@dataclass(frozen=True)
class LoggingConfig:
    """Log level for the bot's own messages."""

    level: str = "INFO"


@dataclass(frozen=True)
class Config:
    """All settings."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    editors: EditorsConfig = field(default_factory=EditorsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    source: str = "(defaults)"

    @property
    def knowledge_dir(self) -> Path:
        """The knowledge directory: relative to the working directory, else to the project."""
        directory = Path(self.knowledge.directory)
        if directory.is_absolute() or directory.exists():
            return directory
        return PROJECT_ROOT / directory


_CLOCK = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
_CHOICES: dict[str, tuple[str, ...]] = {
    "telegram.mode": ("polling", "webhook"),
    "logging.level": ("DEBUG", "INFO", "WARNING", "ERROR"),
}


def load_config(
    path: Path | None = None, environ: typing.Mapping[str, str] | None = None
) -> Config:
    """Read `path` (or ./config.yaml when it exists), validate it and apply the environment.

    An explicitly named file that does not exist is an error; the default one may be absent.
    """
    environ = os.environ if environ is None else environ
    explicit = path is not None
    path = path or DEFAULT_CONFIG_PATH
    raw: Any = {}
    if path.exists():
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ConfigError([f"{path}: not valid YAML: {error}"]) from error
    elif explicit:
        raise ConfigError([f"{path}: file not found"])
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: the top level must be a mapping of sections"])
    config = _build(Config, raw, str(path), "", problems)
    config = _apply_environment(config, environ, problems)
    problems.extend(_check_values(config, str(path)))
    if problems:
        raise ConfigError(problems)
    return dataclasses.replace(config, source=str(path) if path.exists() else "(defaults)")


def _build(cls: type, raw: dict[str, Any], source: str, prefix: str, problems: list[str]) -> Any:
    """Turn a mapping into dataclass `cls`, collecting unknown keys and wrong types."""
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{prefix}{key}"
        if key not in fields:
            problems.append(f"{source}: unknown key '{where}' (known: {', '.join(sorted(fields))})")
            continue
        converted = _convert(hints[key], value, source, where, problems)
        if converted is not None:
            values[key] = converted
    return cls(**values)


def _convert(hint: Any, value: Any, source: str, where: str, problems: list[str]) -> Any:
    """Check `value` against the type `hint`; return the converted value or None on error."""
    if dataclasses.is_dataclass(hint):
        if value is None:
            return None
        if not isinstance(value, dict):
            problems.append(f"{source}: '{where}' must be a section (a mapping), not {value!r}")
            return None
        return _build(hint, value, source, f"{where}.", problems)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in items):
            problems.append(f"{source}: '{where}' must be a list of whole numbers, not {value!r}")
            return None
        return tuple(items)
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        return value
    if hint is str and value is None:
        return ""
    expected = {float: "a number", int: "a whole number", str: "text"}.get(hint, str(hint))
    problems.append(f"{source}: '{where}' must be {expected}, not {value!r}")
    return None


def _apply_environment(
    config: Config, environ: typing.Mapping[str, str], problems: list[str]
) -> Config:
    """Let deployment environment variables override the file."""
    telegram = config.telegram
    if environ.get("TELEGRAM_BOT_TOKEN"):
        telegram = dataclasses.replace(telegram, token=environ["TELEGRAM_BOT_TOKEN"].strip())
    if environ.get("TELEGRAM_API_BASE_URL"):
        telegram = dataclasses.replace(telegram, api_base_url=environ["TELEGRAM_API_BASE_URL"])
    database = config.database
    if environ.get("BOT_DATABASE"):
        database = dataclasses.replace(database, path=environ["BOT_DATABASE"])
    privacy = config.privacy
    if environ.get("BOT_HASH_SECRET"):
        privacy = dataclasses.replace(privacy, hash_secret=environ["BOT_HASH_SECRET"])
    editors = config.editors
    if environ.get("BOT_EDITOR_IDS", "").strip():
        try:
            ids = tuple(int(part) for part in environ["BOT_EDITOR_IDS"].split(",") if part.strip())
            editors = dataclasses.replace(editors, user_ids=ids)
        except ValueError:
            problems.append("BOT_EDITOR_IDS must be comma-separated Telegram user ids (numbers)")
    return dataclasses.replace(
        config, telegram=telegram, database=database, privacy=privacy, editors=editors
    )


def _check_values(config: Config, source: str) -> list[str]:
    """Check ranges and choices that types alone do not express."""
    problems = []
    actual = {"telegram.mode": config.telegram.mode, "logging.level": config.logging.level.upper()}
    for key, choices in _CHOICES.items():
        if actual[key] not in choices:
            problems.append(f"{source}: '{key}' must be one of {', '.join(choices)}")
    if config.knowledge.stale_years < 1:
        problems.append(f"{source}: 'knowledge.stale_years' must be 1 or more")
    matching = config.matching
    if not 0 <= matching.suggest_threshold <= matching.answer_threshold <= 100:
        problems.append(
            f"{source}: matching thresholds must satisfy "
            "0 <= suggest_threshold <= answer_threshold <= 100"
        )
    if not 1 <= config.telegram.concurrent_updates <= 256:
        problems.append(f"{source}: 'telegram.concurrent_updates' must be between 1 and 256")
    if config.telegram.flood_messages < 1 or config.telegram.flood_seconds <= 0:
        problems.append(f"{source}: 'telegram.flood_messages' and 'telegram.flood_seconds' "
                        "must be positive")
    if config.telegram.read_timeout <= 0:
        problems.append(f"{source}: 'telegram.read_timeout' must be more than 0 seconds")
    if config.telegram.overall_max_rate < 0:
        problems.append(f"{source}: 'telegram.overall_max_rate' must be 0 (no limit) or more")
    if not 1 <= matching.max_suggestions <= 5:
        problems.append(f"{source}: 'matching.max_suggestions' must be between 1 and 5")
    if config.privacy.retention_days < 1:
        problems.append(f"{source}: 'privacy.retention_days' must be at least 1")
    digest = config.editors.digest_time.strip()
    if digest and config.editors.digest_clock is None:
        problems.append(f"{source}: 'editors.digest_time' must be HH:MM (24-hour), or empty")
    if config.telegram.mode == "webhook" and not config.telegram.webhook.url:
        problems.append(f"{source}: 'telegram.webhook.url' is required in webhook mode")
    return problems

