"""Train the event-type classifier and write data/events/type_model.json.

    python -m eventwire.events.train_frames [--train ../shared/eval/plv_train.gold.jsonl] [--dev 0.2]

Training data: the PLV training split and our own sentences (data/events/own_train.jsonl, same
gold format). For each gold event the frame whose source and target best overlap the gold pair is
found in the parse (frames.py); its features and the gold type make one example. PLV gives
YIELD as CONCEDE/RETREAT, so the model learns one CONCEDE class and the lexicon splits RETREAT off.

``--dev F`` holds out a fraction F of the training file (by a hash of the id), trains on the rest
and reports type and span recall of the whole coder on the held-out part; it writes no model.
Never pass a test split (plv_test, plover_gsr) here.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
from pathlib import Path

from .classifier import MODEL_PATH, TypeModel
from .frames import frame_for, features
from .ontology import POS_CLASS, ontology

REPO = Path(__file__).resolve().parents[2]
DEFAULT_TRAIN = REPO.parent / "shared" / "eval" / "plv_train.gold.jsonl"
OWN_TRAIN = Path(__file__).resolve().parent.parent / "data" / "events" / "own_train.jsonl"
FORBIDDEN = ("plv_test", "plover_gsr", "_test")


def _load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _find(text: str, needle: str | None, near: int = 0) -> tuple[int, int] | None:
    if not needle:
        return None
    i = text.find(needle)
    if i < 0:
        i = text.lower().find(needle.lower())
    return (i, i + len(needle)) if i >= 0 else None


def _tok_range(tok) -> tuple[int, int]:
    sub = sorted(tok.subtree, key=lambda t: t.i)
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def _ov(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def aligned_examples(rows: list[dict], nlp) -> tuple[list[list[str]], list[str], collections.Counter, int]:
    """(features, label) for each gold event whose frame is found in the parse."""
    ont = ontology()
    X, y, lemmas, missed = [], [], collections.Counter(), 0
    texts = [r["text"] for r in rows]
    for row, doc in zip(rows, nlp.pipe(texts, batch_size=64)):
        for ev in row.get("events", []):
            src = _find(row["text"], ev.get("source_text"))
            tgt = _find(row["text"], ev.get("target_text"))
            best, best_key = None, None
            for tok in doc:
                if tok.pos_ not in POS_CLASS:
                    continue
                entry = ont.trigger(tok.lemma_.lower(), tok.pos_)
                f = frame_for(tok, entry)
                s = _tok_range(f.source) if f.source is not None else None
                t = _tok_range(f.target) if f.target is not None else None
                score = (_ov(s, src) or _ov(s, tgt)) + (_ov(t, tgt) or _ov(t, src))
                if score == 0:
                    continue
                key = (score, entry is not None, tok.pos_ == "VERB", -abs(tok.i - doc[0].i) * 0)
                if best_key is None or key > best_key:
                    best, best_key = (f, tok.sent), key
            if best is None:
                missed += 1
                continue
            f, sent = best
            label = "CONCEDE" if ev["type"] == "RETREAT" else ev["type"]
            X.append(features(f, sent, ont))
            y.append(label)
            lemmas[f"{f.trigger.lemma_.lower()}/{POS_CLASS[f.trigger.pos_]}"] += 1
    return X, y, lemmas, missed


def fit(X: list[list[str]], y: list[str], lemmas: collections.Counter, c: float = 4.0) -> TypeModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    M = vec.fit_transform([{f: 1.0 for f in fs} for fs in X])
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(M, y)
    names = vec.get_feature_names_out()
    weights = {}
    for j, name in enumerate(names):
        col = [round(float(clf.coef_[k][j]), 4) for k in range(len(clf.classes_))]
        if any(abs(v) >= 1e-3 for v in col):
            weights[name] = col
    return TypeModel({
        "classes": [str(c) for c in clf.classes_],
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
        "trigger_lemmas": {k: v for k, v in lemmas.items() if v >= 2},
        "meta": {"examples": len(y), "C": c, "labels": dict(collections.Counter(y))},
    })


def evaluate_coder(rows: list[dict], model: TypeModel, nlp) -> dict:
    """Type and span recall of the whole coder (no actor stage) on gold rows, as the evaluator counts."""
    from ..model import Document
    from .coder import EventCoder

    from ..pipeline import Pipeline

    # the stages before events (time, actors, quotes) run as in production
    pipe = Pipeline(stages=("eventwire_timex", "eventwire_actors", "eventwire_quotes"))
    coder = EventCoder(nlp)
    coder.model = model
    hit_type = hit_span = total = 0
    confusion = collections.Counter()

    def docs():
        for r in rows:
            d = pipe.nlp.make_doc(r["text"])
            d._.eventwire = Document(text=r["text"], published=r.get("published"))
            yield d
    for row, doc in zip(rows, pipe.nlp.pipe(docs(), batch_size=64)):
        document = doc._.eventwire
        coder.annotate(doc, document)
        for ev in row.get("events", []):
            total += 1
            ok = set(ev.get("type_any") or [ev["type"]])
            typed = [e for e in document.events if e.type in ok]
            hit_type += bool(typed)
            src = _find(row["text"], ev.get("source_text"))
            tgt = _find(row["text"], ev.get("target_text"))

            def on(ref, span):
                return ref is not None and ref.mention is not None and span is not None and \
                    ref.mention.start < span[1] and span[0] < ref.mention.end
            hit_span += any((on(e.source, src) and on(e.target, tgt)) or (on(e.source, tgt) and on(e.target, src))
                            for e in typed)
            got = typed[0].type if typed else (document.events[0].type if document.events else "-")
            confusion[(ev["type"], got)] += 1
    return {"n": total, "type_recall": hit_type / max(total, 1), "span_recall": hit_span / max(total, 1),
            "confusion": confusion}


def _held_out(row_id: str, frac: float) -> bool:
    return int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 1000 < frac * 1000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eventwire.events.train_frames", description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--dev", type=float, default=0.0, help="hold out this fraction and report on it")
    ap.add_argument("--C", type=float, default=4.0)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    if any(bad in args.train.name for bad in FORBIDDEN):
        print(f"error: refusing to train on a test split: {args.train}", file=sys.stderr)
        return 2
    if not args.train.exists():
        print(f"error: E101 {args.train}: no such file or directory", file=sys.stderr)
        return 2
    from ..nlp import load_spacy

    nlp = load_spacy()
    rows = _load(args.train) + (_load(OWN_TRAIN) if OWN_TRAIN.exists() else [])
    dev = [r for r in rows if args.dev and _held_out(r["id"], args.dev)]
    train = [r for r in rows if not (args.dev and _held_out(r["id"], args.dev))]
    X, y, lemmas, missed = aligned_examples(train, nlp)
    print(f"training examples: {len(y)} (gold events without a frame in the parse: {missed})")
    model = fit(X, y, lemmas, args.C)
    if dev:
        res = evaluate_coder(dev, model, nlp)
        print(f"dev n={res['n']} type_recall={res['type_recall']:.3f} span_recall={res['span_recall']:.3f}")
        errs = collections.Counter({k: v for k, v in res["confusion"].items() if k[0] != k[1]})
        print("top confusions (gold, predicted):", errs.most_common(15))
        return 0
    args.out.write_text(json.dumps({"classes": model.classes, "bias": model.bias,
                                    "weights": model.weights, "trigger_lemmas": model.trigger_lemmas,
                                    "meta": model.meta}, separators=(",", ":")), "utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, {len(model.weights)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
