"""The pack layout: sections, subsections and table columns, read from data/layout.yaml.

The same layout drives rendering and parsing. Reading the package's own data
file is the only I/O here, done once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from .data import read_data

Shape = Literal["prose", "bullets", "table", "fields", "whys"]
CellKind = Literal["text", "link", "approx", "ids"]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    cell: CellKind = "text"
    link_field: str | None = None
    flag_field: str | None = None


@dataclass(frozen=True)
class Row:
    label: str
    field: str


@dataclass(frozen=True)
class Subsection:
    id: str
    heading: str
    field: str
    shape: Shape
    kinds: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    field_columns: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    mermaid: bool = False

    @cached_property  # read for every row of every pack: split once
    def path(self) -> tuple[str, ...]:
        return tuple(self.field.split("."))

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    heading: str
    subsections: tuple[Subsection, ...]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}"


@dataclass(frozen=True)
class Layout:
    front_matter: tuple[str, ...]
    sections: tuple[Section, ...]

    def subsections(self) -> list[tuple[Section, Subsection]]:
        return [(s, sub) for s in self.sections for sub in s.subsections]


def _subsection(raw: dict[str, Any]) -> Subsection:
    shape = raw["shape"]
    columns: tuple[Column, ...] = ()
    field_columns: tuple[str, ...] = ()
    if shape == "table":
        columns = tuple(Column(**c) for c in raw["columns"])
    elif shape == "fields":
        field_columns = tuple(raw["columns"])
    return Subsection(
        id=raw["id"],
        heading=raw["heading"],
        field=raw["field"],
        shape=shape,
        kinds=tuple(raw.get("kinds", ())),
        columns=columns,
        field_columns=field_columns,
        rows=tuple(Row(**r) for r in raw.get("rows", ())),
        mermaid=bool(raw.get("mermaid", False)),
    )


@cache
def load_layout() -> Layout:

    raw = read_data("layout")
    sections = tuple(
        Section(
            id=s["id"],
            number=i,
            heading=s["heading"],
            subsections=tuple(_subsection(sub) for sub in s["subsections"]),
        )
        for i, s in enumerate(raw["sections"], start=1)
    )
    return Layout(front_matter=tuple(raw["front_matter"]), sections=sections)
