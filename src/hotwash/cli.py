"""Entry point of the ``hotwash`` command.

Kept tiny on purpose: ``hotwash --version`` answers without importing Click,
pydantic or the parser, because pre-commit hooks start the CLI on every commit.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"hotwash {__version__}\n")
        return 0
    from .commands import run

    return run(args)


def console() -> NoReturn:
    """The installed ``hotwash`` command: ``main()``, then leave at once.

    Once the output is flushed nothing is left to do, yet the interpreter would free every
    object and module one by one before exiting: about 50 ms after checking 2,000 files,
    which a pre-commit hook or CI step pays on every run. No command leaves a thread
    running or a file open, so skipping that is safe (mypy leaves the same way)."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (a closed pipe): as Python reports it at exit
        code = code or 120
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
