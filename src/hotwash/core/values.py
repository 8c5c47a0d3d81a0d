"""The rules of the review model's value types: one line of text, prose, a handle, a slug,
an instant in UTC, a number. Plain functions the pydantic types in ``model.py`` call; they
live apart so they can be compiled (see setup.py), which pydantic models cannot."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from pydantic_core import PydanticCustomError

_HEADING_LINE: Final = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)


_BLANK_LINES: Final = re.compile(r"\n{3,}")
_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")


def fold(value: str) -> str:
    """One line of text: inner runs of white space become one space."""
    return " ".join(value.split())


def one_line(value: str) -> str:
    folded = fold(value)
    if not folded:
        raise PydanticCustomError("empty_text", "text must not be empty")
    return folded


def prose(value: str) -> str:
    lines = [ln.rstrip() for ln in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
    if not text.strip():
        raise PydanticCustomError("empty_text", "text must not be empty")
    if _HEADING_LINE.search(text):
        raise PydanticCustomError(
            "heading_in_text",
            "a line starting with '#' would start a new section; write the text without it",
        )
    return text


HANDLE_RE: Final = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$")


def handle(value: str) -> str:
    value = value.strip()
    if not HANDLE_RE.match(value):
        raise PydanticCustomError(
            "handle",
            "expected one person's handle such as @alex",
            {"value": value},
        )
    return value


_SLUG_RE: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise PydanticCustomError(
            "slug", "expected lower-case letters, digits and '-'", {"value": value}
        )
    return value


def slugify(text: str) -> str:
    """A file- and URL-safe name for a title."""
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug[:60].strip("-") or "review"


def comma_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def enum_text(value: Any) -> Any:
    if isinstance(value, str):
        return fold(value.replace("_", " ").replace("-", " ")).lower()
    return value


def upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def utc(value: datetime) -> datetime:
    if value.tzinfo is UTC and not value.microsecond:
        return value  # already as it is held (most values: readers convert to UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def parse_instant(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        if text.upper().endswith(" UTC"):
            text = text[:-4]
        try:
            return datetime.fromisoformat(text)
        except ValueError as exc:
            raise PydanticCustomError(
                "instant",
                "expected a UTC time like 2026-03-15 14:22 ({reason})",
                {"value": value, "reason": str(exc)},
            ) from None
    return value


def parse_decimal(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "number", "expected a number like 2400 or 18.5", {"value": value}
            ) from None
    return value


def finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise PydanticCustomError("number", "expected a finite number")
    return value
