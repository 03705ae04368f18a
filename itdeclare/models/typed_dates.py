"""Dates and times as people type them, read forgivingly.

``2026-11-26 14:05``, ``26/11 14:05``, ``26.11.2026``, ``2026年11月26日 14:05``, ``Nov 26 2:05pm``
and ``20261126 1405`` all read as the same moment. A day and month without a year take the year
that puts the date closest to ``today``. Day-first is assumed when both orders are possible
(``03/04`` is 3 April); a second number above 12 makes it month-first (``11/26``). A time
without a UTC offset is local to the zone given (the airport's); an offset typed by the user
(``+08:00``, ``UTC+8``, ``Z``) wins.

Failures raise ``PydanticCustomError`` with a stable code, like the domain validators, so the
message is rendered from the catalogue in the user's language. Nothing else is raised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from pydantic_core import PydanticCustomError

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

#: A UTC offset at the end: after a space, right after a time ("14:05+08:00"), or after UTC/GMT.
_OFFSET = re.compile(
    r"(?:\s+|(?<=:\d\d)|\s*(?:utc|gmt)\s*)"
    r"(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$"
    r"|(?:(?<=\d)z|\s*(?:utc|gmt))$"
)
_CHINESE_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
)
_TIME = re.compile(
    r"(?P<hour>\d{1,2})(?:[:h.时點点](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?[分]?"
    r"\s*(?P<meridiem>am|pm|a\.m\.|p\.m\.)?$"
)
_COMPACT_TIME = re.compile(r"(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)$")


def reading_error(code: str, message: str, **context: object) -> PydanticCustomError:
    return PydanticCustomError(code, message, context or None)


def _chinese_date(match: re.Match[str]) -> str:
    """2026年11月26日 -> 2026-11-26; 11月26日 -> 26/11 (day first, which reads unambiguously)."""
    if match["y"]:
        return f"{match['y']}-{match['m']}-{match['d']} "
    return f"{match['d']}/{match['m']} "


def _normalise(text: str) -> str:
    """Fullwidth digits and punctuation to ASCII, lower case, single spaces, no 'T' separator."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    value = _CHINESE_DATE.sub(_chinese_date, value)
    value = re.sub(r"(?<=\d)t(?=\d)", " ", value)
    value = re.sub(r"[,]", " ", value)
    return re.sub(r"\s+", " ", value).strip()


# --- dates ---------------------------------------------------------------------------------


def _closest_year(day: int, month: int, today: date) -> date:
    """The date with this day and month nearest to ``today`` (a tie goes to the future)."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise reading_error("date_invalid", "There is no such date")
    return min(candidates, key=lambda d: (abs((d - today).days), d < today))


def _make_date(year: int | None, month: int, day: int, today: date) -> date:
    if not 1 <= month <= 12:
        raise reading_error("date_invalid", "There is no such date")
    if year is None:
        return _closest_year(day, month, today)
    try:
        return date(year, month, day)
    except ValueError:
        raise reading_error("date_invalid", "There is no such date") from None


def _day_month(first: int, second: int) -> tuple[int, int]:
    """(day, month) from two numbers: day first unless that cannot be."""
    if second > 12 >= first:
        return second, first
    return first, second


_NUMERIC_DATE_PATTERNS = (
    # 2026-11-26, 2026/11/26, 2026.11.26
    (re.compile(r"(?P<y>\d{4})[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})"), "ymd"),
    # 20261126
    (re.compile(r"(?P<y>\d{4})(?P<a>\d{2})(?P<b>\d{2})"), "ymd"),
    # 26/11/2026, 26.11.2026, 26-11-2026
    (re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"), "dmy"),
    # 26/11, 26.11
    (re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})"), "dm"),
)


def _numeric_date(token: str, today: date) -> date | None:
    for pattern, order in _NUMERIC_DATE_PATTERNS:
        match = pattern.fullmatch(token)
        if match is None:
            continue
        a, b = int(match["a"]), int(match["b"])
        year = int(match["y"]) if "y" in pattern.groupindex else None
        if order == "ymd":
            return _make_date(year, a, b, today)
        day, month = _day_month(a, b)
        return _make_date(year, month, day, today)
    return None


_WORD_DATE = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)? (?P<m1>[a-z]+)\.?|(?P<m2>[a-z]+)\.? (?P<d2>\d{1,2})"
    r"(?:st|nd|rd|th)?)(?: (?P<y>\d{4}))?"
)


def _word_date(text: str, today: date) -> tuple[date, str] | None:
    """'26 Nov 2026' or 'November 26' at the start of ``text``; the rest is returned."""
    match = _WORD_DATE.match(text)
    if match is None:
        return None
    month = _MONTHS.get(match["m1"] or match["m2"] or "")
    if month is None:
        return None
    day = int(match["d1"] or match["d2"])
    year = int(match["y"]) if match["y"] else None
    return _make_date(year, month, day, today), text[match.end() :].strip()


def parse_date(text: str, today: date) -> date:
    """A date typed in any of the usual ways (see the module's docstring)."""
    value = _normalise(text)
    if not value:
        raise reading_error("date_empty", "Enter a date")
    words = _word_date(value, today)
    if words is not None and not words[1]:
        return words[0]
    found = _numeric_date(value, today)
    if found is None:
        raise reading_error("date_unreadable", "Type a date like 2026-11-26 or 26/11/2026")
    return found


# --- date and time -----------------------------------------------------------------------


def _split_offset(value: str) -> tuple[str, tzinfo | None]:
    match = _OFFSET.search(value)
    if match is None:
        return value, None
    rest = value[: match.start()].strip()
    if match["sign"] is None:
        return rest, UTC
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if hours > 14 or minutes > 59:
        raise reading_error("offset_invalid", "A UTC offset is between -12:00 and +14:00")
    delta = timedelta(hours=hours, minutes=minutes)
    return rest, timezone(-delta if match["sign"] == "-" else delta)


def _parse_time(token: str) -> time:
    match = _COMPACT_TIME.fullmatch(token) or _TIME.fullmatch(token)
    if match is None:
        raise reading_error("time_unreadable", "Type a time like 14:05")
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    groups = match.groupdict()
    second = int(groups.get("second") or 0)
    meridiem = (groups.get("meridiem") or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise reading_error("time_invalid", "There is no such time")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise reading_error("time_invalid", "There is no such time")
    return time(hour, minute, second)


def _split_date_time(value: str, today: date) -> tuple[date, time]:
    words = _word_date(value, today)
    if words is not None:
        if not words[1]:
            raise reading_error("time_missing", "Add the time, like 14:05")
        return words[0], _parse_time(words[1].replace(" ", ""))
    parts = value.split(" ")
    if len(parts) == 1:
        if _numeric_date(value, today) is None:
            raise reading_error("datetime_unreadable", "Type a date and time like 2026-11-26 14:05")
        raise reading_error("time_missing", "Add the time, like 14:05")
    # The time is the first or the last token: "26/11 14:05" or "14:05 26/11".
    orders = ((" ".join(parts[:-1]), parts[-1]), (" ".join(parts[1:]), parts[0]))
    for date_part, time_part in orders:
        day = _numeric_date(date_part.replace(" ", ""), today)
        if day is not None:
            return day, _parse_time(time_part)
    if len(parts) == 3 and parts[-1] in ("am", "pm"):
        day = _numeric_date(parts[0], today)
        if day is not None:
            return day, _parse_time(parts[1] + parts[2])
    raise reading_error("datetime_unreadable", "Type a date and time like 2026-11-26 14:05")


@dataclass(frozen=True, slots=True)
class TypedMoment:
    """A date and time as understood from the text: ``explicit_offset`` when the user typed one."""

    local: datetime  # naive
    explicit_offset: tzinfo | None


def read_datetime(text: str, today: date) -> TypedMoment:
    """The date, time and any typed UTC offset, without choosing a zone yet."""
    value = _normalise(text)
    if not value:
        raise reading_error("datetime_empty", "Enter a date and time")
    rest, offset = _split_offset(value)
    day, clock = _split_date_time(rest, today)
    return TypedMoment(datetime.combine(day, clock), offset)


def parse_datetime(text: str, zone: tzinfo | None, today: date) -> datetime:
    """An aware datetime: local to ``zone`` unless the text carries its own UTC offset."""
    moment = read_datetime(text, today)
    tz = moment.explicit_offset or zone
    if tz is None:
        raise reading_error(
            "datetime_zone_unknown", "Choose the airport first, or type the UTC offset"
        )
    return moment.local.replace(tzinfo=tz)


def canonical_date(value: date) -> str:
    return value.isoformat()


def canonical_datetime(moment: TypedMoment) -> str:
    """How a datetime field is shown once read: 2026-11-26 14:05, plus any typed offset."""
    text = moment.local.strftime("%Y-%m-%d %H:%M")
    if moment.local.second:
        text += moment.local.strftime(":%S")
    if moment.explicit_offset is not None:
        offset = moment.explicit_offset.utcoffset(None)
        text += " " + _offset_text(offset)
    return text


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"
