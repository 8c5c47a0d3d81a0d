"""Reading packs: hand edits a person makes, and located errors for what cannot be read."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hotwash.core.errors import PackError
from hotwash.core.layout import Column, load_layout
from hotwash.core.model import Review
from hotwash.core.parse import (
    _COLUMNS_OF,
    _columns,
    _read_simple_yaml,
    _yaml_loader,
    parse_pack,
)
from hotwash.core.render import render_pack

from .strategies import pieced


@pytest.fixture
def review() -> Review:
    return Review.model_validate(
        {
            "id": "2026-03-15-checkout-errors",
            "kind": "incident",
            "title": "Checkout errors",
            "review_date": "2026-03-18",
            "summary": "Checkout failed for 8% of requests for 45 minutes.",
            "timeline": [
                {
                    "at": "2026-03-15 14:22",
                    "text": "Error rate rises",
                    "source": "grafana",
                    "link": "https://grafana.example.com/d/1",
                },
                {"at": "2026-03-15 14:31", "text": "Alert fires", "actor": "alerting"},
            ],
            "factors": [
                {"id": "F1", "cluster": "tech", "type": "trigger", "text": "Pool size set to 5"},
                {
                    "id": "F2",
                    "cluster": "process",
                    "type": "detection gap",
                    "text": "No alert on pool saturation",
                },
            ],
            "actions": [
                {
                    "id": "A1",
                    "text": "Alert on pool saturation",
                    "owner": "@kim",
                    "priority": "P1",
                    "due": "2026-03-25",
                    "factors": ["F2"],
                },
                {
                    "id": "A2",
                    "text": "Validate pool size in CI",
                    "owner": "@lee",
                    "priority": "P0",
                    "due": "2026-03-22",
                    "factors": ["F1"],
                },
            ],
            "risks": ["Pool limits differ per region"],
        }
    )


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def error_for(text: str | bytes) -> PackError:
    with pytest.raises(PackError) as info:
        parse_pack(text, path="pack.md")
    return info.value


# --------------------------------------------------------------------------- hand edits


def test_reordered_rows_are_kept_in_the_order_written(review: Review) -> None:
    text = render_pack(review)
    a1 = next(ln for ln in text.splitlines() if ln.startswith("| A1 "))
    a2 = next(ln for ln in text.splitlines() if ln.startswith("| A2 "))
    swapped = text.replace(a1, "\0").replace(a2, a1).replace("\0", a2)
    parsed = parse_pack(swapped)
    assert [a.id for a in parsed.actions] == ["A2", "A1"]
    assert parsed.actions[1].owner == "@kim"


def test_timeline_rows_out_of_order_are_sorted_by_time(review: Review) -> None:
    text = render_pack(review)
    rows = [ln for ln in text.splitlines() if ln.startswith("| 2026-03-15")]
    swapped = text.replace(rows[0], "\0").replace(rows[1], rows[0]).replace("\0", rows[1])
    assert [e.text for e in parse_pack(swapped).timeline] == ["Error rate rises", "Alert fires"]


def test_an_added_bullet_is_read(review: Review) -> None:
    text = render_pack(review).replace(
        "- Pool limits differ per region\n",
        "- Pool limits differ per region\n- Retry storms   can  hide saturation\n",
    )
    assert parse_pack(text).risks == [
        "Pool limits differ per region",
        "Retry storms can hide saturation",
    ]


def test_a_changed_date_is_read(review: Review) -> None:
    text = render_pack(review).replace("| 2026-03-25 |", "| 2026-04-01 |")
    assert parse_pack(text).actions[0].due == date(2026, 4, 1)


def test_a_row_without_id_gets_the_next_free_id(review: Review) -> None:
    text = render_pack(review)
    row = "|  | Page on pool saturation | @kim | P2 | | | | detect | | open | F2 |"
    a2 = next(ln for ln in text.splitlines() if ln.startswith("| A2 "))
    parsed = parse_pack(text.replace(a2, a2 + "\n" + row))
    assert [a.id for a in parsed.actions] == ["A1", "A2", "A3"]
    assert parsed.actions[2].category is not None
    assert parsed.actions[2].category.value == "detect"


def test_subsections_in_another_order_and_headings_without_numbers(review: Review) -> None:
    text = render_pack(review)
    text = text.replace(
        "## 8. Risks, open questions and next steps", "## Risks, open questions and next steps"
    )
    risks = "### Risks\n\n- Pool limits differ per region\n\n"
    text = text.replace(risks, "")
    text = text.replace("### Unknowns\n", "### Unknowns\n\n" + risks)
    assert parse_pack(text) == review


def test_enum_cells_are_read_in_any_case_and_spelling(review: Review) -> None:
    text = render_pack(review).replace("| detection gap ", "| Detection-Gap ")
    assert parse_pack(text).factors[1].type.value == "detection gap"


def test_times_with_an_offset_are_converted_to_utc(review: Review) -> None:
    text = render_pack(review).replace("| 2026-03-15 14:31 ", "| 2026-03-15T16:31+02:00 ")
    assert parse_pack(text).timeline[1].at.hour == 14


def test_guidance_comments_and_the_mermaid_block_are_not_content(review: Review) -> None:
    text = render_pack(review, guidance={"goal": "Say what the review is for."})
    assert "<!-- Say what the review is for. -->" in text
    assert "```mermaid" in text
    assert parse_pack(text) == review


def test_crlf_and_bom_are_accepted(review: Review) -> None:
    text = "\ufeff" + render_pack(review).replace("\n", "\r\n")
    assert parse_pack(text.encode("utf-8")) == review


# --------------------------------------------------------------------------- located errors


def test_broken_yaml_front_matter(review: Review) -> None:
    text = render_pack(review).replace("kind: incident", "kind: [incident")
    err = error_for(text)
    assert err.path == "pack.md"
    assert "YAML" in err.message
    assert err.line is not None and 2 <= err.line <= 14


def test_missing_front_matter() -> None:
    err = error_for("# Just a heading\n")
    assert err.line == 1 and "front matter" in err.message


def test_unknown_front_matter_key(review: Review) -> None:
    text = render_pack(review).replace("status: draft", "status: draft\nowner: '@kim'")
    err = error_for(text)
    assert err.field == "owner" and err.line == line_of(text, "owner:")


def test_unknown_section(review: Review) -> None:
    text = render_pack(review).replace("## 5. Action tracker", "## 5. Things to do")
    err = error_for(text)
    assert "unknown section '5. Things to do'" in err.message
    assert err.line == line_of(text, "## 5. Things to do")


def test_unknown_subsection(review: Review) -> None:
    text = render_pack(review).replace("### Parked ideas", "### Someday")
    err = error_for(text)
    assert "unknown subsection 'Someday'" in err.message
    assert err.line == line_of(text, "### Someday")


def test_impossible_date_in_a_table(review: Review) -> None:
    text = render_pack(review).replace("| 2026-03-25 |", "| 2026-02-30 |")
    err = error_for(text)
    assert err.field == "actions[0].due"
    assert err.line == line_of(text, "| A1 ")
    assert "2026-02-30" in err.message


def test_impossible_date_in_front_matter(review: Review) -> None:
    text = render_pack(review).replace("review_date: 2026-03-18", "review_date: 2026-02-30")
    err = error_for(text)
    assert err.field == "review_date"
    assert err.line == line_of(text, "review_date:")


def test_row_with_a_missing_column(review: Review) -> None:
    text = render_pack(review)
    a1 = next(ln for ln in text.splitlines() if ln.startswith("| A1 "))
    short = a1.rsplit("|", 2)[0] + "|"
    bad = text.replace(a1, short)
    err = error_for(bad)
    assert err.line == line_of(bad, "| A1 ")
    assert "10 cells; the header has 11" in err.message


def test_unknown_column(review: Review) -> None:
    text = render_pack(review).replace("| Success signal |", "| Signal         |")
    err = error_for(text)
    assert "unknown column 'Signal'" in err.message


def test_not_utf8() -> None:
    err = error_for(b"---\nid: x\n---\n\ncaf\xe9\n")
    assert err.line == 5 and "UTF-8" in err.message


def test_dangling_factor_reference_names_the_row(review: Review) -> None:
    text = render_pack(review)
    a1 = next(ln for ln in text.splitlines() if ln.startswith("| A1 "))
    bad = text.replace(a1, a1.replace("| F2      |", "| F9      |"))
    err = error_for(bad)
    assert err.field == "actions[0].factors"
    assert "F9 is not a factor id (known: F1, F2)" in err.message
    assert err.line == line_of(bad, "| A1 ")


def test_duplicate_ids(review: Review) -> None:
    text = render_pack(review).replace("| A2 ", "| A1 ")
    err = error_for(text)
    assert "A1 is used twice" in err.message


def test_a_team_as_owner_is_refused(review: Review) -> None:
    text = render_pack(review).replace("| @kim  |", "| Payments team |")
    err = error_for(text)
    assert err.field == "actions[0].owner" and "handle" in err.message


def test_text_outside_a_subsection(review: Review) -> None:
    text = render_pack(review).replace("## 5. Action tracker\n", "## 5. Action tracker\n\nStray.\n")
    err = error_for(text)
    assert err.line == line_of(text, "Stray.") and "subsection" in err.message


def test_paragraph_inside_a_table_subsection(review: Review) -> None:
    text = render_pack(review).replace("### Timeline\n", "### Timeline\n\nAll times UTC.\n")
    err = error_for(text)
    assert err.line == line_of(text, "All times UTC.") and "one table" in err.message


def test_nested_bullets_are_refused_not_flattened(review: Review) -> None:
    text = render_pack(review).replace(
        "- Pool limits differ per region\n", "- Pool limits differ per region\n  - in eu\n"
    )
    err = error_for(text)
    assert "nested" in err.message


def test_error_string_names_file_line_and_field(review: Review) -> None:
    text = render_pack(review).replace("| 2026-03-25 |", "| 2026-02-30 |")
    err = error_for(text)
    assert re.match(r"^pack\.md:\d+: actions\[0\]\.due: ", str(err))


# --------------------------------------------------------------------------- fuzzing

SNIPPETS = st.sampled_from(
    [
        "---\n",
        "id: x\n",
        "kind: incident\n",
        "title: T\n",
        "## 1. Brief and agenda\n",
        "### Goal\n",
        "### Actions\n",
        "| ID | Action |\n",
        "| --- | --- |\n",
        "| A1 | x |\n",
        "- item\n",
        "#### F1\n",
        "1. why\n",
        "```mermaid\n",
        "```\n",
        "<!-- c -->\n",
        "\n",
        "### Five whys\n",
        "| 2026-02-30 |\n",
        "review_date: 2026-13-01\n",
        "\x00",
        "\xff",
    ]
)


@given(st.lists(SNIPPETS | st.text(max_size=20), max_size=25))
def test_any_text_gives_a_review_or_a_pack_error(parts: list[str]) -> None:
    try:
        parse_pack("".join(parts))
    except PackError as exc:
        assert exc.message


@given(st.binary(max_size=200))
def test_any_bytes_give_a_review_or_a_pack_error(data: bytes) -> None:
    try:
        parse_pack(b"---\nid: x\nkind: retro\ntitle: t\n---\n" + data)
    except PackError as exc:
        assert exc.message


ACTION_COLUMNS = next(s for _, s in load_layout().subsections() if s.id == "actions")
HEADER_CELLS = [c.header for c in ACTION_COLUMNS.columns] + ["Signal", "owner", "", "A\\|B"]


def _header_or_error(header: str) -> tuple[Column, ...] | str:
    try:
        return _columns(ACTION_COLUMNS, header, 7)
    except PackError as exc:
        return str(exc)


@given(
    st.lists(
        st.tuples(st.sampled_from(HEADER_CELLS), st.sampled_from(["", " ", "  "])), max_size=12
    ),
    st.booleans(),
)
def test_a_header_row_read_again_gives_what_it_gave_first(
    cells: list[tuple[str, str]], closed: bool
) -> None:
    header = "|" + "|".join(f" {name}{pad}" for name, pad in cells) + ("|" if closed else "")
    first = _header_or_error(header)  # the cache holds the headers of earlier examples
    again = _header_or_error(header)  # from the cache, or the same error once more
    _COLUMNS_OF.clear()
    assert first == again == _header_or_error(header)
    if closed and isinstance(first, tuple):  # an open row may lose an empty last cell
        assert [c.header.casefold() for c in first] == [
            name.strip().casefold() for name, _ in cells
        ]


YAML_KEYS = ["title", "id", "tags", "on", "yes", "null", "y", "n", "a_b", "Title", "x-y"]
YAML_PIECES = [
    "word", "two words", "yes", "No", "off", "null", "~", "0", "012", "0x1f", "1_0", "10",
    "-1", "+1", "1.5", ".5", "1e3", ".inf", "2025-04-30", "10:30", ", ", ",", "'", "''",
    "it's", " #", "#", ": ", ":", "[", "]", "{", "}", "-", "- ", "(a)", "@kim", "a/b", "<<",
    "=", "!", "&", "*", "|", ">", '"', "%", "`", "\\", " ", "  ", "\t", "é", "\u2014", "\x07",
]  # fmt: skip


YAML_VALUES = [
    "word", "two words", "yes", "null", "10", "2025-04-30", "a, b", "it's", "(a) b/c",
    "[a, b]", "[a,b]", "[yes, 1]", "[]", "[ a ]", "'it''s'", "'a: b'", "''", "'x''",
]  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.sampled_from(YAML_KEYS[:3] * 3 + YAML_KEYS),
            st.sampled_from([": "] * 6 + [":  ", ":", " : "]),
            st.sampled_from(YAML_VALUES) | pieced(YAML_VALUES + YAML_PIECES, 4),
        ),
        max_size=4,
    )
)
def test_simple_front_matter_reads_as_pyyaml_reads_it(lines: list[tuple[str, str, str]]) -> None:
    text = "\n".join(key + sep + value for key, sep, value in lines)
    fast = _read_simple_yaml(text)
    if fast is None:
        return  # left to PyYAML
    # repr tells True from 1 and '1' from 1, at any depth
    assert repr(fast) == repr(yaml.load(text, Loader=_yaml_loader()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hotwash: 1\ntitle: 'Pre-mortem: it''s'", {"hotwash": 1, "title": "Pre-mortem: it's"}),
        ("tags: [a b, yes, 7]\nlocation: null", {"tags": ["a b", True, 7], "location": None}),
        ("review_date: 2025-04-30\nservices: []", {"review_date": "2025-04-30", "services": []}),
    ],
)
def test_simple_front_matter_is_read_without_pyyaml(text: str, expected: dict[str, Any]) -> None:
    assert _read_simple_yaml(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "on: x",
        "a:b",
        "a: 'x''",
        "a: 0x1f",
        "a: 1.5",
        "a: b # c",
        "a: é",
        "a: [b,c]",
        "a:\n  - b",
    ],
)
def test_other_front_matter_is_left_to_pyyaml(text: str) -> None:
    assert _read_simple_yaml(text) is None
