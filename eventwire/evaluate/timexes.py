"""Time expressions: spans that overlap, and their normalised values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Document
from .common import PRF, Accuracy, GoldLine, Spn, _greedy, overlaps


def norm_timex_value(value) -> Optional[str]:
    return None if value is None else str(value).replace("T00:00:00", "").replace("T00:00", "")


def _timex_places(line: GoldLine, g: dict) -> list[Spn]:
    if g.get("start") is not None and g.get("end") is not None:
        return [(int(g["start"]), int(g["end"]))]
    text = g.get("text") or ""
    lo, hi = 0, len(line.text)
    if g.get("sentence"):
        sent = line.sentence({"sentence": g["sentence"]})
        if sent is None:
            return []
        lo, hi = sent
    places, i = [], line.text.find(text, lo, hi) if text else -1
    while i >= 0:
        places.append((i, i + len(text)))
        i = line.text.find(text, i + 1, hi)
    if not places:
        line.missing.append(text)
    return places


@dataclass
class TimexScores:
    spans: PRF = field(default_factory=PRF)
    value: Accuracy = field(default_factory=Accuracy)
    missed: list = field(default_factory=list)    # gold timexes without a match
    false: list = field(default_factory=list)     # predicted timexes without a match
    wrong: list = field(default_factory=list)     # (gold, predicted) matched with another value

    def add(self, o: "TimexScores") -> None:
        self.spans.add(o.spans)
        self.value.add(o.value)


def score_timexes(gold: dict, doc: Document, line: Optional[GoldLine] = None) -> TimexScores:
    line = line or GoldLine.of(gold, doc.text)
    golds = gold.get("timexes") or []
    # where each gold timex may be: its offsets, else every occurrence of its text in its sentence
    # (anywhere in the text when no sentence is given)
    spans = [_timex_places(line, g) for g in golds]
    preds = [t for t in doc.timexes if not line.ignored(t.start)]

    def score(gi, pi):
        t = preds[pi]
        ps = (t.start, t.end)
        hits = [sp for sp in spans[gi] if overlaps(ps, sp)]
        if line.in_boilerplate(ps) or not hits:
            return None
        common = max(min(ps[1], sp[1]) - max(ps[0], sp[0]) for sp in hits)
        return (int(norm_timex_value(t.value) == norm_timex_value(golds[gi].get("value"))), common)

    pairs = _greedy(list(range(len(golds))), list(range(len(preds))), score)
    out = TimexScores(PRF(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(golds) - len(pairs)))
    out.missed = [g for gi, g in enumerate(golds) if gi not in {a for a, _ in pairs}]
    out.false = [t for pi, t in enumerate(preds) if pi not in {b for _, b in pairs}]
    for gi, pi in pairs:
        if golds[gi].get("value") is not None:
            ok = norm_timex_value(preds[pi].value) == norm_timex_value(golds[gi]["value"])
            out.value.count(ok)
            if not ok:
                out.wrong.append((golds[gi], preds[pi]))
    return out
