"""Direct and indirect quotes with their speakers, cues and channels.

(placeholder stage: the quotes issue fills it in)
"""
from __future__ import annotations

from .model import Document


class QuoteFinder:
    def __init__(self, nlp):
        self.nlp = nlp

    def annotate(self, doc, document: Document) -> None:
        pass
