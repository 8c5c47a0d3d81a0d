"""Shared pieces for the tests of the JSON evidence importers (PagerDuty, Opsgenie,
Alertmanager, Grafana, GitHub)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import strategies as st

from hotwash.core.errors import PackError
from hotwash.core.evidence import DictArchive, Event, ImportOptions

from .conftest import ROOT, SHARED

EVIDENCE = SHARED / "evidence"
FIXTURES = ROOT / "tests" / "fixtures" / "evidence"
VOCABULARY = {
    None,
    "started",
    "detected",
    "alerted",
    "acknowledged",
    "escalated",
    "diagnosed",
    "mitigated",
    "resolved",
    "communicated",
}


def one(name: str, data: bytes | Any) -> DictArchive:
    """An archive of one member; anything but bytes is written as JSON."""
    if not isinstance(data, bytes):
        data = orjson.dumps(data)
    return DictArchive(name, {name: data})


def events(module: ModuleType, archive: Any, options: ImportOptions | None = None) -> list[Event]:
    return list(module.read(archive, options or ImportOptions()))


def error(module: ModuleType, archive: Any, options: ImportOptions | None = None) -> PackError:
    with pytest.raises(PackError) as info:
        events(module, archive, options)
    return info.value


def check_events(found: Sequence[Event], source: str) -> None:
    """What every event must be, whatever the input."""
    for event in found:
        assert event.at.tzinfo is not None and event.at.utcoffset() == UTC.utcoffset(None)
        assert event.source == source
        assert event.moment in VOCABULARY
        assert isinstance(event.text, str)
        assert event.where


TIMES = st.sampled_from(
    [
        "2024-05-01T14:02:11Z",
        "2024-05-01T14:02:11.123456789+02:00",
        "2024-05-01 14:02",
        "2024-05-01",
        "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:59:59-05:00",
        "14:02",
        "not a time",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | TIMES
)


def json_values(keys: Sequence[str]) -> st.SearchStrategy[Any]:
    """Arbitrary JSON, with object keys often drawn from the field names an importer reads,
    so that the values reach past the first check."""
    names = st.sampled_from(list(keys)) | st.text(max_size=6)
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=6),
        max_leaves=30,
    )


def mutated(base: dict[str, Any], keys: Sequence[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid object with some of its fields replaced by arbitrary JSON."""
    return st.dictionaries(st.sampled_from(list(keys)), json_values(keys), max_size=3).map(
        lambda changes: {**base, **changes}
    )


OPTIONS = st.sampled_from([ImportOptions(), ImportOptions(tz=UTC)])


def events_or_located_error(
    module: ModuleType, name: str, body: bytes | Any, options: ImportOptions, source: str
) -> None:
    """The contract every importer keeps on any input: ``sniff`` never raises, and ``read``
    gives well-formed events or a PackError that names the member."""
    archive = one(name, body)
    module.sniff(archive)
    try:
        check_events(events(module, archive, options), source)
    except PackError as exc:
        assert exc.path == name
