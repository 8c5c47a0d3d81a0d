"""The rubric: six dimensions scored 0-2 from the findings behind them, and the band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .checks import Finding
from .reference import rubric as load_rubric


@dataclass(frozen=True)
class DimensionScore:
    id: str
    title: str
    score: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Scorecard:
    dimensions: tuple[DimensionScore, ...]
    total: int
    band: str
    band_label: str
    band_meaning: str

    @property
    def maximum(self) -> int:
        return 2 * len(self.dimensions)


def score(findings: Sequence[Finding]) -> Scorecard:
    """Each dimension starts at 2 and loses each finding's weight, down to 0."""
    data = load_rubric()
    dims = []
    for d in data.dimensions:
        behind = tuple(f for f in findings if f.dimension == d.id)
        lost = sum(f.weight for f in behind)
        dims.append(DimensionScore(d.id, d.title, max(0, 2 - lost), behind))
    total = sum(d.score for d in dims)
    band = next(b for b in data.bands if b.min <= total <= b.max)
    return Scorecard(tuple(dims), total, band.id, band.label, " ".join(band.meaning.split()))
