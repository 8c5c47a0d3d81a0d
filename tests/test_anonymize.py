"""Anonymizing imported evidence: the roster, people in actors and texts, and redaction of
contact details and secrets, with the real Slack sample as the final check."""

from __future__ import annotations

import json
import re
from dataclasses import astuple, fields
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core.anonymize import (
    Anonymizer,
    PeopleRoster,
    Person,
    Redactions,
    anonymize,
)
from hotwash.core.errors import PackError
from hotwash.core.evidence import Event
from hotwash.core.publish import Roster

from .conftest import SHARED

SLACK = SHARED / "evidence" / "slack-export-hfaran"
AT = datetime(2026, 3, 15, 14, 22, tzinfo=UTC)

ROSTER_YAML = """
people:
  Sam Rivera: "@sam"
  "@jo":
    names: [Jo Park, Joanna Park]
    ids: [U024BE7LH]
    logins: [jpark, "@jo.park"]
    emails: [jo.park@example.com]
  incident commander:
    ids: U0ABCDE12
    names: Priya Shah
teams: [Payments Core]
"""


def roster() -> PeopleRoster:
    return PeopleRoster.from_data(yaml.safe_load(ROSTER_YAML), path="roster.yaml")


def event(text: str = "", actor: str | None = None, **more: Any) -> Event:
    return Event(
        at=AT, text=text, source=more.pop("source", "slack #incident"), actor=actor, **more
    )


# --------------------------------------------------------------------------- roster


def test_roster_reads_the_short_and_the_long_form() -> None:
    r = roster()
    assert r.people == (
        Person("@sam", names=("Sam Rivera",)),
        Person(
            "@jo",
            names=("Jo Park", "Joanna Park"),
            ids=("U024BE7LH",),
            logins=("jpark", "jo.park"),
            emails=("jo.park@example.com",),
        ),
        Person("incident commander", names=("Priya Shah",), ids=("U0ABCDE12",)),
    )
    assert r.teams == ("Payments Core",)
    assert r.names() == {
        "Sam Rivera": "@sam",
        "Jo Park": "@jo",
        "Joanna Park": "@jo",
        "Priya Shah": "incident commander",
    }


def test_publish_reads_the_same_roster_file_in_either_form() -> None:
    old = Roster.from_data({"people": {"Kim Lee": "@kim"}, "teams": ["Payments Core"]})
    assert old == Roster({"Kim Lee": "@kim"}, ("Payments Core",))
    new = Roster.from_data(yaml.safe_load(ROSTER_YAML))
    assert new.people["Joanna Park"] == "@jo"
    assert "@jo" not in new.people  # the key of a long entry is the handle, not a name
    assert Roster.from_data(None) == Roster()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ([], None, "a roster is a mapping"),
        ({"peeple": {}}, "peeple", "unknown key"),
        ({"people": ["Sam Rivera"]}, "people", "found a list"),
        ({"people": {"Sam Rivera": None}}, "people.Sam Rivera", "found nothing"),
        ({"people": {"Sam Rivera": 7}}, "people.Sam Rivera", "the number 7"),
        ({"people": {"Sam Rivera": "@ sam"}}, "people.Sam Rivera", "is not a handle"),
        ({"people": {"Sam Rivera": "sam!!"}}, "people.Sam Rivera", "neither a handle"),
        ({"people": {"Sam Rivera": "sam rivera"}}, "people.Sam Rivera", "own name"),
        ({"people": {"@sam": "Sam Rivera"}}, "people.@sam", "swap them"),
        ({"people": {True: "@sam"}}, "people.True", "full name"),
        ({"people": {"@sam": {"nmaes": ["Sam"]}}}, "people.@sam.nmaes", "unknown key"),
        ({"people": {"@sam": {}}}, "people.@sam", "lists nothing"),
        ({"people": {"@sam": {"ids": {"a": 1}}}}, "people.@sam.ids", "a mapping"),
        ({"people": {"@sam": {"ids": ["U1", 12]}}}, "people.@sam.ids[1]", "expected text"),
        ({"people": {"@sam": {"ids": ["U1 X"]}}}, "people.@sam.ids[0]", "single words"),
        ({"people": {"@sam": {"emails": ["sam at x"]}}}, "people.@sam.emails[0]", "e-mail"),
        ({"people": {"@sam": {"names": ["sam@x.io"]}}}, "people.@sam.names[0]", "'emails'"),
        ({"people": {"@sam": {"names": ["S"]}}}, "people.@sam.names[0]", "too short"),
        ({"people": {"@sam": {"names": ["@sam"]}}}, "people.@sam.names[0]", "has an '@'"),
        ({"people": {"sam!": {"ids": ["U1"]}}}, "people.sam!", "neither a handle"),
        (
            {"people": {"Sam Rivera": "@sam", "@sr": {"names": ["sam  RIVERA"]}}},
            "people.@sr.names[0]",
            "already listed for '@sam'",
        ),
        (
            {"people": {"@a": {"ids": ["U1"]}, "@b": {"ids": ["u1"]}}},
            "people.@b.ids[0]",
            "people.@a.ids[0]",
        ),
        ({"teams": "Payments"}, "teams", "a list of team names"),
        ({"teams": ["Payments", None]}, "teams[1]", "team name"),
    ],
)
def test_a_bad_roster_names_the_field(data: Any, field: str | None, words: str) -> None:
    with pytest.raises(PackError) as info:
        PeopleRoster.from_data(data, path="roster.yaml")
    assert info.value.field == field
    assert words in info.value.message
    assert str(info.value).startswith("roster.yaml:")


def test_the_same_person_may_list_an_identifier_twice() -> None:
    r = PeopleRoster.from_data({"people": {"@sam": {"names": ["Sam Rivera"], "logins": "sam"}}})
    assert r.people[0].logins == ("sam",)
    assert PeopleRoster.from_data({"people": None}) == PeopleRoster()


# --------------------------------------------------------------------------- people


def test_rostered_people_become_their_handle_or_role_in_the_actor() -> None:
    a = Anonymizer(roster())
    assert a.actor("U024BE7LH") == "@jo"
    assert a.actor("<@U024BE7LH>") == "@jo"
    assert a.actor("jpark") == "@jo"
    assert a.actor("@JPARK") == "@jo"
    assert a.actor("Jo.Park@example.com") == "@jo"
    assert a.actor("joanna  park") == "@jo"
    assert a.actor("Sam Rivera") == "@sam"
    assert a.actor("U0ABCDE12") == "incident commander"
    assert a.actor("Sam Rivera (IC)") == "@sam (IC)"
    assert a.actor(None) is None
    assert a.actor("@jo") == "@jo"  # already a handle (notes written with handles)
    assert a.actor("Incident Commander") == "Incident Commander"
    assert a.redactions.people == 9
    assert a.redactions.pseudonyms == 0


def test_names_ids_logins_and_addresses_in_text_become_handles() -> None:
    a = Anonymizer(roster())
    text = (
        "SAM RIVERA paged <@U024BE7LH|jo> and <@U0ABCDE12>; Joanna Park (jo.park@example.com) "
        "asked @jpark and @jo.park, then U024BE7LH posted https://x.slack.com/files/U024BE7LH/F1"
    )
    assert a.text(text) == (
        "@sam paged @jo and incident commander; @jo (@jo) asked @jo and @jo, then @jo "
        "posted https://x.slack.com/files/@jo/F1"
    )
    assert a.redactions.people == 9


def test_names_match_whole_words_longest_first_and_first_names_only_when_strict() -> None:
    a = Anonymizer(roster())
    assert a.text("Joanna Park and Jo Parker and Sam Riveras") == (
        "@jo and Jo Parker and Sam Riveras"
    )
    assert a.text("Sam said Jo would check") == "Sam said Jo would check"
    assert a.text("İstanbul team: sam rivera") == "İstanbul team: @sam"  # İ lowers to two
    strict = Anonymizer(roster(), strict=True)
    assert strict.text("Sam said Priya would check") == "@sam said incident commander would check"
    shared = PeopleRoster.from_data({"people": {"Sam Rivera": "@sam", "Sam Ortiz": "@so"}})
    assert Anonymizer(shared, strict=True).text("ask Sam or Ortiz") == "ask [name] or Ortiz"


def test_unknown_people_get_stable_pseudonyms_in_order_of_first_appearance() -> None:
    a = Anonymizer(roster())
    events = [
        event("deploying now", actor="U0ZZZZZZ9"),
        event("<@U0ZZZZZZ9> rollback?", actor="Kim Lee"),
        event("Kim Lee and U0YYYYYY8 agree", actor="U0ZZZZZZ9"),
        event("ok", actor="kim lee"),
        event("done", actor="jo@elsewhere.example"),
        event("ping jo@elsewhere.example", actor="jo@elsewhere.example"),
    ]
    out = list(anonymize(events, a))
    assert [e.actor for e in out] == [
        "@person-1",
        "@person-2",
        "@person-1",
        "@person-2",
        "@person-4",
        "@person-4",
    ]
    assert out[1].text == "@person-1 rollback?"
    assert out[2].text == "@person-2 and @person-3 agree"
    assert out[5].text == "ping @person-4"  # the address of a known actor: their pseudonym
    assert a.text("mail kim@elsewhere.example") == "mail [email]"
    assert a.redactions.unknown_people == 4


def test_strict_pseudonymises_every_unknown_mention() -> None:
    text = "@kim and @here: ask @sam, @jpark or @person-1"
    assert Anonymizer(roster()).text(text) == "@kim and @here: ask @sam, @jo or @person-1"
    strict = Anonymizer(roster(), strict=True)
    assert strict.text(text) == "@person-1 and @here: ask @sam, @jo or @person-1"
    learned = Anonymizer(roster())
    assert learned.actor("kimlee") == "@person-1"
    assert learned.text("thanks @kimlee") == "thanks @person-1"


def test_bots_and_services_keep_their_names() -> None:
    a = Anonymizer(roster())
    for name in ["Travis CI", "alertmanager", "dependabot[bot]", "PagerDuty", "deploy-bot"]:
        assert a.actor(name) == name
    assert a.actor("Build Helper", bot=True) == "Build Helper"
    assert a.actor("U0BOTBOT1", bot=True) == "@person-1"  # an id is no name to keep
    assert a.actor("Sam Talbot") == "@person-2"  # 'bot' inside a surname is no bot
    assert a.actor("alerts@example.com") == "@person-3"  # an address never survives
    out = a.apply(event("build passed", actor="Travis CI", bot=True))
    assert out.actor == "Travis CI"


def test_a_directory_turns_people_the_roster_lacks_into_pseudonyms() -> None:
    directory = [Person(None, names=("Hermione Granger",), ids=("U0BMS113R",))]
    a = Anonymizer(roster(), directory=directory)
    assert a.text("Hermione Granger asked Sam Rivera") == "@person-1 asked @sam"
    assert a.actor("U0BMS113R") == "@person-1"


# --------------------------------------------------------------------------- details

POSITIVE = {
    "email": [
        "jo@example.com",
        "first.last+tag@mail.example.co.uk",
        "ops-team@corp.example.com",
    ],
    "phone": [
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "+15551234567",
        "+49 30 1234567",
        "+33 1 23 45 67 89",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "020 7946 0958",
        "07700 900123",
        "07700900123",
        "030/1234567",
        "01 23 45 67 89",
    ],
    "ip": [
        "10.0.0.12",
        "192.168.1.1/24",
        "255.255.255.0",
        "fe80::1",
        "2001:db8::7",
        "::1",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ],
    "secret": [
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "A1b2C3d4" * 5,
        "github_pat_" + "11ABCDEFG" * 6,
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "glpat-" + "x1Y2z3W4v5U6t7S8r9Q0",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
        "-----END RSA PRIVATE KEY-----",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "k9Xw2pQz7LmN4vB8rT1yH6jF3sD5gA0e",
        "9f86d081884c7d659a2feaa0c55ad015",
    ],
}

POSITIVE_CONTEXT = [  # a value behind its name: the name stays, the value goes
    ("password=hunter2", "password=[secret]", "hunter2"),
    ("DB_PASSWORD: 's3cr3t-value'", "DB_PASSWORD: '[secret]'", "s3cr3t-value"),
    ('{"api_key": "abc123def456"}', '{"api_key": "[secret]"}', "abc123def456"),
    ("AWS_SECRET_ACCESS_KEY=abcdefgh", "AWS_SECRET_ACCESS_KEY=[secret]", "abcdefgh"),
    ("Authorization: Bearer abcDEF123456ghiJKL", "Authorization: Bearer [secret]", "abcDEF"),
    ("https://deploy:pa55word@git.example.com/x", "https://deploy:[secret]@git", "pa55word"),
    ("?X-Amz-Signature=0a1b2c3d4e5f&x=1", "?X-Amz-Signature=[secret]&x=1", "0a1b2c3d4e5f"),
]

NEGATIVE = [
    "at 14:22:05 the error rate rose",
    "for 14:22 to 15:07, 45 min",
    "on 2026-03-15 and 2026-03-15T14:22:05Z",
    "on 15.03.2026 or 03/15/2026",
    "upgraded to 1.2.3 then v1.2.3.4",
    "INC-4821 and INC0012345 and #48213",
    "took 1h 45m, p99 1200ms, +5% errors",
    "ts 1458208082.000002 epoch 1710512525123",
    "12,345,678 requests, pi 3.14159265358",
    "OID 1.3.6.1.4.1 and 999.1.1.1",
    "times 12:30:45:67 and std::vector",
    "call +1 555 later",
    "commit 7c019470cf14fd2d14fab276c0a6e4313d393a12 rolled back",
    "7c019470cf14fd2d14fab276c0a6e4313d393a12",
    "short sha 7c01947 and build 20260315.3",
    "request 3f2b8c1e-9a4d-4f6e-8b2a-1c3d5e7f9a0b failed",
    "image sha256:" + "9f86d081884c7d659a2feaa0c55ad015" * 2,
    "trace_id=4bf92f3577b34da6a3ce929d0e0e4736",
    '"incident_key": "baf7cf21b1da41b4b0221008339ff357"',
    "pod payments-api-7c9f8d6b5-x2x4q restarted",
    "see src/hotwash/core/anonymize_v2.py and checkout_service_latency_p99_2026",
    "AbstractSingletonProxyFactoryBean and getUserById2FactorAuth",
    "https://docs.google.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcd/edit",
    "the token: expired, secret: rotated",
    "@here the on-call rotation",
    "v1.2@latest",
]


@pytest.mark.parametrize(
    ("kind", "value"), [(k, v) for k, values in POSITIVE.items() for v in values]
)
def test_each_kind_of_detail_is_removed(kind: str, value: str) -> None:
    a = Anonymizer(roster())
    out = a.text(f"see {value} now.")
    assert out == f"see [{kind}] now."
    assert getattr(a.redactions, kind + "s") == 1
    assert a.redactions.total == 1


@pytest.mark.parametrize(("text", "expected", "value"), POSITIVE_CONTEXT)
def test_a_named_secret_loses_its_value_and_keeps_its_name(
    text: str, expected: str, value: str
) -> None:
    a = Anonymizer()
    out = a.text(text)
    assert expected in out
    assert value not in out
    assert a.redactions.secrets == 1


@pytest.mark.parametrize("text", NEGATIVE)
def test_times_dates_versions_references_and_ids_are_kept(text: str) -> None:
    a = Anonymizer(roster())
    assert a.text(text) == text
    assert a.redactions.total == 0


def test_a_commit_is_a_reference_but_an_unnamed_hex_key_is_a_secret() -> None:
    a = Anonymizer()
    sha = "7c019470cf14fd2d14fab276c0a6e4313d393a12"
    assert a.text(f"reverted {sha}") == f"reverted {sha}"
    assert a.text(f"key {sha[:32]}") == "key [secret]"
    assert a.text(f"key {sha[:32]}ab{sha[:30]}") == "key [secret]"  # 64 hex, not named


def test_redactions_count_and_say_what_was_removed_but_never_whom() -> None:
    a = Anonymizer(roster())
    a.apply(event("Sam Rivera mailed x@y.example from 10.1.2.3", actor="U0QQQQQQ1"))
    r = a.redactions
    assert (r.people, r.pseudonyms, r.unknown_people, r.emails, r.ips) == (1, 1, 1, 1, 1)
    assert r.total == 4
    said = a.summary() + repr(r) + repr(a)
    assert a.summary() == (
        "1 name, id or login of rostered people replaced by handle or role; 1 person not in "
        "the roster given a pseudonym (1 mention); removed 1 e-mail address, 1 IP address"
    )
    for word in ("Sam", "Rivera", "U0QQQQQQ1", "@sam", "x@y"):
        assert word not in said
    assert Redactions().lines() == []
    assert Redactions().summary() == "nothing needed replacing"


def test_the_command_builds_an_anonymizer_from_roster_data_and_streams() -> None:
    a = Anonymizer.from_data(yaml.safe_load(ROSTER_YAML), where="roster.yaml")
    out = list(a.stream([event("Jo Park here", actor="U024BE7LH")]))
    assert (out[0].text, out[0].actor) == ("@jo here", "@jo")
    assert Anonymizer.from_data(None).actor("Kim Lee") == "@person-1"
    with pytest.raises(PackError) as info:
        Anonymizer.from_data({"people": {"@sam": {}}}, where="roster.yaml")
    assert str(info.value).startswith("roster.yaml: people.@sam:")


def test_apply_copies_every_field_and_changes_only_what_names_people() -> None:
    assert [f.name for f in fields(Event)] == [
        "at",
        "text",
        "source",
        "actor",
        "link",
        "where",
        "zone",
        "moment",
        "bot",
    ], "a new Event field: decide in Anonymizer.apply whether it needs anonymizing"
    original = Event(
        at=AT,
        text="Sam Rivera acked",
        source="pagerduty Sam Rivera",
        actor="Sam Rivera",
        link="https://pd.example/incidents/P1?user=jo.park@example.com",
        where="log_entries.json:12",
        zone="assumed",
        moment="acknowledged",
        bot=False,
    )
    out = Anonymizer(roster()).apply(original)
    assert astuple(out) == (
        AT,
        "@sam acked",
        "pagerduty @sam",
        "@sam",
        "https://pd.example/incidents/P1?user=@jo",
        "log_entries.json:12",
        "assumed",
        "acknowledged",
        False,
    )
    assert original.text == "Sam Rivera acked"  # the input is left as it was


def test_anonymize_streams_one_event_at_a_time() -> None:
    pulled: list[int] = []

    def source() -> Any:
        for i in range(1000):
            pulled.append(i)
            yield event(f"message {i} from Sam Rivera")

    stream = anonymize(source(), Anonymizer(roster()))
    first = next(stream)
    assert first.text == "message 0 from @sam"
    assert pulled == [0]


# --------------------------------------------------------------------------- nothing leaks


def _all_text(events: list[Event]) -> str:
    return "\n".join(str(v) for e in events for v in astuple(e)).lower()


def test_a_realistic_batch_keeps_no_name_id_login_or_address() -> None:
    r = roster()
    a = Anonymizer(r)
    events = [
        event("Sam Rivera: checkout errors up, paging <@U024BE7LH>", actor="Sam Rivera"),
        event("ack, looking", actor="U024BE7LH"),
        event("Joanna Park thinks it is the pool; mail jo.park@example.com", actor="jpark"),
        event("db 10.20.30.40 saturated; DB_PASSWORD=Pa55word1 leaked in logs", actor="U0ABCDE12"),
        event(
            "Priya Shah is IC; call +44 20 7946 0958", actor="Priya Shah", link="tel:+442079460958"
        ),
        event("FIRING: PoolSaturation", actor="alertmanager", bot=True, source="alertmanager"),
        event("thanks @jo.park and <@U0ABCDE12|priya>", actor="U0NEWPERS1"),
    ]
    out = list(anonymize(events, a))
    blob = _all_text(out)
    for person in r.people:
        for item in (*person.names, *person.ids, *person.emails):
            assert item.lower() not in blob, item
        for login in person.logins:
            assert f"@{login}" not in blob.replace("@jo ", " ").replace("@jo\n", "\n"), login
    for gone in ("u0newpers1", "10.20.30.40", "pa55word1", "7946", "jpark"):
        assert gone not in blob
    assert out[5].actor == "alertmanager"
    assert out[0].text == "@sam: checkout errors up, paging @jo"


def _slack_events() -> tuple[list[dict[str, Any]], list[Event]]:
    """Events built straight from the export's JSON: text with attachment texts, the user
    (else the bot's name or id) as actor, a file's permalink as link."""
    users = json.loads((SLACK / "users.json").read_text("utf-8"))
    events: list[Event] = []
    for day in sorted(SLACK.glob("*/*.json")):
        for m in json.loads(day.read_text("utf-8")):
            parts = [m.get("text", "")]
            for att in m.get("attachments", []):
                parts += [str(att.get(k, "")) for k in ("pretext", "title", "text", "fallback")]
            upload = m.get("file") or {}
            actor = m.get("user") or m.get("username") or m.get("bot_id")
            events.append(
                Event(
                    at=datetime.fromtimestamp(float(m["ts"]), UTC),
                    text="\n".join(parts),
                    source=f"slack #{day.parent.name}",
                    actor=actor or (m.get("comment") or {}).get("user"),
                    link=upload.get("permalink") or upload.get("url_private"),
                    where=f"{day.parent.name}/{day.name}",
                    bot=m.get("subtype") == "bot_message" or "bot_id" in m,
                )
            )
    return users, events


def test_the_real_slack_export_keeps_no_name_or_user_id() -> None:
    users, events = _slack_events()
    assert len(users) == 4 and len(events) == 158
    people: dict[str, Any] = {}
    for i, u in enumerate(users, start=1):
        entry: dict[str, Any] = {"ids": [u["id"]], "logins": [u["name"]]}
        if " " in u["real_name"]:
            entry["names"] = [u["real_name"]]
        people[f"@member{i}"] = entry
    people["@member3"]["logins"].append("hfaran")  # the same person's login on GitHub
    r = PeopleRoster.from_data({"people": people})
    blob_before = _all_text(events)
    present = [u["id"] for u in users] + ["Hamza Faran", "hfaran"]
    assert all(f.lower() in blob_before for f in present)  # the test has teeth
    a = Anonymizer(r)
    out = list(anonymize(events, a))
    blob = _all_text(out)
    for item in [u["id"] for u in users] + [u["real_name"] for u in users]:
        assert item.lower() not in blob, item
    for login in [u["name"] for u in users] + ["hfaran"]:  # as a word: hfaran_x too
        assert not re.search(rf"(?<![a-z0-9]){login}(?![a-z0-9])", blob), login
    assert a.redactions.people >= sum(e.text.count("<@U") for e in events)
    assert a.redactions.unknown_people == 0
    bots = [(e.actor, o.actor) for e, o in zip(events, out, strict=True) if e.bot]
    assert len(bots) > 90
    for before, after in bots:  # integrations keep their names; a rostered id is a person
        assert after == before or (after or "").startswith("@member")


def test_the_real_slack_export_as_a_directory_gives_everyone_a_pseudonym() -> None:
    users, events = _slack_events()
    directory = [
        Person(None, names=(u["real_name"],) if " " in u["real_name"] else (), ids=(u["id"],))
        for u in users
    ]
    a = Anonymizer(directory=directory)
    blob = _all_text(list(anonymize(events, a)))
    for u in users:
        assert u["id"].lower() not in blob
        if " " in u["real_name"]:
            assert u["real_name"].lower() not in blob
    assert a.redactions.unknown_people == 4
    assert "@person-1" in blob


# --------------------------------------------------------------------------- fuzzing

EMAILS = st.builds(
    "{}@{}.{}".format,
    st.from_regex(r"[a-z][a-z0-9._+-]{0,12}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "org", "io", "co.uk", "example"]),
)
IPS = st.one_of(
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t))),
    st.lists(st.integers(0, 0xFFFF), min_size=8, max_size=8).map(
        lambda g: ":".join(f"{x:x}" for x in g)
    ),
)
TEXT = st.text(max_size=80) | st.sampled_from(
    NEGATIVE + [v for vs in POSITIVE.values() for v in vs]
)


@given(before=TEXT, planted=EMAILS | IPS, after=TEXT, actor=st.none() | st.text(max_size=30))
def test_arbitrary_text_never_raises_and_a_planted_address_never_survives(
    before: str, planted: str, after: str, actor: str | None
) -> None:
    a = Anonymizer(roster())
    out = a.apply(event(f"{before} {planted} {after}", actor=actor, link=f"{before} {planted}"))
    assert planted not in out.text
    assert out.link is not None and planted not in out.link
    assert a.redactions.total >= 1


@given(st.text(max_size=200), st.booleans())
def test_any_text_and_actor_pass_through_without_error(text: str, strict: bool) -> None:
    a = Anonymizer(roster(), strict=strict)
    out = a.apply(event(text, actor=text[:20] or None, where=text[:10]))
    assert isinstance(out.text, str)
    assert a.text(out.text) is not None


def test_locators_keep_their_numbers_and_lose_what_text_would_lose() -> None:
    anonymizer = Anonymizer.from_data({"people": {"Sam Rivera": "@sam"}})
    at = datetime(2026, 3, 15, 14, 22, tzinfo=UTC)
    out = anonymizer.apply(
        Event(at, "x", "notes", link="slack:incident/1458972992.000011", where="Sam Rivera.txt:12")
    )
    assert out.link == "slack:incident/1458972992.000011"
    assert out.where == "@sam.txt:12"
    planted = st.sampled_from(
        [
            "10.0.0.1",
            "fe80::1",
            "0:0:0:0:0:0:a:0",
            "jo@example.com",
            "+44 20 7946 0958",
            "Sam Rivera",
        ]
    )

    @given(st.text(max_size=8), planted, st.sampled_from(["/", ":", "[", "#", " ", ""]),
            st.integers(0, 10**12), st.sampled_from(["", "]", ".5", "[3]", ":7"]))  # fmt: skip
    def same_as_text(pre: str, p: str, sep: str, n: int, tail: str) -> None:
        link = f"{pre}{p}{sep}{n}{tail}"
        if p not in anonymizer.text(link):
            assert p not in anonymizer._locator(link)

    same_as_text()
