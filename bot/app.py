"""The one factory that builds the python-telegram-bot Application, and `run_bot`.

Production (`python -m bot run`) and the tests build the bot through `build_application`, so
what is tested is what runs. Long-lived services (the answer engine, the question log) are
put in `bot_data` here and reached from handlers through `bot.services.services(context)`; the
question log is opened in `post_init` and closed in `post_shutdown`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

from bot.ahead import AnsweringAhead, AnsweringEngine
from bot.config import MIN_WEBHOOK_SECRET_CHARS, Config, TelegramConfig, WebhookConfig
from bot.delivery import AcknowledgingQueue, DeliveringApplication, Outbox, UpdateLedger
from bot.engine import Engine
from bot.lifecycle import (
    PatientPolling,
    StartWitness,
    keep_setting_menus,
    start_failure_message,
)
from bot.logs import RedactingFilter, setup_logging
from bot.menus import register_editor_menus, register_public_menus
from bot.privacy import user_hash
from bot.services import SERVICES_KEY, Services, question_log_for
from bot.transport import ParsedUpdates, RetryingRequest
from handlers import register
from handlers.questions import current_topic, planned_question

log = logging.getLogger(__name__)

EXIT_REFUSED = 1
EXIT_NO_TOKEN = 2
POLL_TIMEOUT = 10
MAX_RETRIES = 5
NO_TOKEN_MESSAGE = """No Telegram bot token is configured.
Create a bot with @BotFather in Telegram, then set its token:
    export TELEGRAM_BOT_TOKEN=123456:ABC...      (or telegram.token in config.yaml)
and run `python -m bot run` again. `python -m bot chat` works without a token."""
NO_WEBHOOK_SECRET_MESSAGE = (
    f"Webhook mode needs telegram.webhook.secret_token of at least {MIN_WEBHOOK_SECRET_CHARS} "
    "characters: without it anyone who can reach the port can post updates as any user."
)
# Telegram's updates are a few KiB; 1 MiB leaves room and refuses anything meant to exhaust
# memory. A body that trickles in slower than the timeout is dropped.
MAX_WEBHOOK_BODY_BYTES = 1024 * 1024
WEBHOOK_BODY_TIMEOUT = 10.0
MENU_WAIT = 2.0  # seconds the start waits for the first try at the command menus
MENUS_TASK_KEY = "command_menus_task"
SERVED_KEY = "served"
AHEAD_KEY = "answering_ahead"


async def _post_init(application: Application) -> None:
    """Open the question log; set the command menus (bokmål, English, editors') in the
    background, waiting at most MENU_WAIT seconds for the first attempt: the menu is best
    effort, and a Bot API server that lacks it must not keep the bot from serving."""
    bot_services = application.bot_data[SERVICES_KEY]
    await bot_services.question_log.initialize()
    await application.update_queue.ledger.initialize()
    ahead = application.bot_data.get(AHEAD_KEY)
    if ahead is not None:
        ahead.start(asyncio.get_running_loop())
    tried = asyncio.Event()
    menus = asyncio.create_task(
        keep_setting_menus(lambda: _set_menus(application), tried=tried), name="command menus"
    )
    application.bot_data[MENUS_TASK_KEY] = menus
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(tried.wait(), MENU_WAIT)
    log.info("Bot @%s ready", application.bot.username)


async def _set_menus(application: Application) -> None:
    """The public menus (raising TelegramError if Telegram refuses them), then each editor's."""
    bot = application.bot
    await register_public_menus(bot)
    for editor_id in application.bot_data[SERVICES_KEY].config.editors.user_ids:
        await register_editor_menus(bot, editor_id)


async def _post_stop(application: Application) -> None:
    """Note that the bot ran (python-telegram-bot calls this only after it did)."""
    application.bot_data[SERVED_KEY] = True


async def _post_shutdown(application: Application) -> None:
    """Stop setting menus; write what the question log still holds, and close it."""
    menus = application.bot_data.pop(MENUS_TASK_KEY, None)
    if menus is not None and not menus.done():
        menus.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await menus
    ahead = application.bot_data.get(AHEAD_KEY)
    if ahead is not None:
        ahead.shutdown()
    await application.bot_data[SERVICES_KEY].question_log.shutdown()
    if application.bot_data.pop(SERVED_KEY, False):  # a failed start is reported by run_bot
        log.info("Bot stopped")


def build_application(
    config: Config, engine: Engine, *, request: BaseRequest | None = None,
    witness: StartWitness | None = None,
) -> Application:
    """The Application with defaults, rate limiter, services and every handler registered;
    `witness` (production) remembers the Bot API calls made, for a clear start failure."""
    telegram = config.telegram
    question_log = question_log_for(config)
    ledger = UpdateLedger(question_log)
    parsed = ParsedUpdates()
    builder = (
        Application.builder()
        .application_class(DeliveringApplication, {"ledger": ledger, "parsed": parsed})
        .update_queue(AcknowledgingQueue(ledger))
        .token(telegram.token)
        .base_url(telegram.api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                # A group question deleted before its answer is still answered.
                allow_sending_without_reply=True,
            )
        )
        .concurrent_updates(telegram.concurrent_updates)
        .post_init(_post_init)
        .post_stop(_post_stop)
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
            pool_timeout=5, witness=witness,
        ))
        polling = PatientPolling(
            connection_pool_size=1, connect_timeout=5, read_timeout=POLL_TIMEOUT + 5,
        )
        builder = builder.get_updates_request(polling)
    application = builder.build()
    if polling is not None:  # fetch more only when what was fetched has been answered
        polling.handled = application.update_queue.join
        polling.keep_polling = lambda: application.updater is not None and (
            application.updater.running)
        polling.ledger = ledger
        parsed.bot = application.bot
        polling.parsed = parsed  # each update parsed once, by polling (bot.transport)
    ahead = None
    if polling is not None and telegram.answer_ahead:  # questions answered in a 2nd process
        ahead = AnsweringAhead(engine)
        ahead.launch()  # forked now, while the process has no other thread
        application.bot_data[AHEAD_KEY] = ahead
        polling.on_batch = lambda updates: hand_ahead(application, ahead, updates)
    secret = config.privacy.hash_secret
    outbox = Outbox(ledger, retry_window=config.delivery.retry_window_seconds,
                    chat_hash=lambda chat_id: user_hash(chat_id, secret or question_log.secret))
    application.outbox = outbox  # given its grace when the application stops
    application.bot_data[SERVICES_KEY] = Services(
        config=config, engine=AnsweringEngine(engine, ahead) if ahead else engine,  # type: ignore[arg-type]
        question_log=question_log, outbox=outbox,
    )
    register(application)
    return application


def hand_ahead(application: Application, ahead: AnsweringAhead, updates: list[Update]) -> None:
    """Hand a polled batch's questions to the answering process, with each asking chat's
    conversation topic as it stands (bot.ahead)."""
    questions = [question for update in updates
                 if (question := planned_question(update)) is not None]
    chats = application.chat_data
    topics = {chat_id: current_topic(chats.get(chat_id)) for chat_id, _text, _hint in questions}
    ahead.submit(questions, topics)


def run_bot(config: Config, engine: Engine) -> int:
    """Run the Telegram bot until SIGINT/SIGTERM; 2 if there is no token, 1 if Telegram
    rejects it or webhook mode has no secret token."""
    telegram = config.telegram
    if not telegram.token:
        print(NO_TOKEN_MESSAGE, file=sys.stderr)
        return EXIT_NO_TOKEN
    if telegram.mode == "webhook" and len(telegram.webhook.secret_token) < MIN_WEBHOOK_SECRET_CHARS:
        print(NO_WEBHOOK_SECRET_MESSAGE, file=sys.stderr)  # load_config refuses this already
        return EXIT_REFUSED
    setup_logging(
        config.logging.level,
        secrets=(telegram.token, telegram.webhook.secret_token, config.privacy.hash_secret),
        wire_debug=config.logging.wire_debug,
    )
    witness = StartWitness()
    application = build_application(config, engine, witness=witness)
    try:
        if telegram.mode == "webhook":
            run_webhook(application, telegram.webhook)
        else:
            log.info("Starting in polling mode")
            application.run_polling(
                allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=POLL_TIMEOUT
            )
    except InvalidToken as error:
        print(token_rejected_message(telegram, error), file=sys.stderr)
        return EXIT_REFUSED
    except TelegramError as error:  # only a failed start gets here: later ones are handled
        redact = RedactingFilter((telegram.token,)).redact
        print(redact(start_failure_message(error, witness, redact(telegram.api_base_url))),
              file=sys.stderr)
        return EXIT_REFUSED
    return 0


def run_webhook(application: Application, webhook: WebhookConfig) -> None:
    """Serve the webhook until SIGINT/SIGTERM: only requests that carry the secret token are
    processed, and a body over MAX_WEBHOOK_BODY_BYTES is refused before it is read."""
    limit_webhook_requests()
    # 200 only once the update is answered and recorded: a crash before makes Telegram post
    # it again (bot.delivery.AcknowledgingQueue).
    application.update_queue.acknowledge_when_handled = True
    log.info("Starting in webhook mode on %s:%s", webhook.listen, webhook.port)
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=f"{webhook.url.rstrip('/')}/{webhook.path}",
        secret_token=webhook.secret_token,
        allowed_updates=Update.ALL_TYPES,
    )


def limit_webhook_requests() -> None:
    """Bound what python-telegram-bot's webhook server (tornado) reads from one request.

    Tornado reads a request's whole body into memory before the handler (and its secret
    check) runs, up to 100 MB by default. With `max_body_size`, a Content-Length above the
    limit is answered "400 Bad Request" and the connection closed before any of the body is
    read; a chunked body is cut off once it passes the limit. python-telegram-bot builds the
    server itself, so the limit is set as the default of every tornado HTTPServer in this
    process (tornado's `Configurable.configure`); the webhook is the only one.
    """
    from tornado.httpserver import HTTPServer

    HTTPServer.configure(
        None, max_body_size=MAX_WEBHOOK_BODY_BYTES,
        max_buffer_size=2 * MAX_WEBHOOK_BODY_BYTES, body_timeout=WEBHOOK_BODY_TIMEOUT,
    )


def token_rejected_message(telegram: TelegramConfig, error: InvalidToken) -> str:
    """One line on a token Telegram rejected (401 or 404, first to getMe at start), naming
    the base URL and Telegram's answer but not the token."""
    cause = error.__cause__ if isinstance(error.__cause__, InvalidToken) else error
    redact = RedactingFilter((telegram.token,)).redact
    return (
        f"Telegram rejected the bot token: the Bot API at {redact(telegram.api_base_url)} "
        f"answered \"{redact(cause.message)}\". Check TELEGRAM_BOT_TOKEN (or telegram.token; "
        "revoked, or not copied whole from @BotFather?) and TELEGRAM_API_BASE_URL (or "
        "telegram.api_base_url)."
    )
