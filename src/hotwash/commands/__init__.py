"""The Click commands: each builds a core object, calls one function, prints the result.

Errors from the library (PackError, UsageError) become one message on stderr
naming file, line and field, with exit status 2; nothing is written when a
command fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..cli import version_line
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
@click.version_option(__version__, "-V", "--version", message=version_line())
def app() -> None:
    """Blameless post-mortems, retrospectives and pre-mortems as Markdown packs.

    \b
    Start a review, fill it in, keep it tidy:
      hotwash new incident --title "Payments API outage"
      hotwash render 2026-03-15-payments-api-outage.md
      hotwash show 2026-03-15-payments-api-outage.md
      hotwash guide
    """


_roster_option = click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML with 'people' (full name: @handle) and 'teams' to keep out of customer versions.",
)


def _load_roster_data(path: Path | None) -> Any:
    """The parsed roster file, or None when no roster was given."""
    from ..files import read_yaml

    return None if path is None else read_yaml(path, "roster YAML")


def _load_roster(path: Path | None) -> Any:
    from ..core.publish import Roster

    data = _load_roster_data(path)
    return None if path is None else Roster.from_data(data)


def run(args: list[str]) -> int:
    try:
        app.main(args=args, prog_name="hotwash", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


from . import gate as _gate  # noqa: E402,F401  (each module registers its commands)
from . import intake as _intake  # noqa: E402,F401
from . import meeting as _meeting  # noqa: E402,F401
from . import publish as _publish  # noqa: E402,F401
from . import review as _review  # noqa: E402,F401
from . import timeline as _timeline  # noqa: E402,F401
