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
TimeBank+AQUAINT (dev) only; ``benchmarks/timex_vs_dateparser.py`` measures it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional


from .datafiles import data_path, load_yaml
from .errors import KnowledgeBaseError
from .model import Document, Span, Timex

# -- data --------------------------------------------------------------------------------------

_LEXICON = ("data", "timex", "lexicon.yaml")
_REQUIRED = ("months", "weekdays", "ambiguous_abbreviations", "seasons", "parts_of_day",
             "clock_words", "numbers", "ordinals", "units", "fixed", "relative_days",
             "relative_modifiers", "vague_modifiers", "holidays", "future_cues", "plan_verbs",
             "no_bare_plural")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    path = data_path(*_LEXICON[1:])
    data = load_yaml(*_LEXICON[1:])
    missing = [k for k in _REQUIRED if not isinstance(data, dict) or k not in data]
    if missing:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=f"missing keys {missing}")
    return data


def _alt(words) -> str:
    """A regex alternation of ``words``, longest first so that 'september' beats 'sep'."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    type: str
    value: str
    anchored: bool = True


# -- calendar helpers -------------------------------------------------------------------------

def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ISO ``weekday`` (1 = Monday) of a month."""
    d = dt.date(year, month, 1)
    d += dt.timedelta(days=(weekday - d.isoweekday()) % 7)
    return d + dt.timedelta(weeks=n - 1)


def _holiday(rule: str, year: int) -> dt.date:
    if rule == "US-THANKSGIVING":
        return _nth_weekday(year, 11, 4, 4)
    if rule == "US-ELECTION":   # the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 1, 1) + dt.timedelta(days=1)
    if rule == "US-MEMORIAL":   # the last Monday of May
        return _nth_weekday(year, 6, 1, 1) - dt.timedelta(days=7)
    if rule == "US-LABOR":
        return _nth_weekday(year, 9, 1, 1)
    if rule.startswith("EASTER"):
        return _easter(year) + dt.timedelta(days=int(rule[6:] or 0))
    month, day = (int(x) for x in rule.split("-"))
    return dt.date(year, month, day)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _pick_year(dct: dt.date, direction: int, candidates: Callable[[int], Optional[dt.date]],
               strict: bool = False) -> Optional[dt.date]:
    """The date among last/this/next year's ``candidates`` that fits ``direction``.

    direction -1: the latest on or before the publication date, +1: the earliest on or after it,
    0: the closest. Unless ``strict``, tense only leans: a past clause keeps the past date unless
    the future one is less than half as far ("declared a dividend payable Dec. 7", written in
    October), and the other way round, since the tense read from the clause is often the
    reporting verb's rather than the date's own.
    """
    options = [d for d in (candidates(dct.year + k) for k in (-1, 0, 1)) if d is not None]
    past = max((d for d in options if d <= dct), default=None)
    fut = min((d for d in options if d >= dct), default=None)
    if past is None or fut is None:
        return past or fut
    back, ahead = (dct - past).days, (fut - dct).days
    if direction < 0:
        return past if strict or back <= 2 * ahead else fut
    if direction > 0:
        return fut if strict or ahead <= 2 * back else past
    return past if back <= ahead else fut


def _safe_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


# -- the grammar ------------------------------------------------------------------------------

class _Grammar:
    """Compiled patterns and the tables behind them."""

    def __init__(self, lex: dict):
        self.lex = lex
        self.months = {k.lower(): int(v) for k, v in lex["months"].items()}
        self.weekdays = {k.lower(): int(v) for k, v in lex["weekdays"].items()}
        self.ambiguous = {w.lower() for w in lex["ambiguous_abbreviations"]}
        self.seasons = {k.lower(): v for k, v in lex["seasons"].items()}
        self.parts = {k.lower(): v for k, v in lex["parts_of_day"].items()}
        self.clock = {k.lower(): v for k, v in lex["clock_words"].items()}
        self.numbers = {str(k).lower(): v for k, v in lex["numbers"].items()}
        self.ordinals = {k.lower(): int(v) for k, v in lex["ordinals"].items()}
        self.units = {k.lower(): str(v) for k, v in lex["units"].items()}
        self.fixed = {k.lower(): v for k, v in lex["fixed"].items() if v}
        self.rel_days = {k.lower(): int(v) for k, v in lex["relative_days"].items()}
        self.rel_mods = {k.lower(): int(v) for k, v in lex["relative_modifiers"].items()}
        self.holidays = {k.lower(): str(v) for k, v in lex["holidays"].items()}
        self.future_cues = {w.lower() for w in lex["future_cues"]}
        self.plan_verbs = {w.lower() for w in lex["plan_verbs"]}
        self.no_bare_plural = {w.lower() for w in lex["no_bare_plural"]}

        MON = rf"(?P<mon>{_alt(self.months)})\.?"
        WD = rf"(?P<wd>{_alt(self.weekdays)})\.?"
        DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)(?![\d,.]\d)"
        PART = rf"(?P<part>{_alt(self.parts)})"
        NUM = rf"(?P<num>\d+(?:\.\d+)?(?:\s+1/2)?|{_alt(self.numbers)})"
        UNIT = rf"(?P<unit>{_alt(self.units)})(?P<plural>s|es)?"
        VAGUE = rf"(?P<vague>{_alt(lex['vague_modifiers'])})[\s-]+"
        REL = rf"(?P<rel>{_alt(self.rel_mods)})"
        SEASON = rf"(?P<season>{_alt(self.seasons)})"
        ORD = rf"(?P<ord>{_alt(self.ordinals)}|[1-4](?:st|nd|rd|th))"
        AMPM = r"(?P<ampm>[ap]\.?\s?m\b\.?)"
        ZONE = r"(?:\s+(?:local\s+time|[ECMP][SD]T|GMT|UTC))?"
        B = r"(?<![\w$£€#-])"          # start of a word that is no currency or code
        E = r"(?![\w]|-(?!year|month|week|day|hour|minute))"

        def c(p: str) -> re.Pattern:
            return re.compile(B + p + E, re.IGNORECASE)

        # (pattern, handler name); all run, the longest non-overlapping matches win
        self.rules: list[tuple[re.Pattern, str]] = [
            (c(rf"(?:{WD.replace('wd>', 'wd0>')},?\s+)?(?:(?:{VAGUE})?(?:(?P<relmd>last|this|next)\s+)?{MON}\s+{DAY}(?:\s*(?:-|–|to|through)\s*(?P<day2>[12]\d|3[01]|0?[1-9])(?!\d))?(?:,?\s+{YEAR})?)"), "month_day"),
            (c(rf"(?:{WD.replace('wd>', 'wd0>')},?\s+)?(?:the\s+)?{DAY}(?:\s+of)?\s+{MON}(?:,?\s+{YEAR})?"), "day_month"),
            (c(rf"(?:(?:{VAGUE})|(?:{REL})\s+)?{MON},?\s+(?:of\s+)?{YEAR}"), "month_year"),
            (c(rf"(?:(?:{VAGUE})|(?P<relm>last|this|next)\s+)?{MON}"), "month"),
            (c(rf"(?:(?:{VAGUE}))?{MON},?\s+(?P<ry>this|last|next)\s+year"), "month_rel_year"),
            (c(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)"), "iso"),
            (c(r"(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>\d{4}|\d\d)"), "numeric"),
            (c(rf"(?:(?:{VAGUE})|(?P<fiscal>fiscal(?:\s+year)?)\s+|the\s+(?:year\s+)?|(?P<post>post|pre)-)?{YEAR}"), "year"),
            (c(rf"(?:the\s+)?(?:(?:{VAGUE}))?(?:mid-)?(?P<dec>1[6-9]\d|20\d)0'?s"), "decade"),
            (c(rf"(?:the\s+)?(?:{VAGUE})?(?:{ORD}|(?P<cnum>1\d|2[01])(?:st|nd|rd|th))[\s-]+century"), "century"),
            (c(rf"(?:(?:{VAGUE})|(?:the\s+)?{REL}\s+)?{SEASON}(?:\s+(?:of\s+)?{YEAR})?"), "season"),
            (c(rf"(?:(?:the\s+)?(?P<relw>last|this|next|coming|past|previous|following)\s+)?{WD}(?:\s+{PART})?"), "weekday"),
            (c(rf"(?:at\s+)?(?:about\s+|around\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*{AMPM}{ZONE}"
               rf"(?:,?\s+(?:on\s+)?(?:{WD}(?:\s+{PART})?|(?P<rd>today|tonight|yesterday|tomorrow)|(?P<cmon>{_alt(self.months)})\.?\s+(?P<cday>[12]\d|3[01]|0?[1-9])(?!\d)))?"), "clock"),
            (c(rf"(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)\s+(?:local\s+time|[ECMP][SD]T|GMT|UTC)"), "clock"),
            (c(rf"(?P<h>[01]?\d|1[0-2])\s+o'clock(?:\s+in\s+the\s+{PART})?"), "clock"),
            (c(rf"(?P<h>[01]?\d|1[0-2])\s+in\s+the\s+{PART}"), "clock"),
            (c(rf"(?P<cw>{_alt(self.clock)})(?:\s+(?:on\s+)?(?:{WD}|(?P<rd>today|tomorrow|yesterday)))?"), "clock_word"),
            (c(rf"(?:(?P<vd>early|late|earlier|later)\s+)?(?P<rday>{_alt(self.rel_days)})(?:\s+{PART})?"), "rel_day"),
            (c(rf"(?:(?:early|late|mid)[\s-]?)?(?P<ppart>{_alt(self.parts)})\s+(?P<rday>yesterday|today|tomorrow)"), "rel_day"),
            (c(rf"(?:(?:{VAGUE})|over\s+)?(?:the\s+)?{REL}\s+(?P<runit>week|weekend|month|year|quarter|decade|century)"), "rel_unit"),
            (c(rf"(?:(?:over|during)\s+)?the\s+(?P<runit>weekend)"), "rel_unit"),
            (c(rf"(?:(?:almost|about|nearly|some|more\s+than|less\s+than|roughly|around|just|only)\s+)?{NUM}[\s-]+{UNIT}(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence|(?:before|after)(?!\s+(?:th(?:e|is|at)|a|an|his|her|its|he|she|they|it|we)\b))"), "ago"),
            (c(rf"(?P<dir>ago|earlier|later)\b"), "skip"),
            (c(rf"(?:the\s+)?(?P<ago>year|month|week|quarter)[\s-]+(?:earlier|ago)(?:\s+(?:period|quarter|month|year))?"), "year_ago"),
            (c(rf"(?:the\s+)?(?:(?:fiscal|latest|current|{VAGUE.replace('(?P<vague>', '(?:')})\s*)?(?:{ORD}[\s-]+(?:fiscal\s+)?|(?P<latest>latest|current|fiscal)\s+)?quarter(?:\s+of\s+{YEAR})?"), "quarter"),
            (c(rf"(?P<qyear>{YEAR.replace('(?P<year>', '(?:')})(?:'s)?\s+{ORD}[\s-]+quarter"), "quarter_year"),
            (c(rf"(?:(?:almost|about|nearly|some|more\s+than|less\s+than|at\s+least|at\s+most|over|under|up\s+to|roughly|around|only|just|within|another|the\s+(?:past|last|next|first|coming|previous|following|final|remaining))\s+)*{NUM}(?:\s+or\s+(?:so|more))?[\s-]+(?:more\s+|additional\s+|full\s+|long\s+)?{UNIT}(?P<old>[\s-]+old)?"), "duration"),
            (c(rf"(?P<bare>(?:(?:for|over|in|within|after|during)\s+(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|following)\s+)?|(?:recent|coming|past|previous)\s+))(?P<bunit>years|months|weeks|days|decades|hours|minutes|centuries)"), "bare_plural"),
            (c(r"(?P<bunit3>years|months|weeks|days|decades|hours)(?=\s+(?:of|after|later)\b)"), "bare_plural"),
            (c(rf"(?P<every>every|each|per)\s+(?:(?P<evn>other|two|three|four|few)\s+)?(?:{UNIT}|{WD}(?:\s+{PART})?)"), "set"),
            (c(rf"(?P<freq>once|twice|three\s+times|several\s+times)\s+(?:a|an|per|every)\s+{UNIT}"), "set"),
            (c(rf"(?P<ly>daily|weekly|monthly|yearly|annually|hourly|nightly|biweekly)"), "set_ly"),
            (c(rf"(?P<rate>a|an|per)\s+{UNIT}"), "rate"),
            (c(rf"(?P<fixed>{_alt(self.fixed)})"), "fixed"),
            (c(rf"(?:(?:early|earlier|late|later)\s+(?:in\s+)?)?(?:that|the\s+same|that\s+same)\s+(?P<aunit>day|week|month|year|{_alt(self.parts)})"), "anaphor"),
            (c(rf"(?:in|during|by|until)\s+(?:(?:early|late|mid)[\s-]?)?(?:the\s+)?(?P<aunit>morning|afternoon|evening)(?!\s+(?:of|after|before|when|that|paper|news|show|edition|session|prayers?|star|post)\b)"), "anaphor"),
            (c(rf"the\s+(?P<arel>next|following|previous|preceding)\s+(?P<aunit>day|week|month|year|{_alt(self.parts)})"), "anaphor"),
            (c(r"the\s+(?P<aunit>day)\s+(?P<arel>before|after)(?=\s*[,.;:)])"), "anaphor"),
            (c(r"(?:the\s+)?(?P<which>full|fiscal|current|whole|entire|same)?\s*year(?P<yend>[\s-]end)?(?!\s+(?:before|after|earlier|ago|that|when|in|of|to|since|two|one|\d))"), "the_year"),
            (c(r"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+|this\s+)?(?P<eunit>year|month|week|quarter|decade)"), "end_of"),
            (c(r"(?P<bunit2>years|months|weeks|days|decades)\s+(?:ago|earlier)"), "bare_ago"),
            (c(rf"(?P<hol>{_alt(self.holidays)})(?:\s+{YEAR})?"), "holiday"),
        ]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    return _Grammar(lexicon())


# -- publication date -------------------------------------------------------------------------

_DATELINE_WINDOW = 400


def dateline_date(text: str) -> Optional[str]:
    """The ISO date of a dateline near the top of ``text`` ("May 17, 2025 —",
    "WASHINGTON, May 17, 2025 (Reuters) -", "2025-05-17"), or None. A dateline without a year
    ("WASHINGTON, May 17 (Reuters)") gives no date: the year would be a guess."""
    g = _grammar()
    head = text[:_DATELINE_WINDOW]
    mon = _alt(g.months)
    pats = [
        rf"(?P<mon>{mon})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b",
        rf"\b(?P<day>\d{{1,2}})\s+(?P<mon>{mon})\.?,?\s+(?P<year>(?:19|20)\d\d)\b",
        r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>\d\d)-(?P<day>\d\d)\b",
    ]
    best = None
    for p in pats:
        m = re.search(p, head, re.IGNORECASE)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    mon = best["mon"]
    month = int(mon) if mon.isdigit() else g.months[mon.lower()]
    d = _safe_date(int(best["year"]), month, int(best["day"]))
    return d.isoformat() if d else None


def _parse_published(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- the stage --------------------------------------------------------------------------------

class TimexTagger:
    """spaCy stage ``eventwire_timex``: adds ``Document.timexes`` (ids T1, T2 … in text order)."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.g = _grammar()

    def annotate(self, doc, document: Document) -> None:
        dct = _parse_published(document.published)
        if dct is None and document.published:
            document.warnings.append(
                f"timex: publication date {document.published!r} is not an ISO date; "
                "dates relative to it are left unresolved (anchored=false)")
        elif dct is None:
            found = dateline_date(document.text)
            if found:
                document.published = found
                document.published_source = "dateline"
                dct = _parse_published(found)
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


def find_timexes(doc, dct: Optional[dt.date], g: Optional[_Grammar] = None) -> list[_Found]:
    """All temporal expressions in the spaCy ``doc``, normalised against ``dct``."""
    g = g or _grammar()
    text = doc.text
    cands: list[tuple[int, int, str, re.Match]] = []
    for pat, name in g.rules:
        for m in pat.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), m.end(), name, m))
    # longest first; among equals, the earlier rule (more specific) first
    order = {name: i for i, (_, name) in enumerate(g.rules)}
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[0], order[c[2]]))
    taken: list[tuple[int, int]] = []
    found: list[_Found] = []
    ctx = _Context(doc, dct, g)
    for start, end, name, m in cands:
        if any(s < end and start < e for s, e in taken):
            continue
        if name == "skip":
            continue
        res = getattr(ctx, "h_" + name)(m)
        if res is None:
            continue
        typ, value, anchored = res
        lead = _LEADING.match(text, start, end)
        if lead and lead.end() < end:
            start = lead.end()
        # trailing punctuation never belongs to the expression
        while end > start and text[end - 1] in ".,;:" and not re.search(r"[ap]\.m\.$|\b\w\.$", text[start:end], re.I):
            end -= 1
        taken.append((start, end))
        found.append(_Found(start, end, typ, value, anchored))
    found.sort(key=lambda f: f.start)
    sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
    return _resolve_anaphors(found, dct, g, sentences)


_ANAPHOR = "ANAPHOR:"
_CLOCK = "CLOCK:"


def _resolve_anaphors(found: list[_Found], dct: Optional[dt.date], g: _Grammar,
                      sentences: list[tuple[int, int]] = ()) -> list[_Found]:
    """"that day", "the next morning", "the following year": relative to the last date before them
    in the text (the reference time of the narrative), else to the publication date. A clock time
    with no day of its own ("at 10 p.m.") takes the day a date of its sentence gives, else the
    publication date."""
    out: list[_Found] = []
    ref: Optional[str] = None
    for f in found:
        if f.value.startswith(_CLOCK):
            sent = next(((a, b) for a, b in sentences if a <= f.start < b), (f.start, f.end))
            days = [o for o in found if o is not f and sent[0] <= o.start < sent[1]
                    and re.fullmatch(r"\d{4}-\d\d-\d\d(T\w+)?", o.value)]
            days.sort(key=lambda o: abs(o.start - f.start))
            if days:
                day, anchored = days[0].value[:10], days[0].anchored
            elif dct is not None:
                day, anchored = dct.isoformat(), True
            else:
                day, anchored = "XXXX-XX-XX", False
            f = _Found(f.start, f.end, "TIME", f"{day}T{f.value[len(_CLOCK):]}", anchored)
        if f.value.startswith(_ANAPHOR):
            unit, offset = f.value[len(_ANAPHOR):].split(":")
            value = _shift(ref, unit, int(offset), g) if ref else None
            anchored = True
            if value is None and dct is not None:
                value = _shift(dct.isoformat(), unit, int(offset), g)
            if value is None:
                value, anchored = "XXXX-XX-XX", False
            f = _Found(f.start, f.end, "TIME" if "T" in value[4:] else "DATE", value, anchored)
        out.append(f)
        if f.type in ("DATE", "TIME") and re.match(r"\d{4}", f.value):
            ref = f.value
    return out


def _shift(ref: str, unit: str, offset: int, g: _Grammar) -> Optional[str]:
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", ref)
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if unit == "year":
        return str(year + offset)
    if unit == "month":
        if not month:
            return None
        y, mo = _add_months(year, month, offset)
        return f"{y}-{mo:02d}"
    if not day:
        return None
    d = dt.date(year, month, day)
    if unit == "week":
        return _iso_week(d + dt.timedelta(weeks=offset))
    d += dt.timedelta(days=offset)
    if unit in g.parts:
        return f"{d.isoformat()}T{g.parts[unit]}"
    return d.isoformat()


# words a pattern may need for its reading but that TimeML leaves outside the expression
_LEADING = re.compile(r"(?:(?:at|about|around|over|during|for|in|within|after|on|since|by|until)\s+)+(?:the\s+(?=\d{4}\b))?|the\s+(?=\d{4}\b)", re.I)


class _Context:
    """Handlers: one per rule, each turning a match into (type, value, anchored) or refusing it."""

    def __init__(self, doc, dct: Optional[dt.date], g: _Grammar):
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

    # ---- resolution helpers
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
            d = _safe_date(year, month, day)
            return (d.isoformat(), True) if d else None
        if self.dct is None:
            return f"XXXX-{month:02d}-{day:02d}", False
        d = _pick_year(self.dct, self.direction(start, end), lambda y: _safe_date(y, month, day))
        if d is None:
            d = _pick_year(self.dct, 0, lambda y: _safe_date(y, month, day))
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
            d = _pick_year(first, self.direction(start, end), lambda yy: dt.date(yy, month, 1), strict=True)
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
        year = int(m["year"]) if m["year"] else None
        if m["year"] is None and re.match(r"\s*(%|percent|per\s+cent|million|billion)", self.text[m.end():], re.I):
            return None
        relmd = (m["relmd"] or "").lower()
        wd0 = self.g.weekdays.get((m["wd0"] or "").lower())
        if wd0 and year is None and self.dct is not None:
            # "Monday, Oct. 26": the year in which that day is a Monday, nearest first
            for k in (0, -1, 1, -2, 2):
                d = _safe_date(self.dct.year + k, month, day)
                if d and d.isoweekday() == wd0:
                    return "DATE", d.isoformat(), True
        if relmd in ("last", "next") and year is None and self.dct is not None:
            d = _pick_year(self.dct, -1 if relmd == "last" else 1, lambda y: _safe_date(y, month, day), strict=True)
            return ("DATE", d.isoformat(), True) if d else None
        res = self.month_day_value(month, day, year, m.start(), m.end())
        return ("DATE",) + res if res else None

    def h_day_month(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        if self.text[m.start():m.end("day")].strip().isdigit() and m.start() > 0 and self.text[m.start() - 1] in "$£€":
            return None
        year = int(m["year"]) if m["year"] else None
        res = self.month_day_value(month, int(m["day"]), year, m.start(), m.end())
        return ("DATE",) + res if res else None

    def h_month_year(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        return "DATE", f"{m['year']}-{month:02d}", True

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
        if toks and toks[0].ent_type_ in ("PERSON", "ORG") and toks[0].ent_iob_ != "B":
            return None
        return ("DATE",) + self.month_value(month, m.start(), m.end(), (m["relm"] or "").lower() or None)

    def h_month_rel_year(self, m: re.Match):
        month = self._month_of(m)
        if month is None or not self._is_name_word(m.start("mon"), m.end("mon")):
            return None
        if self.dct is None:
            return "DATE", f"XXXX-{month:02d}", False
        return "DATE", f"{self.dct.year + self.g.rel_mods[m['ry'].lower()]}-{month:02d}", True

    def h_iso(self, m: re.Match):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return ("DATE", d.isoformat(), True) if d else None

    def h_numeric(self, m: re.Match):
        y = int(m["y"])
        if y < 100:
            y += 2000 if y < 50 else 1900
        d = _safe_date(y, int(m["m"]), int(m["d"]))
        return ("DATE", d.isoformat(), True) if d else None

    def h_year(self, m: re.Match):
        ys, ye = m.start("year"), m.end("year")
        after = self.text[ye:ye + 16]
        before = self.text[max(0, ys - 12):ys]
        if re.match(r"\s*(%|percent|per\s+cent|million|billion|thousand|[-–]\d|:\d|\.\d)", after, re.I):
            return None
        if re.search(r"[$£€#]\s*$|\b(no|number|flight|route|page|room|model|article|resolution|paragraph)\.?\s+$|\d[-–]$", before, re.I):
            return None
        toks = self._tokens(ys, ye)
        if toks:
            t = toks[0]
            nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
            # "2000 soldiers": a count of a plural noun, not a year
            if nxt is not None and nxt.tag_ == "NNS" and nxt.lower_ not in ("elections", "games", "talks", "olympics"):
                return None
            if t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL") and not m["fiscal"] and not re.search(r"\b(in|since|of|by|until|from|before|after|during|the|early|late|mid|between|and|to)\s+$", before, re.I):
                return None
        year = m["year"]
        # "fiscal 1989" keeps the calendar year: TimeBank writes 1989, not FY1989
        return "DATE", year, True

    def h_decade(self, m: re.Match):
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
        if m["year"]:
            return "DATE", f"{m['year']}-{code}", True
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
            return "TIME", f"{_CLOCK}{h:02d}:{mi:02d}", True
        day, anchored = self._day_of(m, m.start(), m.end())
        return "TIME", f"{day}T{h:02d}:{mi:02d}", anchored

    @staticmethod
    def _has_day(m: re.Match) -> bool:
        return any(m.re.groupindex.get(k) and m[k] for k in ("wd", "rd"))

    def h_clock_word(self, m: re.Match):
        if not self._has_day(m):
            return "TIME", f"{_CLOCK}{self.g.clock[m['cw'].lower()]}", True
        day, anchored = self._day_of(m, m.start(), m.end())
        return "TIME", f"{day}T{self.g.clock[m['cw'].lower()]}", anchored

    def h_rel_day(self, m: re.Match):
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
        if self.dct is None:
            return "DATE", {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                            "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}[unit], False
        dct = self.dct
        if unit == "week":
            return "DATE", _iso_week(dct + dt.timedelta(weeks=shift)), True
        if unit == "weekend":
            if shift is None:
                shift = 1 if self.direction(m.start(), m.end()) > 0 else -1
            if shift < 0:     # the last weekend that has begun by the publication date
                sat = dct - dt.timedelta(days=(dct.isoweekday() - 6) % 7)
            elif shift > 0:
                sat = dct + dt.timedelta(days=(6 - dct.isoweekday()) % 7 or 7)
            else:
                sat = dct + dt.timedelta(days=6 - dct.isoweekday()) if dct.isoweekday() <= 6 else dct - dt.timedelta(days=1)
            return "DATE", _iso_week(sat) + "-WE", True
        if unit == "month":
            y, mo = _add_months(dct.year, dct.month, shift)
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
        direction = -1 if m["dir"].lower() in ("ago", "earlier", "before") else 1
        if n == "X" or n is None:
            if self.dct is None:
                return "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", False
            return "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", True
        if self.dct is None:
            return "DATE", "XXXX-XX-XX", False
        k = int(n) * direction
        dct = self.dct
        if unit == "D":
            return "DATE", (dct + dt.timedelta(days=k)).isoformat(), True
        if unit == "W":
            return "DATE", _iso_week(dct + dt.timedelta(weeks=k)), True
        if unit == "M":
            y, mo = _add_months(dct.year, dct.month, k)
            return "DATE", f"{y}-{mo:02d}", True
        if unit == "Y":
            return "DATE", str(dct.year + k), True
        if unit == "DE":
            return "DATE", str(dct.year + 10 * k), True
        if unit == "Q":
            y, mo = _add_months(dct.year, dct.month, 3 * k)
            return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}", True
        if unit in ("TH", "TM", "TS"):
            return "TIME", "PAST_REF" if k < 0 else "FUTURE_REF", True
        return None

    def h_year_ago(self, m: re.Match):
        unit = m["ago"].lower()
        if self.dct is None:
            return "DATE", "XXXX", False
        dct = self.dct
        if unit == "year":
            if "quarter" in m.group().lower():
                return "DATE", f"{dct.year - 1}-Q{(dct.month - 1) // 3 + 1}", True
            return "DATE", str(dct.year - 1), True
        if unit == "month":
            y, mo = _add_months(dct.year, dct.month, -1)
            return "DATE", f"{y}-{mo:02d}", True
        if unit == "week":
            return "DATE", _iso_week(dct - dt.timedelta(weeks=1)), True
        y, mo = _add_months(dct.year, dct.month, -3)
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
            return "DATE", f"{m['year']}-Q{q}" if q else f"{m['year']}-QX", True
        if self.dct is None:
            return "DATE", f"XXXX-Q{q or 'X'}", False
        cur = (self.dct.month - 1) // 3 + 1
        if q is None:
            # "the quarter", "the latest quarter": in news, the last one that has ended
            if self.direction(m.start(), m.end()) > 0 or (m["latest"] or "").lower() == "current":
                return "DATE", f"{self.dct.year}-Q{cur}", True
            y, mo = _add_months(self.dct.year, self.dct.month, -3)
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
        return "DURATION", self._duration(n, code), True

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
            if re.search(r"(\d|\b(?:the|these|those|his|her|its|their|our|many|few|several|some|two|three|four|five|ten|first|early|last|final|trading))\s+$", before):
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
        if intro and intro[-1] in ("recent", "past", "previous") and not set(intro) & {"the"}:
            return "DATE", "PAST_REF", True      # "in recent years", "in past decades"
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

    def h_set_ly(self, m: re.Match):
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
        value = {"year": str(dct.year), "month": f"{dct.year}-{dct.month:02d}", "week": _iso_week(dct),
                 "quarter": f"{dct.year}-Q{(dct.month - 1) // 3 + 1}", "decade": str(dct.year // 10)}[unit]
        return "DATE", value, True

    def h_anaphor(self, m: re.Match):
        arel = (m.groupdict().get("arel") or "").lower()
        offset = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(arel, 0)
        unit = m["aunit"].lower()
        if unit == "night" and not arel and not m.group().lower().startswith(("that", "the same")):
            return None
        return "DATE", f"{_ANAPHOR}{unit}:{offset}", True

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
        if key == "the past" and re.match(r"\s+(few|several|\d|two|three|four|five|six|seven|eight|nine|ten|year|month|week|decade)", self.text[m.end():], re.I):
            return None
        return "DATE", self.g.fixed[key], True

    def h_holiday(self, m: re.Match):
        if not m["hol"][:1].isupper():
            return None
        rule = self.g.holidays[re.sub(r"\s+", " ", m["hol"].lower())]
        if m["year"]:
            return "DATE", _holiday(rule, int(m["year"])).isoformat(), True
        if self.dct is None:
            return "DATE", "XXXX-XX-XX", False
        d = _pick_year(self.dct, self.direction(m.start(), m.end()) or -1, lambda y: _holiday(rule, y))
        return ("DATE", d.isoformat(), True) if d else None


# -- event dates ------------------------------------------------------------------------------

_REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


_GOVERNORS = "_eventwire_timex_governors"
_CLAUSE_LINKS = ("conj", "xcomp", "advcl", "acl", "relcl", "pcomp")


def _governors(doc) -> dict[int, tuple[int, tuple[int, ...], int]]:
    """token start -> (start of its governing verb, starts of the verbs that verb hangs from
    through conj/xcomp/advcl/acl links, start of the noun it modifies or -1)."""
    def verb_of(tok):
        steps = 0
        while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and steps < 8:
            tok, steps = tok.head, steps + 1
        return tok

    table = {}
    for tok in doc:
        gov = verb_of(tok)
        chain, link = [], gov
        while link.dep_ in _CLAUSE_LINKS and link.head is not link and len(chain) < 4:
            link = verb_of(link.head)
            chain.append(link.idx)
        noun = tok.head.idx if tok.dep_ in ("nummod", "compound", "amod", "poss", "nmod") and tok.head.pos_ in ("NOUN", "PROPN") else -1
        table[tok.idx] = (gov.idx, tuple(chain), noun)
    return table


def _same_clause(gov: dict, timex: Timex, trigger: Span) -> Optional[bool]:
    """Whether the timex dates the trigger's clause (or one it is chained to by conj, xcomp,
    advcl, acl: "hit Kyiv on Monday, killing 12"); None when unknown. A timex that modifies a
    noun ("the 2022 invasion") dates that noun only."""
    def entry(start: int, end: int):
        starts = [k for k in range(start, end) if k in gov]
        return gov[starts[-1]] if starts else None

    t, g = entry(timex.start, timex.end), entry(trigger.start, trigger.end)
    if t is None or g is None:
        return None
    if t[2] >= 0:
        return trigger.start <= t[2] < trigger.end
    return t[0] == g[0] or t[0] in g[1] or g[0] in t[1]


def event_date(document: Document, sentence: Span, trigger: Span) -> tuple[Optional[str], Optional[str]]:
    """The date of the event stated by ``trigger`` in ``sentence``, and the Timex id it comes from.

    Takes the anchored DATE/TIME timex of the sentence that belongs to the trigger's clause (by
    the parse kept from the timex stage), closest first; "Peskov said Saturday that Russia is open
    to a meeting" dates the saying, not the meeting. Without the parse (a Document read back from
    JSON) the closest timex of the sentence is taken, a timex right after the trigger ("speak … on
    Monday") winning a tie. Durations, sets and vague references (PRESENT_REF …) date nothing.
    "said on Friday" dates the saying: the same rule, with the reporting verb as the trigger.
    Returns (None, None) when no timex fits.
    """
    gov = document.__dict__.get(_GOVERNORS)
    best = None
    for t in document.timexes:
        if t.type not in ("DATE", "TIME") or not t.anchored or t.value in _REFS:
            continue
        if not (sentence.start <= t.start and t.end <= sentence.end):
            continue
        value = _date_part(t.value)
        if value is None:
            continue
        if gov is not None and _same_clause(gov, t, trigger) is False:
            continue
        if t.start >= trigger.end:
            dist = (t.start - trigger.end, 0)
        elif t.end <= trigger.start:
            dist = (trigger.start - t.end, 1)
        else:
            dist = (0, 0)
        if best is None or dist < best[0]:
            best = (dist, value, t.id)
    return (best[1], best[2]) if best else (None, None)


def _date_part(value: str) -> Optional[str]:
    """The calendar part of a TIMEX3 value: "2025-05-19TMO" -> "2025-05-19"; None if not a date."""
    v = value.split("T")[0]
    if re.fullmatch(r"\d{4}(-\d\d(-\d\d)?|-W\d\d(-WE)?|-Q[1-4]|-(SP|SU|FA|WI))?", v):
        return v
    return None
