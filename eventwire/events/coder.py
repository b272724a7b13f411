"""Sentences → PLOVER/CAMEO events with source, target, status, date and place.

(placeholder stage: the events issue fills it in)
"""
from __future__ import annotations

from ..model import Document


class EventCoder:
    def __init__(self, nlp):
        self.nlp = nlp

    def annotate(self, doc, document: Document) -> None:
        pass
