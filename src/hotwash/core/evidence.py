"""Evidence events: what every importer yields, and how events become one timeline.

An importer (``core/importers/<source>.py``) reads one kind of exported evidence from an
``Archive`` (a folder, a zip or one file, opened by the adapter) and yields ``Event``s one at
a time. This module merges the streams: it drops events outside the window, removes the same
event seen in two sources, sorts by time and reports impossible sequences as findings.
Pure: the adapter does the reading; the clock is never consulted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal, Protocol

from .errors import PackError

Zone = Literal["given", "assumed"]
"""How an event's time zone is known: stated by the source, or assumed from ``--tz``."""


@dataclass(slots=True)
class Event:
    """One thing that happened, as a source recorded it. ``at`` is always UTC."""

    at: datetime
    text: str
    source: str
    """Which source, in a few words: ``slack #incident``, ``pagerduty``, ``alertmanager``."""
    actor: str | None = None
    """Who or what acted, as the source names it (a user id, a name, a service);
    anonymization turns people into handles before anything is written."""
    link: str | None = None
    """A way back to the original: a URL, or ``file:line`` when there is none."""
    where: str = ""
    """Where it came from, for messages: ``member/file.json`` or ``notes.txt:12``."""
    zone: Zone = "given"
    moment: str | None = None
    """A key moment the source states outright (PagerDuty's acknowledge log entry is an
    acknowledgement); otherwise the classifier decides from the text."""
    bot: bool = False
    """Written by a bot or an integration rather than a person."""


class Archive(Protocol):
    """Read access to one piece of evidence: a folder, a zip file or a single file.

    ``names()`` lists members with ``/`` separators (a single file has one member, its own
    name); ``read(name)`` returns that member's bytes. The adapter refuses unsafe members
    (absolute paths, ``..``) before the importer ever sees them.
    """

    label: str

    def names(self) -> list[str]: ...

    def read(self, name: str) -> bytes: ...


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the person asked for, passed to every importer."""

    channels: frozenset[str] = frozenset()
    """Slack channels to keep (names without ``#``); empty keeps every channel."""
    since: datetime | None = None
    until: datetime | None = None
    tz: tzinfo | None = None
    """The zone to assume for times that do not state one (``--tz``)."""
    tz_name: str | None = None
    day: date | None = None
    """The date for time-only lines such as ``14:22 text`` (``--date``)."""

    def keeps(self, at: datetime) -> bool:
        """Whether a UTC time falls inside the requested window."""
        return (self.since is None or at >= self.since) and (self.until is None or at <= self.until)

    def localize(self, naive: datetime, *, where: str, field: str | None = None) -> datetime:
        """A time without a zone, in the zone the person gave; an error naming the place if
        they gave none."""
        if self.tz is None:
            raise PackError(
                "this time has no time zone; pass --tz ZONE (for example --tz Europe/Berlin "
                "or --tz UTC) to say which one it is in",
                path=where,
                field=field,
            )
        return localize(naive, self.tz, self.tz_name, where=where, field=field)


def localize(
    naive: datetime, tz: tzinfo, tz_name: str | None, *, where: str, field: str | None = None
) -> datetime:
    """A local time in ``tz`` as UTC; an error naming the place for a time the zone skips
    (clocks forward) or shows twice (clocks back), with both readings to choose from."""
    name = tz_name or str(tz)
    shown = f"{naive:%Y-%m-%d %H:%M}"
    try:
        first = naive.replace(tzinfo=tz, fold=0)
        utc = first.astimezone(UTC)
        second = naive.replace(tzinfo=tz, fold=1)
        offsets = (first.utcoffset(), second.utcoffset())
    except (ValueError, OverflowError):
        raise PackError(f"{shown} is out of range in {name}", path=where, field=field) from None
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        raise PackError(
            f"{shown} does not exist in {name}: the clocks skip that hour when summer time "
            f"starts; check the time, or write it with the offset meant "
            f"({shown}{_offset(offsets[0])} or {shown}{_offset(offsets[1])})",
            path=where,
            field=field,
        )
    if offsets[0] != offsets[1]:
        other = second.astimezone(UTC)
        raise PackError(
            f"{shown} happens twice in {name} (at {utc:%H:%M} UTC and at {other:%H:%M} UTC) "
            "because the clocks go back that night; write it with its offset to say which "
            f"({shown}{_offset(offsets[0])} or {shown}{_offset(offsets[1])})",
            path=where,
            field=field,
        )
    return utc


def _offset(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class DictArchive:
    """An in-memory archive, for tests and for evidence piped on standard input."""

    def __init__(self, label: str, members: dict[str, bytes]) -> None:
        self.label = label
        self._members = members

    def names(self) -> list[str]:
        return sorted(self._members)

    def read(self, name: str) -> bytes:
        return self._members[name]


# --------------------------------------------------------------------------- merging


@dataclass(frozen=True, slots=True)
class Finding:
    """Something about the evidence a person should look at; not an error."""

    code: str
    message: str
    where: str = ""


@dataclass(slots=True)
class Merged:
    events: list[Event]
    findings: list[Finding] = field(default_factory=list)
    duplicates: int = 0
    assumed_zone: int = 0


def _key(event: Event) -> str:
    return " ".join(event.text.lower().split())[:160]


def merge(
    streams: Iterable[Iterable[Event]],
    *,
    window: timedelta = timedelta(minutes=2),
    months_off: int = 3,
) -> Merged:
    """One sorted timeline from several event streams.

    The same event seen in two sources (the same text, lower-cased and with white space
    folded, within ``window`` of each other, from different sources) is kept once, the first
    source's copy, with the other source named in its ``link`` when it had none. Events
    dated more than ``months_off`` months from the middle of the timeline are reported.
    """
    events: list[Event] = []
    for stream in streams:
        events.extend(stream)
    events.sort(key=lambda e: e.at)
    out: list[Event] = []
    recent: dict[str, list[Event]] = {}
    duplicates = 0
    for event in events:
        key = _key(event)
        seen = recent.get(key)
        if seen is not None:
            # sorted input: copies older than the window can never match again
            while seen and event.at - seen[0].at > window:
                seen.pop(0)
            twin = next(
                (e for e in seen if e.source != event.source and abs(event.at - e.at) <= window),
                None,
            )
            if twin is not None:
                duplicates += 1
                if twin.link is None:
                    twin.link = event.link
                continue
            seen.append(event)
        else:
            recent[key] = [event]
        out.append(event)
    result = Merged(out, duplicates=duplicates)
    result.assumed_zone = sum(1 for e in out if e.zone == "assumed")
    result.findings.extend(_far_dates(out, months_off))
    return result


def _far_dates(events: list[Event], months_off: int) -> Iterator[Finding]:
    if len(events) < 3:
        return
    middle = events[len(events) // 2].at
    limit = timedelta(days=30 * months_off)
    for event in events:
        if abs(event.at - middle) > limit:
            yield Finding(
                "date-far",
                f"{event.at:%Y-%m-%d %H:%M} UTC is more than {months_off} months from the "
                f"rest of the timeline ({middle:%Y-%m-%d}); check the date or the --date given",
                event.where,
            )
