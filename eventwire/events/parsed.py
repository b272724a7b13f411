"""Training sets parsed once: gold rows with their spaCy docs and Documents after the stages
that run before events (time, actors, quotes), cached under /tmp so that training iterations
do not re-parse (parsing is most of the cost of a training run).

The cache key is the gold file's hash plus the hash of the stage code and actor data, so a
change to the actors stage re-parses.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

CACHE = Path(os.environ.get("EVENTWIRE_TRAIN_CACHE", "/tmp/eventwire-train-cache"))
PRE_STAGES = ("eventwire_timex", "eventwire_actors", "eventwire_quotes")
PKG = Path(__file__).resolve().parents[1]


def load_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _code_hash() -> str:
    h = hashlib.sha1()
    for sub in ("actors", "timex", "quotes", "pipeline.py", "nlp.py", "data/actors", "data/quotes", "data/timex"):
        p = PKG / sub
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".csv", ".yaml", ".txt"):
                h.update(f.read_bytes())
    return h.hexdigest()[:12]


def file_hash(path: Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]


def trimmed_text(row: dict) -> str:
    """The annotated part of an article (gold events after it are not coded), cut at the
    paragraph end the annotators cut at; the whole text when the line does not say."""
    n = row.get("annotated_chars")
    return row["text"][:n] if n else row["text"]


_CAPTURED: list = []


def _capture(doc):
    _CAPTURED.append(doc)
    return doc


def parsed(path: Path, pipe_factory=None) -> list[tuple[dict, object, object]]:
    """(gold row, spaCy Doc, Document) for each line of a gold file."""
    from spacy.tokens import DocBin

    CACHE.mkdir(parents=True, exist_ok=True)
    key = f"{Path(path).stem}-{file_hash(path)}-{_code_hash()}"
    bin_path, doc_path = CACHE / f"{key}.spacy", CACHE / f"{key}.pkl"
    rows = load_rows(path)
    if bin_path.exists() and doc_path.exists():
        from ..nlp import load_spacy
        nlp = load_spacy()
        docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
        documents = pickle.loads(doc_path.read_bytes())
        return list(zip(rows, docs, documents))
    from spacy.language import Language

    from ..pipeline import Article, Pipeline
    pipe = pipe_factory() if pipe_factory else Pipeline(stages=PRE_STAGES)
    _CAPTURED.clear()
    if "eventwire_capture_doc" not in Language.factories:
        Language.component("eventwire_capture_doc", func=_capture)
    pipe.nlp.add_pipe("eventwire_capture_doc", last=True)
    pipe.stage_names.append("eventwire_capture_doc")
    pipe.timings["eventwire_capture_doc"] = 0.0
    documents = []
    arts = (Article(text=trimmed_text(r), published=r.get("published"), id=r.get("id")) for r in rows)
    for document in pipe.pipe(arts, batch_size=16):
        documents.append(document)
    docs = list(_CAPTURED)
    _CAPTURED.clear()
    db = DocBin(attrs=["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE",
                       "SENT_START", "MORPH"], store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(bin_path)
    doc_path.write_bytes(pickle.dumps(documents))
    return list(zip(rows, docs, documents))
