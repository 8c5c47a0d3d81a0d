"""Key moments of an incident, the durations between them, and the gaps they show.

Rules a person can read and override live in ``data/moments.yaml``: each moment has a plain
sentence of what it means, phrases that mark it and phrases that veto it. Durations (time to
detect, acknowledge, mitigate, resolve) have written definitions in the same file. Long gaps
become candidate factors and actions for the pack, because the method treats a detection or
response gap as data. Pure: rules come in as data, events and reviews as values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from .data import read_data
from .errors import PackError
from .evidence import Event
from .model import KeyTimestamps, Review

MOMENTS = (
    "started",
    "detected",
    "alerted",
    "acknowledged",
    "escalated",
    "diagnosed",
    "mitigated",
    "resolved",
    "communicated",
)


@dataclass(frozen=True)
class Rule:
    moment: str
    means: str
    phrases: tuple[str, ...]
    unless: tuple[str, ...]
    pattern: re.Pattern[str]
    veto: re.Pattern[str] | None


def _words(phrases: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({p.lower() for p in phrases if p.strip()}, key=len, reverse=True)
    if not parts:
        return None
    body = "|".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])" if parts else body, re.I)


def rules_from(data: Any, *, where: str = "moments") -> dict[str, Rule]:
    """Rules from data of the ``moments.yaml`` shape; errors name the field."""
    if not isinstance(data, Mapping) or not isinstance(data.get("moments"), Mapping):
        raise PackError("expected a mapping with a 'moments' mapping", path=where)
    out: dict[str, Rule] = {}
    for name, body in data["moments"].items():
        field = f"moments.{name}"
        if name not in MOMENTS:
            raise PackError(
                f"unknown moment; expected one of {', '.join(MOMENTS)}", path=where, field=field
            )
        if not isinstance(body, Mapping):
            raise PackError("expected means, phrases and unless", path=where, field=field)
        phrases = body.get("phrases") or []
        unless = body.get("unless") or []
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise PackError("expected a list of phrases", path=where, field=f"{field}.phrases")
        if not isinstance(unless, list) or not all(isinstance(p, str) for p in unless):
            raise PackError("expected a list of phrases", path=where, field=f"{field}.unless")
        pattern = _words(phrases)
        if pattern is None:
            raise PackError("needs at least one phrase", path=where, field=f"{field}.phrases")
        out[name] = Rule(
            name, str(body.get("means", "")), tuple(phrases), tuple(unless), pattern, _words(unless)
        )
    return out


@cache
def default_rules() -> dict[str, Rule]:
    return rules_from(read_data("moments"), where="hotwash/data/moments.yaml")


def merged_rules(override: Any | None, *, where: str = "moments") -> dict[str, Rule]:
    """The default rules with the moments named in ``override`` replaced, order kept."""
    rules = dict(default_rules())
    if override is not None:
        rules.update(rules_from(override, where=where))
    return rules


def classify(event: Event, rules: Mapping[str, Rule] | None = None) -> str | None:
    """The key moment an event marks, or None."""
    if event.moment is not None:
        return event.moment
    text = event.text
    for rule in (rules or default_rules()).values():
        if rule.pattern.search(text) and not (rule.veto and rule.veto.search(text)):
            return rule.moment
    return None


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    start: str
    end: str
    definition: str


@cache
def metrics() -> list[Metric]:
    return [
        Metric(m["id"], m["name"], m["from"], m["to"], " ".join(m["definition"].split()))
        for m in read_data("moments")["metrics"]
    ]


def duration(seconds: float) -> str:
    """A duration as people say it: 52 min, 3 h 05 min, 2 d 4 h."""
    if seconds < 0:
        return "-" + duration(-seconds)
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def measure(keys: KeyTimestamps) -> list[tuple[Metric, timedelta | None]]:
    """Each metric with its value (negative when the timestamps are out of order), or None
    when one of its timestamps is missing."""
    out: list[tuple[Metric, timedelta | None]] = []
    for m in metrics():
        a, b = getattr(keys, m.start), getattr(keys, m.end)
        out.append((m, b - a if a is not None and b is not None else None))
    return out


def key_times(events: Iterable[tuple[datetime, str]]) -> dict[str, datetime]:
    """Key timestamps from classified events: the first of each moment, where detection
    counts alerts too, and acknowledgement, mitigation and resolution only count once
    something was detected."""
    firsts: dict[str, datetime] = {}
    for at, moment in sorted(events):
        firsts.setdefault(moment, at)
    out: dict[str, datetime] = {}
    if "started" in firsts:
        out["started"] = firsts["started"]
    seen = [firsts[m] for m in ("detected", "alerted") if m in firsts]
    if seen:
        out["detected"] = min(seen)
    floor = out.get("detected") or out.get("started")
    for moment in ("acknowledged", "mitigated", "resolved"):
        times = [at for at, m in events if m == moment and (floor is None or at >= floor)]
        if times:
            out[moment] = min(times)
    return out


# --------------------------------------------------------------------------- gaps


@dataclass(frozen=True)
class Gap:
    id: str
    start: datetime
    end: datetime
    factor: str
    action: str
    category: str

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@cache
def _gap_specs() -> dict[str, Any]:
    specs: dict[str, Any] = read_data("moments")["gaps"]
    return specs


def gaps(keys: KeyTimestamps) -> list[Gap]:
    """The detection and response gaps longer than their thresholds."""
    out: list[Gap] = []
    for gid, spec in _gap_specs().items():
        a, b = getattr(keys, spec["from"]), getattr(keys, spec["to"])
        if a is None or b is None or b - a < timedelta(minutes=int(spec["minutes"])):
            continue
        words = {
            "from_at": f"{a:%Y-%m-%d %H:%M} UTC",
            "to_at": f"{b:%Y-%m-%d %H:%M} UTC",
            "gap": duration((b - a).total_seconds()),
        }
        out.append(
            Gap(
                gid,
                a,
                b,
                " ".join(spec["factor"].format(**words).split()),
                " ".join(spec["action"].split()),
                spec["category"],
            )
        )
    return out


_GAP_TYPES = {
    "detection": "detection gap",
    "acknowledge": "response gap",
    "mitigate": "response gap",
}


def with_gaps(review: Review) -> Review:
    """The review with one candidate factor and one candidate action per gap its key
    timestamps show, unless a factor already says the same. Candidates carry no owner and
    are marked as candidates, so the gate keeps asking for an owner."""
    data = review.model_dump(mode="python")
    factors, actions = data["factors"], data["actions"]
    nf = max((int(f["id"][1:]) for f in factors), default=0)
    na = max((int(a["id"][1:]) for a in actions), default=0)
    for gap in gaps(review.key_timestamps):
        mark = f"imported timeline ({gap.id} gap)"
        if any(f["evidence"] == mark for f in factors):
            continue  # already there, even if a timestamp was corrected since
        nf += 1
        na += 1
        factors.append(
            {
                "id": f"F{nf}",
                "type": _GAP_TYPES[gap.id],
                "text": gap.factor,
                "evidence": mark,
            }
        )
        actions.append(
            {
                "id": f"A{na}",
                "text": f"Candidate: {gap.action}",
                "category": gap.category,
                "factors": [f"F{nf}"],
            }
        )
    return Review.model_validate(data)
