"""What every section's scoring shares: counts, gold lines located in their text, greedy matching."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

SECTIONS = ("events", "quotes", "timexes", "claims", "stances")
# Which pipeline stages each annotated section needs (in pipeline order).
STAGES_FOR = {
    "timexes": ("eventwire_timex",),
    "quotes": ("eventwire_actors", "eventwire_quotes"),
    "claims": ("eventwire_actors", "eventwire_quotes", "eventwire_claims"),
    "events": ("eventwire_timex", "eventwire_actors", "eventwire_quotes", "eventwire_events"),
    "stances": ("eventwire_timex", "eventwire_actors", "eventwire_quotes", "eventwire_events"),
}

Spn = tuple[int, int]


# -- counting --------------------------------------------------------------------------------
@dataclass
class PRF:
    """True positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "PRF") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def p(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def r(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> Optional[float]:
        if not self.tp + self.fp + self.fn:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def scores(self) -> dict:
        return {"p": _round(self.p), "r": _round(self.r), "f1": _round(self.f1)}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, other: "Accuracy") -> None:
        self.right, self.total = self.right + other.right, self.total + other.total

    def count(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> Optional[float]:
        return _round(self.right / self.total) if self.total else None


def _round(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 4)


# -- locating gold items in the text -------------------------------------------------------
def overlaps(a: Optional[Spn], b: Optional[Spn]) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _find_nth(text: str, needle: str, nth: int, lo: int = 0, hi: Optional[int] = None) -> Optional[Spn]:
    """The ``nth`` (0-based) occurrence of ``needle`` in ``text[lo:hi]``, or None."""
    if not needle:
        return None
    hi = len(text) if hi is None else hi
    pos = lo
    for _ in range(nth + 1):
        i = text.find(needle, pos, hi)
        if i < 0:
            return None
        pos = i + 1
    return (i, i + len(needle))


def _loose_pattern(phrase: str) -> re.Pattern:
    parts = [p for p in re.split(r"(\s*\.{2,}\s*|\s+)", phrase.strip()) if p]
    out = []
    for p in parts:
        if p.strip().startswith(".."):
            out.append(r"\W.{0,80}?\W")
        elif not p.strip():
            out.append(r"\s+")
        else:
            out.append(re.escape(p))
    return re.compile("".join(out), re.S)


@dataclass
class GoldLine:
    """One gold article with every gold item located in its text."""

    raw: dict
    text: str
    sentence_spans: dict = field(default_factory=dict)   # sentence string → span
    boilerplate_spans: list = field(default_factory=list)
    missing: list = field(default_factory=list)          # gold strings that could not be found
    annotated_chars: Optional[int] = None
    exhaustive: bool = True

    @classmethod
    def of(cls, raw: dict, text: Optional[str] = None) -> "GoldLine":
        text = raw.get("text", "") if text is None else text
        line = cls(raw=raw, text=text, annotated_chars=raw.get("annotated_chars"),
                   exhaustive=raw.get("exhaustive", True) is not False)
        for bp in raw.get("boilerplate") or []:
            bp = bp.strip()
            i = text.find(bp) if bp else -1
            while i >= 0:
                line.boilerplate_spans.append((i, i + len(bp)))
                i = text.find(bp, i + 1)
        return line

    def sentence(self, item: dict) -> Optional[Spn]:
        """The span of the item's sentence (offsets first, then substring search), or None."""
        if "start" in item and "end" in item and item.get("start") is not None:
            return (int(item["start"]), int(item["end"]))
        s = item.get("sentence")
        if not s:
            return None
        if s not in self.sentence_spans:
            span = _find_nth(self.text, s, 0)
            if span is None:
                self.missing.append(s)
            self.sentence_spans[s] = span
        return self.sentence_spans[s]

    def phrase(self, phrase: Optional[str], within: Optional[Spn], nth: int = 0) -> Optional[Spn]:
        """Where ``phrase`` is written: inside ``within`` when it is there, else anywhere.

        Converted sets write some actors loosely ("U.S. ... negotiators", doubled spaces); when the
        exact string is absent, whitespace runs match any whitespace and an ellipsis any short gap.
        A phrase found nowhere (placeholders such as "a recipient") is recorded in ``missing``.
        """
        if not phrase:
            return None
        for lo, hi in ([within] if within is not None else []) + [(0, len(self.text))]:
            span = _find_nth(self.text, phrase, nth, lo, hi)
            if span is not None:
                return span
        loose = _loose_pattern(phrase)
        for lo, hi in ([within] if within is not None else []) + [(0, len(self.text))]:
            found = [m.span() for m in loose.finditer(self.text, lo, hi)]
            if len(found) > nth:
                return found[nth]
        self.missing.append(phrase)
        return None

    def ignored(self, start: int) -> bool:
        return self.annotated_chars is not None and start >= self.annotated_chars

    def in_boilerplate(self, span: Optional[Spn]) -> bool:
        return any(overlaps(span, b) for b in self.boilerplate_spans)


def _greedy(golds: list, preds: list, score: Callable, optional: Callable = lambda g: False
            ) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index): best pair first, required gold first.

    ``score(g, p)`` is None for pairs that cannot match, else a sortable quality (higher is better).
    """
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            s = score(g, p)
            if s is not None:
                cands.append((bool(optional(g)), s, gi, pi))
    # required (False) before optional (True); within each, the highest score first; ties by order
    cands.sort(key=lambda c: (c[0], _neg(c[1]), c[2], c[3]))
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _neg(score):
    return tuple(-x for x in score) if isinstance(score, tuple) else -score


def _span_of(ref) -> Optional[Spn]:
    m = getattr(ref, "mention", None) if ref is not None else None
    return (m.start, m.end) if m is not None else None
