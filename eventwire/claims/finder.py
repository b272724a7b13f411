"""The claims stage: numbers that state a quantity, with their unit, range, qualifier, change,
rate and claimant."""
from __future__ import annotations

import re
from typing import Optional

from ..model import Claim, Document, Span
from .lexicon import ClaimLexicon, lexicon
from .numbers import LowerTokens, Number, NumberReader

RATE_WORDS = frozenset({"a", "an", "per", "each", "every", "/"})
RANGE_LINKS = frozenset({"-", "–", "—", "to", "and", "or"})
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")     # "11.30" is a clock time only before "am"/"pm"
_YEAR = re.compile(r"^\d{4}s?$")
_LIST_MARK = re.compile(r"^\(?\d{1,2}[.)]$")
NAME_ENTITIES = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW", "GPE", "PERSON"})


class ClaimFinder:
    """Adds ``Document.claims``; needs the quotes stage for claimants."""

    def __init__(self, nlp, lex: Optional[ClaimLexicon] = None):
        self.nlp = nlp
        self.lex = lex or lexicon()
        self.reader = NumberReader(self.lex)
        self._unit_widths = tuple(range(self.lex.longest_unit, 0, -1))
        self._money = frozenset(self.lex.units_before.values())
        # phrases looked up by one of their words, so that a number costs a dict look-up
        self._idioms_by_word: dict = {}
        for words in self.lex.idioms:
            for k, w in enumerate(words):
                self._idioms_by_word.setdefault(w, []).append((k, words))
        self._before_by_last: dict = {}
        for words, ch in self.lex.qualifiers_before:          # longest first, kept in order
            self._before_by_last.setdefault(words[-1], []).append((words, ch))

    def annotate(self, doc, document: Document) -> None:
        lows = LowerTokens(doc)
        text = document.text or doc.text             # the same string (pipeline.document_of)
        numbers = self.reader.read(doc, lows, text)
        if not numbers:
            return
        claims = []
        k = 0
        while k < len(numbers):
            num = numbers[k]
            k += 1
            high = numbers[k] if k < len(numbers) else None
            linked = self._range_end(doc, lows, num, high) if high is not None else None
            if linked == "score":
                k += 1                                   # "a 3-2 vote": neither is a claim
                continue
            if linked:
                k += 1
                # "five to 10 years": the high end says what the range counts
                if not self._in_idiom(lows, num.start) and not (
                        self._excluded(doc, lows, high) and self._excluded(doc, lows, num)):
                    claims.append(self._claim(doc, text, lows, num, high))
            elif not self._excluded(doc, lows, num):
                claims.append(self._claim(doc, text, lows, num, None))
            else:
                continue
            # "fell 23 points, or 0.1%": the same change said another way
            if len(claims) > 1 and claims[-2].change in ("up", "down") and claims[-1].change == "=" \
                    and num.start >= 2 and lows[num.start - 1] == "or" and lows[num.start - 2] == "," \
                    and claims[-2].span.end <= doc[num.start - 2].idx < claims[-1].span.end:
                claims[-1].change = claims[-2].change
        self._elided_units(doc, claims)
        for n, c in enumerate(claims, 1):
            c.id = f"C{n}"
            self._claimant(document, c)
            document.claims.append(c)

    def _elided_units(self, doc, claims: list[Claim]) -> None:
        """A bare number after a counted one in the same sentence counts the same thing: "had
        330 seats and Labour 229", "killed 14 and wounded 21"."""
        for prev, c in zip(claims, claims[1:]):
            if c.unit is None and prev.unit is not None and prev.unit not in self._money \
                    and prev.unit != "percentage" and c.span.start - prev.span.end < 80:
                here = doc.char_span(c.span.start, c.span.end, alignment_mode="expand")
                before = doc.char_span(prev.span.start, prev.span.end, alignment_mode="expand")
                if here is not None and before is not None and here[0].sent.start <= before[0].i:
                    c.unit = prev.unit

    # ranges -------------------------------------------------------------------------------------
    def _range_end(self, doc, lows: list[str], num: Number, high: Number):
        """True when ``high`` closes a range opened by ``num`` ("10-12", "between 5% and 6%",
        "from five to 10 years", "two or three"), "score" for a result like "3-2"."""
        if num.vague or high.vague:
            return False
        first_unit, after = self._unit_after(lows, num.end)
        if after == num.end == high.start - 1 and lows[after] in ("-", "–") and doc[after].whitespace_ == "" \
                and doc[num.end - 1].whitespace_ == "" and not num.words and not high.words \
                and (max(num.value, high.value) <= 20 or high.value <= num.value) \
                and num.value == int(num.value) and high.value == int(high.value) \
                and not num.unit and not high.unit and not self._currency_before(lows, num.start) \
                and not self._unit_after(lows, high.end)[0] and self._counted(doc, lows, high) is None:
            return "score"                               # "a 3-2 vote", "won 2-1"
        if high.value <= num.value or num.words != high.words and lows[num.start] in ("a", "an") \
                or high.words and doc[high.start].is_title and high.start > doc[high.start].sent.start:
            return False                                 # "7-Eleven" is a name
        if first_unit and first_unit != self._unit_after(lows, high.end)[0]:
            return False
        stop = high.start - (1 if self._currency_before(lows, high.start) else 0)
        link = lows[after:stop]
        if len(link) == 2 and high.end < len(lows) and link[0] == lows[high.end] and link[0].isalpha():
            link = link[1:]                              # "between 60 pounds and 70 pounds"
        if len(link) != 1 or link[0] not in RANGE_LINKS:
            return False
        word = link[0]
        before = self._before_qualifier(lows, num.start)
        if word == "and" and before != "between":
            return False
        if word == "or" and high.value > 10 * max(num.value, 1):
            return False
        if word == "to" and before == "from" and self._change_verb_near(doc, num.start):
            return False                                 # "rose from 5% to 7%": two levels
        return True

    def _before_qualifier(self, lows: list[str], start: int) -> str:
        i = start - 1
        if i >= 0 and lows[i] in self.lex.units_before:
            i -= 1
        while i >= 0 and lows[i] in ("anywhere", "somewhere", "about", "some", "roughly"):
            i -= 1
        if i >= 0 and lows[i] in ("between", "from"):
            return lows[i]
        return lows[i] if i >= 0 else ""

    def _change_verb_near(self, doc, start: int) -> bool:
        for t in doc[max(0, start - 6):start]:
            lemma = t.lemma_.lower()
            if lemma in self.lex.up or lemma in self.lex.down:
                return True
        return False

    # what is not a claim -------------------------------------------------------------------------
    def _excluded(self, doc, lows: list[str], num: Number) -> bool:
        lex = self.lex
        first = doc[num.start]
        raw = lows[num.start]
        n = len(lows)
        prev = lows[num.start - 1] if num.start > 0 else ""
        nxt = lows[num.end] if num.end < n else ""
        currency = num.unit is not None or bool(self._currency_before(lows, num.start))
        unit_after = self._unit_after(lows, num.end)[0]
        measured = currency or unit_after is not None
        if num.words:
            if self._in_idiom(lows, num.start):
                return True
            if raw in lex.ordinals:
                return True
            if prev == "-" and first.is_title and num.start > first.sent.start + 1:
                return True                      # "7-Eleven"
        else:
            # clock times and dates: "10 am", "11:30", "March 3", "3 March"
            if _CLOCK.match(raw) and not measured:
                return True
            if nxt in lex.time_words and not unit_after:
                return True
            if len(raw) <= 2 and not measured and (prev.rstrip(".") in lex.months or nxt.rstrip(".") in lex.months):
                return True
            # a numbered list or section: "1." alone on its line
            if _LIST_MARK.match(raw + (nxt if nxt in (".", ")") else "")) and not measured \
                    and (num.start == 0 or "\n" in doc[num.start - 1].whitespace_ or doc[num.start - 1].is_space):
                return True
            # a year ("in 2014", "2020 elections", "the 1990s") unless money or a percentage
            if _YEAR.match(raw) and 1800 <= float(raw.rstrip("s")) <= 2100 and not measured \
                    and (first.ent_type_ == "DATE" or getattr(self._counted(doc, lows, num), "tag_", "") != "NNS"):
                return True
        if first.ent_type_ in ("DATE", "TIME") and not measured:
            # a duration ("three hours", "a 15-year-old") is a quantity; a date is not
            head = self._counted(doc, lows, num)
            if head is None or head.lower_.rstrip(".") in lex.months or head.pos_ not in ("NOUN", "PROPN"):
                return True
        # part of a name or code: "F-35", "Route 66", "Section 8", "the 16 Days of Action"
        if nxt == "-" and num.end + 1 < n and doc[num.end + 1].is_title and doc[num.end].whitespace_ == "" \
                and not measured and num.end + 1 > first.sent.start:
            return True                          # "7-Eleven", "3-Series"
        if prev in ("-", "#") and num.start > 1 and doc[num.start - 2].is_alpha \
                and doc[num.start - 2].whitespace_ == "" and not measured:
            return True
        if (prev in ("no.", "#", "number") or prev == "." and num.start > 1 and lows[num.start - 2] == "no") \
                and not measured:
            return True                          # "No. 10 Downing St.", "the No. 2 Republican"
        if nxt == "-" and num.end + 2 < n and lows[num.end + 1].rstrip("s") in lex.time_nouns \
                and lows[num.end + 2] in ("-", "old"):
            return True                          # an age: "a 48-year-old mother"
        if num.end + 1 < n and lows[num.end].rstrip("s") in lex.time_nouns and lows[num.end + 1] in ("old", "ago"):
            return True                          # an age or a date: "48 years old", "two years ago"
        if raw == "one" and nxt == "day" and prev in lex.modals:
            return True                          # "could one day reach"
        if first.ent_type_ in NAME_ENTITIES and not measured:
            return True
        head = self._counted(doc, lows, num)
        if not measured and num.start > 0 and num.start > first.sent.start and (not num.words or first.is_title):
            before = doc[num.start - 1]
            if before.pos_ == "PROPN" and before.ent_type_ not in ("NORP", "DATE") \
                    or (before.pos_ == "NOUN" and first.head.i == before.i and head is None):
                return True                      # a label after a name or a noun ("Article 5")
        if head is not None and not measured and head.is_title and head.i > num.end - 1 \
                and doc[num.end].is_title and head.ent_type_ != "NORP" and head.i > first.sent.start + 1 \
                and doc[num.end].ent_type_ not in ("NORP", "GPE") \
                and head.tag_ != "NNPS":
            return True                          # a title: "100 Most Influential People"
        if num.words:
            if head is None and not measured and not num.vague and num.value >= 1 \
                    and (raw == "one" or prev not in ("to", "at")):
                return True                      # a bare "one", "the two" standing for nouns
            if raw == "one" and num.end == num.start + 1 and (nxt == "of" or self._speaker(head)
                                                               or head is not None and head.dep_ == "attr"):
                return True                      # "one of the parties", "one official said", "is one piece"
            if prev in lex.anaphoric and head is not None and head.lemma_.lower() in lex.party_nouns \
                    and num.value <= 4:
                return True                      # "the two leaders": the parties already named
        return False

    def _speaker(self, noun) -> bool:
        """A source described ("one official said", "one person familiar with the talks")."""
        if noun is None or noun.lemma_.lower() not in self.lex.speaker_nouns:
            return False
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.lemma_.lower() in self.lex.speech_verbs:
            return True
        return any(c.lower_ in ("familiar", "close", "briefed", "involved") for c in noun.children)

    def _in_idiom(self, lows: list[str], i: int) -> bool:
        for k, words in self._idioms_by_word.get(lows[i], ()):
            if i - k >= 0 and tuple(lows[i - k:i - k + len(words)]) == words:
                return True
        return False

    # the claim ------------------------------------------------------------------------------------
    def _currency_before(self, lows: list[str], i: int) -> Optional[str]:
        if i == 0:
            return None
        p = lows[i - 1]
        if p in self.lex.units_before:
            if i >= 2 and lows[i - 2] + p in self.lex.units_before and lows.doc[i - 2].whitespace_ == "":   # "US" "$"
                return self.lex.units_before[lows[i - 2] + p]
            return self.lex.units_before[p]
        return None

    def _unit_after(self, lows: list[str], j: int) -> tuple[Optional[str], int]:
        """A unit sign or word written after the number: (name, index after it)."""
        units = self.lex.units_after
        n = len(lows)
        if j < n and lows[j] == "-" and j + 1 < n and lows[j + 1] in units:
            j += 1                                            # "3,220-km"
        for width in self._unit_widths:
            if j + width <= n:
                words = lows[j] if width == 1 else " ".join(lows[j:j + width])
                if words in units:
                    return units[words], j + width
                if width == 2 and lows[j] in ("°", "º") and lows[j] + lows[j + 1] in units:
                    return units[lows[j] + lows[j + 1]], j + 2          # "30 °C" tokenised apart
        return None, j

    def _counted(self, doc, lows: list[str], num: Number):
        """The noun the number counts: its head when it modifies a noun ("5000 soldiers"), else
        the noun after "of" ("hundreds of people")."""
        last = doc[num.end - 1]
        head = last.head
        if head.pos_ == "ADJ" and head.dep_ in ("amod", "compound") and head.head.i > head.i:
            head = head.head                                  # "two B-2 stealth bombers"
        if last.dep_ in ("nummod", "quantmod", "amod", "compound", "npadvmod") and head.i >= num.end \
                and head.pos_ in ("NOUN", "PROPN") and head.i - num.end <= 5:
            while head.dep_ == "quantmod" and head.head.i > head.i:
                head = head.head
            if head.pos_ == "PROPN" and head.ent_type_ in ("GPE", "NORP"):
                # "350 U.S., Ukrainian and European representatives": the countries qualify the noun
                for t in doc[head.i + 1:min(head.i + 12, head.sent.end)]:
                    if t.tag_ == "NNS":
                        return t
                    if t.pos_ in ("VERB", "AUX", "ADP"):
                        break
            if head.pos_ in ("NOUN", "PROPN"):
                return head
        j = num.end
        if j < len(lows) and lows[j] in ("-", "plus") and j + 1 < len(lows) and lows[j + 1] == "plus":
            j += 2                                            # "1,600-plus casualties"
        elif j < len(lows) and lows[j] == "plus":
            j += 1
        if j < len(lows) and lows[j] in ('"', "”", "’", "'") and j + 1 < len(lows) and lows[j + 1] == "of":
            j += 1                                            # '"hundreds of thousands" of jobs'
        if j < len(lows) and lows[j] == "of" and j + 1 < len(lows):
            pobj = next((c for c in doc[j].children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ == "NOUN" and pobj.i - j <= 5:
                return pobj                                   # "hundreds of underground manufacturing facilities"
            for t in doc[j + 1:j + 5]:
                if t.pos_ in ("NOUN", "PROPN"):
                    nxt = t.i + 1
                    while nxt < len(doc) and nxt < j + 6 and doc[nxt].pos_ == "NOUN" and t.dep_ == "compound":
                        t = doc[nxt]
                        nxt += 1
                    return t
                if t.pos_ not in ("ADJ", "DET", "NUM", "PROPN", "ADV", "PUNCT", "PRON", "SPACE"):
                    break
        nxt = doc[j] if j < len(doc) else None
        if nxt is not None and nxt.pos_ == "NOUN" and (nxt.tag_ == "NNS" or nxt.lemma_.lower() in self.lex.time_nouns):
            return nxt
        return None

    def _claim(self, doc, text: str, lows: list[str], num: Number, high: Optional[Number]) -> Claim:
        lex = self.lex
        start = num.start
        unit = num.unit
        cur = self._currency_before(lows, num.start)
        if cur and not unit:
            unit = cur
            start = num.start - (2 if num.start >= 2 and lows[num.start - 2] + lows[num.start - 1] in lex.units_before
                                 and doc[num.start - 2].whitespace_ == "" else 1)
        top = high or num
        end = top.end
        if unit is None and high is not None:
            unit = high.unit or self._currency_before(lows, high.start)
        if unit is None and end < len(lows) and lows[end] in lex.casualty_words:
            unit, last_word = lows[end], end + 1             # "left 130 dead", "21 wounded"
        else:
            last_word = end
            if unit is None and self._counted(doc, lows, top) is None and self._after_toll(doc, lows, num.start):
                unit = "death"                               # "the death toll rose to 41,000"
        after_unit, after_end = self._unit_after(lows, end)
        last = last_word
        if after_unit and (not unit or after_unit == unit):
            unit, last = after_unit, after_end
        elif not unit:
            head = self._counted(doc, lows, top) or (self._counted(doc, lows, num) if high else None)
            if head is not None and head.lower_ not in lex.months:
                unit = head.lemma_.lower() if head.pos_ == "NOUN" else head.text
                unit = lex.spellings.get(unit, unit)
                last = max(last, head.i + 1)
        per, last = self._rate(doc, lows, num, unit, last)
        if per is None and after_unit and unit == after_unit and " per " in unit \
                and any(w in ("per", "a", "an") for w in lows[end:last]):
            per = doc[last - 1].lemma_.lower()               # "5 million barrels per day"
        if high is not None and start > 0 and lows[start - 1] in ("between", "from"):
            start -= 1                                       # the span says "between 5 and 7"
        qualifier, change = None, "="
        for words, ch in (self._before_by_last.get(lows[start - 1], ()) if start > 0 else ()):
            k = len(words)
            if start - k >= 0 and tuple(lows[start - k:start]) == words:
                qualifier, change = " ".join(t.text for t in doc[start - k:start]), ch
                start -= k
                break
        if qualifier is None:
            for words, ch in lex.qualifiers_after:
                k = len(words)
                for at in (num.end, last):
                    if at < len(lows) and lows[at] == words[0] and tuple(lows[at:at + k]) == words:
                        qualifier, change = " ".join(t.text for t in doc[at:at + k]), ch
                        last = max(last, at + k)
                        break
                if qualifier is not None:
                    break
        if qualifier is None:
            change = self._direction(doc, lows, num, change)
        span_end = doc[last - 1].idx + len(doc[last - 1])
        value_max = high.value if high is not None else num.value_max
        return Claim(id="", span=Span.of(text, doc[start].idx, span_end), value=_tidy(num.value),
                     unit=unit, change=change, value_max=_tidy(value_max) if value_max is not None else None,
                     qualifier=qualifier, per=per)

    def _rate(self, doc, lows: list[str], num: Number, unit: Optional[str], last: int):
        """The period or unit of a rate: "a week", "per day", "each year", "/day"."""
        j = last
        if j + 1 < len(lows) and lows[j] in RATE_WORDS \
                and not (j + 2 < len(lows) and lows[j + 2] in ("ago", "earlier", "later", "before", "after")):
            noun = doc[j + 1]
            lemma = noun.lemma_.lower()
            if noun.pos_ == "NOUN" and (lows[j] in ("per", "/") or lemma in self.lex.time_nouns
                                        or lemma in self.lex.rate_nouns or self._is_money(unit)):
                return lemma, j + 2
        if j < len(lows) and lows[j] in self.lex.rate_adverbs:
            return self.lex.rate_adverbs[lows[j]], j + 1         # "$6 billion annually"
        if unit:
            head = self._counted(doc, lows, num)
            if head is not None:
                for c in head.children:
                    if c.dep_ == "npadvmod" and c.lemma_.lower() in self.lex.time_nouns and c.i >= last:
                        return c.lemma_.lower(), max(last, c.i + 1)
        return None, last

    def _after_toll(self, doc, lows: list[str], i: int) -> bool:
        """The number is what a toll came to: "the toll rose to four", "a death toll of 41"."""
        if i == 0 or lows[i - 1] not in ("to", "of", "at"):
            return False
        sent_start = doc[i].sent.start
        return any(lows[k] == "toll" for k in range(max(sent_start, i - 9), i - 1))

    def _is_money(self, unit: Optional[str]) -> bool:
        return unit is not None and unit in self._money

    def _direction(self, doc, lows: list[str], num: Number, change: str) -> str:
        """up / down when the number is the size of a change ("rose 5%", "up 19 points",
        "cut by 3", "-1.2%")."""
        raw = lows[num.start]
        if raw[0] in "+-" and len(raw) > 1:
            return "up" if raw[0] == "+" else "down"
        i = num.start - 1
        if i >= 0 and lows[i] in self.lex.units_before:
            i -= 1
        if i >= 0 and lows[i] in ("up", "down"):
            return lows[i]
        if i >= 0 and lows[i] == "to" and doc[i].head.i < i:
            # the level a change reached: "support dropped to 53 percent" (ANNOTATING.md codes
            # it with the change's direction; the level it started from, "from 10 percent", is "=")
            lemma = doc[i].head.lemma_.lower()
            if lemma in self.lex.up:
                return "up"
            if lemma in self.lex.down:
                return "down"
        tok = doc[num.end - 1]
        seen = 0
        while tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and tok.head.i != tok.i and seen < 4:
            tok = tok.head
            seen += 1
            if tok.pos_ == "NOUN" and tok.i >= num.end:       # "a 6% increase", "a 3,000-job cut"
                lemma = tok.lemma_.lower()
                if lemma in self.lex.up or lemma in self.lex.up_nouns:
                    return "up"
                if lemma in self.lex.down or lemma in self.lex.down_nouns:
                    return "down"
        if tok.dep_ == "pobj" and tok.head.lower_ == "by":
            verb = tok.head.head
        elif tok.dep_ in ("dobj", "npadvmod", "advmod", "attr"):
            verb = tok.head
        else:
            return change
        lemma = verb.lemma_.lower()
        if lemma in self.lex.up:
            return "up"
        if lemma in self.lex.down:
            return "down"
        return change

    def _claimant(self, document: Document, claim: Claim) -> None:
        for q in document.quotes:
            # the number inside the quoted words (its unit may run past a partial quote's end)
            if q.content.start <= claim.span.start < q.content.end:
                claim.claimant = q.speaker
                claim.quote = q.id
                return


def _tidy(v: float) -> float:
    return float(int(v)) if v == int(v) else v
