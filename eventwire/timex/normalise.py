"""Normalisation: each rule's handler turns a match into (type, TIMEX3 value, anchored) or
refuses it. Calendar names, clock times and relative days are read here; durations, offsets
and sets in ``durations.py``."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .dates import add_months, holiday_date, iso_week, pick_year, safe_date
from .durations import DurationHandlers

# values resolved only once every timex of the text is known (find.resolve_anaphors)
ANAPHOR = "ANAPHOR:"
CLOCK = "CLOCK:"


class Normaliser(DurationHandlers):
    """All the handlers, one per rule of the grammar (``h_<rule name>``)."""

    def weekday_value(self, wd: int, start: int, end: int, rel: Optional[str]) -> tuple[str, bool]:
        if self.dct is None:
            return f"XXXX-WXX-{wd}", False
        dct = self.dct
        back = (dct.isoweekday() - wd) % 7
        if rel == "last":
            back = back or 7
            return (dct - dt.timedelta(days=back)).isoformat(), True
        if rel in ("next", "coming"):
            fwd = (wd - dct.isoweekday()) % 7 or 7
            return (dct + dt.timedelta(days=fwd)).isoformat(), True
        if rel == "this":
            monday = dct - dt.timedelta(days=dct.isoweekday() - 1)
            return (monday + dt.timedelta(days=wd - 1)).isoformat(), True
        if self.direction(start, end) > 0:
            fwd = (wd - dct.isoweekday()) % 7
            return (dct + dt.timedelta(days=fwd)).isoformat(), True
        return (dct - dt.timedelta(days=back)).isoformat(), True

    def month_day_value(self, month: int, day: int, year: Optional[int], start: int, end: int):
        if year is not None:
            d = safe_date(year, month, day)
            return (d.isoformat(), True) if d else None
        if self.dct is None:
            return f"XXXX-{month:02d}-{day:02d}", False
        # a clause with no tense to go by ("the Oct. 23 attack", "the year ended March 31") leans
        # back: news reports what has happened, unless the coming date is much nearer
        d = pick_year(self.dct, self.direction(start, end) or -1, lambda y: safe_date(y, month, day))
        if d is None:
            d = pick_year(self.dct, 0, lambda y: safe_date(y, month, day))
        return (d.isoformat(), True) if d else None

    def month_value(self, month: int, start: int, end: int, rel: Optional[str] = None):
        if self.dct is None:
            return f"XXXX-{month:02d}", False
        dct = self.dct
        if rel == "last":
            y = dct.year if month < dct.month else dct.year - 1
        elif rel == "next":
            y = dct.year if month > dct.month else dct.year + 1
        elif rel == "this":
            y = dct.year
        else:
            first = dt.date(dct.year, dct.month, 1)
            d = pick_year(first, self.direction(start, end), lambda yy: dt.date(yy, month, 1), strict=True)
            y = d.year if d else dct.year
        return f"{y}-{month:02d}", True

    def _month_of(self, m: re.Match) -> Optional[int]:
        word = m["mon"]
        if word is None:
            return None
        key = word.lower()
        if key in self.g.ambiguous and key != "may":
            # "Mar", "Jun", "Dec" …: only with a dot ("Dec. 5")
            if not self.text[m.end("mon"):m.end("mon") + 1] == ".":
                return None
        return self.g.months.get(key)

    # ---- handlers
    def h_month_day(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        day = int(m["day"])
        year = self.year_of(m["year"]) if m["year"] else None
        if m["year"] is None and re.match(r"\s*(%|percent|per\s+cent|million|billion)", self.text[m.end():], re.I):
            return None
        relmd = (m["relmd"] or "").lower()
        wd0 = self.g.weekdays.get((m["wd0"] or "").lower())
        if wd0 and year is None and self.dct is not None:
            # "Monday, Oct. 26": the year in which that day is a Monday, nearest first
            for k in (0, -1, 1, -2, 2):
                d = safe_date(self.dct.year + k, month, day)
                if d and d.isoweekday() == wd0:
                    return "DATE", d.isoformat(), True
        if relmd in ("last", "next") and year is None and self.dct is not None:
            d = pick_year(self.dct, -1 if relmd == "last" else 1, lambda y: safe_date(y, month, day), strict=True)
            return ("DATE", d.isoformat(), True) if d else None
        res = self.month_day_value(month, day, year, m.start(), m.end())
        return ("DATE",) + res if res else None

    def h_day_month(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        if self.text[m.start():m.end("day")].strip().isdigit() and m.start() > 0 and self.text[m.start() - 1] in "$£€":
            return None
        year = self.year_of(m["year"]) if m["year"] else None
        res = self.month_day_value(month, int(m["day"]), year, m.start(), m.end())
        return ("DATE",) + res if res else None

    def h_week_of(self, m: re.Match):
        """"the week of March 3": the ISO week holding that day."""
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        year = self.year_of(m["year"]) if m["year"] else None
        res = self.month_day_value(month, int(m["day"]), year, m.start(), m.end())
        if res is None:
            return None
        if res[0].startswith("X"):
            return "DATE", "XXXX-WXX", False
        return "DATE", iso_week(dt.date.fromisoformat(res[0])), res[1]

    def h_month_year(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        return "DATE", f"{self.year_of(m['year'])}-{month:02d}", True

    def h_month(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        toks = self._tokens(m.start("mon"), m.end("mon"))
        if toks and (toks[0].pos_ in ("VERB", "AUX") or toks[0].tag_ == "MD"):
            return None
        word = m["mon"].lower()
        if word == "may":
            # "May" alone is a month only after a preposition or a relative word
            before = self.text[max(0, m.start("mon") - 12):m.start("mon")].lower()
            if not (m["relm"] or m["vague"] or re.search(r"\b(in|of|since|until|by|from|through|last|next|this|early|late|mid)\s+$|mid-$", before)):
                return None
            if re.match(r"['’]s\b", self.text[m.end("mon"):]):
                return None     # "May's government": the prime minister
        if toks and toks[0].ent_type_ in ("PERSON", "ORG") and toks[0].ent_iob_ != "B":
            return None
        if re.match(r"\s+(?:for|of)\s+(?:the\s+)?[A-Z]", self.text[m.end():]):
            return None     # an event's name: "the March for Life"
        return ("DATE",) + self.month_value(month, m.start(), m.end(), (m["relm"] or "").lower() or None)

    def h_month_rel_year(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        if self.dct is None:
            return "DATE", f"XXXX-{month:02d}", False
        return "DATE", f"{self.dct.year + self.g.rel_mods[m['ry'].lower()]}-{month:02d}", True

    def h_iso(self, m: re.Match):
        d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return ("DATE", d.isoformat(), True) if d else None

    def h_numeric(self, m: re.Match):
        y = int(m["y"])
        if y < 100:
            y += 2000 if y < 50 else 1900
        d = safe_date(y, int(m["m"]), int(m["d"]))
        return ("DATE", d.isoformat(), True) if d else None

    def h_year(self, m: re.Match):
        ys, ye = m.start("year"), m.end("year")
        after = self.text[ye:ye + 16]
        before = self.text[max(0, ys - 12):ys]
        rng = re.match(r"[-–](\d{4}|\d\d)(?![\w-])", after)
        if rng and self._range_end(m["year"], rng[1]) is None:
            return None     # "1990-2345": a code, not a range of years
        if not rng and re.match(r"\s*(%|percent|per\s+cent|million|billion|thousand|[-–]\d|:\d|\.\d)", after, re.I):
            return None
        if re.search(r"[$£€#]\s*$|\b(no|number|flight|route|page|room|model|article|resolution|paragraph)\.?\s+$|\d[-–]$", before, re.I):
            return None
        if re.search(r"\b[A-Z]{3,}\s+$", before):
            return None     # a code or a numbered resolution ("UNSCR 1701")
        spoken = not m["year"].isdigit()
        if spoken and m["year"].lower().replace(" ", "") == "twothousand" and not re.search(r"\byear\s+$", before, re.I):
            return None     # "two thousand" is a count unless it follows "the year"
        toks = self._tokens(ys, ye)
        if toks:
            t, last = toks[0], toks[-1]
            nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
            # "2000 soldiers": a count of a plural noun, not a year
            if nxt is not None and nxt.tag_ == "NNS" and not m["post"] \
                    and nxt.lower_ not in ("elections", "games", "talks", "olympics"):
                return None
            if not spoken and t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL") and not m["fiscal"] and not re.search(r"\b(in|since|of|by|until|from|before|after|during|the|early|late|mid|between|and|to)\s+$", before, re.I):
                return None
        # "fiscal 1989" keeps the calendar year: TimeBank writes 1989, not FY1989
        return "DATE", str(self.year_of(m["year"])), True

    @staticmethod
    def _range_end(first: str, second: str):
        """The year ending the range ``first``-``second`` ("2012", "16" -> 2016), or None when the
        two do not make a range of years."""
        if not first.isdigit():
            return None
        a = int(first)
        b = int(second) if len(second) == 4 else a // 100 * 100 + int(second)
        return b if a < b <= a + 50 else None

    def h_year_range_end(self, m: re.Match):
        first = self.text[m.start() - 5:m.start() - 1]
        before = self.text[max(0, m.start() - 20):m.start() - 5]
        if re.search(r"[$£€#]\s*$|\b(no|number|flight|route|page|room|model|article|resolution|paragraph)\.?\s+$", before, re.I) \
                or re.search(r"\b[A-Z]{3,}\s+$", before):
            return None     # "page 2001-02": a number range, as for the first year
        end = self._range_end(first, m["y2"])
        if end is None or re.match(r"\s*(%|percent|million|billion)", self.text[m.end():], re.I):
            return None
        return "DATE", str(end), True

    def h_decade(self, m: re.Match):
        g = m.groupdict()
        if g.get("dword"):     # "the nineties"
            return "DATE", self.g.decade_words[g["dword"].lower()], True
        if g.get("dec2"):      # "the '90s": this century's only up to the present decade
            d = int(g["dec2"])
            now = self.dct.year if self.dct else 2000
            century = 20 if 2000 + 10 * d <= now + 1 else 19
            return "DATE", f"{century}{d}", True
        return "DATE", m["dec"], True      # TimeML: the 1990s are "199"

    def h_century(self, m: re.Match):
        if m["cnum"]:
            n = int(m["cnum"])
        else:
            o = m["ord"].lower()
            n = self.g.ordinals.get(o) or int(re.match(r"\d+", o).group())
        return "DATE", f"{n - 1:02d}", True

    def h_season(self, m: re.Match):
        code = self.g.seasons[m["season"].lower()]
        word = m["season"]
        if word.lower() in ("fall", "spring") and not (m["rel"] or m["vague"] or m["year"]):
            # "fall" and "spring" alone are verbs or nouns far more often than seasons
            before = self.text[max(0, m.start() - 10):m.start()].lower()
            if not re.search(r"\b(in|this|last|next|the|of|by|until|since)\s+$", before):
                return None
            toks = self._tokens(m.start("season"), m.end("season"))
            if toks and toks[0].pos_ == "VERB":
                return None
            if word.lower() == "fall" and re.match(r"\s+of\b", self.text[m.end():]):
                return None     # "the fall of the regime"
        if word[:1].isupper() and not m["year"] and re.match(r"\s+[A-Z]", self.text[m.end():m.end() + 2]) \
                and m.start() > 0 and self.text[:m.start()].rstrip()[-1:] not in ".!?\n":
            return None         # a name in mid-sentence: "the Winter Games"
        if m["year"]:
            return "DATE", f"{self.year_of(m['year'])}-{code}", True
        if self.dct is None:
            return "DATE", f"XXXX-{code}", False
        rel = (m["rel"] or "").lower()
        shift = self.g.rel_mods.get(rel, 0) if rel else 0
        y = self.dct.year + shift
        if not rel:
            # a bare season: the one of this year, or last year's when the clause is past and
            # the season has not begun yet
            start_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
            if start_month > self.dct.month and self.direction(m.start(), m.end()) < 0:
                y -= 1
        return "DATE", f"{y}-{code}", True

    def h_weekday(self, m: re.Match):
        word = m["wd"].lower()
        if word not in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            # abbreviations only with a dot ("Sat."), never "Sun" the newspaper or "wed"
            if not self.text[m.end("wd"):m.end("wd") + 1] == "." or word in ("sun", "sat", "wed", "mon"):
                return None
        if not self._is_name_word(m.start("wd"), m.end("wd")):
            return None
        rel = (m["relw"] or "").lower() or None
        if rel in ("past", "previous"):
            rel = "last"
        elif rel == "following":
            rel = "next"
        value, anchored = self.weekday_value(self.g.weekdays[word], m.start(), m.end(), rel)
        if m["part"]:
            part = self.g.parts[m["part"].lower()]
            return "TIME", value + "T" + part, anchored
        return "DATE", value, anchored

    def _day_of(self, m: re.Match, start: int, end: int) -> tuple[Optional[str], bool]:
        """The date a clock time is on: its weekday or relative day, else the publication date."""
        if m.re.groupindex.get("wd") and m["wd"]:
            wd = self.g.weekdays.get(m["wd"].lower())
            if wd:
                return self.weekday_value(wd, start, end, None)
        if m.re.groupindex.get("rd") and m["rd"]:
            if self.dct is None:
                return "XXXX-XX-XX", False
            return (self.dct + dt.timedelta(days=self.g.rel_days[m["rd"].lower()])).isoformat(), True
        if self.dct is None:
            return "XXXX-XX-XX", False
        return self.dct.isoformat(), True

    def h_clock(self, m: re.Match):
        h = int(m["h"])
        mi = int(m["mi"]) if m.re.groupindex.get("mi") and m["mi"] else 0
        ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "") if m.re.groupindex.get("ampm") else ""
        part = m["part"].lower() if m.re.groupindex.get("part") and m["part"] else None
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        elif not ampm and part in ("afternoon", "evening", "night") and h < 12:
            h += 12
        if h > 24 or (ampm and int(m["h"]) > 12):
            return None
        if m.re.groupindex.get("cmon") and m["cmon"]:
            res = self.month_day_value(self.g.months[m["cmon"].lower()], int(m["cday"]), None, m.start(), m.end())
            if res is None:
                return None
            return "TIME", f"{res[0]}T{h:02d}:{mi:02d}", res[1]
        if not self._has_day(m):
            # no day of its own: the date the sentence gives, found once all are known
            return "TIME", f"{CLOCK}{h:02d}:{mi:02d}", True
        day, anchored = self._day_of(m, m.start(), m.end())
        return "TIME", f"{day}T{h:02d}:{mi:02d}", anchored

    @staticmethod
    def _has_day(m: re.Match) -> bool:
        return any(m.re.groupindex.get(k) and m[k] for k in ("wd", "rd"))

    def h_clock_word(self, m: re.Match):
        if not self._has_day(m):
            return "TIME", f"{CLOCK}{self.g.clock[m['cw'].lower()]}", True
        day, anchored = self._day_of(m, m.start(), m.end())
        return "TIME", f"{day}T{self.g.clock[m['cw'].lower()]}", anchored

    def h_rel_day(self, m: re.Match):
        if m["rday"] == "TODAY" and self.text[max(0, m.start() - 4):m.start()] == "USA ":
            return None     # the newspaper's name in a byline
        if m["rday"] == "Today":
            prev = self.text[:m.start()].rstrip(" \t")
            after = self.text[m.end():m.end() + 1]
            if prev and (prev[-1] in "\"“" and after in "\"”" or prev[-1].isalnum() or prev[-1] in ",;"):
                return None     # a title in mid-sentence: "NBC's “Today” show", "VOA Today"
        key = re.sub(r"\s+", " ", m["rday"].lower())
        if self.dct is None:
            return ("DATE", "PRESENT_REF", False) if self.g.rel_days[key] == 0 else ("DATE", "XXXX-XX-XX", False)
        d = self.dct + dt.timedelta(days=self.g.rel_days[key])
        value = d.isoformat()
        part = m["part"].lower() if m.re.groupindex.get("part") and m["part"] else None
        if m.re.groupindex.get("ppart") and m["ppart"]:
            part = m["ppart"].lower()
        if key.split()[-1] in self.g.parts and key.split()[0] in ("this", "last"):
            part = key.split()[-1]
        elif key == "tonight":
            part = "night"
        if part:
            return "TIME", value + "T" + self.g.parts[part], True
        return "DATE", value, True

    def h_rel_unit(self, m: re.Match):
        if m["runit"][:1].isupper() and m.start() > 0 and self.text[m.start() - 1] in "\"“'`":
            return None    # a title: ABC's "This Week"
        unit = m["runit"].lower()
        rel = (m.groupdict().get("rel") or "").lower()
        shift = self.g.rel_mods.get(rel, 0) if rel else (0 if unit != "weekend" else None)
        if unit == "weekend" and not rel:
            shift = None   # "the weekend": the nearest one, by tense
        if unit == "decade" and rel in ("past", "last", "next", "coming") \
                and re.search(r"\b(over|during|for|within)\s+(the\s+)?$", self.text[max(0, m.start() - 12):m.start("rel")], re.I):
            return "DURATION", "P10Y", True      # "over the past decade": TimeBank's span of ten years
        if unit == "century" and rel == "this":
            return "DURATION", "P100Y", True     # "the disasters of this century"
        if rel in ("following", "previous") and unit in ("week", "month", "year"):
            # "passed Congress the following year": counted from the story's last date
            return "DATE", f"{ANAPHOR}{unit}:{shift}", True
        if self.dct is None:
            return "DATE", {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                            "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}[unit], False
        dct = self.dct
        if unit == "week":
            return "DATE", iso_week(dct + dt.timedelta(weeks=shift)), True
        if unit == "weekend":
            if shift is None:
                shift = 1 if self.direction(m.start(), m.end()) > 0 else -1
            if shift < 0:     # the last weekend that has begun by the publication date
                sat = dct - dt.timedelta(days=(dct.isoweekday() - 6) % 7)
            elif shift > 0:
                sat = dct + dt.timedelta(days=(6 - dct.isoweekday()) % 7 or 7)
            elif dct.isoweekday() <= 3 and self.direction(m.start(), m.end()) < 0:
                # "was reached this weekend", written early in the week: the one just past
                sat = dct - dt.timedelta(days=dct.isoweekday() + 1)
            else:
                sat = dct + dt.timedelta(days=6 - dct.isoweekday()) if dct.isoweekday() <= 6 else dct - dt.timedelta(days=1)
            return "DATE", iso_week(sat) + "-WE", True
        if unit == "month":
            y, mo = add_months(dct.year, dct.month, shift)
            return "DATE", f"{y}-{mo:02d}", True
        if unit == "year":
            return "DATE", str(dct.year + shift), True
        if unit == "quarter":
            q = (dct.month - 1) // 3 + shift
            y = dct.year + q // 4
            return "DATE", f"{y}-Q{q % 4 + 1}", True
        if unit == "decade":
            return "DATE", f"{(dct.year // 10 + shift)}", True
        return "DATE", f"{dct.year // 100 + shift:02d}", True

    def h_the_year(self, m: re.Match):
        g = m.group().lower()
        if not (g.startswith("the") or m["yend"]):
            return None     # a bare "year" is a unit, not a date
        if self.dct is None:
            return "DATE", "XXXX", False
        if (m["which"] or "").lower() == "same":
            return None     # "the same year": anaphoric, its value is another expression's
        if re.match(r"\s+end(?:ed|ing)\b", self.text[m.end():], re.I):
            return "DURATION", "P1Y", True    # "the year ended March 31": a fiscal year, a span
        return "DATE", str(self.dct.year), True

    def h_end_of(self, m: re.Match):
        unit = m["eunit"].lower()
        if self.dct is None:
            return "DATE", "XXXX", False
        dct = self.dct
        value = {"year": str(dct.year), "month": f"{dct.year}-{dct.month:02d}", "week": iso_week(dct),
                 "quarter": f"{dct.year}-Q{(dct.month - 1) // 3 + 1}", "decade": str(dct.year // 10)}[unit]
        return "DATE", value, True

    def h_anaphor(self, m: re.Match):
        arel = (m.groupdict().get("arel") or "").lower()
        offset = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(arel, 0)
        unit = m["aunit"].lower()
        if unit == "night" and not arel and not m.group().lower().startswith(("that", "the same")):
            return None
        return "DATE", f"{ANAPHOR}{unit}:{offset}", True

    def h_in_the(self, m: re.Match):
        """"earlier in the week": the publication date's week (month, year)."""
        unit = m["iunit"].lower()
        if self.dct is None:
            return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit], False
        d = self.dct
        return "DATE", {"week": iso_week(d), "month": f"{d.year}-{d.month:02d}", "year": str(d.year)}[unit], True

    def h_ordinal_unit(self, m: re.Match):
        o = m["ord"].lower()
        n = self.g.ordinals.get(o) or int(o[0])
        unit = m["ounit"].lower()
        if m["det"].lower() == "a":
            return "DURATION", f"P{n}{unit[0].upper()}", True
        if unit != "day":
            return None     # "the first year of his term": which year is the term's, not ours
        return "DATE", f"{ANAPHOR}day:0", True

    def h_bare_ago(self, m: re.Match):
        return "DATE", "PAST_REF", True

    def h_fixed(self, m: re.Match):
        key = re.sub(r"\s+", " ", m["fixed"].lower())
        toks = self._tokens(m.start(), m.end())
        if key in ("current", "future") and toks and toks[-1].pos_ not in ("ADJ", "NOUN"):
            return None
        if key.endswith(" time") and not re.match(r"\s*(?:[,.;:)]|(?:he|she|they|it|we|i|you)\b)", self.text[m.end():], re.I):
            return None     # "at the time of its founding": the time of something else
        if key == "current" and re.match(r"\s+(account|accounts|affairs|events|account deficit|prices)\b", self.text[m.end():], re.I):
            return None
        if key == "the future" and re.match(r"\s+of\b", self.text[m.end():]):
            return None     # "the future of the talks": what becomes of them, not a time
        if key == "the past" and re.match(r"\s+(few|several|\d|two|three|four|five|six|seven|eight|nine|ten|year|month|week|decade)", self.text[m.end():], re.I):
            return None
        return "DATE", self.g.fixed[key], True

    def h_holiday(self, m: re.Match):
        if not m["hol"][:1].isupper():
            return None
        if re.search(r"\b(merry|happy)\s+$", self.text[max(0, m.start() - 8):m.start()], re.I):
            return None     # a greeting, not a date
        rule = self.g.holidays[re.sub(r"\s+", " ", m["hol"].lower())]
        if m["year"]:
            return "DATE", holiday_date(rule, self.year_of(m["year"])).isoformat(), True
        if self.dct is None:
            return "DATE", "XXXX-XX-XX", False
        d = pick_year(self.dct, self.direction(m.start(), m.end()) or -1, lambda y: holiday_date(rule, y))
        return ("DATE", d.isoformat(), True) if d else None


