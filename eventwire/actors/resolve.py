"""Actor mentions → canonical actors, with in-article coreference.

(placeholder stage: the actors issue fills it in)
"""
from __future__ import annotations

from ..model import Document


class ActorResolver:
    def __init__(self, nlp):
        self.nlp = nlp

    def annotate(self, doc, document: Document) -> None:
        pass
