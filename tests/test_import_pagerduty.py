"""PagerDuty REST API v2 responses: the recorded samples, log entries, located errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.evidence import ImportOptions
from hotwash.core.importers import pagerduty

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

SAMPLES = EVIDENCE / "pagerduty"


def sample(name: str) -> Any:
    return orjson.loads((SAMPLES / name).read_bytes())


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def incident(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "Q1",
        "type": "incident",
        "summary": "[#7] queue backlog",
        "html_url": "https://example.pagerduty.com/incidents/Q1",
        "created_at": "2024-05-01T14:00:00Z",
        "status": "triggered",
    }
    base.update(fields)
    return base


def entry(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "R1",
        "type": "acknowledge_log_entry",
        "summary": "Acknowledged by Primary On-call",
        "created_at": "2024-05-01T14:05:00Z",
        "agent": {"type": "user_reference", "summary": "Primary On-call"},
    }
    base.update(fields)
    return base


# --------------------------------------------------------------------------- recorded samples


def test_the_incident_list_sample_gives_each_trigger_and_resolution() -> None:
    found = events(pagerduty, open_archive(SAMPLES / "sample_incidents.json"))
    check_events(found, "pagerduty")
    assert [(e.at, e.moment, e.text) for e in found] == [
        (at(2017, 4, 7, 3, 41, 8), "alerted", "Triggered: [#1] this is a trigger event!"),
        (at(2017, 4, 7, 3, 57, 56), "resolved", "Resolved: [#1] this is a trigger event!"),
        (at(2017, 4, 7, 3, 41, 8), "alerted", "Triggered: [#2] this is another trigger event!"),
        (at(2017, 4, 7, 3, 57, 56), "resolved", "Resolved: [#2] this is another trigger event!"),
    ]
    # People are named as the sample names them (its own invented users); the test keeps
    # their names out of this file and takes them from the sample.
    raw = sample("sample_incidents.json")
    assert [e.actor for e in found] == [
        "Alert and Incidents",
        raw[0]["last_status_change_by"]["summary"],
        "Alert and Incidents",
        raw[1]["last_status_change_by"]["summary"],
    ]
    assert found[1].actor != found[3].actor
    assert [e.bot for e in found] == [True, False, True, False]
    assert found[0].link == "https://fake.pagerduty.com/incidents/INCIDENT1"
    assert found[1].where == "sample_incidents.json: [0].last_status_change_at"


def test_the_resolve_response_gives_assignment_acknowledgement_and_reason() -> None:
    found = events(pagerduty, open_archive(SAMPLES / "sample_incident_resolve_response.json"))
    assert [(e.at, e.moment) for e in found] == [
        (at(2015, 10, 6, 21, 30, 42), "alerted"),
        (at(2015, 11, 10, 0, 31, 52), None),
        (at(2015, 11, 10, 0, 32, 52), "acknowledged"),
        (at(2015, 10, 6, 21, 38, 23), "resolved"),
    ]
    person = sample("sample_incident_resolve_response.json")["incidents"][0]["assignments"][0]
    name = person["assignee"]["summary"]
    assert found[1].text == f"Assigned to {name}: [#1234] The server is on fire."
    assert found[1].actor is None
    assert found[2].actor == name
    assert found[3].text == "Resolved: [#1234] The server is on fire. (reason: Tests resolved it!)"
    assert (
        found[3].where
        == "sample_incident_resolve_response.json: incidents[0].last_status_change_at"
    )


def test_the_alert_sample_turns_offsets_into_utc() -> None:
    found = events(pagerduty, open_archive(SAMPLES / "sample_alerts.json"))
    # 23:41:08-04:00 and 23:41:07-04:00
    assert [e.at for e in found] == [at(2017, 4, 7, 3, 41, 8), at(2017, 4, 7, 3, 41, 7)]
    assert {e.text for e in found} == {"Alert: this is a trigger event!"}
    assert {e.actor for e in found} == {"API Alert"}
    assert [e.link for e in found] == [
        "https://fake.pagerduty.com/alerts/ALERT1",
        "https://fake.pagerduty.com/alerts/ALERT2",
    ]
    assert all(e.moment == "alerted" and e.bot for e in found)


def test_the_note_response_gives_the_note() -> None:
    (note,) = events(pagerduty, open_archive(SAMPLES / "sample_incident_create_note_response.json"))
    assert note.at == at(2013, 3, 6, 20, 28, 51)
    assert note.text == "Firefighters are on the scene."
    assert (
        note.actor == sample("sample_incident_create_note_response.json")["note"]["user"]["summary"]
    )
    assert note.moment is None and not note.bot


def test_the_sample_folder_reads_all_four_files() -> None:
    archive = open_archive(SAMPLES)
    assert pagerduty.sniff(archive)
    assert len(events(pagerduty, archive)) == 2 + 1 + 4 + 4


# --------------------------------------------------------------------------- log entries


def test_log_entries_name_their_moments() -> None:
    found = events(pagerduty, open_archive(FIXTURES / "pagerduty" / "log_entries.json"))
    check_events(found, "pagerduty")
    assert [(e.at, e.moment) for e in found] == [
        (at(2024, 5, 1, 14, 2, 12), "alerted"),
        (at(2024, 5, 1, 14, 2, 14), None),
        (at(2024, 5, 1, 14, 6, 25), "acknowledged"),
        (at(2024, 5, 1, 14, 12, 40), "escalated"),
        (at(2024, 5, 1, 14, 31, 40), None),
        (at(2024, 5, 1, 14, 35), None),
        (at(2024, 5, 1, 14, 50, 7), "resolved"),
    ]
    trigger, notify, ack, _, note, snooze, _ = found
    assert trigger.text == "Triggered through the API: [#88] payments-api error ratio above 5%"
    assert trigger.bot and trigger.actor == "payments-api"
    assert notify.text == "Notified Primary On-call by SMS"
    assert ack.actor == "Primary On-call" and not ack.bot
    assert ack.link == "https://example.pagerduty.com/incidents/Q1EXAMPLE/log_entries/R0ACK1"
    assert note.text == "Rolled back payments-api; error ratio falling."
    assert snooze.text == "Incident snoozed"
    assert found[3].where == "log_entries.json: log_entries[3]"


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        (
            {
                "type": "annotate_log_entry",
                "summary": None,
                "channel": {"content": "cache flushed"},
            },
            "cache flushed",
        ),
        ({"type": "annotate_log_entry", "summary": None, "channel": {"notes": "on it"}}, "on it"),
        ({"type": "annotate_log_entry", "summary": None}, "Note added"),
        (
            {
                "type": "notify_log_entry",
                "summary": None,
                "user": {"summary": "SRE"},
                "channel": {"type": "email"},
            },
            "Notified SRE by email",
        ),
        ({"type": "resolve_log_entry", "summary": None}, "Incident resolved"),
        ({"type": "urgency_change_log_entry", "summary": None}, "Urgency change"),
    ],
)
def test_log_entries_without_a_summary_still_read(fields: dict[str, object], text: str) -> None:
    (event,) = events(pagerduty, one("log.json", {"log_entries": [entry(**fields)]}))
    assert event.text == text


@pytest.mark.parametrize(
    "body",
    [
        {"log_entry": entry()},
        entry(),
        [entry()],
        {"incident": incident(status="acknowledged", last_status_change_at="2024-05-01T14:05:00Z")},
    ],
    ids=["log_entry", "bare entry", "bare list", "single incident"],
)
def test_other_response_shapes_are_read(body: object) -> None:
    found = events(pagerduty, one("pd.json", body))
    assert found[-1].moment == "acknowledged"
    assert found[-1].at == at(2024, 5, 1, 14, 5)


def test_an_acknowledged_status_already_listed_is_not_repeated() -> None:
    body = incident(
        status="acknowledged",
        acknowledgements=[{"at": "2024-05-01T14:05:00Z", "acknowledger": {"summary": "SRE"}}],
        last_status_change_at="2024-05-01T14:05:00Z",
    )
    found = events(pagerduty, one("pd.json", {"incident": body}))
    assert [e.moment for e in found] == ["alerted", "acknowledged"]


def test_a_triggered_incident_has_no_status_change_event() -> None:
    body = incident(last_status_change_at="2024-05-01T14:00:00Z")
    assert [e.moment for e in events(pagerduty, one("pd.json", {"incidents": [body]}))] == [
        "alerted"
    ]


def test_the_window_drops_events_outside_it() -> None:
    body = {"log_entries": [entry(created_at="2024-05-01T13:00:00Z"), entry()]}
    options = ImportOptions(since=at(2024, 5, 1, 14))
    assert [e.at for e in events(pagerduty, one("pd.json", body), options)] == [
        at(2024, 5, 1, 14, 5)
    ]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'{"log_entries": [{"type": "trigger_log_entry",', 1),
        (b"", None),
        (b"PagerDuty export\n", 1),
    ],
    ids=["truncated", "empty", "prose"],
)
def test_unreadable_files_name_the_member(data: bytes, line: int | None) -> None:
    problem = error(pagerduty, one("incidents.json", data))
    assert problem.path == "incidents.json"
    assert problem.line == line


def test_a_log_entry_without_a_time_is_named() -> None:
    body = {"log_entries": [entry(), entry(), entry(), entry(created_at=None)]}
    problem = error(pagerduty, one("incidents.json", body))
    assert (problem.path, problem.field) == ("incidents.json", "log_entries[3].created_at")
    assert str(problem).startswith("incidents.json: log_entries[3].created_at: missing")


def test_a_number_for_a_time_is_named() -> None:
    problem = error(pagerduty, one("pd.json", {"incident": incident(created_at=1714572000)}))
    assert problem.field == "incident.created_at"
    assert "number" in problem.message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"log_entries": [entry(type=None)]}, "log_entries[0].type"),
        ({"log_entries": [entry(agent="someone")]}, "log_entries[0].agent"),
        ({"log_entries": "none"}, "log_entries"),
        (
            {"incidents": [incident(acknowledgements=[{"acknowledger": {}}])]},
            "incidents[0].acknowledgements[0].at",
        ),
        ({"something": "else"}, "type"),
        ([{"id": "x"}], "[0].type"),
    ],
)
def test_wrong_shapes_are_named(body: object, field: str) -> None:
    assert error(pagerduty, one("pd.json", body)).field == field


# --------------------------------------------------------------------------- fuzzing

KEYS = [
    "incident",
    "incidents",
    "log_entries",
    "alerts",
    "note",
    "type",
    "created_at",
    "summary",
    "agent",
    "channel",
    "assignments",
    "acknowledgements",
    "at",
    "status",
    "last_status_change_at",
    "html_url",
]


@given(st.binary(max_size=300), OPTIONS)
def test_any_bytes_give_events_or_a_located_error(data: bytes, options: ImportOptions) -> None:
    events_or_located_error(pagerduty, "pd.json", data, options, "pagerduty")


@given(json_values(KEYS), mutated(entry(), KEYS), mutated(incident(), KEYS), OPTIONS)
def test_any_json_gives_events_or_a_located_error(
    value: object, log: dict[str, object], whole: dict[str, object], options: ImportOptions
) -> None:
    for body in (value, {"log_entries": [log]}, {"incidents": [whole]}, [value]):
        events_or_located_error(pagerduty, "pd.json", body, options, "pagerduty")
