"""The one factory that builds the python-telegram-bot Application, and `run_bot`.

Production (`python -m bot run`) and the tests build the bot through `build_application`, so
what is tested is what runs. Long-lived services (the answer engine, the question log) are
put in `bot_data` here and reached from handlers through `bot.services.services(context)`; the
question log is opened in `post_init` and closed in `post_shutdown`.
"""

from __future__ import annotations

import logging
import sys

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

from bot.config import Config
from bot.engine import Engine
from bot.logs import setup_logging
from bot.menus import register_editor_menus, register_public_menus
from bot.services import SERVICES_KEY, Services, question_log_for
from bot.transport import PollingRequest, RetryingRequest
from handlers import register

log = logging.getLogger(__name__)

EXIT_NO_TOKEN = 2
POLL_TIMEOUT = 10
MAX_RETRIES = 5
NO_TOKEN_MESSAGE = """No Telegram bot token is configured.
Create a bot with @BotFather in Telegram, then set its token:
    export TELEGRAM_BOT_TOKEN=123456:ABC...      (or telegram.token in config.yaml)
and run `python -m bot run` again. `python -m bot chat` works without a token."""


async def _post_init(application: Application) -> None:
    """Open the question log; register the command menus (bokmål, and English)."""
    await application.bot_data[SERVICES_KEY].question_log.initialize()
    bot = application.bot
    await register_public_menus(bot)
    for editor_id in application.bot_data[SERVICES_KEY].config.editors.user_ids:
        await register_editor_menus(bot, editor_id)
    log.info("Bot @%s ready", bot.username)


async def _post_shutdown(application: Application) -> None:
    """Write what the question log still holds, and close it."""
    await application.bot_data[SERVICES_KEY].question_log.shutdown()
    log.info("Bot stopped")


def build_application(
    config: Config, engine: Engine, *, request: BaseRequest | None = None
) -> Application:
    """The Application with defaults, rate limiter, services and every handler registered."""
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
