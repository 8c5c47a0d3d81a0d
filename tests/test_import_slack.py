"""The Slack export importer: the real sample export (folder and zip), markup, threads,
edits, the channel and time filters, and located errors for malformed exports."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.errors import PackError, UsageError
from hotwash.core.evidence import Archive, DictArchive, Event, ImportOptions
from hotwash.core.importers import slack

from .conftest import SHARED

SAMPLE = SHARED / "evidence" / "slack-export-hfaran"
DAY = "general/2024-05-02.json"
CHANNELS = orjson.dumps([{"id": "C0GEN", "name": "general"}, {"id": "C0OPS", "name": "ops"}])
USERS = orjson.dumps(
    [
        {"id": "U1", "name": "kim", "real_name": "Kim Example"},
        {"id": "U2", "name": "lee", "profile": {"display_name": "Lee"}},
    ]
)


def events(archive: Archive, **options: object) -> list[Event]:
    return list(slack.read(archive, ImportOptions(**options)))  # type: ignore[arg-type]


def export(messages: object, *, day: str = DAY, **extra: bytes) -> DictArchive:
    members = {"channels.json": CHANNELS, "users.json": USERS, day: orjson.dumps(messages)}
    members.update({k.replace("__", "/"): v for k, v in extra.items()})
    return DictArchive("export.zip", members)


def texts(messages: list[dict[str, object]]) -> list[str]:
    return [e.text for e in events(export(messages))]


def error(archive: Archive, **options: object) -> PackError:
    with pytest.raises(PackError) as info:
        events(archive, **options)
    return info.value


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, us: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, us, tzinfo=UTC)


@pytest.fixture(scope="module")
def sample() -> Path:
    assert (SAMPLE / "channels.json").is_file(), f"the Slack sample is missing: {SAMPLE}"
    return SAMPLE


@pytest.fixture(scope="module")
def sample_zip(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same export zipped the way Slack delivers it, under one top-level folder."""
    path = tmp_path_factory.mktemp("zip") / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for file in sorted(sample.rglob("*")):
            if file.is_file():
                zf.write(file, f"hfaran-export/{file.relative_to(sample).as_posix()}")
    return path


# --------------------------------------------------------------------------- the real sample


def by_link(found: list[Event]) -> dict[str, Event]:
    return {e.link or "": e for e in found}


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_sample_messages_read_by_hand(kind: str, sample: Path, sample_zip: Path) -> None:
    archive = open_archive(sample if kind == "folder" else sample_zip)
    assert slack.sniff(archive)
    found = by_link(events(archive))

    # enrique/2016-01-14.json, message 4: a mention resolved to the login name
    first = found["slack:enrique/1452837352.000006"]
    assert first.at == utc(2016, 1, 15, 5, 55, 52, 6)
    assert first.text == (
        "@abilinski: Created an issue for a setup.py so that it can be installed to a "
        "standard place"
    )
    assert (first.source, first.actor, first.bot, first.zone) == (
        "slack #enrique",
        "U0BMQB6JE",
        False,
        "given",
    )
    assert first.where.endswith("enrique/2016-01-14.json[4]")

    # a GitHub webhook: empty text, the words are in the attachment
    push = found["slack:enrique/1458980992.000013"]
    assert push.at == utc(2016, 3, 26, 8, 29, 52, 13)
    assert push.text == (
        '[enrique] New branch "hfaran_package '
        '(https://github.com/mesos-magellan/enrique/tree/hfaran_package)" was pushed by hfaran'
    )
    # the message names its bot only by id (B0JL6RASU); the channel's "added an integration"
    # message links that id to the name "github", so the actor is the name
    assert (push.actor, push.bot) == ("github", True)

    # a file share (bot_id null is not a bot); the title is already in the text
    share = found["slack:traveling-sailor/1459052866.000012"]
    assert share.at == utc(2016, 3, 27, 4, 27, 46, 12)
    assert share.text == (
        "@doubledeez uploaded a file: 100 cities "
        "(https://mesos-magellan.slack.com/files/U0BMS113R/F0VNAKDE2/100_cities.js)"
    )
    assert (share.source, share.actor, share.bot) == ("slack #traveling-sailor", "U0BMS113R", False)

    # a file comment has no user of its own: the commenter acts
    assert found["slack:traveling-sailor/1459106048.000018"].actor == "U0BMS113R"

    # an HTML entity, a tel: link whose label is its number, an edited message
    quote = found["slack:enrique/1458228721.000002"]
    assert quote.at == utc(2016, 3, 17, 15, 32, 1, 2)
    assert quote.text.startswith(">\"Essentially what I'm getting")
    fitness = found["slack:traveling-sailor/1459113341.000019"].text
    assert "Best fitness: 28919.8689279\n" in fitness and "<tel:" not in fitness
    assert found["slack:traveling-sailor/1458972985.000010"].text.endswith("}```" + " (edited)")
    assert not found["slack:traveling-sailor/1458972992.000011"].text.endswith("(edited)")


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_sample_counts(kind: str, sample: Path, sample_zip: Path) -> None:
    found = events(open_archive(sample if kind == "folder" else sample_zip))
    # 158 messages: 8 channel joins and 3 "added an integration" notices are left out
    assert Counter(e.source for e in found) == {
        "slack #enrique": 96,
        "slack #traveling-sailor": 51,
    }
    assert sum(e.bot for e in found) == 94
    assert not any("has joined the channel" in e.text for e in found)
    assert all(e.at.tzinfo is UTC for e in found)
    for channel in ("enrique", "traveling-sailor"):
        times = [e.at for e in found if e.source == f"slack #{channel}"]
        assert times == sorted(times)


def test_zip_and_folder_give_the_same_events(sample: Path, sample_zip: Path) -> None:
    def key(e: Event) -> tuple[object, ...]:
        return (e.at, e.text, e.source, e.actor, e.link, e.where.rsplit("/", 2)[-2:], e.bot)

    assert [key(e) for e in events(open_archive(sample))] == [
        key(e) for e in events(open_archive(sample_zip))
    ]


def test_channel_filter(sample: Path) -> None:
    archive = open_archive(sample)
    found = events(archive, channels=frozenset({"traveling-sailor"}))
    assert len(found) == 51
    assert {e.source for e in found} == {"slack #traveling-sailor"}
    assert len(events(archive, channels=frozenset({"#enrique"}))) == 96


def test_unknown_channel_is_a_usage_error_naming_the_known_ones(sample: Path) -> None:
    with pytest.raises(UsageError) as info:
        events(open_archive(sample), channels=frozenset({"incident-42"}))
    message = str(info.value)
    assert "incident-42" in message
    assert "enrique, traveling-sailor" in message


def test_time_window(sample: Path) -> None:
    found = events(
        open_archive(sample),
        since=utc(2016, 3, 26, 23, 0),
        until=utc(2016, 3, 27, 0, 9, 3, 8),  # the ts of enrique/2016-03-26.json[8]: inclusive
    )
    assert sorted(e.where for e in found) == [
        *(f"enrique/2016-03-26.json[{i}]" for i in range(2, 9)),
        "traveling-sailor/2016-03-26.json[1]",
        "traveling-sailor/2016-03-26.json[2]",
    ]


class Counting:
    """An archive that records which members were read."""

    def __init__(self, inner: Archive) -> None:
        self.inner = inner
        self.label = inner.label
        self.reads: list[str] = []

    def names(self) -> list[str]:
        return self.inner.names()

    def read(self, name: str) -> bytes:
        self.reads.append(name)
        return self.inner.read(name)


def test_day_files_are_read_one_at_a_time_and_only_near_the_window(sample: Path) -> None:
    archive = Counting(open_archive(sample))
    stream = slack.read(archive, ImportOptions())
    assert archive.reads == ["users.json", "channels.json"]
    next(stream)
    assert archive.reads[2:] == ["enrique/2016-01-14.json"]

    archive = Counting(open_archive(sample))
    found = events(archive, since=utc(2016, 1, 16), until=utc(2016, 1, 16, 23, 59))
    assert [e.link for e in found] == ["slack:enrique/1452988121.000015"]
    assert sorted(r for r in archive.reads if "/" in r) == [
        "enrique/2016-01-14.json",
        "enrique/2016-01-15.json",
        "enrique/2016-01-16.json",
        "traveling-sailor/2016-01-16.json",
    ]


def test_sniff() -> None:
    for other in ("pagerduty", "alertmanager", "csv-timeline"):
        assert not slack.sniff(open_archive(SHARED / "evidence" / other))
    assert slack.sniff(export([]))
    assert slack.sniff(DictArchive("x", {"a/b/users.json": b"[]", "a/b/ops/2024-01-01.json": b""}))
    assert not slack.sniff(DictArchive("x", {"users.json": b"[]", "notes.txt": b""}))
    assert not slack.sniff(DictArchive("x", {DAY: b"[]"}))  # day files alone could be anything
    assert not slack.sniff(DictArchive("x", {"channels.json": b"[]", "a/b/2024-01-01.json": b""}))


def test_path_traversal_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("channels.json", CHANNELS)
        zf.writestr("../evil.json", b"[]")
    with pytest.raises(PackError) as info:
        open_archive(path)
    assert info.value.path == str(path)
    assert "../evil.json" in info.value.message and "outside" in info.value.message


# --------------------------------------------------------------------------- markup


def test_markup_becomes_plain_text() -> None:
    said = texts(
        [
            {"ts": "1714640400.000100", "user": "U1", "text": "<@U2> and <@U9> and <@U9|sam>"},
            {"ts": "1714640401.000100", "user": "U1", "text": "see <#C0OPS> and <#C0XX|war-room>"},
            {
                "ts": "1714640402.000100",
                "user": "U1",
                "text": "<https://grafana.example/d/1|latency> <https://x.example/a?b=1&amp;c=2>",
            },
            {
                "ts": "1714640403.000100",
                "user": "U1",
                "text": "<mailto:oncall@x.example|oncall@x.example>",
            },
            {
                "ts": "1714640404.000100",
                "user": "U1",
                "text": "<!here> <!channel> <!everyone> <!subteam^S1|@sre> <!subteam^S2>",
            },
            {"ts": "1714640405.000100", "user": "U1", "text": "<!date^1714640405^{date}|May 2nd>"},
            {"ts": "1714640406.000100", "user": "U1", "text": "if a &lt; b &amp;&amp; c &gt; d"},
            {"ts": "1714640407.000100", "user": "U1", "text": "literally &amp;lt; and 1 < 2"},
            {"ts": "1714640407.000200", "user": "U1", "text": "a <b <@U2>! c>"},
            {
                "ts": "1714640408.000100",
                "user": "U1",
                "text": "<@U1|&lt;kim&gt;> <http://e.x|a &amp; b>",
            },
        ]
    )
    assert said == [
        "@lee and @U9 and @sam",
        "see #ops and #war-room",
        "latency (https://grafana.example/d/1) https://x.example/a?b=1&c=2",
        "oncall@x.example",
        "@here @channel @everyone @sre @subteam",
        "May 2nd",
        "if a < b && c > d",
        "literally &lt; and 1 < 2",
        "a <b @lee! c>",
        "@kim a & b (http://e.x)",
    ]


def test_without_users_json_mentions_keep_their_ids() -> None:
    archive = DictArchive(
        "x",
        {
            "channels.json": CHANNELS,
            DAY: b'[{"ts": "1714640400.0", "user": "U1", "text": "<@U1> here"}]',
        },
    )
    assert [e.text for e in events(archive)] == ["@U1 here"]


def test_without_channels_json_channels_come_from_folders() -> None:
    archive = DictArchive(
        "x",
        {
            "users.json": USERS,
            "sev1/2024-05-02.json": b'[{"ts": "1714640400.0", "user": "U1", "text": "paged"}]',
            "sev2/2024-05-03.json": b'[{"ts": "1714726800.0", "user": "U2", "text": "ok"}]',
        },
    )
    assert [(e.source, e.text) for e in events(archive)] == [
        ("slack #sev1", "paged"),
        ("slack #sev2", "ok"),
    ]
    assert [e.source for e in events(archive, channels=frozenset({"sev2"}))] == ["slack #sev2"]
    with pytest.raises(UsageError, match="sev1, sev2"):
        events(archive, channels=frozenset({"sev3"}))


def test_day_files_alone_can_still_be_read_when_named() -> None:
    archive = DictArchive("x", {"exp/ops/2024-05-02.json": b'[{"ts": "1714640400", "text": "hi"}]'})
    found = events(archive)
    assert [(e.source, e.link, e.actor) for e in found] == [
        ("slack #ops", "slack:ops/1714640400", None)
    ]
    with pytest.raises(PackError, match="not a Slack export"):
        events(DictArchive("x", {"notes.txt": b"hello"}))


# --------------------------------------------------------------------------- kinds of message


def test_threads_are_marked_and_kept_in_time_order() -> None:
    found = events(
        export(
            [
                {
                    "ts": "1714640500.000200",
                    "user": "U2",
                    "text": "rolled back",
                    "thread_ts": "1714640400.000100",
                },
                {
                    "ts": "1714640400.000100",
                    "user": "U1",
                    "text": "errors up",
                    "thread_ts": "1714640400.000100",
                    "reply_count": 1,
                },
                {"ts": "1714640450.000300", "user": "U1", "text": "looking"},
            ]
        )
    )
    assert [(e.at, e.text) for e in found] == [
        (utc(2024, 5, 2, 9, 0, 0, 100), "errors up"),
        (utc(2024, 5, 2, 9, 0, 50, 300), "looking"),
        (utc(2024, 5, 2, 9, 1, 40, 200), "(thread reply) rolled back"),
    ]
    assert [e.where for e in found] == [f"{DAY}[1]", f"{DAY}[2]", f"{DAY}[0]"]


def test_edits_and_deletions() -> None:
    found = events(
        export(
            [
                {"ts": "1714640400.000100", "user": "U1", "text": "db is fine"},
                {
                    "ts": "1714640410.000100",
                    "user": "U2",
                    "text": "typo here",
                    "edited": {"user": "U2", "ts": "1714640420.0"},
                },
                {"ts": "1714640430.000100", "user": "U2", "text": "oops, wrong channel"},
                {
                    "type": "message",
                    "subtype": "message_changed",
                    "ts": "1714640500.000900",
                    "message": {"ts": "1714640400.000100", "user": "U1", "text": "db is NOT fine"},
                },
                {
                    "subtype": "message_deleted",
                    "ts": "1714640510.0",
                    "deleted_ts": "1714640430.000100",
                },
                {
                    "subtype": "message_changed",
                    "ts": "1714640520.0",
                    "message": {"ts": "1714640300.0", "user": "U2", "text": "from <@U1|kim>"},
                },
            ]
        )
    )
    assert [(e.link, e.text, e.actor) for e in found] == [
        ("slack:general/1714640300.0", "from @kim (edited)", "U2"),
        ("slack:general/1714640400.000100", "db is NOT fine (edited)", "U1"),
        ("slack:general/1714640410.000100", "typo here (edited)", "U2"),
    ]
    assert found[0].where == f"{DAY}[5]"


def test_noise_is_dropped_and_topic_changes_kept() -> None:
    said = texts(
        [
            {
                "ts": "1714640400.1",
                "subtype": "channel_join",
                "user": "U1",
                "text": "<@U1> has joined the channel",
            },
            {
                "ts": "1714640401.1",
                "subtype": "channel_leave",
                "user": "U1",
                "text": "<@U1> has left the channel",
            },
            {
                "ts": "1714640402.1",
                "subtype": "bot_add",
                "user": "U1",
                "text": "added an integration",
            },
            {
                "ts": "1714640403.1",
                "subtype": "channel_purpose",
                "user": "U1",
                "text": "set the channel purpose: x",
            },
            {
                "ts": "1714640404.1",
                "subtype": "channel_topic",
                "user": "U1",
                "text": "<@U1> set the channel topic: SEV1 checkout down",
            },
            {"ts": "1714640405.1", "user": "U1", "text": ""},
            {"ts": "1714640406.1", "user": "U1", "text": "   "},
            {"ts": "1714640407.1", "user": "U1"},
        ]
    )
    assert said == ["@kim set the channel topic: SEV1 checkout down"]


def test_bots_and_their_attachments_and_blocks() -> None:
    found = events(
        export(
            [
                {
                    "ts": "1714640400.000100",
                    "subtype": "bot_message",
                    "username": "alertmanager",
                    "bot_id": "B1",
                    "text": "",
                    "attachments": [
                        {
                            "fallback": "[FIRING] HighLatency",
                            "title": "[FIRING:1] HighLatency checkout",
                            "text": "p99 &gt; 2s",
                        },
                        {"fallback": "second alert, fallback only"},
                    ],
                },
                {
                    "ts": "1714640401.000100",
                    "bot_id": "B2",
                    "bot_profile": {"name": "deploys"},
                    "text": "",
                    "blocks": [
                        {
                            "type": "section",
                            "text": {
                                "type": "mrkdwn",
                                "text": "*Deploy* of <https://ci.example/1|build 1>",
                            },
                        },
                        {
                            "type": "rich_text",
                            "elements": [
                                {
                                    "type": "rich_text_section",
                                    "elements": [
                                        {"type": "text", "text": "approved by "},
                                        {"type": "user", "user_id": "U2"},
                                        {"type": "text", "text": " in "},
                                        {"type": "channel", "channel_id": "C0OPS"},
                                        {"type": "text", "text": " "},
                                        {"type": "broadcast", "range": "here"},
                                    ],
                                }
                            ],
                        },
                    ],
                },
                {
                    "ts": "1714640402.000100",
                    "subtype": "bot_message",
                    "bot_id": "B3",
                    "text": "",
                    "attachments": [],
                },
                {
                    "ts": "1714640403.000100",
                    "user": "U1",
                    "text": "",
                    "files": [{"title": "heap.txt"}, {"name": "trace.json"}],
                },
                {
                    "ts": "1714640404.000100",
                    "user": "U1",
                    "text": "logs attached",
                    "files": [{"title": "logs attached"}, {"title": "gc.log"}],
                },
            ]
        )
    )
    assert [(e.text, e.actor, e.bot) for e in found] == [
        (
            "[FIRING:1] HighLatency checkout p99 > 2s\nsecond alert, fallback only",
            "alertmanager",
            True,
        ),
        (
            "*Deploy* of build 1 (https://ci.example/1)\napproved by @lee in #ops @here",
            "deploys",
            True,
        ),
        ("(file: heap.txt; file: trace.json)", "U1", False),
        ("logs attached (file: gc.log)", "U1", False),
    ]


def test_numeric_ts_from_other_tools_is_accepted() -> None:
    found = events(export([{"ts": 1714640400.25, "user": "U1", "text": "x"}]))
    assert [(e.at, e.link) for e in found] == [
        (utc(2024, 5, 2, 9, 0, 0, 250000), "slack:general/1714640400.25")
    ]


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (b'[{"ts": "1714640400.1", "text": "a"}, {"ts": "1714640', None, "not valid JSON"),
        (b"", None, "empty"),
        (b'{"ts": "1714640400.1", "text": "a"}', None, "array"),
        (b'[{"ts": "1714640400.1", "text": "a"}, {"text": "no time"}]', "[1].ts", "epoch seconds"),
        (b'[{"ts": "soon", "text": "a"}]', "[0].ts", "'soon'"),
        (b'[{"ts": "1e999", "text": "a"}]', "[0].ts", "epoch seconds"),
        (b'[{"ts": "nan", "text": "a"}]', "[0].ts", "epoch seconds"),
        (b'[{"ts": true, "text": "a"}]', "[0].ts", "true/false"),
        (b'[{"ts": "1714640400.1", "text": 42}]', "[0].text", "found a number"),
        (b'[{"ts": "1714640400.1", "text": "a", "user": ["U1"]}]', "[0].user", "found an array"),
        (b'[{"ts": "1714640400.1", "subtype": 3, "text": "a"}]', "[0].subtype", "a string"),
        (b'[{"ts": "1714640400.1", "text": ""}, "hello"]', "[1]", "message object"),
        (
            b'[{"ts": "1714640400.1", "text": "", "attachments": {"text": "x"}}]',
            "[0].attachments",
            "an array",
        ),
        (
            b'[{"ts": "1714640400.1", "text": "", "attachments": [{"title": 7}]}]',
            "[0].attachments[0].title",
            "a string",
        ),
        (
            b'[{"ts": "1714640400.1", "subtype": "message_changed"}]',
            "[0].message",
            "edited message",
        ),
        (
            b'[{"ts": "1714640400.1", "subtype": "message_changed",'
            b' "message": {"ts": "x", "text": "a"}}]',
            "[0].message.ts",
            "'x'",
        ),
        (
            b'[{"ts": "1714640400.1", "subtype": "message_changed", "message": {"text": 1}}]',
            "[0].message.text",
            "a number",
        ),
    ],
)
def test_malformed_day_file_names_member_and_field(
    data: bytes, field: str | None, words: str
) -> None:
    archive = DictArchive("export.zip", {"channels.json": CHANNELS, DAY: data})
    found = error(archive)
    assert found.path == f"export.zip/{DAY}"
    assert found.field == field
    assert words in found.message
    assert DAY in str(found)


def test_truncated_json_gives_the_line() -> None:
    found = error(
        DictArchive("x", {"users.json": USERS, DAY: b'[\n {"ts": "1.0",\n  "text": "a"\n'})
    )
    assert found.line is not None and found.line >= 3


@pytest.mark.parametrize(
    ("member", "data", "field", "words"),
    [
        (
            "users.json",
            b'{"members": []}',
            None,
            "expected a JSON array of user objects, found an object",
        ),
        ("users.json", b"", None, "empty"),
        ("users.json", b'[{"id": "U1", "name": 5}]', "[0].name", "a string"),
        ("users.json", b'["U1"]', "[0]", "an object"),
        ("channels.json", b'[{"id": "C1", "name": null}, {"id": 4}]', "[1].id", "a string"),
        ("channels.json", b"[{", None, "not valid JSON"),
    ],
)
def test_malformed_metadata_names_member_and_field(
    member: str, data: bytes, field: str | None, words: str
) -> None:
    archive = DictArchive(
        "x.zip", {"channels.json": CHANNELS, "users.json": USERS, DAY: b"[]", member: data}
    )
    found = error(archive)
    assert found.path == f"x.zip/{member}"
    assert found.field == field
    assert words in found.message


def test_errors_inside_a_zip_name_the_member(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("export/channels.json", CHANNELS)
        zf.writestr("export/general/2024-05-01.json", b'[{"ts": "1714550400.0", "text": "ok"}]')
        zf.writestr("export/general/2024-05-02.json", b'[{"ts": "1714640400.0", "text": {}}]')
    archive = open_archive(path)
    assert slack.sniff(archive)
    stream = slack.read(archive, ImportOptions())
    assert next(stream).text == "ok"
    with pytest.raises(PackError) as info:
        next(stream)
    assert info.value.path == f"{path}/export/general/2024-05-02.json"
    assert info.value.field == "[0].text"


# --------------------------------------------------------------------------- fuzzing

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = (
    "ts",
    "text",
    "user",
    "subtype",
    "thread_ts",
    "edited",
    "bot_id",
    "username",
    "bot_profile",
    "comment",
    "attachments",
    "blocks",
    "files",
    "file",
    "message",
    "deleted_ts",
)
TS = st.sampled_from(["1714640400.000100", "1714640401", "0", "-5.5", "1e20", "x"]) | JSON
MESSAGE = st.dictionaries(
    st.sampled_from(KEYS),
    JSON
    | st.sampled_from(["message_changed", "message_deleted", "bot_message", "channel_join"])
    | st.sampled_from(["<@U1>", "<#C0OPS|ops>", "a &amp; <http://x|y", "<>", "<!here|x>"]),
    max_size=6,
).flatmap(lambda m: TS.map(lambda ts: {**m, "ts": ts}) if "ts" not in m else st.just(m))


def only_events_or_pack_error(data: bytes) -> None:
    archive = DictArchive("x", {"channels.json": CHANNELS, "users.json": USERS, DAY: data})
    try:
        found = events(archive)
    except PackError as exc:
        assert exc.path == f"x/{DAY}"
        return
    for e in found:
        assert isinstance(e.text, str) and e.text
        assert e.at.tzinfo is UTC
        assert e.source == "slack #general"


@given(st.binary(max_size=200))
def test_fuzz_bytes(data: bytes) -> None:
    only_events_or_pack_error(data)


@given(JSON)
def test_fuzz_json_values(value: object) -> None:
    only_events_or_pack_error(orjson.dumps(value))


@given(st.lists(MESSAGE, max_size=5))
def test_fuzz_message_shaped_values(messages: list[dict[str, object]]) -> None:
    only_events_or_pack_error(orjson.dumps(messages))


def test_a_bot_named_in_one_channel_keeps_its_name_in_another() -> None:
    import json

    added = {
        "type": "message", "subtype": "bot_add", "bot_id": "B01", "user": "U1",
        "text": "added an integration to this channel: <https://x.slack.com/services/B01|ci-bot>",
        "ts": "1458969000.000001",
    }  # fmt: skip
    post = {"type": "message", "subtype": "bot_message", "bot_id": "B01", "text": "build failed",
            "ts": "1458969100.000001"}  # fmt: skip
    other = {"type": "message", "subtype": "bot_message", "bot_id": "B02", "text": "deployed",
             "ts": "1458969200.000001"}  # fmt: skip
    archive = DictArchive(
        "export",
        {
            "channels.json": json.dumps(
                [{"id": "C1", "name": "a"}, {"id": "C2", "name": "b"}]
            ).encode(),
            "a/2016-03-26.json": json.dumps([added]).encode(),
            "b/2016-03-26.json": json.dumps([post, other]).encode(),
        },
    )
    events = list(slack.read(archive, ImportOptions()))
    assert [(e.text, e.actor, e.bot) for e in events] == [
        ("build failed", "ci-bot", True),
        ("deployed", "B02", True),
    ]
