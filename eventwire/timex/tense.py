"""What the spaCy parse says around a timex: which tokens it covers, whether a month or weekday
word is a name, and whether its clause speaks of the past or the future (which way a year-less
date or a bare weekday points from the publication date)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .grammar import Grammar


class ParseView:
    """The document, its parse, its publication date and the grammar, for the handlers."""

    def __init__(self, doc, dct: Optional[dt.date], g: Grammar):
        self.doc, self.dct, self.g, self.text = doc, dct, g, doc.text

    # ---- helpers on the parse
    def _tokens(self, start: int, end: int):
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    def _is_name_word(self, start: int, end: int) -> bool:
        """A month/weekday word must be capitalised and not a verb or modal ("may", "march")."""
        word = self.text[start:end]
        if not word[:1].isupper():
            return False
        toks = self._tokens(start, end)
        if toks and toks[0].tag_ == "MD":
            return False
        return True

    def direction(self, start: int, end: int) -> int:
        """+1 when the clause around [start, end) speaks of the future, -1 of the past, 0 unknown."""
        while end > start + 1 and self.text[end - 1] in ".,;:":
            end -= 1
        before = self.text[max(0, start - 20):start].lower()
        if re.search(r"\b(as (early|soon) as|from now|next|(?<!up )until)\s+(on\s+)?$", before):
            return 1
        if re.search(r"\b(since|last|ago)\s+(on\s+)?$", before):
            return -1
        weak = 1 if re.search(r"\b(till|by|before)\s+(on\s+)?$", before) else 0
        toks = self._tokens(start, end)
        if not toks:
            return weak
        tok = toks[-1]
        seen = 0
        while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and seen < 6:
            tok, seen = tok.head, seen + 1
        cues = self.g.future_cues
        if tok.pos_ not in ("VERB", "AUX"):
            # a noun phrase: "the upcoming talks on Monday", "the meeting scheduled for Friday"
            around = {t.lower_ for t in tok.subtree}
            return 1 if around & cues else weak
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        words = [tok] + auxes
        head = tok
        for _ in range(2):   # "expects to meet on Monday", "is scheduled to speak Monday"
            if head.dep_ in ("xcomp", "advcl", "conj") and head.head is not head and head.head.pos_ in ("VERB", "AUX"):
                if head.dep_ == "xcomp" and head.head.lemma_.lower() in self.g.plan_verbs:
                    return 1     # "planned to leave on Thursday": later than the planning
                head = head.head
                words += [head] + [c for c in head.children if c.dep_ in ("aux", "auxpass")]
            else:
                break

        def future(w) -> bool:
            if w.lower_ in cues:
                return True
            if w.lower_ == "going" and w.i + 1 < len(w.doc) and w.nbor(1).lower_ == "to":
                return True
            return w.tag_ != "VBD" and w.lemma_.lower() in cues and not any(a.tag_ == "VBD" for a in w.children if a.dep_ in ("aux", "auxpass"))

        if any(future(w) for w in words):
            return 1
        if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return -1
        if tok.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
            return -1
        return weak
