"""`hotwash publish` and `hotwash site`: one record, three audiences."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from . import _load_roster, _roster_option, app


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
