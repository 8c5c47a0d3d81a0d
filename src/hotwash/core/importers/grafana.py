"""Grafana alert webhooks: unified alerting and the legacy dashboard alerts.

Unified alerting (Grafana 8 and later) sends the Alertmanager webhook payload with more in
it: ``orgId``, ``title``, ``state`` and ``message`` on the payload, ``values``,
``valueString``, ``dashboardURL``, ``panelURL`` and ``silenceURL`` on each alert. Those
alerts are read as Alertmanager's are (see ``alertmanager``), linked to their panel or
dashboard, with the measured values in the text.

Legacy dashboard alerts send ``ruleName``, ``state`` (``alerting``, ``ok``, ``no_data``,
``paused``, ``pending``), ``evalMatches``, ``ruleUrl``, ``message`` and ``title``, and no time
at all: each payload must carry the time it was received in a ``time`` (or ``timestamp``)
field, as a receiver that logs webhooks would add.

A file holds one payload, a JSON array of payloads, or one payload a line (JSON Lines).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..evidence import Archive, Event, ImportOptions
from . import require_members
from ._jsondoc import (
    Document,
    Reader,
    documents,
    first,
    first_document,
    first_item,
    one_line,
    safely,
)
from .alertmanager import SUFFIXES, is_grafana, is_webhook, payload_events

NAME = "grafana"
WHAT = "a Grafana alert webhook payload (unified alerting, or legacy with ruleName and state)"
LEGACY_KEYS = ("ruleName", "evalMatches", "ruleUrl", "ruleId")
LEGACY_TIME_KEYS = ("time", "timestamp")


def is_legacy(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and "alerts" not in doc
        and "state" in doc
        and any(k in doc for k in LEGACY_KEYS)
    )


def sniff(archive: Archive) -> bool:
    doc = first_item(first_document(archive, SUFFIXES))
    return safely(lambda d: is_legacy(d) or (is_webhook(d) and is_grafana(d)), doc)


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    seen: set[tuple[object, ...]] = set()
    for member in require_members(archive, SUFFIXES, WHAT):
        for doc in documents(archive.read(member), member, WHAT):
            if isinstance(doc.value, dict) and "alerts" not in doc.value and "state" in doc.value:
                yield from _legacy(doc, options)
            else:
                yield from payload_events(doc, options, NAME, seen)


def _legacy(doc: Document, options: ImportOptions) -> Iterator[Event]:
    r = Reader(doc.member, options, doc.line, doc.path)
    payload = r.obj(doc.value, "")
    state = r.text(payload, "state", "").strip().lower()
    name = next((k for k in LEGACY_TIME_KEYS if payload.get(k) is not None), None)
    if name is None:
        r.fail(
            "missing; a legacy Grafana webhook does not say when it was sent, so add the time "
            "it was received as an ISO 8601 'time' field (for example 2024-05-01T14:22:00Z)",
            "time",
        )
    at, zone = r.time(payload, name, "")
    rule = first(r.opt_text(payload, "ruleName", ""), r.opt_text(payload, "title", ""))
    title = first(r.opt_text(payload, "title", ""), rule) or "Grafana alert"
    text = one_line(title)
    if state not in title.lower():
        text += f" ({state})"
    message = r.opt_text(payload, "message", "")
    if message:
        text += f": {one_line(message)}"
    matches = []
    for path, match in r.each(r.opt_list(payload, "evalMatches", ""), "evalMatches"):
        metric = r.opt_text(match, "metric", path) or "value"
        value = r.opt_text(match, "value", path)
        if value is not None:
            matches.append(f"{metric}={value}")
    if matches:
        text += f" ({', '.join(matches)})"
    if options.keeps(at):
        yield Event(
            at=at,
            text=text,
            source=NAME,
            link=r.opt_text(payload, "ruleUrl", "") or r.where(name),
            where=r.where(""),
            zone=zone,
            moment="alerted" if state == "alerting" else None,
            bot=True,
        )
