"""The review model: one record per review, holding every part of the pack.

Pure data and validation; no I/O. Every text field is normalised on the way in
(whitespace folded for one-line fields, blank lines tidied for prose) so that a
review rendered to Markdown and parsed back is equal to the original.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .values import (
    comma_list,
    enum_text,
    finite,
    handle,
    one_line,
    parse_decimal,
    parse_instant,
    prose,
    slug,
    upper,
    utc,
)

FORMAT_VERSION = 1

# --------------------------------------------------------------------------- text types

Line = Annotated[str, AfterValidator(one_line)]
"""One line of inline Markdown; white space is folded."""

Prose = Annotated[str, AfterValidator(prose)]
"""One or more paragraphs of Markdown, without headings."""

Handle = Annotated[str, AfterValidator(handle)]
"""One person's handle, like ``@alex``: never a full name, never a team."""

Slug = Annotated[str, AfterValidator(slug)]


Instant = Annotated[datetime, BeforeValidator(parse_instant), AfterValidator(utc)]
"""A moment in time, always held in UTC to the second."""


Number = Annotated[Decimal, BeforeValidator(parse_decimal), AfterValidator(finite)]
Grade = Annotated[float, Field(ge=0.0, le=1.0)]


def _id_pattern(prefix: str) -> Any:
    return Field(pattern=rf"^{prefix}[1-9][0-9]*$")


# --------------------------------------------------------------------------- enums


class Kind(StrEnum):
    INCIDENT = "incident"
    PROJECT = "project"
    OKR = "okr"
    PREMORTEM = "premortem"
    RETRO = "retro"


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in review"
    FINAL = "final"


class Purpose(StrEnum):
    LEARNING = "learning"
    PREVENTION = "prevention"
    RECOVERY = "recovery"
    QUALITY = "quality"
    ALIGNMENT = "alignment"


class RetroFormat(StrEnum):
    START_STOP_CONTINUE = "start stop continue"
    MAD_SAD_GLAD = "mad sad glad"
    SAILBOAT = "sailboat"
    FOUR_LS = "4ls"


class EntryKind(StrEnum):
    FACT = "fact"
    HYPOTHESIS = "hypothesis"


class ImpactArea(StrEnum):
    CUSTOMERS = "customers"
    REVENUE = "revenue"
    INTERNAL = "internal"
    DATA = "data"
    OTHER = "other"


class Cluster(StrEnum):
    PEOPLE = "people"
    PROCESS = "process"
    PRODUCT = "product"
    TECH = "tech"
    COMMS = "comms"
    ENVIRONMENT = "environment"


class FactorType(StrEnum):
    TRIGGER = "trigger"
    CONTRIBUTING = "contributing condition"
    DETECTION_GAP = "detection gap"
    RESPONSE_GAP = "response gap"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DecisionType(StrEnum):
    FIX = "fix"
    GUARDRAIL = "guardrail"
    INSTRUMENTATION = "instrumentation"
    RUNBOOK = "runbook"
    TRAINING = "training"
    SCOPE_CHANGE = "scope change"
    EXPERIMENT = "experiment"


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"


class Category(StrEnum):
    PREVENT = "prevent"
    DETECT = "detect"
    MITIGATE = "mitigate"
    COMMUNICATE = "communicate"
    DOCUMENT = "document"


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    VERIFIED = "verified"
    NOT_DOING = "not doing"


class TriggerAction(StrEnum):
    PAUSE = "pause"
    PIVOT = "pivot"
    KILL = "kill"
    ESCALATE = "escalate"
    INVEST = "invest"


KindField = Annotated[Kind, BeforeValidator(enum_text)]
StatusField = Annotated[Status, BeforeValidator(enum_text)]
PurposeField = Annotated[Purpose, BeforeValidator(enum_text)]
RetroFormatField = Annotated[RetroFormat, BeforeValidator(enum_text)]
EntryKindField = Annotated[EntryKind, BeforeValidator(enum_text)]
ImpactAreaField = Annotated[ImpactArea, BeforeValidator(enum_text)]
ClusterField = Annotated[Cluster, BeforeValidator(enum_text)]
FactorTypeField = Annotated[FactorType, BeforeValidator(enum_text)]
LevelField = Annotated[Level, BeforeValidator(enum_text)]
DecisionTypeField = Annotated[DecisionType, BeforeValidator(enum_text)]
CategoryField = Annotated[Category, BeforeValidator(enum_text)]
ActionStatusField = Annotated[ActionStatus, BeforeValidator(enum_text)]
TriggerActionField = Annotated[TriggerAction, BeforeValidator(enum_text)]
PriorityField = Annotated[Priority, BeforeValidator(upper)]

IdList = Annotated[list[str], BeforeValidator(comma_list)]

# --------------------------------------------------------------------------- parts


class Part(BaseModel):
    """Base of every part: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class Roles(Part):
    facilitator: Handle | None = None
    scribe: Handle | None = None
    decision_owner: Handle | None = None


class AgendaItem(Part):
    minutes: int = Field(ge=1, le=480)
    item: Line


class Brief(Part):
    goal: Prose | None = None
    roles: Roles = Field(default_factory=Roles)
    attendees: list[Line] = Field(default_factory=list)
    audience: list[Line] = Field(default_factory=list)
    constraints: list[Line] = Field(default_factory=list)
    ground_rules: list[Line] = Field(default_factory=list)
    pre_reads: list[Line] = Field(default_factory=list)
    agenda: list[AgendaItem] = Field(default_factory=list)


class KeyTimestamps(Part):
    """Incident moments, in UTC. Each is optional until known."""

    started: Instant | None = None
    detected: Instant | None = None
    acknowledged: Instant | None = None
    mitigated: Instant | None = None
    resolved: Instant | None = None


class Okr(Part):
    objective: Line | None = None
    period: Line | None = None
    grade: Grade | None = None


class KeyResult(Part):
    id: str = _id_pattern("KR")
    text: Line
    target: Line | None = None
    result: Line | None = None
    grade: Grade | None = None


class BoardItem(Part):
    column: Line
    text: Line
    votes: int | None = Field(default=None, ge=0)


class TimelineEntry(Part):
    at: Instant
    kind: EntryKindField = EntryKind.FACT
    actor: Line | None = None
    text: Line
    source: Line | None = None
    link: Line | None = None


class Impact(Part):
    area: ImpactAreaField | None = None
    measure: Line
    value: Number | None = None
    approx: bool = False
    unit: Line | None = None
    how_we_know: Line | None = None

    @model_validator(mode="after")
    def _approx_needs_a_value(self) -> Impact:
        if self.value is None:
            self.approx = False
        return self


class Factor(Part):
    id: str = _id_pattern("F")
    cluster: ClusterField | None = None
    type: FactorTypeField | None = None
    text: Line
    why_it_made_sense: Line | None = None
    evidence: Line | None = None


class FailureMode(Part):
    id: str = _id_pattern("R")
    text: Line
    likelihood: LevelField | None = None
    impact: LevelField | None = None


class WhyChain(Part):
    factor: str
    steps: list[Line] = Field(min_length=1)


class Hypothesis(Part):
    id: str = _id_pattern("H")
    text: Line
    confidence: LevelField | None = None
    factors: IdList = Field(default_factory=list)


class Learning(Part):
    id: str = _id_pattern("L")
    text: Line
    evidence: Line | None = None


class Decision(Part):
    id: str = _id_pattern("D")
    text: Line
    type: DecisionTypeField | None = None
    learning: str | None = None
    rationale: Line | None = None
    tradeoffs: Line | None = None


class Action(Part):
    id: str = _id_pattern("A")
    text: Line
    owner: Handle | None = None
    priority: PriorityField | None = None
    due: date | None = None
    success_signal: Line | None = None
    follow_up: date | None = None
    category: CategoryField | None = None
    ticket: Line | None = None
    status: ActionStatusField = ActionStatus.OPEN
    factors: IdList = Field(default_factory=list)


class KillCriterion(Part):
    id: str = _id_pattern("K")
    signal: Line
    metric: Line | None = None
    threshold: Line | None = None
    window: Line | None = None
    action: TriggerActionField | None = None
    commitment: Line | None = None
    owner: Handle | None = None


class Channel(Part):
    audience: Line
    channel: Line
    when: Line | None = None
    owner: Handle | None = None


class RecurringReview(Part):
    cadence: Line | None = None
    owner: Handle | None = None
    inputs: Line | None = None
    audience: Line | None = None
    next_date: date | None = None


# --------------------------------------------------------------------------- the review


class Review(Part):
    """One review of any kind: the whole pack as data."""

    hotwash: int = FORMAT_VERSION
    id: Slug
    kind: KindField
    title: Line
    status: StatusField = Status.DRAFT
    review_date: date | None = None
    stabilized: bool | None = None
    location: Line | None = None
    services: list[Line] = Field(default_factory=list)
    tags: list[Line] = Field(default_factory=list)
    purposes: list[PurposeField] = Field(default_factory=list)
    retro_format: RetroFormatField | None = None

    brief: Brief = Field(default_factory=Brief)
    summary: Prose | None = None
    key_timestamps: KeyTimestamps = Field(default_factory=KeyTimestamps)
    okr: Okr = Field(default_factory=Okr)
    key_results: list[KeyResult] = Field(default_factory=list)
    retro_board: list[BoardItem] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    impact: list[Impact] = Field(default_factory=list)

    factors: list[Factor] = Field(default_factory=list)
    failure_modes: list[FailureMode] = Field(default_factory=list)
    whys: list[WhyChain] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list)

    went_well: list[Line] = Field(default_factory=list)
    went_badly: list[Line] = Field(default_factory=list)
    lucky: list[Line] = Field(default_factory=list)
    learnings: list[Learning] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)

    actions: list[Action] = Field(default_factory=list)
    parked: list[Line] = Field(default_factory=list)

    kill_criteria: list[KillCriterion] = Field(default_factory=list)

    shareout: list[Line] = Field(default_factory=list)
    customer_summary: Prose | None = None
    channels: list[Channel] = Field(default_factory=list)
    recurring_review: RecurringReview = Field(default_factory=RecurringReview)

    risks: list[Line] = Field(default_factory=list)
    open_questions: list[Line] = Field(default_factory=list)
    next_steps: list[Line] = Field(default_factory=list)
    assumptions: list[Line] = Field(default_factory=list)
    unknowns: list[Line] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_references(self) -> Review:
        self.timeline.sort(key=lambda entry: entry.at)  # stable: same-time rows keep order
        problem = first_reference_problem(self)
        if problem is not None:
            loc, message = problem
            raise PydanticCustomError(
                "reference",
                "{path}: {message}",
                {"path": dotted(loc), "message": message, "loc": loc},
            )
        return self


def dotted(loc: tuple[str | int, ...]) -> str:
    """A field location as people write it: actions[2].owner."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


ID_LISTS: dict[str, str] = {
    "key_results": "KR",
    "factors": "F",
    "failure_modes": "R",
    "hypotheses": "H",
    "learnings": "L",
    "decisions": "D",
    "actions": "A",
    "kill_criteria": "K",
}
"""Lists whose rows carry a stable id, and the id's prefix."""


def first_reference_problem(review: Review) -> tuple[tuple[str | int, ...], str] | None:
    """The first duplicate id or dangling cross-reference, with its location."""
    for name in ID_LISTS:
        seen: set[str] = set()
        for i, row in enumerate(getattr(review, name)):
            if row.id in seen:
                return (name, i, "id"), f"id {row.id} is used twice in {name}"
            seen.add(row.id)

    factor_ids = {f.id for f in review.factors}
    learning_ids = {x.id for x in review.learnings}

    def unknown(ref: str, known: set[str], what: str) -> str:
        listed = ", ".join(sorted(known, key=id_sort_key)) or "none yet"
        return f"{ref} is not a {what} id (known: {listed})"

    for i, action in enumerate(review.actions):
        for ref in action.factors:
            if ref not in factor_ids:
                return ("actions", i, "factors"), unknown(ref, factor_ids, "factor")
    for i, hyp in enumerate(review.hypotheses):
        for ref in hyp.factors:
            if ref not in factor_ids:
                return ("hypotheses", i, "factors"), unknown(ref, factor_ids, "factor")
    for i, chain in enumerate(review.whys):
        if chain.factor not in factor_ids:
            return ("whys", i, "factor"), unknown(chain.factor, factor_ids, "factor")
    for i, decision in enumerate(review.decisions):
        if decision.learning is not None and decision.learning not in learning_ids:
            return ("decisions", i, "learning"), unknown(
                decision.learning, learning_ids, "learning"
            )
    return None


def id_sort_key(ident: str) -> tuple[str, int]:
    m = re.match(r"^([A-Z]+)(\d+)$", ident)
    return (m.group(1), int(m.group(2))) if m else (ident, 0)
