"""Versioned reference data shipped with Lianxing: categories, code mappings,
marketplaces. Read through `read_data` so it works from a wheel as well as a checkout."""

from importlib import resources


def read_data(relative_path: str) -> str:
    """The text of a data file, e.g. `read_data("mappings/amazon.toml")`."""
    return resources.files(__name__).joinpath(relative_path).read_text("utf-8")
