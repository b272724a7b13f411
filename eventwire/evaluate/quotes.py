"""Quotes: content spans by word overlap, and whether the speaker is right."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document
from .common import PRF, Accuracy, GoldLine, _greedy, _span_of, overlaps

QUOTE_MIN_JACCARD = 0.5   # a predicted quote matches a gold quote sharing half its words

_WORD = re.compile(r"\w+")


def tokens(text: str) -> set:
    return set(_WORD.findall(text.lower()))


def jaccard(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.I)


def speaker_right(gold_quote: dict, speaker) -> bool:
    """The gold speaker's surname or organisation name is in the predicted canonical name, or
    the predicted speaker mention overlaps ``speaker_start``/``speaker_end``."""
    if speaker is None:
        return False
    name = (getattr(speaker, "name", None) or "").lower()
    want = _LEADING_ARTICLE.sub("", (gold_quote.get("speaker") or "").strip().lower())
    if want and name:
        if want in name:
            return True
        words = _WORD.findall(want)
        if words and re.search(rf"\b{re.escape(words[-1])}\b", name):
            return True
    if gold_quote.get("speaker_start") is not None and gold_quote.get("speaker_end") is not None:
        return overlaps(_span_of(speaker), (gold_quote["speaker_start"], gold_quote["speaker_end"]))
    return False


@dataclass
class QuoteScores:
    spans: PRF = field(default_factory=PRF)
    speaker: Accuracy = field(default_factory=Accuracy)
    missed: list = field(default_factory=list)    # gold quotes without a match
    false: list = field(default_factory=list)     # predicted quotes without a match

    def add(self, o: "QuoteScores") -> None:
        self.spans.add(o.spans)
        self.speaker.add(o.speaker)


def score_quotes(gold: dict, doc: Document, line: Optional[GoldLine] = None) -> QuoteScores:
    line = line or GoldLine.of(gold, doc.text)
    golds = gold.get("quotes") or []
    preds = [q for q in doc.quotes if not line.ignored(q.content.start)]
    in_bp = [line.in_boilerplate((q.content.start, q.content.end)) for q in preds]
    def score(gi_g, pi):
        gi, g = gi_g
        if in_bp[pi]:
            return None
        s = jaccard(g.get("text", ""), preds[pi].content.text)
        return s if s >= QUOTE_MIN_JACCARD else None

    pairs = _greedy(list(enumerate(golds)), list(range(len(preds))), score)
    out = QuoteScores(PRF(tp=len(pairs), fp=len(preds) - len(pairs), fn=len(golds) - len(pairs)))
    out.missed = [g for gi, g in enumerate(golds) if gi not in {a for a, _ in pairs}]
    out.false = [q for pi, q in enumerate(preds) if pi not in {b for _, b in pairs}]
    for gi, pi in pairs:
        g = golds[gi]
        if g.get("speaker") or g.get("speaker_start") is not None:
            out.speaker.count(speaker_right(g, preds[pi].speaker))
    return out
