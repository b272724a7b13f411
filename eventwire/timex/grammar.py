"""The timex grammar: the word lists of ``data/timex/lexicon.yaml`` compiled into one regular
expression per kind of expression, each paired with the name of the handler that reads it
(``normalise.Normaliser.h_<name>``)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import data_path, load_yaml
from ..errors import KnowledgeBaseError

_LEXICON = ("data", "timex", "lexicon.yaml")
_REQUIRED = ("months", "weekdays", "ambiguous_abbreviations", "seasons", "parts_of_day",
             "clock_words", "numbers", "ordinals", "units", "fixed", "relative_days",
             "relative_modifiers", "vague_modifiers", "holidays", "future_cues", "plan_verbs",
             "no_bare_plural", "spoken_year_leads", "decade_words")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    path = data_path(*_LEXICON[1:])
    data = load_yaml(*_LEXICON[1:])
    missing = [k for k in _REQUIRED if not isinstance(data, dict) or k not in data]
    if missing:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=f"missing keys {missing}")
    return data


def _word_lines(*parts: str) -> frozenset:
    """The words of a one-word-a-line data file (``#`` starts a comment)."""
    path = data_path(*parts)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise KnowledgeBaseError.e("E401", path=str(path), reason=str(exc)) from None
    return frozenset(w for w in (line.split("#")[0].strip().lower() for line in text.splitlines()) if w)


def alt(words) -> str:
    """A regex alternation of ``words``, longest first so that 'september' beats 'sep'."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))



# -- the grammar ------------------------------------------------------------------------------

class Grammar:
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
        # verbs of saying: their present tense ("says Monday") is a report, not a plan
        self.report_verbs = _word_lines("quotes", "reporting_verbs.txt")
        self.no_bare_plural = {w.lower() for w in lex["no_bare_plural"]}
        self.year_leads = {k.lower(): int(v) for k, v in lex["spoken_year_leads"].items()}
        self.decade_words = {k.lower(): str(v) for k, v in lex["decade_words"].items()}
        single = {w: v for w, v in self.numbers.items() if isinstance(v, int) and " " not in w and "-" not in w
                  and w not in ("a", "an")}
        units = alt(w for w, v in single.items() if 1 <= v <= 9)
        teens = alt(w for w, v in single.items() if 10 <= v <= 19)
        tens = alt(w for w, v in single.items() if v in (20, 30, 40, 50, 60, 70, 80, 90))
        # "nineteen ninety-six", "nineteen oh five", "twenty thirteen", "two thousand (and) twelve";
        # a bare "two thousand" is a year only after "the year" (h_year checks)
        rest = rf"(?:(?:{tens})(?:[\s-]+(?:{units}))?|{teens})"
        SPOKEN = (rf"(?:nineteen[\s-]+(?:{rest}|hundred|oh[\s-]+(?:{units}))|twenty[\s-]+{rest}"
                  rf"|two\s+thousand(?:(?:\s+and)?\s+(?:{rest}|{units}))?)")

        MON = rf"(?P<mon>{alt(self.months)})\.?"
        WD = rf"(?P<wd>{alt(self.weekdays)})\.?"
        DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        YEAR = rf"(?P<year>1[6-9]\d\d|20\d\d|{SPOKEN})(?![\d,.]\d)"
        PART = rf"(?P<part>{alt(self.parts)})"
        NUM = rf"(?P<num>\d+(?:\.\d+)?(?:\s+1/2)?|{alt(self.numbers)})"
        UNIT = rf"(?P<unit>{alt(self.units)})(?P<plural>s|es)?"
        VAGUE = rf"(?P<vague>{alt(lex['vague_modifiers'])})[\s-]+"
        REL = rf"(?P<rel>{alt(self.rel_mods)})"
        SEASON = rf"(?P<season>{alt(self.seasons)})"
        ORD = rf"(?P<ord>{alt(self.ordinals)}|[1-4](?:st|nd|rd|th))"
        AMPM = r"(?P<ampm>[ap]\.?\s?m\b\.?)"
        ZONE = r"(?:\s+(?:local\s+time|[ECMP][SD]T|GMT|UTC))?"
        B = r"(?<![\w$£€#/-])"         # start of a word that is no currency, code or path (".../2022/11/")
        E = r"(?![\w]|-(?!year|month|week|day|hour|minute|\d))"   # "-" + digit: a range ("2017-18"), read by h_year

        # Words a rule cannot match without: a text lacking all of them skips the rule (most
        # texts have no "quarter", no "o'clock", no holiday), which saves running its pattern.
        self.needles: dict[re.Pattern, tuple[str, ...]] = {}

        def c(p: str, needles: tuple[str, ...] = ()) -> re.Pattern:
            pat = re.compile(B + p + E, re.IGNORECASE)
            if needles:
                self.needles[pat] = tuple(n.lower() for n in needles)
            return pat

        # (pattern, handler name); all run, the longest non-overlapping matches win
        self.rules: list[tuple[re.Pattern, str]] = [
            (c(rf"(?:{WD.replace('wd>', 'wd0>')},?\s+)?(?:(?:{VAGUE})?(?:(?P<relmd>last|this|next)\s+)?{MON}\s+{DAY}(?:\s*(?:-|–|to|through)\s*(?P<day2>[12]\d|3[01]|0?[1-9])(?!\d))?(?:,?\s+{YEAR})?)"), "month_day"),
            (c(rf"(?:{WD.replace('wd>', 'wd0>')},?\s+)?(?:the\s+)?{DAY}(?:\s+of)?\s+{MON}(?:,?\s+{YEAR})?"), "day_month"),
            (c(rf"(?:(?:{VAGUE})|(?:{REL})\s+)?{MON},?\s+(?:of\s+)?{YEAR}"), "month_year"),
            (c(rf"(?:(?:{VAGUE})|(?P<relm>last|this|next)\s+)?{MON}"), "month"),
            (c(rf"(?:(?:{VAGUE}))?{MON},?\s+(?P<ry>this|last|next)\s+year", ("year",)), "month_rel_year"),
            (c(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)"), "iso"),
            (c(r"(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>\d{4}|\d\d)"), "numeric"),
            (c(rf"(?:(?:{VAGUE})|(?P<fiscal>fiscal(?:\s+year)?)\s+|the\s+(?:year\s+)?|(?P<post>post|pre)-)?{YEAR}"), "year"),
            # the end of a range of years ("2017-2018", "2012-16"): no word boundary before it
            (re.compile(r"(?<=\b(?:1[6-9]|20)\d\d[-–])(?P<y2>\d{4}|\d\d)(?![\w-])"), "year_range_end"),
            (c(rf"(?:the\s+)?(?:(?:{VAGUE}))?(?:mid-)?(?:(?P<dec>1[6-9]\d|20\d)0'?s|'(?P<dec2>\d)0s)", ("0s", "0's")), "decade"),
            (c(rf"the\s+(?:(?:{VAGUE}))?(?P<dword>{alt(self.decade_words)})", ("ties",)), "decade"),
            (c(rf"(?:the\s+)?(?:{VAGUE})?(?:{ORD}|(?P<cnum>1\d|2[01])(?:st|nd|rd|th))[\s-]+century", ("century",)), "century"),
            (c(rf"(?:(?:{VAGUE})|(?:the\s+)?{REL}\s+)?{SEASON}(?:\s+(?:of\s+)?{YEAR})?", tuple(self.seasons)), "season"),
            (c(rf"(?:(?:the\s+)?(?P<relw>last|this|next|coming|past|previous|following)\s+)?{WD}(?:\s+{PART})?"), "weekday"),
            (c(rf"(?:at\s+)?(?:about\s+|around\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*{AMPM}{ZONE}"
               rf"(?:,?\s+(?:on\s+)?(?:{WD}(?:\s+{PART})?|(?P<rd>today|tonight|yesterday|tomorrow)|(?P<cmon>{alt(self.months)})\.?\s+(?P<cday>[12]\d|3[01]|0?[1-9])(?!\d)))?"), "clock"),
            (c(r"(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)\s+(?:local\s+time|[ECMP][SD]T|GMT|UTC)", ("local", "gmt", "utc", "st", "dt")), "clock"),
            (c(r"(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s+(?:GMT|UTC)", ("gmt", "utc")), "clock"),    # "1700 GMT"
            (c(rf"(?:the\s+)?week\s+of\s+{MON}\s+{DAY}(?:,?\s+{YEAR})?", ("week of",)), "week_of"),
            (c(rf"(?P<h>[01]?\d|1[0-2])\s+o'clock(?:\s+in\s+the\s+{PART})?", ("o'clock",)), "clock"),
            (c(rf"(?P<h>[01]?\d|1[0-2])\s+in\s+the\s+{PART}"), "clock"),
            (c(rf"(?P<cw>{alt(self.clock)})(?:\s+(?:on\s+)?(?:{WD}|(?P<rd>today|tomorrow|yesterday)))?", tuple(self.clock)), "clock_word"),
            (c(rf"(?:(?P<vd>early|late|earlier|later)\s+)?(?P<rday>{alt(self.rel_days)})(?:\s+{PART})?", tuple(w.split()[-1] for w in self.rel_days)), "rel_day"),
            (c(rf"(?:(?:early|late|mid)[\s-]?)?(?P<ppart>{alt(self.parts)})\s+(?P<rday>yesterday|today|tomorrow)", ("yesterday", "today", "tomorrow")), "rel_day"),
            (c(rf"(?:(?:{VAGUE})|over\s+)?(?:the\s+)?{REL}\s+(?P<runit>week|weekend|month|year|quarter|decade|century)", ("week", "month", "year", "quarter", "decade", "century")), "rel_unit"),
            (c(r"(?:(?:over|during)\s+)?the\s+(?P<runit>weekend)", ("weekend",)), "rel_unit"),
            (c(rf"(?:(?:almost|about|nearly|some|more\s+than|less\s+than|roughly|around|just|only)\s+)?{NUM}[\s-]+{UNIT}(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence)(?:\s+(?P<agoday>today|tomorrow|yesterday))?", ("ago", "earlier", "later", "from now", "hence")), "ago"),
            (c(r"(?P<dir>ago|earlier|later)\b", ("ago", "earlier", "later")), "skip"),
            (c(r"(?:the\s+)?(?P<ago>year|month|week|quarter)[\s-]+(?:earlier|ago)(?:\s+(?:period|quarter|month|year))?", ("earlier", "ago")), "year_ago"),
            (c(rf"(?:the\s+)?(?:(?:fiscal|latest|current|{VAGUE.replace('(?P<vague>', '(?:')})\s*)?(?:{ORD}[\s-]+(?:fiscal\s+)?|(?P<latest>latest|current|fiscal)\s+)?quarter(?:\s+of\s+{YEAR})?", ("quarter",)), "quarter"),
            (c(rf"(?P<qyear>{YEAR.replace('(?P<year>', '(?:')})(?:'s)?\s+{ORD}[\s-]+quarter", ("quarter",)), "quarter_year"),
            (c(rf"(?:(?:almost|about|nearly|some|more\s+than|less\s+than|at\s+least|at\s+most|over|under|up\s+to|roughly|around|only|just|within|another|the\s+(?:past|last|next|first|coming|previous|following|final|remaining))\s+)*{NUM}(?:\s+or\s+(?:so|more))?[\s-]+(?:more\s+|additional\s+|full\s+|long\s+|straight\s+|consecutive\s+|successive\s+)?{UNIT}(?P<half>\s+and\s+a\s+half)?(?P<old>[\s-]+old)?"), "duration"),
            (c(rf"(?:(?:about|nearly|almost|some|more\s+than|less\s+than|within|only|just)\s+)?(?:a\s+)?half\s+an?\s+{UNIT}", ("half",)), "half"),
            (c(r"the\s+(?:years|decades)\s+(?:ahead|to\s+come)", ("ahead", "to come")), "ahead"),
            (c(r"(?P<bare>(?:(?:for|over|in|within|after|during)\s+(?:the\s+)?(?:(?:past|last|next|coming|recent|previous|following)\s+)?|(?:recent|coming|past|previous)\s+))(?P<bunit>years|months|weeks|days|decades|hours|minutes|centuries)", ("years", "months", "weeks", "days", "decades", "hours", "minutes", "centuries")), "bare_plural"),
            (c(r"(?P<bunit3>years|months|weeks|days|decades|hours)(?=\s+(?:of|after|later|before)\b)", ("years", "months", "weeks", "days", "decades", "hours")), "bare_plural"),
            # "a week-long trip", "a decades-long battle": the span the compound names
            (c(rf"(?:(?P<num>\d+|{alt(w for w, v in self.numbers.items() if isinstance(v, int) and ' ' not in w)})-)?(?P<lunit>day|week|month|year|decade|hour)(?P<lplural>s)?-long", ("-long",)), "long"),
            (c(rf"(?P<every>every|each|per)\s+(?:(?P<evn>other|two|three|four|few)\s+)?(?:{UNIT}|{WD}(?:\s+{PART})?)", ("every", "each", "per")), "set"),
            (c(rf"(?P<freq>once|twice|three\s+times|several\s+times)\s+(?:a|an|per|every)\s+{UNIT}", ("once", "twice", "times")), "set"),
            (c(r"(?P<ly>daily|weekly|monthly|yearly|annually|hourly|nightly|biweekly)", ("daily", "weekly", "monthly", "yearly", "annually", "hourly", "nightly")), "set_ly"),
            (c(rf"(?P<rate>a|an|per)\s+{UNIT}"), "rate"),
            (c(rf"(?P<fixed>{alt(self.fixed)})", tuple(k.split()[-1] for k in self.fixed)), "fixed"),
            (c(rf"(?:(?:early|earlier|late|later)\s+(?:in\s+)?)?(?:that|the\s+same|that\s+same)\s+(?P<aunit>day|week|month|year|{alt(self.parts)})"), "anaphor"),
            (c(r"(?:early|earlier|late|later)\s+in\s+the\s+(?P<iunit>week|month|year)", ("in the",)), "in_the"),
            # "the second day of the offensive" (a date of the story), "for a fourth straight day" (a count)
            (c(rf"(?P<det>the|a)\s+{ORD}\s+(?:straight\s+|consecutive\s+|full\s+)?(?P<ounit>day|week|month|year)(?!s)", ("day", "week", "month", "year")), "ordinal_unit"),
            (c(r"(?:in|during|by|until)\s+(?:(?:early|late|mid)[\s-]?)?(?:the\s+)?(?P<aunit>morning|afternoon|evening)(?!\s+(?:of|after|before|when|that|paper|news|show|edition|session|prayers?|star|post)\b)"), "anaphor"),
            (c(rf"the\s+(?P<arel>next|following|previous|preceding)\s+(?P<aunit>day|week|month|year|{alt(self.parts)})"), "anaphor"),
            (c(r"the\s+(?P<aunit>day)\s+(?P<arel>before|after)(?=\s*[,.;:)])"), "anaphor"),
            (c(r"(?:the\s+)?(?P<which>full|fiscal|current|whole|entire|same)?\s*year(?P<yend>[\s-]end)?(?!\s+(?:before|after|earlier|ago|that|when|in|of|to|since|two|one|\d))"), "the_year"),
            (c(r"(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+|this\s+)?(?P<eunit>year|month|week|quarter|decade)", (" of ",)), "end_of"),
            (c(r"(?P<bunit2>years|months|weeks|days|decades)\s+(?:ago|earlier)", ("ago", "earlier")), "bare_ago"),
            (c(rf"(?P<hol>{alt(self.holidays)})(?:\s+{YEAR})?", tuple(k.split()[-1] for k in self.holidays)), "holiday"),
        ]


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar(lexicon())

