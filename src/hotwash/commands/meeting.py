"""`hotwash brief`, `hotwash agenda` and `hotwash invite`: what the facilitator sends out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from . import app

_OUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from ..files import write_atomic

    write_atomic(output, text)
    click.echo(f"wrote {output}")


@app.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_OUT
def brief(file: Path, output: Path | None) -> None:
    """Print the one-page brief for the review in FILE: goal, roles, attendees, audience,
    constraints, ground rules, pre-reads and agenda. What is not decided yet is listed.

    \b
    Example:
      hotwash brief outage.md -o outage-brief.md
    """
    from ..core.meeting import brief_markdown
    from ..files import read_pack

    _emit(brief_markdown(read_pack(file)), output)


@app.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--minutes",
    type=click.IntRange(5, 480),
    default=None,
    help="Fit the time boxes to this many minutes in all.",
)
@_OUT
def agenda(file: Path, minutes: int | None, output: Path | None) -> None:
    """Print the meeting agenda with time boxes that fit the review's kind (and retro
    format): the pack's own agenda, or the default one.

    \b
    Example:
      hotwash agenda outage.md --minutes 60
    """
    from ..core.meeting import agenda_markdown
    from ..files import read_pack

    _emit(agenda_markdown(read_pack(file), minutes), output)


@app.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--ics",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The calendar file to write (RFC 5545).",
)
@click.option(
    "--start",
    default=None,
    help="Meeting start, local to --tz: 'YYYY-MM-DD HH:MM' (default: review date, 15:00).",
)
@click.option("--tz", "tz_name", default="UTC", show_default=True, help="IANA time zone name.")
@click.option(
    "--duration", type=click.IntRange(5, 480), default=None, help="Minutes (default: agenda)."
)
@click.option(
    "--pre-read-hours",
    type=click.IntRange(24, 48),
    default=24,
    show_default=True,
    help="How long before the meeting the pre-reads are due.",
)
@click.option(
    "--follow-up",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date of the follow-up review (default: recurring review or earliest action follow-up).",
)
@click.option("--organizer", default=None, help="Organizer's e-mail address, or a handle.")
@click.option("--location", default=None, help="Room or call link.")
@click.option("--sequence", type=click.IntRange(0), default=0, help="Raise when re-sending.")
def invite(
    file: Path,
    output: Path,
    start: str | None,
    tz_name: str,
    duration: int | None,
    pre_read_hours: int,
    follow_up: datetime | None,
    organizer: str | None,
    location: str | None,
    sequence: int,
) -> None:
    """Write a calendar file for the review meeting, the pre-read deadline before it and the
    follow-up review. Times are written in UTC; import the file into any calendar.

    \b
    Example:
      hotwash invite outage.md --ics outage.ics --start "2026-03-19 15:00" --tz Europe/Berlin
    """
    from ..core.errors import UsageError
    from ..core.meeting import calendar, default_start, zone_named
    from ..files import read_pack, write_atomic

    review = read_pack(file)
    zone = zone_named(tz_name)
    if start is not None:
        try:
            naive = datetime.strptime(start, "%Y-%m-%d %H:%M")
        except ValueError:
            raise UsageError(f"--start: '{start}' is not like 2026-03-19 15:00") from None
        from ..core.evidence import localize

        begin = localize(naive, zone, tz_name, where="--start").astimezone(zone)
    else:
        found = default_start(review, zone)
        if found is None:
            raise UsageError("the review has no review_date yet; pass --start 'YYYY-MM-DD HH:MM'")
        begin = found
    data = calendar(
        review,
        start=begin,
        duration=timedelta(minutes=duration) if duration else None,
        now=datetime.now(UTC),
        organizer=organizer,
        tz_name=tz_name,
        location=location,
        pre_read_hours=pre_read_hours,
        follow_up=follow_up.date() if follow_up else None,
        sequence=sequence,
    )
    write_atomic(output, data)
    click.echo(f"wrote {output}: meeting {begin:%Y-%m-%d %H:%M} {tz_name}")
