"""Plain-text notes: one event per line that starts with a time, in the zone and on the day
the person gives, with continuation lines, actors, midnight and summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core import importers
from hotwash.core.errors import PackError
from hotwash.core.evidence import DictArchive, Event, ImportOptions
from hotwash.core.importers import plaintext

DAY = date(2026, 3, 15)
IN_UTC = ImportOptions(tz=UTC, tz_name="UTC", day=DAY)
NEW_YORK = ImportOptions(
    tz=ZoneInfo("America/New_York"), tz_name="America/New_York", day=date(2026, 3, 15)
)


def zone(name: str, day: date | None = None) -> ImportOptions:
    return ImportOptions(tz=ZoneInfo(name), tz_name=name, day=day)


def events(
    data: bytes | str, options: ImportOptions | None = None, name: str = "notes.txt"
) -> list[Event]:
    raw = data.encode() if isinstance(data, str) else data
    archive = DictArchive("evidence", {name: raw})
    return list(plaintext.read(archive, options or ImportOptions()))


def error_for(
    data: bytes | str, options: ImportOptions | None = None, name: str = "notes.txt"
) -> PackError:
    with pytest.raises(PackError) as info:
        events(data, options, name)
    return info.value


# --------------------------------------------------------------------------- line forms


@pytest.mark.parametrize(
    ("line", "at", "stated"),
    [
        ("14:22 — deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("14:22 - deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("14:22 -- deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("14:22 | deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("14:22:05 deploy starts", datetime(2026, 3, 15, 14, 22, 5), False),
        ("2:22 PM deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("12:05 am deploy starts", datetime(2026, 3, 15, 0, 5), False),
        ("[14:22] deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("- 14:22 deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("* [14:22] deploy starts", datetime(2026, 3, 15, 14, 22), False),
        ("2026-03-14 14:22 deploy starts", datetime(2026, 3, 14, 14, 22), False),
        ("2026-03-15T14:22:05Z deploy starts", datetime(2026, 3, 15, 14, 22, 5), True),
        ("2026-03-15T14:22:05+01:00 deploy starts", datetime(2026, 3, 15, 13, 22, 5), True),
        ("14:22 UTC deploy starts", datetime(2026, 3, 15, 14, 22), True),
        ("14:22 GMT: deploy starts", datetime(2026, 3, 15, 14, 22), True),
        ("14:22Z deploy starts", datetime(2026, 3, 15, 14, 22), True),
        ("14:22 -05:00 deploy starts", datetime(2026, 3, 15, 19, 22), True),
        ("14:22 UTC+1 deploy starts", datetime(2026, 3, 15, 13, 22), True),
        ("14:22 GMT-03:30 — deploy starts", datetime(2026, 3, 15, 17, 52), True),
    ],
)
def test_each_line_form_gives_its_time_and_text(line: str, at: datetime, stated: bool) -> None:
    # New York is UTC-4 on this day: a zone-less time is four hours behind UTC
    (event,) = events(line + "\n", NEW_YORK)
    expected = at.replace(tzinfo=UTC) if stated else at.replace(tzinfo=NEW_YORK.tz)
    assert event.at == expected.astimezone(UTC)
    assert event.zone == ("given" if stated else "assumed")
    assert event.text == "deploy starts"
    assert (event.link, event.where, event.source) == (
        "notes.txt:1",
        "notes.txt:1",
        "notes notes.txt",
    )


def test_a_time_only_list_with_date_and_tz_new_york() -> None:
    notes = """Checkout incident, notes by the IC

14:02 - alert fires
14:09 @sam: looking at the dashboards
14:31 rollback started
"""
    got = events(notes, NEW_YORK)
    assert [e.at for e in got] == [
        datetime(2026, 3, 15, 18, 2, tzinfo=UTC),
        datetime(2026, 3, 15, 18, 9, tzinfo=UTC),
        datetime(2026, 3, 15, 18, 31, tzinfo=UTC),
    ]
    assert [e.link for e in got] == ["notes.txt:3", "notes.txt:4", "notes.txt:5"]
    # a week earlier New York was still on winter time: five hours behind UTC
    earlier = events(notes, zone("America/New_York", date(2026, 3, 7)))
    assert earlier[0].at == datetime(2026, 3, 7, 19, 2, tzinfo=UTC)


def test_without_date_the_error_names_the_line() -> None:
    err = error_for("notes\n\n14:22 deploy starts\n", ImportOptions(tz=UTC))
    assert (err.path, err.line, err.field) == ("notes.txt", 3, "time")
    assert "--date" in err.message


def test_without_tz_the_error_names_the_line() -> None:
    err = error_for("14:22 UTC stated\n14:30 assumed\n", ImportOptions(day=DAY))
    assert (err.path, err.line) == ("notes.txt", 2)
    assert "--tz" in err.message


def test_a_dated_line_or_a_date_heading_dates_the_lines_after_it() -> None:
    notes = "## 2026-03-20\n10:00 first\n2026-03-21 09:00 second\n09:30 third\n"
    got = events(notes, ImportOptions(tz=UTC))
    assert [e.at.date() for e in got] == [date(2026, 3, 20), date(2026, 3, 21), date(2026, 3, 21)]


def test_midnight_rollover_moves_to_the_next_day_and_says_so() -> None:
    got = events("23:40 load rises\n23:58 page\n00:12 mitigated\n00:20 resolved\n", IN_UTC)
    assert [e.at for e in got] == [
        datetime(2026, 3, 15, 23, 40, tzinfo=UTC),
        datetime(2026, 3, 15, 23, 58, tzinfo=UTC),
        datetime(2026, 3, 16, 0, 12, tzinfo=UTC),
        datetime(2026, 3, 16, 0, 20, tzinfo=UTC),
    ]
    assert "after midnight" in got[2].where and "2026-03-16" in got[2].where
    assert got[3].where == "notes.txt:4"
    assert got[2].link == "notes.txt:3"


def test_a_time_range_is_not_read_as_an_offset() -> None:
    (event,) = events("10:00-11:00 maintenance window\n", IN_UTC)
    assert event.at == datetime(2026, 3, 15, 10, 0, tzinfo=UTC)
    assert event.text == "-11:00 maintenance window"
    (event,) = events("14:22 -5% error rate\n", IN_UTC)
    assert event.text == "-5% error rate"


def test_rollover_past_the_last_date_is_an_error() -> None:
    err = error_for("9999-12-31 23:00 last\n01:00 after\n", IN_UTC)
    assert err.line == 2


def test_a_small_step_back_is_not_a_new_day() -> None:
    got = events("14:30 later entry\n14:10 earlier entry written after\n", IN_UTC)
    assert [e.at.date() for e in got] == [DAY, DAY]


def test_continuation_lines_join_the_event_above() -> None:
    notes = """# Notes

written before the first time, left out
14:22 deploy 4512 starts
  canary at 5%
  then 50%

14:31 error rate alert
## Later
14:40 rollback
"""
    got = events(notes, IN_UTC)
    assert [e.text for e in got] == [
        "deploy 4512 starts canary at 5% then 50%",
        "error rate alert",
        "rollback",
    ]


def test_handles_and_short_names_before_a_colon_are_actors() -> None:
    notes = (
        "14:22 @sam: restarted the pod\n"
        "14:23 — kim: paged the db team\n"
        "14:24 Update: still degraded\n"
        "14:25 @sam restarted it again\n"
        "14:26 see http://status.example.com: down\n"
    )
    got = events(notes, IN_UTC)
    assert [(e.actor, e.text) for e in got] == [
        ("@sam", "restarted the pod"),
        ("kim", "paged the db team"),
        (None, "Update: still degraded"),
        (None, "@sam restarted it again"),
        (None, "see http://status.example.com: down"),
    ]


# --------------------------------------------------------------------------- summer time


def test_berlin_summer_and_winter_map_to_the_right_utc_hour() -> None:
    got = events("2026-07-01 12:00 summer\n2026-01-10 12:00 winter\n", zone("Europe/Berlin"))
    assert [e.at.hour for e in got] == [10, 11]


def test_an_hour_the_clocks_skip_is_an_error() -> None:
    err = error_for("2026-03-29 01:30 in the gap\n", zone("Europe/London"))
    assert (err.line, err.field) == (1, "time")
    assert "does not exist in Europe/London" in err.message
    # on either side of the gap the times are right
    got = events("2026-03-29 00:30 before\n2026-03-29 02:30 after\n", zone("Europe/London"))
    assert [e.at for e in got] == [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    ]


def test_an_hour_the_clocks_repeat_asks_for_the_offset() -> None:
    err = error_for("- 01:30 which one\n", zone("Europe/London", date(2026, 10, 25)))
    assert err.line == 1
    assert "happens twice" in err.message
    assert "00:30 UTC" in err.message and "01:30 UTC" in err.message
    assert "+01:00" in err.message and "+00:00" in err.message
    london = zone("Europe/London", date(2026, 10, 25))
    got = events("2026-10-25 01:30+00:00 the second one\n01:30 UTC+1 the first one\n", london)
    assert [e.at for e in got] == [
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    ]


def test_zone_abbreviations_are_refused_not_guessed() -> None:
    err = error_for("14:22 CET deploy\n", IN_UTC)
    assert "CET" in err.message and "--tz" in err.message
    # an ordinary capitalised word after the time is text
    assert events("14:22 API errors\n", IN_UTC)[0].text == "API errors"


# --------------------------------------------------------------------------- choosing


def test_sniff_by_name_or_by_lines_that_start_with_a_time() -> None:
    assert plaintext.sniff(DictArchive("e", {"notes.md": b"nothing timed"}))
    assert plaintext.sniff(DictArchive("e", {"stdin": b"\n14:22 a\n14:30 b\n"}))
    assert not plaintext.sniff(DictArchive("e", {"stdin": b'{"messages": []}'}))
    archive = DictArchive("e", {"incident.txt": b"14:22 deploy starts\n"})
    assert importers.pick(archive) is plaintext


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "empty"),
        (b"14:22 ok\n14:23 caf\xe9\n", 2, "UTF-8"),
        (b"14:22 ok\n25:10 impossible\n", 2, "not a real"),
        (b"13:10 PM lunch\n", 1, "1 to 12"),
        (b"14:22\n\n14:30 text\n", 1, "no text"),
        (b"## 2026-02-30\n14:22 x\n", 1, "not a real date"),
    ],
)
def test_malformed_notes_name_member_and_line(data: bytes, line: int, words: str) -> None:
    err = error_for(data, IN_UTC)
    assert (err.path, err.line) == ("notes.txt", line)
    assert words in err.message


def test_notes_without_any_timed_line_are_an_error() -> None:
    err = error_for("just some prose\nand more\n", IN_UTC)
    assert err.path == "notes.txt"
    assert "starts with a time" in err.message


# --------------------------------------------------------------------------- properties


PIECES = st.sampled_from(
    ["14:22 ", "2:22 PM ", "[14:22] ", "2026-03-15 ", "T14:22Z ", "+01:00 ", "@sam: ",
     "kim: ", "- ", "* ", "# ", "\n", "\r\n", "\r", " — ", "UTC ", "CET ", "00:00 ",
     "23:59 ", "\ufeff", "\x00", "99:99 "]
)  # fmt: skip


def _outcome(data: bytes) -> None:
    try:
        got = events(data, zone("Europe/Berlin", DAY))
    except PackError as exc:
        assert exc.message and exc.path == "notes.txt"
    else:
        assert all(e.at.utcoffset() == timedelta(0) and e.text for e in got)


@given(st.lists(PIECES | st.text(max_size=10), max_size=30))
def test_any_text_gives_events_or_a_pack_error(parts: list[str]) -> None:
    _outcome("".join(parts).encode("utf-8", errors="surrogatepass"))


@given(st.binary(max_size=300))
def test_any_bytes_give_events_or_a_pack_error(data: bytes) -> None:
    _outcome(data)
    _outcome(b"14:22 start\n" + data)


@given(
    st.lists(st.times().map(lambda t: t.replace(microsecond=0)), min_size=1, max_size=20).map(
        sorted
    ),
    st.sampled_from(["UTC", "Asia/Tokyo", "America/Sao_Paulo", "Australia/Adelaide"]),
)
def test_a_sorted_time_only_list_reads_as_that_day_in_that_zone(
    clocks: list[time], name: str
) -> None:
    notes = "".join(f"{c:%H:%M:%S} event {i}\n" for i, c in enumerate(clocks))
    got = events(notes, zone(name, DAY))
    tz = ZoneInfo(name)
    assert [e.at for e in got] == [
        datetime.combine(DAY, c, tzinfo=tz).astimezone(UTC) for c in clocks
    ]
    assert [e.text for e in got] == [f"event {i}" for i in range(len(clocks))]
