"""The reference texts shipped as package data (data/*.yaml), typed and validated.

Everything a person reads (questions, workflow, checklists, rubric, guidance,
defaults, guide topics) lives in those files; this module only loads them and
builds a skeleton review from them. Reading the package's own files is its only I/O.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .data import read_data
from .model import Kind, RetroFormat, Review
from .values import slugify

KindName = Literal["incident", "project", "okr", "premortem", "retro"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Data):
    id: str = Field(pattern=r"^q-[a-z0-9-]+$")
    kinds: list[KindName] = Field(min_length=1)
    priority: int = Field(ge=1, le=5)
    step: int = Field(ge=1, le=7)
    field: str
    text: str
    why: str
    example: str
    assume: str | None = None
    """What the pack assumes while the question is unanswered (else it is an unknown)."""

    @field_validator("text")
    @classmethod
    def _is_question(cls, value: str) -> str:
        if not value.rstrip().endswith("?"):
            raise ValueError("a question ends with '?'")
        return value


class Step(_Data):
    number: int = Field(ge=1, le=7)
    id: str
    title: str
    goal: str
    inputs: list[str]
    actions: list[str]
    outputs: list[str]
    checks: list[str]


class ChecklistItem(_Data):
    id: str
    text: str


class Checklist(_Data):
    title: str
    when: str
    items: list[ChecklistItem] = Field(min_length=1)


class Dimension(_Data):
    id: str
    title: str
    question: str
    levels: dict[int, str]
    applies_to: list[KindName]


class Band(_Data):
    id: str
    min: int
    max: int
    label: str
    meaning: str


class Rubric(_Data):
    dimensions: list[Dimension] = Field(min_length=6, max_length=6)
    bands: list[Band]


class AgendaLine(_Data):
    minutes: int
    item: str


class FormatInfo(_Data):
    title: str
    columns: list[str]
    help: dict[str, str] = Field(default_factory=dict)


class Defaults(_Data):
    ground_rules: list[str]
    agenda: dict[KindName, list[AgendaLine]]
    retro_formats: dict[str, FormatInfo]


class Topic(_Data):
    title: str
    summary: str
    body: str


@cache
def questions() -> list[Question]:
    return [Question.model_validate(q) for q in read_data("questions")["questions"]]


@cache
def workflow() -> list[Step]:
    return [Step.model_validate(s) for s in read_data("workflow")["steps"]]


@cache
def checklists() -> dict[str, Checklist]:
    raw = read_data("checklists")["checklists"]
    return {k: Checklist.model_validate(v) for k, v in raw.items()}


@cache
def rubric() -> Rubric:
    return Rubric.model_validate(read_data("rubric"))


@cache
def defaults() -> Defaults:
    return Defaults.model_validate(read_data("defaults"))


@cache
def topics() -> dict[str, Topic]:
    return {k: Topic.model_validate(v) for k, v in read_data("topics")["topics"].items()}


@cache
def _guidance() -> dict[str, dict[str, str]]:
    raw: dict[str, dict[str, str]] = read_data("guidance")["sections"]
    return raw


def guidance(kind: str) -> dict[str, str]:
    """Subsection id -> the hint shown in that subsection while it is empty."""
    return {
        sub: " ".join(texts.get(kind, texts["default"]).split())
        for sub, texts in _guidance().items()
    }


def skeleton(
    kind: str,
    title: str,
    *,
    on: date,
    retro_format: str | None = None,
) -> Review:
    """A new review of ``kind``: ground rules and an agenda to start from, the rest empty."""
    d = defaults()
    agenda = [{"minutes": a.minutes, "item": a.item} for a in d.agenda.get(kind, [])]  # type: ignore[call-overload]
    data: dict[str, Any] = {
        "id": f"{on.isoformat()}-{slugify(title)}",
        "kind": kind,
        "title": title,
        "brief": {"ground_rules": list(d.ground_rules), "agenda": agenda},
    }
    if Kind(kind) is Kind.RETRO:
        data["retro_format"] = retro_format or RetroFormat.START_STOP_CONTINUE.value
    elif retro_format is not None:
        data["retro_format"] = retro_format
    return Review.model_validate(data)


def start_from(base: Review, kind: str, title: str, *, on: date) -> Review:
    """A new draft review that starts with the content of ``base`` (an example, last
    quarter's retro): new id, title and kind, status draft, no review date yet."""
    data = base.model_dump(mode="python")
    data.update(
        id=f"{on.isoformat()}-{slugify(title)}",
        kind=kind,
        title=title,
        status="draft",
        review_date=None,
    )
    return Review.model_validate(data)
