"""The intake engine: which questions come next, what answers do, what stays labeled."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core import intake
from hotwash.core.errors import HotwashError
from hotwash.core.model import Review
from hotwash.core.parse import parse_pack
from hotwash.core.reference import questions, skeleton
from hotwash.core.render import render_pack

KINDS = ["incident", "project", "okr", "premortem", "retro"]


def fresh(kind: str = "incident") -> Review:
    return skeleton(kind, "Sign-in outage", on=date(2026, 3, 16))


@pytest.mark.parametrize("kind", KINDS)
def test_rounds_hold_at_most_five_questions_and_cover_the_bank(kind: str) -> None:
    review = fresh(kind)
    asked: list[str] = []
    rounds = 0
    while batch := intake.next_questions(review, asked=asked):
        assert 1 <= len(batch) <= 5
        asked.extend(q.id for q in batch)
        rounds += 1
    bank = {q.id for q in questions() if kind in q.kinds}
    answered_already = {q.id for q in intake.bank(kind) if intake.is_answered(review, q)}
    assert set(asked) == bank - answered_already
    assert len(asked) == len(set(asked)), "no question is asked twice in a session"
    assert rounds >= len(asked) / 5


def test_an_incident_asks_first_whether_it_is_stable() -> None:
    first = intake.next_questions(fresh())[0]
    assert first.id == "q-incident-stable"


def test_priority_orders_the_questions() -> None:
    batch = intake.next_questions(fresh("project"), limit=5)
    assert [q.priority for q in batch] == sorted(q.priority for q in batch)


def test_answers_fill_fields_and_rows() -> None:
    r = fresh()
    r = intake.apply_answer(r, "q-incident-stable", True)
    r = intake.apply_answer(r, "q-incident-started", "2026-03-15 09:12 UTC")
    r = intake.apply_answer(r, "q-incident-detected", "2026-03-15 10:40+01:00")
    r = intake.apply_answer(
        r, "q-incident-impact", "Failed sign-ins: ~12,000 attempts\nTickets: 40"
    )
    r = intake.apply_answer(
        r, "q-incident-timeline", "09:12 config change merged (deploy log)\n09:20 @sam paged"
    )
    r = intake.apply_answer(r, "q-incident-factors", "Pool size halved; No saturation alert")
    r = intake.apply_answer(r, "q-whys", "F2: why no alert\nwhy no test\nwhy no owner")
    r = intake.apply_answer(r, "q-actions", "- Add a pool saturation alert @sam P1 due 2026-04-01")
    r = intake.apply_answer(r, "q-facilitator", "@alex will run it")
    assert r.stabilized is True
    assert r.key_timestamps.started == datetime(2026, 3, 15, 9, 12, tzinfo=UTC)
    assert r.key_timestamps.detected == datetime(2026, 3, 15, 9, 40, tzinfo=UTC)
    assert [(i.measure, i.value, i.approx, i.unit) for i in r.impact] == [
        ("Failed sign-ins", Decimal("12000"), True, "attempts"),
        ("Tickets", Decimal("40"), False, None),
    ]
    assert [(e.at.hour, e.at.minute, e.text, e.source, e.actor) for e in r.timeline] == [
        (9, 12, "config change merged", "deploy log", None),
        (9, 20, "@sam paged", None, "@sam"),
    ]
    assert [f.id for f in r.factors] == ["F1", "F2"]
    assert r.whys[0].factor == "F2" and len(r.whys[0].steps) == 3
    action = r.actions[0]
    assert (action.text, action.owner, action.priority, action.due) == (
        "Add a pool saturation alert",
        "@sam",
        "P1",
        date(2026, 4, 1),
    )
    assert r.brief.roles.facilitator == "@alex"
    assert parse_pack(render_pack(r)) == r


def test_list_answers_append_rows_with_the_next_ids() -> None:
    r = intake.apply_answer(fresh(), "q-learnings", "One\nTwo")
    r = intake.apply_answer(r, "q-learnings", "Three")
    assert [x.id for x in r.learnings] == ["L1", "L2", "L3"]


def test_structured_answers_from_a_file_are_validated_by_the_model() -> None:
    r = intake.apply_answer(
        fresh(),
        "q-actions",
        [{"text": "Alert on pool use", "owner": "@sam", "priority": "p0", "due": "2026-04-01"}],
    )
    assert r.actions[0].priority == "P0" and r.actions[0].id == "A1"
    with pytest.raises(intake.AnswerRefused, match=r"actions\[0\]\.owner"):
        intake.apply_answer(fresh(), "q-actions", [{"text": "x", "owner": "the SRE team"}])


@pytest.mark.parametrize(
    ("qid", "answer", "reason"),
    [
        ("q-goal", "Ask jo.doe@example.com for the logs", "e-mail"),
        ("q-goal", "Call the on-call at +44 20 7946 0958", "phone"),
        ("q-goal", "Call 415-555-0134 for the bridge", "phone"),
        ("q-evidence", "token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "secret"),
        ("q-evidence", "AKIAIOSFODNN7EXAMPLE was rotated", "secret"),
        ("q-constraints", "password = hunter22", "secret"),
        ("q-evidence", "the key sk9Fh2kLq8Zr4Tw7Xv1Bn3Mp6Yc0Ud5 was in the log", "secret"),
    ],
)
def test_personal_data_and_secrets_are_refused_with_the_reason(
    qid: str, answer: str, reason: str
) -> None:
    review = fresh()
    with pytest.raises(intake.AnswerRefused, match=reason) as caught:
        intake.apply_answer(review, qid, answer)
    assert caught.value.question == qid
    assert review == fresh(), "a refused answer changes nothing"


@pytest.mark.parametrize(
    "answer",
    [
        "Latency was 1,200 ms at 14:22 UTC on 2026-03-15",
        "Version 1.24.3 rolled out to 30% of hosts",
        "INC-0412 and PR #3381 hold the details",
        "@sam and @identity-oncall joined at 09:20",
        "Dashboards PaymentsApiLatencyP99Dashboard2 and checkout-errors-by-region-v2",
        "commit 3f2a9c1e7d3b4a60aa11bb22cc33dd44ee55ff66 changed the pool",
    ],
)
def test_ordinary_numbers_times_and_handles_are_not_mistaken_for_personal_data(
    answer: str,
) -> None:
    assert intake.personal_data(answer) is None


def test_answers_that_do_not_fit_are_refused_with_what_to_write() -> None:
    r = fresh()
    with pytest.raises(intake.AnswerRefused, match="one person by @handle"):
        intake.apply_answer(r, "q-facilitator", "the SRE team")
    with pytest.raises(intake.AnswerRefused, match="no time zone"):
        intake.apply_answer(r, "q-incident-started", "2026-03-15 09:12")
    with pytest.raises(intake.AnswerRefused, match="not a date"):
        intake.apply_answer(r, "q-incident-review-date", "next Tuesday")
    with pytest.raises(intake.AnswerRefused, match="no date"):
        intake.apply_answer(r, "q-incident-timeline", "09:12 config change merged")
    with pytest.raises(intake.AnswerRefused, match="not a question"):
        intake.apply_answer(r, "q-okr-grade", "0.7")


def test_unanswered_questions_become_labeled_assumptions_or_unknowns() -> None:
    r = intake.finish(intake.apply_answer(fresh(), "q-incident-stable", True))
    open_qs = [q for q in intake.bank("incident") if not intake.is_answered(r, q)]
    assert open_qs, "a fresh pack leaves plenty open"
    labels = r.unknowns + r.assumptions
    for q in open_qs:
        assert sum(x.endswith(f"(intake {q.id})") for x in labels) == 1, q.id
    assert any("3 to 5 business days" in a for a in r.assumptions)
    again = intake.finish(r)
    assert again == r, "finishing twice adds nothing"


def test_answering_later_removes_the_label() -> None:
    r = intake.finish(fresh())
    assert any(u.endswith("(intake q-goal)") for u in r.unknowns)
    r = intake.apply_answer(r, "q-goal", "Learn why sign-ins failed and stop it recurring.")
    assert not any(u.endswith("(intake q-goal)") for u in r.unknowns)
    assert parse_pack(render_pack(r)) == r


def test_apply_all_names_an_unknown_question() -> None:
    with pytest.raises(HotwashError, match="not a question") as caught:
        intake.apply_all(fresh(), {"q-incident-stable": "yes", "q-nope": "x"})
    assert getattr(caught.value, "field", None) == "q-nope"


def test_progress_walks_the_seven_steps() -> None:
    r = fresh()
    steps = intake.progress(r)
    assert [s.number for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert not steps[0].done and "q-incident-stable" in [q.id for q in steps[0].missing]
    for q in intake.bank("incident"):
        if q.step == 4:
            r = intake.apply_answer(r, q.id, "First learning\nSecond learning")
    assert intake.progress(r)[3].done


@given(st.text(max_size=300))
def test_any_text_answer_gives_a_review_or_a_refusal(text: str) -> None:
    review = fresh()
    for qid in ("q-summary", "q-incident-impact", "q-actions", "q-incident-timeline", "q-whys"):
        try:
            out = intake.apply_answer(review, qid, text)
        except HotwashError:
            continue
        assert isinstance(out, Review)


def test_no_question_asks_for_contact_details_secrets_or_full_names() -> None:
    import re

    asking = re.compile(r"\b(e-?mail|phone|password|token|credential|full name|address)\b", re.I)
    for q in questions():
        assert not asking.search(q.text), q.id
        assert intake.personal_data(q.example) is None, q.id


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.dates().map(str),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(st.sampled_from([q.id for q in intake.bank("incident")]), _VALUES, max_size=6)
)
def test_any_answers_file_gives_a_review_or_a_refusal(answers: dict[str, object]) -> None:
    try:
        out = intake.apply_all(fresh(), answers)
    except HotwashError:
        return
    assert isinstance(out, Review)
    assert parse_pack(render_pack(out)) == out


def test_a_list_mixing_rows_and_other_values_is_refused_with_the_question() -> None:
    with pytest.raises(intake.AnswerRefused, match="item 2 is not a row") as caught:
        intake.apply_answer(fresh(), "q-incident-impact", [{"measure": "x"}, None])
    assert caught.value.question == "q-incident-impact"


def test_edge_answers_are_refused_not_crashed() -> None:
    with pytest.raises(intake.AnswerRefused, match="outside the range"):
        intake.apply_answer(fresh(), "q-incident-started", "9999-12-31 23:30-01:00")
    r = intake.apply_answer(fresh(), "q-facilitator", "@sam.")
    assert r.brief.roles.facilitator == "@sam", "a sentence's full stop is not part of a handle"
