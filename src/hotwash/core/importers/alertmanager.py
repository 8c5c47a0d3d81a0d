"""Prometheus Alertmanager webhook payloads (``webhook_config``, version 4).

A file holds one payload, a JSON array of payloads, or one payload a line (JSON Lines, the
way a webhook receiver logs what it was sent). Each alert gives one event when it started
firing (moment ``alerted``) and, when it is resolved and says when it ended, one event for
the end. An alert ending is not the incident ending, so that event names no moment; its
text says "resolved" and the classifier decides. ``endsAt`` set to Go's zero time
(``0001-01-01T00:00:00Z``) means the alert is still firing.

The same alert is sent again with every later notification of its group; it is reported
once, keyed by its fingerprint (or its labels) and start time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..evidence import Archive, Event, ImportOptions
from . import require_members
from ._jsondoc import (
    JSON,
    JSON_LINES,
    Document,
    Reader,
    documents,
    first,
    first_document,
    first_item,
    key,
    one_line,
    safely,
)

NAME = "alertmanager"
WHAT = "an Alertmanager webhook payload (an object with receiver, status and alerts)"
SUFFIXES = JSON + JSON_LINES

# Labels that usually tell one alert from another, written first when present.
KEY_LABELS = ("instance", "pod", "host", "service", "namespace", "job")
MAX_LABELS = 4
_GRAFANA_PAYLOAD = ("orgId", "ruleName", "evalMatches", "ruleUrl")
_GRAFANA_ALERT = ("dashboardURL", "panelURL", "silenceURL", "valueString", "values")


def is_grafana(doc: Any) -> bool:
    """Whether a webhook payload comes from Grafana rather than Alertmanager itself."""
    if not isinstance(doc, dict):
        return False
    if any(k in doc for k in _GRAFANA_PAYLOAD) or ("title" in doc and "state" in doc):
        return True
    alerts = doc.get("alerts")
    return isinstance(alerts, list) and any(
        isinstance(a, dict) and any(k in a for k in _GRAFANA_ALERT) for a in alerts
    )


def is_webhook(doc: Any) -> bool:
    """Whether a value has the shape of an Alertmanager-style webhook payload."""
    if not isinstance(doc, dict) or not isinstance(doc.get("alerts"), list):
        return False
    if any(k in doc for k in ("receiver", "groupKey", "groupLabels", "commonLabels")):
        return True
    alert = first_item(doc["alerts"])
    return isinstance(alert, dict) and "labels" in alert and "startsAt" in alert


def sniff(archive: Archive) -> bool:
    doc = first_item(first_document(archive, SUFFIXES))
    return safely(lambda d: is_webhook(d) and not is_grafana(d), doc)


def read(archive: Archive, options: ImportOptions) -> Iterator[Event]:
    seen: set[tuple[object, ...]] = set()
    for member in require_members(archive, SUFFIXES, WHAT):
        for doc in documents(archive.read(member), member, WHAT):
            yield from payload_events(doc, options, NAME, seen)


def payload_events(
    doc: Document, options: ImportOptions, source: str, seen: set[tuple[object, ...]]
) -> Iterator[Event]:
    """The events of one webhook payload; ``seen`` holds alerts already reported."""
    r = Reader(doc.member, options, doc.line, doc.path)
    payload = r.obj(doc.value, "")
    if "alerts" not in payload:
        r.fail(f"missing; expected {WHAT}", "alerts")
    alerts = r.arr(payload["alerts"], "alerts")
    status = r.opt_text(payload, "status", "") or "firing"
    external = r.opt_text(payload, "externalURL", "")
    common = r.labels(payload, "commonLabels", "") if "commonLabels" in payload else None
    for path, alert in r.each(alerts, "alerts"):
        yield from _alert_events(r, alert, path, status, external, common, source, seen)


def telling_labels(labels: dict[str, str], common: dict[str, str] | None) -> list[str]:
    """``name=value`` for the labels that tell this alert from the others of its group (those
    not shared by the whole group, when the payload says which are), then its severity."""
    if common is None:
        names = [k for k in KEY_LABELS if labels.get(k)]
    else:
        own = [k for k, v in labels.items() if v and common.get(k) != v and k != "alertname"]
        names = [k for k in KEY_LABELS if k in own]
        names += sorted(k for k in own if k not in names and k != "severity")
    names = names[:MAX_LABELS]
    if labels.get("severity"):
        names.append("severity")
    return [f"{k}={labels[k]}" for k in names]


def _alert_events(
    r: Reader,
    alert: dict[str, Any],
    path: str,
    group_status: str,
    external: str | None,
    common: dict[str, str] | None,
    source: str,
    seen: set[tuple[object, ...]],
) -> Iterator[Event]:
    labels = r.labels(alert, "labels", path)
    annotations = r.labels(alert, "annotations", path)
    status = (r.opt_text(alert, "status", path) or group_status).lower()
    started = r.time(alert, "startsAt", path)
    ended = r.opt_time(alert, "endsAt", path)
    fingerprint = r.opt_text(alert, "fingerprint", path)
    identity: object = fingerprint or tuple(sorted(labels.items()))
    link = first(
        r.opt_text(alert, "panelURL", path),
        r.opt_text(alert, "dashboardURL", path),
        r.opt_text(alert, "generatorURL", path),
        external,
    )
    name = labels.get("alertname") or first(annotations.get("title")) or "alert"
    detail = first(
        annotations.get("summary"),
        annotations.get("description"),
        annotations.get("message"),
        annotations.get("title") if annotations.get("title") != name else None,
    )
    facts = telling_labels(labels, common)
    values = r.opt_obj(alert, "values", path)
    if values:
        facts.extend(f"{k}={_number(v)}" for k, v in values.items() if _number(v))

    def say(verb: str) -> str:
        text = f"{name} {verb}"
        if detail:
            text += f": {one_line(detail)}"
        if facts:
            text += f" ({', '.join(facts)})"
        return text

    at, zone = started
    if ("start", identity, at) not in seen:
        seen.add(("start", identity, at))
        if r.options.keeps(at):
            yield Event(
                at=at,
                text=say("firing"),
                source=source,
                link=link or r.where(key(path, "startsAt")),
                where=r.where(path),
                zone=zone,
                moment="alerted",
                bot=True,
            )
    if status == "resolved" and ended is not None:
        end, end_zone = ended
        if ("end", identity, end) not in seen:
            seen.add(("end", identity, end))
            if r.options.keeps(end):
                yield Event(
                    at=end,
                    text=say("resolved"),
                    source=source,
                    link=link or r.where(key(path, "endsAt")),
                    where=r.where(path),
                    zone=end_zone,
                    moment=None,
                    bot=True,
                )


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
