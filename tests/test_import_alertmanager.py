"""Alertmanager webhook payloads: the recorded samples, webhook logs, located errors."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.evidence import ImportOptions
from hotwash.core.importers import alertmanager

from .alerting_support import (
    EVIDENCE,
    OPTIONS,
    check_events,
    error,
    events,
    events_or_located_error,
    json_values,
    mutated,
    one,
)

SAMPLES = EVIDENCE / "alertmanager"


def payload(*alerts: dict[str, object], status: str = "firing") -> dict[str, object]:
    return {
        "version": "4",
        "receiver": "ops",
        "status": status,
        "groupKey": '{}:{alertname="DiskFull"}',
        "commonLabels": {"alertname": "DiskFull"},
        "externalURL": "https://am.example.com",
        "alerts": list(alerts),
    }


def alert(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "labels": {"alertname": "DiskFull", "instance": "db-1:9100", "severity": "page"},
        "annotations": {"summary": "Disk on db-1 is 95% full"},
        "startsAt": "2024-05-01T14:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
    }
    base.update(fields)
    return base


# --------------------------------------------------------------------------- recorded samples


def test_the_nineteen_alert_sample_gives_nineteen_firing_alerts_without_an_end() -> None:
    found = events(alertmanager, open_archive(SAMPLES / "alertmanager-webhook-19-alerts.json"))
    check_events(found, "alertmanager")
    assert len(found) == 19
    assert {e.moment for e in found} == {"alerted"}
    assert Counter(e.at for e in found) == {
        datetime(2019, 1, 9, 15, 20, 40, 341301, tzinfo=UTC): 13,
        datetime(2019, 1, 10, 2, 58, 40, 360642, tzinfo=UTC): 6,
    }
    assert not any("resolved" in e.text for e in found)
    assert len({e.text for e in found}) == 19, "each alert reads differently"
    first = found[0]
    assert first.text.startswith("NodeEvent firing: Server is down. `infrastructure002A`")
    assert "severity=page" in first.text
    assert first.link == "http://docker.for.mac.host.internal:9093"
    assert first.where == "alertmanager-webhook-19-alerts.json: alerts[0]"
    assert first.bot and first.actor is None and first.zone == "given"


def test_the_one_alert_sample_turns_its_offset_into_utc() -> None:
    (event,) = events(alertmanager, open_archive(SAMPLES / "alertmanager-webhook-1-alert.json"))
    # 06:33:21.873077559-05:00, nanoseconds cut to microseconds
    assert event.at == datetime(2018, 3, 7, 11, 33, 21, 873077, tzinfo=UTC)
    assert event.text == (
        "high_memory_load firing: Server High Memory usage "
        "(instance=instance-with-hyphen_and_underscore, job=docker_nodes, severity=warning)"
    )
    assert event.moment == "alerted"


def test_the_three_alert_sample_links_each_alert_to_its_graph() -> None:
    found = events(alertmanager, open_archive(SAMPLES / "alertmanager-webhook-3-alerts-v4.json"))
    assert len(found) == 3
    assert all(e.at == datetime(2020, 10, 11, 14, 34, 11, 279383, tzinfo=UTC) for e in found)
    assert all(
        e.link and e.link.startswith("https://domain.com/promstack/prometheus/graph") for e in found
    )
    # The label that differs between the three alerts is in each text.
    assert [e.text.split("name=")[-1].split(",")[0] for e in found] == [
        "grafana",
        "nginx",
        "prometheus",
    ]


def test_the_sample_folder_reads_every_payload() -> None:
    archive = open_archive(SAMPLES)
    assert alertmanager.sniff(archive)
    assert len(events(alertmanager, archive)) == 1 + 19 + 3


# --------------------------------------------------------------------------- shapes


def test_a_resolved_alert_gives_its_start_and_its_end_without_claiming_the_incident_ended() -> None:
    body = payload(alert(status="resolved", endsAt="2024-05-01T14:40:30+01:00"), status="resolved")
    start, end = events(alertmanager, one("am.json", body))
    assert start.at == datetime(2024, 5, 1, 14, 0, tzinfo=UTC)
    assert start.moment == "alerted"
    assert end.at == datetime(2024, 5, 1, 13, 40, 30, tzinfo=UTC)
    assert end.moment is None
    assert "resolved" in end.text and "DiskFull" in end.text


def test_an_alert_without_its_own_status_takes_the_payload_status() -> None:
    body = payload(alert(endsAt="2024-05-01T14:30:00Z"), status="resolved")
    assert len(events(alertmanager, one("am.json", body))) == 2
    body = payload(alert(endsAt="2024-05-01T14:30:00Z"), status="firing")
    assert len(events(alertmanager, one("am.json", body))) == 1


def test_a_firing_alert_with_a_future_end_has_no_end_event() -> None:
    body = payload(alert(status="firing", endsAt="2024-05-01T14:05:00Z"), status="resolved")
    (event,) = events(alertmanager, one("am.json", body))
    assert event.moment == "alerted"


def test_without_annotations_the_alert_name_and_labels_speak() -> None:
    (event,) = events(alertmanager, one("am.json", payload(alert(annotations={}))))
    assert event.text == "DiskFull firing (instance=db-1:9100, severity=page)"


def test_a_webhook_log_in_json_lines_reports_each_alert_once() -> None:
    lines = [
        payload(alert(fingerprint="aa01")),
        payload(alert(fingerprint="aa01")),  # repeat notification
        payload(
            alert(fingerprint="aa01", status="resolved", endsAt="2024-05-01T14:30:00Z"),
            status="resolved",
        ),
    ]
    data = b"\n".join(orjson.dumps(p) for p in lines) + b"\n"
    found = events(alertmanager, one("webhooks.log.jsonl", data))
    assert [(e.at.minute, e.moment) for e in found] == [(0, "alerted"), (30, None)]
    assert found[0].where == "webhooks.log.jsonl:1: alerts[0]"
    assert found[1].where == "webhooks.log.jsonl:3: alerts[0]"


def test_json_lines_are_recognised_in_a_json_file_too() -> None:
    data = (
        orjson.dumps(payload(alert()))
        + b"\n"
        + orjson.dumps(payload(alert(startsAt="2024-05-01T15:00:00Z")))
    )
    archive = one("hooks.json", data)
    assert alertmanager.sniff(archive)
    assert len(events(alertmanager, archive)) == 2


def test_a_json_array_of_payloads_names_the_element_in_errors() -> None:
    body = [payload(alert()), payload(alert(startsAt=None))]
    problem = error(alertmanager, one("all.json", body))
    assert problem.path == "all.json"
    assert problem.field == "[1].alerts[0].startsAt"


def test_a_bad_line_in_json_lines_is_named_by_its_number() -> None:
    data = orjson.dumps(payload(alert())) + b"\n\n" + b'{"alerts": [\n'
    problem = error(alertmanager, one("hooks.jsonl", data))
    assert problem.path == "hooks.jsonl"
    assert problem.line == 3
    assert "not valid JSON" in problem.message


def test_a_time_without_a_zone_needs_tz_and_then_is_assumed() -> None:
    body = payload(alert(startsAt="2024-05-01T16:00:00"))
    problem = error(alertmanager, one("am.json", body))
    assert problem.field == "alerts[0].startsAt"
    assert "--tz" in problem.message
    options = ImportOptions(tz=ZoneInfo("Europe/Berlin"), tz_name="Europe/Berlin")
    (event,) = events(alertmanager, one("am.json", body), options)
    assert event.at == datetime(2024, 5, 1, 14, 0, tzinfo=UTC)
    assert event.zone == "assumed"


def test_the_window_keeps_only_alerts_inside_it() -> None:
    body = payload(
        alert(fingerprint="a1", startsAt="2024-05-01T13:00:00Z"),
        alert(fingerprint="a2", startsAt="2024-05-01T14:00:00Z"),
        alert(fingerprint="a3", startsAt="2024-05-01T15:00:00Z"),
    )
    options = ImportOptions(
        since=datetime(2024, 5, 1, 13, 30, tzinfo=UTC),
        until=datetime(2024, 5, 1, 14, 30, tzinfo=UTC),
    )
    (event,) = events(alertmanager, one("am.json", body), options)
    assert event.at.hour == 14


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b'{"receiver": "ops", "alerts": [{"labels": {}', 1, "not valid JSON"),
        (b"", None, "empty"),
        (b"this is not json", 1, "not valid JSON"),
        (b"\xff\xfe\x00garbage", 1, "not valid JSON"),
    ],
    ids=["truncated", "empty", "prose", "binary"],
)
def test_unreadable_files_name_the_member(data: bytes, line: int | None, words: str) -> None:
    problem = error(alertmanager, one("hook.json", data))
    assert problem.path == "hook.json"
    assert problem.line == line
    assert words in problem.message


def test_an_alert_without_starts_at_is_named() -> None:
    problem = error(alertmanager, one("hook.json", payload(alert(), alert(startsAt=None))))
    assert (problem.path, problem.field) == ("hook.json", "alerts[1].startsAt")
    assert "missing" in problem.message
    assert str(problem).startswith("hook.json: alerts[1].startsAt: missing")


def test_a_number_for_starts_at_is_named() -> None:
    problem = error(alertmanager, one("hook.json", payload(alert(startsAt=1714572000))))
    assert problem.field == "alerts[0].startsAt"
    assert "the number 1714572000" in problem.message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"startsAt": "yesterday"}, "alerts[0].startsAt"),
        ({"startsAt": "2024-05-01"}, "alerts[0].startsAt"),
        ({"startsAt": "0001-01-01T00:00:00Z"}, "alerts[0].startsAt"),
        ({"endsAt": 5}, "alerts[0].endsAt"),
        ({"labels": ["alertname"]}, "alerts[0].labels"),
        ({"labels": {"alertname": {"nested": 1}}}, "alerts[0].labels.alertname"),
    ],
)
def test_wrong_values_are_named(fields: dict[str, object], field: str) -> None:
    problem = error(alertmanager, one("hook.json", payload(alert(**fields))))
    assert problem.field == field


def test_a_payload_without_alerts_says_what_was_expected() -> None:
    problem = error(alertmanager, one("hook.json", {"receiver": "ops"}))
    assert problem.field == "alerts"
    assert "Alertmanager webhook payload" in problem.message


# --------------------------------------------------------------------------- fuzzing

KEYS = [
    "alerts",
    "status",
    "labels",
    "annotations",
    "startsAt",
    "endsAt",
    "generatorURL",
    "fingerprint",
    "externalURL",
    "commonLabels",
    "receiver",
    "alertname",
    "summary",
]


@given(st.binary(max_size=300), OPTIONS)
def test_any_bytes_give_events_or_a_located_error(data: bytes, options: ImportOptions) -> None:
    events_or_located_error(alertmanager, "hook.json", data, options, "alertmanager")


@given(json_values(KEYS), mutated(alert(), KEYS), mutated(payload(alert()), KEYS), OPTIONS)
def test_any_json_gives_events_or_a_located_error(
    value: object, changed: dict[str, object], whole: dict[str, object], options: ImportOptions
) -> None:
    for body in (value, payload(changed), whole, {"alerts": value}):
        events_or_located_error(alertmanager, "hook.json", body, options, "alertmanager")
