"""Facilitation outputs: the one-page brief, the agenda with time boxes, the calendar file.

Pure: a review (and, for the calendar, the caller's reading of the clock as ``now``) in,
Markdown text or iCalendar bytes out. Wording lives in ``data/meeting.yaml`` and the
templates under ``templates/meeting/``.

Calendar choices (RFC 5545, written by ``icalendar``):

- one VCALENDAR, ``METHOD:PUBLISH``, with up to three VEVENTs, all times in UTC (``Z``),
  so no VTIMEZONE is needed and every calendar app shows the same instant;
- the review meeting, from ``start`` for ``duration`` (default: the agenda's total);
- the pre-read deadline, a 15-minute event that *starts* at the deadline,
  ``pre_read_hours`` (24..48, default 24) before the meeting, marked free
  (``TRANSP:TRANSPARENT``) so it shows in the day view without blocking time; a VTODO
  would be more exact, but many calendar apps never show tasks from an imported file;
- the follow-up review as an all-day event (``VALUE=DATE``, DTEND the next day), when a
  date is known: ``follow_up``, else the Impact and Learnings review's next date, else the
  earliest follow-up date of an action still open or done but not yet verified;
- UIDs are ``<review-id>-<role>@hotwash``, so sending the file again updates the same
  entries instead of adding copies (raise ``sequence`` when sending a change);
- people appear by handle or role in DESCRIPTION only. No ATTENDEE lines (PUBLISH has
  none) and no invented ``mailto:``; ORGANIZER is written only for an e-mail address the
  caller gives, otherwise the organizer's handle goes into DESCRIPTION.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from .data import read_data
from .errors import UsageError
from .model import ActionStatus, AgendaItem, Kind, RetroFormat, Review
from .reference import AgendaLine, FormatInfo, defaults
from .render import environment, table
from .text import escape_cell, escape_item

DEFAULT_START = time(15, 0)
"""Start time :func:`default_start` picks on the review date, in the caller's time zone:
mid-afternoon, after most morning stand-ups, and 9:00 on the US east coast for a team in
central Europe."""

DEFAULT_PRE_READ_HOURS = 24
PRE_READ_HOURS = range(24, 49)
PRE_READ_LENGTH = timedelta(minutes=15)
MAX_MINUTES = 480
PRODID = "-//hotwash//hotwash review meeting//EN"

EventRole = Literal["meeting", "pre-read", "follow-up"]
_FOLLOWED_UP = (ActionStatus.OPEN, ActionStatus.DONE)


# --------------------------------------------------------------------------- data


class _MeetingData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    texts: dict[str, Any]
    retro_agendas: dict[str, list[AgendaLine]]


@cache
def _data() -> _MeetingData:
    return _MeetingData.model_validate(read_data("meeting"))


def _t() -> dict[str, Any]:
    return _data().texts


def format_key(fmt: RetroFormat) -> str:
    """The key of a retro format in defaults.yaml and meeting.yaml (``start_stop_continue``)."""
    return fmt.value.replace(" ", "_")


def _format_info(review: Review) -> FormatInfo | None:
    if review.retro_format is None:
        return None
    return defaults().retro_formats.get(format_key(review.retro_format))


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- agenda


def default_agenda(kind: Kind | str, retro_format: RetroFormat | None = None) -> list[AgendaItem]:
    """The agenda hotwash suggests for a kind; a retro's follows its format's columns."""
    kind = Kind(kind)
    if kind is Kind.RETRO and retro_format is not None:
        key = format_key(retro_format)
        info = defaults().retro_formats.get(key)
        lines = _data().retro_agendas.get(key)
        if info is not None and lines:
            columns = _joined(list(info.columns))
            return [
                AgendaItem(minutes=a.minutes, item=a.item.replace("{columns}", columns))
                for a in lines
            ]
    return [AgendaItem(minutes=a.minutes, item=a.item) for a in defaults().agenda[kind.value]]


def agenda_for(review: Review, *, minutes: int | None = None) -> list[AgendaItem]:
    """The review's own agenda, else the default for its kind (and retro format).

    A retro whose agenda is still the generic one a new skeleton starts with gets its
    format's agenda instead. With ``minutes`` the time boxes are scaled to fill exactly
    that many minutes (see :func:`scale_agenda`).
    """
    own = [AgendaItem(minutes=a.minutes, item=a.item) for a in review.brief.agenda]
    generic = default_agenda(review.kind)
    if not own or (review.kind is Kind.RETRO and _same(own, generic)):
        items = default_agenda(review.kind, review.retro_format)
    else:
        items = own
    return items if minutes is None else scale_agenda(items, minutes)


def _same(a: list[AgendaItem], b: list[AgendaItem]) -> bool:
    return [(x.minutes, x.item) for x in a] == [(x.minutes, x.item) for x in b]


def scale_agenda(items: list[AgendaItem], minutes: int) -> list[AgendaItem]:
    """The same items with time boxes in proportion to the originals, summing to ``minutes``.

    Every box keeps at least one minute; the rounding goes to the boxes furthest from their
    exact share (largest remainder), earlier boxes first on a tie. Scaling to the current
    total changes nothing.
    """
    if not items:
        raise UsageError("there is no agenda to fit into the time given")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise UsageError(f"the meeting length must be a whole number of minutes, got {minutes!r}")
    count = len(items)
    if not count <= minutes <= MAX_MINUTES:
        raise UsageError(
            f"cannot fit {count} agenda items into {minutes} minutes: give between "
            f"{count} (one minute each) and {MAX_MINUTES} minutes"
        )
    total = sum(item.minutes for item in items)
    ideal = [Fraction(item.minutes * minutes, total) for item in items]
    boxes = [max(1, int(share)) for share in ideal]
    while sum(boxes) < minutes:
        k = max(range(count), key=lambda i: (ideal[i] - boxes[i], -i))
        boxes[k] += 1
    while sum(boxes) > minutes:
        k = min((i for i in range(count) if boxes[i] > 1), key=lambda i: (ideal[i] - boxes[i], i))
        boxes[k] -= 1
    return [AgendaItem(minutes=m, item=item.item) for m, item in zip(boxes, items, strict=True)]


def clock(minutes: int) -> str:
    """An offset from the start of the meeting: 65 -> ``1:05``."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda_rows(items: list[AgendaItem]) -> list[tuple[str, int, str]]:
    """(``0:00-0:05``, minutes, item) for each time box, in order."""
    rows = []
    at = 0
    for item in items:
        rows.append((f"{clock(at)}-{clock(at + item.minutes)}", item.minutes, item.item))
        at += item.minutes
    return rows


def _agenda_table(items: list[AgendaItem]) -> str:
    t = _t()
    rows = [[span, str(m), escape_cell(text)] for span, m, text in agenda_rows(items)]
    return table([t["agenda_time"], t["agenda_minutes"], t["agenda_item"]], rows)


def agenda_markdown(review: Review, minutes: int | None = None) -> str:
    """The agenda as Markdown: a table of time boxes with their start and end offsets."""
    t = _t()
    items = agenda_for(review, minutes=minutes)
    original = sum(a.minutes for a in agenda_for(review))
    total = sum(a.minutes for a in items)
    notes = [t["agenda_total"].format(minutes=total, count=len(items))]
    if minutes is not None and original != total:
        notes.append(t["agenda_scaled"].format(original=original, minutes=total))
    text = (
        environment()
        .get_template("meeting/agenda.md.j2")
        .render(
            t=t,
            title=review.title,
            kind=t["kinds"][review.kind.value],
            retro_format=_format_label(review),
            notes=notes,
            table=_agenda_table(items),
        )
    )
    return _tidy(text)


def _format_label(review: Review) -> str | None:
    info = _format_info(review)
    if info is None:
        return None
    return f"{info.title} ({', '.join(info.columns)})"


# --------------------------------------------------------------------------- brief


def brief_markdown(review: Review) -> str:
    """The one-page brief sent before the meeting; undecided parts are listed, not blank."""
    t = _t()
    brief = review.brief
    roles = [
        ("facilitator", brief.roles.facilitator),
        ("scribe", brief.roles.scribe),
        ("decision_owner", brief.roles.decision_owner),
    ]
    default_rules = [" ".join(rule.split()) for rule in defaults().ground_rules]
    rules = list(brief.ground_rules) or default_rules
    missing = [
        t[f"missing_{name}"]
        for name, empty in [
            ("goal", brief.goal is None),
            ("purpose", not review.purposes),
            *((role, who is None) for role, who in roles),
            ("attendees", not brief.attendees),
            ("audience", not brief.audience),
            ("constraints", not brief.constraints),
            ("ground_rules", not brief.ground_rules),
            ("pre_reads", not brief.pre_reads),
            ("date", review.review_date is None),
        ]
        if empty
    ]
    items = agenda_for(review)

    def bullets(values: list[str]) -> list[str]:
        return [escape_item(v) for v in values]

    text = (
        environment()
        .get_template("meeting/brief.md.j2")
        .render(
            t=t,
            title=review.title,
            kind=t["kinds"][review.kind.value],
            retro_format=_format_label(review),
            date=review.review_date.isoformat() if review.review_date else None,
            agenda_total=t["agenda_total"].format(
                minutes=sum(a.minutes for a in items), count=len(items)
            ),
            missing=missing,
            goal=brief.goal,
            purposes=[p.value for p in review.purposes],
            roles=table(
                [t["roles_role"], t["roles_who"]],
                [[t[f"role_{role}"], who or f"*{t['not_decided']}*"] for role, who in roles],
            ),
            attendees=bullets(brief.attendees),
            audience=bullets(brief.audience),
            constraints=bullets(brief.constraints),
            ground_rules=bullets(rules),
            rules_are_defaults=rules == default_rules,
            pre_reads=bullets(brief.pre_reads),
            agenda=_agenda_table(items),
        )
    )
    return _tidy(text)


def _tidy(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- time


def zone_named(name: str) -> ZoneInfo:
    """An IANA time zone (``Europe/Berlin``), or a UsageError naming what was wrong."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        raise UsageError(
            f"unknown time zone {name!r}: give an IANA name such as Europe/Berlin or UTC"
        ) from None


def default_start(review: Review, tz: tzinfo | str, *, at: time = DEFAULT_START) -> datetime | None:
    """The review date at ``at`` (15:00 unless told) in ``tz``; None while there is no date."""
    if review.review_date is None:
        return None
    zone = zone_named(tz) if isinstance(tz, str) else tz
    return datetime.combine(review.review_date, at, tzinfo=zone)


def _aware_utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise UsageError(f"{name} must be a date and time, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise UsageError(
            f"{name} {value.isoformat()} has no time zone: give an offset or a zone name"
        )
    return value.astimezone(UTC).replace(microsecond=0)


def follow_up_date(review: Review) -> date | None:
    """When the follow-up review is: the Impact and Learnings review's next date, else the
    earliest follow-up of an action still open or done but not yet verified."""
    if review.recurring_review.next_date is not None:
        return review.recurring_review.next_date
    dates = [a.follow_up for a in review.actions if a.status in _FOLLOWED_UP and a.follow_up]
    return min(dates) if dates else None


def event_uid(review: Review, role: EventRole) -> str:
    """The stable UID of one calendar entry of a review."""
    return f"{review.id}-{role}@hotwash"


# --------------------------------------------------------------------------- calendar

_EMAIL = re.compile(
    r"^[^@\s:<>,;\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_WEB = re.compile(r"^https?://[^\s<>\"]+$")


def _organizer(value: str | None) -> tuple[str | None, str | None]:
    """(calendar address, text for the description): only a real e-mail address becomes a
    ``mailto:``; a handle or a role is kept as text."""
    text = (value or "").strip()
    if not text:
        return None, None
    bare = text[7:] if text.lower().startswith("mailto:") else text
    if _EMAIL.match(bare):
        return f"mailto:{bare}", None
    return None, text


def _when(start: datetime, end: datetime, zone: tzinfo | None, name: str | None) -> str:
    def span(a: datetime, b: datetime, label: str) -> str:
        tail = b.strftime("%H:%M") if a.date() == b.date() else b.strftime("%Y-%m-%d %H:%M")
        return f"{a.strftime('%Y-%m-%d %H:%M')}-{tail} {label}"

    utc = span(start, end, "UTC")
    if zone is None or name in (None, "UTC"):
        return utc
    return f"{span(start.astimezone(zone), end.astimezone(zone), name or '')} ({utc})"


def _clean(text: str) -> str:
    """Text without control characters other than tab and line break (RFC 5545 TEXT), and
    without U+FEFF (a byte-order mark pasted into a title), which the writer drops anyway."""
    return "".join(
        c for c in text if c in "\t\n" or (unicodedata.category(c) != "Cc" and c != "\ufeff")
    )


def _moment(at: datetime, zone: tzinfo | None, name: str | None) -> str:
    utc = f"{at.strftime('%Y-%m-%d %H:%M')} UTC"
    if zone is None or name in (None, "UTC"):
        return utc
    return f"{at.astimezone(zone).strftime('%Y-%m-%d %H:%M')} {name} ({utc})"


def _zone_of(start: datetime, tz_name: str | None) -> tuple[tzinfo | None, str | None]:
    if tz_name:
        return zone_named(tz_name), tz_name
    key = getattr(start.tzinfo, "key", None)
    if isinstance(start.tzinfo, ZoneInfo) and isinstance(key, str):
        return start.tzinfo, key
    return None, None


def calendar(
    review: Review,
    *,
    start: datetime,
    duration: timedelta | None = None,
    now: datetime,
    organizer: str | None = None,
    tz_name: str | None = None,
    location: str | None = None,
    pre_read_hours: int = DEFAULT_PRE_READ_HOURS,
    follow_up: date | None = None,
    sequence: int = 0,
) -> bytes:
    """The review's calendar file (RFC 5545): the meeting, the pre-read deadline and, when a
    date is known, the follow-up review. ``start`` and ``now`` must carry a time zone;
    ``tz_name`` (default: the zone of ``start``) only decides how local times are written
    in the descriptions. See the module text for the choices made."""
    import icalendar

    begin = _aware_utc(start, "the start")
    stamp = _aware_utc(now, "now")
    if isinstance(pre_read_hours, bool) or pre_read_hours not in PRE_READ_HOURS:
        raise UsageError(
            f"pre-reads are due 24 to 48 hours before the meeting, got {pre_read_hours!r} hours"
        )
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise UsageError(f"the sequence number must be 0 or more, got {sequence!r}")
    items = agenda_for(review)
    if duration is None:
        duration = timedelta(minutes=sum(a.minutes for a in items))
    if not isinstance(duration, timedelta) or duration <= timedelta(0):
        raise UsageError(f"the meeting length must be more than zero, got {duration!r}")
    whole, rest = divmod(duration, timedelta(minutes=1))
    if not rest and len(items) <= whole <= MAX_MINUTES:
        items = scale_agenda(items, whole)
    end = begin + duration
    zone, zone_label = _zone_of(start, tz_name)
    address, organizer_text = _organizer(organizer)
    place = _clean(" ".join((location or "").split())) or None
    url = review.location if review.location and _WEB.match(review.location) else None
    deadline = begin - timedelta(hours=pre_read_hours)
    follow = follow_up if follow_up is not None else follow_up_date(review)

    t = _t()
    template = environment().get_template("meeting/invite.txt.j2")
    brief = review.brief
    common: dict[str, Any] = {
        "t": t,
        "title": review.title,
        "kind": t["kinds"][review.kind.value],
        "when": _when(begin, end, zone, zone_label),
        "deadline": _moment(deadline, zone, zone_label),
        "goal": " ".join(brief.goal.split()) if brief.goal else None,
        "roles": [
            (t["role_facilitator"], brief.roles.facilitator),
            (t["role_scribe"], brief.roles.scribe),
            (t["role_decision_owner"], brief.roles.decision_owner),
        ],
        "attendees": list(brief.attendees),
        "organizer": organizer_text,
        "document": review.location,
        "agenda": agenda_rows(items),
        "pre_reads": list(brief.pre_reads),
    }

    def describe(part: EventRole, **extra: Any) -> str:
        return _clean(_tidy(template.render(part=part, **common, **extra)).rstrip("\n"))

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")

    def event(role: EventRole, summary: str, description: str) -> Any:
        ev = icalendar.Event()
        ev.add("uid", event_uid(review, role))
        ev.add("dtstamp", stamp)
        ev.add("summary", _clean(summary))
        ev.add("description", description)
        if sequence:
            ev.add("sequence", sequence)
        if address:
            ev.add("organizer", address)
        if url:
            ev.add("url", url)
        return ev

    meeting = event("meeting", review.title, describe("meeting"))
    meeting.add("dtstart", begin)
    meeting.add("dtend", end)
    if place:
        meeting.add("location", place)
    cal.add_component(meeting)

    pre_read = event(
        "pre-read", t["summary_pre_read"].format(title=review.title), describe("pre-read")
    )
    pre_read.add("dtstart", deadline)
    pre_read.add("dtend", deadline + PRE_READ_LENGTH)
    pre_read.add("transp", "TRANSPARENT")
    cal.add_component(pre_read)

    if follow is not None:
        rec = review.recurring_review
        due = [a for a in review.actions if a.status in _FOLLOWED_UP and a.follow_up == follow]
        pending = [a for a in review.actions if a.status in _FOLLOWED_UP]
        text = describe(
            "follow-up",
            recurring=rec if rec.next_date == follow else None,
            due=[(a.id, a.owner, a.text) for a in due],
            pending=len(pending),
        )
        later = event("follow-up", t["summary_follow_up"].format(title=review.title), text)
        later.add("dtstart", follow)
        later.add("dtend", follow + timedelta(days=1))
        later.add("transp", "TRANSPARENT")
        cal.add_component(later)

    data: bytes = cal.to_ical()
    return data
