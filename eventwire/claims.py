"""Numeric claims: values, units, qualifiers, rates and who claimed them.

(placeholder stage: the quotes/claims issue fills it in)
"""
from __future__ import annotations

from .model import Document


class ClaimFinder:
    def __init__(self, nlp):
        self.nlp = nlp

    def annotate(self, doc, document: Document) -> None:
        pass
