"""GitHub issue timelines and issues: fixtures, event kinds, located errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.archives import open_archive
from hotwash.core.evidence import DictArchive, ImportOptions
from hotwash.core.importers import github

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

HERE = FIXTURES / "github"


def item(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "event": "commented",
        "actor": {"login": "sre-a", "type": "User"},
        "created_at": "2024-05-01T14:00:00Z",
        "body": "Looking",
        "html_url": "https://github.com/o/r/issues/1#issuecomment-1",
    }
    base.update(fields)
    return base


def fixture(name: str) -> Any:
    return orjson.loads((HERE / name).read_bytes())


def test_the_timeline_reads_every_kind_in_order_and_skips_subscriptions() -> None:
    found = events(github, open_archive(HERE / "timeline.json"))
    check_events(found, "github")
    assert [(e.at.strftime("%H:%M:%S"), e.actor, e.text) for e in found] == [
        ("14:05:41", "support-lead", "Label added: incident"),
        ("14:06:02", "support-lead", "Assigned to @payments-oncall"),
        (
            "14:19:33",
            "payments-oncall",
            "Looking at it. The 502s line up with the 13:55 deploy of payments-api.",
        ),
        ("14:27:15", "payments-oncall", "Mentioned in #415 Revert connection pool change"),
        # committer.date 16:30:12+02:00
        ("14:30:12", "payments-oncall", "Commit 5e1f0c9: Revert connection pool change"),
        ("14:41:07", "deploy-helper[bot]", "Deployed 5e1f0c9 to production."),
        (
            "14:58:20",
            "support-lead",
            "Title changed from 'Checkout broken' to 'Checkout returns 502 for some card payments'",
        ),
        ("15:12:09", "payments-oncall", "Issue closed as completed"),
    ]
    assert {e.moment for e in found} == {None}
    assert [e.bot for e in found].count(True) == 1 and found[5].bot
    assert found[3].link == "https://github.com/example-org/payments/pull/415"
    assert found[2].link == (
        "https://github.com/example-org/payments/issues/412#issuecomment-2088000001"
    )
    assert found[0].where == "timeline.json: [0]"


def test_the_issue_on_its_own_gives_its_opening_and_closing() -> None:
    found = events(github, open_archive(HERE / "issue.json"))
    assert [(e.at, e.text, e.actor) for e in found] == [
        (
            datetime(2024, 5, 1, 14, 5, 40, tzinfo=UTC),
            "Issue #412 opened: Checkout returns 502 for some card payments",
            "support-lead",
        ),
        (
            datetime(2024, 5, 1, 15, 12, 9, tzinfo=UTC),
            "Issue #412 closed: Checkout returns 502 for some card payments",
            "payments-oncall",
        ),
    ]
    assert found[0].link == "https://github.com/example-org/payments/issues/412"


def test_issue_and_timeline_together_give_the_closing_once() -> None:
    archive = open_archive(HERE)
    assert github.sniff(archive)
    found = events(github, archive)
    assert len(found) == 8 + 1
    assert sum("closed" in e.text for e in found) == 1


def test_an_issue_closed_at_another_time_than_the_timeline_says_keeps_both() -> None:
    issue = fixture("issue.json")
    issue["closed_at"] = "2024-05-02T09:00:00Z"
    archive = DictArchive(
        "x",
        {"issue.json": orjson.dumps(issue), "timeline.json": (HERE / "timeline.json").read_bytes()},
    )
    assert sum("closed" in e.text for e in events(github, archive)) == 2


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"event": "labeled", "label": {"name": "sev1"}}, "Label added: sev1"),
        ({"event": "unlabeled", "label": {"name": "sev1"}}, "Label removed: sev1"),
        ({"event": "unassigned", "assignee": {"login": "sre-b"}}, "Unassigned from @sre-b"),
        ({"event": "reopened"}, "Issue reopened"),
        ({"event": "closed", "commit_id": "abcdef1234567"}, "Issue closed by commit abcdef1"),
        ({"event": "referenced", "commit_id": "0123456789"}, "Referenced in commit 0123456"),
        ({"event": "milestoned", "milestone": {"title": "Q2"}}, "Added to milestone Q2"),
        ({"event": "head_ref_force_pushed"}, "Head ref force pushed"),
        ({"event": "commented", "body": None}, "Commented"),
    ],
)
def test_event_kinds_read_in_plain_words(fields: dict[str, object], text: str) -> None:
    (event,) = events(github, one("t.json", [item(**fields)]))
    assert event.text == text


def test_a_review_uses_its_submission_time() -> None:
    review = item(event="reviewed", created_at=None, submitted_at="2024-05-01T15:00:00-04:00")
    review.update(state="changes_requested", body="Needs a test", user=review.pop("actor"))
    (event,) = events(github, one("t.json", [review]))
    assert event.at == datetime(2024, 5, 1, 19, tzinfo=UTC)
    assert event.text == "Review changes requested: Needs a test"
    assert event.actor == "sre-a"


def test_line_comments_give_one_event_each() -> None:
    comments = [item(created_at=f"2024-05-01T14:0{i}:00Z", body=f"nit {i}") for i in (1, 2)]
    (first, second) = events(
        github, one("t.json", [{"event": "line-commented", "comments": comments}])
    )
    assert (first.text, second.text) == ("nit 1", "nit 2")
    assert second.where == "t.json: [0].comments[1]"


def test_the_comments_list_reads_without_event_names() -> None:
    comment = item(user={"login": "sre-b"}, author_association="MEMBER")
    comment.pop("event")
    comment.pop("actor")
    archive = one("comments.json", [comment])
    assert github.sniff(archive)
    (event,) = events(github, archive)
    assert (event.text, event.actor) == ("Looking", "sre-b")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'[{"event": "closed", "created_at": "2024-05-01T', 1), (b"", None), (b"# Timeline\n", 1)],
    ids=["truncated", "empty", "markdown"],
)
def test_unreadable_files_name_the_member(data: bytes, line: int | None) -> None:
    problem = error(github, one("timeline.json", data))
    assert problem.path == "timeline.json"
    assert problem.line == line


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ([item(), item(created_at=None)], "[1].created_at", "missing"),
        ([item(created_at=1714572000)], "[0].created_at", "number"),
        ([item(event="committed", created_at=None)], "[0].committer.date", "commit"),
        ([item(event=None, body=None)], "[0].event", "missing"),
        ([item(actor="sre-a")], "[0].actor", "object"),
        ([item(body=["x"])], "[0].body", "text"),
        ([item(), "closed"], "[1]", "object"),
        ({"number": 3}, "", "GitHub issue timeline"),
    ],
)
def test_wrong_fields_are_named(body: object, field: str, words: str) -> None:
    problem = error(github, one("timeline.json", body))
    assert problem.path == "timeline.json"
    assert (problem.field or "") == field
    assert words in problem.message


def test_the_issue_without_created_at_is_named() -> None:
    issue = fixture("issue.json")
    issue["created_at"] = None
    problem = error(github, one("issue.json", issue))
    assert (problem.path, problem.field) == ("issue.json", "created_at")


# --------------------------------------------------------------------------- fuzzing

KEYS = [
    "event",
    "actor",
    "user",
    "login",
    "created_at",
    "submitted_at",
    "committer",
    "author",
    "date",
    "body",
    "label",
    "name",
    "source",
    "issue",
    "comments",
    "rename",
    "html_url",
]


@given(st.binary(max_size=300), OPTIONS)
def test_any_bytes_give_events_or_a_located_error(data: bytes, options: ImportOptions) -> None:
    events_or_located_error(github, "t.json", data, options, "github")


@given(json_values(KEYS), mutated(item(), KEYS), mutated(fixture("issue.json"), KEYS), OPTIONS)
def test_any_json_gives_events_or_a_located_error(
    value: object, changed: dict[str, object], issue: dict[str, object], options: ImportOptions
) -> None:
    for body in (value, [value], [changed], issue):
        events_or_located_error(github, "t.json", body, options, "github")
