"""Norwegian time for editors: periods of N days, Europe/Oslo dates and times as people write them.

The question log stores UTC; everything an editor reads (lists, statistics, the CSV export,
the daily digest) is in Europe/Oslo local time, summer time included.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
MAX_DAYS = 3650


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def days_ago(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The moment `days` whole days (of 24 hours) before `now` (default: now), in UTC."""
    return (now or utc_now()) - dt.timedelta(days=days)


def oslo(moment: dt.datetime) -> dt.datetime:
    """`moment` in Europe/Oslo local time (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(OSLO)


def local_date(moment: dt.datetime) -> dt.date:
    """The Europe/Oslo calendar date of `moment`."""
    return oslo(moment).date()


def local_stamp(moment: dt.datetime) -> str:
    """`moment` as 2026-05-12 14:03:22, Oslo time (what spreadsheets read as a date and time)."""
    return oslo(moment).strftime("%Y-%m-%d %H:%M:%S")


def short_when(moment: dt.datetime) -> str:
    """`moment` as 12.05. 14:03, Oslo time."""
    return oslo(moment).strftime("%d.%m. %H:%M")


def last_dates(days: int, now: dt.datetime | None = None) -> list[dt.date]:
    """The `days` Oslo calendar dates up to and including today, oldest first."""
    today = local_date(now or utc_now())
    return [today - dt.timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a whole number in ASCII digits only (`str.isdigit` also takes "³" and
    "①", which `int` then refuses)."""
    return text.isascii() and text.isdigit()


def parse_days(text: str | None, default: int) -> int | None:
    """A number of days from a command argument: `default` when empty, None when invalid."""
    if text is None or not text.strip():
        return default
    value = text.strip()
    if not is_ascii_number(value):
        return None
    days = int(value)
    return days if 1 <= days <= MAX_DAYS else None
