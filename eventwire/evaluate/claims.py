"""Numeric claims: values (within a tolerance), units and direction of change."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document
from .common import PRF, Accuracy, GoldLine, _greedy

CLAIM_TOLERANCE = 0.005      # values within 0.5% are equal

def same_value(a: float, b: float) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= CLAIM_TOLERANCE * max(abs(a), abs(b))


def unit_words(unit: Optional[str]) -> set:
    words = set()
    for w in re.findall(r"[^\W\d_]+|[%$€£¥]", (unit or "").lower()):
        words.add(w[:-1] if len(w) > 1 and w.endswith("s") else w)
    return words


def units_agree(a: Optional[str], b: Optional[str]) -> bool:
    wa, wb = unit_words(a), unit_words(b)
    if not wa and not wb:
        return True
    return bool(wa & wb)


@dataclass
class ClaimScores:
    values: PRF = field(default_factory=PRF)
    value_unit: PRF = field(default_factory=PRF)
    change: Accuracy = field(default_factory=Accuracy)

    def add(self, o: "ClaimScores") -> None:
        self.values.add(o.values)
        self.value_unit.add(o.value_unit)
        self.change.add(o.change)


def score_claims(gold: dict, doc: Document, line: Optional[GoldLine] = None) -> ClaimScores:
    line = line or GoldLine.of(gold, doc.text)
    golds = [g for g in gold.get("claims") or [] if g.get("value") is not None]
    preds = [c for c in doc.claims if not line.ignored(c.span.start)]

    def score(g, p):
        if not same_value(g["value"], p.value):
            return None
        return (int(units_agree(g.get("unit"), p.unit)), int(p.change == g.get("change", "=")))

    def unit_score(g, p):
        return score(g, p) if units_agree(g.get("unit"), p.unit) else None

    def prf(pairs):
        return PRF(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(golds) - len(pairs))

    pairs = _greedy(golds, preds, score)
    out = ClaimScores(prf(pairs), prf(_greedy(golds, preds, unit_score)))
    for gi, pi in pairs:
        if golds[gi].get("change"):
            out.change.count(preds[pi].change == golds[gi]["change"])
    return out
