"""The rubric: six dimensions scored 0-2 from the findings behind them, and the band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from .checks import Finding, by_fields
from .reference import rubric as load_rubric


@dataclass(frozen=True, init=False)
class DimensionScore:
    id: str
    title: str
    score: int
    findings: tuple[Finding, ...]

    def __init__(self, id: str, title: str, score: int, findings: tuple[Finding, ...]) -> None:
        # Written out so that mypyc compiles it (see checks.Finding).
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "findings", findings)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@dataclass(frozen=True)
class Scorecard:
    dimensions: tuple[DimensionScore, ...]
    total: int
    band: str
    band_label: str
    band_meaning: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)

    @property
    def maximum(self) -> int:
        return 2 * len(self.dimensions)


def score(findings: Sequence[Finding]) -> Scorecard:
    """Each dimension starts at 2 and loses each finding's weight, down to 0."""
    dimensions, bands = _plan()
    held: dict[str, list[Finding]] = {}
    lost: dict[str, int] = {}
    for d_id, _ in dimensions:
        held[d_id] = []
        lost[d_id] = 0
    for f in findings:
        dimension = f.dimension
        if dimension is not None:
            found = held.get(dimension)
            if found is not None:
                found.append(f)
                lost[dimension] += f.weight
    dims: list[DimensionScore] = []
    total = 0
    for d_id, title in dimensions:
        points = max(0, 2 - lost[d_id])
        total += points
        dims.append(DimensionScore(d_id, title, points, tuple(held[d_id])))
    band = next(b for b in bands if b[0] <= total <= b[1])
    return Scorecard(tuple(dims), total, band[2], band[3], band[4])


@cache
def _plan() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[int, int, str, str, str], ...]]:
    """The rubric's dimensions (id, title) and bands (min, max, id, label, meaning) as
    plain tuples: read once, where the model's attributes are Python attribute reads."""
    data = load_rubric()
    dimensions = tuple([(d.id, d.title) for d in data.dimensions])
    bands = tuple([(b.min, b.max, b.id, b.label, _plain(b.meaning)) for b in data.bands])
    return dimensions, bands


@cache
def _plain(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    status: str  # "fails" (a finding names it), "passes" (checked, no finding), "manual"
    rules: tuple[str, ...]


@dataclass(frozen=True)
class ChecklistView:
    id: str
    title: str
    items: tuple[ChecklistItem, ...]


def checklist_views(findings: Sequence[Finding], kind: str, profile: str) -> list[ChecklistView]:
    """The four checklists with each item's state for this document: an item fails when a
    finding serves it, passes when its rules ran and found nothing, and is manual when no
    rule can see it (a meeting moment, say)."""
    from .checks import load_rules
    from .reference import checklists

    checked: dict[str, list[str]] = {}
    for rule in load_rules().values():
        if rule.checklist and rule.applies(kind, profile):
            checked.setdefault(rule.checklist, []).append(rule.id)
    failing: dict[str, set[str]] = {}
    for f in findings:
        if f.checklist:
            failing.setdefault(f.checklist, set()).add(f.rule)
    views = []
    for key, checklist in checklists().items():
        items = []
        for item in checklist.items:
            if item.id in failing:
                status, rules = "fails", tuple(sorted(failing[item.id]))
            elif item.id in checked:
                status, rules = "passes", tuple(sorted(checked[item.id]))
            else:
                status, rules = "manual", ()
            items.append(ChecklistItem(item.id, " ".join(item.text.split()), status, rules))
        views.append(ChecklistView(key, checklist.title, tuple(items)))
    return views
