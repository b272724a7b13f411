"""From one article to one Document: spaCy parses, then eventwire's stages add to the Document.

Each stage is a spaCy pipeline component registered by name, so that a user can add eventwire to
a pipeline of their own (``nlp.add_pipe("eventwire")`` for all stages, or one stage at a time).
A stage reads the spaCy ``Doc`` and the eventwire ``Document`` held in ``doc._.eventwire`` and
adds its results to the Document; it never touches files, databases or the network.

    stage                  adds                       needs
    eventwire_timex        Document.timexes           sentences, entities
    eventwire_actors       Document.actors            entities, parse
    eventwire_quotes       Document.quotes            actors (speakers, pronouns)
    eventwire_events       Document.events            actors, timexes, quotes
    eventwire_claims       Document.claims            quotes (claimants)
"""
from __future__ import annotations

import csv
import importlib
import io
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Iterator, Optional

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .model import Document

if not Doc.has_extension("eventwire"):
    Doc.set_extension("eventwire", default=None)

# name → (module, class): the class is built once per pipeline with the spaCy Language and
# must have ``annotate(doc, document)``. Imported lazily so that loading one stage's data (the
# actor knowledge base, the event model) happens only in pipelines that use it.
STAGES = {
    "eventwire_timex": ("eventwire.timex", "TimexTagger"),
    "eventwire_actors": ("eventwire.actors.resolve", "ActorResolver"),
    "eventwire_quotes": ("eventwire.quotes", "QuoteFinder"),
    "eventwire_events": ("eventwire.events.coder", "EventCoder"),
    "eventwire_claims": ("eventwire.claims", "ClaimFinder"),
}
STAGE_ORDER = tuple(STAGES)


def document_of(doc: Doc) -> Document:
    """The eventwire Document carried by ``doc``, created on first use."""
    document = doc._.eventwire
    if document is None:
        document = Document(text=doc.text)
        doc._.eventwire = document
    return document


def doc_text(doc: Doc) -> str:
    """``doc.text`` without its cost: spaCy rebuilds ``Doc.text`` from every token on each call,
    which stages that read it once per quote or number paid for over and over."""
    document = doc._.eventwire
    return document.text if document is not None else doc.text


class _Stage:
    """Adapts a stage class to spaCy's component protocol."""

    def __init__(self, nlp: Language, name: str):
        module, cls = STAGES[name]
        self.name = name
        self.impl = getattr(importlib.import_module(module), cls)(nlp)

    def __call__(self, doc: Doc) -> Doc:
        self.impl.annotate(doc, document_of(doc))
        return doc


def _register(stage: str) -> None:
    @Language.factory(stage, requires=["doc.sents", "doc.ents"], assigns=["doc._.eventwire"])
    def make(nlp: Language, name: str):  # noqa: ARG001 - spaCy passes the instance name
        return _Stage(nlp, stage)


for _stage in STAGES:
    _register(_stage)


class _All:
    """Every stage in order, as one component."""

    def __init__(self, nlp: Language):
        self.stages = [_Stage(nlp, n) for n in STAGE_ORDER]

    def __call__(self, doc: Doc) -> Doc:
        for stage in self.stages:
            stage(doc)
        return doc


@Language.factory("eventwire", requires=["doc.sents", "doc.ents"], assigns=["doc._.eventwire"])
def _make_all(nlp: Language, name: str):  # noqa: ARG001
    return _All(nlp)


@dataclass
class Article:
    """One article as it enters the pipeline (after HTML extraction and cleaning)."""

    text: str
    id: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    published_source: Optional[str] = None


# CPU seconds of this process: per-component shares stay meaningful on a machine shared with
# other jobs, where wall time mostly measures the neighbours.
_clock = time.process_time

FULL_PARSE_ENV = "EVENTWIRE_FULL_PARSE"
# spaCy components every chunk goes through on the fast path, and those only the chunks that
# may hold an event, a quote or a claim get. en_core_web_sm's NER has its own embedding layer,
# so it runs without tok2vec; the tagger and the parser listen to tok2vec.
LIGHT_PIPES = ("ner",)
# Texts shorter than this are parsed whole: there is little to save, and cutting a short text
# into chunks only risks the parse. Cue-less stretches shorter than MIN_LIGHT_CHARS are parsed too.
FAST_MIN_CHARS = 2000
# Tokens per spaCy minibatch (see Pipeline._run).
BATCH_TOKENS = 4000
MIN_LIGHT_CHARS = 300


class Pipeline:
    """The spaCy model with eventwire's stages, turning articles into Documents.

    ``fast=True`` (the default; ``EVENTWIRE_FULL_PARSE=1`` turns it off) parses only what
    matters: the text is cut into sentence chunks that cover it exactly; sentences with a cue
    (an event trigger that is not a stop word, a reporting verb, a quotation mark, a number, two
    words that may name parties) and the sentence on each side of them get the full model, the
    others only tokenisation and NER; the chunks are joined back into one ``Doc`` whose text is
    the article's text, so every offset stays valid. ``fast=False`` parses everything. Both give
    the same Documents (tests/test_properties.py); on dense news almost every sentence has a cue.

    ``timings`` holds the seconds spent in each component (spaCy's and eventwire's) so far.

    >>> pipe = Pipeline()
    >>> doc = pipe.extract("Russia and Ukraine agreed to swap prisoners.", published="2025-05-17")
    """

    def __init__(self, model: Optional[str] = None, stages: Iterable[str] = STAGE_ORDER,
                 fast: Optional[bool] = None):
        from .nlp import load_spacy

        # A private instance, loaded afresh rather than copied from the cached shared model:
        # adding our components must not change that one, and a worker process should not hold
        # two copies of the weights (it costs ~150 MB of RSS per worker).
        self.nlp = load_spacy.__wrapped__(model)
        self.stage_names = list(stages)
        for name in self.stage_names:
            self.nlp.add_pipe(name)
        if fast is None:
            fast = os.environ.get(FULL_PARSE_ENV, "").strip().lower() in ("", "0", "false", "no")
        self.fast = fast
        self.spacy_pipes = [n for n in self.nlp.pipe_names if n not in STAGES and n != "eventwire"]
        self.light_pipes = [n for n in self.spacy_pipes if n in LIGHT_PIPES]
        self.timings: dict[str, float] = {n: 0.0 for n in self.nlp.pipe_names}
        self.timings.update(split=0.0, tokenizer=0.0, join=0.0)
        self.chunks = {"full": 0, "light": 0}
        # Same results as spaCy's attribute_ruler and lemmatizer, several times faster (nlp.py).
        from .nlp import FastAttributeRuler, FastLemmatizer

        self._fast_procs = {}
        for name, cls in (("attribute_ruler", FastAttributeRuler), ("lemmatizer", FastLemmatizer)):
            if name in self.spacy_pipes:
                fast_proc = cls.compile(self.nlp.get_pipe(name))
                if fast_proc is not None:
                    self._fast_procs[name] = fast_proc
        self._cues = _ParseCues(self.nlp, [self.nlp.get_pipe(n) for n in self.stage_names]) if fast else None

    def extract(self, text: str, published: Optional[str] = None, **meta) -> Document:
        return next(self.pipe([Article(text=text, published=published, **meta)]))

    def pipe(self, articles: Iterable[Article], batch_size: int = 8) -> Iterator[Document]:
        """Documents for ``articles``, in order; ``batch_size`` articles are parsed together."""
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    # -- the work --------------------------------------------------------------------------
    def _batch(self, articles: list[Article]) -> Iterator[Document]:
        t = _clock()
        plans = [self._plan(a.text) for a in articles]
        self.timings["split"] += _clock() - t
        full = [c for plan in plans for c in plan if c[2]]
        light = [c for plan in plans for c in plan if not c[2]]
        self.chunks["full"] += len(full)
        self.chunks["light"] += len(light)
        docs: dict[int, Doc] = {}
        for chunks, pipes in ((full, self.spacy_pipes), (light, self.light_pipes)):
            if not chunks:
                continue
            t = _clock()
            made = [self.nlp.make_doc(c[1]) for c in chunks]
            self.timings["tokenizer"] += _clock() - t
            for d, c in zip(self._run(pipes, made), chunks):
                docs[id(c)] = d
        for art, plan in zip(articles, plans):
            t = _clock()
            doc = self._join(art.text, [(c, docs[id(c)]) for c in plan])
            self.timings["join"] += _clock() - t
            doc._.eventwire = Document(
                text=art.text, id=art.id, title=art.title, url=art.url,
                published=art.published,
                published_source=art.published_source or ("input" if art.published else None),
            )
            for name in self.stage_names:
                t = _clock()
                doc = self.nlp.get_pipe(name)(doc)
                self.timings[name] += _clock() - t
            yield doc._.eventwire

    def _run(self, pipes: list[str], docs: list[Doc]) -> list[Doc]:
        # Minibatches capped by tokens, not documents: the parser and NER hold a few kB of
        # activations per token of a minibatch, so eight 10,000-character articles in one go
        # raised a worker's peak RSS by ~400 MB. Every component sees the same minibatches.
        batches, batch, size = [], [], 0
        for d in docs:
            if batch and size + len(d) > BATCH_TOKENS:
                batches.append(batch)
                batch, size = [], 0
            batch.append(d)
            size += len(d)
        if batch:
            batches.append(batch)
        out = []
        for batch in batches:
            for name in pipes:
                proc = self._fast_procs.get(name) or self.nlp.get_pipe(name)
                t = _clock()
                if hasattr(proc, "pipe"):
                    batch = list(proc.pipe(batch, batch_size=len(batch)))
                else:
                    batch = [proc(d) for d in batch]
                self.timings[name] += _clock() - t
            out.extend(batch)
        return out

    def _plan(self, text: str) -> list[tuple]:
        """``(start, chunk text, parse?, sentence starts)`` covering ``text`` exactly, in order."""
        if not self.fast or len(text) < FAST_MIN_CHARS or not text.strip():
            return [(0, text, True, None)]
        sents = split_sentences(text)
        cued = [self._cues.wants_parse(text[s:e]) for s, e in sents]
        # The sentence on each side of a cued one is parsed with it: the parser and NER then see
        # the same context around the cued sentence as in a whole-text parse, and a cut falls
        # between two sentences that hold no fact.
        wants = [c or (i > 0 and cued[i - 1]) or (i + 1 < len(cued) and cued[i + 1])
                 for i, c in enumerate(cued)]
        # A short cue-less stretch between parsed ones (a fragment the cheap splitter cut off, a
        # one-line aside) is parsed with them: it saves little and would cut the parser's context.
        i = 0
        while i < len(sents):
            if wants[i]:
                i += 1
                continue
            j = i
            while j < len(sents) and not wants[j]:
                j += 1
            if sents[j - 1][1] - sents[i][0] < MIN_LIGHT_CHARS:
                wants[i:j] = [True] * (j - i)
            i = j
        plan, i = [], 0
        while i < len(sents):
            parse = wants[i]
            j = i + 1
            while j < len(sents) and wants[j] == parse:
                j += 1
            start, end = sents[i][0], sents[j - 1][1]
            # Runs of sentences of one kind go together: the parser then sets the sentence
            # boundaries itself inside a run, as it would on the whole text.
            starts = None if parse else [s - start for s, _ in sents[i:j]]
            plan.append((start, text[start:end], parse, starts))
            i = j
        return plan

    def _join(self, text: str, parts: list[tuple]) -> Doc:
        if len(parts) == 1 and parts[0][0][2]:
            return parts[0][1]
        for (_, _, parse, starts), d in parts:
            if not parse:
                _set_sentence_starts(d, starts)
        doc = Doc.from_docs([d for _, d in parts], ensure_whitespace=False, exclude=["tensor"])
        if any(c[2] for c, _ in parts) and not all(c[2] for c, _ in parts):
            # from_docs takes sentence starts from the parse where there is one and loses them
            # in the unparsed chunks; put those back.
            values = doc.to_array([SENT_START]).astype("int64")
            offset = 0
            for (_, _, parse, _), d in parts:
                if not parse:
                    values[offset:offset + len(d)] = d.to_array([SENT_START]).astype("int64")
                offset += len(d)
            doc.from_array([SENT_START], values.astype("uint64"))
        assert doc.text == text, "fast path changed the text"
        return doc


def _set_sentence_starts(doc: Doc, char_starts: list[int]) -> None:
    if not len(doc):
        return
    wanted = set(char_starts)
    for tok in doc:
        tok.is_sent_start = tok.i == 0 or (tok.idx in wanted and not tok.is_space)
    # A chunk's leading whitespace token would make an empty-looking sentence; keep it attached.


# -- the cheap part of the fast path: sentences and cues ---------------------------------------
_SENT_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(\s+)(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_FORM = re.compile(r"[A-Za-z]+")
_QUOTE_CHARS = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e\u2018\u2039\u203a]|``|''")
_DIGIT = re.compile(r"\d")
_PRONOUNS = frozenset("i we he she they you me us him her them it".split())


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset:
    return frozenset(_data_lines("pipeline/abbreviations.txt"))


def _data_lines(name: str) -> list[str]:
    path = resources.files("eventwire").joinpath("data", *name.split("/"))
    if not path.is_file():
        return []
    return [ln.strip().lower() for ln in path.read_text("utf-8").splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Cheap sentence spans ``[start, end)`` covering ``text`` exactly (each ends with its
    trailing whitespace). It errs on the side of not splitting: a missed boundary costs a little
    speed, a wrong one only matters in parsed chunks, where the parser sees a shorter context."""
    spans, start = [], 0
    abbrev = _abbreviations()
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group(1) is not None:  # after a full stop: not after "Mr." or an initial
            w = _WORD_BEFORE.search(text, max(0, m.start() - 20), m.start() + 1)
            if w and (len(w.group(1)) == 1 or w.group(1).lower() in abbrev):
                continue
        if end > start and text[start:end].strip():
            spans.append((start, end))
            start = end
    if start < len(text):
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], len(text))
        else:
            spans.append((start, len(text)))
    return spans


class _ParseCues:
    """Decides from the words of a sentence alone whether a stage may need its parse."""

    def __init__(self, nlp: Language, stages: list):
        # Words that make a quote or a claim (reporting verbs, number words) count as they are;
        # event triggers count only when the word is not a stop word, because the event coder
        # never takes a stop word as a trigger ("is", "going to", "one" are everywhere).
        words = set(_data_lines("pipeline/parse_cues.txt"))
        for name in ("quotes/reporting_verbs.txt", "quotes/complement_verbs.txt"):
            words.update(_data_lines(name))
        triggers = set(_trigger_lemmas())
        for comp in stages:
            impl = getattr(comp, "impl", comp)
            # A stage may say which lemmas it needs parsed (``parse_lemmas()``); the event coder's
            # trained model also knows trigger lemmas beyond the lexicon ("lemma/POS" keys).
            if hasattr(impl, "parse_lemmas"):
                words.update(w.lower() for w in impl.parse_lemmas())
            learned = getattr(getattr(impl, "model", None), "trigger_lemmas", None)
            if isinstance(learned, dict):
                triggers.update(k.split("/")[0].lower() for k in learned)
        self.lemmas = frozenset(w for lemma in words for w in lemma.split())
        self.trigger_lemmas = frozenset(w for lemma in triggers for w in lemma.split())
        self.stop_words = nlp.Defaults.stop_words
        self.party_words = frozenset(_data_lines("events/party_nouns.txt")) | _PRONOUNS
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        lookups = getattr(lemmatizer, "lookups", None)
        self.rules, self.exc = [], []
        if lookups is not None and lookups.has_table("lemma_rules"):
            rules, exc = lookups.get_table("lemma_rules"), lookups.get_table("lemma_exc")
            for pos in ("verb", "noun", "adj"):
                self.rules.extend(tuple(r) for r in rules.get(pos, []))
                self.exc.append(exc.get(pos, {}))
        self._form_cache: dict[str, bool] = {}

    def _is_cue(self, form: str) -> bool:
        hit = self._form_cache.get(form)
        if hit is None:
            cands = {form}
            for old, new in self.rules:
                if old and form.endswith(old):
                    base = form[: len(form) - len(old)] + new
                    cands.add(base)
                    if len(base) > 2 and base[-1] == base[-2]:
                        cands.add(base[:-1])  # planned → plann → plan
            for table in self.exc:
                cands.update(table.get(form, ()))
            hit = bool(cands & self.lemmas) or (
                form not in self.stop_words and bool(cands & self.trigger_lemmas))
            if len(self._form_cache) < 200_000:
                self._form_cache[form] = hit
        return hit

    def wants_parse(self, sentence: str) -> bool:
        if _DIGIT.search(sentence) or _QUOTE_CHARS.search(sentence):
            return True
        words = _FORM.findall(sentence)
        if any(self._is_cue(w.lower()) for w in words):
            return True
        # Without a trigger word the event coder still codes a sentence whose main verb links two
        # parties ("Such assessments will better equip agencies …"): two words that may name a
        # party (a capitalised word after the first, a party noun, a personal pronoun) need the parse.
        parties = 0
        for i, w in enumerate(words):
            low = w.lower()
            if (i and w[0].isupper()) or low in self.party_words or low.rstrip("s") in self.party_words:
                parties += 1
                if parties >= 2:
                    return True
        return False


@lru_cache(maxsize=1)
def _trigger_lemmas() -> frozenset:
    path = resources.files("eventwire").joinpath("data", "events", "triggers.csv")
    if not path.is_file():
        return frozenset()
    rows = csv.DictReader(io.StringIO(path.read_text("utf-8")))
    return frozenset((r.get("lemma") or "").strip().lower() for r in rows if r.get("lemma"))
