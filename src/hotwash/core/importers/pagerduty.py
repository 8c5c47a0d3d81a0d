"""PagerDuty REST API v2 responses, saved as JSON files.

Accepted shapes, one a file: ``{"incident": {...}}``, ``{"incidents": [...]}``,
``{"log_entries": [...]}``, ``{"log_entry": {...}}``, ``{"alerts": [...]}``,
``{"alert": {...}}``, ``{"note": {...}}``, ``{"notes": [...]}``, a bare list of incidents,
alerts or log entries, or one of those objects on its own.

An incident gives its trigger (``alerted``), its assignments, its acknowledgements
(``acknowledged``) and its last status change when that is an acknowledgement or a
resolution. A log entry is read by its type: trigger (``alerted``), acknowledge
(``acknowledged``), escalate, assign and delegate (``escalated``), resolve (``resolved``),
annotate (the note), notify (who was notified and how); other types keep PagerDuty's
summary, or a few words of their own, and no moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..evidence import Archive, Event, ImportOptions
from . import require_members
from ._jsondoc import (
    JSON,
    Reader,
    first,
    first_document,
    key,
    one_line,
    parse,
    safely,
)

NAME = "pagerduty"
WHAT = (
    "a PagerDuty REST API response (an object with incident, incidents, log_entries, "
    "alerts or notes, or a list of incidents, alerts or log entries)"
)

SINGLE = {"incident": "incident", "alert": "alert", "log_entry": "log", "note": "note"}
LISTS = {"incidents": "incident", "alerts": "alert", "log_entries": "log", "notes": "note"}
LOG_MOMENTS = {
    "trigger": "alerted",
    "acknowledge": "acknowledged",
    "escalate": "escalated",
    "assign": "escalated",
    "delegate": "escalated",
    "resolve": "resolved",
}
LOG_TEXTS = {
    "trigger": "Incident triggered",
    "acknowledge": "Incident acknowledged",
    "escalate": "Incident escalated",
    "assign": "Incident reassigned",
    "resolve": "Incident resolved",
    "annotate": "Note added",
    "unacknowledge": "Acknowledgement timed out; incident triggered again",
    "delegate": "Incident handed to another escalation policy",
    "snooze": "Incident snoozed",
    "exhaust_escalation_path": "Escalation policy ran out of levels",
    "repeat_escalation_path": "Escalation policy started again from the first level",
}
PEOPLE = ("user", "user_reference")


def kind_of(item: Any) -> str | None:
    """``incident``, ``alert``, ``log`` or ``note`` for a PagerDuty object, else ``None``."""
    if not isinstance(item, dict):
        return None
    kind = item.get("type")
    if isinstance(kind, str):
        base = kind.removesuffix("_reference")
        if base in ("incident", "alert"):
            return base
        if base.endswith("_log_entry"):
            return "log"
    if "content" in item and "created_at" in item and "type" not in item:
        return "note"
    return None


def _looks_like(doc: Any) -> bool:
    if isinstance(doc, list):
        return bool(doc) and kind_of(doc[0]) is not None and "created_at" in doc[0]
    if not isinstance(doc, dict):
        return False
    for name, kind in SINGLE.items():
        if isinstance(doc.get(name), dict):
            return kind_of(doc[name]) == kind
    for name, kind in LISTS.items():
        items = doc.get(name)
        if isinstance(items, list):
            if not items:
                return "limit" in doc or "more" in doc
            return kind_of(items[0]) == kind
    return kind_of(doc) is not None and "created_at" in doc


def sniff(archive: Archive) -> bool:
    return safely(_looks_like, first_document(archive, JSON))


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    for member in require_members(archive, JSON, WHAT):
        doc = parse(archive.read(member), member, WHAT)
        r = Reader(member, options)
        for kind, path, item in _items(r, doc):
            if kind == "incident":
                events = _incident(r, item, path)
            elif kind == "alert":
                events = _alert(r, item, path)
            elif kind == "log":
                events = _log_entry(r, item, path)
            else:
                events = _note(r, item, path)
            for event in events:
                if options.keeps(event.at):
                    yield event


def _items(r: Reader, doc: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    if isinstance(doc, list):
        for path, item in r.each(doc, ""):
            yield _kind(r, item, path), path, item
        return
    body = r.obj(doc, "")
    for name, kind in SINGLE.items():
        if name in body:
            yield kind, name, r.obj(body[name], name)
            return
    for name, kind in LISTS.items():
        if name in body:
            for path, item in r.each(r.arr(body[name], name), name):
                yield kind, path, item
            return
    yield _kind(r, body, ""), "", body


def _kind(r: Reader, item: dict[str, Any], path: str) -> str:
    kind = kind_of(item)
    if kind is None:
        r.fail(f"expected an incident, an alert, a log entry or a note; {WHAT}", key(path, "type"))
    return kind


def _summary(r: Reader, parent: dict[str, Any], name: str, path: str) -> str | None:
    """The ``summary`` of a reference object such as ``agent`` or ``service``."""
    ref = r.opt_obj(parent, name, path)
    return None if ref is None else r.opt_text(ref, "summary", key(path, name))


def _is_person(r: Reader, parent: dict[str, Any], name: str, path: str) -> bool:
    ref = r.opt_obj(parent, name, path)
    return ref is not None and r.opt_text(ref, "type", key(path, name)) in PEOPLE


def _incident(r: Reader, incident: dict[str, Any], path: str) -> Iterator[Event]:
    title = one_line(
        first(
            r.opt_text(incident, "summary", path),
            r.opt_text(incident, "title", path),
            r.opt_text(incident, "id", path),
        )
        or "incident"
    )
    link = r.opt_text(incident, "html_url", path)
    at, zone = r.time(incident, "created_at", path)
    yield Event(
        at=at,
        text=f"Triggered: {title}",
        source=NAME,
        actor=_summary(r, incident, "service", path),
        link=link or r.where(key(path, "created_at")),
        where=r.where(path),
        zone=zone,
        moment="alerted",
        bot=True,
    )
    for here, assignment in r.each(
        r.opt_list(incident, "assignments", path), key(path, "assignments")
    ):
        at, zone = r.time(assignment, "at", here)
        who = _summary(r, assignment, "assignee", here)
        yield Event(
            at=at,
            text=f"Assigned to {who}: {title}" if who else f"Assigned: {title}",
            source=NAME,
            link=link or r.where(key(here, "at")),
            where=r.where(here),
            zone=zone,
        )
    acknowledged = set()
    for here, ack in r.each(
        r.opt_list(incident, "acknowledgements", path), key(path, "acknowledgements")
    ):
        at, zone = r.time(ack, "at", here)
        acknowledged.add(at)
        yield Event(
            at=at,
            text=f"Acknowledged: {title}",
            source=NAME,
            actor=_summary(r, ack, "acknowledger", here),
            link=link or r.where(key(here, "at")),
            where=r.where(here),
            zone=zone,
            moment="acknowledged",
            bot=not _is_person(r, ack, "acknowledger", here),
        )
    status = (r.opt_text(incident, "status", path) or "").lower()
    changed = r.opt_time(incident, "last_status_change_at", path)
    if changed is None or status not in ("acknowledged", "resolved"):
        return
    at, zone = changed
    if status == "acknowledged" and at in acknowledged:
        return
    text = f"{status.capitalize()}: {title}"
    reason = r.opt_text(incident, "resolve_reason", path) if status == "resolved" else None
    if reason:
        text += f" (reason: {one_line(reason)})"
    yield Event(
        at=at,
        text=text,
        source=NAME,
        actor=_summary(r, incident, "last_status_change_by", path),
        link=link or r.where(key(path, "last_status_change_at")),
        where=r.where(key(path, "last_status_change_at")),
        zone=zone,
        moment=status,
        bot=not _is_person(r, incident, "last_status_change_by", path),
    )


def _alert(r: Reader, alert: dict[str, Any], path: str) -> Iterator[Event]:
    at, zone = r.time(alert, "created_at", path)
    summary = first(r.opt_text(alert, "summary", path), _summary(r, alert, "incident", path))
    yield Event(
        at=at,
        text=f"Alert: {one_line(summary)}" if summary else "Alert received",
        source=NAME,
        actor=first(_summary(r, alert, "integration", path), _summary(r, alert, "service", path)),
        link=r.opt_text(alert, "html_url", path) or r.where(key(path, "created_at")),
        where=r.where(path),
        zone=zone,
        moment="alerted",
        bot=True,
    )


def _log_entry(r: Reader, entry: dict[str, Any], path: str) -> Iterator[Event]:
    at, zone = r.time(entry, "created_at", path)
    base = r.text(entry, "type", path).removesuffix("_reference").removesuffix("_log_entry")
    summary = r.opt_text(entry, "summary", path)
    channel = r.opt_obj(entry, "channel", path)
    said = None if channel is None else r.opt_text(channel, "summary", key(path, "channel"))
    if base == "annotate":
        # The note's words sit in the channel (summary, content or notes, by API version).
        here = key(path, "channel")
        text = (
            first(
                said,
                None if channel is None else r.opt_text(channel, "content", here),
                None if channel is None else r.opt_text(channel, "notes", here),
                summary,
            )
            or LOG_TEXTS["annotate"]
        )
    elif base == "notify":
        user = _summary(r, entry, "user", path)
        how = None if channel is None else r.opt_text(channel, "type", key(path, "channel"))
        text = first(summary) or " ".join(
            part for part in ("Notified", user, f"by {how}" if how else None) if part
        )
    else:
        text = first(summary, LOG_TEXTS.get(base)) or base.replace("_", " ").capitalize()
        if base == "trigger":
            incident = _summary(r, entry, "incident", path)
            if incident and incident not in text:
                text += f": {incident}"
    yield Event(
        at=at,
        text=one_line(text),
        source=NAME,
        actor=_summary(r, entry, "agent", path),
        link=r.opt_text(entry, "html_url", path) or r.where(key(path, "created_at")),
        where=r.where(path),
        zone=zone,
        moment=LOG_MOMENTS.get(base),
        bot=not _is_person(r, entry, "agent", path),
    )


def _note(r: Reader, note: dict[str, Any], path: str) -> Iterator[Event]:
    at, zone = r.time(note, "created_at", path)
    content = r.opt_text(note, "content", path)
    yield Event(
        at=at,
        text=one_line(content) if content else "Note added",
        source=NAME,
        actor=_summary(r, note, "user", path),
        link=r.where(key(path, "created_at")),
        where=r.where(path),
        zone=zone,
    )
