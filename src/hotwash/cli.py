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
        sys.stdout.write(version_line() + "\n")
        return 0
    from .commands import run

    return run(args)


def version_line() -> str:
    """``hotwash 0.1.0``, with ``(compiled)`` when the check path runs as extension modules
    built by mypyc (see setup.py): worth knowing in a bug report or a timing."""
    from importlib.machinery import EXTENSION_SUFFIXES
    from importlib.util import find_spec

    from . import __version__

    origin = getattr(find_spec("hotwash.core.gate"), "origin", None) or ""
    compiled = origin.endswith(tuple(EXTENSION_SUFFIXES))
    return f"hotwash {__version__}" + (" (compiled)" if compiled else "")


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
