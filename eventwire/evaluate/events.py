"""Events: type, actor countries, actor spans, status and date (GOLD_FORMAT.md, "Events")."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Optional

from ..model import Document, Event
from .common import PRF, Accuracy, GoldLine, Spn, _greedy, _span_of, overlaps


@dataclass
class EventScores:
    type: PRF = field(default_factory=PRF)
    full: PRF = field(default_factory=PRF)
    span: PRF = field(default_factory=PRF)
    status: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    missed: list = field(default_factory=list)   # gold events without a match (type scoring)
    false: list = field(default_factory=list)    # predicted events counted as false positives
    # type scoring per PLOVER type: a match counts for the predicted type, a miss for the gold type
    by_type: dict = field(default_factory=dict)
    # (gold type, predicted type) per sentence: a match is on the diagonal; a missed gold event
    # pairs with a false prediction in its sentence ("-" when there is none); a false prediction
    # in a sentence without gold events is in row "-"
    confusion: collections.Counter = field(default_factory=collections.Counter)
    # (confidence, right?) of every scored prediction, for the reliability table
    reliability: list = field(default_factory=list)

    def add(self, o: "EventScores") -> None:
        for k in ("type", "full", "span", "status", "date"):
            getattr(self, k).add(getattr(o, k))
        self.missed += o.missed
        self.false += o.false
        for t, prf in o.by_type.items():
            self.by_type.setdefault(t, PRF()).add(prf)
        self.confusion.update(o.confusion)
        self.reliability += o.reliability

    def reliability_table(self, bins: int = 10) -> list[dict]:
        """Predictions grouped by confidence: how many, their mean confidence, and the share that
        were right (a calibrated coder has the two close in every bin)."""
        rows = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            got = [(c, ok) for c, ok in self.reliability if lo <= c < hi or b == bins - 1 and c == 1.0]
            if got:
                rows.append({"from": round(lo, 2), "to": round(hi, 2), "n": len(got),
                             "confidence": round(sum(c for c, _ in got) / len(got), 3),
                             "right": round(sum(ok for _, ok in got) / len(got), 3)})
        return rows


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
    from ..actors.kb import codes_equivalent

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
    _per_type(out, gs, preds, pairs, false, matched)
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


def _per_type(out: EventScores, gs: list, preds: list, pairs: list, false: list, matched: set) -> None:
    def prf(t: str) -> PRF:
        return out.by_type.setdefault(t, PRF())

    for _, pi in pairs:
        prf(preds[pi].type).tp += 1
        out.confusion[(preds[pi].type, preds[pi].type)] += 1
        out.reliability.append((float(preds[pi].confidence), True))
    left = list(false)
    for pi in false:
        prf(preds[pi].type).fp += 1
        out.reliability.append((float(preds[pi].confidence), False))
    for gi, g in enumerate(gs):
        if gi in matched or g.optional:
            continue
        t = g.raw.get("type", "").upper()
        prf(t).fn += 1
        same = next((pi for pi in left if overlaps(_event_span(preds[pi]), g.sentence)), None)
        if same is not None:
            left.remove(same)
        out.confusion[(t, preds[same].type if same is not None else "-")] += 1
    for pi in left:
        out.confusion[("-", preds[pi].type)] += 1
