"""CSV timelines: Timesketch's export, the simple time/actor/text form, and located errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core import importers
from hotwash.core.errors import PackError
from hotwash.core.evidence import DictArchive, Event, ImportOptions
from hotwash.core.importers import csv_timeline

from .conftest import SHARED

SAMPLE = SHARED / "evidence" / "csv-timeline" / "timesketch-sigma_events.csv"
BERLIN = ImportOptions(tz=ZoneInfo("Europe/Berlin"), tz_name="Europe/Berlin")


def events(
    data: bytes | str, options: ImportOptions | None = None, name: str = "t.csv"
) -> list[Event]:
    raw = data.encode() if isinstance(data, str) else data
    archive = DictArchive("evidence", {name: raw})
    return list(csv_timeline.read(archive, options or ImportOptions()))


def error_for(
    data: bytes | str, options: ImportOptions | None = None, name: str = "t.csv"
) -> PackError:
    with pytest.raises(PackError) as info:
        events(data, options, name)
    return info.value


# --------------------------------------------------------------------------- Timesketch


def test_timesketch_sample_reads_every_row() -> None:
    data = SAMPLE.read_bytes()
    archive = DictArchive("evidence", {SAMPLE.name: data})
    assert csv_timeline.sniff(archive)
    assert importers.pick(archive) is csv_timeline
    got = list(csv_timeline.read(archive, ImportOptions()))

    assert len(got) == 4
    assert [e.text for e in got[:3]] == ["A message", "Another message", "Yet more messages"]
    assert got[0].at == datetime(2015, 7, 24, 19, 1, 1, tzinfo=UTC)
    assert got[3].at == datetime(2015, 7, 24, 19, 1, 3, tzinfo=UTC)
    assert got[3].text == "Install: zmap:amd64 (1.1.0-1) [Commandline: apt-get install zmap]"
    # the parser column names where the row came from; rows without one name the file
    assert got[3].source == "csv: apt_history"
    assert got[0].source == f"csv {SAMPLE.name}"
    assert [e.link for e in got] == [f"{SAMPLE.name}:{n}" for n in (2, 3, 4, 5)]
    assert all(e.zone == "given" and e.actor is None for e in got)


def test_timesketch_datetime_agrees_with_its_microsecond_timestamp() -> None:
    rows = list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    got = events(SAMPLE.read_bytes(), name=SAMPLE.name)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert [e.at for e in got] == [
        epoch + timedelta(microseconds=int(r["timestamp"])) for r in rows
    ]


def test_timestamp_column_alone_is_read_as_seconds_millis_or_micros() -> None:
    got = events(
        "timestamp,message\n1773584520,s\n1773584520250,ms\n1773584520250500,us\n"
        "2026-03-15T14:22:00Z,iso\n"
    )
    base = datetime(2026, 3, 15, 14, 22, tzinfo=UTC)
    assert [e.at for e in got] == [
        base,
        base + timedelta(milliseconds=250),
        base + timedelta(microseconds=250500),
        base,
    ]


# --------------------------------------------------------------------------- simple form


SIMPLE = (
    "Time,Who,Text,Source,Link\n"
    "2026-03-15T14:22:05Z,@sam,Deploy 4512 starts,deploys,https://ci.example.com/4512\n"
    '2026-03-15 15:22:05+01:00,@kim,"Error rate at 8%, paging",,\n'
    "2026-03-15T14:40:00.5Z,,Rollback done,,\n"
)


def test_simple_form_with_synonyms_and_links() -> None:
    got = events(SIMPLE)
    assert [(e.at, e.actor, e.text) for e in got] == [
        (datetime(2026, 3, 15, 14, 22, 5, tzinfo=UTC), "@sam", "Deploy 4512 starts"),
        (datetime(2026, 3, 15, 14, 22, 5, tzinfo=UTC), "@kim", "Error rate at 8%, paging"),
        (datetime(2026, 3, 15, 14, 40, 0, 500000, tzinfo=UTC), None, "Rollback done"),
    ]
    assert got[0].source == "csv: deploys"
    assert got[1].source == "csv t.csv"
    assert got[0].link == "https://ci.example.com/4512"
    assert got[1].link == "t.csv:3"
    assert got[2].where == "t.csv:4"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separators_are_found_from_the_header(delimiter: str) -> None:
    rows = [
        ["time", "actor", "text"],
        ["2026-03-15T14:22:05Z", "@sam", "Deploy starts"],
        ["2026-03-15T14:23:00Z", "@kim", '"Errors, then a page; then more"'],
    ]
    got = events("".join(delimiter.join(row) + "\n" for row in rows))
    assert [(e.actor, e.text) for e in got] == [
        ("@sam", "Deploy starts"),
        ("@kim", "Errors, then a page; then more"),
    ]


def test_a_csv_with_another_name_is_recognised_by_its_header() -> None:
    assert csv_timeline.sniff(DictArchive("e", {"timeline.txt": SIMPLE.encode()}))
    assert not csv_timeline.sniff(DictArchive("e", {"notes.txt": b"14:22 deploy starts\n"}))


def test_zone_less_times_need_tz_and_the_error_names_the_line() -> None:
    text = "when,what\n2026-03-15T14:22Z,stated\n2026-07-01 12:00,assumed\n"
    err = error_for(text)
    assert (err.path, err.line, err.field) == ("t.csv", 3, "when")
    assert "--tz" in err.message


def test_berlin_summer_and_winter_map_to_the_right_utc_hour() -> None:
    got = events("when,what\n2026-07-01 12:00,summer\n2026-01-10 12:00:30,winter\n", BERLIN)
    assert [e.at for e in got] == [
        datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        datetime(2026, 1, 10, 11, 0, 30, tzinfo=UTC),
    ]
    assert all(e.zone == "assumed" for e in got)


def test_a_header_that_says_utc_makes_its_times_utc() -> None:
    got = events("Time (UTC),Text\n2026-07-01 12:00,x\n")
    assert got[0].at == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert got[0].zone == "given"


def test_time_of_day_is_dated_by_a_date_column_or_by_date() -> None:
    with_column = events("date,time,text\n2026-07-01,12:00,x\n", BERLIN)
    assert with_column[0].at == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    from_option = events(
        "time,text\n2:22 PM,x\n",
        ImportOptions(tz=UTC, day=date(2026, 3, 15)),
    )
    assert from_option[0].at == datetime(2026, 3, 15, 14, 22, tzinfo=UTC)
    err = error_for("time,text\n14:22,x\n", ImportOptions(tz=UTC))
    assert (err.line, err.field) == (2, "time")
    assert "--date" in err.message


def test_a_time_the_clocks_skip_or_repeat_is_an_error() -> None:
    gap = error_for("time,text\n2026-03-29 02:30,x\n", BERLIN)
    assert (gap.line, gap.field) == (2, "time")
    assert "does not exist" in gap.message
    twice = error_for("time,text\nok,x\n".replace("ok", "2026-10-25 02:30"), BERLIN)
    assert "happens twice" in twice.message
    assert "00:30 UTC" in twice.message and "01:30 UTC" in twice.message
    stated = events("time,text\n2026-10-25 02:30+01:00,x\n", BERLIN)
    assert stated[0].at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_zone_abbreviations_are_refused_not_guessed() -> None:
    err = error_for("time,text\n2026-03-15 14:22 PST,x\n", BERLIN)
    assert "PST" in err.message
    assert "--tz" in err.message


def test_missing_columns_say_what_was_found_and_what_is_accepted() -> None:
    err = error_for("when,who\n2026-03-15T14:22Z,@sam\n")
    assert err.line == 1
    assert "when, who" in err.message
    assert "message" in err.message and "description" in err.message
    err = error_for("who,what\n@sam,x\n")
    assert "no time column" in err.message and "timestamp" in err.message


def test_the_window_keeps_only_the_events_inside_it() -> None:
    options = ImportOptions(since=datetime(2026, 3, 15, 14, 30, tzinfo=UTC))
    assert [e.text for e in events(SIMPLE, options)] == ["Rollback done"]


def test_blank_rows_and_a_header_only_file_give_no_events() -> None:
    assert events("time,text\n") == []
    assert len(events("time,text\n,\n\n2026-03-15T14:22Z,x\n")) == 1


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("data", "line", "field", "words"),
    [
        (b"", 1, None, "empty"),
        (b'time,actor,text\n2026-03-15T14:22Z,@sam,"restarted\nthe pod\n', 2, "text", "closed"),
        (b'time,actor,text\n2026-03-15T14:22Z,"@sam"x,restarted\n', 2, "actor", "quote"),
        (
            b'time,actor,text\n2026-03-15T14:22Z,@sam,"two\nlines"\n2026-03-15T14:23Z,@kim\n',
            4,
            "text",
            "2 cells",
        ),
        (b"time,actor,text\n2026-03-15T14:22Z,@sam,a,b\n", 2, "column 4", "4 cells"),
        (b"time;actor;text\n2026-03-15T14:22Z;@sam;ok\nyesterday;@kim;x\n", 3, "time", "yesterday"),
        (b"time,text\n2026-02-30 10:00Z,x\n", 2, "time", "not a real date"),
        (b"time,text\n2026-03-15,x\n", 2, "time", "without a time of day"),
        (b"time,text\n2026-03-15T14:22Z,\n", 2, "text", "no text"),
        (b"time\tactor\ttext\n2026-03-15T14:22Z\t@k\xffm\tx\n", 2, "actor", "UTF-8"),
        (b"ti\xffme,text\n", 1, "column 1", "UTF-8"),
        (b"timestamp,text\n999999999999999999,x\n", 2, "timestamp", "too large"),
    ],
)
def test_malformed_files_name_member_line_and_column(
    data: bytes, line: int, field: str | None, words: str
) -> None:
    err = error_for(data, BERLIN)
    assert (err.path, err.line, err.field) == ("t.csv", line, field)
    assert words in err.message
    assert str(err).startswith(f"t.csv:{line}:")


# --------------------------------------------------------------------------- properties


CELLS = st.sampled_from(
    ["time", "text", "when", "message", '"', '""', ",", ";", "\t", "\n", "\r", "2026-03-15",
     "14:22", "2026-03-15T14:22Z", "1773584520", "\ufeff", "\x00", " "]
)  # fmt: skip


def _outcome(data: bytes, name: str = "t.csv") -> None:
    try:
        got = events(data, BERLIN, name)
    except PackError as exc:
        assert exc.message and exc.path == name
    else:
        assert all(isinstance(e, Event) and e.at.utcoffset() == timedelta(0) for e in got)


@given(st.lists(CELLS | st.text(max_size=12), max_size=30))
def test_any_text_gives_events_or_a_pack_error(parts: list[str]) -> None:
    _outcome("".join(parts).encode("utf-8", errors="surrogatepass"))


@given(st.binary(max_size=300))
def test_any_bytes_give_events_or_a_pack_error(data: bytes) -> None:
    _outcome(b"time,actor,text\n" + data)
    _outcome(data)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and s != ""
)
MOMENTS = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
)


@given(st.lists(st.tuples(MOMENTS, st.none() | TEXT, TEXT), max_size=15))
def test_rows_written_as_simple_csv_read_back_equal(
    rows: list[tuple[datetime, str | None, str]],
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["time", "actor", "text"])
    for at, actor, text in rows:
        writer.writerow([at.isoformat().replace("+00:00", "Z"), actor or "", text])
    got = events(out.getvalue())
    assert [(e.at, e.actor, e.text) for e in got] == rows
    assert all(e.zone == "given" for e in got)
