"""Merging evidence: one sorted timeline, no repeats, key timestamps, gaps and findings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hotwash.core.evidence import Event, ImportOptions, merge
from hotwash.core.model import KeyTimestamps
from hotwash.core.parse import parse_pack
from hotwash.core.reference import skeleton
from hotwash.core.render import render_pack
from hotwash.core.timeline import merge_into, order_findings

T0 = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


def ev(minutes: float, text: str, source: str = "slack #inc", **kw: object) -> Event:
    return Event(T0 + timedelta(minutes=minutes), text, source, **kw)  # type: ignore[arg-type]


def test_merge_sorts_and_drops_the_same_event_from_a_second_source() -> None:
    slack = [ev(5, "[FIRING:1] HighErrorRate api"), ev(9, "acked, looking")]
    alerts = [
        ev(5.5, "[firing:1]  HighErrorRate  api", "alertmanager", link="http://am/x"),
        ev(1, "deploy 4411 started", "github"),
    ]
    merged = merge([slack, alerts])
    assert [e.text for e in merged.events] == [
        "deploy 4411 started",
        "[FIRING:1] HighErrorRate api",
        "acked, looking",
    ]
    assert merged.duplicates == 1
    assert merged.events[1].link == "http://am/x", "the kept copy links to the other source"


def test_same_text_in_one_source_or_far_apart_is_kept() -> None:
    merged = merge([[ev(0, "retrying"), ev(1, "retrying"), ev(30, "retrying", "pagerduty")]])
    assert len(merged.events) == 3 and merged.duplicates == 0


def test_a_date_months_off_is_a_finding() -> None:
    events = [ev(i, f"message {i}") for i in range(5)]
    events.append(Event(T0 - timedelta(days=200), "typo year", "notes", where="notes.txt:3"))
    merged = merge([events])
    assert [(f.code, f.where) for f in merged.findings] == [("date-far", "notes.txt:3")]


def test_window_keeps_only_times_inside() -> None:
    options = ImportOptions(since=T0, until=T0 + timedelta(hours=1))
    assert options.keeps(T0) and options.keeps(T0 + timedelta(hours=1))
    assert not options.keeps(T0 - timedelta(seconds=1))


def test_merge_into_fills_key_timestamps_adds_rows_and_gaps() -> None:
    review = skeleton("incident", "Sign-in outage", on=T0.date())
    review = review.model_copy(update={"key_timestamps": KeyTimestamps(started=T0)})
    merged = merge(
        [
            [
                ev(25, "[FIRING:1] HighErrorRate api", bot=True),
                ev(27, "acked, looking into it"),
                ev(40, "found the cause: pool halved"),
                ev(52, "rolled back, error rate back to normal"),
                ev(90, "incident resolved", zone="assumed"),
                ev(91, "lunch?"),
            ]
        ]
    )
    result = merge_into(review, merged)
    keys = result.review.key_timestamps
    assert keys.started == T0
    assert keys.detected == T0 + timedelta(minutes=25)
    assert keys.acknowledged == T0 + timedelta(minutes=27)
    assert keys.mitigated == T0 + timedelta(minutes=52)
    assert keys.resolved == T0 + timedelta(minutes=90)
    assert set(result.filled) == {"detected", "acknowledged", "mitigated", "resolved"}
    assert result.added == 6
    assert result.review.timeline[4].source == "slack #inc (time zone assumed)"
    assert [f.type.value for f in result.review.factors if f.type] == ["detection gap"]
    assert parse_pack(render_pack(result.review)) == result.review

    again = merge_into(result.review, merged)
    assert again.added == 0 and again.already == 6
    assert again.review == result.review, "importing the same evidence twice changes nothing"


def test_key_only_keeps_the_key_moments() -> None:
    review = skeleton("incident", "x", on=T0.date())
    merged = merge([[ev(1, "[FIRING:1] x"), ev(2, "coffee"), ev(3, "rolled back")]])
    result = merge_into(review, merged, key_only=True)
    assert [e.text for e in result.review.timeline] == ["[FIRING:1] x", "rolled back"]


def test_the_pack_value_wins_and_a_disagreement_is_reported() -> None:
    review = skeleton("incident", "x", on=T0.date()).model_copy(
        update={"key_timestamps": KeyTimestamps(detected=T0)}
    )
    result = merge_into(review, merge([[ev(30, "[FIRING:1] x")]]))
    assert result.review.key_timestamps.detected == T0
    assert [f.code for f in result.findings] == ["disagrees"]


def test_out_of_order_key_timestamps_are_findings() -> None:
    found = order_findings({"started": T0, "resolved": T0 - timedelta(hours=1)})
    assert len(found) == 1 and found[0].where == "key_timestamps.resolved"


def test_long_texts_are_shortened_for_the_pack() -> None:
    review = skeleton("incident", "x", on=T0.date())
    result = merge_into(review, merge([[ev(1, "word " * 200)]]))
    assert len(result.review.timeline[0].text) <= 280
    assert result.review.timeline[0].text.endswith("…")


def test_localize_refuses_a_skipped_or_repeated_hour_for_every_importer() -> None:
    from zoneinfo import ZoneInfo

    import pytest

    from hotwash.core.errors import PackError

    options = ImportOptions(tz=ZoneInfo("Europe/Berlin"), tz_name="Europe/Berlin")
    summer = options.localize(datetime(2026, 7, 1, 12, 0), where="a.json")
    winter = options.localize(datetime(2026, 1, 15, 12, 0), where="a.json")
    assert (summer.hour, winter.hour) == (10, 11)
    with pytest.raises(PackError, match="does not exist") as gap:
        options.localize(datetime(2026, 3, 29, 2, 30), where="a.json", field="alerts[0].at")
    assert (gap.value.path, gap.value.field) == ("a.json", "alerts[0].at")
    with pytest.raises(PackError, match=r"happens twice.*00:30 UTC and at 01:30 UTC"):
        options.localize(datetime(2026, 10, 25, 2, 30), where="a.json")
    with pytest.raises(PackError, match="--tz"):
        ImportOptions().localize(datetime(2026, 1, 1), where="a.json")
