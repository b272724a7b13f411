"""PLOVER types, CAMEO codes, Goldstein weights and trigger words, read from eventwire/data/events/.

    ontology.csv     CAMEO code → PLOVER type, mode, Goldstein weight, quad class
    plover.csv       PLOVER type → default CAMEO code, quad class, what it means
    triggers.csv     lemma (+ part of speech, + a required particle) → PLOVER type, CAMEO code, mode
    status_cues.yaml cue words for status.py

Each file is read once per process (``ontology()``); a malformed file raises KnowledgeBaseError
(E401) naming the file and the row.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

from ..errors import KnowledgeBaseError
from ..model import PLOVER_TYPES

DATA = Path(__file__).resolve().parent.parent / "data" / "events"
# spaCy coarse tags folded to the trigger table's V / N / A classes.
POS_CLASS = {"VERB": "V", "AUX": "V", "NOUN": "N", "PROPN": "N", "ADJ": "A"}


@dataclass(frozen=True)
class CameoCode:
    code: str
    plover: Optional[str]
    mode: Optional[str]
    goldstein: float
    quad_class: int
    meaning: str


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str                 # V, N or A
    with_word: Optional[str]  # a child word the trigger needs ("call" + "for")
    plover: str
    cameo: str
    mode: Optional[str]


@dataclass
class Ontology:
    codes: dict[str, CameoCode]
    defaults: dict[str, str]                # PLOVER type → default CAMEO code
    meanings: dict[str, str]
    triggers: dict[tuple[str, str], list[Trigger]] = field(default_factory=dict)
    cues: dict[str, frozenset] = field(default_factory=dict)

    def code_for(self, plover: str, cameo: Optional[str] = None) -> CameoCode:
        """The CAMEO code to report for a PLOVER type: ``cameo`` when it belongs to that type,
        else the type's default code."""
        if cameo and cameo in self.codes and self.codes[cameo].plover == plover:
            return self.codes[cameo]
        return self.codes[self.defaults[plover]]

    def trigger(self, lemma: str, pos: str, child_words: frozenset = frozenset()) -> Optional[Trigger]:
        """The trigger entry for a word, preferring an entry whose required child word is there."""
        entries = self.triggers.get((lemma, POS_CLASS.get(pos, "")), [])
        with_child = [t for t in entries if t.with_word and t.with_word in child_words]
        if with_child:
            return with_child[0]
        plain = [t for t in entries if not t.with_word]
        return plain[0] if plain else None


def _rows(name: str) -> list[dict]:
    path = DATA / name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, csv.Error) as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=str(exc)) from None


def _bad(name: str, i: int, reason: str) -> KnowledgeBaseError:
    return KnowledgeBaseError.e("E401", path=f"{name} row {i + 2}", reason=reason)


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    codes: dict[str, CameoCode] = {}
    for i, r in enumerate(_rows("ontology.csv")):
        plover = r["plover"].strip() or None
        if plover and plover not in PLOVER_TYPES:
            raise _bad("ontology.csv", i, f"unknown PLOVER type {plover!r}")
        try:
            codes[r["cameo"]] = CameoCode(r["cameo"], plover, r["mode"].strip() or None,
                                          float(r["goldstein"]), int(r["quad_class"]), r["meaning"])
        except (ValueError, KeyError) as exc:
            raise _bad("ontology.csv", i, str(exc)) from None
    defaults, meanings = {}, {}
    for i, r in enumerate(_rows("plover.csv")):
        if r["plover"] not in PLOVER_TYPES or r["cameo"] not in codes:
            raise _bad("plover.csv", i, f"unknown type or code {r['plover']!r} {r['cameo']!r}")
        defaults[r["plover"]] = r["cameo"]
        meanings[r["plover"]] = r["meaning"]
    missing = set(PLOVER_TYPES) - set(defaults)
    if missing:
        raise KnowledgeBaseError.e("E401", path="plover.csv", reason=f"no row for {sorted(missing)}")
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    for i, r in enumerate(_rows("triggers.csv")):
        if r["plover"] not in PLOVER_TYPES or r["pos"] not in ("V", "N", "A"):
            raise _bad("triggers.csv", i, f"bad type or pos {r['plover']!r} {r['pos']!r}")
        if r["cameo"] not in codes:
            raise _bad("triggers.csv", i, f"CAMEO code {r['cameo']!r} not in ontology.csv")
        t = Trigger(r["lemma"], r["pos"], r["with"] or None, r["plover"], r["cameo"], r["mode"] or None)
        triggers.setdefault((t.lemma, t.pos), []).append(t)
    try:
        raw = yaml.safe_load((DATA / "status_cues.yaml").read_text("utf-8"))
        cues = {k: frozenset(str(w) for w in v) for k, v in raw.items()}
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise KnowledgeBaseError.e("E401", path="status_cues.yaml", reason=str(exc)) from None
    return Ontology(codes, defaults, meanings, triggers, cues)
