"""Every checklist rule: one document that trips it, one that does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given

from hotwash.core.checks import CHECKS, business_days, load_rules, run_checks, sentences
from hotwash.core.model import Review
from hotwash.core.parse import parse_located, parse_pack

from .conftest import EXAMPLES
from .strategies import pieced

EXAMPLE = EXAMPLES / "payments-api-outage.md"
BEFORE_FOLLOW_UPS = date(2026, 3, 14)


def good() -> Review:
    return parse_pack(EXAMPLE.read_text())


def names(review: Review, *, today: date | None = BEFORE_FOLLOW_UPS) -> set[str]:
    return {f.name for f in run_checks(review, lambda loc: None, profile="strict", today=today)}


def with_kind(kind: str) -> Callable[[Review], None]:
    def change(r: Review) -> None:
        r.kind = type(r.kind)(kind)

    return change


def t(hh: int, mm: int) -> datetime:
    return datetime(2026, 3, 10, hh, mm, tzinfo=UTC)


def keep_one_factor(r: Review) -> None:
    first = r.factors[0].id
    del r.factors[1:]
    r.whys[:] = [c for c in r.whys if c.factor == first]
    for part in (*r.hypotheses, *r.actions):
        part.factors[:] = [f for f in part.factors if f == first]


MUTATIONS: dict[str, Callable[[Review], object]] = {
    "goal-missing": lambda r: setattr(r.brief, "goal", None),
    "roles-missing": lambda r: setattr(r.brief.roles, "scribe", None),
    "ground-rules-missing": lambda r: r.brief.ground_rules.clear(),
    "constraints-missing": lambda r: r.brief.constraints.clear(),
    "summary-missing": lambda r: setattr(r, "summary", None),
    "summary-length": lambda r: setattr(r, "summary", "The API was down."),
    "summary-content": lambda r: setattr(
        r, "summary", "Something broke. It was bad. Many things happened."
    ),
    "timeline-missing": lambda r: r.timeline.clear(),
    "timeline-unsourced": lambda r: [
        setattr(e, "source", None) or setattr(e, "link", None) for e in r.timeline[:2]
    ],
    "timestamps-out-of-order": lambda r: setattr(r.key_timestamps, "detected", t(9, 0)),
    "key-timestamps-missing": lambda r: setattr(r.key_timestamps, "acknowledged", None),
    "detection-gap": lambda r: [
        setattr(f, "type", None)
        for f in r.factors
        if f.type is not None and f.type.value == "detection gap"
    ],
    "impact-missing": lambda r: r.impact.clear(),
    "impact-unquantified": lambda r: setattr(r.impact[0], "value", None),
    "okr-results-missing": lambda r: (with_kind("okr")(r), r.key_results.clear()),
    "single-cause": lambda r: keep_one_factor(r),
    "factor-untyped": lambda r: setattr(r.factors[0], "cluster", None),
    "factor-why-missing": lambda r: setattr(r.factors[0], "why_it_made_sense", None),
    "whys-shallow": lambda r: r.whys[0].steps.__delitem__(slice(2, None)),
    "hypotheses-missing": lambda r: r.hypotheses.clear(),
    "factors-clustered-once": lambda r: [
        setattr(f, "cluster", r.factors[0].cluster) for f in r.factors
    ],
    "failure-modes-missing": lambda r: (with_kind("premortem")(r), r.failure_modes.clear()),
    "retro-board-missing": lambda r: (with_kind("retro")(r), r.retro_board.clear()),
    "learnings-count": lambda r: (r.decisions.clear(), r.learnings.__delitem__(slice(2, None))),
    "learning-unsupported": lambda r: setattr(r.learnings[0], "evidence", None),
    "learning-without-decision": lambda r: setattr(r.decisions[0], "learning", None),
    "actions-missing": lambda r: r.actions.clear(),
    "action-owner": lambda r: setattr(r.actions[0], "owner", "@payments-team"),
    "action-fields": lambda r: setattr(r.actions[0], "ticket", None),
    "action-due-before-review": lambda r: setattr(r.actions[0], "due", r.review_date),
    "action-signal": lambda r: setattr(r.actions[0], "success_signal", "Done"),
    "action-vague": lambda r: setattr(r.actions[0], "text", "Be more careful with config"),
    "priorities-flat": lambda r: [setattr(a, "priority", r.actions[0].priority) for a in r.actions],
    "top-factors-uncovered": lambda r: [a.factors.clear() for a in r.actions],
    "parked-missing": lambda r: r.parked.clear(),
    "action-status": lambda r: setattr(r.actions[0], "follow_up", date(2026, 3, 13)),
    "triggers-count": lambda r: r.kill_criteria.__delitem__(slice(2, None)),
    "trigger-incomplete": lambda r: setattr(r.kill_criteria[0], "window", None),
    "trigger-discuss": lambda r: setattr(
        r.kill_criteria[0], "commitment", "Discuss it at the next planning meeting"
    ),
    "shareout-missing": lambda r: r.shareout.clear(),
    "recurring-review-missing": lambda r: setattr(r.recurring_review, "owner", None),
    "channels-missing": lambda r: r.channels.clear(),
    "closing-lists-missing": lambda r: r.open_questions.clear(),
    "review-timing": lambda r: setattr(r, "review_date", date(2026, 3, 11)),
}


def test_every_rule_with_a_check_has_a_mutation() -> None:
    assert set(MUTATIONS) == set(CHECKS)


def test_the_example_trips_no_rule() -> None:
    assert names(good()) == set()


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_rule_fires_on_its_mutation_and_only_there(rule: str) -> None:
    review = good()
    assert rule not in names(review)
    MUTATIONS[rule](review)
    assert rule in names(review)


def test_rules_skip_kinds_they_do_not_apply_to() -> None:
    review = good()
    review.kind = type(review.kind)("retro")
    review.impact.clear()
    assert "impact-missing" not in names(review)


def test_findings_carry_line_section_and_field() -> None:
    text = EXAMPLE.read_text()
    a1 = next(ln for ln in text.splitlines() if ln.startswith("| A1 "))
    bad = text.replace(a1, a1.replace("| @lmendes |", "|          |"))
    review, where = parse_located(bad)
    found = run_checks(review, where.line, today=BEFORE_FOLLOW_UPS)
    owner = next(f for f in found if f.name == "action-owner")
    assert owner.line == bad.splitlines().index(a1.replace("| @lmendes |", "|          |")) + 1
    assert owner.section == "Actions" and owner.field == "actions[0].owner"
    assert owner.rule == "HW151" and owner.dimension == "decisions_actions"
    assert "A1" in owner.message and owner.hint


def test_profiles_choose_rules() -> None:
    review = good()
    review.brief.constraints.clear()
    strict = run_checks(review, lambda loc: None, profile="strict", today=BEFORE_FOLLOW_UPS)
    lenient = run_checks(review, lambda loc: None, profile="lenient", today=BEFORE_FOLLOW_UPS)
    assert "constraints-missing" in {f.name for f in strict}
    assert "constraints-missing" not in {f.name for f in lenient}
    assert all(load_rules()[f.name].tier == "core" for f in lenient)


def test_person_handles_not_teams() -> None:
    from hotwash.core.checks import is_person_handle

    assert is_person_handle("@lmendes") and is_person_handle("@kim.lee")
    for owner in ("@payments-team", "@sre", "@platform", "@oncall", "TBD", None, "@all"):
        assert not is_person_handle(owner), owner


def test_sentence_counting_ignores_decimals_and_abbreviations() -> None:
    assert (
        len(sentences("Latency rose 2.5x, e.g. on checkout. It lasted 45 min. We rolled back."))
        == 3
    )


def test_business_days_skip_weekends() -> None:
    friday = date(2026, 3, 13)
    assert business_days(friday, friday + timedelta(days=3)) == 1  # Monday
    assert business_days(date(2026, 3, 10), friday) == 3


def test_the_four_examples_pass_the_standard_gate(example_paths: list[Path]) -> None:
    from hotwash.core.gate import Gate

    for path in example_paths:
        report = Gate(today=BEFORE_FOLLOW_UPS).check(path.read_text(), path=str(path))
        assert report.passed, (path, report.reasons, [f.message for f in report.findings])
        assert report.scorecard.total >= 10


def test_checklists_show_what_fails_passes_and_is_left_to_people() -> None:
    from hotwash.core.gate import Gate
    from hotwash.core.rubric import checklist_views

    from .test_check_cli import POOR

    good_report = Gate(today=BEFORE_FOLLOW_UPS).check(EXAMPLE.read_text())
    poor_report = Gate().check(POOR)
    good = checklist_views(good_report.findings, "incident", "standard")
    poor = checklist_views(poor_report.findings, "incident", "standard")
    assert [v.id for v in good] == ["before", "during", "document", "follow_through"]
    states = {i.id: i.status for v in good for i in v.items}
    assert "fails" not in states.values() and states["doc-actions"] == "passes"
    assert states["during-went-well"] == "manual"
    poor_states = {i.id: i for v in poor for i in v.items}
    assert poor_states["doc-actions"].status == "fails"
    assert "HW151" in poor_states["doc-actions"].rules
    assert poor_states["before-date"].status == "fails"  # reviewed the next day


def test_explain_prints_rubric_and_checklists(tmp_path: Path) -> None:
    from .test_check_cli import write_poor
    from .test_cli import hotwash

    out = hotwash("check", "--explain", str(write_poor(tmp_path)))
    assert "Rubric" in out.stdout and "Before the meeting" in out.stdout
    assert "Follow-through after the meeting" in out.stdout


_SUMMARY_BITS = [
    "We rolled back",
    "e.g. checkout",
    "E.G. Checkout",
    "i.e. all",
    "etc.",
    "vs. last week",
    "approx. 40%",
    "ca. 300",
    "no. 7",
    "2.5x",
    "v1.2.3",
    "`a.b`",
    "[docs](http://x.y/z.html)",
    ". ",
    "! ",
    "? ",
    "...",
    "\n",
    " ",
    "Latency rose",
    "arca. x",
    "No.",
    "Ca.",
    "ſ",
    "İ",
    "1",
    ".",
    "9",
    "_",
    "²",
    "—",
    "·",
    "٣",
    "٣.٣",
]


@given(pieced(_SUMMARY_BITS, 14))
def test_sentences_split_as_the_plain_pattern_does(text: str) -> None:
    # The splitter skips its masking pass when none of the masked shapes can be present;
    # the result must be what masking every such span first gives, for any text.
    from hotwash.core.checks import _NOT_A_STOP, _SENTENCE

    plain = _NOT_A_STOP.sub("x", text)
    expected = tuple(s.strip() for s in _SENTENCE.findall(plain) if any(c.isalnum() for c in s))
    assert sentences(text) == expected


_HEADING_BITS = [
    "# A",
    "## B c",
    " ### D #",
    "   #### F",
    "    # code",
    "#no",
    "x #",
    "\n",
    " ",
    "#",
    "y",
    "####### E",
]


@given(pieced(_HEADING_BITS, 16))
def test_a_hits_section_is_the_last_heading_at_or_above_its_line(text: str) -> None:
    # _section_at reads upwards from the hit, trying only lines with a "#"; it must name
    # the last heading a scan of the whole text finds on or above the hit's line.
    from hotwash.core.gate import _HEADING, _section_at

    headings = [
        (text.count("\n", 0, m.start()), m.group(2).strip()) for m in _HEADING.finditer(text)
    ]
    for offset in range(len(text) + 1):
        line = text.count("\n", 0, offset)
        expected = [title for at, title in headings if at <= line]
        assert _section_at(text, offset) == (expected[-1] if expected else None), offset


_CASE_BITS = [
    "Because",
    "DUE TO",
    "Users",
    "5%",
    "For about an",
    "From x To",
    "Jan",
    "Sunday",
    "We’re",
    "WE WILL",
    "3 Hours",
    "10:30",
    "2026-03-10",
    "Follow-Up",
    "Be Careful",
    "Look Into",
    "E.G.",
    "No.",
    "`A`",
    "](",
    "٣",
    "3.4",
    "—",
    "·",
    "á",
    "ſ",
    "ı",
    "İ",
    "K",
    "ß",
    "x",
    " ",
    ".",
]


@given(pieced(_CASE_BITS, 12))
def test_summary_parts_found_on_lowered_text_as_with_ignorecase(text: str) -> None:
    # The summary and action checks search lower-cased text without re.I when that is
    # safe; where they do, each pattern must find there what its re.I form finds in the text.
    from hotwash.core.checks import (
        _NOT_A_STOP,
        _NOT_A_STOP_LOWER,
        _SUMMARY_PARTS,
        _SUMMARY_PARTS_LOWER,
        _VAGUE,
        _VAGUE_LOWER,
        _lower_for_search,
    )

    low = _lower_for_search(text)
    if text.isascii() or all(c.lower() == c == c.upper() for c in text if ord(c) > 127):
        assert low == text.lower()
    else:
        assert low is None
    if low is not None:
        assert len(low) == len(text)  # spans found in ``low`` hold in ``text``
        for part, rx in _SUMMARY_PARTS.items():
            assert bool(_SUMMARY_PARTS_LOWER[part].search(low)) == bool(rx.search(text)), part
        for rx, lower in ((_VAGUE, _VAGUE_LOWER), (_NOT_A_STOP, _NOT_A_STOP_LOWER)):
            assert [m.span() for m in lower.finditer(low)] == [m.span() for m in rx.finditer(text)]
