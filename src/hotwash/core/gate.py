"""The quality gate: one document in, a report out (findings, checklists, rubric, verdict).

``Gate(profile=...).check(text, path=...)`` is the whole of ``hotwash check`` for one
file: a hotwash pack is parsed exactly; any other Markdown post-mortem is mapped onto the
model as far as it goes (foreign.py). Then the checklist rules, the language linter and
the rubric run, and the verdict is taken against ``min_score`` and ``fail_on``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from .checks import (
    SEVERITY_RANK,
    Finding,
    by_fields,
    load_rules,
    make_finding,
    run_checks,
)
from .errors import UsageError
from .language import load_linter
from .model import Review
from .rubric import Scorecard, score

PROFILE_DEFAULTS: Final[dict[str, dict[str, int | str]]] = {
    "lenient": {"min_score": 0, "fail_on": "error"},
    "standard": {"min_score": 7, "fail_on": "error"},
    "strict": {"min_score": 10, "fail_on": "warning"},
}
_HEADING: Final = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)

_PACK_MARK: Final = re.compile(r"^hotwash:[ \t]*\d", re.M)


@dataclass(frozen=True)
class Report:
    """The verdict on one document. ``review`` is dropped (None) when a report crosses
    a process boundary; everything an output needs is in the other fields."""

    path: str
    native: bool
    kind: str
    title: str
    findings: tuple[Finding, ...]
    scorecard: Scorecard
    passed: bool
    reasons: tuple[str, ...] = field(default=())
    profile: str = "standard"
    review: Review | None = field(default=None, compare=False, repr=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)

    def slim(self) -> Report:
        return replace(self, review=None)


@dataclass(frozen=True)
class Gate:
    profile: str = "standard"
    min_score: int | None = None
    fail_on: str | None = None
    today: date | None = None

    def __post_init__(self) -> None:
        if self.profile not in PROFILE_DEFAULTS:
            raise UsageError(f"unknown profile '{self.profile}' (lenient, standard, strict)")
        if self.fail_on is not None and self.fail_on not in SEVERITY_RANK:
            raise UsageError(f"unknown severity '{self.fail_on}' (info, warning, error)")

    @property
    def threshold(self) -> int:
        return (
            self.min_score
            if self.min_score is not None
            else int(PROFILE_DEFAULTS[self.profile]["min_score"])
        )

    @property
    def failing_severity(self) -> str:
        return self.fail_on or str(PROFILE_DEFAULTS[self.profile]["fail_on"])

    def prepare(self) -> None:
        """Load the rules, phrases, heading synonyms and layout now (each is loaded once
        and kept), so processes forked after this share them instead of loading each."""
        from .foreign import load_synonyms
        from .layout import load_layout

        load_rules()
        load_linter()
        load_synonyms()
        load_layout()

    def check(self, text: str, *, path: str = "<pack>") -> Report:
        """Check one document. A hotwash pack that does not parse raises PackError."""
        from .foreign import map_document
        from .parse import parse_located

        if is_hotwash_pack(text):
            review, where = parse_located(text, path=path)
            line_of = where.line
            notes: list[Finding] = []
            native = True
        else:
            mapped = map_document(text, name=path)
            review, line_of, notes, native = mapped.review, mapped.line, mapped.notes, False
            notes = [
                n for n in notes if load_rules()[n.name].applies(review.kind.value, self.profile)
            ]
        findings = run_checks(review, line_of, profile=self.profile, today=self.today)
        if self.profile == "lenient":
            findings = [_soften(f) for f in findings]
        findings += notes
        findings += lint_findings(text, self.profile)
        card = score(findings)
        if card.band == "ship_with_assumptions" and not (review.assumptions or review.unknowns):
            rule = load_rules()["unknowns-missing"]
            if rule.applies(review.kind.value, self.profile):
                findings.append(
                    make_finding(
                        rule, {"score": card.total}, line=None, field="unknowns", section="Unknowns"
                    )
                )
        findings.sort(key=lambda f: (f.line or 0, -SEVERITY_RANK[f.severity], f.rule))
        reasons = []
        if card.total < self.threshold:
            reasons.append(f"score {card.total}/{card.maximum} is below {self.threshold}")
        bar = SEVERITY_RANK[self.failing_severity]
        worst = [f for f in findings if SEVERITY_RANK[f.severity] >= bar]
        if worst:
            reasons.append(f"{len(worst)} finding(s) at {self.failing_severity} or above")
        return Report(
            path,
            native,
            review.kind.value,
            review.title,
            tuple(findings),
            card,
            not reasons,
            tuple(reasons),
            self.profile,
            review,
        )


LENIENT_BLOCKING: Final = frozenset({"actions-missing"})
"""In the lenient profile, checklist errors count as warnings, except these: a team adopting
hotwash on old documents fails first on blame language and on reviews with no actions."""


def _soften(f: Finding) -> Finding:
    if f.severity == "error" and f.name not in LENIENT_BLOCKING:
        return replace(f, severity="warning")
    return f


def is_hotwash_pack(text: str) -> bool:
    """A hotwash pack declares itself with ``hotwash: N`` in its front matter."""
    head = text[:4000]
    if not head.lstrip("\ufeff").startswith("---"):
        return False
    end = head.find("\n---", 3)
    return bool(_PACK_MARK.search(head[: end if end > 0 else None]))


def _section_at(text: str, offset: int) -> str | None:
    """The title of the last ATX heading on or above the line of ``offset``. Only lines
    with a "#" are tried, from that line upwards: a hit's section is seldom far."""
    end = text.find("\n", offset)
    i = text.rfind("#", 0, len(text) if end == -1 else end)
    while i != -1:
        at = text.rfind("\n", 0, i) + 1  # a heading has only 0-3 spaces before its "#"
        if i - at <= 3 and not text[at:i].strip(" "):
            m = _HEADING.match(text, at)
            if m is not None:
                return m.group(2).strip()
        i = text.rfind("#", 0, i)
    return None


def lint_findings(text: str, profile: str) -> list[Finding]:
    """The blameless-language linter's hits as findings, each with its section."""
    linter = load_linter()
    hits, suppressions = linter.hits(text)
    out = []
    for hit in hits:
        g = hit.group
        if g.severity == "info" and profile == "lenient":
            continue
        out.append(
            Finding(
                rule=g.id,
                name=g.name,
                severity=g.severity,
                message=f'{g.title}: "{hit.phrase}".',
                hint=g.suggestion,
                line=hit.line,
                section=_section_at(text, hit.start),
                field=None,
                dimension="scope_safety",
                checklist="during-reframe",
                weight=1 if g.severity == "error" else 0,
            )
        )
    rule = load_rules()["suppression-reason"]
    for s in suppressions:
        if not s.reason:
            out.append(make_finding(rule, {}, line=s.line, field=None, section=None))
    return out
