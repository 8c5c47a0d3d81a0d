"""The hotwash command, run as a real process: exit codes, messages, files written or not."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from hotwash.core.parse import parse_pack


def hotwash(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hotwash", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1"},
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_version() -> None:
    out = hotwash("--version")
    assert out.returncode == 0
    assert out.stdout.startswith("hotwash ")


def test_version_says_whether_the_check_path_is_compiled() -> None:
    from hotwash.core import gate

    compiled = not gate.__file__.endswith(".py")  # scripts/test runs both builds
    out = hotwash("--version")
    assert out.stdout.rstrip().endswith(" (compiled)") is compiled, out.stdout
    assert hotwash("--version", "--help").stdout == out.stdout  # Click's answer is the same


@pytest.mark.parametrize("kind", ["incident", "project", "okr", "premortem", "retro"])
def test_new_writes_a_skeleton_that_parses_and_is_normal(kind: str, tmp_path: Path) -> None:
    out = hotwash(
        "new", kind, "--title", "Checkout errors: EU", "--date", "2026-03-15", cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    path = tmp_path / "2026-03-15-checkout-errors-eu.md"
    assert out.stdout.strip() == f"wrote {path.name}"
    review = parse_pack(path.read_text())
    assert review.kind.value == kind and review.title == "Checkout errors: EU"
    assert review.brief.ground_rules and review.brief.agenda
    assert "<!--" in path.read_text()  # guidance for empty sections
    check = hotwash("render", "--check", str(path))
    assert check.returncode == 0, check.stdout + check.stderr


def test_new_retro_keeps_its_format(tmp_path: Path) -> None:
    out = hotwash(
        "new", "retro", "-t", "Sprint 42", "--format", "sailboat", "-o", str(tmp_path / "r.md")
    )
    assert out.returncode == 0, out.stderr
    assert parse_pack((tmp_path / "r.md").read_text()).retro_format.value == "sailboat"


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "pack.md"
    target.write_text("mine\n")
    out = hotwash("new", "incident", "-t", "x", "-o", str(target))
    assert out.returncode == 2
    assert "already exists" in out.stderr
    assert target.read_text() == "mine\n"


def test_new_from_an_existing_pack(tmp_path: Path, example_paths: list[Path]) -> None:
    source = next(p for p in example_paths if "incident" in p.read_text()[:200])
    out = hotwash(
        "new",
        "incident",
        "-t",
        "Card auth latency",
        "--date",
        "2026-05-01",
        "--from",
        str(source),
        "-o",
        str(tmp_path / "n.md"),
    )
    assert out.returncode == 0, out.stderr
    new, old = parse_pack((tmp_path / "n.md").read_text()), parse_pack(source.read_text())
    assert new.id == "2026-05-01-card-auth-latency" and new.status.value == "draft"
    assert new.timeline == old.timeline and new.actions == old.actions


def test_unknown_kind_is_a_usage_error() -> None:
    out = hotwash("new", "postmortem", "-t", "x")
    assert out.returncode == 2
    assert "incident" in out.stderr


def test_render_normalizes_in_place(tmp_path: Path) -> None:
    hotwash("new", "incident", "-t", "x", "-o", str(tmp_path / "p.md"))
    path = tmp_path / "p.md"
    messy = path.read_text().replace("| Facilitator    |     |", "|Facilitator| @kim |")
    path.write_text(messy)
    check = hotwash("render", "--check", str(path))
    assert check.returncode == 1 and "would normalize" in check.stdout
    assert path.read_text() == messy
    out = hotwash("render", str(path))
    assert out.returncode == 0 and "normalized" in out.stdout
    assert "| Facilitator    | @kim |" in path.read_text()
    assert hotwash("render", "--check", str(path)).returncode == 0
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (lambda t: t.replace("kind: incident", "kind: [incident"), "YAML"),
        (lambda t: t.replace("## 5. Action tracker", "## 5. Todo"), "unknown section"),
        (lambda t: t.replace("review_date: null", "review_date: 2026-02-30"), "review_date"),
        (lambda t: t.replace("| Minutes | Item", "| Minutes | Item | Extra"), "header row"),
    ],
)
def test_render_reports_bad_input_and_leaves_the_file(tmp_path: Path, edit, expect: str) -> None:
    hotwash("new", "incident", "-t", "x", "-o", str(tmp_path / "p.md"))
    path = tmp_path / "p.md"
    path.write_text(edit(path.read_text()))
    before = digest(path)
    out = hotwash("render", str(path))
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: {path}:")
    assert expect in out.stderr
    assert digest(path) == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_render_writes_nothing_if_any_file_is_bad(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        hotwash("new", "incident", "-t", name, "-o", str(tmp_path / name))
    good, bad = tmp_path / "a.md", tmp_path / "b.md"
    good.write_text(good.read_text().replace("|     |", "| @kim |", 1))
    bad.write_bytes(b"---\nid: x\n---\n\xff\n")
    before = digest(good)
    out = hotwash("render", str(good), str(bad))
    assert out.returncode == 2 and "UTF-8" in out.stderr
    assert digest(good) == before


def test_render_missing_file() -> None:
    out = hotwash("render", "/nonexistent/pack.md")
    assert out.returncode == 2 and "no such file" in out.stderr


def test_show_prints_the_review(example_paths: list[Path]) -> None:
    path = example_paths[0]
    review = parse_pack(path.read_text())
    out = hotwash("show", str(path))
    assert out.returncode == 0, out.stderr
    assert review.title[:30] in out.stdout
    assert "Action tracker" in out.stdout


def test_show_incident_durations(example_paths: list[Path]) -> None:
    path = next(p for p in example_paths if "kind: incident" in p.read_text())
    out = hotwash("show", str(path))
    assert "time to detect" in out.stdout and "time to resolve" in out.stdout


def test_guide_lists_topics_and_prints_one() -> None:
    index = hotwash("guide", "--raw")
    assert index.returncode == 0
    for topic in ("blameless", "workflow", "questions", "checklists", "rubric"):
        assert f"`{topic}`" in index.stdout
    rubric = hotwash("guide", "rubric", "--raw")
    assert rubric.returncode == 0 and rubric.stdout.count("\n## ") == 7


def test_guide_unknown_topic() -> None:
    out = hotwash("guide", "nope")
    assert out.returncode == 2 and "no guide topic 'nope'" in out.stderr


@pytest.mark.parametrize("command", ["new", "render", "show", "guide"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    out = hotwash(command, "--help")
    assert out.returncode == 0
    assert "Example:" in out.stdout and f"hotwash {command}" in out.stdout
