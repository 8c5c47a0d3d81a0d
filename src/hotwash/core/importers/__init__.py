"""Importers: one module per kind of evidence, each turning an ``Archive`` into ``Event``s.

Every importer module has the same three names:

- ``NAME``: what a person types after ``--as`` (``slack``, ``pagerduty`` ...);
- ``sniff(archive) -> bool``: whether this archive looks like its kind, from member names
  and at most the first bytes of one member;
- ``read(archive, options) -> Iterator[Event]``: the events, one at a time, in UTC.

Importers are pure: the adapter opens the folder or zip (``hotwash.archives``). Malformed
input raises ``PackError`` naming the member, the line where there is one, and the field;
nothing else escapes.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..errors import PackError, UsageError
from ..evidence import Archive

ORDER = (
    "slack",
    "pagerduty",
    "opsgenie",
    "alertmanager",
    "grafana",
    "github",
    "csv_timeline",
    "plaintext",
)
"""Importer modules, in the order ``sniff`` is tried (most specific first)."""


def module(name: str) -> ModuleType:
    return import_module(f"{__name__}.{name}")


def names() -> list[str]:
    return [module(m).NAME for m in ORDER]


def pick(archive: Archive, kind: str | None = None) -> ModuleType:
    """The importer for an archive: the one named, or the first whose ``sniff`` says yes."""
    if kind is not None:
        for m in ORDER:
            mod = module(m)
            if kind == mod.NAME:
                return mod
        raise UsageError(f"unknown evidence kind '{kind}'; expected one of {', '.join(names())}")
    for m in ORDER:
        mod = module(m)
        if mod.sniff(archive):
            return mod
    raise UsageError(
        f"{archive.label}: cannot tell what kind of evidence this is; "
        f"pass --as with one of {', '.join(names())}"
    )


def members(archive: Archive, suffixes: tuple[str, ...]) -> list[str]:
    """The members to read: a lone file whatever its name, otherwise those with a suffix.

    Hidden files and macOS resource forks that zip tools add are left out.
    """
    names = archive.names()
    if len(names) == 1:
        return names
    return [
        n
        for n in names
        if n.lower().endswith(suffixes)
        and not any(part.startswith(".") or part == "__MACOSX" for part in n.split("/"))
    ]


def require_members(archive: Archive, suffixes: tuple[str, ...], what: str) -> list[str]:
    names = members(archive, suffixes)
    if not names:
        raise PackError(
            f"no {' or '.join(suffixes)} file here; expected {what}", path=archive.label
        )
    return names


def lone_head(archive: Archive) -> tuple[str, str] | None:
    """For sniffing a text format: the name and first 4 KiB (as text) of the archive's only
    member, or None when it holds more than one member or the one cannot be read."""
    names = archive.names()
    if len(names) != 1:
        return None
    try:
        return names[0], archive.read(names[0])[:4096].decode("utf-8-sig", errors="replace")
    except PackError:
        return None
