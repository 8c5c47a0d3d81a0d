"""Intake guards: an incident still going on, and a request framed around a person.

The fixture holds hand-written requests labelled active-incident, person-framing or neutral;
the test measures both guards on it, prints every false positive and false negative, and
fails on any neutral trip or a recall under 0.95."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core.errors import UsageError
from hotwash.core.guards import (
    ACTIVE_INCIDENT,
    PERSON_FRAMING,
    Refusal,
    check_request,
    check_review,
    meeting_window,
    pattern_hits,
    proposed_meeting,
    refusals,
    stable_answer,
)
from hotwash.core.model import Kind, Review
from hotwash.core.reference import skeleton

from .conftest import ROOT
from .strategies import reviews

FIXTURE = Path(__file__).parent / "fixtures" / "guard_requests.yaml"
GUARDS = (ACTIVE_INCIDENT, PERSON_FRAMING)
LABELS = (*GUARDS, "neutral")
FIELDS = {"title", "goal", "summary", "q-incident-stable"}
FRIDAY = date(2026, 3, 13)


def rows() -> list[dict[str, Any]]:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return list(data["requests"])


def tripped(row: dict[str, Any]) -> set[str]:
    found = refusals({row["field"]: row["text"]}, kind=row["kind"])
    return {r.guard for r in found}


# --------------------------------------------------------------------------- fixture


def test_fixture_is_well_formed_and_large_enough() -> None:
    all_rows = rows()
    counts = Counter(r["label"] for r in all_rows)
    assert {k: counts[k] >= 45 for k in LABELS} == dict.fromkeys(LABELS, True), counts
    texts = [r["text"] for r in all_rows]
    assert len(texts) == len(set(texts)), "a request is listed twice"
    for row in all_rows:
        assert set(row) == {"label", "kind", "field", "text"}, row
        assert row["label"] in LABELS and row["field"] in FIELDS, row
        Kind(row["kind"])
    kinds = {r["kind"] for r in all_rows if r["label"] == "neutral"}
    assert {"incident", "project", "retro", "okr", "premortem"} <= kinds


def test_guards_on_the_fixture_no_neutral_trip_and_high_recall() -> None:
    all_rows = rows()
    false_pos: dict[str, list[str]] = {g: [] for g in GUARDS}
    false_neg: dict[str, list[str]] = {g: [] for g in GUARDS}
    for row in all_rows:
        got = tripped(row)
        for guard in GUARDS:
            if guard in got and row["label"] != guard:
                false_pos[guard].append(f"[{row['label']}] {row['text']}")
            if guard not in got and row["label"] == guard:
                false_neg[guard].append(row["text"])
    lines = []
    recall: dict[str, float] = {}
    for guard in GUARDS:
        positives = sum(1 for r in all_rows if r["label"] == guard)
        recall[guard] = (positives - len(false_neg[guard])) / positives
        lines.append(
            f"{guard}: recall {recall[guard]:.3f} ({positives - len(false_neg[guard])}"
            f"/{positives}), false positives {len(false_pos[guard])}"
        )
        lines += [f"  FP {t}" for t in false_pos[guard]]
        lines += [f"  FN {t}" for t in false_neg[guard]]
    summary = "\n".join(lines)
    print(summary)
    neutral_trips = [t for g in GUARDS for t in false_pos[g] if t.startswith("[neutral]")]
    assert neutral_trips == [], summary
    assert all(not v for v in false_pos.values()), summary
    assert min(recall.values()) >= 0.95, summary


DEV2 = Path(__file__).parent / "fixtures" / "guard_dev2.yaml"
# Recall on the second development set (written blind to the patterns) was 60/60 for both
# guards when the patterns were last generalised; the margin leaves room for small changes.
DEV2_MIN_RECALL = 0.93


def test_guards_on_the_blind_dev_set_no_neutral_trip_and_recall() -> None:
    dev_rows = yaml.safe_load(DEV2.read_text(encoding="utf-8"))
    assert isinstance(dev_rows, list) and len(dev_rows) >= 200
    neutral_trips: list[str] = []
    missed: dict[str, list[str]] = {g: [] for g in GUARDS}
    for row in dev_rows:
        got = {r.guard for r in refusals({row["field"]: row["text"]}, kind=row["kind"])}
        if row["expect"] == "neutral" and got:
            neutral_trips.append(f"{sorted(got)} {row['text']}")
        if row["expect"] in GUARDS and row["expect"] not in got:
            missed[row["expect"]].append(row["text"])
    recall = {}
    for guard in GUARDS:
        positives = sum(1 for r in dev_rows if r["expect"] == guard)
        recall[guard] = (positives - len(missed[guard])) / positives
        found = positives - len(missed[guard])
        print(f"dev2 {guard}: recall {recall[guard]:.3f} ({found}/{positives})")
        print("\n".join(f"  FN {t}" for t in missed[guard]))
    print(f"dev2 neutral trips: {len(neutral_trips)}")
    assert neutral_trips == []
    assert min(recall.values()) >= DEV2_MIN_RECALL, (recall, missed)


def test_single_quoted_words_are_evidence_not_the_request() -> None:
    quoted = "Someone asked 'who broke prod?' in chat; explain how the deploy reached prod."
    assert check_request({"goal": quoted}, kind="incident") is None
    refusal = check_request({"goal": "Find out who broke prod"}, kind="incident")
    assert refusal is not None and refusal.guard == PERSON_FRAMING
    # an apostrophe is not a quotation mark
    framed = check_request({"goal": "Review Ines's botched failover"}, kind="retro")
    assert framed is not None and framed.guard == PERSON_FRAMING


def test_every_pattern_is_exercised_by_the_fixture() -> None:
    seen: dict[str, set[str]] = {g: set() for g in GUARDS}
    for row in rows():
        if row["label"] in GUARDS:
            seen[row["label"]] |= {pid for pid, _ in pattern_hits(row["text"], row["label"])}
    data = yaml.safe_load((ROOT / "src/hotwash/data/guards.yaml").read_text("utf-8"))
    declared = {
        ACTIVE_INCIDENT: {p["id"] for p in data["active_incident"]["patterns"]},
        PERSON_FRAMING: {p["id"] for p in data["person_framing"]["patterns"]},
    }
    for guard in GUARDS:
        ids = [p["id"] for p in data[guard.replace("-", "_")]["patterns"]]
        assert len(ids) == len(set(ids)), f"duplicate pattern id in {guard}"
        assert declared[guard] - seen[guard] == set(), f"{guard}: patterns no row trips"


# --------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    ("texts", "kind", "guard"),
    [
        ({"title": "Checkout is still down"}, "incident", ACTIVE_INCIDENT),
        ({"title": "Checkout is still down"}, None, ACTIVE_INCIDENT),
        ({"q-incident-stable": "not yet"}, "incident", ACTIVE_INCIDENT),
        ({"stabilized": "no, still degraded"}, "incident", ACTIVE_INCIDENT),
        ({"goal": "whose fault was the outage?"}, "okr", PERSON_FRAMING),
        ({"brief.goal": "Performance review of @alex"}, "retro", PERSON_FRAMING),
        ({"title": "Prove that Sam broke prod"}, "project", PERSON_FRAMING),
    ],
)
def test_requests_that_are_refused(texts: dict[str, str], kind: str | None, guard: str) -> None:
    refusal = check_request(texts, kind=kind)
    assert refusal is not None and refusal.guard == guard
    assert refusal.field == next(iter(texts))
    assert refusal.matched and refusal.matched.lower() in " ".join(texts.values()).lower()


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        ({"title": "The migration project is ongoing, retro for phase 1"}, "retro"),
        ({"summary": "The rewrite is still in progress and degraded in scope"}, "project"),
        ({"title": "Checkout was down for 40 minutes on Tuesday"}, "incident"),
        ({"goal": "Who was on call, and what did the pager show?"}, "incident"),
        ({"q-incident-stable": "Yes, stable since 10:04 UTC"}, "incident"),
        ({"title": "Blame-free review of the cache outage"}, None),
        ({"title": "", "summary": "   "}, "incident"),
    ],
)
def test_requests_that_may_start(texts: dict[str, str], kind: str | None) -> None:
    assert check_request(texts, kind=kind) is None


def test_a_yes_to_the_stable_question_outweighs_present_tense_elsewhere() -> None:
    title = {"title": "Checkout still down after the deploy"}
    assert check_request(title, kind="incident") is not None
    answered = {**title, "q-incident-stable": "yes, back to normal since 10:04"}
    assert check_request(answered, kind="incident") is None
    # ... but never a person-framed title
    framed = {"title": "Who broke checkout?", "q-incident-stable": "yes"}
    refusal = check_request(framed, kind="incident")
    assert refusal is not None and refusal.guard == PERSON_FRAMING


def test_both_guards_can_trip_and_active_incident_comes_first() -> None:
    texts = {"title": "Whose fault is it that checkout is still down?"}
    found = refusals(texts, kind="incident")
    assert [r.guard for r in found] == [ACTIVE_INCIDENT, PERSON_FRAMING]
    assert check_request(texts, kind="incident") == found[0]


def test_an_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown kind 'sprint'"):
        check_request({"title": "x"}, kind="sprint")


def test_refusal_texts_say_why_and_what_to_do() -> None:
    active = check_request({"q-incident-stable": "No"}, kind="incident", today=FRIDAY)
    assert active is not None
    assert "is the incident over?" in active.reason
    assert "Finish the incident response first" in active.way_forward
    # three to five business days after Friday 13 March: Wednesday 18 to Friday 20
    assert "Wed 2026-03-18" in active.way_forward and "Fri 2026-03-20" in active.way_forward
    assert active.message.startswith(active.reason) and active.message.endswith(active.way_forward)
    no_day = check_request({"summary": "Rollback in progress."}, kind="incident")
    assert no_day is not None and "3-5 business days after the service is stable" in (
        no_day.way_forward
    )
    assert "2026" not in no_day.way_forward

    person = check_request({"q-goal": "Find out who pushed the bad config"}, kind="incident")
    assert person is not None and person.field == "q-goal"
    assert person.reason.startswith("The goal frames the review around a person")
    assert person.matched.startswith("Find out who pushed")
    assert f'("{person.matched}")' in person.reason
    assert "management process" in person.way_forward
    for refusal in (active, no_day, person):
        assert "{" not in refusal.reason + refusal.way_forward


# --------------------------------------------------------------------------- reviews


def incident(**changes: Any) -> Review:
    review = skeleton("incident", "Checkout errors after the pool change", on=FRIDAY)
    return review.model_copy(update=changes)


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_a_fresh_skeleton_is_never_refused(kind: str) -> None:
    review = skeleton(kind, "Checkout errors after the pool change", on=FRIDAY)
    assert review.stabilized is None
    assert check_review(review, today=FRIDAY) is None


def test_an_incident_marked_not_stable_is_refused() -> None:
    refusal = check_review(incident(stabilized=False), today=FRIDAY)
    assert refusal is not None
    assert (refusal.guard, refusal.field) == (ACTIVE_INCIDENT, "stabilized")
    assert "Wed 2026-03-18" in refusal.way_forward
    assert check_review(incident(stabilized=True)) is None


def test_a_start_time_with_no_end_is_refused_until_it_is_answered() -> None:
    started = datetime(2026, 3, 13, 9, 12, tzinfo=UTC)
    open_ended = incident(
        key_timestamps=incident().key_timestamps.model_copy(update={"started": started})
    )
    refusal = check_review(open_ended)
    assert refusal is not None and refusal.field == "key_timestamps"
    assert "2026-03-13 09:12" in refusal.reason
    assert check_review(open_ended.model_copy(update={"stabilized": True})) is None
    ended = open_ended.key_timestamps.model_copy(
        update={"mitigated": started + timedelta(minutes=52)}
    )
    assert check_review(open_ended.model_copy(update={"key_timestamps": ended})) is None


def test_review_text_is_read_for_both_guards() -> None:
    ongoing = incident(summary="The API is still degraded in eu-west-1.")
    refusal = check_review(ongoing)
    assert refusal is not None and (refusal.guard, refusal.field) == (ACTIVE_INCIDENT, "summary")
    assert check_review(ongoing.model_copy(update={"stabilized": True})) is None

    project = skeleton("project", "The migration is ongoing, phase 1 retro", on=FRIDAY)
    assert check_review(project) is None
    framed = project.model_copy(
        update={"brief": project.brief.model_copy(update={"goal": "Hold @kim accountable."})}
    )
    refusal = check_review(framed)
    assert refusal is not None and (refusal.guard, refusal.field) == (
        PERSON_FRAMING,
        "brief.goal",
    )


# --------------------------------------------------------------------------- meeting


@pytest.mark.parametrize(
    ("stable", "first", "last"),
    [
        (date(2026, 3, 13), date(2026, 3, 18), date(2026, 3, 20)),  # Friday
        (date(2026, 3, 14), date(2026, 3, 18), date(2026, 3, 20)),  # Saturday
        (date(2026, 3, 15), date(2026, 3, 18), date(2026, 3, 20)),  # Sunday
        (date(2026, 3, 11), date(2026, 3, 16), date(2026, 3, 18)),  # Wednesday
        (date(2026, 3, 9), date(2026, 3, 12), date(2026, 3, 16)),  # Monday
        (date(2025, 12, 31), date(2026, 1, 5), date(2026, 1, 7)),  # across a year
    ],
)
def test_meeting_window_skips_weekends(stable: date, first: date, last: date) -> None:
    assert meeting_window(stable) == (first, last)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_meeting_window_is_three_to_five_weekdays_later(stable: date) -> None:
    first, last = meeting_window(stable)

    def weekdays_until(day: date) -> int:
        span = (day - stable).days
        return sum((stable + timedelta(n)).weekday() < 5 for n in range(1, span + 1))

    assert first.weekday() < 5 and last.weekday() < 5
    assert (weekdays_until(first), weekdays_until(last)) == (3, 5)


def test_proposed_meeting_names_the_days_when_it_can() -> None:
    known = proposed_meeting(date(2026, 3, 11))
    assert "Mon 2026-03-16" in known and "Wed 2026-03-18" in known and "2026-03-11" in known
    assert proposed_meeting() == "3-5 business days after the service is stable"


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("yes", True),
        ("Yes.", True),
        ("y", True),
        ("Stable since 10:04 UTC yesterday", True),
        ("no errors since the rollback", True),
        ("Resolved; monitoring", True),
        ("all clear, channel archived", True),
        ("It's over and back to normal", True),
        ("no", False),
        ("Nope", False),
        ("not yet", False),
        ("Not stable", False),
        ("still degraded in EU", False),
        ("mostly", False),
        ("partially recovered", False),
        ("yes, but customers are still seeing errors", False),
        ("it hasn't recovered", False),
        ("we are still rolling back", False),
        ("not sure", None),
        ("no idea", None),
        ("?", None),
        ("", None),
        ("the weather is nice", None),
    ],
)
def test_stable_answer(answer: str, expected: bool | None) -> None:
    assert stable_answer(answer) is expected


# --------------------------------------------------------------------------- fuzzing

TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCSW@'’\".,;:!?|()-_`*#\n0123")),
    max_size=200,
) | st.text(max_size=200)
VOCAB = (
    "still is down not no who @kim Sam's fault blame prove that caused the outage performance "
    "review of ongoing status: investigating yes was were 10:04 if when incident on-call hold "
    "accountable fired why did"
)
WORDS = st.lists(st.sampled_from(VOCAB.split(" ")), max_size=20).map(" ".join)


@given(
    st.dictionaries(
        st.sampled_from(["title", "goal", "summary", "q-incident-stable", "q-goal", "x"]),
        TEXT | WORDS,
        max_size=4,
    ),
    st.sampled_from([None, "incident", "retro", "project", "okr", "premortem"]),
)
def test_arbitrary_text_never_raises(texts: dict[str, str], kind: str | None) -> None:
    found = refusals(texts, kind=kind, today=FRIDAY)
    for refusal in found:
        assert isinstance(refusal, Refusal) and refusal.guard in GUARDS
        assert refusal.field in texts and refusal.reason and refusal.way_forward
        source = texts[refusal.field]
        assert all(word in source for word in refusal.matched.split())
    first = check_request(texts, kind=kind, today=FRIDAY)
    assert first == (found[0] if found else None)


@given(TEXT | WORDS)
def test_stable_answer_and_pattern_hits_never_raise(text: str) -> None:
    assert stable_answer(text) in (True, False, None)
    for guard in GUARDS:
        for pid, matched in pattern_hits(text, guard):
            assert pid and matched


@given(reviews())
def test_check_review_never_raises(review: Review) -> None:
    refusal = check_review(review, today=FRIDAY)
    assert refusal is None or refusal.guard in GUARDS
