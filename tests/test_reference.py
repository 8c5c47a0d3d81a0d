"""The reference texts shipped as data: complete, consistent with the layout, safe to ask."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from hotwash.core import reference
from hotwash.core.layout import load_layout
from hotwash.core.model import Kind, Review

KINDS = [k.value for k in Kind]


def test_every_data_file_validates() -> None:
    assert len(reference.questions()) >= 40
    assert [s.number for s in reference.workflow()] == list(range(1, 8))
    assert set(reference.checklists()) == {"before", "during", "document", "follow_through"}
    assert len(reference.rubric().dimensions) == 6
    assert reference.defaults().ground_rules
    assert reference.topics()


def test_question_ids_are_unique() -> None:
    counts = Counter(q.id for q in reference.questions())
    assert [i for i, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_at_least_five_questions_of_top_priority(kind: str) -> None:
    qs = [q for q in reference.questions() if kind in q.kinds and q.priority <= 2]
    assert len(qs) >= 5


def test_an_incident_is_first_asked_whether_it_is_stable() -> None:
    first = min(
        (q for q in reference.questions() if "incident" in q.kinds),
        key=lambda q: (q.priority, q.step),
    )
    assert first.field == "stabilized"


def _model_paths() -> set[str]:
    paths: set[str] = set()

    def walk(model: type, prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}{name}"
            paths.add(path)
            ann = info.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                walk(ann, path + ".")

    walk(Review, "")
    return paths | {"evidence"}  # where evidence lives is asked, and kept as pre-reads


def test_every_question_fills_a_real_field() -> None:
    paths = _model_paths()
    assert [q.field for q in reference.questions() if q.field not in paths] == []


SECRET_ASKS = re.compile(
    r"\b(password|passphrase|api key|token|secret|credential|e-?mail address|phone|"
    r"full name|home address|salary)\b",
    re.IGNORECASE,
)


def test_no_question_asks_for_secrets_or_personal_data() -> None:
    asks = [q.id for q in reference.questions() if SECRET_ASKS.search(q.text)]
    assert asks == []


def test_guidance_covers_every_subsection_and_fits_in_a_comment() -> None:
    ids = {sub.id for _, sub in load_layout().subsections()}
    for kind in KINDS:
        hints = reference.guidance(kind)
        assert ids <= set(hints), ids - set(hints)
        assert [k for k, v in hints.items() if "--" in v or "-->" in v] == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_an_agenda_with_time_boxes(kind: str) -> None:
    agenda = reference.defaults().agenda[kind]
    total = sum(a.minutes for a in agenda)
    assert 30 <= total <= 180


def test_incident_agenda_walks_the_timeline_before_causes() -> None:
    items = [a.item.lower() for a in reference.defaults().agenda["incident"]]
    timeline = next(i for i, t in enumerate(items) if "timeline" in t)
    causes = next(i for i, t in enumerate(items) if "factor" in t or "cause" in t)
    assert timeline < causes


def test_retro_formats_match_the_model() -> None:
    from hotwash.core.model import RetroFormat

    names = {k.replace("_", " ") for k in reference.defaults().retro_formats}
    assert names == {f.value for f in RetroFormat}


def test_rubric_bands_cover_zero_to_twelve_without_gaps() -> None:
    covered = sorted(n for b in reference.rubric().bands for n in range(b.min, b.max + 1))
    assert covered == list(range(13))
    for dim in reference.rubric().dimensions:
        assert sorted(dim.levels) == [0, 1, 2]


def test_skeleton_is_a_valid_draft_for_every_kind() -> None:
    from datetime import date

    for kind in KINDS:
        review = reference.skeleton(kind, "Checkout errors", on=date(2026, 3, 15))
        assert review.id == "2026-03-15-checkout-errors" and review.status.value == "draft"
