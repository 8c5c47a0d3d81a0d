"""`hotwash new`, `render`, `show` and `guide`: start, tidy and read a review."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from . import FORMATS, KINDS, _console, app


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
