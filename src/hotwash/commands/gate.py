"""`hotwash check`: the quality gate over files, folders and globs."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from .. import __version__
from . import _console, app


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--profile",
    type=click.Choice(["strict", "standard", "lenient"]),
    default="standard",
    show_default=True,
    help="Which rules run and the default thresholds (lenient for old documents).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="Output for people or for machines.",
)
@click.option(
    "--min-score",
    type=click.IntRange(0, 12),
    default=None,
    help="Fail below this rubric total (default: 7 standard, 10 strict, 0 lenient).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Fail on findings of this severity or worse (default: error; strict: warning).",
)
@click.option("--explain", is_flag=True, help="Add each finding's fix and the rubric table.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes to check with (default: the CPUs this process may use, at most 4).",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The date follow-up checks count from (default: today, UTC).",
)
def check(
    paths: tuple[str, ...],
    profile: str,
    fmt: str,
    min_score: int | None,
    fail_on: str | None,
    explain: bool,
    jobs: int | None,
    today: datetime | None,
) -> None:
    """Score post-mortems against the checklists and rubric, and lint blame language.

    PATHS are files, folders (every Markdown file below) or globs. hotwash packs are read
    exactly; other Markdown post-mortems are mapped by their headings and tables.
    Exit status: 0 every file passed, 1 a file failed the gate, 2 bad usage or a file
    that cannot be read.

    \b
    Example:
      hotwash check reviews/
      hotwash check --profile lenient --format sarif 'docs/postmortems/**/*.md' > hotwash.sarif
      hotwash check --format github --min-score 9 reviews/*.md
    """
    import os

    from ..core.gate import Gate
    from ..core.report import PIECES, stream_github, stream_json, stream_sarif
    from ..files import check_files, expand_paths

    gate = Gate(
        profile=profile,
        min_score=min_score,
        fail_on=fail_on,
        today=(today or datetime.now(UTC)).date(),
    )
    files = expand_paths(paths)
    if jobs is None:  # the CPUs this process may run on (a container may allow fewer)
        usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        jobs = min(len(usable) if usable else os.cpu_count() or 1, 4)
    failures: list[tuple[Path, Exception]] = []
    verdicts: list[bool] = []

    def results() -> Any:
        for path, result in check_files(gate, files, jobs=jobs, finish=PIECES.get(fmt)):
            if isinstance(result, Exception):
                failures.append((path, result))
                if fmt != "text":
                    click.echo(f"error: {result}", err=True)
            else:
                verdicts.append(result.passed)
                yield result

    if fmt == "text":
        from ..show import print_report, print_summary

        console = _console()
        for report in results():
            print_report(report, console, explain=explain)
        print_summary(verdicts, failures, console)
    else:
        stream = {"json": stream_json, "sarif": stream_sarif}.get(fmt)
        chunks = stream(results(), version=__version__) if stream else stream_github(results())
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    if failures:
        sys.exit(2)
    if not all(verdicts):
        sys.exit(1)
