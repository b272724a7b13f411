"""Hand-written conflicts (``data/positions/*.yaml``, ``--issues FILE``, ``$EVENTWIRE_ISSUES``).

They are optional: they name a conflict and its parties and group objects into issues by cue
words (see ``data/positions/README.md``). Positions are found without them (``issues.py``).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable, Optional, Sequence, Union

import yaml

from ..errors import KnowledgeBaseError

ISSUES_ENV = "EVENTWIRE_ISSUES"
# Set to a path separator-joined list of folders to read conflict files from instead of the
# bundled ones (an empty value reads none): how the matrix is checked without hand-written issues.
BUNDLED_ENV = "EVENTWIRE_BUNDLED_ISSUES"


@dataclass
class Issue:
    id: str
    label: str
    pattern: re.Pattern
    order: int
    inverse: Optional[re.Pattern] = None  # names the opposite item; a stance on it turns around


@dataclass
class Party:
    name: str
    countries: frozenset


@dataclass
class Conflict:
    id: str
    label: str
    requires_countries: frozenset
    parties: list[Party]
    issues: list[Issue] = field(default_factory=list)

    def party_of(self, country: Optional[str]) -> Optional[str]:
        if not country:
            return None
        for p in self.parties:
            if country.upper() in p.countries:
                return p.name
        return None


def _alternation(cues: Iterable[str], where: str) -> re.Pattern:
    cues = [c for c in cues if isinstance(c, str) and c.strip()]
    if not cues:
        return re.compile(r"(?!x)x")  # matches nothing
    try:
        return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{c})" for c in cues) + r")(?!\w)", re.I)
    except re.error as exc:
        raise KnowledgeBaseError.e("E401", path=where, reason=f"bad cue pattern: {exc}") from None


def _read_yaml(path: Union[str, Path], text: Optional[str] = None) -> dict:
    try:
        data = yaml.safe_load(text if text is not None else Path(path).read_text("utf-8"))
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=exc.strerror or str(exc)) from None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=" ".join(str(exc).split())) from None
    if not isinstance(data, dict):
        raise KnowledgeBaseError.e("E401", path=str(path), reason="expected a mapping at the top")
    return data


def _conflict_from(data: dict, where: str, base: Optional[Conflict] = None) -> Conflict:
    cid = data.get("conflict")
    if not isinstance(cid, str) or not cid.strip():
        raise KnowledgeBaseError.e("E401", path=where, reason="'conflict' (an id) is required")
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        raise KnowledgeBaseError.e("E401", path=where, reason="'groups' must map names to cue lists")
    parties = base.parties[:] if base else []
    for p in data.get("parties") or []:
        if not isinstance(p, dict) or not p.get("name") or not p.get("countries"):
            raise KnowledgeBaseError.e("E401", path=where, reason=f"a party needs a name and countries: {p!r}")
        parties = [x for x in parties if x.name != p["name"]]
        parties.append(Party(str(p["name"]), frozenset(str(c).upper() for c in p["countries"])))
    issues = {i.id: i for i in (base.issues if base else [])}
    next_order = len(issues)
    for n, item in enumerate(data.get("issues") or []):
        if not isinstance(item, dict) or not item.get("id"):
            raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {n + 1} has no id")
        cues = list(item.get("cues") or [])
        for g in item.get("groups") or []:
            if g not in groups:
                raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {item['id']!r}: no group {g!r}")
            cues.extend(groups[g])
        if not cues:
            raise KnowledgeBaseError.e("E401", path=where, reason=f"issue {item['id']!r} has no cues")
        iid = str(item["id"])
        order = issues[iid].order if iid in issues else next_order
        next_order += iid not in issues
        inverse = item.get("inverse_cues")
        issues[iid] = Issue(iid, str(item.get("label") or iid), _alternation(cues, where), order,
                            _alternation(inverse, where) if inverse else None)
    requires = data.get("requires_countries")
    return Conflict(
        id=cid, label=str(data.get("label") or (base.label if base else cid)),
        requires_countries=frozenset(str(c).upper() for c in requires) if requires is not None
        else (base.requires_countries if base else frozenset()),
        parties=parties, issues=sorted(issues.values(), key=lambda i: i.order))


_NOT_CONFLICTS = ("stances.yaml", "terms.yaml")


def _bundled() -> list[tuple[str, str]]:
    if os.environ.get(BUNDLED_ENV) is not None:
        folders = [Path(p) for p in os.environ[BUNDLED_ENV].split(os.pathsep) if p.strip()]
        return sorted((str(f), f.read_text("utf-8")) for d in folders for f in d.glob("*.yaml")
                      if f.name not in _NOT_CONFLICTS)
    folder = resources.files("eventwire").joinpath("data/positions")
    return sorted((f"data/positions/{f.name}", f.read_text("utf-8")) for f in folder.iterdir()
                  if f.name.endswith(".yaml") and f.name not in _NOT_CONFLICTS)


def extra_paths_from_env() -> list[str]:
    value = os.environ.get(ISSUES_ENV, "")
    return [p for p in value.split(os.pathsep) if p.strip()]


def load_conflicts(extra: Sequence[Union[str, Path]] = ()) -> list[Conflict]:
    """The bundled conflicts, extended or joined by the conflicts in ``extra`` YAML files."""
    conflicts: dict[str, Conflict] = {}
    sources = [(name, _read_yaml(name, text)) for name, text in _bundled()]
    sources += [(str(p), _read_yaml(p)) for p in extra]
    for where, data in sources:
        base = conflicts.get(data.get("conflict")) if isinstance(data.get("conflict"), str) else None
        c = _conflict_from(data, where, base)
        conflicts[c.id] = c
    return list(conflicts.values())
