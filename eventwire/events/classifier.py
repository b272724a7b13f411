"""The event-type classifier: a multinomial logistic regression over sparse frame features.

Its weights are a data file (data/events/type_model.json) written by ``python -m
eventwire.events.train_frames``; scoring needs only the standard library. Without the file the coder
falls back to the trigger lexicon alone.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..errors import KnowledgeBaseError

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "type_model.json"


class TypeModel:
    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.bias: list[float] = data["bias"]
        self.weights: dict[str, list[float]] = data["weights"]
        # lemma → how often it was the trigger of a training event (candidate triggers beyond
        # the hand-written lexicon)
        self.trigger_lemmas: dict[str, int] = data.get("trigger_lemmas", {})
        self.meta: dict = data.get("meta", {})

    def predict(self, feats: list[str]) -> dict[str, float]:
        scores = list(self.bias)
        for f in set(feats):
            w = self.weights.get(f)
            if w:
                for i, v in enumerate(w):
                    scores[i] += v
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}


@lru_cache(maxsize=1)
def load_model(path: Optional[str] = None) -> Optional[TypeModel]:
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    try:
        return TypeModel(json.loads(p.read_text("utf-8")))
    except (ValueError, KeyError) as exc:
        raise KnowledgeBaseError.e("E401", path=str(p), reason=f"not a type model ({exc})") from None
