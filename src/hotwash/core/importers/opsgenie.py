"""Opsgenie Alert API v2 responses, saved as JSON files.

Accepted shapes, told apart by their keys: one alert (``GET /v2/alerts/{id}``:
``{"data": {alert}}``), a list of alerts (``GET /v2/alerts``: ``{"data": [alerts]}``), an
alert's log (``GET /v2/alerts/{id}/logs``: ``{"data": [{"log", "type", "owner",
"createdAt", "offset"}]}``) and its notes (``GET /v2/alerts/{id}/notes``: the same with
``note`` for ``log``).

An alert gives its creation (``alerted``) and, from its ``report``, its acknowledgement and
its closing: ``ackTime`` and ``closeTime`` are milliseconds after ``createdAt``, with
``acknowledgedBy`` and ``closedBy`` as the actors. A log line names its moment when it
starts "Alert" and says the alert was created (``alerted``), acknowledged
(``acknowledged``), closed (``resolved``) or escalated (``escalated``).
"""

from __future__ import annotations

import re
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

NAME = "opsgenie"
WHAT = (
    'an Opsgenie Alert API response: {"data": {alert}}, {"data": [alerts]} or an alert\'s '
    'logs or notes {"data": [{"log" or "note", "createdAt", ...}]}'
)
ALERT_KEYS = ("tinyId", "message", "alias")

_VERB = re.compile(r"\b(created|acknowledged|closed|escalated)\b", re.IGNORECASE)
LOG_MOMENTS = {
    "created": "alerted",
    "acknowledged": "acknowledged",
    "closed": "resolved",
    "escalated": "escalated",
}


def kind_of(item: Any) -> str | None:
    """``alert``, ``log`` or ``note`` for an element of ``data``, else ``None``."""
    if not isinstance(item, dict):
        return None
    if "log" in item:
        return "log"
    if "note" in item:
        return "note"
    if any(k in item for k in ALERT_KEYS):
        return "alert"
    return None


def _looks_like(doc: Any) -> bool:
    if not isinstance(doc, dict) or "data" not in doc:
        return False
    data = doc["data"]
    if isinstance(data, dict):
        return kind_of(data) == "alert" and "createdAt" in data
    if isinstance(data, list):
        if not data:
            return "requestId" in doc and ("paging" in doc or "took" in doc)
        return kind_of(data[0]) is not None and "createdAt" in data[0]
    return False


def sniff(archive: Archive) -> bool:
    return safely(_looks_like, first_document(archive, JSON))


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    for member in require_members(archive, JSON, WHAT):
        doc = parse(archive.read(member), member, WHAT)
        r = Reader(member, options)
        body = r.obj(doc, "")
        if "data" not in body:
            r.fail(f"missing; expected {WHAT}", "data")
        data = body["data"]
        if isinstance(data, dict):
            items = [("data", data, "alert")]
        else:
            items = []
            for path, item in r.each(r.arr(data, "data"), "data"):
                kind = kind_of(item)
                if kind is None:
                    r.fail(
                        "expected an alert (with tinyId or message), a log line (with log) "
                        "or a note (with note)",
                        path,
                    )
                items.append((path, item, kind))
        for path, item, kind in items:
            events = _alert(r, item, path) if kind == "alert" else _line(r, item, path, kind)
            for event in events:
                if options.keeps(event.at):
                    yield event


def _alert(r: Reader, alert: dict[str, Any], path: str) -> Iterator[Event]:
    at, zone = r.time(alert, "createdAt", path)
    number = first(r.opt_text(alert, "tinyId", path), r.opt_text(alert, "id", path))
    label = f"Alert #{number}" if number else "Alert"
    message = r.opt_text(alert, "message", path)
    about = f": {one_line(message)}" if message else ""
    integration = r.opt_obj(alert, "integration", path)
    yield Event(
        at=at,
        text=f"{label} created{about}",
        source=NAME,
        actor=first(
            None
            if integration is None
            else r.opt_text(integration, "name", key(path, "integration")),
            r.opt_text(alert, "source", path),
        ),
        link=r.where(key(path, "createdAt")),
        where=r.where(path),
        zone=zone,
        moment="alerted",
        bot=True,
    )
    report = r.opt_obj(alert, "report", path)
    if report is None:
        return
    here = key(path, "report")
    for after, by, verb, moment in (
        ("ackTime", "acknowledgedBy", "acknowledged", "acknowledged"),
        ("closeTime", "closedBy", "closed", "resolved"),
    ):
        delta = r.millis(report, after, here)
        if delta is None:
            continue
        actor = r.opt_text(report, by, here)
        yield Event(
            at=r.shift(at, delta, key(here, after)),
            text=f"{label} {verb}{about}",
            source=NAME,
            actor=actor,
            link=r.where(key(here, after)),
            where=r.where(key(here, after)),
            zone=zone,
            moment=moment,
            bot=actor is None or "@" not in actor,
        )


def _line(r: Reader, item: dict[str, Any], path: str, kind: str) -> Iterator[Event]:
    at, zone = r.time(item, "createdAt", path)
    text = one_line(r.text(item, kind, path)) or ("Note added" if kind == "note" else "Log entry")
    owner = r.opt_text(item, "owner", path)
    moment = None
    if kind == "log":
        what = r.opt_text(item, "type", path) or ""
        found = _VERB.search(text) if text.lower().startswith("alert") else None
        if found:
            moment = LOG_MOMENTS[found.group(1).lower()]
        elif "escalat" in what.lower():
            moment = "escalated"
    yield Event(
        at=at,
        text=text,
        source=NAME,
        actor=owner,
        link=r.where(key(path, "createdAt")),
        where=r.where(path),
        zone=zone,
        moment=moment,
        bot=kind == "log" and (owner is None or "@" not in owner),
    )
