"""A minimal python-telegram-bot echo bot, used as a load-test subject.

Reads ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_BASE_URL`` (optional; e.g. the base URL of
``tests.botapi_standin``) from the environment, long-polls with ``poll_interval=0`` and answers
every text message with a ``sendMessage`` carrying the same text. Stops on SIGTERM/SIGINT.

    python bench/echo_bot.py --concurrent 1     # one update at a time
    python bench/echo_bot.py --concurrent 256   # up to 256 updates in parallel
"""

from __future__ import annotations

import argparse
import datetime as dtm
import logging
import os
import signal

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the received text."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    await context.bot.send_message(chat_id=message.chat_id, text=message.text)


def build_application(token: str, base_url: str | None, concurrent: int) -> Application:
    """Build the echo application; ``concurrent`` <= 1 processes updates sequentially."""
    builder = ApplicationBuilder().token(token)
    if base_url:
        builder = builder.base_url(base_url)
    builder = builder.concurrent_updates(concurrent if concurrent > 1 else False)
    builder = builder.connection_pool_size(max(concurrent, 8))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Minimal PTB echo bot for load tests.")
    parser.add_argument(
        "--concurrent", type=int, default=1, help="updates processed in parallel (1: sequential)"
    )
    parser.add_argument(
        "--poll-timeout", type=float, default=1.0, help="getUpdates long-poll timeout (s)"
    )
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        parser.error("TELEGRAM_BOT_TOKEN is not set")
    application = build_application(
        token, os.environ.get("TELEGRAM_API_BASE_URL") or None, args.concurrent
    )
    application.run_polling(
        poll_interval=0,
        timeout=dtm.timedelta(seconds=args.poll_timeout),
        stop_signals=(signal.SIGINT, signal.SIGTERM),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
