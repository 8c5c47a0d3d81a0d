"""Grafana alert webhooks, unified and legacy: fixtures, telling them from Alertmanager, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.evidence import ImportOptions
from hotwash.core.importers import alertmanager, grafana

from .alerting_support import (
    EVIDENCE,
    FIXTURES,
    OPTIONS,
    check_events,
    error,
    events,
    events_or_located_error,
    json_values,
    mutated,
    one,
)

HERE = FIXTURES / "grafana"


def legacy(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "time": "2024-05-01T14:03:00Z",
        "ruleName": "Queue depth",
        "ruleUrl": "https://grafana.example.com/d/q1?viewPanel=3",
        "state": "alerting",
        "title": "[Alerting] Queue depth",
        "message": "Backlog above limit",
        "evalMatches": [{"metric": "depth", "value": 5400, "tags": {}}],
        "orgId": 1,
    }
    base.update(fields)
    return base


def unified() -> dict[str, Any]:
    body: dict[str, Any] = orjson.loads((HERE / "unified-alerting.json").read_bytes())
    return body


def test_unified_alerting_links_panels_and_shows_the_values() -> None:
    found = events(grafana, open_archive(HERE / "unified-alerting.json"))
    check_events(found, "grafana")
    assert [(e.at, e.moment) for e in found] == [
        # 16:01:00+02:00
        (datetime(2024, 5, 1, 14, 1, tzinfo=UTC), "alerted"),
        (datetime(2024, 5, 1, 13, 40, tzinfo=UTC), "alerted"),
        (datetime(2024, 5, 1, 13, 58, 30, tzinfo=UTC), None),
    ]
    firing, _, ended = found
    assert firing.text == (
        "PaymentsErrorRatio firing: 5xx ratio above 5% for five minutes "
        "(instance=payments-api-1, severity=critical, B=7.422, C=1)"
    )
    assert firing.link == "https://grafana.example.com/d/pay01?orgId=1&viewPanel=4"
    # Empty panel and dashboard addresses fall back to the rule's address.
    assert ended.link == "https://grafana.example.com/alerting/grafana/p4ym3nts/view?orgId=1"
    assert ended.text.startswith("PaymentsErrorRatio resolved: ")
    assert ended.where == "unified-alerting.json: alerts[1]"


def test_legacy_webhooks_in_json_lines() -> None:
    found = events(grafana, open_archive(HERE / "legacy-webhook.jsonl"))
    assert [(e.at, e.moment, e.text) for e in found] == [
        (
            datetime(2024, 5, 1, 14, 3, tzinfo=UTC),
            "alerted",
            "[Alerting] Checkout p99 latency: Checkout latency is over its limit. "
            "(p99 latency ms=312)",
        ),
        (
            datetime(2024, 5, 1, 14, 48, tzinfo=UTC),
            None,
            "[OK] Checkout p99 latency: Checkout latency is back under its limit.",
        ),
    ]
    assert {e.link for e in found} == {
        "https://grafana.example.com/d/pay01/payments?tab=alert&viewPanel=2&orgId=1"
    }
    assert [e.where for e in found] == ["legacy-webhook.jsonl:1", "legacy-webhook.jsonl:2"]


def test_a_legacy_state_missing_from_the_title_is_added() -> None:
    (event,) = events(grafana, one("g.json", legacy(state="no_data", title="Queue depth")))
    assert event.text.startswith("Queue depth (no_data): Backlog above limit")
    assert event.moment is None


def test_a_legacy_webhook_without_a_time_says_how_to_add_one() -> None:
    problem = error(grafana, one("g.json", legacy(time=None)))
    assert (problem.path, problem.field) == ("g.json", "time")
    assert "'time' field" in problem.message


def test_a_legacy_timestamp_field_is_accepted() -> None:
    body = legacy(time=None, timestamp="2024-05-01T16:03:00+02:00")
    (event,) = events(grafana, one("g.json", body))
    assert event.at == datetime(2024, 5, 1, 14, 3, tzinfo=UTC)


def test_grafana_and_alertmanager_sniff_apart() -> None:
    plain = open_archive(EVIDENCE / "alertmanager" / "alertmanager-webhook-3-alerts-v4.json")
    assert alertmanager.sniff(plain) and not grafana.sniff(plain)
    for name in ("unified-alerting.json", "legacy-webhook.jsonl"):
        archive = open_archive(HERE / name)
        assert grafana.sniff(archive), name
        assert not alertmanager.sniff(archive), name
    # Only one per-alert key tells this payload from Alertmanager's.
    body = unified()
    for key in ("orgId", "title", "state", "message"):
        body.pop(key)
    for alert in body["alerts"]:
        for key in ("silenceURL", "dashboardURL", "values", "valueString"):
            alert.pop(key)
    assert grafana.sniff(one("g.json", body))
    body["alerts"][0].pop("panelURL")
    body["alerts"][1].pop("panelURL")
    assert not grafana.sniff(one("g.json", body))
    assert alertmanager.sniff(one("g.json", body))


def test_repeated_notifications_report_an_alert_once() -> None:
    body = unified()
    found = events(grafana, one("g.json", [body, body]))
    assert len(found) == 3


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'{"orgId": 1, "alerts": [', 1), (b"", None), (b"state=alerting rule=x", 1)],
    ids=["truncated", "empty", "prose"],
)
def test_unreadable_files_name_the_member(data: bytes, line: int | None) -> None:
    problem = error(grafana, one("grafana.json", data))
    assert problem.path == "grafana.json"
    assert problem.line == line


def test_a_bad_line_of_a_webhook_log_is_named() -> None:
    good = orjson.dumps(legacy())
    problem = error(grafana, one("hooks.jsonl", good + b"\n" + good + b"\n{oops}\n"))
    assert (problem.path, problem.line) == ("hooks.jsonl", 3)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["alerts"][1].pop("startsAt"), "alerts[1].startsAt"),
        (lambda b: b["alerts"][0].update(startsAt=1714572060), "alerts[0].startsAt"),
        (lambda b: b["alerts"][1].update(endsAt="the end"), "alerts[1].endsAt"),
        (lambda b: b["alerts"][0].update(values=[1, 2]), "alerts[0].values"),
        (lambda b: b.update(alerts={}), "alerts"),
    ],
)
def test_wrong_unified_fields_are_named(change: Any, field: str) -> None:
    body = unified()
    change(body)
    problem = error(grafana, one("grafana.json", body))
    assert (problem.path, problem.field) == ("grafana.json", field)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"time": 1714572180}, "time"),
        ({"state": 3}, "state"),
        ({"evalMatches": {"value": 1}}, "evalMatches"),
        ({"evalMatches": [{"value": [1]}]}, "evalMatches[0].value"),
        ({"message": {"text": "x"}}, "message"),
    ],
)
def test_wrong_legacy_fields_are_named(fields: dict[str, object], field: str) -> None:
    problem = error(grafana, one("grafana.json", legacy(**fields)))
    assert (problem.path, problem.field) == ("grafana.json", field)


# --------------------------------------------------------------------------- fuzzing

KEYS = [
    "alerts",
    "orgId",
    "state",
    "title",
    "message",
    "ruleName",
    "ruleUrl",
    "evalMatches",
    "time",
    "metric",
    "value",
    "values",
    "panelURL",
    "startsAt",
    "endsAt",
    "labels",
]


@given(st.binary(max_size=300), OPTIONS)
def test_any_bytes_give_events_or_a_located_error(data: bytes, options: ImportOptions) -> None:
    events_or_located_error(grafana, "g.jsonl", data, options, "grafana")


@given(json_values(KEYS), mutated(legacy(), KEYS), mutated(unified()["alerts"][0], KEYS), OPTIONS)
def test_any_json_gives_events_or_a_located_error(
    value: object, old: dict[str, object], alert: dict[str, object], options: ImportOptions
) -> None:
    for body in (value, old, {**unified(), "alerts": [alert]}, [old, value]):
        events_or_located_error(grafana, "g.json", body, options, "grafana")
