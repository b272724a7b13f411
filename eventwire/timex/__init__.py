"""Temporal expressions: find them and normalise them to TIMEX3 values against the publication date.

Recognition is a set of regular expressions built from the word lists in ``data/timex/lexicon.yaml``
(months, weekdays, units, relative words …), run over the text; the spaCy parse is used to refuse
readings that only look temporal ("may" as a modal verb, "March" as a verb, "2000 soldiers") and
to read the tense of the clause, which decides whether a bare weekday or month points back or
forward from the publication date ("Peskov said Saturday" vs "will speak on Monday").

Values follow TimeML / TempEval-3: ``2025-05-19``, ``2025-05-19TMO``, ``2025-05-19T10:00``,
``2025-W20``, ``2025-SU``, ``P1W``, ``PRESENT_REF`` … When the publication date is unknown and no
dateline gives it, values that need it stay relative (``XXXX-WXX-1``) with ``anchored=False``.

Expressions that refer back ("that day", "the next morning", "later that year") and clock times
without a day ("at 10 p.m.") are resolved last, against the narrative's latest date (or the date
in the same sentence) rather than the publication date. ``event_date`` gives the event coder the
date of an event from the timex in its clause. Which words count was settled on TempEval-3's
TimeBank+AQUAINT and realnews_train (tuned on realnews_dev); TempEval-3 platinum is for reporting
only. ``benchmarks/timex_vs_dateparser.py`` measures it beside dateparser.

The package: ``grammar`` (the patterns), ``find`` (matching, overlaps, anaphors, datelines),
``normalise`` and ``durations`` (one handler per pattern), ``tense`` (past or future, from the
parse), ``dates`` (calendar arithmetic), ``events`` (the date of an event).
"""
from __future__ import annotations

from ..model import Document, Timex
from .events import _GOVERNORS, _governors, event_date
from .find import Found, dateline_date, find_timexes, parse_published
from .grammar import Grammar, grammar, lexicon

__all__ = ["TimexTagger", "find_timexes", "dateline_date", "event_date", "lexicon", "Found", "Grammar"]


class TimexTagger:
    """spaCy stage ``eventwire_timex``: adds ``Document.timexes`` (ids T1, T2 … in text order)."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.g = grammar()

    def annotate(self, doc, document: Document) -> None:
        dct = parse_published(document.published)
        if dct is None and document.published:
            document.warnings.append(
                f"timex: publication date {document.published!r} is not an ISO date; "
                "dates relative to it are left unresolved (anchored=false)")
        elif dct is None:
            found = dateline_date(document.text)
            if found:
                document.published = found
                document.published_source = "dateline"
                dct = parse_published(found)
            else:
                document.warnings.append(
                    "timex: no publication date (input, metadata or dateline); "
                    "dates relative to it are left unresolved (anchored=false)")
        document.timexes = [
            Timex(id=f"T{i}", start=f.start, end=f.end, text=document.text[f.start:f.end],
                  type=f.type, value=f.value, anchored=f.anchored)
            for i, f in enumerate(find_timexes(doc, dct, self.g), 1)
        ]
        # event_date() (called by the event stage of the same run) needs to know which clause a
        # timex and a trigger belong to; the Document carries no parse, so the governor of every
        # token rides along as a private, unserialised attribute.
        document.__dict__[_GOVERNORS] = _governors(doc)

