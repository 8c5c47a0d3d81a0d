"""Gate reports for machines: JSON, SARIF 2.1.0 and GitHub Actions annotations.

Each format is a generator of text chunks over an iterable of reports, so an adapter can
write a report as soon as it is ready and never hold thousands of them. Pure: no I/O.
The Rich text report for people is in the adapter (show.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring
from typing import Any, Final

from .checks import Finding, by_fields, load_rules
from .gate import Report

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL: Final = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL: Final = {"error": "error", "warning": "warning", "info": "notice"}


def _rule_catalogue() -> dict[str, dict[str, Any]]:
    from .language import load_linter

    out = {
        r.id: {
            "name": r.name,
            "severity": r.severity,
            "checklist": r.checklist,
            "dimension": r.dimension,
            "hint": r.hint,
        }
        for r in load_rules().values()
    }
    for g in load_linter().groups:
        out[g.id] = {
            "name": g.name,
            "severity": g.severity,
            "checklist": "during-reframe",
            "dimension": "scope_safety",
            "hint": g.suggestion,
        }
    return out


@dataclass(frozen=True)
class Piece:
    """One file's part of a machine report, already written: small to pass between
    processes, so workers can write their own pieces and the writer only joins them."""

    passed: bool
    rules: frozenset[str]
    text: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return by_fields(self)


def json_piece(report: Report) -> Piece:
    """``json.dumps(_file(report), ensure_ascii=False)``, written here field by field (the
    same text: strings go through json's own escaping), with each finding's text reused:
    the checks hand out the same Finding object for equal findings."""
    card = report.scorecard
    reasons = ", ".join([_str(x) for x in report.reasons])
    dims = ", ".join([f"{_str(d.id)}: {d.score}" for d in card.dimensions])
    findings = report.findings
    written = ", ".join([_finding_json(f) for f in findings])
    return Piece(
        report.passed,
        frozenset({f.rule for f in findings}),
        f'{{"path": {_str(report.path)}, "format": '
        f'{_FORMAT_NATIVE if report.native else _FORMAT_FOREIGN}, "kind": {_str(report.kind)}, '
        f'"title": {_str(report.title)}, "passed": {"true" if report.passed else "false"}, '
        f'"reasons": [{reasons}], "score": {{"total": {card.total}, "maximum": '
        f'{card.maximum}, "band": {_str(card.band)}, "dimensions": {{{dims}}}}}, '
        f'"findings": [{written}]}}',
    )


_FORMAT_NATIVE: Final = '"hotwash"'
_FORMAT_FOREIGN: Final = '"foreign"'


def _str(text: str) -> str:
    """A JSON string as ``json.dumps(text, ensure_ascii=False)`` writes it."""
    return encode_basestring(text)


def _opt(text: str | None) -> str:
    return "null" if text is None else encode_basestring(text)


_WRITTEN: Final[dict[int, tuple[Finding, str]]] = {}


def _finding_json(f: Finding) -> str:
    held = _WRITTEN.get(id(f))
    if held is not None and held[0] is f:  # held keeps ``f`` alive, so its id is its own
        return held[1]
    if len(_WRITTEN) > 50_000:
        _WRITTEN.clear()
    line = f.line
    text = (
        f'{{"rule": {_str(f.rule)}, "name": {_str(f.name)}, "severity": {_str(f.severity)}, '
        f'"message": {_str(f.message)}, "line": {"null" if line is None else line}, '
        f'"section": {_opt(f.section)}, "field": {_opt(f.field)}, '
        f'"dimension": {_opt(f.dimension)}}}'
    )
    _WRITTEN[id(f)] = (f, text)
    return text


def stream_json(pieces: Iterable[Piece], *, version: str) -> Iterator[str]:
    """One JSON document: ``files`` (one entry per piece), then ``passed`` and the
    ``rules`` that the findings name (with their fix hints, written once)."""
    yield f'{{\n  "tool": "hotwash",\n  "version": {json.dumps(version)},\n  "files": ['
    passed, used = True, set[str]()
    for i, piece in enumerate(pieces):
        passed = passed and piece.passed
        used.update(piece.rules)
        yield ("," if i else "") + "\n    " + piece.text
    catalogue = _rule_catalogue()
    rules = {rule: catalogue[rule] for rule in sorted(used)}
    yield (
        f'\n  ],\n  "passed": {json.dumps(passed)},\n  "rules": '
        f"{json.dumps(rules, ensure_ascii=False, indent=2)}\n}}\n"
    )


def to_json(reports: Iterable[Report], *, version: str) -> str:
    return "".join(stream_json(map(json_piece, reports), version=version))


def _sarif_rules() -> list[dict[str, Any]]:
    from .language import load_linter

    rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.message.split("{")[0].strip() or r.name},
            "help": {"text": r.hint},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {"checklist": r.checklist, "dimension": r.dimension, "tier": r.tier},
        }
        for r in load_rules().values()
    ]
    rules += [
        {
            "id": g.id,
            "name": g.name,
            "shortDescription": {"text": g.title},
            "help": {"text": g.suggestion},
            "defaultConfiguration": {"level": _SARIF_LEVEL[g.severity]},
        }
        for g in load_linter().groups
    ]
    return rules


@cache
def _rule_index() -> dict[str, int]:
    return {rule["id"]: i for i, rule in enumerate(_sarif_rules())}


def sarif_piece(report: Report) -> Piece:
    index = _rule_index()
    results = []
    for f in report.findings:
        location: dict[str, Any] = {"artifactLocation": {"uri": report.path}}
        if f.line:
            location["region"] = {"startLine": f.line}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
        }
        if f.section:
            result["properties"] = {"section": f.section}
        results.append(json.dumps(result, ensure_ascii=False))
    return Piece(report.passed, frozenset(), ",\n      ".join(results))


def stream_sarif(pieces: Iterable[Piece], *, version: str) -> Iterator[str]:
    """A SARIF 2.1.0 log with one run; results are written as the pieces arrive."""
    driver = {
        "name": "hotwash",
        "version": version,
        "informationUri": "https://github.com/hotwash/hotwash",
        "rules": _sarif_rules(),
    }
    yield (
        f'{{\n  "$schema": "{SARIF_SCHEMA}",\n  "version": "2.1.0",\n  "runs": [{{\n'
        f'    "tool": {{"driver": {json.dumps(driver, ensure_ascii=False)}}},\n'
        f'    "results": ['
    )
    first = True
    for piece in pieces:
        if piece.text:
            yield ("" if first else ",") + "\n      " + piece.text
            first = False
    yield "\n    ]\n  }]\n}\n"


def to_sarif(reports: Iterable[Report], *, version: str) -> str:
    return "".join(stream_sarif(map(sarif_piece, reports), version=version))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_piece(report: Report) -> Piece:
    """Workflow commands that GitHub Actions shows as annotations on the changed lines."""
    lines = []
    for f in report.findings:
        props = [f"file={_escape_property(report.path)}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property(f'{f.rule} {f.name}')}")
        lines.append(
            f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::"
            f"{_escape_data(f.message + ' ' + f.hint)}"
        )
    card = report.scorecard
    verdict = "passed" if report.passed else "failed: " + "; ".join(report.reasons)
    lines.append(
        f"::notice file={_escape_property(report.path)},title=hotwash score::"
        f"{card.total}/{card.maximum} ({card.band_label}); gate {verdict}"
    )
    return Piece(report.passed, frozenset(), "\n".join(lines) + "\n")


def stream_github(pieces: Iterable[Piece]) -> Iterator[str]:
    for piece in pieces:
        yield piece.text


def to_github(reports: Iterable[Report]) -> str:
    return "".join(stream_github(map(github_piece, reports)))


PIECES = {"json": json_piece, "sarif": sarif_piece, "github": github_piece}
