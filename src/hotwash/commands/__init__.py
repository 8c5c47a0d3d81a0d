"""The Click commands: each builds a core object, calls one function, prints the result.

Errors from the library (PackError, UsageError) become one message on stderr
naming file, line and field, with exit status 2; nothing is written when a
command fails.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..core.errors import HotwashError, Refused

KINDS = ["incident", "project", "okr", "premortem", "retro"]
FORMATS = ["start-stop-continue", "mad-sad-glad", "sailboat", "4ls"]


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


class _Group(click.Group):
    """Turns hotwash's own errors into exit status 2 with a located message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Refused as exc:
            click.echo(f"refused: {exc.reason}", err=True)
            click.echo(exc.way_forward, err=True)
            ctx.exit(3)
        except HotwashError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "-V", "--version", prog_name="hotwash", message="%(prog)s %(version)s"
)
def app() -> None:
    """Blameless post-mortems, retrospectives and pre-mortems as Markdown packs.

    \b
    Start a review, fill it in, keep it tidy:
      hotwash new incident --title "Payments API outage"
      hotwash render 2026-03-15-payments-api-outage.md
      hotwash show 2026-03-15-payments-api-outage.md
      hotwash guide
    """


@app.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--title", "-t", required=True, help="What is being reviewed, in a few words.")
@click.option(
    "--date",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date for the file name and id (default: today, UTC).",
)
@click.option(
    "--format",
    "retro_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Retro board format (retro reviews; default start-stop-continue).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the pack (default: DATE-TITLE.md here).",
)
@click.option(
    "--from",
    "base",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Start from the content of an existing pack (an example, an old retro).",
)
@click.option(
    "--goal",
    default=None,
    help="What the review is for, in a sentence (the brief's goal).",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def new(
    kind: str,
    title: str,
    goal: str | None,
    on: datetime | None,
    retro_format: str | None,
    output: Path | None,
    base: Path | None,
    force: bool,
) -> None:
    """Write a skeleton pack for a new review of KIND.

    The pack is Markdown with YAML front matter; empty sections carry a short
    hint in an HTML comment. Fill it in by hand, then run `hotwash render`.

    \b
    Example:
      hotwash new incident --title "Payments API outage" --date 2026-03-15
      hotwash new retro --title "Sprint 42" --format sailboat -o retros/sprint-42.md
      hotwash new incident -t "Card auth latency" --from examples/payments-api-outage.md
    """
    from ..core.reference import guidance, skeleton, start_from
    from ..core.render import render_pack
    from ..files import read_pack, write_atomic

    day: date = on.date() if on else datetime.now(UTC).date()
    fmt = retro_format.replace("-", " ") if retro_format else None
    if base is not None:
        review = start_from(read_pack(base), kind, title, on=day)
    else:
        review = skeleton(kind, title, on=day, retro_format=fmt)
    if goal:
        brief = review.brief.model_copy(update={"goal": goal})
        review = review.model_validate({**review.model_dump(), "brief": brief.model_dump()})
    from .intake import refuse_if_guarded

    refuse_if_guarded(review, {"title": title, **({"goal": goal} if goal else {})})
    path = output or Path(f"{review.id}.md")
    write_atomic(path, render_pack(review, guidance=guidance(kind)), overwrite=force)
    click.echo(f"wrote {path}")


@app.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 if any file is not in normal form."
)
def render(files: tuple[Path, ...], check: bool) -> None:
    """Normalize pack FILES in place: tables aligned, sections in order, ids filled.

    Every file is parsed first; a file that does not parse is reported with its
    line and left untouched. Writes are atomic.

    \b
    Example:
      hotwash render reviews/*.md
      hotwash render --check reviews/*.md    # in CI or pre-commit
    """
    from ..core.parse import parse_pack
    from ..core.reference import guidance
    from ..core.render import render_pack
    from ..files import read_bytes, write_atomic

    outputs = []
    for path in files:
        raw = read_bytes(path)
        review = parse_pack(raw, path=str(path))
        text = render_pack(review, guidance=guidance(review.kind.value))
        outputs.append((path, raw, text))
    stale = [p for p, raw, text in outputs if raw != text.encode("utf-8")]
    if check:
        for path in stale:
            click.echo(f"would normalize {path}")
        if stale:
            sys.exit(1)
        click.echo(f"{len(outputs)} file(s) already in normal form")
        return
    for path, _raw, text in outputs:
        if path in stale:
            write_atomic(path, text)
            click.echo(f"normalized {path}")
        else:
            click.echo(f"unchanged {path}")


@app.command()
@click.argument("file", type=click.Path(path_type=Path))
def show(file: Path) -> None:
    """Print the pack FILE readably in the terminal, with its key durations.

    \b
    Example:
      hotwash show examples/payments-api-outage.md
    """
    from ..files import read_pack
    from ..show import show as show_review

    show_review(read_pack(file), _console())


@app.command()
@click.argument("topic", required=False)
@click.option("--raw", is_flag=True, help="Print the Markdown source instead of styling it.")
def guide(topic: str | None, raw: bool) -> None:
    """Print the reference texts: workflow, questions, checklists, rubric and more.

    Without TOPIC, lists the topics.

    \b
    Example:
      hotwash guide
      hotwash guide blameless
      hotwash guide rubric --raw > RUBRIC.md
    """
    from ..core.guide import index_markdown, topic_markdown

    text = topic_markdown(topic) if topic else index_markdown()
    if raw:
        click.echo(text, nl=False)
        return
    from rich.markdown import Markdown

    _console().print(Markdown(text))


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
    help="Processes to check with (default: the CPU count, at most 4).",
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
    from ..show import print_report, print_summary

    gate = Gate(
        profile=profile,
        min_score=min_score,
        fail_on=fail_on,
        today=(today or datetime.now(UTC)).date(),
    )
    files = expand_paths(paths)
    workers = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    failures: list[tuple[Path, Exception]] = []
    verdicts: list[bool] = []

    def results() -> Any:
        for path, result in check_files(gate, files, jobs=workers, finish=PIECES.get(fmt)):
            if isinstance(result, Exception):
                failures.append((path, result))
                if fmt != "text":
                    click.echo(f"error: {result}", err=True)
            else:
                verdicts.append(result.passed)
                yield result

    if fmt == "text":
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


_roster_option = click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML with 'people' (full name: @handle) and 'teams' to keep out of customer versions.",
)


@app.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--audience",
    "-a",
    type=click.Choice(["internal", "shareout", "customer"]),
    default="internal",
    show_default=True,
    help="Who the document is for.",
)
@_roster_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "pdf"]),
    default="md",
    show_default=True,
    help="Markdown; standalone sanitized HTML with print CSS; or PDF (hotwash[pdf], Chromium).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here (atomically) instead of printing.",
)
def publish(file: Path, audience: str, roster: Path | None, fmt: str, output: Path | None) -> None:
    """Write the review FILE for one audience: the full pack, a one-page shareout, or a
    customer-facing post-mortem.

    FILE is a hotwash pack or any Markdown post-mortem (mapped as `hotwash check` maps
    it). The customer version leaves out people, teams, handles, tickets, hostnames, IPs,
    links, secrets, log lines and hypotheses; if anything internal is still in the final
    text, nothing is written and the leak is named.

    \b
    Example:
      hotwash publish examples/payments-api-outage.md --audience shareout
      hotwash publish pack.md -a customer --roster roster.yaml -o status-page.md
      hotwash publish pack.md -a shareout --format html -o shareout.html
      hotwash publish pack.md -a shareout --format pdf -o shareout.pdf
    """
    from ..core.errors import PackError
    from ..core.gate import Gate
    from ..core.publish import publish as publish_review
    from ..files import read_text, write_atomic

    text = read_text(file)
    people = _load_roster(roster)
    report = Gate().check(text, path=str(file))
    review = report.review
    if review is None:  # pragma: no cover - a report made in this process keeps its review
        raise PackError("nothing to publish", path=str(file))
    score = f"{report.scorecard.total}/{report.scorecard.maximum}"
    document = publish_review(review, audience, roster=people, score=score)
    if fmt in ("html", "pdf"):
        from ..core.html import page

        document = page(document, title=f"{review.title} ({audience})", version=__version__)
    if fmt == "pdf":
        from ..core.errors import UsageError
        from ..pdf import html_to_pdf

        if output is None:
            raise UsageError("--format pdf writes a file: add -o FILE.pdf")
        write_atomic(output, html_to_pdf(document))
        click.echo(f"wrote {output}", err=True)
        return
    if output is None:
        click.echo(document, nl=False)
    else:
        write_atomic(output, document)
        click.echo(f"wrote {output}", err=True)


def _load_roster_data(path: Path | None) -> Any:
    """The parsed roster file, or None when no roster was given."""
    import yaml

    from ..core.errors import PackError
    from ..files import read_bytes

    if path is None:
        return None
    try:
        return yaml.safe_load(read_bytes(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PackError(f"broken roster YAML: {exc}", path=str(path), line=line) from None


def _load_roster(path: Path | None) -> Any:
    from ..core.publish import Roster

    data = _load_roster_data(path)
    return None if path is None else Roster.from_data(data)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the site into (replaced as a whole).",
)
@_roster_option
@click.option("--title", default="Reviews", show_default=True, help="The site's title.")
def site(paths: tuple[str, ...], output: Path, roster: Path | None, title: str) -> None:
    """Write a static site of all reviews in PATHS: an index by date, kind, service and tag
    with search in the page, and each review as internal pack, shareout and customer
    version. No server and no outside links: open index.html, or put the folder on any
    internal host.

    \b
    Example:
      hotwash site reviews/ -o site/
      hotwash site 'docs/postmortems/**/*.md' -o public/reviews --title "Incident reviews"
    """
    from ..core.errors import PackError
    from ..core.gate import Gate
    from ..core.site import build_site, make_entry
    from ..files import expand_paths, read_text, write_tree

    people = _load_roster(roster)
    gate = Gate()
    entries, failures = [], []
    for path in expand_paths(paths):
        try:
            text = read_text(path)
            report = gate.check(text, path=str(path))
        except PackError as exc:
            failures.append(exc)
            continue
        assert report.review is not None
        score = f"{report.scorecard.total}/{report.scorecard.maximum}"
        entries.append(
            make_entry(report.review, text, native=report.native, score=score, roster=people)
        )
    for problem in failures:
        click.echo(f"error: {problem}", err=True)
    if failures:
        sys.exit(2)
    files = build_site(entries, version=__version__, title=title)
    write_tree(output, files)
    withheld = sum(e.withheld is not None for e in entries)
    click.echo(
        f"wrote {output}/index.html: {len(entries)} review(s), {len(files)} file(s)"
        + (f"; {withheld} customer version(s) withheld for leaks" if withheld else "")
    )


def run(args: list[str]) -> int:
    try:
        app.main(args=args, prog_name="hotwash", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


from . import intake as _intake  # noqa: E402,F401  (registers its commands)
from . import meeting as _meeting  # noqa: E402,F401
from . import timeline as _timeline  # noqa: E402,F401
