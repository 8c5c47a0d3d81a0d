"""The package's own data files (hotwash/data/*.yaml): the one place the core reads them."""

from __future__ import annotations

from importlib import resources
from typing import Any


def read_data(name: str) -> Any:
    """The parsed YAML of ``hotwash/data/NAME.yaml`` (callers cache what they build)."""
    import yaml

    text = resources.files("hotwash").joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
