"""The key that hashes user ids in the question log, when none is configured: kept in a file.

The first start creates `<database>.secret` (0600, exclusively, so an existing file is never
overwritten) with a random key; later starts read it. A file that is empty, shorter than
`MIN_SECRET_BYTES`, not UTF-8 or unreadable is an error naming the file, never silently
replaced: a new key would change every stored hash (distinct askers could no longer be
counted), and an empty one would make the hashes keyed by nothing.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

MIN_SECRET_BYTES = 32
FIX = ("put a random value of at least {n} bytes in it (python -c 'import secrets; "
       "print(secrets.token_hex(32))'), or set BOT_HASH_SECRET")


class HashSecretError(Exception):
    """The hash secret file cannot be used; the message names the file and what to do."""


def secret_file_for(database: Path) -> Path:
    """Where the key is kept for the question log in `database`."""
    return database.with_name(database.name + ".secret")


def read_secret(path: Path) -> str:
    """The key kept in `path`; HashSecretError if it cannot be read or is too short."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise HashSecretError(f"{path}: the hash secret file cannot be read ({reason}); fix or "
                              "restore it: it is never replaced, as a new secret would change "
                              "every stored user hash") from error
    try:
        secret = raw.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise HashSecretError(f"{path}: the hash secret file is not UTF-8 text; "
                              + FIX.format(n=MIN_SECRET_BYTES)) from error
    size = len(secret.encode("utf-8"))
    if size < MIN_SECRET_BYTES:
        what = "is empty" if not size else f"holds {size} bytes, fewer than {MIN_SECRET_BYTES}"
        raise HashSecretError(f"{path}: the hash secret file {what}; "
                              + FIX.format(n=MIN_SECRET_BYTES))
    return secret


def read_or_create_secret(path: Path) -> str:
    """The key kept in `path`, created first if there is no file there at all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_secret(path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise HashSecretError(f"{path}: the hash secret file cannot be created ({reason}); "
                              "make its folder writable, or set BOT_HASH_SECRET") from error
    secret = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secret)
    log.warning("No privacy.hash_secret configured; generated one in %s. Set "
                "BOT_HASH_SECRET in production.", path)
    return secret
