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

    def year_of(self, word: str) -> int:
        """The year a YEAR group matched: "1996", or spoken ("nineteen ninety-six")."""
        if word.isdigit():
            return int(word)
        words = [w for w in re.split(r"[\s-]+", word.lower()) if w != "and"]
        if words[:2] == ["two", "thousand"]:
            base, rest = self.g.year_leads["two thousand"], words[2:]
        else:
            base, rest = self.g.year_leads[words[0]], words[1:]
        if rest == ["hundred"]:
            return base
        return base + sum(self.g.numbers[w] for w in rest if w != "oh")

    def direction(self, start: int, end: int) -> int:
        """+1 when the clause around [start, end) speaks of the future, -1 of the past, 0 unknown."""
        while end > start + 1 and self.text[end - 1] in ".,;:":
            end -= 1
        before = self.text[max(0, start - 20):start].lower()
        if re.search(r"\b(as (early|soon) as|from now|next|(?<!up )until|now and|starting|effective)\s+(on\s+)?$", before):
            return 1
        if re.search(r"\b(since|last|ago)\s+(on\s+)?$", before):
            return -1
        weak = 1 if re.search(r"\b(till|by|before)\s+(on\s+)?$", before) else 0
        toks = self._tokens(start, end)
        if not toks:
            return weak
        tok = toks[-1]
        if not tok.tag_:
            return self._direction_unparsed(start, end, weak)
        seen, via_noun = 0, False
        while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and seen < 6:
            tok, seen = tok.head, seen + 1
            via_noun = via_noun or tok.pos_ == "NOUN"
        cues = self.g.future_cues
        if tok.pos_ not in ("VERB", "AUX"):
            # a noun phrase: "the upcoming talks on Monday", "the meeting scheduled for Friday"
            around = {t.lower_ for t in tok.subtree}
            if around & cues:
                return 1
            # "protesters planned a rally on Saturday": the noun's verb plans it
            verb = tok.head
            if verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in self.g.plan_verbs | cues:
                return 1
            return weak
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        words = [tok] + auxes
        head = tok
        for _ in range(2):   # "expects to meet on Monday", "is scheduled to speak Monday"
            if head.dep_ in ("xcomp", "advcl", "conj") and head.head is not head:
                up = head.head
                if up.pos_ not in ("VERB", "AUX"):
                    # "is due to meet", "are poised to sign" ahead; "had been due to expire" behind
                    if head.dep_ == "xcomp" and up.lemma_.lower() in self.g.plan_verbs and not any(
                            a.tag_ == "VBD" for a in up.head.children if a.dep_ in ("aux", "auxpass")):
                        return 1
                    break
                if head.dep_ == "xcomp" and up.lemma_.lower() in self.g.plan_verbs:
                    return 1     # "planned to leave on Thursday": later than the planning
                head = up
                words += [head] + [c for c in head.children if c.dep_ in ("aux", "auxpass")]
            else:
                break
        def perfect(w) -> bool:
            return any(a.lemma_ == "have" for a in w.children if a.dep_ in ("aux", "auxpass"))

        # "is due to meet", "are poised to sign": the plan word hangs off the verb as a complement
        past = any(w.tag_ == "VBD" or perfect(w) for w in words)
        if not past and any(c.dep_ in ("acomp", "oprd") and c.lemma_.lower() in self.g.plan_verbs
                            for w in words for c in w.children):
            return 1

        def future(w) -> bool:
            if w.lower_ in cues:
                return True
            if w.lower_ == "going" and w.i + 1 < len(w.doc) and w.nbor(1).lower_ == "to":
                return True
            return w.tag_ != "VBD" and w.lemma_.lower() in cues and not any(a.tag_ == "VBD" for a in w.children if a.dep_ in ("aux", "auxpass"))

        if any(future(w) for w in words):
            return 1
        # "can turn that off over the weekend", "may meet on Monday": a modal before a bare verb
        if tok.tag_ == "VB" and any(a.lower_ in ("can", "may", "might", "should", "must") for a in auxes) \
                and not perfect(tok):
            return 1
        if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return -1
        if tok.tag_ == "VBN" and perfect(tok):
            return -1
        # a present tense that is not a report ("leaders meet on Sunday", "the vote is on Friday",
        # "is meeting him on Monday"): news states what is planned in the present; not when the
        # date hangs off a noun ("follows Tuesday's declaration", "the Sept. 11 attack")
        if not via_noun and (tok.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes)) \
                and tok.lemma_.lower() not in self.g.report_verbs and not perfect(tok):
            return 1
        return weak

    def _direction_unparsed(self, start: int, end: int, weak: int) -> int:
        """The clause's direction from its words alone, for text the fast path left unparsed."""
        a = max(self.text.rfind(c, 0, start) for c in ".;!?\n") + 1
        ends = [i for i in (self.text.find(c, end) for c in ".;!?\n") if i >= 0]
        clause = self.text[a:min(ends) if ends else len(self.text)].lower()
        words = set(re.findall(r"[a-z']+", clause))
        if words & self.g.future_cues or re.search(r"\b(?:is|are)\s+(?:due|set|scheduled|expected|poised)\s+to\b", clause):
            return 1
        return weak
