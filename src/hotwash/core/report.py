"""Gate reports as data for machines: JSON, SARIF 2.1.0 and GitHub Actions annotations.

Pure: reports in, text out. The Rich text report for people is in the adapter (show.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .checks import Finding, load_rules
from .gate import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity,
        "message": f.message,
        "hint": f.hint,
        "line": f.line,
        "section": f.section,
        "field": f.field,
        "dimension": f.dimension,
        "checklist": f.checklist,
    }


def to_json(reports: Sequence[Report], *, version: str) -> str:
    files = []
    for r in reports:
        card = r.scorecard
        files.append(
            {
                "path": r.path,
                "format": "hotwash" if r.native else "foreign",
                "kind": r.review.kind.value,
                "title": r.review.title,
                "passed": r.passed,
                "reasons": list(r.reasons),
                "score": {
                    "total": card.total,
                    "maximum": card.maximum,
                    "band": card.band,
                    "dimensions": {d.id: d.score for d in card.dimensions},
                },
                "findings": [_finding(f) for f in r.findings],
            }
        )
    doc = {
        "tool": "hotwash",
        "version": version,
        "passed": all(r.passed for r in reports),
        "files": files,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _language_rules() -> list[dict[str, Any]]:
    from .language import load_linter

    return [
        {
            "id": g.id,
            "name": g.name,
            "shortDescription": {"text": g.title},
            "help": {"text": g.suggestion},
            "defaultConfiguration": {"level": _SARIF_LEVEL[g.severity]},
        }
        for g in load_linter().groups
    ]


def to_sarif(reports: Sequence[Report], *, version: str) -> str:
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
    ] + _language_rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []
    for report in reports:
        for f in report.findings:
            location: dict[str, Any] = {"artifactLocation": {"uri": report.path}}
            if f.line:
                location["region"] = {"startLine": f.line}
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f"{f.message} {f.hint}"},
                "locations": [{"physicalLocation": location}],
            }
            if f.section:
                result["properties"] = {"section": f.section}
            results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hotwash",
                        "version": version,
                        "informationUri": "https://github.com/hotwash/hotwash",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(reports: Sequence[Report]) -> str:
    """Workflow commands that GitHub Actions shows as annotations on the changed lines."""
    lines = []
    for report in reports:
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
    return "\n".join(lines) + ("\n" if lines else "")
