"""Shared fixtures: the shipped knowledge base's engine and the bot built offline."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import shutil
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import PROJECT_ROOT, Config, load_config
from bot.engine import Engine
from tests.recording_request import RecordingRequest

# PTB 22 warns about RetryAfter.retry_after's type unless told to use timedelta; warnings are
# errors in this suite.
os.environ.setdefault("PTB_TIMEDELTA", "true")

TEST_TOKEN = "123456:TEST-token-not-real-0000000000000000"
# Questions of which at least one the engine should meet with "Mente du …?" (tests take the
# first that does, so that tuning the matcher does not break them).
AMBIGUOUS = ("kongsberg notodden", "utvikling", "region", "tinn telefon nettside", "strategi")
# The Telegram user id configured as an editor in `editor_config`.
EDITOR_ID = 4711


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine on the shipped knowledge base."""
    config = load_config(PROJECT_ROOT / "config.example.yaml", environ={})
    return Engine.from_directory(PROJECT_ROOT / "knowledge", config.matching)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The example configuration with a test token and a database in a temporary folder."""
    base = load_config(PROJECT_ROOT / "config.example.yaml", environ={
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "BOT_DATABASE": str(tmp_path / "questions.sqlite3"),
        "BOT_HASH_SECRET": "test-secret-for-hashing-user-ids-0000",
    })
    knowledge = dataclasses.replace(base.knowledge, directory=str(PROJECT_ROOT / "knowledge"))
    return dataclasses.replace(base, knowledge=knowledge)


class OfflineBot:
    """The real application over a recording request, and a way to feed it updates."""

    def __init__(self, application: Application, request: RecordingRequest) -> None:
        self.application = application
        self.request = request

    async def send(self, update: dict) -> None:
        """Process one update as if it came from Telegram, and wait for the handlers that do
        not block (the editors') to finish too."""
        before = asyncio.all_tasks()
        with warnings.catch_warnings():  # the application is not running: awaited here
            warnings.filterwarnings("ignore", "Tasks created via `Application.create_task`")
            await self.application.process_update(Update.de_json(update, self.application.bot))
        started = asyncio.all_tasks() - before
        if started:
            await asyncio.gather(*started)


@contextlib.asynccontextmanager
async def running(config: Config, engine: Engine) -> AsyncIterator[OfflineBot]:
    """The production application, initialised (post_init run), over a recording request;
    post_shutdown run on the way out."""
    request = RecordingRequest()
    application = build_application(config, engine, request=request)
    async with application:
        await application.post_init(application)
        request.clear()
        yield OfflineBot(application, request)
        await application.post_shutdown(application)


@pytest.fixture
async def offline_bot(config: Config, engine: Engine) -> AsyncIterator[OfflineBot]:
    """The production application over a recording request."""
    async with running(config, engine) as bot:
        yield bot


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base that tests may change (learned.yaml, broken files)."""
    return Path(shutil.copytree(PROJECT_ROOT / "knowledge", tmp_path / "knowledge"))


@pytest.fixture
def editor_config(config: Config, knowledge_copy: Path) -> Config:
    """The test configuration with EDITOR_ID as editor and the knowledge copy."""
    return dataclasses.replace(
        config,
        knowledge=dataclasses.replace(config.knowledge, directory=str(knowledge_copy)),
        editors=dataclasses.replace(config.editors, user_ids=(EDITOR_ID,)),
    )


@pytest.fixture
def editor_engine(editor_config: Config) -> Engine:
    """An engine of its own on the knowledge copy (adding variants reloads it)."""
    return Engine.from_directory(editor_config.knowledge_dir, editor_config.matching)


@pytest.fixture
async def editor_bot(editor_config: Config, editor_engine: Engine) -> AsyncIterator[OfflineBot]:
    """The production application with an editor configured, on the knowledge copy."""
    async with running(editor_config, editor_engine) as bot:
        yield bot
