"""Markdown to located blocks, on the pyromark pull parser.

The parser returns the top-level blocks of a document with 1-based line numbers
and the raw source of list items and table cells, which is all the pack parser
needs. Pure: text in, blocks out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import PackError


@dataclass
class Cell:
    raw: str
    line: int


@dataclass
class Item:
    raw: str
    line: int
    nested: bool = False


@dataclass
class Block:
    kind: str  # heading | paragraph | list | table | code | html | quote | rule | other
    line: int
    raw: str
    level: int = 0
    text: str = ""
    info: str = ""
    ordered: bool = False
    items: list[Item] = field(default_factory=list)
    rows: list[Cell] = field(default_factory=list)
    """For a table: the raw source of the header row, then of each body row."""

    @property
    def is_comment(self) -> bool:
        return self.kind == "html" and self.raw.lstrip().startswith("<!--")


_KINDS = {
    "Paragraph": "paragraph",
    "List": "list",
    "Table": "table",
    "CodeBlock": "code",
    "HtmlBlock": "html",
    "BlockQuote": "quote",
}


def _name(tag: Any) -> str:
    if isinstance(tag, str):
        return tag
    return str(next(iter(tag)))


def read_blocks(text: str, *, first_line: int = 1) -> list[Block]:
    """The top-level blocks of ``text``; line numbers start at ``first_line``."""
    import pyromark

    data = text.encode("utf-8")
    # Start offsets arrive in document order, so counting newlines since the last
    # one asked about is linear overall (and bytes.count runs in C).
    last = [0, first_line]

    def line_of(offset: int) -> int:
        pos, line = last
        if offset >= pos:
            line += data.count(b"\n", pos, offset)
        else:
            line -= data.count(b"\n", offset, pos)
        last[0], last[1] = offset, line
        return line

    def src(r: dict[str, int]) -> str:
        return data[r["start"] : r["end"]].decode("utf-8")

    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    blocks: list[Block] = []
    depth = 0
    current: Block | None = None
    kind = ""  # current.kind, kept in a local: this loop runs once per event
    heading_text: list[str] = []
    try:
        events: Any = pyromark.events_with_range(text, options=options, merge_text=True)
        for event, rng in events:
            if event.__class__ is not dict:
                if depth == 0 and event == "Rule":
                    blocks.append(Block("rule", line_of(rng["start"]), src(rng)))
                    current, kind = None, ""
                continue
            tag = event.get("Start")
            if tag is not None:
                if depth == 0:
                    current = _start_block(_name(tag), tag, src(rng), line_of(rng["start"]))
                    kind = current.kind
                    blocks.append(current)
                    heading_text = []
                elif kind == "list" and current is not None:
                    if tag == "Item" and depth == 1:
                        current.items.append(Item(src(rng), line_of(rng["start"])))
                    elif tag == "Item" or (depth > 1 and _name(tag) == "List"):
                        current.items[-1].nested = True
                elif kind == "table" and current is not None and tag in ("TableHead", "TableRow"):
                    current.rows.append(Cell(src(rng), line_of(rng["start"])))
                depth += 1
            elif "End" in event:
                depth -= 1
                if depth == 0 and kind == "heading" and current is not None:
                    current.text = "".join(heading_text).strip()
            elif kind == "heading":
                value = event.get("Text", event.get("Code"))
                if value is not None:
                    heading_text.append(str(value))
    except PackError:
        raise
    except Exception as exc:  # the parser's own failures become located errors
        raise PackError(f"cannot read the Markdown: {exc}") from None
    return blocks


def _start_block(name: str, tag: Any, raw: str, line: int) -> Block:
    if name == "Heading":
        level = int(str(tag["Heading"]["level"]).lstrip("H"))
        return Block("heading", line, raw, level=level)
    if name == "CodeBlock":
        kind = tag["CodeBlock"]
        info = str(kind.get("Fenced", "")) if isinstance(kind, dict) else ""
        return Block("code", line, raw, info=info.strip())
    if name == "List":
        return Block("list", line, raw, ordered=tag["List"] is not None)
    if name == "Rule":
        return Block("rule", line, raw)
    return Block(_KINDS.get(name, "other"), line, raw)


_PIPE = re.compile(r"(?<!\\)\|")


def split_row(raw: str) -> list[str]:
    """The cells of one table row, split on unescaped pipes (as GFM does)."""
    line = raw.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return _PIPE.split(line)
