"""Configuration: a YAML file validated into typed settings, overridden by the environment.

Every key has a default, so an empty or missing `config.yaml` gives a working local setup (the
terminal chat). Unknown keys, wrong types and values out of range are errors with the file, the
line and the key's path (or the environment variable that set the value). Environment
variables win over the file, for deployment:

    TELEGRAM_BOT_TOKEN, TELEGRAM_API_BASE_URL, TELEGRAM_WEBHOOK_SECRET, BOT_DATABASE,
    BOT_EDITOR_IDS, BOT_HASH_SECRET
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
# Webhook mode refuses a shorter secret token: without one, anyone who reaches the port can
# post updates as any user, editors included. Telegram allows 1-256 of A-Z, a-z, 0-9, _ and -.
MIN_WEBHOOK_SECRET_CHARS = 32
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# A configured key for hashing user ids must be at least this long (bytes, UTF-8).
MIN_HASH_SECRET_BYTES = 32
GENERATE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


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
    answer_ahead: bool = True
    """Answer polled questions ahead in a second process (bot/ahead.py)."""


@dataclass(frozen=True)
class MatchingConfig:
    """Score thresholds (0-100) that split answers into answered, suggested and unanswered."""

    answer_threshold: float = 60.0
    suggest_threshold: float = 45.0
    max_suggestions: int = 3
    ambiguity_margin: float = 5.0
    max_question_chars: int = 1000
    """Longer messages are cut to this many characters before matching (1 to
    MAX_QUESTION_CHARS: the normalisation and matching cost grows with it)."""


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
class FollowupConfig:
    """Answers from the editors to residents who asked for one (bot.followup)."""

    max_days: int = 14
    """A resident's consent, and with it their chat id, is deleted after this many days if
    no answer was sent (1 to MAX_FOLLOWUP_DAYS)."""


@dataclass(frozen=True)
class LoggingConfig:
    """Log level for the bot's own messages; `wire_debug` lets python-telegram-bot and httpx
    log at DEBUG too, which writes whole updates (names, user ids, message text)."""

    level: str = "INFO"
    wire_debug: bool = False


@dataclass(frozen=True)
class DeliveryConfig:
    """How long a reply that fails for a reason that may pass is sent again."""

    retry_window_seconds: float = 120.0


@dataclass(frozen=True)
class Config:
    """All settings."""

    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    knowledge: KnowledgeConfig = field(default_factory=KnowledgeConfig)
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    editors: EditorsConfig = field(default_factory=EditorsConfig)
    followup: FollowupConfig = field(default_factory=FollowupConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    source: str = "(defaults)"

    @property
    def knowledge_dir(self) -> Path:
        """The knowledge directory: relative to the working directory, else to the project."""
        directory = Path(self.knowledge.directory)
        if directory.is_absolute() or directory.exists():
            return directory
        return PROJECT_ROOT / directory


MAX_FOLLOWUP_DAYS = 90
"""The longest a resident's chat id may be kept waiting for an answer from the editors."""
MAX_QUESTION_CHARS = 4000
"""The most `matching.max_question_chars` may be: a little under Telegram's 4 096 characters
per message, and a bound on the work one message can cost."""
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
    lines: dict[str, int] = {}
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            raw = yaml.safe_load(text) or {}
            lines = _key_lines(text)
        except yaml.YAMLError as error:
            raise ConfigError([f"{path}: not valid YAML: {error}"]) from error
    elif explicit:
        raise ConfigError([f"{path}: file not found"])
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: the top level must be a mapping of sections"])
    where = _Where(str(path), lines)
    config = _build(Config, raw, where, "", problems)
    config = _apply_environment(config, environ, problems, where)
    problems.extend(_check_values(config, where))
    if problems:
        raise ConfigError(problems)
    return dataclasses.replace(config, source=str(path) if path.exists() else "(defaults)")


class _Where:
    """Where a setting came from, for error messages: "file:line", or the environment
    variable that set it."""

    def __init__(self, source: str, lines: dict[str, int]) -> None:
        self.source = source
        self.lines = lines
        self.environment: dict[str, str] = {}

    def __call__(self, *keys: str) -> str:
        """The location of the first of `keys` that is known (the file alone if none is)."""
        for key in keys:
            if key in self.environment:
                return self.environment[key]
            if key in self.lines:
                return f"{self.source}:{self.lines[key]}"
        return self.source


def _key_lines(text: str) -> dict[str, int]:
    """The line (1-based) of every key in a YAML document, by dotted path."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                path = f"{prefix}{key.value}"
                lines.setdefault(path, key.start_mark.line + 1)
                walk(value, f"{path}.")

    root = yaml.compose(text)
    if root is not None:
        walk(root, "")
    return lines


def _build(cls: type, raw: dict[str, Any], where: _Where, prefix: str,
           problems: list[str]) -> Any:
    """Turn a mapping into dataclass `cls`, collecting unknown keys and wrong types."""
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        path = f"{prefix}{key}"
        if key not in fields:
            problems.append(f"{where(path)}: unknown key '{path}' "
                            f"(known: {', '.join(sorted(fields))})")
            continue
        converted = _convert(hints[key], value, where, path, problems)
        if converted is not None:
            values[key] = converted
    return cls(**values)


def _convert(hint: Any, value: Any, where: _Where, path: str, problems: list[str]) -> Any:
    """Check `value` against the type `hint`; return the converted value or None on error."""
    if dataclasses.is_dataclass(hint):
        if value is None:
            return None
        if not isinstance(value, dict):
            problems.append(f"{where(path)}: '{path}' must be a section (a mapping), "
                            f"not {value!r}")
            return None
        return _build(hint, value, where, f"{path}.", problems)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in items):
            problems.append(f"{where(path)}: '{path}' must be a list of whole numbers, "
                            f"not {value!r}")
            return None
        return tuple(items)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is str and isinstance(value, str):
        return value
    if hint is str and value is None:
        return ""
    expected = {float: "a number", int: "a whole number", str: "text",
                bool: "true or false"}.get(hint, str(hint))
    problems.append(f"{where(path)}: '{path}' must be {expected}, not {value!r}")
    return None


def _apply_environment(
    config: Config, environ: typing.Mapping[str, str], problems: list[str], where: _Where
) -> Config:
    """Let deployment environment variables override the file (`where` learns which did)."""
    telegram = config.telegram
    if environ.get("TELEGRAM_BOT_TOKEN"):
        telegram = dataclasses.replace(telegram, token=environ["TELEGRAM_BOT_TOKEN"].strip())
    if environ.get("TELEGRAM_API_BASE_URL"):
        telegram = dataclasses.replace(telegram, api_base_url=environ["TELEGRAM_API_BASE_URL"])
    if environ.get("TELEGRAM_WEBHOOK_SECRET"):
        webhook = dataclasses.replace(telegram.webhook,
                                      secret_token=environ["TELEGRAM_WEBHOOK_SECRET"].strip())
        telegram = dataclasses.replace(telegram, webhook=webhook)
        where.environment["telegram.webhook.secret_token"] = "TELEGRAM_WEBHOOK_SECRET"
    database = config.database
    if environ.get("BOT_DATABASE"):
        database = dataclasses.replace(database, path=environ["BOT_DATABASE"])
    privacy = config.privacy
    if environ.get("BOT_HASH_SECRET"):
        privacy = dataclasses.replace(privacy, hash_secret=environ["BOT_HASH_SECRET"])
        where.environment["privacy.hash_secret"] = "BOT_HASH_SECRET"
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


def _check_values(config: Config, where: _Where) -> list[str]:
    """Check ranges and choices that types alone do not express."""
    problems = []
    actual = {"telegram.mode": config.telegram.mode, "logging.level": config.logging.level.upper()}
    for key, choices in _CHOICES.items():
        if actual[key] not in choices:
            problems.append(f"{where(key)}: '{key}' must be one of {', '.join(choices)}")
    if config.knowledge.stale_years < 1:
        problems.append(f"{where('knowledge.stale_years')}: 'knowledge.stale_years' must be "
                        "1 or more")
    matching = config.matching
    if not 0 <= matching.suggest_threshold <= matching.answer_threshold <= 100:
        problems.append(
            f"{where('matching.suggest_threshold', 'matching.answer_threshold')}: matching "
            "thresholds must satisfy 0 <= suggest_threshold <= answer_threshold <= 100"
        )
    if not 1 <= config.telegram.concurrent_updates <= 256:
        problems.append(f"{where('telegram.concurrent_updates')}: "
                        "'telegram.concurrent_updates' must be between 1 and 256")
    if config.telegram.flood_messages < 1 or config.telegram.flood_seconds <= 0:
        problems.append(f"{where('telegram.flood_messages', 'telegram.flood_seconds')}: "
                        "'telegram.flood_messages' and 'telegram.flood_seconds' must be positive")
    if config.telegram.read_timeout <= 0:
        problems.append(f"{where('telegram.read_timeout')}: 'telegram.read_timeout' must be "
                        "more than 0 seconds")
    if config.telegram.overall_max_rate < 0:
        problems.append(f"{where('telegram.overall_max_rate')}: 'telegram.overall_max_rate' "
                        "must be 0 (no limit) or more")
    if not 1 <= matching.max_question_chars <= MAX_QUESTION_CHARS:
        problems.append(
            f"{where('matching.max_question_chars')}: 'matching.max_question_chars' "
            f"must be between 1 and {MAX_QUESTION_CHARS}, not {matching.max_question_chars}"
        )
    if not 1 <= matching.max_suggestions <= 5:
        problems.append(f"{where('matching.max_suggestions')}: 'matching.max_suggestions' "
                        "must be between 1 and 5")
    if config.delivery.retry_window_seconds <= 0:
        problems.append(f"{where('delivery.retry_window_seconds')}: "
                        "'delivery.retry_window_seconds' must be more than 0 seconds")
    if config.privacy.retention_days < 1:
        problems.append(f"{where('privacy.retention_days')}: 'privacy.retention_days' must be "
                        "at least 1")
    if not 1 <= config.followup.max_days <= MAX_FOLLOWUP_DAYS:
        problems.append(f"{where('followup.max_days')}: 'followup.max_days' must be between 1 "
                        f"and {MAX_FOLLOWUP_DAYS}, not {config.followup.max_days}")
    digest = config.editors.digest_time.strip()
    if digest and config.editors.digest_clock is None:
        problems.append(f"{where('editors.digest_time')}: 'editors.digest_time' must be HH:MM "
                        "(24-hour), or empty")
    problems.extend(_webhook_problems(config.telegram, where))
    problems.extend(_hash_secret_problems(config.privacy, where))
    return problems


def _webhook_problems(telegram: TelegramConfig, where: _Where) -> list[str]:
    """Webhook mode needs a URL and a secret token long enough not to be guessed."""
    if telegram.mode != "webhook":
        return []
    problems = []
    if not telegram.webhook.url:
        problems.append(f"{where('telegram.webhook.url', 'telegram.mode')}: "
                        "'telegram.webhook.url' is required in webhook mode")
    secret = telegram.webhook.secret_token
    if len(secret) < MIN_WEBHOOK_SECRET_CHARS or not _WEBHOOK_SECRET.fullmatch(secret):
        problems.append(
            f"{where('telegram.webhook.secret_token', 'telegram.mode')}: webhook mode needs "
            f"'telegram.webhook.secret_token' (or TELEGRAM_WEBHOOK_SECRET) of "
            f"{MIN_WEBHOOK_SECRET_CHARS}-256 characters A-Z, a-z, 0-9, _ and -"
            f"{'' if secret else ', and none is set'}: without it anyone who can reach the "
            f"port can post updates as any user. Generate one with {GENERATE_SECRET}"
        )
    return problems


def _hash_secret_problems(privacy: PrivacyConfig, where: _Where) -> list[str]:
    """A configured key for hashing user ids must not be short (empty: one is generated)."""
    secret = privacy.hash_secret
    if not secret or len(secret.encode("utf-8")) >= MIN_HASH_SECRET_BYTES:
        return []
    return [f"{where('privacy.hash_secret')}: 'privacy.hash_secret' (or BOT_HASH_SECRET) must "
            f"be at least {MIN_HASH_SECRET_BYTES} bytes, or empty to have one generated beside "
            f"the database. Generate one with {GENERATE_SECRET}"]
