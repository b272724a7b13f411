"""Reading numbers out of a parsed text: digits, number words, fractions and vague amounts.

Only the value is read here ("1.5bn" -> 1.5e9, "three hundred and forty-two" -> 342, "hundreds
of" -> 100 to 1,000); whether the number is a claim, and what it counts, is the finder's job.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional

from spacy.attrs import IDX

from .lexicon import ClaimLexicon

# sign, digits (with thousands commas), decimals, a fraction sign, letters glued on ("bn", "km")
_DIGITS = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(\.\d+)?([½¼¾⅓⅔]?)((?:[^\W\d_]|[°º])*(?:/[^\W\d_]+)?|%)$")
_GLUED_RANGE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(%?)[-–](\d[\d,]*(?:\.\d+)?)$")
_WORD_OR_DIGITS = re.compile(r"\d+|[^\W\d_]+")
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")
# a length written as "30m-long" or "30m-high" ("m" is metres there, not millions)
DIMENSIONS = frozenset({"long", "high", "tall", "wide", "deep", "thick"})


@dataclass
class Number:
    start: int                       # first token
    end: int                         # one past the last token
    value: float
    value_max: Optional[float] = None   # vague amounts: the top of their range
    unit: Optional[str] = None       # written against the digits ("60km", "US$5")
    vague: bool = False              # "hundreds of", "several thousand"
    words: bool = False              # written in words ("two", "a dozen")


class LowerTokens:
    """The lower-case forms of a Doc's tokens, made on first use: a number touches a few dozen
    tokens around it, and making a spaCy Token for each of an article's thousands costs more
    than everything else the claims stage does."""

    def __init__(self, doc):
        self.doc = doc
        self.n = len(doc)
        self._cache: list = [None] * self.n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):
        if i.__class__ is slice:
            return [self[j] for j in range(*i.indices(self.n))]
        low = self._cache[i]
        if low is None:
            low = self._cache[i] = self.doc[i].lower_
        return low


def _tens(value: Optional[float]) -> bool:
    return value is not None and value >= 20 and value % 10 == 0


def _starts_with_digit(low: str) -> bool:
    c = low[0]
    return c.isdigit() or (c in "+-." and len(low) > 1 and low[1].isdigit())


class NumberReader:
    def __init__(self, lex: ClaimLexicon):
        self.lex = lex
        # currency signs written against the digits, longest first ("hk$" before "$")
        self._glued_prefixes = sorted(lex.units_before, key=len, reverse=True)
        self._vague_first = frozenset(w[0] for w in lex.vague_before_scale)
        self._pair_first = frozenset(p[0] for p, _ in lex.pairs)
        # where a number may start: a digit, or a word that opens one ("a" and "an" only before
        # a word that makes them a number: "a dozen", "a third of", "a pair of"). A scan over
        # the words with a set look-up is faster than one regular expression of all the words.
        self._after_a = frozenset(lex.scales) | frozenset(lex.fractions) \
            | {p[1] for p, _ in lex.pairs if len(p) > 1} | {w[1] for w in lex.vague_before_scale if len(w) > 1}

    def candidates(self, doc, text: str) -> list[int]:
        """Indices of the tokens where a number may start, in order (``text`` is ``doc.text``)."""
        starts = None
        out: list[int] = []
        last = -1
        starters = self.lex.starters
        after_a = self._after_a
        for m in _WORD_OR_DIGITS.finditer(text):
            word = m.group()
            if not word[0].isdigit():
                low = word.lower()
                if low not in starters:
                    continue
                if low in ("a", "an"):
                    nxt = _NEXT_WORD.match(text, m.end())
                    if nxt is None or nxt.group(1).lower() not in after_a:
                        continue
            if starts is None:
                starts = doc.to_array([IDX]).tolist()
            i = bisect_right(starts, m.start()) - 1
            if i > last:
                out.append(i)
                last = i
        return out

    def read(self, doc, lows: LowerTokens, text: Optional[str] = None) -> list[Number]:
        out: list[Number] = []
        end = 0
        starters = self.lex.starters
        for i in self.candidates(doc, doc.text if text is None else text):
            if i < end:
                continue
            low = lows[i]
            if not low:
                continue
            num = None
            if _starts_with_digit(low) or (low[-1].isdigit() and not low[0].isalpha()):
                num = self._digits(doc, lows, i)
            elif low in starters:
                num = self._words(lows, i)
            if num is not None:
                out.append(num)
                end = num.end
        return out

    # digits -----------------------------------------------------------------------------------
    def _digits(self, doc, lows: list[str], i: int) -> Optional[Number]:
        lex = self.lex
        raw = lows[i]
        unit = None
        if not _starts_with_digit(raw):                 # "us$58", "€3bn"
            prefix = next((p for p in self._glued_prefixes if raw.startswith(p)), None)
            if prefix is None or not _starts_with_digit(raw[len(prefix):]):
                return None
            unit, raw = lex.units_before[prefix], raw[len(prefix):]
        m = _DIGITS.match(raw[:-1] if raw.endswith(".") and len(raw) > 2 else raw)   # "15W." at the end
        if m is None:
            glued = _GLUED_RANGE.match(raw)                 # "5.25%-5.5" tokenised as one
            if glued is None or unit is not None:
                return None
            low, pct, high = float(glued.group(1).replace(",", "")), glued.group(2), float(glued.group(3).replace(",", ""))
            if high <= low:
                return None
            return Number(i, i + 1, low, high, unit="percentage" if pct else None)
        sign, whole, decimals, glyph, suffix = m.groups()
        value = float((whole.replace(",", "") or "0") + (decimals or ""))
        if glyph:
            value += lex.glyphs[glyph]
        scale = 1.0
        j = i + 1
        if suffix:
            if suffix == "m" and j + 1 < len(lows) and lows[j] == "-" and lows[j + 1] in DIMENSIONS:
                unit = "metre"
            elif suffix in lex.suffixes:
                scale = lex.suffixes[suffix]
            elif suffix in lex.units_glued and unit is None:
                unit = lex.units_glued[suffix]
            else:
                return None                             # "1990s", "21st", "2GB" (a name), "F35"
        elif j < len(lows) and lows[j] in lex.suffixes and (doc[i].whitespace_ == "" or lows[j] in lex.spaced_suffixes):
            scale = lex.suffixes[lows[j]]               # tokenised apart: "1.2" "m"
            j += 1
        # "1.5 million", "5,000 billion", "3 dozen", "$1.2-billion"
        if scale == 1.0 and j + 1 < len(lows) and lows[j] == "-" and lows[j + 1] in lex.scales \
                and doc[i].whitespace_ == "" and doc[j].whitespace_ == "":
            j += 1
        while scale == 1.0 and j < len(lows) and lows[j] in lex.scales:
            while j < len(lows) and lows[j] in lex.scales:
                scale *= lex.scales[lows[j]]
                j += 1
        if sign == "-" or (i > 0 and lows[i - 1] in ("minus", "negative")):
            value = -value
        return Number(i, j, value * scale, unit=unit)

    # words ------------------------------------------------------------------------------------
    def _words(self, lows: list[str], i: int) -> Optional[Number]:
        lex = self.lex
        n = len(lows)
        low = lows[i]
        nxt = lows[i + 1] if i + 1 < n else ""
        # vague amounts: "tens of thousands of", "hundreds of", "dozens of"
        three = f"{low} {nxt} {lows[i + 2]}" if i + 2 < n else ""
        if three in lex.vague:
            lo, hi = lex.vague[three]
            return Number(i, i + 3, lo, hi, vague=True, words=True)
        if low in lex.vague and nxt in ("of", '"', "”", "'"):
            lo, hi = lex.vague[low]
            return Number(i, i + 1, lo, hi, vague=True, words=True)
        # "several hundred", "a few thousand"
        for words in (lex.vague_before_scale if low in self._vague_first else ()):
            k = len(words)
            if tuple(lows[i:i + k]) == words and i + k < n and lows[i + k] in lex.scales:
                scale = lex.scales[lows[i + k]]
                return Number(i, i + k + 1, scale, scale * 10, vague=True, words=True)
        # "a pair of", "a couple of"
        for words, value in (lex.pairs if low in self._pair_first else ()):
            if tuple(lows[i:i + len(words)]) == words:
                return Number(i, i + len(words), value, words=True)
        # "half a million"
        if low == "half" and nxt in ("a", "an") and i + 2 < n and lows[i + 2] in lex.scales:
            return Number(i, i + 3, 0.5 * lex.scales[lows[i + 2]], words=True)
        # "a third of", "one quarter of", "half of"
        if low in ("a", "an", "one") and nxt in lex.fractions and i + 2 < n and lows[i + 2] == "of":
            if i + 4 < n and lows[i + 3] in ("a", "an") and lows[i + 4] in lex.scales:
                # "a quarter of a million"
                return Number(i, i + 5, lex.fractions[nxt] * lex.scales[lows[i + 4]], words=True)
            return Number(i, i + 2, lex.fractions[nxt], words=True)
        if low == "half" and (nxt == "of" or i > 0 and lows[i - 1] in ("by", "in")):
            return Number(i, i + 1, 0.5, words=True)              # "half of", "cut by half"
        # "a thousand", "a dozen", "a million"
        if low in ("a", "an"):
            if nxt in lex.scales:
                value, j = self._count_words(lows, i + 1, start=1.0)
                return Number(i, j, value, words=True)
            return None
        if low not in lex.small and low not in lex.scales:
            return None
        value, j = self._count_words(lows, i)
        # "two-thirds", "three quarters"
        if j < n and value < 10:
            k = j + 1 if lows[j] == "-" else j
            if k < n and lows[k] in lex.fractions and (lows[k].endswith("s") or value == 1 and k > j):
                return Number(i, k + 1, value * lex.fractions[lows[k]], words=True)
        return Number(i, j, value, words=True)

    def _count_words(self, lows: list[str], i: int, start: Optional[float] = None) -> tuple[float, int]:
        """Value of a run of number words from token i ("three hundred and forty-two"), and
        the index after it."""
        lex = self.lex
        total, current = 0.0, (start or 0.0)
        j, n = i, len(lows)
        while j < n:
            low = lows[j]
            if low in lex.small:
                current += lex.small[low]
            elif low in lex.scales:
                current = (current or 1.0) * lex.scales[low]
                if lex.scales[low] >= 1000:
                    total += current
                    current = 0.0
            elif j > i and j + 1 < n and lows[j + 1] in lex.small and (
                    (low == "-" and _tens(lex.small.get(lows[j - 1])) and lex.small[lows[j + 1]] < 10)
                    or (low == "and" and lows[j - 1] in lex.scales)):
                pass                                    # "forty-two", "hundred and forty"
            else:
                break
            j += 1
        return total + current, j
