"""Handlers for spans and repetitions: durations ("three years"), offsets ("two weeks ago"),
quarters, sets ("every Monday", "twice a week") and rates ("5,000 a week")."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .dates import add_months, iso_week
from .tense import ParseView


class DurationHandlers(ParseView):
    """The ``h_<rule>`` handlers of the rules that measure or repeat time."""

    def _number(self, word: str):
        w = re.sub(r"\s+", " ", word.lower())
        if re.fullmatch(r"\d+\s+1/2", w):
            return float(w.split()[0]) + 0.5
        if re.fullmatch(r"\d+(\.\d+)?", w):
            return float(w)
        v = self.g.numbers.get(w)
        return v

    def h_ago(self, m: re.Match):
        n = self._number(m["num"])
        unit = self.g.units[m["unit"].lower()]
        word = m["dir"].lower()
        direction = -1 if word in ("ago", "earlier") else 1
        if word == "later" or word == "earlier" and n in ("X", None):
            # "three months later", "a few days earlier": counted from the story's last event, not
            # from the publication date; TimeML keeps the span ("N units before/after X" likewise)
            return "DURATION", self._duration(n if n is not None else "X", unit), True
        if n == "X" or n is None:
            if self.dct is None:
                return "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", False
            return "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", True
        if self.dct is None:
            return "DATE", "XXXX-XX-XX", False
        k = int(n) * direction
        dct = self.dct
        if m["agoday"]:
            # "two years ago tomorrow": that day, so many units back
            day = dct + dt.timedelta(days=self.g.rel_days[m["agoday"].lower()])
            months = {"M": 1, "Q": 3, "Y": 12, "DE": 120}.get(unit)
            if months:
                y, mo = add_months(day.year, day.month, k * months)
                day = dt.date(y, mo, min(day.day, 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31))
            elif unit in ("D", "W"):
                day += dt.timedelta(days=k * (7 if unit == "W" else 1))
            return "DATE", day.isoformat(), True
        if unit == "D":
            return "DATE", (dct + dt.timedelta(days=k)).isoformat(), True
        if unit == "W":
            return "DATE", iso_week(dct + dt.timedelta(weeks=k)), True
        if unit == "M":
            y, mo = add_months(dct.year, dct.month, k)
            return "DATE", f"{y}-{mo:02d}", True
        if unit == "Y":
            rq = self._reported_quarter(m.start()) if k == -1 else None
            if rq:      # "up from $10 million a year ago" in an earnings report: that quarter then
                return "DATE", f"{rq[0] - 1}-Q{rq[1]}", True
            return "DATE", str(dct.year + k), True
        if unit == "DE":
            return "DATE", str(dct.year + 10 * k), True
        if unit == "Q":
            y, mo = add_months(dct.year, dct.month, 3 * k)
            return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}", True
        if unit in ("TH", "TM", "TS"):
            return "TIME", "PAST_REF" if k < 0 else "FUTURE_REF", True
        return None

    _QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter\b|\bquarter(?:ly)?\b", re.I)

    def _reported_quarter(self, start: int) -> Optional[tuple[int, int]]:
        """(year, quarter) of the quarter an earnings report compares with "a year earlier": the
        last quarter the text names before ``start``, else the last one ended; None when the
        text says nothing of quarters (then "a year ago" is a year)."""
        found = list(self._QUARTER.finditer(self.text, max(0, start - 400), start))
        if not found:
            return None
        cur = (self.dct.month - 1) // 3 + 1
        named = [f for f in found if f.group(1)]
        if named:
            word = named[-1].group(1).lower()
            q = int(word[0]) if word[0].isdigit() else self.g.ordinals[word]
            return (self.dct.year if q <= cur else self.dct.year - 1), q
        return (self.dct.year, cur - 1) if cur > 1 else (self.dct.year - 1, 4)

    def h_year_ago(self, m: re.Match):
        unit = m["ago"].lower()
        if self.dct is None:
            return "DATE", "XXXX", False
        dct = self.dct
        if unit == "year":
            rq = self._reported_quarter(m.start())
            if rq:      # "year-earlier profit", "the year-ago quarter" in an earnings report
                return "DATE", f"{rq[0] - 1}-Q{rq[1]}", True
            if "quarter" in m.group().lower():
                return "DATE", f"{dct.year - 1}-Q{(dct.month - 1) // 3 + 1}", True
            return "DATE", str(dct.year - 1), True
        if unit == "month":
            y, mo = add_months(dct.year, dct.month, -1)
            return "DATE", f"{y}-{mo:02d}", True
        if unit == "week":
            return "DATE", iso_week(dct - dt.timedelta(weeks=1)), True
        y, mo = add_months(dct.year, dct.month, -3)
        return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}", True

    def h_quarter(self, m: re.Match):
        if not (m["ord"] or m["latest"] or m.group().lower().startswith("the")):
            return None
        if m["ord"]:
            o = m["ord"].lower()
            q = self.g.ordinals.get(o) or int(o[0])
            if q > 4:
                return None
        else:
            q = None
        if m["year"]:
            year = self.year_of(m["year"])
            return "DATE", f"{year}-Q{q}" if q else f"{year}-QX", True
        if self.dct is None:
            return "DATE", f"XXXX-Q{q or 'X'}", False
        cur = (self.dct.month - 1) // 3 + 1
        if q is None:
            # "the quarter", "the latest quarter": in news, the last one that has ended
            if self.direction(m.start(), m.end()) > 0 or (m["latest"] or "").lower() == "current":
                return "DATE", f"{self.dct.year}-Q{cur}", True
            y, mo = add_months(self.dct.year, self.dct.month, -3)
            return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}", True
        y = self.dct.year
        if q > cur and self.direction(m.start(), m.end()) <= 0:
            y -= 1
        return "DATE", f"{y}-Q{q}", True

    def h_quarter_year(self, m: re.Match):
        o = m["ord"].lower()
        q = self.g.ordinals.get(o) or int(o[0])
        return "DATE", f"{m['qyear']}-Q{q}", True

    def _duration(self, n, unit_code: str) -> str:
        timepart = unit_code in ("TH", "TM", "TS")
        letter = unit_code[1:] if timepart else unit_code
        if (n == "X" or n is None) and letter in ("DE", "CE"):
            return "PXY"        # "decades-long", "many decades": TimeBank counts them in years
        if n == "X" or n is None:
            num = "X"
        elif letter == "2W":
            return f"P{2 * int(n)}W" if n != "X" else "PXW"
        elif letter == "WE":
            return f"P{2 * int(n)}D"
        elif letter in ("DE", "CE"):
            # TimeBank writes decades and centuries in years: "two decades" P20Y, "this century" P100Y
            k = 10 if letter == "DE" else 100
            return "PXY" if n == "X" else f"P{int(k * n) if float(k * n).is_integer() else k * n}Y"
        elif isinstance(n, float) and not n.is_integer():
            whole = int(n)
            if timepart and letter == "H":
                return f"PT{whole}H30M" if whole else "PT30M"
            if timepart and letter == "M":
                return f"PT{whole}M30S" if whole else "PT30S"
            if letter == "D":
                return f"P{whole}DT12H" if whole else "PT12H"
            if letter == "Y":
                return f"P{whole}Y6M" if whole else "P6M"
            num = str(n)
        else:
            num = str(int(n))
        return f"P{'T' if timepart else ''}{num}{letter}"

    def h_duration(self, m: re.Match):
        if m["old"]:
            return None         # an age ("a 33-year-old man")
        if m["unit"][:1].isupper() and not m["num"][:1].isupper():
            return None         # a name: "the 16 Days of Action"
        unit = m["unit"].lower()
        code = self.g.units[unit]
        n = self._number(m["num"])
        word = m["num"].lower()
        if word in ("a", "an") and not m["plural"]:
            # "a week" after a quantity is a rate ("5000 soldiers a week"): a SET
            if self._is_rate(m.start("num")):
                return "SET", self._duration(1, code), True
        if word in ("a", "an", "one") and unit in ("second", "quarter") or unit == "night" and word in ("a", "an", "one"):
            return None
        if n is None:
            return None
        if isinstance(n, float) and n > 1000:
            return None
        if unit == "quarter" and not re.search(r"\b(past|last|next|first|coming|previous|following|final|remaining)\b", m.group(), re.I):
            return None
        if m["half"] and isinstance(n, (int, float)):
            # "a day and a half": TimeBank writes the fraction ("P1.5D")
            if code in ("TH", "TM"):    # "an hour and a half" PT1H30M, "a minute and a half" PT1M30S
                return "DURATION", self._duration(float(n) + 0.5, code), True
            return "DURATION", f"P{float(n) + 0.5:g}{code}", True
        return "DURATION", self._duration(n, code), True

    def h_half(self, m: re.Match):
        """"half an hour" PT30M, "half a day" PT12H, "half a year" P6M."""
        if m["plural"]:
            return None
        return "DURATION", self._duration(0.5, self.g.units[m["unit"].lower()]), True

    def h_ahead(self, m: re.Match):
        return "DATE", "FUTURE_REF", True     # "in the years ahead", "for months to come"

    def _is_rate(self, start: int) -> bool:
        toks = self._tokens(start, start + 1)
        if not toks:
            return False
        t = toks[0]
        if t.i == 0:
            return False
        prev = t.nbor(-1)
        return prev.pos_ in ("NOUN", "PROPN", "NUM", "ADV") or prev.tag_ in ("NNS", "CD") or prev.lower_ in ("times", "once", "twice")

    def h_bare_plural(self, m: re.Match):
        bare = m.groupdict().get("bunit3")
        if bare:    # "months of talks", "days after the attack": a vague span
            before = self.text[max(0, m.start() - 12):m.start()].lower()
            before = self.text[max(0, m.start() - 24):m.start()].lower()
            if re.search(r"(\d|\b(?:the|these|those|his|her|its|their|our|many|few|several|some|two|three|four|five|ten|first|early|last|final|trading))\s+$", before) \
                    or re.search(r"\bthe\s+dark(?:est)?\s+$", before):   # "the darkest days of": an era
                return None     # counted or determined ("the days of", "several years of"): another rule's
            word = bare.lower()
            unit = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "decades": "Y", "hours": "TH"}[word]
            return "DURATION", "PTXH" if unit == "TH" else f"PX{unit}", True
        word = m["bunit"].lower()
        if word in self.g.no_bare_plural:
            return None
        intro = m["bare"].lower().split()
        unit = {"years": "Y", "months": "M", "weeks": "W", "days": "D", "decades": "Y",
                "hours": "TH", "minutes": "TM", "centuries": "Y"}[word]
        if intro and intro[-1] in ("recent", "past", "previous") and not set(intro) & {"the"} \
                and unit == "Y":
            return "DATE", "PAST_REF", True      # "in recent years", "in past decades"; "recent weeks" is PXW
        if unit.startswith("T"):
            return "DURATION", f"PTX{unit[1]}", True
        # keep the preposition out of the expression ("for years" -> "years")
        return "DURATION", f"PX{unit}", True

    def h_set(self, m: re.Match):
        # Two patterns lead here ("every Monday morning", "twice a week"); the second has no
        # weekday, part-of-day or every-N groups, so read them through groupdict().
        g = m.groupdict()
        if g.get("wd"):
            wd = self.g.weekdays.get(g["wd"].lower())
            if not wd or not g["wd"][:1].isupper():
                return None
            part = "T" + self.g.parts[g["part"].lower()] if g.get("part") else ""
            return "SET", f"XXXX-WXX-{wd}{part}", True
        code = self.g.units[m["unit"].lower()]
        if g.get("plural") and not g.get("evn"):
            return None
        n = 1
        evn = (m.groupdict().get("evn") or "").lower()
        if evn == "other":
            n = 2
        elif evn:
            n = self.g.numbers.get(evn, "X")
        return "SET", self._duration(n, code), True

    def h_long(self, m: re.Match):
        code = self.g.units[m["lunit"].lower()]
        if m["lplural"]:
            n = "X"
        else:
            n = self._number(m["num"]) if m["num"] else 1
        return "DURATION", self._duration(n, code), True

    def h_set_ly(self, m: re.Match):
        if m["ly"][:1].isupper() and m.end() < len(self.text) and re.match(r"\s+[A-Z]", self.text[m.end():m.end() + 2]):
            return None     # a title: "The Daily Caller", "Weekly Standard"
        code = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y",
                "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W"}[m["ly"].lower()]
        return "SET", code, True

    def h_rate(self, m: re.Match):
        code = self.g.units[m["unit"].lower()]
        if m["plural"]:
            return None
        if m["rate"].lower() == "per" or self._is_rate(m.start()):
            return "SET", self._duration(1, code), True
        return None

