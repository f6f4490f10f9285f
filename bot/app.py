"""The one factory that builds the python-telegram-bot Application, and `run_bot`.

Production (`python -m bot run`) and the tests build the bot through `build_application`, so
what is tested is what runs. Long-lived services (the answer engine, later the question log)
are reached from handlers through `services(context)`; the question log is opened in
`post_init` and closed in `post_shutdown`.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, BotCommand, BotCommandScopeChat, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.config import Config
from bot.engine import Engine
from bot.engine import Result as EngineResult
from bot.logs import setup_logging
from bot.storage import QuestionLog
from bot.transport import PollingRequest, RetryingRequest

log = logging.getLogger(__name__)

EXIT_NO_TOKEN = 2
SERVICES_KEY = "services"
POLL_TIMEOUT = 10
MAX_RETRIES = 5
NO_TOKEN_MESSAGE = """No Telegram bot token is configured.
Create a bot with @BotFather in Telegram, then set its token:
    export TELEGRAM_BOT_TOKEN=123456:ABC...      (or telegram.token in config.yaml)
and run `python -m bot run` again. `python -m bot chat` works without a token."""

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("start", "Start og hovedmeny"),
        ("hjelp", "Hva jeg kan svare på"),
        ("kommuner", "Medlemskommunene"),
        ("satsinger", "Satsingsområdene"),
        ("kontakt", "Kontaktinformasjon, f.eks. /kontakt tinn"),
        ("om", "Om Regionrådet for Kongsbergregionen"),
    ],
    "en": [
        ("start", "Start and main menu"),
        ("help", "What I can answer"),
        ("municipalities", "The member municipalities"),
        ("focus", "The focus areas"),
        ("contact", "Contact details, e.g. /contact tinn"),
        ("about", "About the regional council"),
    ],
}
# Shown only in editors' own chats (BotCommandScopeChat), after the public commands.
EDITOR_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("ubesvart", "Redaksjon: ubesvarte spørsmål, f.eks. /ubesvart 7"),
        ("statistikk", "Redaksjon: statistikk med graf"),
        ("eksport", "Redaksjon: spørsmålsloggen som CSV, f.eks. /eksport 30"),
        ("oppdater", "Redaksjon: last kunnskapsbasen på nytt"),
    ],
    "en": [
        ("unanswered", "Editors: unanswered questions, e.g. /unanswered 7"),
        ("stats", "Editors: statistics with a chart"),
        ("export", "Editors: the question log as CSV, e.g. /export 30"),
        ("reload", "Editors: reload the knowledge base"),
    ],
}


@dataclass
class Services:
    """What handlers need, in one typed place."""

    config: Config
    engine: Engine
    question_log: QuestionLog

    def is_editor(self, user_id: int | None) -> bool:
        """Whether `user_id` is one of the configured editors."""
        return user_id is not None and user_id in self.config.editors.user_ids

    def record_question(self, result: EngineResult, message: Message) -> int:
        """Log a question (masked, user hashed); its id, for the buttons that refer to it."""
        candidate = result.best
        return self.question_log.record_question(
            text=result.question,
            language=result.language,
            outcome=result.outcome.value,
            entry_id=result.logged_id,
            score=candidate.score if candidate else 0.0,
            suggestions=[c.entry.id for c in result.suggestions],
            chat_type=message.chat.type,
            user_id=message.from_user.id if message.from_user else None,
            source="telegram",
        )

    def record_choice(self, question_ref: int | None, entry_id: str | None) -> None:
        """Record a chosen suggestion (None: "none of these") against its question."""
        if question_ref is not None:
            self.question_log.record_choice(question_ref, entry_id)

    def record_feedback(self, question_ref: int | None, vote: int) -> None:
        """Record 👍 (+1) or 👎 (-1) on the answer to a question."""
        if question_ref is not None:
            self.question_log.record_feedback(question_ref, vote)


def question_log_for(config: Config) -> QuestionLog:
    """The question log as configured."""
    return QuestionLog(
        Path(config.database.path), config.privacy.hash_secret, config.privacy.retention_days
    )


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The bot's services, from a handler's context."""
    return context.application.bot_data[SERVICES_KEY]


async def _post_init(application: Application) -> None:
    """Open the question log; register the command menus (bokmål, and English)."""
    await application.bot_data[SERVICES_KEY].question_log.initialize()
    bot = application.bot
    await bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS["nb"]])
    await bot.set_my_commands(
        [BotCommand(name, text) for name, text in COMMANDS["en"]], language_code="en"
    )
    for editor_id in application.bot_data[SERVICES_KEY].config.editors.user_ids:
        await register_editor_menus(bot, editor_id)
    log.info("Bot @%s ready", bot.username)


async def register_editor_menus(bot: Bot, editor_id: int) -> bool:
    """Public and editors' commands in one editor's chat only; False if Telegram refused
    (the editor has not started a chat with the bot yet: /oppdater sets them later)."""
    scope = BotCommandScopeChat(chat_id=editor_id)
    try:
        for language, code in (("nb", None), ("en", "en")):
            commands = COMMANDS[language] + EDITOR_COMMANDS[language]
            await bot.set_my_commands(
                [BotCommand(name, text) for name, text in commands], scope=scope,
                language_code=code,
            )
    except TelegramError as error:
        log.warning("Could not set the editors' command menu for an editor: %s", error)
        return False
    return True


async def _post_shutdown(application: Application) -> None:
    """Write what the question log still holds, and close it."""
    await application.bot_data[SERVICES_KEY].question_log.shutdown()
    log.info("Bot stopped")


def build_application(
    config: Config, engine: Engine, *, request: BaseRequest | None = None
) -> Application:
    """The Application with defaults, rate limiter, services and every handler registered."""
    from handlers import register

    telegram = config.telegram
    builder = (
        Application.builder()
        .token(telegram.token)
        .base_url(telegram.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(telegram.concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if telegram.overall_max_rate > 0:
        builder = builder.rate_limiter(
            AIORateLimiter(overall_max_rate=telegram.overall_max_rate, max_retries=MAX_RETRIES)
        )
    polling = None
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.request(RetryingRequest(
            connection_pool_size=max(8, 2 * telegram.concurrent_updates),
            connect_timeout=5, read_timeout=telegram.read_timeout, write_timeout=10,
            pool_timeout=5,
        ))
        polling = PollingRequest(
            connection_pool_size=1, connect_timeout=5, read_timeout=POLL_TIMEOUT + 5,
        )
        builder = builder.get_updates_request(polling)
    application = builder.build()
    if polling is not None:  # fetch more only when what was fetched has been handled
        polling.handled = application.update_queue.join
    application.bot_data[SERVICES_KEY] = Services(
        config=config, engine=engine, question_log=question_log_for(config)
    )
    register(application)
    return application


def run_bot(config: Config, engine: Engine) -> int:
    """Run the Telegram bot until SIGINT/SIGTERM; 2 if there is no token."""
    telegram = config.telegram
    if not telegram.token:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return EXIT_NO_TOKEN
    setup_logging(
        config.logging.level,
        secrets=(telegram.token, telegram.webhook.secret_token, config.privacy.hash_secret),
    )
    application = build_application(config, engine)
    if telegram.mode == "webhook":
        webhook = telegram.webhook
        log.info("Starting in webhook mode on %s:%s", webhook.listen, webhook.port)
        application.run_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.path,
            webhook_url=f"{webhook.url.rstrip('/')}/{webhook.path}",
            secret_token=webhook.secret_token or None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("Starting in polling mode")
        application.run_polling(
            allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=POLL_TIMEOUT
        )
    return 0
