"""Build step: compile the core modules that `hotwash check` spends its time in with mypyc.

Everything else about the package is in pyproject.toml. The compiled modules are the same
typed Python, turned into C extension modules; they run about a fifth faster. A build stays
pure Python (the modules run as they are) when:

- it is an editable install (`pip install -e .`): an edit to a module then takes effect at
  once, with no stale compiled copy in front of it;
- HOTWASH_PURE_PYTHON=1 is set;
- there is no C compiler or no Python headers.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig

from setuptools import setup

# The modules a check runs through, in the order a document meets them. They are compiled
# together, so calls between them are direct C calls. model.py stays pure: its classes are
# pydantic models.
COMPILED = [
    "src/hotwash/core/values.py",
    "src/hotwash/core/text.py",
    "src/hotwash/core/markdown.py",
    "src/hotwash/core/layout.py",
    "src/hotwash/core/parse.py",
    "src/hotwash/core/foreign.py",
    "src/hotwash/core/checks.py",
    "src/hotwash/core/language.py",
    "src/hotwash/core/rubric.py",
    "src/hotwash/core/gate.py",
    "src/hotwash/core/report.py",
]


def _why_pure() -> str | None:
    """Why this step builds no extension modules ("" when there is nothing to say)."""
    argv = set(sys.argv[1:])
    if "editable_wheel" in argv:
        return "an editable install runs the modules as they are"
    if not {"bdist_wheel", "build_ext", "build"} & argv:
        return ""  # pip asks for metadata first: nothing is built in that step
    if os.environ.get("HOTWASH_PURE_PYTHON", "") not in ("", "0"):
        return "HOTWASH_PURE_PYTHON is set"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler}) found"
    if not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")):
        return "no Python headers (Python.h) found"
    return None


def _ext_modules() -> list[object]:
    why = _why_pure()
    if why is not None:
        if why:
            print(f"hotwash: building pure Python ({why})", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    print("hotwash: compiling the check path with mypyc", file=sys.stderr)
    # Types only guide the compiler here (the strict check is the test suite's job): a
    # library without type information is taken as Any, which is correct, only slower.
    options = [f"--config-file={os.devnull}", "--ignore-missing-imports"]
    return list(mypycify([*options, *COMPILED], opt_level="3", debug_level="0"))


setup(ext_modules=_ext_modules())
