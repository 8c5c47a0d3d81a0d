"""Key moments: rules a person can read and override, durations with definitions, gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core import moments
from hotwash.core.errors import PackError
from hotwash.core.evidence import Event
from hotwash.core.model import KeyTimestamps
from hotwash.core.reference import skeleton

T0 = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


def ev(text: str, minutes: int = 0, moment: str | None = None) -> Event:
    return Event(T0 + timedelta(minutes=minutes), text, "test", moment=moment)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("[FIRING:1] HighErrorRate api", "alerted"),
        ("Acked, looking now", "acknowledged"),
        ("I'm on it", "acknowledged"),
        ("Paging the database on-call", "escalated"),
        ("Found the cause: the pool size was halved in the config", "diagnosed"),
        ("Rolled back to the previous release", "mitigated"),
        ("Error rate back to normal", "mitigated"),
        ("Posted an update on the status page", "communicated"),
        ("Incident resolved, closing the channel", "resolved"),
        ("Customers report failed sign-ins", "detected"),
        ("Lunch order is in", None),
        ("The rollback failed, trying again", None),
        ("Failover complete? Not recovered yet", None),
    ],
)
def test_default_rules_classify_plain_messages(text: str, moment: str | None) -> None:
    assert moments.classify(ev(text)) == moment


def test_a_source_that_states_the_moment_wins() -> None:
    assert moments.classify(ev("whatever the text", moment="acknowledged")) == "acknowledged"


def test_every_moment_has_a_meaning_and_phrases() -> None:
    rules = moments.default_rules()
    assert set(rules) == set(moments.MOMENTS)
    for rule in rules.values():
        assert rule.means and rule.phrases


def test_override_replaces_one_moment_and_keeps_the_rest() -> None:
    rules = moments.merged_rules({"moments": {"mitigated": {"phrases": ["flag flipped off"]}}})
    assert moments.classify(ev("flag flipped off for all tenants"), rules) == "mitigated"
    assert moments.classify(ev("Rolled back to the previous release"), rules) is None
    assert moments.classify(ev("[FIRING:1] x"), rules) == "alerted"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"moments": {"fixed": {"phrases": ["x"]}}}, "moments.fixed"),
        ({"moments": {"mitigated": {"phrases": "x"}}}, "moments.mitigated.phrases"),
        ({"moments": {"mitigated": {"phrases": []}}}, "moments.mitigated.phrases"),
        ({"moments": {"mitigated": {"phrases": ["x"], "unless": [1]}}}, "moments.mitigated.unless"),
        ({"moments": {"mitigated": "x"}}, "moments.mitigated"),
    ],
)
def test_bad_override_files_name_the_field(data: object, field: str) -> None:
    with pytest.raises(PackError) as caught:
        moments.rules_from(data, where="mine.yaml")
    assert caught.value.field == field and caught.value.path == "mine.yaml"


def test_key_times_take_the_first_of_each_and_count_alerts_as_detection() -> None:
    marks = [
        (T0 + timedelta(minutes=30), "resolved"),
        (T0 + timedelta(minutes=5), "alerted"),
        (T0 + timedelta(minutes=7), "detected"),
        (T0 + timedelta(minutes=2), "acknowledged"),  # before anything was detected: ignored
        (T0 + timedelta(minutes=9), "acknowledged"),
        (T0 + timedelta(minutes=20), "mitigated"),
    ]
    found = moments.key_times(marks)
    assert found == {
        "detected": T0 + timedelta(minutes=5),
        "acknowledged": T0 + timedelta(minutes=9),
        "mitigated": T0 + timedelta(minutes=20),
        "resolved": T0 + timedelta(minutes=30),
    }


def test_measures_follow_their_written_definitions() -> None:
    keys = KeyTimestamps(
        started=T0,
        detected=T0 + timedelta(minutes=12),
        acknowledged=T0 + timedelta(minutes=15),
        mitigated=T0 + timedelta(minutes=52),
        resolved=None,
    )
    got = {m.id: d for m, d in moments.measure(keys)}
    assert got == {
        "ttd": timedelta(minutes=12),
        "tta": timedelta(minutes=3),
        "ttm": timedelta(minutes=52),
        "ttr": None,
    }
    for metric in moments.metrics():
        assert metric.definition.endswith(".")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(59, "0 min"), (52 * 60, "52 min"), (3 * 3600 + 300, "3 h 05 min"), (50 * 3600, "2 d 2 h")],
)
def test_durations_read_naturally(seconds: float, text: str) -> None:
    assert moments.duration(seconds) == text


def test_long_gaps_become_candidate_factors_and_actions_once() -> None:
    review = skeleton("incident", "Sign-in outage", on=T0.date()).model_copy(
        update={
            "key_timestamps": KeyTimestamps(
                started=T0,
                detected=T0 + timedelta(minutes=40),
                acknowledged=T0 + timedelta(minutes=43),
                mitigated=T0 + timedelta(minutes=60),
            )
        }
    )
    out = moments.with_gaps(review)
    assert [(f.id, f.type.value if f.type else None) for f in out.factors] == [
        ("F1", "detection gap")
    ]
    assert "40 min later" in out.factors[0].text
    assert out.actions[0].factors == ["F1"] and out.actions[0].owner is None
    assert out.actions[0].text.startswith("Candidate:")
    assert moments.with_gaps(out) == out, "importing again adds nothing"


def test_short_gaps_are_not_reported() -> None:
    keys = KeyTimestamps(started=T0, detected=T0 + timedelta(minutes=3))
    assert moments.gaps(keys) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON)
def test_any_override_file_gives_rules_or_a_located_error(data: object) -> None:
    for shaped in (data, {"moments": data}, {"moments": {"mitigated": data}}):
        try:
            rules = moments.rules_from(shaped, where="mine.yaml")
        except PackError as exc:
            assert exc.path == "mine.yaml"
        else:
            assert set(rules) <= set(moments.MOMENTS)


def test_a_corrected_timestamp_does_not_add_a_second_gap_factor() -> None:
    review = skeleton("incident", "x", on=T0.date()).model_copy(
        update={"key_timestamps": KeyTimestamps(started=T0, detected=T0 + timedelta(minutes=40))}
    )
    once = moments.with_gaps(review)
    moved = once.model_copy(
        update={"key_timestamps": KeyTimestamps(started=T0, detected=T0 + timedelta(minutes=30))}
    )
    assert len(moments.with_gaps(moved).factors) == 1
