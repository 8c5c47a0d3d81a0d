"""Notes in plain text: one event per line that starts with a time.

A line starts with a time of day (``14:22``, ``14:22:05``, ``2:22 PM``, ``[14:22]``) or a date
and time (``2026-03-15 14:22``, ``2026-03-15T14:22:05Z``, ``...+01:00``), after an optional
Markdown bullet. The time may be followed by a zone (``UTC``, ``GMT``, ``Z`` or an offset;
named zones come from ``--tz``), a separator (``—``, ``–``, ``-``, ``|``, ``:``) and an actor
(``@sam:`` or one short word and a colon, such as ``sam:`` or ``pagerduty:``).

Lines without a time continue the event above them; blank lines, Markdown headings and the
lines before the first time are left out. A line holding only a date (``## 2026-03-15``)
dates the time-only lines after it; so does a dated event line. Without either, ``--date``
gives the date. In a run of time-only lines, a time more than six hours earlier than the one
before is taken to be after midnight, on the next day, and its ``where`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..errors import PackError
from ..evidence import Archive, Event, ImportOptions
from . import lone_head, require_members
from .timestamps import (
    DAY,
    Place,
    Written,
    abbreviation,
    decode,
    lines,
    match,
    refuse_abbreviation,
    to_utc,
    written,
)

NAME = "text"

SUFFIXES = (".txt", ".log", ".md")
SEPARATORS = "—–-|:,"
ROLLOVER = timedelta(hours=6)
"""How much earlier than the line before a time-only line must be to count as the next day."""

LABELS = frozenset(
    {
        "action",
        "actions",
        "answer",
        "cause",
        "decision",
        "done",
        "edit",
        "error",
        "fix",
        "fixed",
        "fyi",
        "impact",
        "info",
        "issue",
        "mitigated",
        "next",
        "note",
        "question",
        "resolved",
        "result",
        "status",
        "summary",
        "todo",
        "update",
        "warning",
    }
)
"""Words that, before a colon, label what follows rather than name who acted."""

_LEAD = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?P<open>\[[ \t]*)?")
_ACTOR = re.compile(r"(?P<actor>@[\w.\-]*\w|[^\W\d_](?:[\w.\-]{0,22}\w)?):(?:\s+|$)")
_CLOSE = re.compile(r"[ \t]*\]")
_SEPARATOR = re.compile(r"\A(?:--|[—–\-|:,])(?:\s+|\Z)")
_HEADING = re.compile(r"[ \t]*#+[ \t]*")
_DAY_ONLY = re.compile(r"[ \t]*(?:[-*+][ \t]+)?(?P<day>\S+?):?[ \t]*")


@dataclass(frozen=True, slots=True)
class Line:
    """A line that starts with a time: the time, and who and what follow it."""

    moment: Written
    actor: str | None
    text: str


def timed(line: str, place: Place) -> Line | None:
    """The time, actor and text of a line that starts with a time; ``None`` for other lines."""
    lead = _LEAD.match(line)
    assert lead is not None  # every part of the pattern is optional
    found = match(line, lead.end())
    if found is None:
        return None
    pos = found.end()
    if lead.group("open") is not None:
        close = _CLOSE.match(line, pos)
        if close is None:
            return None
        pos = close.end()
    if pos < len(line) and not (line[pos].isspace() or line[pos] in SEPARATORS):
        return None
    moment = written(found, place)
    if moment.offset is None:
        name = abbreviation(line, pos)
        if name is not None:
            raise refuse_abbreviation(name, place)
    rest = _SEPARATOR.sub("", line[pos:].strip(), count=1)
    actor = None
    who = _ACTOR.match(rest)
    if who is not None and who.group("actor").lower() not in LABELS:
        actor = who.group("actor")
        rest = rest[who.end() :]
    return Line(moment, actor, rest.strip())


def _day_line(line: str, place: Place) -> date | None:
    """The date of a line that holds only a date, or a heading that starts with one."""
    heading = _HEADING.match(line)
    if heading is not None:
        found = DAY.match(line, heading.end())
    else:
        only = _DAY_ONLY.fullmatch(line)
        found = DAY.fullmatch(only.group("day")) if only is not None else None
    if found is None:
        return None
    try:
        return date(int(found.group("year")), int(found.group("month")), int(found.group("day")))
    except ValueError as exc:
        raise place.error(f"'{found.group()}' is not a real date ({exc})") from None


# --------------------------------------------------------------------------- sniffing


def sniff(archive: Archive) -> bool:
    if any(n.lower().endswith(SUFFIXES) for n in archive.names()):
        return True
    lone = lone_head(archive)
    if lone is None:
        return False
    name, head = lone
    sample = [line for line in head.splitlines() if line.strip()][:6]
    hits = 0
    for line in sample:
        try:
            hits += timed(line, Place(name, 1)) is not None
        except PackError:
            continue
    return hits > 0 and hits * 2 >= len(sample)


# --------------------------------------------------------------------------- reading


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    for member in require_members(archive, SUFFIXES, "notes with one timed line per event"):
        yield from read_member(member, archive.read(member), options)


def _minutes(clock: time) -> timedelta:
    return datetime.combine(date.min, clock) - datetime.min


def read_member(member: str, data: bytes, options: ImportOptions) -> Iterator[Event]:
    """The events of one notes file, in the order of its lines."""
    if not data:
        raise PackError(
            "is empty (0 bytes); expected lines that start with a time, such as "
            "'14:22 deploy starts'",
            path=member,
            line=1,
        )
    text = decode(data, Place(member, 1))
    day = options.day
    previous: time | None = None
    pending: Event | None = None
    pending_line = 0
    events = 0
    for number, raw in enumerate(lines(text), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        place = Place(member, number, "time")
        found = timed(line, place)
        if found is None:
            dated = _day_line(line, Place(member, number, "date"))
            if dated is not None:
                day, previous = dated, None
            elif pending is not None and _HEADING.match(line) is None:
                pending.text = f"{pending.text} {line.strip()}".strip()
            continue
        if pending is not None:
            yield from _finish(pending, member, pending_line, options)
        moment = found.moment
        where = place.where
        if moment.day is not None:
            day = moment.day
        elif (
            previous is not None
            and day is not None
            and _minutes(moment.clock) < _minutes(previous) - ROLLOVER
        ):
            if day == date.max:
                raise place.error("this time would fall after the last date there is")
            day += timedelta(days=1)
            where = f"{where} (after midnight: {day.isoformat()})"
        previous = moment.clock
        at, zone = to_utc(moment, day, options, place)
        events += 1
        pending, pending_line = (
            Event(
                at=at,
                text=found.text,
                source=f"notes {member}",
                actor=found.actor,
                link=place.where,
                where=where,
                zone=zone,
            ),
            number,
        )
    if pending is not None:
        yield from _finish(pending, member, pending_line, options)
    if not events:
        raise PackError(
            "has no line that starts with a time; expected lines such as "
            "'14:22 deploy starts' or '2026-03-15 14:22 @sam: rollback'",
            path=member,
        )


def _finish(event: Event, member: str, line: int, options: ImportOptions) -> Iterator[Event]:
    if not event.text:
        raise PackError("has a time but no text", path=member, line=line, field="text")
    if options.keeps(event.at):
        yield event
