"""Reading the package's data files (lexicons, tables) with one kind of error for a broken file."""
from __future__ import annotations

from importlib import resources

import yaml

from .errors import KnowledgeBaseError


def data_path(*parts: str):
    """A file under ``eventwire/data/``."""
    return resources.files("eventwire").joinpath("data", *parts)


def load_yaml(*parts: str):
    """The parsed YAML file ``eventwire/data/<parts>``, or KnowledgeBaseError E401 naming it."""
    path = data_path(*parts)
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=" ".join(str(exc).split())) from None
