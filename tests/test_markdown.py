"""The block reader's fast path against the reference reader.

``_read_simple`` may decline any text (None), but whenever it answers its blocks must
equal, field by field, the ones ``_read_events`` (every pyromark event) gives. These
tests hold it to that on real documents, on the benchmark generator's documents and on
generated Markdown aimed at the edges of the subset; and they check that it does answer
for the plain documents it is there for.
"""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hotwash.core.markdown import Block, _read_events, _read_simple, read_blocks, split_row

from .conftest import EXAMPLES, ROOT, SHARED

CORPUS = SHARED / "corpus"
GOLDEN = ROOT / "tests" / "golden"


def _same_or_declined(text: str, first_line: int = 1) -> list[Block] | None:
    """The fast answer, after checking it against the reference when there is one."""
    fast = _read_simple(text, first_line)
    if fast is not None:
        reference = _read_events(text, first_line)
        assert fast == reference, f"fast path differs on {text!r}"
    return fast


def _bodies(text: str) -> Iterator[tuple[str, int]]:
    """The text as a whole, and the body below YAML front matter as the readers pass it."""
    yield text, 1
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            yield text[end + 4 :].split("\n", 1)[-1], text.count("\n", 0, end + 4) + 2


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _real_documents() -> list[tuple[str, str]]:
    """(name, text): the shared corpus, the examples, and the golden files and their strings."""
    assert CORPUS.is_dir(), f"{CORPUS} is missing: the shared corpus is part of the test data"
    docs = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(CORPUS.rglob("*.md"))]
    assert len(docs) >= 100, "the shared corpus has over a hundred post-mortems"
    for path in sorted(EXAMPLES.rglob("*")) + sorted(GOLDEN.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            docs.append((str(path), text))
            if path.suffix == ".json":
                docs += [(f"{path} (a string)", s) for s in _strings(json.loads(text)) if "\n" in s]
    return docs


@pytest.fixture(scope="module")
def benchmark_sample() -> list[str]:
    """Documents as benchmarks/check.py writes them (fixed seeds): packs and foreign styles."""
    path = ROOT / "benchmarks" / "check.py"
    spec = importlib.util.spec_from_file_location("hotwash_benchmark_check", path)
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    saved_path, had_corpus = list(sys.path), "corpus" in sys.modules
    sys.modules[spec.name] = check  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(check)  # it puts benchmarks/ on sys.path for its corpus.py
        docs = [text for _, text, _ in check.build(80, 11)]
        rng = random.Random(5)
        docs += [check.foreign_doc(rng, i % 3 == 0)[1] for i in range(300)]
    finally:  # leave no benchmark module where a later import could find it
        sys.path[:] = saved_path
        sys.modules.pop(spec.name, None)
        if not had_corpus:
            sys.modules.pop("corpus", None)
    return docs


# --------------------------------------------------------------------------- real documents


def test_real_documents_read_the_same() -> None:
    for name, text in _real_documents():
        for body, first in _bodies(text):
            assert read_blocks(body, first_line=first) == _read_events(body, first), name
            _same_or_declined(body, first)


def test_benchmark_documents_read_the_same(benchmark_sample: list[str]) -> None:
    for text in benchmark_sample:
        for body, first in _bodies(text):
            _same_or_declined(body, first)


def test_the_fast_path_covers_most_documents(benchmark_sample: list[str]) -> None:
    """Measured when written: all of the benchmark sample, 92% of the shared corpus."""
    real = [text for name, text in _real_documents() if name.startswith(str(CORPUS))]
    shares = {}
    for label, docs, floor in (
        ("shared corpus", real, 0.85),
        ("benchmark", benchmark_sample, 0.97),
    ):
        answered = sum(_same_or_declined(text) is not None for text in docs)
        shares[label] = answered / len(docs)
        print(f"fast path: {answered} of {len(docs)} {label} documents ({shares[label]:.0%})")
        assert shares[label] >= floor, f"{label}: {shares[label]:.2f} < {floor}"


# --------------------------------------------------------------------------- chosen edges

EDGES = [
    "",
    "\n\n",
    "# Title\n\nSome text.\n",
    "## Impact & Metrics\n",
    "# a *b* `c` [d](e) <f> \\g ~~h~~ ![i](j) #\n",
    "  ## indented ##\n   text\n",
    "#no heading\n####### seven\n",
    "para\nline\n===\n",
    "para\n---\nafter\n",
    "---\ntitle: x\nservices: [a]\n---\n\n# T\n",
    "- a\n- b\n\npara",
    "- a\n  b\nlazy\n- c\n",
    "- a\n\n  - b\n\n\n  c\n\nd",
    "- a\n* b\n+ c\n",
    "1. a\n2) b\n",
    "text\n2. not a list\n",
    "text\n1. a list\n",
    "- a\n  2. text\n",
    "- a\n\n  2. nested\n",
    "- a\n - b\n  - c\n",
    "* a\n* * *\n* b\n",
    "- a\n\n\n",
    "-   wide\n    continued\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n| c |\n\nx\n",
    "| a | b |\n|---|---|\n| 1 \\| 2 | 3 |\n",
    "| | |\n|---|---|\n| Severity | SEV-1 |\n",
    "| a | b |\n|---|---|\nno pipe\n",
    "a | b\n--|--\n",
    "text\n| a | b |\n|---|---|\n",
    "| a | b |\n|---|\n",
    "```py\ncode\n```\nafter\n",
    "```\nunclosed\n\n",
    "~~~ a`b\n```\n~~~~\n",
    "```\na\n  ```  \n",
    "<!-- hint -->\n\n## H\n",
    "<!--\nmany\nlines\n-->\ntext\n",
    "<!-- a --> tail\nmore\n",
    "> quote\n",
    "    indented code\n",
    "[ref]: /url\n\n[ref]\n",
    "a\tb\n",
    "crlf\r\nlines\r\n",
    "# caf\u00e9 \U0001f525\n\n\u00a0nbsp\n",
    "a\udcffb\n",
]


@pytest.mark.parametrize("text", EDGES)
def test_chosen_edges_read_the_same(text: str) -> None:
    for first in (1, 40):
        _same_or_declined(text, first)
        try:
            expected: Any = _read_events(text, first)
        except UnicodeEncodeError as exc:
            expected = type(exc)
        try:
            got: Any = read_blocks(text, first_line=first)
        except UnicodeEncodeError as exc:
            got = type(exc)
        assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        "# Postmortem: checkout-api outage\n\n**Date:** 2024-01-02\n",
        "## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | Alert |\n",
        "- one\n- two\n  - nested\n\n1. first\n2. second\n",
        "```mermaid\ntimeline\n```\n\n<!-- hint -->\n",
        "---\nid: x\ntags: []\n---\n\n# T\n",
    ],
)
def test_plain_documents_take_the_fast_path(text: str) -> None:
    assert _same_or_declined(text) is not None


# --------------------------------------------------------------------------- generated

WORD = st.sampled_from(
    [
        "db",
        "pool",
        "1.5",
        "2024-01-02",
        "10:04",
        "**bold**",
        "*it*",
        "_u_",
        "`code`",
        "<b>",
        "&amp;",
        "&",
        "[x](y)",
        "[x]",
        "\\|",
        "|",
        "a|b",
        "caf\u00e9",
        "\u2014",
        "\u00a0",
        "\U0001f525",
        "#",
        "~~s~~",
        "!",
        "\\",
        ":",
        "==",
        "--",
    ]
) | st.text(st.characters(codec="utf-8", exclude_characters="\n"), max_size=6)
WORDS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)

# Line shapes with "{}" for words: each one sits at an edge of a block kind.
LINES = [
    "# {}", "## {}", "###### {}", "####### {}", "#", "#{}", "## {} ##", "  # {}", "    # {}",
    "{}", "{}", "{}  ", "  {}", "    {}", "{}\\", "1.5 {}", "2024. {}", "**{}**", "*{}*",
    "===", "---", " ---", "- - -", "***", "* * *", "___", "--", "-", "=",
    "| a | b |", "| {} | {} |", "a | b", "|---|---|", "|---|", "---|---", "| :-- | --: |",
    "| x |", "| x | y | z |", "| {} \\| {} | y |", "| | |", "|",
    "- {}", "* {}", "+ {}", "1. {}", "2. {}", "1) {}", "10. {}", "01. {}", "-   {}", "-     {}",
    "- ", "1.", "  - {}", "    - {}", "   - {}", " - {}", "  1. {}", "   {}", "- [ ] {}",
    "- # {}", "- ```", "- > {}", "  ---", "  ```", "- - {}",
    "```", "```py", "~~~", "````", "``` a`b", "~~~ a`b", "   ```",
    "<!-- {} -->", "<!--", "-->", "<!-- {}", "{} -->", "<div>", "<!-->",
    "> {}", ">", "> ```", "[a]: /url", "\t{}", "", "", "", " ",
]  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> str:
    shapes = draw(st.lists(st.sampled_from(LINES), max_size=16))
    lines = [shape.replace("{}", draw(WORDS)) for shape in shapes]
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) and draw(st.booleans()) else text


@given(documents(), st.sampled_from([1, 9]))
@example("- a\n  b\n2. c\n", 1)
@example("| a | b |\n|---|---|\n| x |\n- y\n", 1)
@example("  - x\n - y\n\n   z", 1)
def test_generated_markdown_reads_the_same(text: str, first: int) -> None:
    _same_or_declined(text, first)


PROSE = st.lists(
    st.sampled_from(["Rollback", "took", "five", "minutes", "@bo", "p99", "(INC-12)", "caf\u00e9"]),
    min_size=1,
    max_size=6,
).map(" ".join)


@st.composite
def plain_blocks(draw: st.DrawFn) -> str:
    """One block of the subset the fast path is for."""
    kind = draw(st.sampled_from(["heading", "para", "table", "list", "ordered", "code", "note"]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + draw(PROSE)
    if kind == "para":
        return "\n".join(draw(st.lists(PROSE, min_size=1, max_size=3)))
    if kind == "table":
        width = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(PROSE, min_size=width, max_size=width), max_size=4))
        lines = ["| " + " | ".join(f"h{i}" for i in range(width)) + " |", "|---" * width + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    if kind == "code":
        return "```" + draw(st.sampled_from(["", "mermaid", "sh"])) + "\n" + draw(PROSE) + "\n```"
    if kind == "note":
        return f"<!-- {draw(PROSE)} -->"
    mark = draw(st.sampled_from(["-", "*", "+"])) if kind == "list" else None
    lines = []
    for n in range(1, draw(st.integers(1, 5)) + 1):
        marker = mark or f"{n}."
        indent = " " * (len(marker) + 1)  # the item's content column
        lines.append(f"{marker} {draw(PROSE)}")
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"{indent}- {draw(PROSE)}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", indent + draw(PROSE), draw(PROSE)])))
    return "\n".join(lines)


@given(st.lists(plain_blocks(), max_size=8), st.sampled_from(["\n\n", "\n\n\n"]))
@example(["- a\n  - b"], "\n\n")
def test_plain_markdown_takes_the_fast_path(blocks: list[str], gap: str) -> None:
    text = gap.join(blocks) + "\n"
    assert _same_or_declined(text) is not None, f"fast path declined {text!r}"


def _cells_by_hand(raw: str) -> list[str]:
    """A table row's cells by a walk over its characters: a pipe after a backslash is text."""
    line = raw.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells, cell = [], ""
    for i, char in enumerate(line):
        if char == "|" and (i == 0 or line[i - 1] != "\\"):
            cells.append(cell)
            cell = ""
        else:
            cell += char
    return [*cells, cell]


@given(st.text(alphabet="|\\ a`-", max_size=20))
@example("| a | b |")
@example("| a \\| b | c |")
@example("a|b\\|")
def test_split_row_splits_on_unescaped_pipes(raw: str) -> None:
    assert split_row(raw) == _cells_by_hand(raw)
