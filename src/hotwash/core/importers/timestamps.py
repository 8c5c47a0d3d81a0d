"""Written times, for the importers that read what people type (CSV timelines, notes).

A written time may state its zone (``Z``, ``UTC``, ``GMT``, ``+01:00``) or not. One that does
not is read in the zone given with ``--tz``, through ``zoneinfo``, so that summer and winter
time come out right. A wall-clock time that zone never shows (the hour skipped in spring) or
shows twice (the hour repeated in autumn) is an error that names the line and says how to
write it unambiguously: an hour off in a timeline is worse than a question.

Zone abbreviations (``CET``, ``PST``, ``IST`` ...) are refused rather than guessed: several
mean more than one zone, and none says whether summer time applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from ..errors import PackError
from ..evidence import ImportOptions, Zone

DATE = r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"
CLOCK = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"(?:\s?(?P<half>[AaPp])\.?[Mm]\.?(?!\w))?"
)
OFFSET = (
    r"(?:(?P<utc>\s?(?:UTC|GMT))(?:(?P<usign>[+-])(?P<uh>\d{1,2})(?::?(?P<um>\d{2}))?)?(?!\w)"
    r"|(?P<z>\s?Z|z)(?!\w)"
    r"|(?(year)(?P<sign>[+-])(?P<oh>\d{2})(?::?(?P<om>\d{2}))?(?!\d)|(?!))"
    r"|\s(?P<ssign>[+-])(?P<sh>\d{2}):(?P<sm>\d{2})(?!\d))"
)
"""A stated zone: ``Z``, ``UTC``, ``GMT`` (``UTC+1``), an offset joined to a date and time
(``2026-03-15T14:22+01:00``) or one after a space (``14:22 -05:00``). A bare time joined to
an offset is read as a range instead (``10:00-11:00``), so it is not taken as one."""
STAMP = re.compile(rf"(?:{DATE}(?:[Tt]|\s+))?{CLOCK}(?:{OFFSET})?")
DAY = re.compile(rf"{DATE}(?![\d:])")
EPOCH = re.compile(r"\d{1,19}(?:\.\d{1,9})?")
LINES = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")

# fmt: off
ABBREVIATIONS = frozenset({
    "CET", "CEST", "EET", "EEST", "WET", "WEST", "BST", "IST", "MSK", "EST", "EDT", "CST",
    "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST", "AEST", "AEDT", "ACST", "ACDT",
    "AWST", "NZST", "NZDT", "JST", "KST", "HKT", "SGT",
})
# fmt: on
_ABBREVIATION = re.compile(r"\s*([A-Z]{3,4})(?!\w)")

FORMATS = (
    "2026-03-15T14:22:05Z, 2026-03-15 14:22:05+01:00, 2026-03-15 14:22 (with --tz), "
    "14:22 or 2:22 PM (with --date)"
)
"""The forms a written time may take, for error messages."""

_EPOCH_ZERO = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value was read: member, line and field, for errors and ``Event.where``."""

    path: str
    line: int
    field: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, message: str) -> PackError:
        return PackError(message, path=self.path, line=self.line, field=self.field)


@dataclass(frozen=True, slots=True)
class Written:
    """A time as written: the date if there was one, the clock, and the offset if stated."""

    day: date | None
    clock: time
    offset: timedelta | None
    end: int
    """Where the written time ends in the text it was found in."""


def lines(text: str) -> Iterator[str]:
    """The lines of a text with their endings (``\\n``, ``\\r\\n`` or ``\\r``), one at a time."""
    for match in LINES.finditer(text):
        yield match.group()


def decode(data: bytes, place: Place) -> str:
    """UTF-8 text (a byte-order mark is dropped); an error naming the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        before = data[:start]
        line = before.count(b"\n") + 1
        column = start - (before.rfind(b"\n") + 1) + 1
        raise PackError(
            f"is not UTF-8 text (byte 0x{data[start]:02x} at position {column} of the line); "
            "save or export the file as UTF-8",
            path=place.path,
            line=line,
            field=place.field,
        ) from None


def abbreviation(text: str, pos: int = 0) -> str | None:
    """A zone abbreviation such as ``CET`` written at ``pos``, if there is one."""
    match = _ABBREVIATION.match(text, pos)
    if match is not None and match.group(1) in ABBREVIATIONS:
        return match.group(1)
    return None


def refuse_abbreviation(name: str, place: Place) -> PackError:
    return place.error(
        f"'{name}' is a zone abbreviation, which can mean more than one zone; "
        "pass --tz with a zone name (for example --tz Europe/Berlin) or write the offset "
        "(for example 2026-03-15 14:22+01:00 or 14:22 UTC+1)"
    )


def match(text: str, pos: int = 0) -> re.Match[str] | None:
    """A written time starting at ``pos``, not yet checked."""
    return STAMP.match(text, pos)


def written(found: re.Match[str], place: Place) -> Written:
    """A matched time, checked: an error if the numbers are not a real date and time."""
    g = found.group
    try:
        day = None
        if g("year") is not None:
            day = date(int(g("year")), int(g("month")), int(g("day")))
        hour = int(g("hour"))
        if g("half") is not None:
            if not 1 <= hour <= 12:
                raise ValueError("a 12-hour time has an hour from 1 to 12")
            hour = hour % 12 + (12 if g("half") in "Pp" else 0)
        fraction = (g("fraction") or "").ljust(6, "0")[:6]
        clock = time(hour, int(g("minute")), int(g("second") or 0), int(fraction))
    except ValueError as exc:
        raise place.error(
            f"'{found.group().strip()}' is not a real date and time ({exc})"
        ) from None
    return Written(day, clock, _offset(found, place), found.end())


def _offset(found: re.Match[str], place: Place) -> timedelta | None:
    g = found.group
    for sign, hours, minutes in (
        ("usign", "uh", "um"),
        ("sign", "oh", "om"),
        ("ssign", "sh", "sm"),
    ):
        if g(sign) is not None:
            h, m = int(g(hours)), int(g(minutes) or 0)
            if h > 23 or m > 59:
                raise place.error(f"'{found.group().strip()}' has an offset that is not a real one")
            size = timedelta(hours=h, minutes=m)
            return -size if g(sign) == "-" else size
    if g("utc") is not None or g("z") is not None:
        return timedelta(0)
    return None


def epoch(text: str, place: Place) -> datetime:
    """Seconds, milliseconds or microseconds since 1970 (told apart by size), in UTC."""
    whole, _, fraction = text.partition(".")
    number = int(whole)
    if number < 10**11:
        scale = 1_000_000
    elif number < 10**14:
        scale = 1_000
    elif number < 10**17:
        scale = 1
    else:
        raise place.error(
            f"'{text}' is too large for seconds, milliseconds or microseconds since 1970"
        )
    micros = number * scale + int(fraction.ljust(9, "0")[:9]) * scale // 1_000_000_000
    try:
        return _EPOCH_ZERO + timedelta(microseconds=micros)
    except OverflowError:
        raise place.error(f"'{text}' is not a time this tool can represent") from None


def to_utc(
    moment: Written, day: date | None, options: ImportOptions, place: Place
) -> tuple[datetime, Zone]:
    """The UTC time for a written time on ``day`` (used when the time has no date)."""
    on = moment.day or day
    if on is None:
        raise place.error(
            "this time has no date; pass --date YYYY-MM-DD for notes that give only the "
            "time of day, or write the date before the time (2026-03-15 14:22)"
        )
    naive = datetime.combine(on, moment.clock)
    if moment.offset is None:
        return localize(naive, options, place), "assumed"
    try:
        return naive.replace(tzinfo=timezone(moment.offset)).astimezone(UTC), "given"
    except (ValueError, OverflowError):
        raise place.error(f"{naive:%Y-%m-%d %H:%M} is out of range with its offset") from None


def localize(naive: datetime, options: ImportOptions, place: Place) -> datetime:
    """A zone-less time in the ``--tz`` zone, as UTC; an error naming the place for a time
    the zone skips or shows twice (``ImportOptions.localize`` checks that)."""
    try:
        first = options.localize(naive, where=place.path, field=place.field)
    except PackError as exc:
        raise place.error(exc.message) from None
    except (ValueError, OverflowError):
        raise place.error(f"{naive:%Y-%m-%d %H:%M} is out of range in the --tz zone") from None
    return first
