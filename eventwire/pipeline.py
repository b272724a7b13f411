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

import importlib
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

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


class Pipeline:
    """The spaCy model with eventwire's stages, turning articles into Documents.

    >>> pipe = Pipeline()
    >>> doc = pipe.extract("Russia and Ukraine agreed to swap prisoners.", published="2025-05-17")
    """

    def __init__(self, model: Optional[str] = None, stages: Iterable[str] = STAGE_ORDER):
        from .nlp import load_spacy

        # A private copy: adding our components must not change the cached shared model.
        base = load_spacy(model)
        self.nlp = _copy_language(base)
        for name in stages:
            self.nlp.add_pipe(name)

    def extract(self, text: str, published: Optional[str] = None, **meta) -> Document:
        return next(self.pipe([Article(text=text, published=published, **meta)]))

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Document]:
        def docs():
            for art in articles:
                doc = self.nlp.make_doc(art.text)
                doc._.eventwire = Document(
                    text=art.text, id=art.id, title=art.title, url=art.url,
                    published=art.published,
                    published_source=art.published_source or ("input" if art.published else None),
                )
                yield doc

        for doc in self.nlp.pipe(docs(), batch_size=batch_size):
            yield doc._.eventwire


def _copy_language(nlp: Language) -> Language:
    """A new Language with the same config and weights as ``nlp`` (no disk access)."""
    from spacy.util import load_model_from_config

    # to_bytes/from_bytes round-trips the trained weights; cheap next to parsing.
    clone = load_model_from_config(nlp.config, auto_fill=False, validate=False)
    clone.meta.update(nlp.meta)
    clone.from_bytes(nlp.to_bytes())
    return clone
