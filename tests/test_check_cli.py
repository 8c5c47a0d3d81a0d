"""`hotwash check` as a process: exit codes, formats, paths, and a deliberately poor pack."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import EXAMPLES
from .test_cli import hotwash

POOR = """---
hotwash: 1
id: 2026-03-02-login-outage
kind: incident
title: Login outage
review_date: 2026-03-03
---

# Login outage

## 2. Facts and timeline

### Summary

Login was down.

### Key timestamps

| Moment   | Time (UTC)       |
| -------- | ---------------- |
| Started  | 2026-03-02 09:00 |
| Detected | 2026-03-02 09:40 |
| Resolved | 2026-03-02 10:10 |

### Timeline

| Time (UTC)       | Event                                   |
| ---------------- | --------------------------------------- |
| 2026-03-02 09:40 | @sam failed to check the deploy diff.   |

## 3. Contributing factors

### Factors

| ID  | Factor                      |
| --- | --------------------------- |
| F1  | Root cause was human error. |

## 5. Action tracker

### Actions

| ID  | Action                     | Owner         |
| --- | -------------------------- | ------------- |
| A1  | Be more careful on deploys | @backend-team |
"""


def write_poor(tmp_path: Path) -> Path:
    path = tmp_path / "poor.md"
    path.write_text(POOR)
    return path


def test_examples_pass_with_exit_0() -> None:
    out = hotwash("check", str(EXAMPLES), "--today", "2026-03-14")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "4 file(s): 4 passed" in out.stdout


def test_a_poor_pack_fails_with_the_expected_findings(tmp_path: Path) -> None:
    out = hotwash("check", "--format", "json", str(write_poor(tmp_path)))
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    report = doc["files"][0]
    assert not report["passed"] and report["score"]["band"] == "another_round"
    rules = {f["rule"] for f in report["findings"]}
    expected = {
        "HW102",  # one-sentence summary
        "HW124",  # 40-minute detection gap with no detection-gap factor
        "HW130",  # a single cause
        "HW151",  # a team as owner
        "HW155",  # "be more careful"
        "HW195",  # review the next day
        "HW-L01",  # "@sam failed to check"
        "HW-L03",  # "human error"
    }
    assert expected <= rules, expected - rules
    line = next(f["line"] for f in report["findings"] if f["rule"] == "HW-L01")
    assert POOR.splitlines()[line - 1].startswith("| 2026-03-02 09:40 | @sam failed")


def test_text_output_names_line_section_and_fix(tmp_path: Path) -> None:
    out = hotwash("check", "--explain", str(write_poor(tmp_path)))
    assert out.returncode == 1
    assert "FAIL" in out.stdout and "HW151" in out.stdout and "Rubric" in out.stdout
    assert "One person's handle as owner" in out.stdout or "owns nothing" in out.stdout


def test_profiles_and_thresholds(tmp_path: Path) -> None:
    path = write_poor(tmp_path)
    assert hotwash("check", "--profile", "lenient", "--fail-on", "error", str(path)).returncode == 1
    lenient = json.loads(
        hotwash("check", "--profile", "lenient", "--format", "json", str(path)).stdout
    )["files"][0]
    strict = json.loads(
        hotwash("check", "--profile", "strict", "--format", "json", str(path)).stdout
    )["files"][0]
    assert len(lenient["findings"]) < len(strict["findings"])
    good = str(EXAMPLES / "launch-premortem.md")
    assert hotwash("check", "--min-score", "12", "--today", "2026-03-01", good).returncode == 0
    assert hotwash("check", "--fail-on", "info", good).returncode == 1  # follow-ups are due


def test_folders_and_globs(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "reviews")
    (tmp_path / "reviews" / "notes.txt").write_text("not markdown")
    out = hotwash(
        "check",
        "--format",
        "json",
        "--today",
        "2026-03-14",
        "reviews",
        "reviews/*.md",
        cwd=tmp_path,
    )
    files = [f["path"] for f in json.loads(out.stdout)["files"]]
    assert len(files) == 4 and out.returncode == 0


def test_unreadable_input_exits_2_and_still_reports_the_rest(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"# Title\n\xff\xfe\n")
    shutil.copy(EXAMPLES / "payments-api-outage.md", tmp_path / "good.md")
    out = hotwash("check", "--format", "json", "--today", "2026-03-14", str(tmp_path))
    assert out.returncode == 2
    assert "bad.md:2: not UTF-8" in out.stderr
    assert [f["passed"] for f in json.loads(out.stdout)["files"]] == [True]


def test_a_broken_pack_is_unreadable_input(tmp_path: Path) -> None:
    text = (
        (EXAMPLES / "payments-api-outage.md")
        .read_text()
        .replace("review_date: 2026-03-13", "review_date: 2026-02-30")
    )
    (tmp_path / "p.md").write_text(text)
    out = hotwash("check", str(tmp_path / "p.md"))
    assert out.returncode == 2 and "review_date" in out.stdout + out.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert hotwash("check", "--profile", "loose", "x.md").returncode == 2
    out = hotwash("check", str(tmp_path / "*.md"))
    assert out.returncode == 2 and "no file matches" in out.stderr


def test_sarif_and_github_formats(tmp_path: Path) -> None:
    path = str(write_poor(tmp_path))
    sarif = json.loads(hotwash("check", "--format", "sarif", path).stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    github = hotwash("check", "--format", "github", path).stdout
    assert "::error file=" in github and "hotwash score::" in github


def test_lenient_fails_old_documents_on_blame_and_missing_actions_only(tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    old.write_text(
        "# Cache outage\n\n## Summary\n\nThe cache fell over.\n\n"
        "## Action items\n\n- Add a memory alert on the cache nodes\n"
    )
    ok = json.loads(hotwash("check", "--profile", "lenient", "--format", "json", str(old)).stdout)[
        "files"
    ][0]
    assert ok["passed"], ok["reasons"]
    assert any(f["rule"] == "HW151" and f["severity"] == "warning" for f in ok["findings"])
    old.write_text(old.read_text() + "\nRoot cause: human error.\n")
    assert hotwash("check", "--profile", "lenient", str(old)).returncode == 1
    standard = hotwash("check", "--format", "json", str(old))
    assert any(
        f["rule"] == "HW151" and f["severity"] == "error"
        for f in json.loads(standard.stdout)["files"][0]["findings"]
    )


def test_a_folder_without_markdown_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    out = hotwash("check", str(tmp_path))
    assert out.returncode == 2 and "no Markdown files" in out.stderr


def _many_packs(folder: Path, count: int) -> None:
    """``count`` copies of the examples, enough that workers are forked."""
    examples = sorted(EXAMPLES.glob("*.md"))
    for i in range(count):
        shutil.copy(examples[i % len(examples)], folder / f"pack-{i:03d}.md")


def test_the_whole_output_arrives_before_the_quick_exit(tmp_path: Path) -> None:
    # The command leaves with os._exit once it has flushed: nothing written may be lost,
    # and the exit status is the gate's.
    _many_packs(tmp_path, 60)
    out = hotwash("check", "--format", "json", "--jobs", "2", str(tmp_path))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert len(data["files"]) == 60
    assert data["passed"] is True
    (tmp_path / "pack-007.md").write_text("# A note\n\nNothing to see.\n")
    out = hotwash("check", "--format", "json", str(tmp_path))
    assert out.returncode == 1
    assert len(json.loads(out.stdout)["files"]) == 60


def test_a_reader_that_goes_away_is_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    _many_packs(tmp_path, 60)
    with subprocess.Popen(
        [sys.executable, "-m", "hotwash", "check", "--format", "json", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin"},
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10) == b'{\n  "tool"'
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=60) != 0
    assert "Traceback" not in err and "Exception ignored" not in err, err
