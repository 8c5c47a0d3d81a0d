"""Entry point of the ``hotwash`` command.

Kept tiny on purpose: ``hotwash --version`` answers without importing Click,
pydantic or the parser, because pre-commit hooks start the CLI on every commit.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"hotwash {__version__}\n")
        return 0
    from .commands import run

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
