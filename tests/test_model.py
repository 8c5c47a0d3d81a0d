"""The review model: normalisation, handles, enums, references, and messages with paths."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from hotwash.core.model import Review, dotted, first_reference_problem
from hotwash.core.values import slugify


def review(**parts: object) -> Review:
    return Review.model_validate({"id": "r", "kind": "incident", "title": "T", **parts})


def test_text_is_folded_and_prose_tidied() -> None:
    r = review(title="  Payments \n API   outage ", summary="One.\n\n\n\nTwo.  \n")
    assert r.title == "Payments API outage"
    assert r.summary == "One.\n\nTwo."


def test_prose_cannot_start_a_section() -> None:
    with pytest.raises(ValidationError) as info:
        review(summary="Fine.\n\n## Not a section")
    assert "would start a new section" in str(info.value)


def test_owners_are_one_persons_handle() -> None:
    assert review(actions=[{"id": "A1", "text": "x", "owner": "@kim.lee"}]).actions[0].owner
    for bad in ("Kim Lee", "kim", "@", "@ kim"):
        with pytest.raises(ValidationError) as info:
            review(actions=[{"id": "A1", "text": "x", "owner": bad}])
        assert "actions.0.owner" in str(info.value)


def test_enums_accept_the_ways_people_write_them() -> None:
    r = review(
        factors=[{"id": "F1", "text": "x", "type": "Detection-Gap", "cluster": "TECH"}],
        actions=[{"id": "A1", "text": "x", "priority": "p1", "status": "Not_Doing"}],
    )
    assert r.factors[0].type is not None and r.factors[0].type.value == "detection gap"
    assert r.actions[0].priority is not None and r.actions[0].priority.value == "P1"
    assert r.actions[0].status.value == "not doing"


def test_instants_are_utc_to_the_second() -> None:
    r = review(key_timestamps={"started": "2026-03-10T16:04:07.9+02:00"})
    assert r.key_timestamps.started == datetime(2026, 3, 10, 14, 4, 7, tzinfo=UTC)


def test_cross_references_are_checked_with_their_path() -> None:
    with pytest.raises(ValidationError) as info:
        review(
            factors=[{"id": "F1", "text": "x"}],
            actions=[{"id": "A1", "text": "x", "factors": "F1, F2"}],
        )
    assert "actions[0].factors: F2 is not a factor id (known: F1)" in str(info.value)
    with pytest.raises(ValidationError):
        review(
            learnings=[{"id": "L1", "text": "x"}],
            decisions=[{"id": "D1", "text": "y", "learning": "L2"}],
        )
    with pytest.raises(ValidationError):
        review(whys=[{"factor": "F1", "steps": ["a"]}])


def test_duplicate_ids_are_found() -> None:
    r = review(actions=[{"id": "A1", "text": "x"}, {"id": "A2", "text": "y"}])
    r.actions[1].id = "A1"
    problem = first_reference_problem(r)
    assert problem is not None and problem[0] == ("actions", 1, "id")


def test_timeline_is_kept_in_time_order() -> None:
    r = review(
        timeline=[{"at": "2026-03-10 14:31", "text": "b"}, {"at": "2026-03-10 14:04", "text": "a"}]
    )
    assert [e.text for e in r.timeline] == ["a", "b"]


def test_approximate_needs_a_value() -> None:
    assert not review(impact=[{"measure": "m", "approx": True}]).impact[0].approx


def test_slugify_and_dotted() -> None:
    assert slugify("Payments API outage: EU / 2026") == "payments-api-outage-eu-2026"
    assert slugify("!!!") == "review"
    assert dotted(("actions", 2, "owner")) == "actions[2].owner"
