"""Stance statements: party, stance and object in the gold sentence (GOLD_FORMAT.md, "Stances").

A predicted statement matches a gold one when their sentences overlap and the party code and the
stance are equal; optional gold statements count when matched and never as misses. Over matched
pairs, ``object_overlap`` is the share whose object span overlaps the gold object.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Document
from .common import PRF, Accuracy, GoldLine, _greedy, overlaps


@dataclass
class StanceScores:
    statements: PRF = field(default_factory=PRF)
    object: Accuracy = field(default_factory=Accuracy)
    missed: list = field(default_factory=list)    # (gold statement, its sentence span)
    false: list = field(default_factory=list)     # predicted statements without a match

    def add(self, o: "StanceScores") -> None:
        self.statements.add(o.statements)
        self.object.add(o.object)


def _same_party(gold_code: Optional[str], pred_code: Optional[str]) -> bool:
    from ..actors.kb import codes_equivalent

    return bool(gold_code and pred_code) and codes_equivalent(gold_code, pred_code)


def score_stances(gold: dict, doc: Document, line: Optional[GoldLine] = None,
                  predicted: Optional[list] = None) -> StanceScores:
    """``predicted``: statements already read from ``doc`` (else they are read here)."""
    from ..positions.statements import statements_of_document

    line = line or GoldLine.of(gold, doc.text)
    golds = gold.get("stances") or []
    if predicted is None:
        predicted = statements_of_document(doc.to_dict())
    preds = [s for s in predicted if not line.ignored(s.sentence_start)]
    sents = [line.sentence(g) for g in golds]
    objects = [line.phrase(g.get("object"), sents[i]) if sents[i] else None for i, g in enumerate(golds)]

    def score(gi, pi):
        g, p = golds[gi], preds[pi]
        if sents[gi] is None or not overlaps(sents[gi], (p.sentence_start, p.sentence_end)):
            return None
        if g.get("stance") != p.stance or not _same_party(g.get("party"), p.party):
            return None
        return int(overlaps(objects[gi], (p.object_start, p.object_end)))

    pairs = _greedy(list(range(len(golds))), list(range(len(preds))), score,
                    optional=lambda gi: bool(golds[gi].get("optional")))
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    required_missed = [gi for gi, g in enumerate(golds) if gi not in matched_g and not g.get("optional")]
    out = StanceScores(PRF(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(required_missed)))
    out.missed = [(golds[gi], sents[gi]) for gi in required_missed]
    out.false = [p for pi, p in enumerate(preds) if pi not in matched_p]
    for gi, pi in pairs:
        if objects[gi] is not None:
            out.object.count(overlaps(objects[gi], (preds[pi].object_start, preds[pi].object_end)))
    return out
