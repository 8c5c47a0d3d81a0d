"""`hotwash timeline import` and `hotwash timeline show`: evidence into one UTC timeline."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from . import _console, _roster_option, app


@app.group()
def timeline() -> None:
    """Build the review's timeline from exported evidence, and show it with its gaps.

    \b
    Example:
      hotwash timeline import slack-export.zip pagerduty-log.json --into outage.md \\
          --channel incident-42 --roster roster.yaml
      hotwash timeline show outage.md
    """


def _zone(name: str | None) -> Any:
    if name is None:
        return None
    from ..core.meeting import zone_named

    return zone_named(name)


def _instant(value: str | None, option: str, tz: Any, tz_name: str | None) -> datetime | None:
    from ..core.errors import UsageError
    from ..core.evidence import localize

    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: '{value}' is not a time like 2026-03-15T14:00Z") from None
    if at.tzinfo is None:
        if tz is None:
            raise UsageError(f"{option}: '{value}' has no time zone; add Z or an offset, or --tz")
        return localize(at, tz, tz_name, where=option)
    return at.astimezone(UTC)


def _events(sources: list[tuple[Any, Any]], options: Any, progress: Any) -> Iterator[Any]:
    for archive, importer in sources:
        task = progress.add_task(archive.label, total=None) if progress else None
        for n, event in enumerate(importer.read(archive, options), 1):
            if progress and n % 2000 == 0:
                progress.update(task, completed=n, description=f"{archive.label}: {n:,} events")
            yield event
        if progress:
            progress.update(task, description=f"{archive.label}: done")


@timeline.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    "pack",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The pack whose timeline receives the events (written atomically).",
)
@click.option(
    "--as",
    "kind",
    default=None,
    help="What the sources are (slack, pagerduty, opsgenie, alertmanager, grafana, github, "
    "csv, text); guessed when left out.",
)
@click.option("--channel", "channels", multiple=True, help="Slack channel to keep (repeat).")
@click.option("--since", default=None, help="Keep events at or after this time (ISO 8601).")
@click.option("--until", default=None, help="Keep events at or before this time (ISO 8601).")
@click.option("--tz", "tz_name", default=None, help="Zone for times that state none.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date for time-only lines (plain-text notes).",
)
@_roster_option
@click.option(
    "--no-anonymize",
    is_flag=True,
    help="Keep names, ids and contact details as they are (the pack is then not fit to share).",
)
@click.option(
    "--moments",
    "moments_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Your own key-moment rules (same shape as `hotwash guide moments`).",
)
@click.option("--key-only", is_flag=True, help="Add only events that mark a key moment.")
def import_(
    sources: tuple[Path, ...],
    pack: Path,
    kind: str | None,
    channels: tuple[str, ...],
    since: str | None,
    until: str | None,
    tz_name: str | None,
    day: datetime | None,
    roster: Path | None,
    no_anonymize: bool,
    moments_file: Path | None,
    key_only: bool,
) -> None:
    """Import evidence from SOURCES into the timeline of a pack.

    SOURCES are Slack exports (zip or folder), PagerDuty, Opsgenie, Alertmanager, Grafana or
    GitHub JSON, CSV timelines or plain-text notes. Events are converted to UTC, merged,
    de-duplicated and sorted; people become handles from the roster (others get stable
    pseudonyms), and e-mail addresses, phone numbers, IPs and secrets are redacted. Empty key
    timestamps are filled from the evidence, and long detection or response gaps become
    candidate factors and actions.

    \b
    Example:
      hotwash timeline import export.zip --channel inc-billing --into outage.md --roster roster.yaml
      hotwash timeline import notes.txt --date 2026-03-15 --tz Europe/Berlin --into outage.md
    """
    from ..archives import open_archive
    from ..core.evidence import ImportOptions, merge
    from ..core.parse import parse_pack
    from ..core.render import render_pack
    from ..core.timeline import merge_into
    from ..files import read_text, write_atomic

    text = read_text(pack)  # read once: parsed here, searched for pseudonyms below
    review = parse_pack(text, path=str(pack))
    tz = _zone(tz_name)
    options = ImportOptions(
        channels=frozenset(c.lstrip("#") for c in channels),
        since=_instant(since, "--since", tz, tz_name),
        until=_instant(until, "--until", tz, tz_name),
        tz=tz,
        tz_name=tz_name,
        day=day.date() if day else None,
    )
    rules = _moment_rules(moments_file)
    from ..core import importers

    picked = [(a, importers.pick(a, kind)) for a in map(open_archive, sources)]
    anonymizer = None if no_anonymize else _anonymizer(roster, picked, _next_pseudonym(text))
    err = _console(stderr=True)
    with _progress(err) as progress:
        stream: Any = _events(picked, options, progress)
        if anonymizer is not None:
            stream = anonymizer.stream(stream)
        merged = merge([stream])
    result = merge_into(review, merged, rules=rules, key_only=key_only)
    write_atomic(pack, render_pack(result.review))
    _report(result, merged, pack, anonymizer)


def _progress(console: Any) -> Any:
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _moment_rules(path: Path | None) -> Any:
    if path is None:
        return None
    from ..core.moments import merged_rules
    from ..files import read_yaml

    return merged_rules(read_yaml(path, "YAML"), where=str(path))


def _next_pseudonym(text: str) -> int:
    """One more than the highest ``@person-N`` the pack's text already holds."""
    import re

    found = [int(n) for n in re.findall(r"@person-(\d+)\b", text)]
    return max(found, default=0) + 1


def _anonymizer(roster: Path | None, picked: list[tuple[Any, Any]], first: int) -> Any:
    """The anonymizer: the roster's people first, then everyone a source lists (a Slack
    export's users), so people the roster misses still get one pseudonym each."""
    from ..core.anonymize import Anonymizer, PeopleRoster
    from . import _load_roster_data

    directory = []
    for archive, importer in picked:
        people = getattr(importer, "people", None)
        if people is not None:
            directory.extend(people(archive))
    where = str(roster) if roster else None
    return Anonymizer(
        PeopleRoster.from_data(_load_roster_data(roster), path=where),
        directory=directory,
        first_pseudonym=first,
    )


def _report(result: Any, merged: Any, pack: Path, anonymizer: Any) -> None:
    click.echo(
        f"wrote {pack}: {result.added} event(s) added, {result.already} already there, "
        f"{merged.duplicates} duplicate(s) across sources dropped"
    )
    if merged.assumed_zone:
        click.echo(f"  {merged.assumed_zone} event(s) had no time zone; --tz was assumed")
    for name, at in result.filled.items():
        click.echo(f"  key timestamp {name}: {at:%Y-%m-%d %H:%M} UTC (from the evidence)")
    if anonymizer is not None:
        click.echo(f"  anonymized: {anonymizer.summary()}")
    shown: dict[str, int] = {}
    for finding in result.findings:
        shown[finding.code] = shown.get(finding.code, 0) + 1
        if shown[finding.code] <= 5:
            where = f"{finding.where}: " if finding.where else ""
            click.echo(f"  check: {where}{finding.message}")
    for code, count in shown.items():
        if count > 5:
            click.echo(f"  ... and {count - 5} more like that ({code})")


@timeline.command(name="show")
@click.argument("pack", type=click.Path(dir_okay=False, path_type=Path))
def show_(pack: Path) -> None:
    """Show a pack's timeline with the key moments, the durations and the gaps.

    \b
    Example:
      hotwash timeline show outage.md
    """
    from ..files import read_pack
    from ..show import print_timeline

    print_timeline(read_pack(pack), _console())
