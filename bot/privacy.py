"""Privacy before storage: personal data masked out of questions, user ids hashed.

Nothing is written to the question log before it has passed through `mask`, which masks the
whole text first and only then cuts it to `MAX_STORED_CHARS`, so a number at the cut is never
stored in part. What it masks:

- e-mail addresses, also written "kari (at) example.no" or "kari [at] example [dot] no";
- runs of digits joined by spaces (no-break and double spaces included), ".", "-" or "/",
  told apart by their length and, where one exists, their checksum: 8 digits (or +47, 0047 and
  any "+" number) are a phone number; 11 digits a fødselsnummer or D-nummer when its two
  mod-11 check digits hold, else a bank account number when its mod-11 check digit holds, else
  a possible number all the same; 13-19 digits passing the Luhn check a card number; any other
  run of 10 digits or more a possible number. Dates ("12.03.2024", "2024-03-12"), times and
  time ranges ("08.00-15.30"), years and year ranges ("2024-2025") and amounts of money
  ("12 000 000 kroner") stay, as do short numbers ("113", "116 117", postcodes) and 9-digit
  organisation numbers;
- names after "jeg heter", "mitt navn er", "eg heiter", "my name is" and the like;
- street addresses: a street name with a house number ("Storgata 12"), or what follows
  "adressen min er", "bor i"/"bur i" (when it is a street, not a town), "I live at" and the like.

The checksums come from python-stdnum. Telegram user ids are replaced by a keyed hash
(HMAC-SHA256), so editors can count distinct askers without anyone being able to tell who
asked. Every pattern here runs in time linear in the text's length (possessive quantifiers and
look-behinds that let a match start only where a run starts), so the masking needs no cut
before it to stay fast.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from stdnum import luhn
from stdnum.no import fodselsnummer, kontonr

EMAIL = "[e-post]"
NATIONAL_ID = "[fødselsnummer]"
ACCOUNT = "[kontonummer]"
CARD = "[kortnummer]"
PHONE = "[telefon]"
NUMBER = "[nummer]"
NAME = "[navn]"
ADDRESS = "[adresse]"
PLACEHOLDERS = (EMAIL, NATIONAL_ID, ACCOUNT, CARD, PHONE, NUMBER, NAME, ADDRESS)

MAX_STORED_CHARS = 1000
"""What the question log keeps of a question, counted after masking."""

_SPACE = "[ \t\u00a0\u2007\u202f]"
"""Spaces people and keyboards put between groups of digits (no-break ones included)."""

# ---- e-mail addresses ------------------------------------------------------------------------

_AT = rf"(?:@|{_SPACE}*+(?:\(at\)|\[at\]|\{{at\}}|\(a\)|\(alfa\)|\(krøllalfa\)){_SPACE}*+)"
_DOT = rf"(?:\.|{_SPACE}*+(?:\(dot\)|\[dot\]|\(punktum\)|\[punktum\]){_SPACE}*+)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]++{_AT}[\w-]++(?:{_DOT}[\w-]++)+", re.IGNORECASE
)

# ---- numbers ---------------------------------------------------------------------------------

_SEPARATOR = rf"(?:{_SPACE}{{1,2}}+|{_SPACE}?[./-]{_SPACE}?)"
_NUMBER_RUN = re.compile(rf"(?<!\d)(?:\+{_SPACE}?)?\d++(?:{_SEPARATOR}\d++)*+")
_WIDE_SEPARATOR = re.compile(rf"{_SPACE}{{2}}|{_SPACE}?[/-]{_SPACE}?")
_HYPHEN = re.compile(rf"{_SPACE}?-{_SPACE}?")
_SLASH = re.compile(rf"{_SPACE}?/{_SPACE}?")
_DATE = re.compile(r"(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})(?:(?P=sep)(?:\d{4}|\d{2}))?")
_ISO_DATE = re.compile(r"(?:18|19|20|21)\d\d-(?P<month>\d\d)-(?P<day>\d\d)")
_CLOCK = re.compile(r"(?P<hour>\d{1,2})\.?(?P<minute>\d\d)")
_THOUSANDS = re.compile(r"\d{1,3}(?P<sep>[ \u00a0\u202f.])\d{3}(?:(?P=sep)\d{3})*")
_CURRENCY_AFTER = re.compile(
    rf"{_SPACE}?(?:kr\b|kroner|nok\b|,-|mill|mrd|milliard|euro|€|\$)", re.IGNORECASE
)
_CURRENCY_BEFORE = re.compile(r"(?:kr\.?|nok|€|\$)[ ]?$", re.IGNORECASE)


def _digits(run: str) -> str:
    """The ASCII digits of a run (any script's decimal digits count)."""
    return "".join(str(unicodedata.digit(char)) for char in run if char.isdigit())


def _is_year(part: str) -> bool:
    return len(part) == 4 and part.isdigit() and 1800 <= int(part) <= 2199


def _is_date(part: str) -> bool:
    found = _DATE.fullmatch(part)
    return found is not None and 1 <= int(found["day"]) <= 31 and 1 <= int(found["month"]) <= 12


def _is_clock(part: str) -> bool:
    found = _CLOCK.fullmatch(part)
    return found is not None and int(found["hour"]) < 24 and int(found["minute"]) < 60


def _is_date_or_time(run: str) -> bool:
    """A date, time, year, or a range of them ("12.03.2024", "08.00-15.30", "2024-2025")."""
    iso = _ISO_DATE.fullmatch(run)
    if iso is not None:
        return 1 <= int(iso["month"]) <= 12 and 1 <= int(iso["day"]) <= 31
    slashed = _SLASH.split(run)
    if len(slashed) == 2 and all(_is_year(part) for part in slashed):
        return True
    return all(
        _is_year(part) or _is_date(part) or _is_clock(part) for part in _HYPHEN.split(run)
    )


def _number_kind(run: str) -> str | None:
    """The placeholder for a run of digits, or None when it is no personal number."""
    digits = _digits(run)
    international = run.startswith("+") or digits.startswith("00")
    if international and 8 <= len(digits.removeprefix("00")) <= 15:
        return PHONE
    count = len(digits)
    if count == 8 or (count == 10 and digits.startswith("47")):
        return PHONE
    if count == 11:
        if fodselsnummer.is_valid(digits):
            return NATIONAL_ID
        return ACCOUNT if kontonr.is_valid(digits) else NUMBER
    if 13 <= count <= 19 and luhn.is_valid(digits):
        return CARD
    return NUMBER if count >= 10 else None


def _mask_number(found: re.Match[str]) -> str:
    """A run of digits in its text: an amount of money ("12 000 000 kroner") stays."""
    run = found.group(0)
    text = found.string
    if _THOUSANDS.fullmatch(run) and (
        _CURRENCY_AFTER.match(text, found.end())
        or _CURRENCY_BEFORE.search(text[max(0, found.start() - 5):found.start()])
    ):
        return run
    return _mask_run(run)


def _mask_run(run: str) -> str:
    """A run of digits, masked if it is a personal number. A run that is no one number but
    holds wide separators ("35 01 50 00 / 90 12 34 56") is masked piece by piece, when every
    piece is a number of its own kind or a date; otherwise it is masked as a whole."""
    if _is_date_or_time(run):
        return run
    kind = _number_kind(run)
    if kind in (None, NUMBER) and _WIDE_SEPARATOR.search(run):
        pieces = _split_keeping(run)
        kinds = [_number_kind(piece) for piece in pieces[::2]]
        if all(
            kind not in (None, NUMBER) or _is_date_or_time(piece)
            for kind, piece in zip(kinds, pieces[::2], strict=True)
        ):
            return "".join(
                piece if index % 2 or kinds[index // 2] is None else kinds[index // 2]
                for index, piece in enumerate(pieces)
            )
    return run if kind is None else kind


def _split_keeping(run: str) -> list[str]:
    """`run` split at its wide separators, the separators kept at the odd positions."""
    pieces: list[str] = []
    start = 0
    for separator in _WIDE_SEPARATOR.finditer(run):
        pieces += [run[start:separator.start()], separator.group(0)]
        start = separator.end()
    pieces.append(run[start:])
    return pieces


# ---- names and addresses ---------------------------------------------------------------------

_WORD = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*+"
_NAME_TRIGGER = (
    r"jeg\s++heter|jeg\s++het|eg\s++heiter|eg\s++heitar|eg\s++het"
    r"|mitt\s++navn\s++er|navnet\s++mitt\s++er|mitt\s++namn\s++er|namnet\s++mitt\s++er"
    r"|my\s++name\s++is|my\s++name's|i\s++am\s++called|i'm\s++called"
)
_NAME = re.compile(
    rf"\b(?P<trigger>{_NAME_TRIGGER})(?P<space>\s++)(?P<words>{_WORD}(?:[ ]{_WORD}){{0,3}})",
    re.IGNORECASE,
)
_NOT_A_NAME = frozenset({
    "og", "i", "på", "pa", "fra", "er", "men", "ikke", "bare", "jo", "da", "så", "sa", "som",
    "hva", "kva", "hvem", "kven", "hvor", "kvar", "hvordan", "korleis", "når", "nar", "kan",
    "vil", "skal", "har", "jeg", "eg", "meg", "bor", "bur", "å", "a", "til", "med", "også",
    "ogsa", "forresten", "egentlig", "and", "from", "is", "am", "in", "at", "what", "who",
    "how", "where", "can", "will", "also", "live", "not", "just", "the", "an",
})
"""Words that end a name (or show there is none: "jeg heter ikke det")."""
_MAX_LOWER_CASE_NAME_WORDS = 2

_STREET = (
    r"[^\W\d_]*?(?<![Rr]iks)(?<![Ff]ylkes)(?<![Ee]uropa)"
    r"(?i:gata|gate|gaten|veien|vegen|vei|veg|stien|stigen|bakken|svingen|åsen"
    r"|tunet|plassen|torget|allé|road|street|lane|avenue)"
)
_CAPITALISED = r"[A-ZÆØÅ][^\W\d_]*+"
_NOT_A_QUANTITY = (
    r"(?![ ](?:år|ar|dager|dagar|uker|veker|måneder|månader|mnd|timer|minutter|min|ganger|gang"
    r"|kr|kroner|stk|personer|prosent|meter|km|kg|liter|years?|months?|weeks?|days?|hours?"
    r"|minutes?|times|people|percent)\b)"
)
"""What follows a count, not a house number: "Notodden 3 år", "riksvei 40 km"."""
_HOUSE_NUMBER = rf"\d{{1,4}}+(?![\d.,]\d)(?:[ ]?[a-zA-Z](?![^\W\d_]))?{_NOT_A_QUANTITY}"
_POSTCODE_PLACE = rf"(?:,?[ ]\d{{4}}(?![\d])(?:[ ]{_WORD}){{0,2}})?"
_STREET_ADDRESS = re.compile(
    rf"\b(?:{_CAPITALISED}[ ]){{0,2}}{_STREET}[ ]{_HOUSE_NUMBER}{_POSTCODE_PLACE}"
    rf"|(?<!\d){_HOUSE_NUMBER}[ ](?:{_CAPITALISED}[ ]){{0,2}}{_STREET}\b{_POSTCODE_PLACE}"
)
_ADDRESS_TRIGGER = re.compile(
    r"\b(?:adressen\s++min\s++er|min\s++adresse\s++er|adressa\s++mi\s++er|mi\s++adresse\s++er"
    r"|adressen\s++er|my\s++address\s++is|bor\s++i|bor\s++på|bor\s++pa|bur\s++i|bur\s++på"
    r"|i\s++live\s++at|i\s++live\s++on|i\s++live\s++in)[ ]++",
    re.IGNORECASE,
)
_DECLARED = re.compile(r"\b(?:adress|address)", re.IGNORECASE)
_NAMED_ADDRESS = re.compile(
    rf"(?:{_WORD}[ ]){{0,2}}{_WORD}[ ]{_HOUSE_NUMBER}{_POSTCODE_PLACE}"
    rf"|{_HOUSE_NUMBER}[ ](?:{_WORD}[ ]){{0,2}}{_WORD}{_POSTCODE_PLACE}"
)
_CLAUSE = re.compile(rf"{_WORD}(?:[ ]{_WORD}){{0,3}}")


def _mask_name(found: re.Match[str]) -> str:
    """The trigger kept, the name that follows it masked (not the words after the name)."""
    words = found["words"].split(" ")
    capitalised = words[0][:1].isupper()
    taken = 0
    for word in words:
        if word.casefold() in _NOT_A_NAME or (capitalised and not word[:1].isupper()):
            break
        taken += 1
        if not capitalised and taken == _MAX_LOWER_CASE_NAME_WORDS:
            break
    if not taken:
        return found.group(0)
    rest = " ".join(words[taken:])
    return f"{found['trigger']}{found['space']}{NAME}{' ' + rest if rest else ''}"


def _mask_addresses(text: str) -> str:
    """Street addresses anywhere, and what follows "adressen min er", "bor i" and the like."""
    text = _STREET_ADDRESS.sub(ADDRESS, text)
    pieces: list[str] = []
    position = 0
    for trigger in _ADDRESS_TRIGGER.finditer(text):
        if trigger.start() < position:
            continue
        start = trigger.end()
        found = _NAMED_ADDRESS.match(text, start)
        if found is None and _DECLARED.match(text, trigger.start()):
            found = _CLAUSE.match(text, start)
            if found is not None and found.group(0).split(" ")[0].casefold() in _NOT_A_NAME:
                found = None
        if found is None:
            continue
        pieces += [text[position:start], ADDRESS]
        position = found.end()
    pieces.append(text[position:])
    return "".join(pieces)


# ---- the whole ---------------------------------------------------------------------------------


def mask(text: str, limit: int | None = MAX_STORED_CHARS) -> str:
    """`text` with personal data replaced by placeholders (see the module docstring), then cut
    to `limit` characters (None: not cut), never in the middle of a placeholder."""
    text = _EMAIL.sub(EMAIL, text)
    text = _NUMBER_RUN.sub(_mask_number, text)
    text = _mask_addresses(text)
    text = _NAME.sub(_mask_name, text)
    return text if limit is None else _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, before a placeholder the cut would split."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    opening = cut.rfind("[")
    if opening != -1 and "]" not in cut[opening:] and text.startswith(PLACEHOLDERS, opening):
        cut = cut[:opening]
    return cut


def user_hash(user_id: int | None, secret: str) -> str | None:
    """A keyed hash of a Telegram user id (hex, 16 characters); None when there is no user."""
    if user_id is None:
        return None
    digest = hmac.new(secret.encode(), str(user_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
