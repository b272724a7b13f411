"""The learned decision over candidates: for each (source mention, target mention or none) pair,
a PLOVER type or no event, with a probability.

The model is a multinomial logistic regression over the sparse features of candidates.py,
trained by ``python -m eventwire.events.train`` on whole articles (realnews_train) and PLV
sentences; its weights are data (data/models/events_pair.npz, with a card beside it saying what
it was trained on and how it scores). Run time needs numpy only: a feature is a row of the
weight matrix, a candidate's scores are the sum of its rows.

An event's ``confidence`` is calibrated: the model's probability mapped through a logistic
curve (Platt scaling) fitted on out-of-fold predictions on realnews_train against whether the
event was right (its type in that sentence), so it reads as the chance that the event is one a
careful coder codes. The default thresholds were chosen on realnews_dev and are in the card.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import KnowledgeBaseError

MODELS = Path(__file__).resolve().parent.parent / "data" / "models"
MODEL_NAME = "events_pair"
STATUS_MODEL_NAME = "events_status"
NONE = "NONE"
# Types whose two parties act together: one event, either direction.
JOINT = frozenset(("CONSULT", "COOPERATE"))


class PairModel:
    def __init__(self, classes: list[str], vocab: dict[str, int], weights: np.ndarray,
                 bias: np.ndarray, temperature: float = 1.0, threshold: float = 0.5,
                 card: Optional[dict] = None, min_type: float = 0.0, calib=(1.0, 0.0)):
        self.classes = classes
        self.vocab = vocab
        self.W = weights
        self.b = bias
        self.temperature = temperature
        self.threshold = threshold
        self.min_type = min_type
        self.calib = tuple(calib)
        self.none = classes.index(NONE) if NONE in classes else -1
        self.card = card or {}

    def scores(self, feats: list[list[str]]) -> np.ndarray:
        """Calibrated class probabilities, one row per candidate."""
        out = np.tile(self.b, (len(feats), 1)).astype(np.float64)
        rows, owner = [], []
        vocab = self.vocab
        for k, fs in enumerate(feats):
            got = {vocab[f] for f in fs if f in vocab}
            rows.extend(got)
            owner.extend([k] * len(got))
        if rows:
            np.add.at(out, np.asarray(owner), self.W[np.asarray(rows)])
        out /= self.temperature
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def calibrated(self, p: float) -> float:
        """The chance that an event the model gives probability ``p`` is right."""
        p = min(max(p, 1e-6), 1 - 1e-6)
        a, b = self.calib
        return float(1.0 / (1.0 + np.exp(-(a * np.log(p / (1 - p)) + b))))

    def save(self, stem: Path, card: dict) -> None:
        stem.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.get)
        np.savez_compressed(stem.with_suffix(".npz"), W=self.W.astype(np.float16),
                            b=self.b.astype(np.float32))
        meta = {"classes": self.classes, "features": names, "temperature": self.temperature,
                "threshold": self.threshold, "min_type": self.min_type, "calibration": list(self.calib)}
        stem.with_suffix(".json").write_text(json.dumps(meta, separators=(",", ":")), "utf-8")
        stem.with_name(stem.name + ".card.json").write_text(json.dumps(card, indent=1) + "\n", "utf-8")


@lru_cache(maxsize=4)
def load(stem: Optional[str] = None) -> Optional[PairModel]:
    p = Path(stem) if stem else MODELS / MODEL_NAME
    npz, meta_path = p.with_suffix(".npz"), p.with_suffix(".json")
    if not npz.exists() or not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        arrays = np.load(npz)
        W, b = arrays["W"].astype(np.float32), arrays["b"]
        vocab = {f: i for i, f in enumerate(meta["features"])}
        card_path = p.with_name(p.name + ".card.json")
        card = json.loads(card_path.read_text("utf-8")) if card_path.exists() else {}
        return PairModel(meta["classes"], vocab, W, b, meta.get("temperature", 1.0),
                         meta.get("threshold", 0.5), card, meta.get("min_type", 0.0),
                         meta.get("calibration", (1.0, 0.0)))
    except (ValueError, KeyError, OSError) as exc:
        raise KnowledgeBaseError.e("E401", path=str(npz), reason=f"not an event model ({exc})") from None


def decide(model: PairModel, cands: list, probs: np.ndarray, threshold: Optional[float] = None,
           min_type: Optional[float] = None):
    """The events a sentence states: ``(candidate, type, probability, joint)`` for each kept
    decision, one per (type, source actor, target actor) and one per joint pair. A candidate is
    an event when "no event" has at most 1 - ``threshold`` and its type at least ``min_type``."""
    thr = model.threshold if threshold is None else threshold
    min_type = model.min_type if min_type is None else min_type
    best: dict[tuple, tuple] = {}
    for c, p in zip(cands, probs):
        # an event when "no event" is unlikely enough; its type is the likeliest of the others
        if 1.0 - p[model.none] < thr:
            continue
        q = p.copy()
        q[model.none] = -1
        order = np.argsort(-q)
        for k in order[:1]:
            typ, prob = model.classes[k], float(p[k])
            if prob < min_type:
                break
            # one event per (type, source, target) as coded: two mentions of one state are one party
            tgt = (c.target.actor.country or c.target.actor.id) if c.target is not None else None
            key = (typ, c.source.actor.country or c.source.actor.id, tgt)
            if key not in best or best[key][2] < prob:
                best[key] = (c, typ, prob, False)
    out = []
    # the codes of the parties (a country or IGO), as opposed to uncoded groups keyed by actor id
    coded = {b[0].source.actor.country for b in best.values()} | {
        b[0].target.actor.country for b in best.values() if b[0].target is not None}
    coded.discard(None)
    for key, (c, typ, prob, _) in best.items():
        typ_, src, tgt = key
        if tgt is not None and (typ_, tgt, src) in best:
            other = best[(typ_, tgt, src)]
            # both directions: one joint act; keep the likelier direction
            if other[2] > prob or other[2] == prob and src > tgt:
                continue
            out.append((c, typ, model.calibrated(max(prob, other[2])), True))
            continue
        if tgt is None and any(k[0] == typ_ and k[1] == src and k[2] is not None for k in best):
            continue   # the same act with a named other party is already there
        if tgt is not None and not c.target.actor.country and any(
                k[0] == typ_ and src in (k[1], k[2]) and k != key and k[1] in coded and k[2] in coded
                for k in best):
            continue   # "the two sides agreed to exchange prisoners": the act is between the sides
        out.append((c, typ, model.calibrated(prob), typ in JOINT))
    return out


def keep_confident(document, min_confidence: Optional[float]):
    """Drop the document's events below ``min_confidence`` (and their links from quotes)."""
    if not min_confidence:
        return document
    kept = [e for e in document.events if e.confidence >= min_confidence]
    ids = {e.id for e in kept}
    document.events = kept
    for q in document.quotes:
        q.events = [i for i in q.events if i in ids]
    return document


def confidence_arg(value: str) -> float:
    """argparse type for ``--min-confidence``: a probability."""
    import argparse

    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {value!r}")
    return x
