"""``hotwash show``: a review printed for the terminal with Rich."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from .core.model import Review
from .core.render import render_pack


def key_durations(review: Review) -> list[tuple[str, str]]:
    """Time to detect / acknowledge / mitigate / resolve, as defined in data/moments.yaml."""
    from .core.moments import duration, measure

    return [
        (m.name, duration(d.total_seconds()) if d >= timedelta(0) else "out of order")
        for m, d in measure(review.key_timestamps)
        if d is not None
    ]


def show(review: Review, console: Any) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.table import Table

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("kind", review.kind.value)
    facts.add_row("status", review.status.value)
    if review.review_date:
        facts.add_row("review date", review.review_date.isoformat())
    for label, value in key_durations(review):
        facts.add_row(label, value)
    from rich.markup import escape

    title = f"[bold]{escape(review.title)}[/bold]"
    console.print(Panel(facts, title=title, subtitle=escape(review.id)))
    body = render_pack(review).split("\n---\n", 1)[1]
    console.print(Markdown(re.sub(r"^\s*# .*\n", "", body, count=1)))


_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_report(report: Any, console: Any, *, explain: bool) -> None:
    """One file's verdict, score and findings, as `hotwash check` prints them."""
    from rich.markup import escape
    from rich.table import Table

    card = report.scorecard
    verdict = "[green]pass[/green]" if report.passed else "[bold red]FAIL[/bold red]"
    fmt = "" if report.native else " [dim](foreign format, mapped)[/dim]"
    console.print(
        f"{verdict} [bold]{escape(report.path)}[/bold]{fmt}  "
        f"score {card.total}/{card.maximum}: {escape(card.band_label)}"
    )
    for reason in report.reasons:
        console.print(f"     [dim]gate: {escape(reason)}[/dim]")
    for f in report.findings:
        where = f"line {f.line}" if f.line else "-"
        section = f" [dim]{escape(f.section)}[/dim]" if f.section else ""
        console.print(
            f"  {where:>9}  [{_STYLE[f.severity]}]{f.severity:<7}[/{_STYLE[f.severity]}] "
            f"{f.rule}{section}: {escape(f.message)}"
        )
        if explain:
            console.print(f"             [dim]{escape(f.hint)}[/dim]")
    if explain:
        table = Table(title="Rubric", show_edge=False)
        table.add_column("dimension")
        table.add_column("score", justify="right")
        table.add_column("behind it")
        for d in card.dimensions:
            table.add_row(
                d.title, f"{d.score}/2", ", ".join(sorted({f.rule for f in d.findings})) or "-"
            )
        console.print(table)
        console.print(f"  [dim]{escape(card.band_meaning)}[/dim]")
        _print_checklists(report, console)
    console.print()


_MARK = {"fails": "[red]✗[/red]", "passes": "[green]✓[/green]", "manual": "[dim]·[/dim]"}


def _print_checklists(report: Any, console: Any) -> None:
    from rich.markup import escape

    from .core.rubric import checklist_views

    for view in checklist_views(report.findings, report.kind, report.profile):
        console.print(f"  [bold]{escape(view.title)}[/bold]")
        for item in view.items:
            rules = f" [dim]({', '.join(item.rules)})[/dim]" if item.status == "fails" else ""
            console.print(f"    {_MARK[item.status]} {escape(item.text)}{rules}")
    console.print(
        "  [dim]✓ checked and met  ✗ a finding says otherwise  · for people to "
        "tick: no rule can see it[/dim]"
    )


def print_summary(verdicts: list[bool], failures: list[Any], console: Any) -> None:
    from rich.markup import escape

    for _path, error in failures:
        console.print(f"[bold red]unreadable[/bold red] {escape(str(error))}")
    passed = sum(verdicts)
    console.print(
        f"{len(verdicts) + len(failures)} file(s): {passed} passed, "
        f"{len(verdicts) - passed} failed the gate, {len(failures)} unreadable"
    )


def print_timeline(review: Review, console: Any) -> None:
    """`hotwash timeline show`: the timeline with key moments, then durations and gaps."""
    from rich.markup import escape
    from rich.table import Table

    from .core.evidence import Event
    from .core.moments import classify, duration, gaps, measure

    table = Table(title=f"{escape(review.title)}: timeline (UTC)", show_lines=False)
    table.add_column("time", no_wrap=True)
    table.add_column("moment", no_wrap=True)
    table.add_column("actor", overflow="fold", max_width=18)
    table.add_column("what happened", overflow="fold", ratio=3)
    table.add_column("source", overflow="fold", ratio=1)
    for entry in review.timeline:
        moment = classify(Event(entry.at, entry.text, entry.source or ""))
        table.add_row(
            f"{entry.at:%Y-%m-%d %H:%M}",
            moment or "",
            escape(entry.actor or ""),
            escape(entry.text)
            if entry.kind.value == "fact"
            else f"[italic](hypothesis)[/] {escape(entry.text)}",
            escape(entry.source or ""),
        )
    console.print(table)
    keys = review.key_timestamps
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for name in ("started", "detected", "acknowledged", "mitigated", "resolved"):
        at = getattr(keys, name)
        facts.add_row(name, f"{at:%Y-%m-%d %H:%M} UTC" if at else "[dim]not known[/]")
    for metric, value in measure(keys):
        if value is None:
            shown = "[dim]needs both timestamps[/]"
        elif value.total_seconds() < 0:
            shown = "[red]out of order[/]"
        else:
            shown = duration(value.total_seconds())
        facts.add_row(metric.name, f"{shown}  [dim]{metric.definition}[/]")
    console.print(facts)
    found = gaps(keys)
    if found:
        console.print("\n[bold]Gaps[/] (candidate factors; see section 3 of the pack)")
        for gap in found:
            console.print(f"  - {escape(gap.factor)}")
