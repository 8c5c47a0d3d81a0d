"""Rendering: the examples are in normal form, read as GFM by another parser, and are pinned."""

from __future__ import annotations

import json
import os

import pytest
from markdown_it import MarkdownIt

from hotwash.core.layout import load_layout
from hotwash.core.parse import parse_pack
from hotwash.core.reference import guidance
from hotwash.core.render import mermaid_timeline, render_pack

from .conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
NAMES = sorted(p.stem for p in EXAMPLES.glob("*.md"))


def test_there_are_four_examples_one_per_story() -> None:
    kinds = {parse_pack((EXAMPLES / f"{n}.md").read_text()).kind.value for n in NAMES}
    assert len(NAMES) == 4 and kinds == {"incident", "okr", "premortem", "retro"}


@pytest.mark.parametrize("name", NAMES)
def test_example_is_in_normal_form_and_round_trips(name: str) -> None:
    text = (EXAMPLES / f"{name}.md").read_text()
    review = parse_pack(text)
    assert render_pack(review, guidance=guidance(review.kind.value)) == text
    assert parse_pack(render_pack(review)) == review


@pytest.mark.parametrize("name", NAMES)
def test_example_matches_its_golden_record(name: str) -> None:
    """tests/golden/NAME.json pins what each example parses to (UPDATE_GOLDEN=1 rewrites)."""
    review = parse_pack((EXAMPLES / f"{name}.md").read_text())
    got = json.dumps(review.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got)
    assert got == path.read_text()


def _tokens(text: str) -> list:  # type: ignore[type-arg]
    body = text.split("\n---\n", 1)[1]
    return MarkdownIt("commonmark").enable("table").parse(body)


@pytest.mark.parametrize("name", NAMES)
def test_example_reads_as_gfm_with_tables_and_mermaid_intact(name: str) -> None:
    text = (EXAMPLES / f"{name}.md").read_text()
    review = parse_pack(text)
    tokens = _tokens(text)
    tables = [t for t in tokens if t.type == "table_open"]
    expected_tables = [
        sub
        for _, sub in load_layout().subsections()
        if sub.shape in ("table", "fields") and f"\n### {sub.heading}\n" in text
    ]
    assert len(expected_tables) >= 12
    assert len(tables) == len(expected_tables)
    # every table row has as many cells as its header
    rows: list[int] = []
    for i, t in enumerate(tokens):
        if t.type == "tr_open":
            n = 0
            for u in tokens[i + 1 :]:
                if u.type == "tr_close":
                    break
                n += u.type in ("th_open", "td_open")
            rows.append(n)
    assert all(n >= 2 for n in rows)
    fences = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert len(fences) == 1
    assert fences[0].content.startswith("timeline\n")
    assert fences[0].content.count(" : ") == len(review.timeline)
    headings = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert headings == [s.title for s in load_layout().sections]


def test_mermaid_timeline_has_no_separator_inside_text() -> None:
    review = parse_pack((EXAMPLES / "payments-api-outage.md").read_text())
    review.timeline[0].text = "rollout: 50%; see #42 `kubectl`"
    diagram = mermaid_timeline(review)
    event_lines = [ln for ln in diagram.splitlines() if " : " in ln]
    assert all(ln.count(":") == 1 for ln in event_lines)
    assert "#" not in diagram.split("timeline", 1)[1]
