"""Shared reading for the JSON importers (PagerDuty, Opsgenie, Alertmanager, Grafana, GitHub).

Each source file is one JSON document (or, for webhook logs, one document a line), small
enough to load whole. Everything here turns a surprise in the input into a ``PackError``
that names the member, the line where there is one, and the JSON path of the field
(``incidents.json: log_entries[3].created_at``); nothing else escapes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import orjson

from ..errors import PackError
from ..evidence import Archive, ImportOptions, Zone
from . import members

JSON = (".json",)
JSON_LINES = (".jsonl", ".ndjson")

_HAS_TIME = re.compile(r"\d[T t]\d|\d{8}T\d")


def key(path: str, name: str) -> str:
    """The JSON path of a member of an object: ``alerts[2]`` + ``startsAt``."""
    return f"{path}.{name}" if path else name


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def _loads(data: bytes) -> Any:
    return orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))


def parse(data: bytes, member: str, what: str, *, line: int | None = None) -> Any:
    """One JSON document, or an error saying where it stops making sense."""
    if not data.strip():
        raise PackError(f"the file is empty; expected {what}", path=member, line=line)
    try:
        return _loads(data)
    except (orjson.JSONDecodeError, ValueError, TypeError, RecursionError) as exc:
        detail = getattr(exc, "msg", None) or str(exc)
        at = line if line is not None else getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        spot = f" at column {column}" if column and line is None else ""
        raise PackError(
            f"not valid JSON ({detail}{spot}); expected {what}", path=member, line=at
        ) from None


@dataclass(frozen=True, slots=True)
class Document:
    """One JSON value read from a member; ``line`` is set for JSON Lines, ``path`` for an
    element of a top-level array."""

    value: Any
    member: str
    line: int | None = None
    path: str = ""


def documents(data: bytes, member: str, what: str) -> Iterator[Document]:
    """The documents in a member: one JSON document, the elements of a top-level array, or
    one document a line (JSON Lines, as webhook receivers log them)."""
    lines_first = member.lower().endswith(JSON_LINES)
    if not lines_first:
        try:
            whole = parse(data, member, what)
        except PackError as error:
            if not _looks_like_lines(data):
                raise error from None
        else:
            if isinstance(whole, list):
                for i, item in enumerate(whole):
                    yield Document(item, member, None, index("", i))
            else:
                yield Document(whole, member)
            return
    if not data.strip():
        raise PackError(f"the file is empty; expected {what}", path=member)
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            yield Document(parse(raw, member, what, line=number), member, number)


def _looks_like_lines(data: bytes) -> bool:
    rows = [r for r in data.split(b"\n") if r.strip()]
    if len(rows) < 2:
        return False
    try:
        _loads(rows[0])
    except (orjson.JSONDecodeError, ValueError, TypeError, RecursionError):
        return False
    return True


def first_document(archive: Archive, suffixes: tuple[str, ...] = JSON) -> Any:
    """The first JSON value of the first candidate member, for ``sniff``; ``None`` when there
    is none or it cannot be read. Never raises."""
    try:
        names = members(archive, suffixes)
        if not names:
            return None
        data = archive.read(names[0])
        try:
            return _loads(data)
        except (orjson.JSONDecodeError, ValueError, TypeError, RecursionError):
            pass
        for raw in data.split(b"\n"):
            if raw.strip():
                return _loads(raw)
    except Exception:
        return None
    return None


def first_item(value: Any) -> Any:
    """The value itself, or the first element when it is a non-empty list."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


@dataclass(frozen=True, slots=True)
class Reader:
    """Typed access to a document, raising located errors."""

    member: str
    options: ImportOptions
    line: int | None = None
    prefix: str = ""

    def at(self, path: str) -> str:
        """The full JSON path, with the array element the document came from in front."""
        if self.prefix and path and not path.startswith("["):
            return f"{self.prefix}.{path}"
        return f"{self.prefix}{path}"

    def fail(self, message: str, path: str) -> NoReturn:
        raise PackError(message, path=self.member, line=self.line, field=self.at(path) or None)

    def where(self, path: str) -> str:
        place = self.member if self.line is None else f"{self.member}:{self.line}"
        full = self.at(path)
        return f"{place}: {full}" if full else place

    # ---- shapes

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"expected an object, found {_kind(value)}", path)
        return value

    def arr(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(f"expected a list, found {_kind(value)}", path)
        return value

    def opt_obj(self, parent: dict[str, Any], name: str, path: str) -> dict[str, Any] | None:
        value = parent.get(name)
        return None if value is None else self.obj(value, key(path, name))

    def opt_list(self, parent: dict[str, Any], name: str, path: str) -> list[Any]:
        value = parent.get(name)
        return [] if value is None else self.arr(value, key(path, name))

    def text(self, parent: dict[str, Any], name: str, path: str) -> str:
        value = parent.get(name)
        if value is None:
            self.fail("missing; expected text", key(path, name))
        if not isinstance(value, str):
            self.fail(f"expected text, found {_kind(value)}", key(path, name))
        return value

    def opt_text(self, parent: dict[str, Any], name: str, path: str) -> str | None:
        """Text, or ``None`` when absent, null or blank; numbers are written out."""
        value = parent.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(f"expected text, found {_kind(value)}", key(path, name))
        out = str(value).strip()
        return out or None

    def labels(self, parent: dict[str, Any], name: str, path: str) -> dict[str, str]:
        """A flat object of text values (Alertmanager labels and annotations)."""
        value = parent.get(name)
        if value is None:
            return {}
        mapping = self.obj(value, key(path, name))
        out: dict[str, str] = {}
        for k, v in mapping.items():
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, str | int | float):
                self.fail(f"expected text, found {_kind(v)}", key(key(path, name), k))
            out[k] = str(v)
        return out

    def millis(self, parent: dict[str, Any], name: str, path: str) -> timedelta | None:
        value = parent.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"expected a number of milliseconds, found {_kind(value)}", key(path, name))
        if value < 0:
            self.fail("expected a number of milliseconds of zero or more", key(path, name))
        try:
            return timedelta(milliseconds=value)
        except (OverflowError, ValueError):
            self.fail("is too large to be a number of milliseconds", key(path, name))

    # ---- times

    def time(self, parent: dict[str, Any], name: str, path: str) -> tuple[datetime, Zone]:
        """A required time in UTC, and how its zone is known."""
        field = key(path, name)
        value = parent.get(name)
        if value is None:
            self.fail("missing; expected a date and time such as 2024-05-01T14:22:00Z", field)
        got = self.time_value(value, field)
        if got is None:
            self.fail("holds the zero time 0001-01-01, which means no time was set", field)
        return got

    def opt_time(
        self, parent: dict[str, Any], name: str, path: str
    ) -> tuple[datetime, Zone] | None:
        """A time that may be absent; null and Go's zero time (``0001-01-01T00:00:00Z``, which
        Alertmanager sends for "not set") give ``None``."""
        value = parent.get(name)
        if value is None:
            return None
        return self.time_value(value, key(path, name), zero_is_none=True)

    def time_value(
        self, value: Any, field: str, *, zero_is_none: bool = False
    ) -> tuple[datetime, Zone] | None:
        if not isinstance(value, str):
            self.fail(
                f"expected a date and time such as 2024-05-01T14:22:00Z, found {_kind(value)}",
                field,
            )
        raw = value.strip()
        parsed: datetime | None = None
        if _HAS_TIME.search(raw):
            try:
                parsed = datetime.fromisoformat(raw)
            except ValueError:
                parsed = None
        if parsed is None:
            self.fail(
                f"'{_short(raw)}' is not a date and time; expected ISO 8601 such as "
                "2024-05-01T14:22:00Z",
                field,
            )
        if parsed.year == 1 and parsed.month == 1 and parsed.day == 1:
            if zero_is_none:
                return None
            self.fail("holds the zero time 0001-01-01, which means no time was set", field)
        if parsed.tzinfo is None:
            try:
                return self.options.localize(parsed, where=self.member, field=self.at(field)), (
                    "assumed"
                )
            except PackError as error:
                raise PackError(
                    error.message, path=self.member, line=self.line, field=self.at(field)
                ) from None
            except (OverflowError, ValueError):
                self.fail("cannot be placed in the time zone given with --tz", field)
        try:
            return parsed.astimezone(UTC), "given"
        except (OverflowError, ValueError):
            self.fail("is out of the range of dates that can be used", field)

    def shift(self, base: datetime, delta: timedelta, path: str) -> datetime:
        try:
            return base + delta
        except OverflowError:
            self.fail("moves the time out of the range of dates that can be used", path)

    def each(self, items: list[Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The objects of a list with their paths; an error for anything else in it."""
        for i, item in enumerate(items):
            here = index(path, i)
            yield here, self.obj(item, here)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{_short(value)}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first(*values: str | None) -> str | None:
    """The first value that is not ``None`` or blank."""
    for value in values:
        if value:
            return value
    return None


def one_line(text: str) -> str:
    """Text with runs of white space folded to one space."""
    return " ".join(text.split())


Check = Callable[[Any], bool]


def safely(check: Check, value: Any) -> bool:
    """``check(value)``, or ``False`` if it fails in any way; ``sniff`` never raises."""
    try:
        return bool(check(value))
    except Exception:
        return False
