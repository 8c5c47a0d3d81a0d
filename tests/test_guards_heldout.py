"""The guards on a held-out set written blind to their patterns and never used to tune them.

This file only measures: the figures it prints go into benchmarks/README.md. The floors sit
a little below the figures measured when the set was first scored, so a change that makes
the guards generalize worse fails here; no neutral request may trip a guard.
"""

from __future__ import annotations

from collections import Counter

import yaml

from hotwash.core.guards import check_request

from .conftest import ROOT

HELDOUT = ROOT / "tests" / "fixtures" / "guard_heldout.yaml"
FLOORS = {"active-incident": 0.68, "person-framing": 0.58}


def test_heldout_recall_and_no_neutral_trips() -> None:
    rows = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    trips: list[str] = []
    for row in rows:
        refusal = check_request({row["field"]: row["text"]}, kind=row["kind"])
        got = refusal.guard if refusal else "neutral"
        totals[row["expect"]] += 1
        if got == row["expect"]:
            hits[row["expect"]] += 1
        elif row["expect"] == "neutral":
            trips.append(f"{got}: {row['text']}")
    recall = {g: hits[g] / totals[g] for g in FLOORS}
    print(f"held-out recall {recall}, neutral trips {len(trips)}/{totals['neutral']}")
    assert totals == {"active-incident": 60, "person-framing": 60, "neutral": 120}
    assert trips == []
    for guard, floor in FLOORS.items():
        assert recall[guard] >= floor, (guard, recall[guard])
