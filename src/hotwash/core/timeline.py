"""Imported evidence into a review: timeline rows, key timestamps, gaps, findings.

``merge_into`` takes a review and the merged, anonymized events of one import and returns the
new review and a summary of what changed. Key timestamps the review already holds are kept
(a person's value wins) and disagreements are reported; impossible sequences (resolved before
started, a date months off) are findings, not silent fixes. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .evidence import Event, Finding, Merged
from .model import Review, TimelineEntry
from .moments import Rule, classify, key_times, with_gaps

ORDER = ("started", "detected", "acknowledged", "mitigated", "resolved")
MAX_TEXT = 280


@dataclass
class ImportResult:
    review: Review
    added: int = 0
    already: int = 0
    duplicates: int = 0
    moments: dict[str, int] = field(default_factory=dict)
    filled: dict[str, datetime] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def _row(event: Event) -> TimelineEntry:
    source = event.source + (" (time zone assumed)" if event.zone == "assumed" else "")
    return TimelineEntry(
        at=event.at,
        actor=event.actor or None,
        text=_short(event.text) or "(no text)",
        source=source,
        link=event.link,
    )


def order_findings(keys: Mapping[str, datetime | None]) -> list[Finding]:
    """Key timestamps out of order: a later moment before an earlier one."""
    out: list[Finding] = []
    known = [(name, keys.get(name)) for name in ORDER if keys.get(name) is not None]
    for i, (a, at) in enumerate(known):
        for b, bt in known[i + 1 :]:
            if at is not None and bt is not None and bt < at:
                out.append(
                    Finding(
                        "order",
                        f"{b} ({bt:%Y-%m-%d %H:%M} UTC) is before {a} ({at:%Y-%m-%d %H:%M} UTC); "
                        "one of them is wrong",
                        f"key_timestamps.{b}",
                    )
                )
    return out


def merge_into(
    review: Review,
    merged: Merged,
    *,
    rules: Mapping[str, Rule] | None = None,
    key_only: bool = False,
) -> ImportResult:
    """The review with the imported events in its timeline (sorted, no repeats), empty key
    timestamps filled from the evidence, and candidate factors and actions for long gaps."""
    result = ImportResult(review, duplicates=merged.duplicates)
    result.findings.extend(merged.findings)
    have = {(e.at.replace(second=0), " ".join(e.text.lower().split())) for e in review.timeline}
    rows = list(review.timeline)
    marks: list[tuple[datetime, str]] = []
    for event in merged.events:
        moment = classify(event, rules)
        if moment is not None:
            marks.append((event.at, moment))
            result.moments[moment] = result.moments.get(moment, 0) + 1
        if key_only and moment is None:
            continue
        row = _row(event)
        key = (row.at.replace(second=0), " ".join(row.text.lower().split()))
        if key in have:
            result.already += 1
            continue
        have.add(key)
        rows.append(row)
        result.added += 1
    found = key_times(marks)
    keys = review.key_timestamps.model_dump()
    for name, at in found.items():
        current = keys.get(name)
        if current is None:
            keys[name] = at
            result.filled[name] = at
        elif abs((current - at).total_seconds()) >= 300:
            result.findings.append(
                Finding(
                    "disagrees",
                    f"the pack says {name} {current:%Y-%m-%d %H:%M} UTC; the evidence suggests "
                    f"{at:%Y-%m-%d %H:%M} UTC. The pack's value is kept",
                    f"key_timestamps.{name}",
                )
            )
    result.findings.extend(order_findings(keys))
    data = review.model_dump(mode="python")
    data["timeline"] = [r.model_dump(mode="python") for r in rows]
    data["key_timestamps"] = keys
    updated = Review.model_validate(data)
    result.review = with_gaps(updated) if review.kind.value == "incident" else updated
    return result
