"""How single values are written into Markdown and read back.

Shared by render.py and parse.py so that the two stay exact inverses.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

# A bullet item whose text starts like a block marker would turn into a heading,
# quote or nested list; a backslash keeps it text.
_BLOCK_START: Final = re.compile(r"^(?:[#>+*-]|=+$|\d{1,9}[.)])")
_ESCAPED_START: Final = re.compile(r"^\\([#>+*=-])|^(\d{1,9})\\([.)])")
_LIST_MARKER: Final = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")


def format_value(value: Any) -> str:
    """The canonical text of one value: the inverse of the model's parsing."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        fmt = "%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S"
        return value.strftime(fmt)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


def unescape_cell(raw: str) -> str:
    return raw.strip().replace("\\|", "|")


def escape_item(text: str) -> str:
    if _BLOCK_START.match(text):
        m = re.match(r"^(\d{1,9})([.)])", text)
        if m:
            return f"{m.group(1)}\\{m.group(2)}{text[m.end() :]}"
        return "\\" + text
    return text


def unescape_item(raw: str) -> str:
    """The text of one list item, from its raw source (marker included)."""
    marker = _LIST_MARKER.match(raw)  # anchored: the one place a substitution could be
    text = " ".join((raw if marker is None else raw[marker.end() :]).split())
    if "\\" not in text:  # both escapes are a backslash
        return text
    m = _ESCAPED_START.match(text)
    if m:
        if m.group(1):
            return m.group(1) + text[2:]
        return m.group(2) + m.group(3) + text[m.end() :]
    return text


def mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid timeline: no separators or comment marks."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # keep link labels only
    text = text.replace(":", "\u2236").replace(";", ",").replace("#", "no. ")
    text = re.sub(r"[`*_<>{}]", "", text)
    return re.sub(r"\s+", " ", text).strip() or "-"
