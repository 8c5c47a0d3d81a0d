"""Map any Markdown post-mortem onto the review model, as far as it goes.

Headings are matched by synonyms (data/synonyms.yaml), tables by the shape of their
header row. What maps becomes review fields, each remembered with its line; what does
not map is reported as a note (rule HW001/HW002), never an error. Nothing here raises on
odd input: a document that maps to nothing is an empty review with notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from .checks import Finding, load_rules, shared_finding
from .data import read_data
from .markdown import Block, read_blocks, split_row
from .model import Review
from .parse import line_in
from .text import unescape_cell, unescape_item
from .values import slugify

Loc = tuple[str | int, ...]


@dataclass
class Mapped:
    review: Review
    where: dict[Loc, int]
    notes: list[Finding] = field(default_factory=list)

    def line(self, loc: Loc) -> int | None:
        return line_in(self.where, loc)


@dataclass(frozen=True)
class Synonyms:
    headings: dict[str, str]
    prose_only: frozenset[str]
    columns: dict[str, frozenset[str]]


@cache
def _norm(heading: str) -> str:
    text = re.sub(r"[*_`]", "", heading).strip().lower()
    text = re.sub(r"^[\W\d]*?(?:\d+(?:\.\d+)*[.)]?\s+)", "", text)  # numbering
    text = re.sub(r"[^\w\s;'/&()-]", "", text)  # emoji, punctuation at the ends
    return re.sub(r"\s+", " ", text).strip(" :-")


@cache
def load_synonyms() -> Synonyms:

    raw = read_data("synonyms")
    headings = {_norm(h): target for target, names in raw["headings"].items() for h in names}
    return Synonyms(
        headings=headings,
        prose_only=frozenset(_norm(h) for h in raw["prose_only"]),
        columns={k: frozenset(v) for k, v in raw["columns"].items()},
    )


_KIND_HINTS: Final = (
    ("premortem", re.compile(r"pre-?mortem", re.I)),
    ("okr", re.compile(r"\bokrs?\b|key results?", re.I)),
    ("retro", re.compile(r"\bretro(?:spective)?\b|\bsprint\b", re.I)),
    ("project", re.compile(r"\bproject review\b|\blaunch review\b", re.I)),
)
# No digit before the date: checked after its first character, so that the pattern starts
# with a character set the regex engine can skip to (a leading lookbehind tries every
# position; this reads a document's first 3,000 characters three times faster).
_DATE: Final = re.compile(r"((?:1(?<!\d1)9|2(?<!\d2)0)\d\d)-(\d\d)-(\d\d)(?!\d)")
_TIME_ONLY: Final = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:utc|z|gmt)?\s*$", re.I)
_BULLET_TIME: Final = re.compile(
    r"^\s*(?:\*\*|__)?(?P<date>\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}(?:/\d{2,4})?)?[ T,]*"
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<ampm>[ap]\.?m\.?)?\s*"
    r"(?P<zone>utc|gmt|z|[pmce][sd]?t|ist|bst|cest|cet)?(?![\w])(?:\*\*|__)?\s*"
    r"(?:\([^)]*\))?\s*[-—–:|]*\s*(?P<text>.+)$",
    re.I,
)
_YEAR: Final = re.compile(r"(?:19|20)\d\d")
_EMPHASIS: Final = re.compile(r"[*_`]")
_CLOCK: Final = re.compile(r"\d{1,2}:\d{2}")
_OWNER: Final = re.compile(r"@[A-Za-z0-9][A-Za-z0-9._-]*")
_PRIORITY: Final = re.compile(r"P[0-2]")
_COLUMN_END: Final = re.compile(r"\s*[(:]")
_NUMBER: Final = re.compile(
    r"(?P<approx>~|≈|about |around |approximately |roughly |nearly )?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|[A-Za-z$€£][\w/$€£-]*)?",
    re.I,
)


@cache
def _heading_keys(key: str) -> tuple[str, ...]:
    """The heading, then without a parenthesis or what follows a colon, then each shorter
    run of its first words ("timeline (all times pst) ..." -> "timeline"), then of its
    last words ("incident impact" -> "impact")."""
    keys = [key]
    short = re.split(r"\s*[(:.]", key, maxsplit=1)[0].strip()
    if short and short != key:
        keys.append(short)
    words = short.split()
    keys += [" ".join(words[:n]) for n in range(len(words) - 1, 0, -1)]
    keys += [" ".join(words[n:]) for n in range(1, len(words))]  # "incident impact"
    return tuple(keys)


def _lookup(syn: Synonyms, key: str) -> str | None:
    for candidate in _heading_keys(key):
        if candidate in syn.headings:
            return syn.headings[candidate]
    return None


def _lookup_prose(syn: Synonyms, key: str) -> str | None:
    for candidate in _heading_keys(key):
        if candidate in syn.prose_only:
            return candidate
    return None


_DIGIT: Final = re.compile(r"\d")
_APPROX_MAX: Final = len("approximately ")  # the longest "approx" of _NUMBER

_ZONES: Final = {
    "utc": "UTC",
    "gmt": "UTC",
    "z": "UTC",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mt": "America/Denver",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "ct": "America/Chicago",
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "ist": "Asia/Kolkata",
}
_ZONE_WORD: Final = re.compile(
    r"\b(" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")\b", re.I
)


def _zone_in(text: str) -> str | None:
    m = _ZONE_WORD.search(text)
    return _ZONES[m.group(1).lower()] if m else None


_US_DATE: Final = re.compile(r"(\d(?<!\d\d)\d?)[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")  # as _DATE
_LONG_DATE: Final = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+(\d{4})\b",
    re.I,
)
_MONTHS: Final = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]


def _date_in(text: str) -> date | None:
    """The first date written in ``text``: ISO, US month/day/year, or 'May 10th, 2021'."""
    for rx, order in ((_DATE, "ymd"), (_US_DATE, "mdy"), (_LONG_DATE, "Mdy")):
        m = rx.search(text)
        if not m:
            continue
        a, b, c = m.groups()
        try:
            if order == "ymd":
                return date(int(a), int(b), int(c))
            if order == "mdy":
                year = int(c) + (2000 if len(c) == 2 else 0)
                return date(year, int(a), int(b))
            return date(int(c), _MONTHS.index(a[:3].lower()) + 1, int(b))
        except ValueError:
            continue
    return None


def _kind_of(title: str, headings: list[str]) -> str:
    for kind, rx in _KIND_HINTS:
        if rx.search(title):
            return kind
    return "incident"


def _doc_date(text: str, name: str) -> date | None:
    for source, end in ((name, len(name)), (text, 3000)):
        m = _DATE.search(source, 0, end)  # an end, not a slice: the same as text[:3000]
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def _has_emphasis(text: str) -> bool:
    """Whether ``text`` holds any character ``_EMPHASIS`` takes out."""
    return "*" in text or "_" in text or "`" in text


def _instant(raw: str, day: date | None, zone: str = "UTC") -> datetime | None:
    """A time written in a foreign document, in UTC; ``day`` and ``zone`` fill what it lacks."""
    text = (_EMPHASIS.sub("", raw) if _has_emphasis(raw) else raw).strip()
    m = _BULLET_TIME.match(text + " x")
    clock = m.group("time") if m else None
    if m and clock:
        written, ampm, zone_word = m.group("date", "ampm", "zone")
        when = _date_in(written) if written else None
        if written and when is None and "/" in written and day is not None:
            pieces = written.split("/")
            month, dom = int(pieces[0]), int(pieces[1])
            try:
                when = date(day.year, month, dom)
            except ValueError:
                return None
        when = when or day
        if when is None:
            return None
        parts = clock.split(":")
        hour, minute = int(parts[0]), int(parts[1])
        second = int(parts[2]) if len(parts) > 2 else 0
        if ampm:
            ampm = ampm.lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
        tz = _ZONES.get(zone_word.lower(), zone) if zone_word else zone
        try:
            # tzinfo by position (after microsecond): a keyword doubles the call's cost
            local = datetime(when.year, when.month, when.day, hour, minute, second, 0, ZoneInfo(tz))
        except (ValueError, KeyError):
            return None
        return local.astimezone(UTC)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


class _Mapper:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.syn = load_synonyms()
        self.rules = load_rules()
        self.where: dict[Loc, int] = {}
        self.notes: list[Finding] = []
        self.data: dict[str, list[Any]] = {}
        self.prose: dict[str, list[str]] = {}
        self.day = _doc_date(text, name)
        self.zone = "UTC"
        self.front: dict[str, Any] = {}

    def note(self, rule: str, line: int | None, params: dict[str, Any]) -> None:
        self.notes.append(shared_finding(self.rules[rule], params, line, ()))

    def run(self) -> Mapped:
        body, first = self.text, 1
        front: dict[str, Any] = {}
        if body.startswith("---\n"):
            end = body.find("\n---", 4)
            if end > 0:
                front = _safe_yaml(body[4:end])
                first = body.count("\n", 0, end + 4) + 2
                body = body[end + 4 :].split("\n", 1)[-1]
        try:
            blocks = read_blocks(body, first_line=first)
        except Exception:  # any Markdown the parser rejects maps to nothing
            blocks = []
        self.front = front
        title = str(front.get("title") or "")
        for key in ("date", "start_time", "started"):
            if front.get(key) and self.day is None:
                self.day = _date_in(str(front[key]))
        if isinstance(front.get("summary"), str):
            self.prose.setdefault("summary", []).append(front["summary"])
        target: str | None = "summary"  # text before the first section reads as a summary
        headings: list[str] = []
        for block in blocks:
            if block.kind == "heading":
                heading = _one_line(block.text)
                headings.append(heading)
                if block.level == 1 and not title:
                    title = heading
                    target = "summary"  # text between the title and the first section
                    continue
                key = _norm(heading)
                target = _lookup(self.syn, key)
                if target == "timeline":
                    self.zone = _zone_in(heading) or self.zone
                    self.day = _date_in(heading) or self.day
                if target is None and _lookup_prose(self.syn, key) is None:
                    self.note("unmapped-section", block.line, {"heading": heading})
                if target in ("detection", "resolution"):
                    target = None
                continue
            if target is not None and not block.is_comment:
                self._take(target, block)
        title = title or re.sub(r"[-_]+", " ", self.name.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
        return self._build(title, _kind_of(title, headings))

    # ----------------------------------------------------------------- blocks

    def _take(self, target: str, block: Block) -> None:
        if block.kind == "table":
            if target in ("timeline", "actions"):
                self._table(target, block)
            else:
                for row in block.rows[1:]:
                    cells = [unescape_cell(c) for c in split_row(row.raw)]
                    self._item(target, " — ".join([c for c in cells if c]), row.line)
        elif block.kind == "list":
            for item in block.items:
                self._item(target, unescape_item(item.raw), item.line)
        elif block.kind in ("paragraph", "quote"):
            if target == "summary" or target == "goal":
                self.prose.setdefault(target, []).append(block.raw.strip())
                self.where.setdefault((target,), block.line)
            elif target == "timeline":
                for i, line in enumerate(block.raw.splitlines()):
                    if _CLOCK.search(line):  # other lines are notes
                        self._item(target, line, block.line + i)
            else:
                self._item(target, block.raw, block.line)

    def _item(self, target: str, text: str, line: int) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if target in ("summary", "goal"):
            self.prose.setdefault(target, []).append(text)
            self.where.setdefault((target,), line)
            return
        rows = self.data.setdefault(target, [])
        if target == "timeline":
            m = _BULLET_TIME.match(text)
            at = _instant(text, self.day, self.zone) if m else None
            if m is None or at is None:
                self.note(
                    "unread-entry",
                    line,
                    {"what": "A timeline entry", "reason": "no time of day with a known date"},
                )
                return
            rows.append({"at": at, "text": m.group("text")})
        elif target == "actions" or target == "factors":
            rows.append({"text": text})
        elif target == "impact":
            rows.append(_impact(text))
        elif target == "learnings" or target in ("whys", "kill_criteria", "decisions"):
            rows.append({"text": text})
        else:
            rows.append(text)
        self.where[(target, len(rows) - 1)] = line

    def _table(self, target: str, block: Block) -> None:
        header = [_norm(unescape_cell(c)) for c in split_row(block.rows[0].raw)]
        roles = self._roles(header, target)
        rows = self.data.setdefault(target, [])
        for row in block.rows[1:]:
            cells = [unescape_cell(c) for c in split_row(row.raw)]
            if target == "timeline":
                written = _cell(cells, roles, "date")
                clock = _cell(cells, roles, "time")
                day = _date_in(written) if written else None
                if day is None and written and "date" in roles:
                    year = _YEAR.search(header[roles["date"]])
                    day = _date_in(f"{written} {year.group(0)}") if year else None
                at = _instant(clock or written, day or self.day, self.zone)
                text = _cell(cells, roles, "event")
                if not text:
                    skip = roles.get("time")
                    text = " ".join([c for i, c in enumerate(cells) if i != skip])
                if at is None or not text.strip():
                    self.note(
                        "unread-entry",
                        row.line,
                        {
                            "what": "A timeline row",
                            "reason": f"the time '{clock}' has no date or is not a time",
                        },
                    )
                    continue
                entry: dict[str, Any] = {"at": at, "text": text}
                actor = _cell(cells, roles, "actor")
                if actor:
                    entry["actor"] = actor
                source = _cell(cells, roles, "source")
                if source:
                    entry["source"] = source
                rows.append(entry)
            else:
                text = _cell(cells, roles, "action") or _first_long(cells)
                if not text.strip():
                    continue
                action: dict[str, Any] = {"text": text}
                owner = _cell(cells, roles, "owner").strip()
                if owner:
                    if _OWNER.fullmatch(owner):
                        action["owner"] = owner
                    else:
                        self.note(
                            "unread-entry",
                            row.line,
                            {
                                "what": f"The owner '{owner}'",
                                "reason": "an owner is one person's @handle",
                            },
                        )
                prio = _cell(cells, roles, "priority").strip().upper()
                if _PRIORITY.fullmatch(prio):
                    action["priority"] = prio
                due = _cell(cells, roles, "due").strip()
                if due and _DATE.fullmatch(due):
                    action["due"] = due
                ticket = _cell(cells, roles, "ticket")
                if ticket:
                    action["ticket"] = ticket
                rows.append(action)
            self.where[(target, len(rows) - 1)] = row.line

    def _roles(self, header: list[str], target: str) -> dict[str, int]:
        roles, zone = _roles(self.syn, tuple(header), target)
        self.zone = zone or self.zone
        return roles

    # ----------------------------------------------------------------- the review

    def _build(self, title: str, kind: str) -> Mapped:
        data: dict[str, Any] = {
            "id": slugify(title),
            "kind": kind,
            "title": title[:200] or "untitled",
        }
        for target, parts in self.prose.items():
            text = "\n\n".join([p for p in parts if not p.lstrip().startswith("#")])
            if target == "goal":
                data.setdefault("brief", {})["goal"] = text or None
            else:
                data[target] = text or None
        # Rows are validated with the review, in one pass; a row that does not fit is
        # dropped with a note and the rest are tried again (ids follow the rows kept).
        rows: dict[str, list[tuple[int, Any]]] = {}
        for target, found in self.data.items():
            if target in ("whys", "kill_criteria", "decisions"):
                continue  # free text cannot become these structured parts
            # Every other row is a one-line text already (see _item), kept as it is.
            rows[target] = list(enumerate(found))
        stamps = {}
        for key, moment in (("start_time", "started"), ("end_time", "resolved")):
            value = self.front.get(key)
            if value:
                at = _instant(str(value), None) if not isinstance(value, datetime) else value
                if isinstance(at, datetime):
                    stamps[moment] = at if at.tzinfo else at.replace(tzinfo=UTC)
        if stamps:
            data["key_timestamps"] = stamps
        while True:
            attempt = dict(data)
            for target, kept in rows.items():
                prefix = _ID_PREFIX.get(target)
                values = (
                    [{"id": f"{prefix}{n}", **row} for n, (_, row) in enumerate(kept, 1)]
                    if prefix
                    else [row for _, row in kept]
                )
                if target == "attendees":
                    attempt["brief"] = {**attempt.get("brief", {}), "attendees": values}
                elif values:
                    attempt[target] = values
            try:
                review = Review.model_validate(attempt)
                break
            except ValidationError as exc:
                bad = _bad_rows(exc, rows)
                if not bad:  # should not happen: rows are the only part that can fail
                    self.note(
                        "unread-entry",
                        None,
                        {"what": "The document", "reason": str(exc.errors()[0])},
                    )
                    review = Review.model_validate({k: data[k] for k in ("id", "kind", "title")})
                    rows = {}
                    break
                for target, n in bad:
                    self.note(
                        "unread-entry",
                        self.where.get((target, rows[target][n][0])),
                        {"what": "An entry", "reason": f"it does not fit '{target}'"},
                    )
                for target, n in reversed(bad):
                    del rows[target][n]
        for target, kept in rows.items():
            if len(kept) == len(self.data[target]):
                continue  # nothing dropped: each row is where it was found
            lines = [self.where.get((target, i), 0) for i, _ in kept]
            for n, line in enumerate(lines):
                self.where[(target, n)] = line
        return Mapped(review, self.where, self.notes)


_ID_PREFIX: Final = {"factors": "F", "learnings": "L", "actions": "A"}


def _bad_rows(
    exc: ValidationError, rows: dict[str, list[tuple[int, Any]]]
) -> list[tuple[str, int]]:
    """(target, position) of each row an error points into, in document order; none when
    an error is about anything but a row."""
    bad: set[tuple[str, int]] = set()
    for error in exc.errors():
        loc = error["loc"]
        if loc[:2] == ("brief", "attendees"):
            loc = loc[1:]
        if len(loc) < 2 or loc[0] not in rows or not isinstance(loc[1], int):
            return []
        bad.add((str(loc[0]), loc[1]))
    order = list(rows)
    return sorted(bad, key=lambda b: (order.index(b[0]), b[1]))


_ROLES: dict[tuple[int, tuple[str, ...], str], tuple[dict[str, int], str | None]] = {}


def _roles(
    syn: Synonyms, header: tuple[str, ...], target: str
) -> tuple[dict[str, int], str | None]:
    """Which column holds which part (time, event, owner, ...), and the zone the time
    column's name gives. Tables repeat their headers, so each header is read once."""
    key = (id(syn), header, target)
    held = _ROLES.get(key)
    if held is not None:
        return dict(held[0]), held[1]
    wanted = (
        ("time", "date", "event", "actor", "source")
        if target == "timeline"
        else ("action", "owner", "priority", "due", "ticket", "status")
    )
    roles: dict[str, int] = {}
    zone = None
    for role in wanted:
        for i, name in enumerate(header):
            first = _COLUMN_END.split(name, maxsplit=1)[0]
            if (name in syn.columns[role] or first in syn.columns[role]) and (
                i not in roles.values()
            ):
                roles[role] = i
                if role == "time":
                    zone = _zone_in(name)
                break
    if len(_ROLES) > 10_000:
        _ROLES.clear()
    _ROLES[key] = (roles, zone)
    return dict(roles), zone


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    """The cell of a table row that holds ``role``, or "" if no column or cell does."""
    i = roles.get(role)
    return cells[i] if i is not None and i < len(cells) else ""


def _first_long(cells: list[str]) -> str:
    """The first cell longer than twelve characters, or ""."""
    for c in cells:
        if len(c) > 12:
            return c
    return ""


def _impact(text: str) -> dict[str, Any]:
    # A number starts at a digit, its "about" at most 14 characters before: the search
    # starts there, so _NUMBER (no anchors, no lookbehind) finds what it finds from 0.
    digit = _DIGIT.search(text)
    m = None if digit is None else _NUMBER.search(text, max(0, digit.start() - _APPROX_MAX))
    row: dict[str, Any] = {"measure": text}
    if m:
        row["value"] = m.group("num").replace(",", "")
        row["approx"] = bool(m.group("approx"))
        if m.group("unit"):
            row["unit"] = m.group("unit")
    return row


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _safe_yaml(text: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def map_document(text: str, *, name: str = "document") -> Mapped:
    """Map a Markdown post-mortem of any format onto a Review, with notes on what did not fit."""
    return _Mapper(text, name).run()
