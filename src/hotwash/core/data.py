"""The package's own data files (hotwash/data/*.yaml): the one place the core reads them."""

from __future__ import annotations

from importlib import resources
from typing import Any


def without_timestamps(base: Any) -> Any:
    """A subclass of a PyYAML loader or dumper class that treats dates as plain strings, so
    the model validates every date itself and dates are written plain."""

    class Plain(base):  # type: ignore[misc]
        pass

    Plain.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Plain


def read_data(name: str) -> Any:
    """The parsed YAML of ``hotwash/data/NAME.yaml`` (callers cache what they build)."""
    import yaml

    text = resources.files("hotwash").joinpath(f"data/{name}.yaml").read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
