"""The checklist rules of the quality gate: one small function per rule in data/rules.yaml.

A rule function reads the review and yields ``(params, loc)`` pairs: the values for the
rule's message and the field the finding is about. The engine adds the texts, the line
(through the source map) and the section. Pure: the date of "today" is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from itertools import pairwise
from typing import Any, Final, Literal

from .data import read_data
from .layout import load_layout
from .model import FactorType, Kind, Review, dotted
from .values import HANDLE_RE

Severity = Literal["error", "warning", "info"]
Tier = Literal["core", "standard", "strict"]
Loc = tuple[str | int, ...]
SEVERITY_RANK: Final = {"info": 0, "warning": 1, "error": 2}
PROFILE_TIERS: Final[dict[str, tuple[str, ...]]] = {
    "lenient": ("core",),
    "standard": ("core", "standard"),
    "strict": ("core", "standard", "strict"),
}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    checklist: str | None
    dimension: str | None
    severity: Severity
    weight: int
    tier: Tier
    kinds: tuple[str, ...]
    message: str
    hint: str

    def applies(self, kind: str, profile: str) -> bool:
        return (not self.kinds or kind in self.kinds) and self.tier in PROFILE_TIERS[profile]


def by_fields(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    """How pickle rebuilds a frozen dataclass: its class called with its fields in order.
    (Compiled, such a class cannot be filled in field by field, which pickle does by
    default.) Results cross from worker processes this way."""
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj))


@dataclass(frozen=True, init=False)
class Finding:
    rule: str
    name: str
    severity: Severity
    message: str
    hint: str
    line: int | None = None
    section: str | None = None
    field: str | None = None
    dimension: str | None = None
    checklist: str | None = None
    weight: int = 0

    def __init__(
        self,
        rule: str,
        name: str,
        severity: Severity,
        message: str,
        hint: str,
        line: int | None = None,
        section: str | None = None,
        field: str | None = None,
        dimension: str | None = None,
        checklist: str | None = None,
        weight: int = 0,
    ) -> None:
        # Written out rather than generated, as in the classes made many times a document
        # (findings, hits, dimension scores, blocks): mypyc compiles this __init__, each
        # object.__setattr__ a plain field store (the generated one stays interpreted, at
        # 15x the cost). Classes made once a document keep the generated one.
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "hint", hint)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "dimension", dimension)
        object.__setattr__(self, "checklist", checklist)
        object.__setattr__(self, "weight", weight)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


@cache
def load_rules() -> dict[str, Rule]:
    """Rules by name, from data/rules.yaml."""

    raw = read_data("rules")
    rules = {}
    for r in raw["rules"]:
        rules[r["name"]] = Rule(
            id=r["id"],
            name=r["name"],
            checklist=r.get("checklist"),
            dimension=r.get("dimension"),
            severity=r["severity"],
            weight=int(r["weight"]),
            tier=r["tier"],
            kinds=tuple(r.get("kinds", ())),
            message=" ".join(str(r["message"]).split()),
            hint=" ".join(str(r["hint"]).split()),
        )
    return rules


def make_finding(
    rule: Rule,
    params: dict[str, Any],
    *,
    line: int | None,
    field: str | None,
    section: str | None,
) -> Finding:
    return Finding(
        rule=rule.id,
        name=rule.name,
        severity=rule.severity,
        message=rule.message.format(**params),
        hint=rule.hint,
        line=line,
        section=section,
        field=field,
        dimension=rule.dimension,
        checklist=rule.checklist,
        weight=rule.weight,
    )


@cache
def _sections_by_field() -> dict[str, str]:
    out = {}
    for _, sub in load_layout().subsections():
        out[sub.field] = sub.heading
        out.setdefault(sub.path[0], sub.heading)
    return out


@cache
def section_of(loc: Loc) -> str | None:
    names = _sections_by_field()
    for n in range(len(loc), 0, -1):
        key = ".".join(str(p) for p in loc[:n] if isinstance(p, str))
        if key in names:
            return names[key]
    return None


# --------------------------------------------------------------------------- the engine

Check = Callable[["Context"], Iterator[tuple[dict[str, Any], Loc]]]
CHECKS: Final[dict[str, Check]] = {}


def rule(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn

    return register


@dataclass(frozen=True)
class Context:
    review: Review
    today: date | None = None


def run_checks(
    review: Review,
    line_of: Callable[[Loc], int | None],
    *,
    profile: str = "standard",
    today: date | None = None,
) -> list[Finding]:
    rules = load_rules()
    ctx = Context(review, today)
    findings = []
    kind = review.kind.value
    for check, r in _applicable(rules, kind, profile):
        for params, loc in check(ctx):
            findings.append(shared_finding(r, params, line_of(loc) if loc else None, loc))
    return findings


def shared_finding(rule: Rule, params: dict[str, Any], line: int | None, loc: Loc) -> Finding:
    """``make_finding`` for a hit of ``rule`` at ``loc`` (its field and section), on
    ``line``. Documents share most findings (same rule, field, line and values): a
    finding is immutable, so an equal one already made is handed out again, and its
    JSON is written once."""
    key: tuple[Any, ...] | None = (rule.name, line, loc)
    if params:
        for v in params.values():
            if v.__class__ is not str and v.__class__ is not int:
                key = None  # only str and int values make equal keys equal messages
                break
        else:
            key = (rule.name, line, loc, tuple(params.items()))
    found = _MADE.get(key) if key is not None else None
    if found is None:
        found = make_finding(
            rule, params, line=line, field=dotted(loc) or None, section=section_of(loc)
        )
        if key is not None:
            if len(_MADE) > 50_000:
                _MADE.clear()
            _MADE[key] = found
    return found


_APPLICABLE: Final[
    dict[tuple[int, str, str, int], tuple[dict[str, Rule], list[tuple[Check, Rule]]]]
] = {}


def _applicable(rules: dict[str, Rule], kind: str, profile: str) -> list[tuple[Check, Rule]]:
    """The checks whose rules apply to ``kind`` under ``profile``, in order, each with its
    rule (kept per rules object: the key holds its id, the value the object itself)."""
    key = (id(rules), kind, profile, len(CHECKS))
    held = _APPLICABLE.get(key)
    if held is None or held[0] is not rules:
        found = [(c, rules[n]) for n, c in CHECKS.items() if rules[n].applies(kind, profile)]
        held = (rules, found)
        _APPLICABLE[key] = held
    return held[1]


_MADE: Final[dict[tuple[Any, ...], Finding]] = {}
"""Findings made by ``shared_finding`` in this process, by rule name, line, location and
message values (str or int only, so equal keys mean equal messages)."""


def ids(rows: list[Any]) -> str:
    return ", ".join(r.id for r in rows)


# --------------------------------------------------------------------------- scope and safety


@rule("goal-missing")
def _goal(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.brief.goal:
        yield {}, ("brief", "goal")


@rule("roles-missing")
def _roles(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    roles = ctx.review.brief.roles
    missing = [
        label
        for label, v in (
            ("facilitator", roles.facilitator),
            ("scribe", roles.scribe),
            ("decision owner", roles.decision_owner),
        )
        if not v
    ]
    if missing:
        yield {"missing": ", ".join(missing)}, ("brief", "roles")


@rule("ground-rules-missing")
def _ground_rules(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.brief.ground_rules:
        yield {}, ("brief", "ground_rules")


@rule("constraints-missing")
def _constraints(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.brief.constraints:
        yield {}, ("brief", "constraints")


# --------------------------------------------------------------------------- evidence

_SENTENCE: Final = re.compile(r"[^.!?]+(?:[.!?]+(?=\s|$)|$)")
_SUMMARY_PARTS: Final = {
    "when it happened": re.compile(
        r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
        r"nov|dec)[a-z]*\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"yesterday)\b",
        re.I,
    ),
    "how long it lasted": re.compile(
        r"\b\d+\s*(?:h|hours?|hrs?|m|min|minutes?|mins|s|seconds?|days?)\b|\bfor\s+(?:about|"
        r"nearly|almost|over)?\s*(?:an?|one|two|three|\d+)\b|\bfrom\b[^.]{0,80}\bto\b|\buntil\b",
        re.I,
    ),
    "who was affected": re.compile(
        r"\b(?:users?|customers?|merchants?|clients?|requests?|accounts?|tenants?|teams?|"
        r"visitors?|people|traffic|callers?|subscribers?|%)",
        re.I,
    ),
    "why it happened": re.compile(
        r"\b(?:because|caused|due to|after|when|triggered|led to|result|root cause|so that)\b", re.I
    ),
    "what we are doing": re.compile(
        r"\b(?:we (?:are|will|have|'re)|we’re|actions?|adding|will|next|fix(?:ed|ing)?|"
        r"follow[- ]?up|prevent)\b",
        re.I,
    ),
}


_NOT_A_STOP: Final = re.compile(
    r"`[^`]*`|\]\([^)]*\)|\b(?:e\.g|i\.e|etc|vs|approx|ca|no)\.|\d\.\d", re.I
)

_NOT_A_STOP_LOWER: Final = re.compile(_NOT_A_STOP.pattern)
_NOT_A_STOP_NEEDLES: Final = ("`", "](", "e.g.", "i.e.", "etc.", "vs.", "approx.", "ca.", "no.")
"""Text that each part of _NOT_A_STOP but the decimal one needs, in lower-case ASCII: a
summary holding none of them (and no decimal) has nothing to hide from the splitter."""
_ALNUM: Final = re.compile(r"[^\W_]")  # what str.isalnum() accepts


def _has_decimal(text: str) -> bool:
    """Whether ``text`` holds a digit, a dot and a digit, looking only around the dots:
    true wherever ``\\d\\.\\d`` finds one (str.isdigit accepts every digit \\d does)."""
    i = text.find(".", 1)
    while i != -1 and i + 1 < len(text):
        if text[i - 1].isdigit() and text[i + 1].isdigit():
            return True
        i = text.find(".", i + 1)
    return False


@cache
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a summary (decimals, abbreviations and links do not end one)."""
    low = _lower_for_search(text)
    if low is None:
        plain = _NOT_A_STOP.sub("x", text)
    else:  # same spans as re.I finds (same length, too), at a third of the cost
        plain = text
        if any(n in low for n in _NOT_A_STOP_NEEDLES) or _has_decimal(low):
            parts: list[str] = []
            last = 0
            for m in _NOT_A_STOP_LOWER.finditer(low):
                parts += (text[last : m.start()], "x")
                last = m.end()
            parts.append(text[last:])
            plain = "".join(parts)
    return tuple([s.strip() for s in _SENTENCE.findall(plain) if _ALNUM.search(s)])


@rule("summary-missing")
def _summary_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.summary:
        yield {}, ("summary",)


@rule("summary-length")
def _summary_length(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if ctx.review.summary:
        n = len(sentences(ctx.review.summary))
        if not 3 <= n <= 5:
            yield {"count": n}, ("summary",)


@rule("summary-content")
def _summary_content(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    text = ctx.review.summary
    if text:
        low = _lower_for_search(text)
        if low is not None:  # lower-cased text without re.I finds exactly the same
            missing = [part for part, rx in _SUMMARY_PARTS_LOWER.items() if not rx.search(low)]
        else:
            missing = [part for part, rx in _SUMMARY_PARTS.items() if not rx.search(text)]
        if missing:
            yield {"missing": ", ".join(missing)}, ("summary",)


_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")


def _lower_for_search(text: str) -> str | None:
    """``text`` lower-cased, when a lower-case pattern finds there without re.I what it
    finds in ``text`` with re.I: ASCII text, or text whose other characters have no case
    (dashes, middle dots), as no such character matches an ASCII one under re.I. None
    for any other text (an "ſ" matches "s" under re.I, say)."""
    if not text.isascii():
        for ch in _NON_ASCII.findall(text):
            if ch.lower() != ch or ch.upper() != ch:
                return None
    return text.lower()


_SUMMARY_PARTS_LOWER: Final = {part: re.compile(rx.pattern) for part, rx in _SUMMARY_PARTS.items()}
"""The same patterns, case-sensitive, for lower-cased ASCII text (2x faster)."""


@rule("timeline-missing")
def _timeline_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.timeline:
        yield {}, ("timeline",)


@rule("timeline-unsourced")
def _timeline_unsourced(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    rows = ctx.review.timeline
    bare = [i for i, e in enumerate(rows) if not e.source and not e.link]
    if bare:
        yield {"count": len(bare), "total": len(rows)}, ("timeline", bare[0])


_MOMENTS: Final = ("started", "detected", "acknowledged", "mitigated", "resolved")


@rule("timestamps-out-of-order")
def _timestamps_order(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    k = ctx.review.key_timestamps
    known = [(m, getattr(k, m)) for m in _MOMENTS if getattr(k, m) is not None]
    for (a, ta), (b, tb) in pairwise(known):
        if tb < ta:
            yield (
                {"problem": f"{b} ({tb:%Y-%m-%d %H:%M}) is before {a} ({ta:%Y-%m-%d %H:%M})"},
                ("key_timestamps", b),
            )
            return
    for name, t in known:
        for entry in ctx.review.timeline[:1]:
            if abs((t - entry.at).days) > 62:
                yield (
                    {"problem": f"{name} is months away from the first timeline entry"},
                    ("key_timestamps", name),
                )
                return


@rule("key-timestamps-missing")
def _timestamps_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    k = ctx.review.key_timestamps
    missing = [m for m in _MOMENTS if getattr(k, m) is None]
    if missing:
        yield {"missing": ", ".join(missing)}, ("key_timestamps",)


def detection_gap(review: Review) -> timedelta | None:
    k = review.key_timestamps
    if k.started and k.detected and k.detected >= k.started:
        return k.detected - k.started
    return None


def human_duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins}-minute"


@rule("detection-gap")
def _detection_gap(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    gap = detection_gap(ctx.review)
    if gap is None or gap < timedelta(minutes=1):
        return
    if any(f.type is FactorType.DETECTION_GAP for f in ctx.review.factors):
        return
    k = ctx.review.key_timestamps
    assert k.started is not None and k.detected is not None
    yield (
        {
            "started": f"{k.started:%H:%M}",
            "detected": f"{k.detected:%H:%M}",
            "gap": human_duration(gap),
        },
        ("key_timestamps", "detected"),
    )


@rule("impact-missing")
def _impact_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.impact:
        yield {}, ("impact",)


@rule("impact-unquantified")
def _impact_unquantified(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    bad = [i for i, x in enumerate(ctx.review.impact) if x.value is None or not x.unit]
    if bad:
        yield {"count": len(bad)}, ("impact", bad[0])


@rule("okr-results-missing")
def _okr_results(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.key_results or any(kr.grade is None for kr in ctx.review.key_results):
        yield {}, ("key_results",)


# --------------------------------------------------------------------------- systems


@rule("single-cause")
def _single_cause(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    n = len(ctx.review.factors)
    if n < 2:
        yield {"count": n}, ("factors",)


@rule("factor-untyped")
def _untyped(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    bad = [f for f in ctx.review.factors if f.cluster is None or f.type is None]
    if bad:
        yield {"ids": ids(bad)}, ("factors", ctx.review.factors.index(bad[0]))


@rule("factor-why-missing")
def _why_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    bad = [f for f in ctx.review.factors if not f.why_it_made_sense]
    if bad:
        yield {"ids": ids(bad)}, ("factors", ctx.review.factors.index(bad[0]))


def top_factors(review: Review) -> list[str]:
    """The factors the review treats as most important: those with why-chains, else the
    triggers, else the first two listed."""
    chained = [c.factor for c in review.whys]
    if chained:
        return chained[:2]
    triggers = [f.id for f in review.factors if f.type is FactorType.TRIGGER]
    return (triggers or [f.id for f in review.factors])[:2]


@rule("whys-shallow")
def _whys(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    review = ctx.review
    if len(review.factors) == 0:
        return
    if not review.whys:
        yield {"problem": "No five-whys chain on the top factors."}, ("whys",)
        return
    shallow = [c.factor for c in review.whys if len(c.steps) < 3]
    if shallow:
        i = next(i for i, c in enumerate(review.whys) if c.factor == shallow[0])
        yield {"problem": f"Why-chains shorter than 3 levels: {', '.join(shallow)}."}, ("whys", i)


@rule("hypotheses-missing")
def _hypotheses(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.hypotheses or any(h.confidence is None for h in ctx.review.hypotheses):
        yield {}, ("hypotheses",)


@rule("factors-clustered-once")
def _one_cluster(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    clusters = {f.cluster for f in ctx.review.factors if f.cluster is not None}
    if len(ctx.review.factors) >= 3 and len(clusters) == 1:
        yield {"cluster": next(iter(clusters)).value}, ("factors",)


@rule("failure-modes-missing")
def _failure_modes(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.failure_modes:
        yield {}, ("failure_modes",)


@rule("retro-board-missing")
def _board(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.retro_board:
        yield {}, ("retro_board",)


# --------------------------------------------------------------------------- decisions, actions


@rule("learnings-count")
def _learnings_count(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    n = len(ctx.review.learnings)
    if not 3 <= n <= 7:
        yield {"count": n}, ("learnings",)


@rule("learning-unsupported")
def _learning_evidence(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    bad = [x for x in ctx.review.learnings if not x.evidence]
    if bad:
        yield {"ids": ids(bad)}, ("learnings", ctx.review.learnings.index(bad[0]))


@rule("learning-without-decision")
def _learning_decision(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    decided = {d.learning for d in ctx.review.decisions}
    bad = [x for x in ctx.review.learnings if x.id not in decided]
    if bad:
        yield {"ids": ids(bad)}, ("learnings", ctx.review.learnings.index(bad[0]))


@rule("actions-missing")
def _actions_missing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.actions:
        yield {}, ("actions",)


_TEAMISH: Final = re.compile(
    r"(?:^|[-_.])(?:team|teams|squad|guild|group|crew|dept|department|org|ops|eng|"
    r"engineering|oncall|on-call|sre|all|everyone|support|platform|infra)(?:$|[-_.])",
    re.I,
)


def is_person_handle(owner: str | None) -> bool:
    return (
        bool(owner)
        and bool(HANDLE_RE.match(owner or ""))
        and not _TEAMISH.search((owner or "")[1:])
    )


@rule("action-owner")
def _owner(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    bad = [a for a in ctx.review.actions if not is_person_handle(a.owner)]
    if bad:
        yield {"ids": ids(bad)}, ("actions", ctx.review.actions.index(bad[0]), "owner")


@rule("action-fields")
def _action_fields(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    actions = ctx.review.actions
    for field, label in (
        ("priority", "a priority"),
        ("due", "a due date"),
        ("follow_up", "a follow-up date"),
        ("ticket", "a ticket"),
    ):
        bad = [a for a in actions if getattr(a, field) is None]
        if bad:
            yield {"field": label, "ids": ids(bad)}, ("actions", actions.index(bad[0]), field)


@rule("action-due-before-review")
def _due(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    day = ctx.review.review_date
    if day is None:
        return
    actions = ctx.review.actions
    bad = [a for a in actions if a.due is not None and a.due <= day]
    if bad:
        yield (
            {"review_date": day.isoformat(), "ids": ids(bad)},
            ("actions", actions.index(bad[0]), "due"),
        )


_OBSERVABLE: Final = re.compile(
    r"\d|%|\b(?:zero|no|none|every|each|all|alert|alerts|page|pages|paged|fires?|fired|"
    r"dashboard|metric|graph|p\d\d|rate|ratio|count|drill|test|tests|passes|passed|fails?|"
    r"blocks?|blocked|rejects?|shows?|appears?|published|merged|green|red|measured|"
    r"within|under|below|above|less|more|fewer|ticket|report|log|audit|ci|posted|linked|"
    r"lists?|listed|completes?|completed|exists?|recorded|signed|approved|shipped|deployed|"
    r"live|reach(?:es|ed)?|drops?|dropped|stays?|stayed|returns?|runs?|ran)\b",
    re.I,
)


@rule("action-signal")
def _signal(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    actions = ctx.review.actions
    bad = [
        a
        for a in actions
        if not a.success_signal
        or not _OBSERVABLE.search(a.success_signal)
        or a.success_signal.strip().lower() in ("done", "completed", "finished")
    ]
    if bad:
        yield {"ids": ids(bad)}, ("actions", actions.index(bad[0]), "success_signal")


_VAGUE: Final = re.compile(
    r"\b(?:be (?:more )?(?:careful|vigilant|diligent|mindful|aware)|pay (?:more )?attention|"
    r"double[- ]check|remember to|try (?:harder|to)|(?:re-?train|retraining|re-?educate)"
    r"(?: \w+)?|remind (?:people|everyone|the team|engineers)|"
    r"improve (?:monitoring|alerting|testing|communication|documentation|process(?:es)?|"
    r"quality|observability|reliability|the process)|better (?:communication|testing|"
    r"monitoring)|communicate better|more testing|take more care|look into|think about)\b",
    re.I,
)

_VAGUE_LOWER: Final = re.compile(_VAGUE.pattern)


@rule("action-vague")
def _vague(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    for i, action in enumerate(ctx.review.actions):
        text = action.text
        low = _lower_for_search(text)
        if low is not None:  # same spans as re.I, found faster
            m = _VAGUE_LOWER.search(low)
            phrase = text[m.start() : m.end()] if m else ""
        else:
            m = _VAGUE.search(text)
            phrase = m.group(0) if m else ""
        if m:
            yield {"id": action.id, "phrase": phrase}, ("actions", i, "text")


@rule("priorities-flat")
def _flat(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    prios = [a.priority for a in ctx.review.actions if a.priority is not None]
    if len(prios) >= 3 and len(set(prios)) == 1:
        yield {"count": len(prios), "priority": prios[0].value}, ("actions",)


@rule("top-factors-uncovered")
def _coverage(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    review = ctx.review
    if not review.actions:
        return
    covered = {
        f
        for a in review.actions
        if a.priority is not None and a.priority.value in ("P0", "P1")
        for f in a.factors
    }
    missing = [f for f in top_factors(review) if f not in covered]
    if missing:
        yield {"ids": ", ".join(missing)}, ("actions",)


@rule("parked-missing")
def _parked(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.parked:
        yield {}, ("parked",)


@rule("action-status")
def _follow_up(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if ctx.today is None:
        return
    actions = ctx.review.actions
    bad = [
        a
        for a in actions
        if a.follow_up is not None
        and a.follow_up < ctx.today
        and a.status.value not in ("verified", "not doing")
    ]
    if bad:
        yield (
            {"today": ctx.today.isoformat(), "ids": ids(bad)},
            ("actions", actions.index(bad[0]), "status"),
        )


# --------------------------------------------------------------------------- kill criteria


@rule("triggers-count")
def _triggers(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    n = len(ctx.review.kill_criteria)
    if not 3 <= n <= 10:
        yield {"count": n}, ("kill_criteria",)


@rule("trigger-incomplete")
def _trigger_fields(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    rows = ctx.review.kill_criteria
    for field, label in (
        ("metric", "a metric"),
        ("threshold", "a threshold"),
        ("window", "a window"),
        ("action", "a committed action"),
        ("owner", "an owner"),
    ):
        bad = [k for k in rows if getattr(k, field) is None]
        if bad:
            yield {"field": label, "ids": ids(bad)}, ("kill_criteria", rows.index(bad[0]), field)


_TALK: Final = re.compile(
    r"\b(?:discuss(?:ion|ed)?|talk(?: about)?|revisit|reconsider|consider|look (?:at|into)|"
    r"meet(?:ing)?|review it|sync|think about|evaluate options|raise it)\b",
    re.I,
)


@rule("trigger-discuss")
def _talk(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    for i, k in enumerate(ctx.review.kill_criteria):
        text = k.commitment or ""
        m = _TALK.search(text)
        if (m and k.action is None) or (
            m
            and not re.search(
                r"\b(?:pause|pivot|kill|stop|escalate|invest|roll ?back|"
                r"freeze|cancel|shut|fund|add|move|switch)\b",
                text,
                re.I,
            )
        ):
            yield {"id": k.id, "phrase": m.group(0)}, ("kill_criteria", i, "commitment")


# --------------------------------------------------------------------------- dissemination


@rule("shareout-missing")
def _shareout(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.shareout:
        yield {}, ("shareout",)


@rule("recurring-review-missing")
def _recurring(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    r = ctx.review.recurring_review
    missing = [
        label
        for label, v in (("cadence", r.cadence), ("owner", r.owner), ("audience", r.audience))
        if not v
    ]
    if missing:
        yield {"missing": ", ".join(missing)}, ("recurring_review",)


@rule("channels-missing")
def _channels(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    if not ctx.review.channels:
        yield {}, ("channels",)


@rule("closing-lists-missing")
def _closing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    review = ctx.review
    missing = [
        label
        for label, v in (
            ("risks", review.risks),
            ("open questions", review.open_questions),
            ("next steps", review.next_steps),
        )
        if not v
    ]
    if missing:
        yield {"missing": ", ".join(missing)}, ("risks",)


def business_days(start: date, end: date) -> int:
    """Working days (Monday to Friday) after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


@rule("review-timing")
def _timing(ctx: Context) -> Iterator[tuple[dict[str, Any], Loc]]:
    review = ctx.review
    k = review.key_timestamps
    stable = k.resolved or k.mitigated
    if review.review_date is None or stable is None or review.kind is not Kind.INCIDENT:
        return
    days = business_days(stable.date(), review.review_date)
    if not 3 <= days <= 5:
        yield {"days": days}, ("review_date",)
