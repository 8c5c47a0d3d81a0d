"""The README is tested: its commands run and print what it says, its snippets work."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hotwash.core.parse import parse_pack
from hotwash.core.render import render_pack

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.DOTALL)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [ln.split("#")[0].strip() for ln in blocks("sh")[0].splitlines() if ln.strip()]
    assert commands == ["./scripts/quickstart", "./scripts/test"]
    assert "```sh" in quick
    assert "./scripts/test" in (ROOT / ".ci" / "run").read_text()


def test_console_examples_run_and_print_what_the_readme_says(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    exe = [sys.executable, "-m", "hotwash"]
    ran = 0
    for block in blocks("console"):
        lines = block.splitlines()
        i = 0
        while i < len(lines):
            assert lines[i].startswith("$ hotwash "), lines[i]
            args = lines[i][len("$ hotwash ") :]
            expected = []
            i += 1
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
            import shlex

            out = subprocess.run(
                exe + shlex.split(args),
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
                env={"PATH": "/usr/bin:/bin"},
            )
            assert out.returncode == 0, (args, out.stderr)
            if expected:
                assert out.stdout.splitlines() == expected, args
            ran += 1
    assert ran >= 8


def test_the_error_example_has_the_form_hotwash_prints(tmp_path: Path) -> None:
    shown = next(b for b in blocks("text") if b.startswith("error: "))
    pack = tmp_path / "pack.md"
    text = (ROOT / "examples" / "payments-api-outage.md").read_text()
    due = parse_pack(text).actions[0].due
    assert due is not None
    pack.write_text(text.replace(f"| {due.isoformat()} |", "| 2026-13-01 |", 1))
    out = subprocess.run(
        [sys.executable, "-m", "hotwash", "render", "pack.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    expected = re.sub(r"pack\.md:\d+:", "pack.md:LINE:", shown.strip())
    assert re.sub(r"pack\.md:\d+:", "pack.md:LINE:", out.stderr.strip()) == expected


def test_library_snippet_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    code = blocks("python")[0]
    exec(compile(code, "README.md", "exec"), {})
    copy = (tmp_path / "copy.md").read_text()
    assert render_pack(parse_pack(copy)) == copy


def test_every_command_is_documented_in_the_readme() -> None:
    from hotwash.commands import app

    for name in app.commands:
        assert f"hotwash {name}" in README, name


def test_rules_reference_is_current_and_complete() -> None:
    from hotwash.core.checks import load_rules
    from hotwash.core.guide import rules_markdown
    from hotwash.core.language import load_linter

    doc = (ROOT / "docs" / "rules.md").read_text()
    assert doc == rules_markdown(), "run: hotwash guide rules --raw > docs/rules.md"
    for rule in load_rules().values():
        assert f"### {rule.id} {rule.name}" in doc
    for group in load_linter().groups:
        assert f"### {group.id} {group.name}" in doc


def test_every_rule_serves_a_real_checklist_item_and_dimension() -> None:
    from hotwash.core import reference
    from hotwash.core.checks import load_rules

    items = {i.id for c in reference.checklists().values() for i in c.items}
    dims = {d.id for d in reference.rubric().dimensions}
    for rule in load_rules().values():
        assert rule.checklist is None or rule.checklist in items, rule.name
        assert rule.dimension is None or rule.dimension in dims, rule.name


def test_pre_commit_hooks_call_real_commands() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    from hotwash.commands import app

    for hook in hooks:
        assert hook["entry"].split()[1] in app.commands
