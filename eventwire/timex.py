"""Temporal expressions: find them and normalise them to TIMEX3 values against the publication date.

(placeholder stage: the time issue fills it in)
"""
from __future__ import annotations

from .model import Document


class TimexTagger:
    def __init__(self, nlp):
        self.nlp = nlp

    def annotate(self, doc, document: Document) -> None:
        pass
