"""Numeric claims: values, units, qualifiers, rates and who claimed them.

A claim is a number with what it counts: "more than 5000 … soldiers a week" (5000 soldier, ">",
per week), "1,000 prisoners of war", "$1.5bn", "24%", "dozens of troops". Numbers are read from
digits ("1,000", "1.5bn"), words ("a thousand", "three hundred and forty") and vague plurals
("hundreds of"); the unit comes from a currency or unit symbol next to the number
(``data/claims/units.yaml``) or else from the noun the number counts (its lemma). Qualifiers ("more
than", "about", "up to") and change verbs ("rose 5%") say how the number relates to the truth.

Years, dates, clock times, ordinals ("first round") and numbers that are part of a name ("S&P 500",
"F-35") are not claims. The claimant is the speaker of the quote whose content holds the number;
a number in the writer's own words has no claimant (the outlet).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


from .datafiles import load_yaml
from .errors import KnowledgeBaseError
from .model import Claim, Document, Span
from .pipeline import doc_text

TIME_NOUNS = frozenset({"second", "minute", "hour", "day", "week", "fortnight", "month", "quarter",
                        "year", "decade", "night", "session"})
DIMENSIONS = frozenset({"long", "high", "tall", "wide", "deep", "thick"})
RATE_WORDS = frozenset({"a", "an", "per", "each", "every", "/"})
_DIGITS = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_DIGITS_SUFFIX = re.compile(r"^(\d+(?:[.,]\d+)*)([a-zA-Zμ°%/]+)$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.I)


def _load(name: str):
    return load_yaml("claims", name)


@dataclass(frozen=True)
class ClaimLexicon:
    small: dict
    scales: dict
    suffixes: dict
    fractions: dict
    vague: dict
    ordinals: frozenset
    months: frozenset
    time_words: frozenset
    units_before: dict
    units_after: dict
    qualifiers: tuple          # (words tuple, phrase, change), longest first
    up: frozenset
    down: frozenset
    spellings: dict


@lru_cache(maxsize=1)
def lexicon() -> ClaimLexicon:
    nums, units, quals, changes = (_load("numbers.yaml"), _load("units.yaml"),
                                   _load("qualifiers.yaml"), _load("changes.yaml"))
    try:
        q = sorted(((tuple(k.lower().split()), k, v) for k, v in quals.items()), key=lambda x: -len(x[0]))
        return ClaimLexicon(
            small={k.lower(): float(v) for k, v in nums["small"].items()},
            scales={k.lower(): float(v) for k, v in nums["scales"].items()},
            suffixes={k.lower(): float(v) for k, v in nums["suffixes"].items()},
            fractions={k.lower(): float(v) for k, v in nums["fractions"].items()},
            vague={k.lower(): float(v) for k, v in nums["vague"].items()},
            ordinals=frozenset(w.lower() for w in nums["ordinals"]),
            months=frozenset(w.lower() for w in nums["months"]),
            time_words=frozenset(str(w).lower() for w in nums["time_words"]),
            units_before={str(k).lower(): v for k, v in units["before"].items()},
            units_after={str(k).lower(): v for k, v in units["after"].items()},
            qualifiers=tuple(q),
            up=frozenset(changes["up"]), down=frozenset(changes["down"]),
            spellings={str(k).lower(): v for k, v in (units.get("spellings") or {}).items()},
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise KnowledgeBaseError.e("E401", path="eventwire/data/claims", reason=f"bad entry: {exc}") from None


@dataclass
class _Number:
    start: int          # first token
    end: int            # one past the last token
    value: float
    change: Optional[str] = None     # ">" for vague plurals
    unit: Optional[str] = None       # from a suffix ("25k" no, "80km" yes)


class ClaimFinder:
    def __init__(self, nlp):
        self.nlp = nlp
        self.lex = lexicon()
        # currency signs written against the digits, longest first ("hk$" before "$")
        self._glued_prefixes = sorted((k for k in self.lex.units_before if not k.endswith(".")),
                                      key=len, reverse=True) + ["$us", "$a"]

    def annotate(self, doc, document: Document) -> None:
        numbers = self._numbers(doc)
        claims = []
        skip = set()
        for k, num in enumerate(numbers):
            if k in skip or self._excluded(doc, num):
                continue
            value_max = None
            end = num.end
            # Ranges: "10-12 people", "10 to 12", "between 10 and 12" (not "from 10 to 12": two levels).
            if k + 1 < len(numbers):
                nxt = numbers[k + 1]
                _, unit_end = self._unit_after(doc, num.end)     # "between 5% and 6%"
                link = doc[unit_end:nxt.start]
                joined = " ".join(t.lower_ for t in link)
                before = doc[num.start - 1].lower_ if num.start > 0 else ""
                cur_before = self._currency_before(doc, nxt.start)
                if cur_before:
                    joined = " ".join(t.lower_ for t in doc[unit_end:nxt.start - 1])
                first_unit, _ = self._unit_after(doc, num.end)
                same_unit = first_unit is None or first_unit == self._unit_after(doc, nxt.end)[0]
                if same_unit and ((joined in ("-", "–", "to") and before not in ("from",))
                        or (joined == "and" and before == "between")) and nxt.value > num.value:
                    if joined == "-" and num.value <= 20 and nxt.value <= 20 and num.value == int(num.value) \
                            and not self._unit_after(doc, nxt.end)[0] and not self._currency_before(doc, num.start):
                        skip.add(k + 1)
                        continue           # a score ("2-1"), not a quantity
                    value_max = nxt.value
                    end = nxt.end
                    skip.add(k + 1)
            claims.append(self._claim(doc, num, end, value_max))
        for n, c in enumerate(sorted(claims, key=lambda c: c.span.start), 1):
            c.id = f"C{n}"
            self._claimant(document, c)
            document.claims.append(c)

    # numbers --------------------------------------------------------------------------------
    def _word_value(self, low: str) -> Optional[float]:
        if low in self.lex.small:
            return self.lex.small[low]
        return None

    def _numbers(self, doc) -> list[_Number]:
        out: list[_Number] = []
        i, n = 0, len(doc)
        lex = self.lex
        while i < n:
            t = doc[i]
            low = t.lower_
            # vague plurals: "dozens of", "hundreds of thousands of"
            two = f"{low} {doc[i + 1].lower_} {doc[i + 2].lower_}" if i + 2 < n else ""
            if two in lex.vague:
                out.append(_Number(i, i + 3, lex.vague[two], ">"))
                i += 3
                continue
            if low in lex.vague and i + 1 < n and doc[i + 1].lower_ == "of":
                out.append(_Number(i, i + 1, lex.vague[low], ">"))
                i += 1
                continue
            # "a thousand", "a dozen", "a million", "half a million", "a third of"
            if low in ("a", "an") and i + 1 < n and (doc[i + 1].lower_ in lex.scales or doc[i + 1].lower_ == "dozen"):
                j = i + 1
                val, j = self._read_words(doc, j, start_value=1.0)
                if val is not None:
                    out.append(_Number(i, j, val))
                    i = j
                    continue
            if low == "half" and i + 2 < n and doc[i + 1].lower_ in ("a", "an") and doc[i + 2].lower_ in lex.scales:
                out.append(_Number(i, i + 3, 0.5 * lex.scales[doc[i + 2].lower_]))
                i += 3
                continue
            if low in ("a", "one") and i + 2 < n and doc[i + 1].lower_ in ("third", "quarter", "half") \
                    and doc[i + 2].lower_ == "of":
                out.append(_Number(i, i + 2, lex.fractions[doc[i + 1].lower_]))
                i += 2
                continue
            num = self._read_digits(doc, i)
            if num is not None:
                out.append(num)
                i = num.end
                continue
            if self._word_value(low) is not None and t.pos_ in ("NUM", "DET", "PRON", "NOUN") \
                    and low != "dozen" or (low == "dozen" and t.pos_ == "NUM"):
                val, j = self._read_words(doc, i)
                if val is not None:
                    out.append(_Number(i, j, val))
                    i = j
                    continue
            i += 1
        return out

    def _read_digits(self, doc, i: int) -> Optional[_Number]:
        t = doc[i]
        raw = t.text
        unit = None
        scale = 1.0
        low = raw.lower()
        for prefix in self._glued_prefixes:          # "RM23.50", "USD10m", "$US55,931,000"
            if low.startswith(prefix) and len(raw) > len(prefix) and raw[len(prefix)].isdigit():
                unit = self.lex.units_before[prefix.rstrip("$") if prefix.startswith("$") and len(prefix) > 1
                                             and prefix.rstrip("$") in self.lex.units_before else prefix] \
                    if prefix in self.lex.units_before else "dollar"
                raw = raw[len(prefix):]
                break
        if _DIGITS.match(raw):
            value = float(raw.replace(",", ""))
        else:
            m = _DIGITS_SUFFIX.match(raw)
            if not m or "," in m.group(1) and not _DIGITS.match(m.group(1)):
                return None
            suffix = m.group(2).lower()
            if suffix == "m" and i + 1 < len(doc) and doc[i + 1].lower_.lstrip("-") in DIMENSIONS:
                unit = "metre"                          # "a 37m-long skeleton"
            elif suffix in self.lex.suffixes:
                scale = self.lex.suffixes[suffix]
            elif suffix in self.lex.units_after:
                unit = self.lex.units_after[suffix]
            else:
                return None
            value = float(m.group(1).replace(",", ""))
        j = i + 1
        # "1.5 million", "5,000 billion", "3 dozen"
        if scale == 1.0 and j < len(doc) and doc[j].lower_ in self.lex.scales:
            while j < len(doc) and doc[j].lower_ in self.lex.scales:
                scale *= self.lex.scales[doc[j].lower_]
                j += 1
        elif scale == 1.0 and j < len(doc) and doc[j].lower_ in self.lex.suffixes and t.whitespace_ == "" \
                and not (j + 1 < len(doc) and doc[j + 1].lower_.lstrip("-") in DIMENSIONS):
            scale = self.lex.suffixes[doc[j].lower_]       # "1.2m tons", "25k"
            j += 1
        if i > 0 and doc[i - 1].lower_ in ("minus", "negative", "minus-") or raw.startswith("-") and i > 0 \
                and doc[i - 1].lower_ == "minus":
            value = -abs(value)
        elif i > 1 and doc[i - 1].text == "-" and doc[i - 2].lower_ == "minus":
            value = -abs(value)
        return _Number(i, j, value * scale, unit=unit)

    def _read_words(self, doc, i: int, start_value: Optional[float] = None):
        """Value of a run of number words from token i ("three hundred and forty-two")."""
        lex = self.lex
        total, current, seen = 0.0, (start_value or 0.0), start_value is not None
        j = i
        n = len(doc)
        while j < n:
            low = doc[j].lower_
            if low in lex.small:
                current += lex.small[low]
                seen = True
            elif low in lex.scales:
                current = (current or 1.0) * lex.scales[low]
                if lex.scales[low] >= 1000:
                    total += current
                    current = 0.0
                seen = True
            elif low in ("-", "and") and seen and j + 1 < n and (doc[j + 1].lower_ in lex.small or doc[j + 1].lower_ in lex.scales) \
                    and (low == "-" or (j > 0 and doc[j - 1].lower_ in lex.scales)):
                pass
            else:
                break
            j += 1
        if not seen or j == i:
            return None, i
        return total + current, j

    # what is not a claim ---------------------------------------------------------------------
    def _excluded(self, doc, num: _Number) -> bool:
        lex = self.lex
        first = doc[num.start]
        raw = first.text
        low_words = {t.lower_ for t in doc[num.start:num.end]}
        if low_words & lex.ordinals or _ORDINAL.match(raw) or first.ent_type_ == "ORDINAL" and not first.like_num:
            return True
        prev = doc[num.start - 1] if num.start > 0 else None
        nxt = doc[num.end] if num.end < len(doc) else None
        currency = self._currency_before(doc, num.start)
        unit_after, _ = self._unit_after(doc, num.end)
        # clock times: "10 am", "11:30", "3 p.m."
        if re.match(r"^\d{1,2}[:.]\d{2}$", raw) and not currency and not unit_after:
            return True
        if nxt is not None and nxt.lower_ in lex.time_words and not unit_after:
            return True
        if re.match(r"^\d{1,2}(am|pm)$", raw.lower()):
            return True
        # dates: a year, a day next to a month name
        if re.match(r"^\d{4}s?$", raw) and 1500 <= float(raw.rstrip("s")) <= 2100 and not currency \
                and not (unit_after and unit_after != "percentage") and not (nxt is not None and nxt.tag_ == "NNS"):
            return True
        if re.match(r"^\d{1,2}$", raw) and ((prev is not None and prev.lower_.rstrip(".") in lex.months)
                                             or (nxt is not None and nxt.lower_.rstrip(".") in lex.months)):
            return True
        if first.ent_type_ in ("DATE", "TIME") and not currency and not unit_after:
            # a duration ("three hours", "a 15-year-old") is a quantity; a date is not
            # (the tagger also marks plain counts "10 and 12 people" as DATE now and then)
            head = self._counted(doc, num)
            if head is None or head.pos_ != "NOUN" or head.lower_.rstrip(".") in lex.months:
                return True
        # part of a name or code: "S&P 500", "F-35", "COVID-19", "Section 427", "G7", "9/11"
        if re.search(r"\d", raw) and re.search(r"[A-Za-z]", raw) and not _DIGITS_SUFFIX.match(raw):
            return True
        if "/" in raw:
            return True
        if prev is not None and prev.text in ("-", "#") and num.start > 1 and doc[num.start - 2].is_alpha \
                and not doc[num.start - 2].like_num and doc[num.start - 2].whitespace_ == "":
            return True
        if first.ent_type_ in ("ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC", "LAW", "GPE", "PERSON") \
                and not currency and not unit_after:
            return True
        if not currency and not unit_after and prev is not None and num.start > prev.sent.start:
            # "category 4", "Section 427", "Stoxx 600 index": a number after a name or noun it labels
            if prev.pos_ == "PROPN" or (prev.pos_ == "NOUN" and first.head.i == prev.i):
                return True
        counted = self._counted(doc, num)
        if counted is not None and counted.tag_ == "NNP" and not currency and not unit_after:
            return True               # "787 Dreamliner", "Boeing 737 Max"
        return False

    # the claim --------------------------------------------------------------------------------
    def _currency_before(self, doc, i: int) -> Optional[str]:
        if i == 0:
            return None
        p = doc[i - 1].lower_
        if p in self.lex.units_before:
            return self.lex.units_before[p]
        if i >= 2 and (doc[i - 2].lower_ + p) in self.lex.units_before:     # "US" "$"
            return self.lex.units_before[doc[i - 2].lower_ + p]
        return None

    def _unit_after(self, doc, j: int) -> tuple[Optional[str], int]:
        """A unit symbol or word written after the number: (name, index after it)."""
        if j >= len(doc):
            return None, j
        for width in (2, 1):
            if j + width <= len(doc):
                words = " ".join(t.lower_ for t in doc[j:j + width])
                if words in self.lex.units_after:
                    return self.lex.units_after[words], j + width
                glued = "".join(t.lower_ for t in doc[j:j + width])
                if width == 2 and glued in self.lex.units_after and doc[j].whitespace_ == "":
                    return self.lex.units_after[glued], j + width
        return None, j

    def _counted(self, doc, num: _Number):
        """The noun the number counts: its head when it modifies a noun, else the noun after
        "of" ("hundreds of people")."""
        last = doc[num.end - 1]
        tok = last
        # "more than 5000" → quantmod chain ends at the number; "5000 soldiers": nummod → soldiers
        if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and tok.head.i > tok.i \
                and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i - num.end <= 5:
            head = tok.head
            while head.dep_ == "quantmod" and head.head.i > head.i:
                head = head.head
            if head.pos_ in ("NOUN", "PROPN"):
                return head
        for t in (doc[num.start:num.end]):
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if of is not None:
                pobj = next((c for c in of.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
        if num.end < len(doc) and doc[num.end].lower_ == "of" and num.end + 1 < len(doc):
            after = doc[num.end + 1:num.end + 4]
            noun = next((t for t in after if t.pos_ in ("NOUN", "PROPN")), None)
            if noun is not None:
                return noun
        nxt = doc[num.end] if num.end < len(doc) else None
        if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ == "NNS":
            return nxt
        return None

    def _claim(self, doc, num: _Number, end: int, value_max: Optional[float]) -> Claim:
        lex = self.lex
        text = doc_text(doc)
        start = num.start
        unit = num.unit
        cur = self._currency_before(doc, num.start)
        if cur:
            unit = cur
            start = num.start - 1
            if num.start >= 2 and (doc[num.start - 2].lower_ + doc[num.start - 1].lower_) in lex.units_before:
                start = num.start - 2
        after_unit, after_end = self._unit_after(doc, end)
        last = end
        per = None
        if after_unit and not unit:
            unit = after_unit
            last = after_end
        elif not unit:
            head = self._counted(doc, num)
            if head is not None and head.lower_ not in lex.months:
                unit = head.lemma_.lower() if head.pos_ == "NOUN" else head.text
                unit = lex.spellings.get(unit, unit)
                last = max(last, head.i + 1)
        if unit is None and end < len(doc) and doc[end].lower_ in ("dollars", "euros", "pounds"):
            unit = doc[end].lemma_.lower()
            last = end + 1
        # rate: "a week", "per day", "each year", "/day", "per barrel"
        j = last
        if j + 1 < len(doc) and doc[j].lower_ in RATE_WORDS:
            noun = doc[j + 1]
            if noun.pos_ == "NOUN" and (doc[j].lower_ in ("per", "/") or noun.lemma_.lower() in TIME_NOUNS):
                per = noun.lemma_.lower()
                last = j + 2
        if per is None and unit:
            head = self._counted(doc, num)
            if head is not None:
                for c in head.children:
                    if c.dep_ == "npadvmod" and c.lemma_.lower() in TIME_NOUNS and c.i >= last:
                        per = c.lemma_.lower()
                        last = max(last, c.i + 1)
        # qualifier before the number (and before a currency sign)
        qualifier, change = None, num.change or "="
        for words, phrase, ch in lex.qualifiers:
            k = len(words)
            if start - k >= 0 and tuple(t.lower_ for t in doc[start - k:start]) == words:
                qualifier, change = " ".join(t.text for t in doc[start - k:start]), ch
                start -= k
                break
        if qualifier is None:
            change = self._direction(doc, num, change)
        if num.change and qualifier is None:
            qualifier = doc[num.start].text
        span_end = doc[last - 1].idx + len(doc[last - 1])
        return Claim(id="", span=Span.of(text, doc[start].idx, span_end), value=_tidy(num.value), unit=unit,
                     change=change, value_max=_tidy(value_max) if value_max is not None else None,
                     qualifier=qualifier, per=per)

    def _direction(self, doc, num: _Number, change: str) -> str:
        """up / down when the number is the size of a change ("rose 5%", "up 19 cents", "cut by 3")."""
        if num.start > 0 and doc[num.start - 1].lower_ in ("up", "down"):
            return doc[num.start - 1].lower_
        if num.start > 1 and doc[num.start - 1].text in self.lex.units_before and doc[num.start - 2].lower_ in ("up", "down"):
            return doc[num.start - 2].lower_
        tok = doc[num.end - 1]
        # climb from the number to its phrase head, then to the verb
        seen = 0
        while tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and tok.head.i != tok.i and seen < 4:
            tok = tok.head
            seen += 1
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
            if q.content.start <= claim.span.start and claim.span.end <= q.content.end:
                claim.claimant = q.speaker
                claim.quote = q.id
                return


def _tidy(v: float) -> float:
    return float(int(v)) if v == int(v) else v
