"""Render a Review to its Markdown pack through the Jinja2 template.

Pure: the review in, the document text out. The layout (data/layout.yaml)
decides what goes where; templates/pack.md.j2 decides how it reads.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .data import without_timestamps
from .layout import Column, Layout, Subsection, load_layout
from .model import Review
from .text import escape_cell, escape_item, format_value, mermaid_text


@cache
def environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("hotwash", "templates"),
        autoescape=False,  # Markdown, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_pack(review: Review, *, guidance: dict[str, str] | None = None) -> str:
    """The pack as Markdown. ``guidance`` maps subsection ids to a hint for empty ones."""
    layout = load_layout()
    sections = []
    for section in layout.sections:
        subs = []
        for sub in section.subsections:
            value = _get(review, sub.path)
            if not sub.applies_to(review.kind.value) and _is_empty(value):
                continue
            hint = (guidance or {}).get(sub.id) if _is_empty(value) else None
            subs.append({"heading": sub.heading, "hint": hint, "body": _body(sub, value, review)})
        sections.append({"title": section.title, "subsections": subs})
    text = (
        environment()
        .get_template("pack.md.j2")
        .render(front_matter=_front_matter(review, layout), title=review.title, sections=sections)
    )
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def _front_matter(review: Review, layout: Layout) -> str:
    import yaml

    data: dict[str, Any] = {}
    for key in layout.front_matter:
        value = getattr(review, key)
        if key == "stabilized" and value is None and review.kind.value != "incident":
            continue
        if key == "retro_format" and value is None and review.kind.value != "retro":
            continue
        data[key] = _plain(value)
    return str(
        yaml.dump(
            data,
            Dumper=_dumper(),
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=None,
            width=100,
        )
    ).rstrip("\n")


@cache
def _dumper() -> Any:
    """Safe YAML dumper that writes dates plain (``2026-03-18``), as the parser reads them."""
    import yaml

    return without_timestamps(getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def _plain(value: Any) -> Any:
    """A front-matter value as YAML scalars: dates and enums as their text."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    return format_value(value)


def _get(review: Review, path: tuple[str, ...]) -> Any:
    value: Any = review
    for part in path:
        value = getattr(value, part)
    return value


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, list):
        return not value
    if hasattr(value, "model_dump"):
        return all(v is None for v in value.model_dump().values())
    return False


def _body(sub: Subsection, value: Any, review: Review) -> str:
    if sub.shape == "prose":
        return value or ""
    if sub.shape == "bullets":
        return "\n".join(f"- {escape_item(item)}" for item in value)
    if sub.shape == "fields":
        rows = [[r.label, escape_cell(format_value(getattr(value, r.field)))] for r in sub.rows]
        return table(list(sub.field_columns), rows)
    if sub.shape == "table":
        rows = [[escape_cell(_cell(c, row)) for c in sub.columns] for row in value]
        body = table([c.header for c in sub.columns], rows)
        if sub.mermaid and value:
            body += "\n\n" + mermaid_timeline(review)
        return body
    return _whys(value, review)


def _cell(col: Column, row: Any) -> str:
    text = format_value(getattr(row, col.field))
    if col.cell == "link" and col.link_field:
        link = getattr(row, col.link_field)
        if link:
            dest = link if re.fullmatch(r"[^\s()<>]+", link) else f"<{link}>"
            if not text and dest == link and _URI.match(link):
                return f"<{link}>"
            return f"[{text}]({dest})"
    if col.cell == "approx" and col.flag_field and getattr(row, col.flag_field):
        return "~" + text
    return text


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*$")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GFM table with padded columns, so that it reads well as plain text too."""
    widths = [max(3, len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(header), "| " + " | ".join("-" * w for w in widths) + " |"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _whys(chains: Any, review: Review) -> str:
    names = {f.id: f.text for f in review.factors}
    parts = []
    for chain in chains:
        title = chain.factor + (f": {names[chain.factor]}" if chain.factor in names else "")
        steps = "\n".join(f"{i}. {escape_item(s)}" for i, s in enumerate(chain.steps, 1))
        parts.append(f"#### {title}\n\n{steps}")
    return "\n\n".join(parts)


def mermaid_timeline(review: Review) -> str:
    """The timeline as a Mermaid diagram (drawn by GitHub and GitLab), grouped by day."""
    lines = ["```mermaid", "timeline", f"    title {mermaid_text(review.title)} (UTC)"]
    day = None
    for entry in sorted(review.timeline, key=lambda e: e.at):
        if entry.at.date() != day:
            day = entry.at.date()
            lines.append(f"    section {day.isoformat()}")
        mark = "" if entry.kind.value == "fact" else " (hypothesis)"
        stamp = entry.at.strftime("%H\u2236%M")
        lines.append(f"        {stamp} : {mermaid_text(entry.text)}{mark}")
    lines.append("```")
    return "\n".join(lines)
