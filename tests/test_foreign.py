"""Foreign post-mortems: mapped by headings and table shapes, never a crash."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core.foreign import _Mapper, map_document
from hotwash.core.gate import Gate, is_hotwash_pack

from .conftest import EXAMPLES, SHARED
from .strategies import pieced

CORPUS = SHARED / "corpus"
# Outside CI a checkout without ../shared skips these; in CI a missing corpus fails them.
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir() and not os.environ.get("CI"), reason="../shared/corpus is not here"
)

GOOGLE_STYLE = """# Shakespeare Sonnet++ Postmortem (incident #465)

**Date:** 2026-03-15

## Summary
Shakespeare search was down for 66 minutes during a period of high interest.

## Impact
- ~1,210 million queries lost, no revenue impact.

## Root Causes
- Cascading failure due to a latent bug under load.
- No load test covered the new query shape.

## Lessons Learned
### What went well
- Monitoring alerted quickly.
### What went wrong
- Exposure to cascading failure.

## Action Items
| Action Item | Type | Owner | Bug |
| --- | --- | --- | --- |
| Update playbook with instructions | mitigate | @jennifer | n/a DONE |
| Use load test to find the limit | prevent | Sonnet team | Bug 5554823 |

## Timeline
2026-03-15 (all times UTC)
- 14:51 News reports that a new sonnet was found
- 14:53 Traffic increases by 88x

## Glossary
Some words.

## Customer Quotes
Nice.
"""


def test_heading_synonyms_and_table_shapes_map_onto_the_model() -> None:
    mapped = map_document(GOOGLE_STYLE, name="sonnet.md")
    r = mapped.review
    assert r.title.startswith("Shakespeare Sonnet++")
    assert r.summary and "66 minutes" in r.summary
    assert [f.text for f in r.factors][1] == "No load test covered the new query shape."
    assert r.went_well == ["Monitoring alerted quickly."]
    assert [a.owner for a in r.actions] == ["@jennifer", None]
    assert [e.at.strftime("%H:%M") for e in r.timeline] == ["14:51", "14:53"]
    assert r.impact[0].value is not None and r.impact[0].approx
    notes = {(n.name, n.message) for n in mapped.notes}
    assert (
        "unmapped-section",
        "Section 'Customer Quotes' does not map onto the review; its content was not checked.",
    ) in notes
    assert not any("Glossary" in m for _, m in notes)
    assert any(n.name == "unread-entry" and "Sonnet team" in n.message for n in mapped.notes)
    assert (
        mapped.line(("actions", 1))
        == GOOGLE_STYLE.splitlines().index(
            "| Use load test to find the limit | prevent | Sonnet team | Bug 5554823 |"
        )
        + 1
    )


def test_hotwash_packs_are_recognised_by_their_front_matter() -> None:
    assert is_hotwash_pack((EXAMPLES / "launch-premortem.md").read_text())
    assert not is_hotwash_pack(GOOGLE_STYLE)
    assert not is_hotwash_pack("---\ntitle: x\n---\n# hotwash: 1\n")


@needs_corpus
def test_every_corpus_document_is_checked_without_a_crash() -> None:
    files = sorted(p for p in CORPUS.rglob("*.md") if p.name not in ("README.md",))
    assert len(files) >= 100
    gate = Gate(profile="standard")
    mapped_something = 0
    for path in files:
        report = gate.check(path.read_text(encoding="utf-8"), path=str(path))
        assert report.scorecard.total <= 12
        mapped_something += bool(
            report.review.summary or report.review.timeline or report.review.actions
        )
    assert mapped_something >= 0.8 * len(files)


@needs_corpus
def test_a_dfds_document_maps_its_timeline_table_and_actions() -> None:
    path = CORPUS / "dfds" / "PM2021-005 - All services returning 503 in Kubernetes.md"
    r = map_document(path.read_text(), name=str(path)).review
    assert len(r.timeline) == 7 and r.timeline[0].at.isoformat() == "2021-06-22T08:21:00+00:00"
    assert len(r.actions) == 3 and len(r.learnings) == 4 and len(r.factors) == 2


@given(st.text(max_size=400))
def test_any_text_maps_to_a_review(text: str) -> None:
    mapped = map_document(text, name="x.md")
    assert mapped.review.title


@given(
    st.lists(
        st.sampled_from(
            [
                "# T\n",
                "## Timeline\n",
                "## Action items\n",
                "| Time | Event |\n",
                "| --- | --- |\n",
                "| 14:22 | x |\n",
                "| 2026-02-30 10:00 | y |\n",
                "- 99:99 z\n",
                "## Impact\n",
                "- ~5 users\n",
                "| Owner | Item |\n",
                "| @a | do |\n",
                "---\n",
                "title: [\n",
                "```\n",
                "## Summary\n",
                "\n",
            ]
        ),
        max_size=30,
    )
)
def test_any_structure_maps_or_notes(parts: list[str]) -> None:
    report = Gate().check("".join(parts), path="x.md")
    assert report.scorecard.total >= 0


ROWS_THAT_DO_NOT_FIT = """# Queue outage

## Action items

| Action | Owner | Due |
| --- | --- | --- |
| Add an alert on queue depth | @ana | 2026-05-01 |
| Page the database on-call sooner | @sam. | 2026-05-02 |
| Write a runbook for failover | @li | 2026-02-30 |
| Test restores every month | @kim | 2026-06-01 |

## Timeline

- 2026-04-01 10:00 UTC queue depth alert fired
- 2026-04-01 10:20 UTC consumers restarted
"""


def test_rows_that_do_not_fit_are_dropped_with_a_note_and_the_rest_kept() -> None:
    lines = ROWS_THAT_DO_NOT_FIT.splitlines()

    def line_of(fragment: str) -> int:
        return next(i for i, text in enumerate(lines, 1) if fragment in text)

    mapped = map_document(ROWS_THAT_DO_NOT_FIT, name="queue.md")
    r = mapped.review
    # '@sam.' is no handle and 30 February no date: both rows go, the others keep their
    # place, their ids follow the rows kept and their lines still point at them.
    assert [(a.id, a.text, a.owner) for a in r.actions] == [
        ("A1", "Add an alert on queue depth", "@ana"),
        ("A2", "Test restores every month", "@kim"),
    ]
    assert mapped.line(("actions", 1)) == line_of("Test restores")
    dropped = [n for n in mapped.notes if n.name == "unread-entry"]
    assert [n.line for n in dropped] == [line_of("Page the database"), line_of("Write a runbook")]
    assert all("does not fit 'actions'" in n.message for n in dropped)
    assert [e.text for e in r.timeline] == ["queue depth alert fired", "consumers restarted"]


FREE_TEXT_PIECES = [
    "## Risks\n",
    "## Open questions\n",
    "## Attendees\n",
    "## Went well\n",
    "## Summary\n",
    "- ",
    "1. ",
    "\\- ",
    "| Risk | Note |\n| --- | --- |\n",
    "| a  b | \t |\n",
    "|  |  |\n",
    "word",
    "  ",
    "\t",
    "\u00a0",
    "\u2003x",
    "\n",
    "\n\n",
    "> quoted\n",
]


@given(pieced(FREE_TEXT_PIECES, 30))
def test_free_text_rows_are_one_nonempty_line_as_found(text: str) -> None:
    # _build hands these rows to the model as they are, without folding them again.
    mapper = _Mapper(text, "x.md")
    mapper.run()
    for target, rows in mapper.data.items():
        if target in ("timeline", "impact", "actions", "factors", "learnings"):
            continue
        for row in rows:
            if isinstance(row, str):
                assert row == " ".join(row.split()) and row


def test_a_date_column_gives_each_timeline_row_its_day() -> None:
    doc = """# Queue backlog over a weekend

## Timeline

All times UTC.

| Date | Time | Event |
| --- | --- | --- |
| 2024-03-09 | 23:40 | Consumer lag alert fires |
| 2024-03-10 | 00:15 | Workers restarted |
| March 10, 2024 | 02:05 | Backlog drained |
"""
    mapped = map_document(doc, name="postmortems/2024-03-09-queue.md")
    stamps = [e.at.isoformat() for e in mapped.review.timeline]
    assert stamps == [
        "2024-03-09T23:40:00+00:00",
        "2024-03-10T00:15:00+00:00",
        "2024-03-10T02:05:00+00:00",
    ]
    assert [e.text for e in mapped.review.timeline] == [
        "Consumer lag alert fires",
        "Workers restarted",
        "Backlog drained",
    ]
    assert not [n for n in mapped.notes if n.name == "unread-entry"]
