"""`hotwash intake` and `hotwash next`: from a request to a draft pack, and where it stands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import KINDS, _console, app


def refuse_if_guarded(review: Any, extra: dict[str, str] | None = None) -> None:
    """Raise ``Refused`` when a guard says the method must not run on this review."""
    from datetime import UTC, datetime

    from ..core.errors import Refused
    from ..core.guards import check_request, check_review

    today = datetime.now(UTC).date()
    refusal = check_review(review, today=today)
    if refusal is None and extra:
        refusal = check_request(extra, kind=review.kind.value, today=today)
    if refusal is not None:
        raise Refused(refusal.reason, refusal.way_forward)


def _load_answers(source: str) -> dict[str, Any]:
    from ..core.errors import PackError
    from ..files import read_yaml

    data = read_yaml(source, "YAML or JSON", plain_dates=True)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        where = "<stdin>" if source == "-" else source
        raise PackError("expected a mapping of question id to answer", path=where)
    return {str(k): v for k, v in data.items()}


@app.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Kind of a new review, when FILE does not exist yet (asked in a terminal).",
)
@click.option("--title", "-t", default=None, help="Title of a new review (asked in a terminal).")
@click.option(
    "--answers",
    "answers",
    metavar="FILE",
    default=None,
    help="Answers as YAML or JSON (question id: answer); '-' reads standard input.",
)
def intake(file: Path | None, kind: str | None, title: str | None, answers: str | None) -> None:
    """Fill in the review in FILE by answering questions, at most five at a time.

    In a terminal it asks round by round and saves FILE after every round, so you can stop
    (type stop, or press Ctrl-D) and carry on later. With --answers it applies a whole file
    of answers at once. Anything left unanswered is written into the pack as a labeled
    assumption or unknown. Answers holding e-mail addresses, phone numbers or secrets are
    refused. An incident that is not yet stable is not reviewed (exit status 3).

    Without FILE, or when FILE does not exist, a new review is started: its kind and title
    come from --kind and --title, or are asked first.

    \b
    Example:
      hotwash new incident --title "Payments API outage" -o outage.md
      hotwash intake outage.md
      hotwash intake outage.md --answers answers.yaml
      hotwash intake --kind retro --title "Sprint 42"
    """
    from ..core import intake as core_intake
    from ..core.reference import guidance
    from ..core.render import render_pack
    from ..files import read_pack, write_atomic

    interactive = answers is None
    if interactive and not sys.stdin.isatty():
        raise click.UsageError("standard input is not a terminal; pass --answers FILE (or -)")
    if file is None or not file.exists():
        review = _start(kind, title, interactive)
        file = file or Path(f"{review.id}.md")
        if file.exists():
            raise click.UsageError(f"{file} already exists; pass it as FILE to carry on with it")
        if interactive:  # a terminal session saves as it goes; --answers writes once, at the end
            text = render_pack(review, guidance=guidance(review.kind.value))
            write_atomic(file, text, overwrite=False)
            click.echo(f"started {file}")
    else:
        review = read_pack(file)
    path = file

    def save(r: Any) -> None:
        write_atomic(path, render_pack(r, guidance=guidance(r.kind.value)))

    if answers is not None:
        done = core_intake.apply_all(review, _load_answers(answers))
        refuse_if_guarded(done)
        save(done)
        _summary(done, file)
        return
    from ..interview import Interview

    refuse_if_guarded(review)
    done = Interview(review, console=_console(), save=save, guard=refuse_if_guarded).run()
    _summary(done, file)


def _start(kind: str | None, title: str | None, interactive: bool) -> Any:
    """A new skeleton review from --kind and --title, asking for what is missing."""
    from datetime import UTC, datetime

    from ..core.reference import skeleton

    if kind is None or title is None:
        if not interactive:
            raise click.UsageError("a new review needs --kind and --title")
        from rich.prompt import Prompt

        console = _console()
        if kind is None:
            kind = Prompt.ask("What kind of review", choices=KINDS, console=console)
        while not title:
            title = Prompt.ask("What is being reviewed, in a few words", console=console).strip()
    review = skeleton(kind, title, on=datetime.now(UTC).date())
    refuse_if_guarded(review, {"title": title})
    return review


def _summary(review: Any, file: Path) -> None:
    click.echo(
        f"wrote {file}: {len(review.assumptions)} assumption(s) and "
        f"{len(review.unknowns)} unknown(s) listed; next: hotwash next {file}"
    )


@app.command(name="next")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def next_(file: Path) -> None:
    """Show where the review in FILE stands in the seven steps, and the next questions.

    \b
    Example:
      hotwash next outage.md
    """
    from rich.markup import escape

    from ..core.intake import next_questions, progress
    from ..files import read_pack

    review = read_pack(file)
    con = _console()
    for step in progress(review):
        if step.done:
            con.print(f"[green]done[/]  {step.number}. {escape(step.title)}")
        else:
            con.print(f"[yellow]open[/]  {step.number}. {escape(step.title)}")
            for q in step.missing:
                con.print(f"        - {escape(q.text)} [dim]({q.id})[/]")
    upcoming = next_questions(review)
    if upcoming:
        con.print(f"\n[bold]Next questions[/] (answer with: hotwash intake {file})")
        for n, q in enumerate(upcoming, 1):
            con.print(f"  {n}. {escape(q.text)}")
    else:
        con.print(f"\nEvery intake question is answered; run: hotwash check {file}")
