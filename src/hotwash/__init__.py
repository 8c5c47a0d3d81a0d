"""hotwash: blameless post-mortems, retrospectives and pre-mortems as owned, verified change.

The library API is small and lazy-loaded, so that ``hotwash --version`` stays fast:

    from hotwash import parse_pack, render_pack, Review
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["PackError", "Review", "__version__", "parse_pack", "render_pack"]

if TYPE_CHECKING:  # pragma: no cover
    from .core.errors import PackError
    from .core.model import Review
    from .core.parse import parse_pack
    from .core.render import render_pack

_LAZY = {
    "PackError": "core.errors",
    "Review": "core.model",
    "parse_pack": "core.parse",
    "render_pack": "core.render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'hotwash' has no attribute {name!r}")
