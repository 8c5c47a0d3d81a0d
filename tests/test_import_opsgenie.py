"""Opsgenie Alert API responses: alerts with their report, logs, notes, located errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.evidence import ImportOptions
from hotwash.core.importers import opsgenie

from .alerting_support import (
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

HERE = FIXTURES / "opsgenie"
CREATED = datetime(2024, 5, 1, 14, 2, 11, 480000, tzinfo=UTC)


def alert(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "a-1",
        "tinyId": "12",
        "message": "queue backlog growing",
        "createdAt": "2024-05-01T14:00:00Z",
        "report": {"ackTime": 90000, "acknowledgedBy": "sre@example.com"},
    }
    base.update(fields)
    return base


def log(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "log": "Alert acknowledged via web",
        "type": "system",
        "owner": "sre@example.com",
        "createdAt": "2024-05-01T14:01:30Z",
        "offset": "1714572090000",
    }
    base.update(fields)
    return base


def test_an_alert_gives_creation_acknowledgement_and_closing_from_its_report() -> None:
    found = events(opsgenie, open_archive(HERE / "alert.json"))
    check_events(found, "opsgenie")
    assert [(e.at, e.moment, e.actor) for e in found] == [
        (CREATED, "alerted", "Prometheus"),
        # ackTime 254000 ms and closeTime 2876000 ms after creation
        (
            datetime(2024, 5, 1, 14, 6, 25, 480000, tzinfo=UTC),
            "acknowledged",
            "oncall-primary@example.com",
        ),
        (
            datetime(2024, 5, 1, 14, 50, 7, 480000, tzinfo=UTC),
            "resolved",
            "oncall-primary@example.com",
        ),
    ]
    assert found[0].text == "Alert #1791 created: payments-api error ratio above 5%"
    assert found[2].text == "Alert #1791 closed: payments-api error ratio above 5%"
    assert [e.bot for e in found] == [True, False, False]
    assert found[1].where == "alert.json: data.report.ackTime"


def test_a_list_of_alerts_reads_each_and_skips_an_empty_report() -> None:
    found = events(opsgenie, open_archive(HERE / "alerts-list.json"))
    assert [e.text.split(":")[0] for e in found] == [
        "Alert #1790 created",
        "Alert #1791 created",
        "Alert #1791 acknowledged",
        "Alert #1791 closed",
    ]
    assert found[0].at == datetime(2024, 5, 1, 13, 57, tzinfo=UTC)


def test_log_lines_name_the_moment_they_state() -> None:
    found = events(opsgenie, open_archive(HERE / "alert-logs.json"))
    assert [(e.text, e.moment) for e in found] == [
        ("Alert created via Prometheus", "alerted"),
        ("Alert is escalated to the payments on-call schedule", "escalated"),
        ("Alert acknowledged via web", "acknowledged"),
        ("Alert unacknowledged via web", None),
        ("Alert closed via web", "resolved"),
    ]
    assert found[0].actor is None and found[0].bot
    assert found[2].actor == "oncall-primary@example.com" and not found[2].bot
    assert found[3].at == datetime(2024, 5, 1, 14, 7, 2, 100000, tzinfo=UTC)


def test_notes_are_read_with_their_owner() -> None:
    (note,) = events(opsgenie, open_archive(HERE / "alert-notes.json"))
    assert note.text.startswith("Rolled back payments-api")
    assert note.actor == "oncall-primary@example.com"
    assert note.moment is None
    assert note.at == datetime(2024, 5, 1, 14, 31, 40, 2000, tzinfo=UTC)


def test_the_fixture_folder_reads_every_file() -> None:
    archive = open_archive(HERE)
    assert opsgenie.sniff(archive)
    assert len(events(opsgenie, archive)) == 5 + 1 + 3 + 4


def test_an_escalation_type_names_the_moment_when_the_words_do_not() -> None:
    body = {"data": [log(log="Routed to the secondary", type="alertEscalation")]}
    (event,) = events(opsgenie, one("logs.json", body))
    assert event.moment == "escalated"


def test_a_note_that_mentions_closing_is_not_a_resolution() -> None:
    body = {"data": [log(log="We closed the ticket for the old alert", type="system")]}
    (event,) = events(opsgenie, one("logs.json", body))
    assert event.moment is None


def test_times_without_a_zone_are_assumed_in_the_zone_given() -> None:
    body = {"data": alert(createdAt="2024-05-01T14:00:00")}
    problem = error(opsgenie, one("alert.json", body))
    assert problem.field == "data.createdAt" and "--tz" in problem.message
    found = events(opsgenie, one("alert.json", body), ImportOptions(tz=UTC))
    assert [e.zone for e in found] == ["assumed", "assumed"]
    assert found[1].at == datetime(2024, 5, 1, 14, 1, 30, tzinfo=UTC)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'{"data": {"tinyId": "1"', 1), (b"", None), (b"<html>Unauthorized</html>", 1)],
    ids=["truncated", "empty", "html"],
)
def test_unreadable_files_name_the_member(data: bytes, line: int | None) -> None:
    problem = error(opsgenie, one("alert.json", data))
    assert problem.path == "alert.json"
    assert problem.line == line


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"data": alert(createdAt=None)}, "data.createdAt", "missing"),
        ({"data": alert(createdAt=1714572000000)}, "data.createdAt", "number"),
        ({"data": alert(report={"ackTime": "soon"})}, "data.report.ackTime", "milliseconds"),
        ({"data": alert(report={"ackTime": -5})}, "data.report.ackTime", "zero or more"),
        ({"data": alert(report={"closeTime": 10**18})}, "data.report.closeTime", "large"),
        ({"data": alert(report={"closeTime": 8 * 10**16})}, "data.report.closeTime", "range"),
        ({"data": [log(), log(log=7)]}, "data[1].log", "text"),
        ({"data": [log(), {"owner": "x"}]}, "data[1]", "expected an alert"),
        ({"data": "nothing"}, "data", "list"),
        ({"alerts": []}, "data", "missing"),
    ],
)
def test_wrong_fields_are_named(body: object, field: str, words: str) -> None:
    problem = error(opsgenie, one("alert.json", body))
    assert (problem.path, problem.field) == ("alert.json", field)
    assert words in problem.message


# --------------------------------------------------------------------------- fuzzing

KEYS = [
    "data",
    "tinyId",
    "message",
    "createdAt",
    "report",
    "ackTime",
    "closeTime",
    "acknowledgedBy",
    "closedBy",
    "log",
    "note",
    "owner",
    "type",
    "integration",
]


@given(st.binary(max_size=300), OPTIONS)
def test_any_bytes_give_events_or_a_located_error(data: bytes, options: ImportOptions) -> None:
    events_or_located_error(opsgenie, "og.json", data, options, "opsgenie")


@given(json_values(KEYS), mutated(alert(), KEYS), mutated(log(), KEYS), OPTIONS)
def test_any_json_gives_events_or_a_located_error(
    value: object, changed: dict[str, object], line: dict[str, object], options: ImportOptions
) -> None:
    for body in (value, {"data": value}, {"data": changed}, {"data": [changed, line]}):
        events_or_located_error(opsgenie, "og.json", body, options, "opsgenie")
