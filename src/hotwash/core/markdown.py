"""Markdown to located blocks, on the pyromark pull parser, with a fast path.

The parser returns the top-level blocks of a document with 1-based line numbers
and the raw source of list items and table cells, which is all the pack parser
needs. Pure: text in, blocks out.

Two readers give the same answer. ``_read_events`` walks every event pyromark
(pulldown-cmark) produces and is the reference. ``_read_simple`` reads the plain
subset most post-mortems are written in without the inline events: common blocks
whole, by one regular expression each (ATX headings, paragraphs, pipe tables, flat
lists, fenced code, quotes, rules, HTML comments), and paragraphs and lists that
need more care (nesting, lazy lines, a list or heading interrupting a paragraph,
the setext heading YAML front matter makes) line by line. It returns None as soon
as it meets anything else, and ``read_blocks`` then asks the reference.
The contract, enforced by tests/test_markdown.py: whenever ``_read_simple``
returns a list, it is equal, field by field, to what ``_read_events`` returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate, count
from operator import add
from typing import Any, Final

from .errors import PackError


# The classes are dataclasses for their comparison and repr; each writes its own
# __init__, which mypyc compiles (the one dataclass writes runs as interpreted code).
@dataclass(init=False)
class Cell:
    raw: str
    line: int

    def __init__(self, raw: str, line: int) -> None:
        self.raw = raw
        self.line = line


@dataclass(init=False)
class Item:
    raw: str
    line: int
    nested: bool = False

    def __init__(self, raw: str, line: int, nested: bool = False) -> None:
        self.raw = raw
        self.line = line
        self.nested = nested


@dataclass(init=False)
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

    def __init__(
        self,
        kind: str,
        line: int,
        raw: str,
        level: int = 0,
        text: str = "",
        info: str = "",
        ordered: bool = False,
        items: list[Item] | None = None,
        rows: list[Cell] | None = None,
    ) -> None:
        self.kind = kind
        self.line = line
        self.raw = raw
        self.level = level
        self.text = text
        self.info = info
        self.ordered = ordered
        self.items = [] if items is None else items
        self.rows = [] if rows is None else rows

    @property
    def is_comment(self) -> bool:
        return self.kind == "html" and self.raw.lstrip().startswith("<!--")


_KINDS: Final = {
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
    """The top-level blocks of ``text``; line numbers start at ``first_line``.

    The fast reader answers for plain documents, the reference reader for the rest.
    """
    blocks = _read_simple(text, first_line)
    return _read_events(text, first_line) if blocks is None else blocks


def _read_events(text: str, first_line: int = 1) -> list[Block]:
    """The reference reader: every pyromark event, in one pass."""
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


_PIPE: Final = re.compile(r"(?<!\\)\|")


def split_row(raw: str) -> list[str]:
    """The cells of one table row, split on unescaped pipes (as GFM does)."""
    line = raw.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    if "\\" not in line:  # no pipe can be escaped: the plain split, several times faster
        return line.split("|")
    return _PIPE.split(line)


# --------------------------------------------------------------------------- fast path


class _Fallback(Exception):
    """The text leaves the subset that ``_read_simple`` reads exactly."""


# Characters the fast path leaves to the reference reader; so is "]:", which may define a
# link, and "\0" (looked for in the UTF-8 bytes when the text is not ASCII: a search for
# "\0" in text stored two bytes a character stops at every ASCII character).
_UNSUPPORTED: Final = ("\t", "\r", "\x0b", "\x0c", "\ufeff")
_MARKUP: Final = r"\\*_`\[<>~#&"  # heading text with any of these goes to the inline parser

# A line that starts with one of these starts a paragraph and nothing else: a letter, a
# number that is no list marker, emphasis, one "#" or "`", ...
_PROSE: Final = (
    r"(?:[^\n #`~*_+<>|:=0-9\-]|[0-9]+(?![0-9.)])|\*+[^\n *]"
    r"|[\-+=_#][^\n \-+=_#]|`[^\n`]|~[^\n~])[^\n]*+"
)
_CLOSED: Final = r"(?:\n|\Z)(?=\n|\Z)"  # the end of a line, then a blank line or the end
# Blocks read whole by one match, after any blank lines. Each is one that the lines
# around it cannot change: a heading, a rule, a comment; or a paragraph, table, list,
# fenced code or quote followed by a blank line (a list: and by no further item).
_COMMON: Final = re.compile(
    r"\n*(?:(?P<heading>(?P<marks>#{1,6})"  # text with inline markup is "markup"
    rf"(?: (?P<title>[^\n{_MARKUP}]*)| (?P<markup>[^\n]*))?(?:\n|\Z))"
    r"|(?P<rule>(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})(?:\n|\Z))"
    r"|(?P<html><!--(?!-?>)[\s\S]*?-->[^\n]*(?:\n|\Z))"
    rf"|(?P<para>{_PROSE}(?:\n{_PROSE})*+{_CLOSED})"
    r"|(?P<table>\|(?=[^\n]*\|)(?![|: ]*[-=][|:= -]*\n)[^\n\\`]*\n"  # two pipes, no delimiter
    rf"\|(?: *:?-+:? *\|)+ *(?:\n\|[^\n]*+)*+{_CLOSED})"
    rf"|(?P<bullets>(?P<bullet>[-*+]) {{1,4}}{_PROSE}(?:\n(?:(?P=bullet) {{1,4}})?{_PROSE})*+"
    r"(?:\n\n+(?=[^ \n])(?!(?P=bullet)(?:[ \n]|\Z))|\n*\Z))"
    rf"|(?P<numbers>[0-9]{{1,9}}(?P<delim>[.)]) {{1,4}}{_PROSE}"
    rf"(?:\n(?:[0-9]{{1,9}}(?P=delim) {{1,4}})?{_PROSE})*+"
    r"(?:\n\n+(?=[^ \n])(?![0-9]{1,9}(?P=delim)(?:[ \n]|\Z))|\n*\Z))"
    r"|(?P<code>(?P<fence>`{3}(?!`)|~{3}(?!~))(?P<info>[^\n`\\&]*)\n"
    r"(?:(?! {0,3}(?P=fence))[^\n]*+\n)*+(?P=fence) *)(?=\n|\Z)"
    rf"|(?P<quote>>[^\n]*+(?:\n>[^\n]*+)*+{_CLOSED})"
    r"|(?P<end>\Z))"
)
# The newline before a list item; a search for "\n" first is quicker than "^" with re.MULTILINE.
_ITEM_BREAK: Final = re.compile(r"\n(?=(?:[-*+]|[0-9]{1,9}[.)]) )")
_MARKED: Final = re.compile(f"[{_MARKUP}]")

# What the line-by-line lane needs to tell block starts apart.
_STARTS: Final = frozenset("#`~-*_+<>|:=0123456789")  # a line starting otherwise is prose
_ATX: Final = re.compile(r"#{1,6}(?: |$)")
_FENCE: Final = re.compile(r"(`{3,}|~{3,})(.*)$")
_RULE: Final = re.compile(r"(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})$")
_DELIM: Final = re.compile(r"[|:= -]*[-=][|:= -]*$")  # setext underlines and table delimiter rows
_UNDERLINE: Final = re.compile(r"(?:=+|-+) *$")
_ITEM: Final = re.compile(r"([-*+]|[1-9][0-9]{0,8}[.)]|0[.)])( {1,4})[^ ]")
_ANY_ITEM: Final = re.compile(r"(?:[-*+]|[0-9]+[.)])(?: |$)")


class _Marker:
    """A list item's marker: the list it belongs to and where its content starts."""

    def __init__(self, key: str, width: int, interrupts: bool) -> None:
        self.key = key  # the bullet character, or "." / ")" for an ordered list
        self.width = width  # marker plus the spaces after it
        self.interrupts = interrupts  # may end a paragraph: a bullet, or an ordered item numbered 1


def _read_simple(text: str, first_line: int = 1) -> list[Block] | None:
    """The blocks of ``text`` from a scan of its lines, or None outside the plain subset.

    Whenever this returns a list it equals ``_read_events(text, first_line)``.
    """
    for c in _UNSUPPORTED:
        if c in text:
            return None
    if _has_label_end(text):
        return None
    if text.isascii():
        if "\0" in text:
            return None
    else:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # the reference reader raises it: let it
            return None
        if b"\0" in data:
            return None
    try:
        return _Scanner(text, first_line).run()
    except _Fallback:
        return None


def _has_label_end(text: str) -> bool:
    """Whether "]:" is in ``text``, looked for from each "]" (rare, and found by memchr)."""
    i = text.find("]")
    while i >= 0:
        if text.startswith(":", i + 1):
            return True
        i = text.find("]", i + 1)
    return False


class _Scanner:
    """One pass over a document; raises _Fallback outside the subset.

    ``run`` reads the common blocks whole with ``_COMMON``. At any other line ``block``
    reads one paragraph or list line by line, by CommonMark's rules for the subset.
    """

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first = first_line
        self.blocks: list[Block] = []

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @cached_property
    def starts(self) -> list[int]:
        """Where each line starts (the lengths before it and a newline each), then the end."""
        starts = list(map(add, accumulate(map(len, self.lines), initial=0), count()))
        starts[-1] = len(self.text)
        return starts

    def raw(self, i: int, j: int, skip: int = 0) -> str:
        """Lines ``i`` to ``j - 1`` with their newlines, less ``skip`` leading characters."""
        return self.text[self.starts[i] + skip : self.starts[j]]

    def run(self) -> list[Block]:
        text, first, blocks = self.text, self.first, self.blocks
        line, pos = first, 0  # the line and offset reached
        while pos < len(text):
            m = _COMMON.match(text, pos)
            if m is None:
                i = self.block(line - first)
                line, pos = first + i, self.starts[i]
                continue
            kind = m.lastgroup or "end"
            if kind == "end":
                break
            start, end = m.span(kind)
            line += start - pos  # the blank lines before it (the match starts at pos)
            pos = end
            raw = text[start:pos]
            if kind == "heading":  # the most common block, and one line
                level = m.end("marks") - start
                title: str | None = m.group("title")
                if title is None:  # an empty heading, or one with inline markup
                    title = "" if m.group("markup") is None else _parsed_heading(raw, level)
                blocks.append(Block("heading", line, raw, level, title.strip()))
                line += 1
                continue
            if kind == "para":
                blocks.append(Block("paragraph", line, raw))
            elif kind == "table":
                blocks.append(_table(raw, line))
            elif kind in ("bullets", "numbers"):
                blocks.append(_list(raw, line, ordered=kind == "numbers"))
            elif kind == "code":  # its raw source stops before the newline
                blocks.append(Block("code", line, raw, info=m["info"].strip()))
                line, pos = line + 1, pos + 1
            else:
                blocks.append(Block(kind, line, raw))  # a rule, a comment or a quote
            line += raw.count("\n")
        return blocks

    def block(self, i: int) -> int:
        """Reads a blank line, a paragraph or a list at line ``i``; returns the line after."""
        line = self.lines[i]
        rest = line.lstrip(" ")
        if not rest:
            return i + 1
        k = len(line) - len(rest)
        kind = _kind(rest)
        if k < 4 and kind == "para":
            return self.paragraph(i, k)
        if k < 4 and isinstance(kind, _Marker):
            return self.list(i, k, kind)
        raise _Fallback(f"{kind} at {k} spaces")

    def paragraph(self, i: int, k: int) -> int:
        """A paragraph from line ``i``: to a blank line or a block that interrupts it."""
        lines, n = self.lines, len(self.lines)
        j = i + 1
        while j < n:
            line = lines[j]
            rest = line.lstrip(" ")
            if not rest:
                break
            if len(line) - len(rest) > 3 or rest[0] not in _STARTS:
                j += 1
                continue
            if rest[0] in "=-" and _UNDERLINE.match(rest):
                return self.setext(i, j, k)
            kind = _kind(rest)
            if kind == "para" or (isinstance(kind, _Marker) and not kind.interrupts):
                j += 1
                continue
            if kind == "bad" or len(line) != len(rest):
                raise _Fallback(f"paragraph ended by {kind}")
            break
        self.blocks.append(Block("paragraph", self.first + i, self.raw(i, j, k)))
        return j

    def setext(self, i: int, j: int, k: int) -> int:
        """Paragraph lines ``i`` to ``j - 1`` underlined by line ``j``: a heading."""
        if any("|" in line for line in self.lines[i:j]):
            raise _Fallback("setext heading or table")
        level = 1 if self.lines[j].lstrip(" ")[0] == "=" else 2
        raw = self.raw(i, j + 1, k)
        if _MARKED.search(self.raw(i, j, k)):
            text = _parsed_heading(raw, level)
        else:  # the lines' text, each stripped, with nothing for the line breaks
            text = "".join(line.strip(" ") for line in self.lines[i:j]).strip()
        self.blocks.append(Block("heading", self.first + i, raw, level=level, text=text))
        return j + 1

    def list(self, i: int, k: int, marker: _Marker) -> int:
        """A list: items hold paragraphs and nested lists, with lazy continuation lines."""
        lines, n = self.lines, len(self.lines)
        starts, nested = [i], [False]
        levels = [(k + marker.width, marker.key)]  # content column and list of each open item
        para = True  # a paragraph is open, so a line may continue it
        j = i + 1
        while j < n:
            line = lines[j]
            rest = line.lstrip(" ")
            if not rest:
                para = False
                j += 1
                continue
            col = len(line) - len(rest)
            depth = 0  # how many open items this line is indented into
            while depth < len(levels) and levels[depth][0] <= col:
                depth += 1
            if col - (levels[depth - 1][0] if depth else 0) > 3:
                if not para:
                    raise _Fallback("indented code in a list")
                j += 1
                continue
            kind = _kind(rest)
            if isinstance(kind, _Marker):
                if depth == len(levels):
                    if not para or kind.interrupts:  # else it continues the paragraph
                        levels.append((col + kind.width, kind.key))
                        nested[-1] = True
                elif levels[depth][1] == kind.key:  # the next item of an open list
                    del levels[depth:]
                    levels.append((col + kind.width, kind.key))
                    if not depth:
                        starts.append(j)
                        nested.append(False)
                elif depth:
                    raise _Fallback("a list of another kind inside an item")
                else:
                    break
                para = True
            elif kind == "para":
                if depth < len(levels) and not para:  # not a lazy continuation line
                    if not depth:
                        break
                    del levels[depth:]
                para = True
            elif depth or kind == "bad":
                raise _Fallback(f"{kind} inside a list item")
            else:
                break
            j += 1
        if j < n and lines[j][:1] == " ":
            raise _Fallback("a list ended by an indented line")
        ends = [*starts[1:], j]
        first, raw = self.first, self.raw
        items = [
            Item(raw(s, e), first + s, x) for s, e, x in zip(starts, ends, nested, strict=True)
        ]
        ordered = marker.key in ".)"
        self.blocks.append(Block("list", first + i, raw(i, j), ordered=ordered, items=items))
        return j


def _kind(rest: str) -> str | _Marker:
    """What a line (less its indentation) starts: a block kind, a list marker or "bad"."""
    c = rest[0]
    if c not in _STARTS:
        return "para"
    if c == "#":
        return "heading" if _ATX.match(rest) else "para"
    if c in "`~":
        fence = _FENCE.match(rest)
        if fence is None:
            return "para"
        return "bad" if c == "`" and "`" in fence.group(2) else "fence"
    if c in "-*_" and _RULE.match(rest):
        return "rule"
    if _DELIM.match(rest) or c == ">":
        return "bad"
    if c == "<":
        return "comment" if rest.startswith("<!--") else "bad"
    m = _ITEM.match(rest)
    if m is not None and _kind(rest[m.end(2) :]) == "para":
        mark = m.group(1)
        return _Marker(mark[-1], m.end(2), mark in ("-", "*", "+") or mark[:-1] == "1")
    # An empty item, content after five spaces, a leading zero or a block inside.
    return "bad" if _ANY_ITEM.match(rest) else "para"


def _table(raw: str, line: int) -> Block:
    """A table read whole by ``_COMMON``: the header and the body rows, with their lines."""
    rows = raw.split("\n")
    head = rows[0].rstrip(" ")  # it starts with a pipe and has no escaped one
    if head.count("|") - head.endswith("|") != rows[1].count("|") - 1:
        raise _Fallback("table header and delimiter row differ")
    last = rows.pop()  # no newline after it: empty if the table ended with one
    cells = [Cell(r + "\n", n) for n, r in enumerate(rows, line)]
    if last:
        cells.append(Cell(last, line + len(rows)))
    del cells[1]  # the delimiter row
    return Block("table", line, raw, rows=cells)


def _list(raw: str, line: int, *, ordered: bool) -> Block:
    """A flat list read whole by ``_COMMON``: an item starts at each marker."""
    *others, last = _ITEM_BREAK.split(raw)  # the split takes the newline off all but the last
    items, at = [], line
    for item in others:
        items.append(Item(item + "\n", at))
        at += item.count("\n") + 1
    items.append(Item(last, at))
    return Block("list", line, raw, ordered=ordered, items=items)


def _parsed_heading(source: str, level: int) -> str:
    """The text of a heading with inline markup, from the reference reader."""
    blocks = _read_events(source)
    if len(blocks) != 1 or blocks[0].kind != "heading" or blocks[0].level != level:
        raise _Fallback("a heading that does not read the same alone")
    return blocks[0].text
