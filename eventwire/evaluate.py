"""``eventwire evaluate GOLD.jsonl``: score the pipeline against a gold set (``GOLD_FORMAT.md``).

The scoring functions are pure: a gold line (a dict as read from the JSONL) and the predicted
``Document`` in, counts out. ``evaluate_lines`` runs the pipeline and adds the counts up; the
command prints them as a table or, with ``--json``, as one object whose keys are a contract
other tools read::

    {"articles": n,
     "events": {"type": {"p","r","f1"}, "full": {...}, "span": {...}, "status_accuracy", "date_accuracy"},
     "quotes": {"p","r","f1","speaker_accuracy"}, "timexes": {"p","r","f1","value_accuracy"},
     "claims": {"p","r","f1","value_unit_f1","change_accuracy"}, "body": {"p","r","f1"},
     "boilerplate": {"leaked_lines"}}

A section appears only when some gold line annotates it. A figure with nothing to count is null.

Matching, as GOLD_FORMAT.md fixes it: a prediction belongs to a gold sentence when their spans
overlap; each gold item matches at most one prediction, greedily, best pair first, required gold
before optional gold. Predictions that start at or after ``annotated_chars`` are ignored;
events, quotes and timexes inside a listed boilerplate line are false positives.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .errors import GoldError, InputError
from .model import Document, Event

SECTIONS = ("events", "quotes", "timexes", "claims")
# Which pipeline stages each annotated section needs (in pipeline order).
STAGES_FOR = {
    "timexes": ("eventwire_timex",),
    "quotes": ("eventwire_actors", "eventwire_quotes"),
    "claims": ("eventwire_actors", "eventwire_quotes", "eventwire_claims"),
    "events": ("eventwire_timex", "eventwire_actors", "eventwire_quotes", "eventwire_events"),
}
CLAIM_TOLERANCE = 0.005      # values within 0.5% are equal
QUOTE_MIN_JACCARD = 0.5

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


# -- events --------------------------------------------------------------------------------
@dataclass
class EventScores:
    type: PRF = field(default_factory=PRF)
    full: PRF = field(default_factory=PRF)
    span: PRF = field(default_factory=PRF)
    status: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    missed: list = field(default_factory=list)   # gold events without a match (type scoring)
    false: list = field(default_factory=list)    # predicted events counted as false positives

    def add(self, o: "EventScores") -> None:
        for k in ("type", "full", "span", "status", "date"):
            getattr(self, k).add(getattr(o, k))
        self.missed += o.missed
        self.false += o.false


@dataclass
class _GoldEvent:
    raw: dict
    sentence: Optional[Spn]
    source_span: Optional[Spn]
    target_span: Optional[Spn]

    @property
    def optional(self) -> bool:
        return bool(self.raw.get("optional"))

    def types(self) -> set:
        return {self.raw.get("type", "").upper(), *(t.upper() for t in self.raw.get("type_any") or [])}


def _span_of(ref) -> Optional[Spn]:
    m = getattr(ref, "mention", None) if ref is not None else None
    return (m.start, m.end) if m is not None else None


def _country(ref) -> Optional[str]:
    return getattr(ref, "country", None) if ref is not None else None


def _event_span(e: Event) -> Spn:
    s = e.sentence or e.trigger
    return (s.start, s.end)


def _trigger_span(e: Event) -> Spn:
    s = e.trigger or e.sentence
    return (s.start, s.end)


def _directions(g: _GoldEvent, p: Event):
    """The (gold side, predicted ref) pairings allowed: as written, and swapped when undirected."""
    yield (p.source, p.target)
    if g.raw.get("undirected") or p.undirected:
        yield (p.target, p.source)


def _codes_match(g: _GoldEvent, p: Event) -> bool:
    # Converted legacy sets (the PLOVER GSR) write old CAMEO codes (JAP, ITL) and the catch-all
    # IGO for any intergovernmental body; the equivalence table is data (actors/code_equivalents.csv).
    from .actors.kb import codes_equivalent

    gs, gt = g.raw.get("source"), g.raw.get("target")
    for src, tgt in _directions(g, p):
        if codes_equivalent(gs, _country(src)) and codes_equivalent(gt, _country(tgt)):
            return True
    return False


def _mentions_match(g: _GoldEvent, p: Event) -> bool:
    """Predicted mentions overlap the gold ``source_text``/``target_text`` (where given)."""
    for src, tgt in _directions(g, p):
        # a side the gold does not give, or gives as a phrase not in the text, is not checked
        ok_s = g.source_span is None or overlaps(_span_of(src), g.source_span)
        ok_t = g.target_span is None or overlaps(_span_of(tgt), g.target_span)
        if ok_s and ok_t:
            return True
    return False


def _touches_pair(g: _GoldEvent, p: Event) -> bool:
    """For ``exhaustive: false``: do the prediction's source and target mentions overlap this
    gold pair (in either order — the gold annotates the pair, the direction is being scored)?"""
    s, t = _span_of(p.source), _span_of(p.target)
    gs, gt = g.source_span, g.target_span
    if gs is None and gt is None:
        return overlaps(_event_span(p), g.sentence)

    def side(pred, gold):
        return gold is None or overlaps(pred, gold)

    return (side(s, gs) and side(t, gt)) or (side(t, gs) and side(s, gt))


def _norm_date(value) -> Optional[str]:
    if value is None:
        return None
    v = str(value)
    for tail in ("T00:00:00", "T00:00"):
        if v.endswith(tail):
            v = v[: -len(tail)]
    return v


def score_events(gold: dict, doc: Document, line: Optional[GoldLine] = None) -> EventScores:
    """Event scores of one article (see GOLD_FORMAT.md, "Events")."""
    line = line or GoldLine.of(gold, doc.text)
    out = EventScores()
    golds = []
    for g in gold.get("events") or []:
        sent = line.sentence(g)
        golds.append(_GoldEvent(g, sent, line.phrase(g.get("source_text"), sent),
                                line.phrase(g.get("target_text"), sent)))
    preds = [e for e in doc.events if not line.ignored(_trigger_span(e)[0])]
    in_bp = [line.in_boilerplate(_trigger_span(e)) for e in preds]

    def base(g: _GoldEvent, pi: int) -> bool:
        p = preds[pi]
        return (not in_bp[pi] and p.type.upper() in g.types()
                and overlaps(_event_span(p), g.sentence))

    def quality(g: _GoldEvent, pi: int) -> tuple:
        p = preds[pi]
        return (int(overlaps(_trigger_span(p), g.sentence)),
                int("source" in g.raw and _codes_match(g, p)),
                int(_mentions_match(g, p)),
                int(p.status == g.raw.get("status")),
                int(_norm_date(p.date) == _norm_date(g.raw.get("date"))))

    def counts(eligible, extra) -> tuple[PRF, list]:
        """Match eligible gold with ``extra(g, p)`` on top of type + sentence; count P/R/F1."""
        gs = [g for g in golds if eligible(g)]
        if not gs and golds:
            return PRF(), [], gs, []   # this line gives nothing this scoring can be checked against
        idx = list(range(len(preds)))
        pairs = _greedy(gs, idx, lambda g, pi: quality(g, pi) if base(g, pi) and extra(g, preds[pi]) else None,
                        optional=lambda g: g.optional)
        prf = PRF()
        matched_g = {gi for gi, _ in pairs}
        matched_p = {idx[pi] for _, pi in pairs}
        prf.tp = len(pairs)
        prf.fn = sum(1 for gi, g in enumerate(gs) if gi not in matched_g and not g.optional)
        false = []
        for pi in idx:
            if pi in matched_p:
                continue
            if not in_bp[pi]:
                # a prediction that fits a gold event this scoring does not cover is left out
                if any(base(g, pi) for g in golds if not eligible(g)):
                    continue
                if not line.exhaustive and not any(_touches_pair(g, preds[pi]) for g in golds):
                    continue
            prf.fp += 1
            false.append(pi)
        return prf, pairs, gs, false

    out.type, pairs, gs, false = counts(lambda g: True, lambda g, p: True)
    matched = {gi for gi, _ in pairs}
    out.missed = [(line.text, g.raw, g.sentence) for gi, g in enumerate(gs)
                  if gi not in matched and not g.optional]
    out.false = [(line.text, preds[pi]) for pi in false]
    for gi, pi in pairs:
        g, p = gs[gi], preds[pi]
        if g.raw.get("status"):
            out.status.count(p.status == g.raw["status"])
        if "date" in g.raw:
            out.date.count(_norm_date(p.date) == _norm_date(g.raw["date"]))
    out.full, *_ = counts(lambda g: "source" in g.raw, _codes_match)
    out.span, *_ = counts(lambda g: "source_text" in g.raw or "target_text" in g.raw, _mentions_match)
    return out


# -- quotes --------------------------------------------------------------------------------
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


# -- timexes -------------------------------------------------------------------------------
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


# -- claims --------------------------------------------------------------------------------
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


# -- bodies and boilerplate ----------------------------------------------------------------
def score_body(gold_body: str, extracted: str) -> PRF:
    """Token-multiset overlap of an extracted body with the gold body (AEB style)."""
    g, p = Counter(gold_body.split()), Counter(extracted.split())
    common = sum((g & p).values())
    return PRF(tp=common, fp=sum(p.values()) - common, fn=sum(g.values()) - common)


def leaked_lines(boilerplate: Iterable[str], body: str) -> int:
    """How many listed boilerplate lines still appear in the extracted body."""
    return sum(1 for b in boilerplate if b.strip() and b.strip() in body)


# -- the whole set -------------------------------------------------------------------------
@dataclass
class Report:
    articles: int = 0
    annotated: set = field(default_factory=set)
    events: EventScores = field(default_factory=EventScores)
    quotes: QuoteScores = field(default_factory=QuoteScores)
    timexes: TimexScores = field(default_factory=TimexScores)
    claims: ClaimScores = field(default_factory=ClaimScores)
    body: PRF = field(default_factory=PRF)
    leaked: int = 0
    boilerplate_lines: int = 0
    missing: int = 0          # gold sentences/phrases not found in the text
    failed: int = 0           # articles the pipeline failed on (scored as empty predictions)
    failures: list = field(default_factory=list)   # (gold id, reason) of the first few failures

    def to_dict(self) -> dict:
        out: dict = {"articles": self.articles}
        if "events" in self.annotated:
            e = self.events
            out["events"] = {"type": e.type.scores(), "full": e.full.scores(), "span": e.span.scores(),
                             "status_accuracy": e.status.value, "date_accuracy": e.date.value}
        if "quotes" in self.annotated:
            out["quotes"] = {**self.quotes.spans.scores(), "speaker_accuracy": self.quotes.speaker.value}
        if "timexes" in self.annotated:
            out["timexes"] = {**self.timexes.spans.scores(), "value_accuracy": self.timexes.value.value}
        if "claims" in self.annotated:
            c = self.claims
            out["claims"] = {**c.values.scores(), "value_unit_f1": _round(c.value_unit.f1),
                             "change_accuracy": c.change.value}
        if "body" in self.annotated:
            out["body"] = self.body.scores()
        if "boilerplate" in self.annotated:
            out["boilerplate"] = {"leaked_lines": self.leaked}
        return out


def score_line(gold: dict, doc: Optional[Document], body: Optional[str], report: Report) -> None:
    """Add one article's scores to ``report``; ``doc`` is the prediction (None: not run)."""
    report.articles += 1
    if "body" in gold and body is not None:
        report.annotated.add("body")
        report.body.add(score_body(gold["body"], body))
    if isinstance(gold.get("boilerplate"), list):
        report.annotated.add("boilerplate")
        report.boilerplate_lines += len(gold["boilerplate"])
        report.leaked += leaked_lines(gold["boilerplate"], body if body is not None else
                                      (doc.text if doc else gold.get("text", "")))
    if doc is None:
        return
    line = GoldLine.of(gold, doc.text)
    if isinstance(gold.get("events"), list):
        report.annotated.add("events")
        report.events.add(score_events(gold, doc, line))
    if isinstance(gold.get("quotes"), list):
        report.annotated.add("quotes")
        report.quotes.add(score_quotes(gold, doc, line))
    if isinstance(gold.get("timexes"), list):
        report.annotated.add("timexes")
        report.timexes.add(score_timexes(gold, doc, line))
    if isinstance(gold.get("claims"), list):
        report.annotated.add("claims")
        report.claims.add(score_claims(gold, doc, line))
    report.missing += len(line.missing)


# -- reading gold and running the pipeline -----------------------------------------------
def read_gold(path) -> list[dict]:
    """The lines of a gold file, checked for the fields scoring relies on."""
    path = Path(path)
    if not path.exists():
        raise InputError.e("E101", item=str(path))
    opener = gzip.open if path.suffix == ".gz" else open
    lines = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise GoldError.e("E201", item=str(path), line=n, reason=f"not valid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise GoldError.e("E201", item=str(path), line=n, reason="not a JSON object")
            if not isinstance(rec.get("text"), str) and not rec.get("html_path"):
                raise GoldError.e("E201", item=str(path), line=n, reason="no 'text' or 'html_path'")
            for sec in (*SECTIONS, "boilerplate"):
                if sec in rec and rec[sec] is not None and not isinstance(rec[sec], list):
                    raise GoldError.e("E201", item=str(path), line=n, reason=f"'{sec}' is not a list")
            rec["_line"] = n
            lines.append(rec)
    if not lines:
        raise GoldError.e("E201", item=str(path), line=0, reason="no gold lines")
    return lines


def _html_body(rec: dict, folder: Path) -> str:
    """The article text extracted from the line's ``html_path`` ("" when nothing is extracted)."""
    from .ingest.html import article_from_html
    from .ingest.sources import decode

    path = folder / rec["html_path"]
    if not path.exists():
        raise GoldError.e("E201", item=str(folder), line=rec.get("_line", 0),
                          reason=f"html_path {rec['html_path']!r} not found")
    data = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
    try:
        return article_from_html(decode(data, str(path)), item=str(path)).text
    except InputError:
        return ""


def _needs_nlp(rec: dict) -> list[str]:
    return [s for s in SECTIONS if isinstance(rec.get(s), list)]


def _nlp_text(rec: dict, body: Optional[str]) -> str:
    """The text the pipeline reads: the gold text with boilerplate lines blanked (offsets kept)."""
    from .ingest.html import blank_boilerplate_lines

    text = rec["text"] if isinstance(rec.get("text"), str) else (body or "")
    return blank_boilerplate_lines(text)


def predict(lines: list[dict], folder: Path, batch_size: int = 16,
            progress: Optional[Callable[[int, int], None]] = None
            ) -> Iterator[tuple[dict, Optional[Document], Optional[str]]]:
    """(gold line, predicted Document or None, extracted body or None) for every gold line.

    The pipeline runs only on lines that annotate events, quotes, timexes or claims, with only
    the stages those need; a line the pipeline fails on gets an empty Document with a warning.
    """
    from .pipeline import STAGE_ORDER, Article, Pipeline

    needed = {st for rec in lines for sec in _needs_nlp(rec) for st in STAGES_FOR[sec]}
    pipe = Pipeline(stages=[s for s in STAGE_ORDER if s in needed]) if needed else None
    total = len(lines)
    for start in range(0, total, batch_size):
        chunk = lines[start:start + batch_size]
        bodies = [_html_body(r, folder) if r.get("html_path") else None for r in chunk]
        todo = [i for i, r in enumerate(chunk) if _needs_nlp(r)]
        arts = [Article(text=_nlp_text(chunk[i], bodies[i]), id=chunk[i].get("id"),
                        published=(chunk[i].get("published") or None)) for i in todo]
        docs: dict = {}
        if arts:
            try:
                docs = dict(zip(todo, pipe.pipe(arts, batch_size=batch_size)))
            except Exception:  # noqa: BLE001 - one bad article must not stop the set: retry one by one
                for i, art in zip(todo, arts):
                    try:
                        docs[i] = next(pipe.pipe([art]))
                    except Exception as exc:  # noqa: BLE001
                        docs[i] = Document(text=art.text, id=art.id,
                                           warnings=[f"E601 pipeline failed: {type(exc).__name__}: {exc}"])
        for i, rec in enumerate(chunk):
            yield rec, docs.get(i), bodies[i]
        if progress:
            progress(min(start + batch_size, total), total)


def read_predictions(path, lines: list[dict]) -> Iterator[tuple[dict, Optional[Document], Optional[str]]]:
    """Saved predictions (``--dump`` or ``eventwire extract -o`` output) paired with gold lines by
    ``gold_id`` or ``id``; a gold line without a prediction gets an empty Document."""
    from .model import document_from_dict

    by_id = {}
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if raw.strip():
                try:
                    row = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise InputError.e("E105", item=str(path), line=n, reason=exc.msg) from None
                by_id[row.pop("gold_id", None) or row.get("id")] = row
    for rec in lines:
        row = by_id.get(rec.get("id"))
        body = (row or {}).get("text", "") if rec.get("html_path") else None
        if not _needs_nlp(rec):
            yield rec, None, body
            continue
        doc = document_from_dict(row) if row else Document(text=rec.get("text") or "")
        yield rec, doc, body


def evaluate_lines(lines: list[dict], folder: Path = Path("."), batch_size: int = 16,
                   progress=None, on_doc=None, predictions=None) -> Report:
    """Score ``lines``: the pipeline's predictions, or ``predictions`` (a PRED.jsonl path)."""
    report = Report()
    pairs = read_predictions(predictions, lines) if predictions else predict(lines, folder, batch_size, progress)
    for rec, doc, body in pairs:
        failed = [w for w in doc.warnings if w.startswith("E601")] if doc is not None else []
        if failed:
            report.failed += 1
            if len(report.failures) < 5:
                report.failures.append((rec.get("id"), failed[0]))
        score_line(rec, doc, body, report)
        if on_doc:
            on_doc(rec, doc, body)
    return report


def evaluate_file(path, limit: Optional[int] = None, **kw) -> Report:
    """Score the pipeline on a gold file: the Python form of ``eventwire evaluate``."""
    lines = read_gold(path)[:limit] if limit else read_gold(path)
    return evaluate_lines(lines, Path(path).resolve().parent, **kw)


# -- the command ---------------------------------------------------------------------------
def add_cli(sub) -> None:
    p = sub.add_parser("evaluate", help="score eventwire against a gold file (GOLD_FORMAT.md)")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--limit", type=int, metavar="N", help="score only the first N gold lines")
    p.add_argument("--dump", metavar="PRED.jsonl", help="write the predicted documents here")
    p.add_argument("--pred", metavar="PRED.jsonl",
                   help="score saved predictions (from --dump) instead of running the pipeline")
    p.add_argument("--errors", action="store_true",
                   help="print missed and false events (with their sentences), quotes and timexes (stderr)")
    p.add_argument("--batch-size", type=int, default=16, help="articles per spaCy batch (default 16)")
    p.set_defaults(run=run_evaluate)



def _progress_printer(err=sys.stderr):
    tty = err.isatty()
    last = [0]

    def show(done: int, total: int) -> None:
        if tty:
            print(f"\revaluate: {done}/{total} articles", end="" if done < total else "\n",
                  file=err, flush=True)
        elif done == total or done - last[0] >= max(50, total // 10):
            last[0] = done
            print(f"evaluate: {done}/{total} articles", file=err, flush=True)

    return show


def run_evaluate(args) -> int:
    path = Path(args.gold)
    lines = read_gold(path)
    if args.limit:
        lines = lines[: args.limit]
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None

    def on_doc(rec, doc, body):
        if args.errors and doc is not None:
            if isinstance(rec.get("events"), list):
                _print_event_errors(rec, doc)
            if isinstance(rec.get("quotes"), list):
                _print_quote_errors(rec, doc)
            if isinstance(rec.get("timexes"), list):
                _print_timex_errors(rec, doc)
        if dump is not None:
            row = doc.to_dict() if doc is not None else {"id": rec.get("id"), "text": body}
            row["gold_id"] = rec.get("id")
            dump.write(json.dumps(row, ensure_ascii=False) + "\n")

    try:
        report = evaluate_lines(lines, path.resolve().parent, batch_size=args.batch_size,
                                progress=_progress_printer(), on_doc=on_doc, predictions=args.pred)
    finally:
        if dump is not None:
            dump.close()
    if report.missing:
        print(f"warning: {report.missing} gold sentences or phrases were not found in their text",
              file=sys.stderr)
    if report.failed:
        print(f"warning: the pipeline failed on {report.failed} articles (scored as empty)", file=sys.stderr)
        for gid, reason in report.failures:
            print(f"  {gid}: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(format_table(report, str(path)))
    return 0


def _print_event_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_events(rec, doc)
    for _, g, sent in s.missed:
        where = doc.text[sent[0]:sent[1]] if sent else g.get("sentence", "?")
        print(f"MISSED {rec.get('id')}: {g.get('type')} {g.get('source')}->{g.get('target')} "
              f"[{g.get('source_text')} -> {g.get('target_text')}] | {' '.join(where.split())}", file=err)
    for _, p in s.false:
        src = f"{p.source.name if p.source else None}({_country(p.source)})"
        tgt = f"{p.target.name if p.target else None}({_country(p.target)})"
        print(f"FALSE  {rec.get('id')}: {p.type} {src}->{tgt} trigger={p.trigger.text!r} | "
              f"{' '.join(p.sentence.text.split())}", file=err)


def _short(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _print_quote_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_quotes(rec, doc)
    for g in s.missed:
        print(f"MISSED {rec.get('id')}: quote by {g.get('speaker')}: {_short(g.get('text', ''))!r}", file=err)
    for q in s.false:
        who = q.speaker.name if q.speaker else None
        print(f"FALSE  {rec.get('id')}: quote by {who}: {_short(q.content.text)!r}", file=err)


def _print_timex_errors(rec: dict, doc: Document, err=sys.stderr) -> None:
    s = score_timexes(rec, doc)
    for g in s.missed:
        print(f"MISSED {rec.get('id')}: timex {g.get('text')!r} = {g.get('value')}", file=err)
    for t in s.false:
        print(f"FALSE  {rec.get('id')}: timex {t.text!r} = {t.value}", file=err)
    for g, t in s.wrong:
        print(f"VALUE  {rec.get('id')}: timex {t.text!r} = {t.value}, gold {g.get('value')}", file=err)


def format_table(report: Report, name: str = "") -> str:
    def f(x):
        return "   -  " if x is None else f"{x:6.3f}"

    rows = [f"{name}: {report.articles} articles", "",
            f"{'':24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}   accuracy"]

    def row(label, prf: PRF, extra=""):
        rows.append(f"{label:24}{f(prf.p):>7}{f(prf.r):>7}{f(prf.f1):>7}"
                    f"{prf.tp:>7}{prf.fp:>7}{prf.fn:>7}   {extra}")

    def acc(label, a: Accuracy):
        return f"{label} {f(a.value).strip()} ({a.right}/{a.total})"

    if "events" in report.annotated:
        e = report.events
        row("events: type", e.type, acc("status", e.status) + "  " + acc("date", e.date))
        row("events: full", e.full)
        row("events: span", e.span)
    if "quotes" in report.annotated:
        row("quotes", report.quotes.spans, acc("speaker", report.quotes.speaker))
    if "timexes" in report.annotated:
        row("timexes", report.timexes.spans, acc("value", report.timexes.value))
    if "claims" in report.annotated:
        row("claims: value", report.claims.values, acc("change", report.claims.change))
        row("claims: value+unit", report.claims.value_unit)
    if "body" in report.annotated:
        row("body tokens", report.body)
    if "boilerplate" in report.annotated:
        rows.append(f"boilerplate: {report.leaked} of {report.boilerplate_lines} listed lines leaked")
    return "\n".join(rows)
