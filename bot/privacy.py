"""Privacy before storage: personal data masked out of questions, user ids hashed.

Nothing is written to the question log before it has passed through `mask`: e-mail addresses,
national identity numbers (fødselsnummer, 11 digits), card-like numbers (13-19 digits) and
Norwegian phone numbers (8 digits, with or without +47 and spaces) become placeholders.
Telegram user ids are replaced by a keyed hash (HMAC-SHA256), so editors can count distinct
askers without anyone being able to tell who asked.
"""

from __future__ import annotations

import hashlib
import hmac
import re

EMAIL = "[e-post]"
NATIONAL_ID = "[fødselsnummer]"
CARD = "[kortnummer]"
PHONE = "[telefon]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
_SEPARATED_DIGITS = r"\d(?:[ .-]?\d)"
_NATIONAL_ID = re.compile(r"(?<!\d)\d{6}[ ]?\d{5}(?!\d)")
_CARD = re.compile(rf"(?<!\d){_SEPARATED_DIGITS}{{12,18}}(?!\d)")
_PHONE = re.compile(rf"(?<![\d+])(?:(?:\+|00)\s?47[ .-]?)?{_SEPARATED_DIGITS}{{7}}(?!\d)")


def mask(text: str) -> str:
    """`text` with e-mail addresses, national ids, card numbers and phone numbers replaced."""
    text = _EMAIL.sub(EMAIL, text)
    text = _NATIONAL_ID.sub(NATIONAL_ID, text)
    text = _CARD.sub(CARD, text)
    return _PHONE.sub(PHONE, text)


def user_hash(user_id: int | None, secret: str) -> str | None:
    """A keyed hash of a Telegram user id (hex, 16 characters); None when there is no user."""
    if user_id is None:
        return None
    digest = hmac.new(secret.encode(), str(user_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
