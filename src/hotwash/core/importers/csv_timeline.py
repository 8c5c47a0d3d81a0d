"""CSV timelines: a Timesketch export, or a spreadsheet with a time and a text column.

Timesketch's timeline CSV has ``message``, ``datetime`` (ISO 8601), ``timestamp_desc`` and
optionally ``timestamp`` (microseconds since 1970); other columns are ignored, except a
``url``/``link`` column (the event's link) and a ``source``/``parser``/``data_type`` column
(folded into the source, as ``csv: apt_history``).

The simple form has columns ``time``, ``actor``, ``text``, ``source`` and ``link``, with
common synonyms (see ``TIME``, ``TEXT``, ``ACTOR``). Headers are matched without regard to
case; a header such as ``Time (UTC)`` says that its zone-less times are UTC. A time may be
ISO 8601 with or without a zone (without one it is read in the ``--tz`` zone), a time of day
alone (dated by a ``date`` column or ``--date``), or, in a ``timestamp`` column, seconds,
milliseconds or microseconds since 1970.

Comma, semicolon and tab separators are told apart from the header line. Rows are read one
at a time; errors name the member, the row's first line (the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from ..errors import PackError
from ..evidence import Archive, Event, ImportOptions, Zone
from . import lone_head, require_members
from .timestamps import (
    DAY,
    EPOCH,
    FORMATS,
    Place,
    abbreviation,
    epoch,
    lines,
    match,
    refuse_abbreviation,
    to_utc,
    written,
)

NAME = "csv"

TIME = ("datetime", "time", "timestamp", "when", "date")
"""Names of a time column, the first found being the one read (the others stand in for an
empty cell)."""
TEXT = ("message", "text", "description", "event", "what")
ACTOR = ("actor", "who", "user", "author")
LINK = ("link", "url")
SOURCE = ("source", "parser", "data_type")
EPOCH_COLUMNS = ("timestamp",)
SUFFIXES = (".csv", ".tsv")
DELIMITERS = (",", ";", "\t")

_HEADER = re.compile(r"(?P<name>.*?)\s*(?:\(\s*(?P<utc>utc|gmt|z)\s*\))?")
_ESCAPED = re.compile("[\udc80-\udcff]")


def _normal(header: str) -> tuple[str, bool]:
    found = _HEADER.fullmatch(header.strip().lower())
    assert found is not None  # the pattern matches any text
    name = re.sub(r"[\s\-]+", "_", found.group("name"))
    return name, found.group("utc") is not None


def _first(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for want in wanted:
        if want in names:
            return names.index(want)
    return None


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column holds what, from the header row."""

    header: list[str]
    times: list[int]
    utc: frozenset[int]
    date: int | None
    text: int
    actor: int | None
    link: int | None
    sources: list[int]

    @classmethod
    def of(cls, header: list[str], member: str, line: int) -> Layout:
        normal = [_normal(h) for h in header]
        names = [n for n, _ in normal]
        times = [names.index(t) for t in TIME if t in names]
        date_column = None
        if "date" in names and len(times) > 1:
            date_column = names.index("date")
            times.remove(date_column)
        text = _first(names, TEXT)
        if not times or text is None:
            missing = "time" if not times else "text"
            accepted = TIME if not times else TEXT
            found = ", ".join(h.strip() or "(blank)" for h in header) or "none"
            raise PackError(
                f"has no {missing} column; the header has: {found}; a {missing} column is "
                f"one named {', '.join(accepted[:-1])} or {accepted[-1]} (in any case)",
                path=member,
                line=line,
            )
        return cls(
            header=[h.strip() for h in header],
            times=times,
            utc=frozenset(i for i, (_, utc) in enumerate(normal) if utc),
            date=date_column,
            text=text,
            actor=_first(names, ACTOR),
            link=_first(names, LINK),
            sources=[names.index(s) for s in SOURCE if s in names],
        )


# --------------------------------------------------------------------------- sniffing


def _delimiter(first_line: str, member: str) -> str:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    default = "\t" if member.lower().endswith(".tsv") else ","
    best = max(DELIMITERS, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def _first_line(text: str) -> tuple[int, str] | None:
    for number, line in enumerate(lines(text), start=1):
        if line.strip():
            return number, line
    return None


def sniff(archive: Archive) -> bool:
    if any(n.lower().endswith(SUFFIXES) for n in archive.names()):
        return True
    lone = lone_head(archive)
    if lone is None:
        return False
    name, head = lone
    first = _first_line(head)
    if first is None:
        return False
    delimiter = _delimiter(first[1], name)
    try:
        header = next(csv.reader([first[1]], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return False
    columns = [_normal(h)[0] for h in header]
    return any(t in columns for t in TIME) and any(t in columns for t in TEXT)


# --------------------------------------------------------------------------- reading


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    for member in require_members(archive, SUFFIXES, "a CSV timeline"):
        yield from read_member(member, archive.read(member), options)


def _decode(data: bytes, member: str) -> tuple[str, bool]:
    """The text, and whether some bytes were not UTF-8 (kept as escapes, reported per cell)."""
    if not data:
        raise PackError(
            "is empty (0 bytes); expected a header line such as time,actor,text",
            path=member,
            line=1,
        )
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8-sig", errors="surrogateescape"), True


def read_member(member: str, data: bytes, options: ImportOptions) -> Iterator[Event]:
    """The events of one CSV file, in the order of its rows."""
    text, escaped = _decode(data, member)
    first = _first_line(text)
    if first is None:
        raise PackError(
            "has only blank lines; expected a header line such as time,actor,text",
            path=member,
            line=1,
        )
    delimiter = _delimiter(first[1], member)
    layout: Layout | None = None
    for line, row in _rows(text, member, delimiter):
        if escaped:
            _check_bytes(row, line, member, layout)
        if layout is None:
            layout = Layout.of(row, member, line)
            continue
        event = _event(row, line, member, layout, options)
        if event is not None and options.keeps(event.at):
            yield event


def _rows(text: str, member: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on."""
    reader = csv.reader(lines(text), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _broken(text, start, reader.line_num, member, delimiter, exc) from None
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def _broken(
    text: str, start: int, end: int, member: str, delimiter: str, exc: csv.Error
) -> PackError:
    """An error for a row the csv module could not split, naming the cell at fault."""
    raw = "".join(line for n, line in enumerate(lines(text), start=1) if start <= n <= end)
    header_raw = _first_line(text)
    header: list[str] = []
    if header_raw is not None and header_raw[0] < start:
        try:
            header = next(csv.reader([header_raw[1]], delimiter=delimiter))
        except (csv.Error, StopIteration):
            header = []
    cell = _cell_at_fault(raw, delimiter)
    field = None
    if cell is not None:
        field = header[cell].strip() if cell < len(header) else f"column {cell + 1}"
    detail = str(exc)
    if "unexpected end of data" in detail:
        detail = "a quoted cell that starts on this line is never closed (a missing '\"')"
    elif "expected after" in detail:
        detail = f"a quoted cell has text after its closing quote ({detail})"
    return PackError(
        f"cannot split this row into cells: {detail}", path=member, line=start, field=field
    )


def _cell_at_fault(raw: str, delimiter: str) -> int | None:
    """Which cell of a raw row breaks the quoting rules: the one left open at the end, or
    the one with text after its closing quote."""
    cell = 0
    at_start = True
    quoted = False
    i = 0
    while i < len(raw):
        char = raw[i]
        if quoted:
            if char == '"':
                following = raw[i + 1] if i + 1 < len(raw) else ""
                if following == '"':
                    i += 1
                elif following in ("", "\r", "\n", delimiter):
                    quoted = False
                else:
                    return cell
        elif char == delimiter:
            cell += 1
            at_start = True
            i += 1
            continue
        elif char == '"' and at_start:
            quoted = True
        elif char in "\r\n":
            return None
        at_start = False
        i += 1
    return cell if quoted else None


def _check_bytes(row: list[str], line: int, member: str, layout: Layout | None) -> None:
    for index, cell in enumerate(row):
        bad = _ESCAPED.search(cell)
        if bad is None:
            continue
        field = f"column {index + 1}"
        if layout is not None and index < len(layout.header):
            field = layout.header[index]
        raise PackError(
            f"is not UTF-8 text (byte 0x{ord(bad.group()) - 0xDC00:02x} in this cell); "
            "save or export the file as UTF-8",
            path=member,
            line=line + cell[: bad.start()].count("\n"),
            field=field,
        )


def _event(
    row: list[str], line: int, member: str, layout: Layout, options: ImportOptions
) -> Event | None:
    width = len(layout.header)
    if len(row) < width:
        raise PackError(
            f"has {len(row)} cells where the header has {width}; a cell with a separator "
            "in it needs double quotes around it",
            path=member,
            line=line,
            field=layout.header[len(row)] or f"column {len(row) + 1}",
        )
    if any(cell.strip() for cell in row[width:]):
        raise PackError(
            f"has {len(row)} cells where the header has {width}; a cell with a separator "
            "in it needs double quotes around it",
            path=member,
            line=line,
            field=f"column {width + 1}",
        )
    at, zone = _time(row, line, member, layout, options)
    text = row[layout.text].strip()
    if not text:
        raise PackError(
            "has a time but no text", path=member, line=line, field=layout.header[layout.text]
        )
    where = f"{member}:{line}"
    source = next((row[i].strip() for i in layout.sources if row[i].strip()), None)
    actor = row[layout.actor].strip() if layout.actor is not None else ""
    link = row[layout.link].strip() if layout.link is not None else ""
    return Event(
        at=at,
        text=text,
        source=f"csv: {source}" if source else f"csv {member}",
        actor=actor or None,
        link=link or where,
        where=where,
        zone=zone,
    )


def _time(
    row: list[str], line: int, member: str, layout: Layout, options: ImportOptions
) -> tuple[datetime, Zone]:
    column = next((i for i in layout.times if row[i].strip()), None)
    if column is None:
        raise PackError("has no time", path=member, line=line, field=layout.header[layout.times[0]])
    value = row[column].strip()
    place = Place(member, line, layout.header[column] or f"column {column + 1}")
    if _normal(layout.header[column])[0] in EPOCH_COLUMNS and EPOCH.fullmatch(value):
        return epoch(value, place), "given"
    found = match(value)
    if found is None or found.end() != len(value):
        name = abbreviation(value, found.end()) if found is not None else None
        if name is not None:
            raise refuse_abbreviation(name, place)
        if DAY.fullmatch(value):
            raise place.error(f"'{value}' is a date without a time of day")
        raise place.error(f"cannot read '{value}' as a time; expected a form like {FORMATS}")
    moment = written(found, place)
    if moment.offset is None and column in layout.utc:
        moment = replace(moment, offset=timedelta(0))
    day = options.day
    if moment.day is None and layout.date is not None and row[layout.date].strip():
        day = _date_cell(row[layout.date].strip(), Place(member, line, layout.header[layout.date]))
    return to_utc(moment, day, options, place)


def _date_cell(value: str, place: Place) -> date:
    found = DAY.fullmatch(value)
    if found is None:
        raise place.error(f"cannot read '{value}' as a date; expected YYYY-MM-DD")
    try:
        return date(int(found.group("year")), int(found.group("month")), int(found.group("day")))
    except ValueError as exc:
        raise place.error(f"'{value}' is not a real date ({exc})") from None
